/* whatif.h -- the pure parts of a what-if (junheng whatif, docs/whatif.md):
 * one hypothetical change applied to a school's submission, a submission's
 * values written as JSON, and what differs between two statuses. The daemon
 * (server/state/county_book_whatif.c) applies the changes to a copy of a
 * county's state and computes both statuses with the function the real
 * status uses; this file only edits submissions and compares results.
 * No I/O. */
#ifndef JUNHENG_WHATIF_H
#define JUNHENG_WHATIF_H

#include <stddef.h>

#include "assess.h"
#include "assess_items.h"
#include "json_writer.h"
#include "submission.h"

/* Applies one change to sub. field: a submission column id
 * ("sports_area_m2", "primary_teachers"; the Chinese label is read too);
 * value: "1200" sets the value, "+300" or "-2" adds to the current one; a
 * list ("class_sizes", "music_room_areas_m2", ...) is set by "45;45;40" and
 * grown by "+96" or "+96;96" (elements appended). A stage field makes its
 * stage present. On success *col is the column's index in SUBMISSION_COLUMNS.
 * Whether the result is a valid submission is the caller's to check
 * (validate_submission). Returns 0, or -1 with the reason in why (English;
 * sub unchanged). */
int whatif_apply(submission *sub, const char *field, const char *value, int *col, char *why, size_t n);

/* Writes the value of data column col of sub: a JSON number (a count as an
 * integer), or an array of numbers for a list. */
void whatif_write_value(json_writer *w, const submission *sub, int col);

/* Writes sub's data values as one object {column id: number | [numbers]},
 * in column order; the columns of a stage sub does not have are left out. */
void whatif_write_values(json_writer *w, const submission *sub);

/* Writes the "diff" object (docs/whatif.md) from before (status b, verdict
 * bv) to after (a, av): "verdict" {before, after}; "sections_flipped", the
 * sections whose state (pass, fail, excluded, absent) changed, by school
 * code and stage; "coefficients", every (stage, indicator) of a stage
 * applicable before or after, with both values (null: undefined), the limit
 * and whether each is within it; "items_changed", the items whose outcome
 * changed. */
void whatif_write_diff(json_writer *w, const county_status *b, const county_verdict *bv, const county_status *a,
                       const county_verdict *av);

/* The state of a section as the diff names it: "pass", "fail" or
 * "excluded" (NULL sec: "absent"). */
const char *whatif_section_state(const section_status *sec);

#endif
