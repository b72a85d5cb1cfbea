/* status_json.h -- a county_status rendered as the JSON of
 * docs/formats.md §5, written directly (json_writer.h) and, for
 * callers that want a tree, parsed by jansson.  Numbers at full precision:
 * each real in the shortest text that reads back to the same double (4.2,
 * not 4.2000000000000002), always with a '.' or exponent (real_format.h);
 * undefined values (no sections, mean 0) are null.  Pure: no I/O. */
#ifndef JUNHENG_STATUS_JSON_H
#define JUNHENG_STATUS_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "assess.h"
#include "assess_items.h"
#include "json_writer.h"

/* The JSON object: status_json_render()'s text parsed. seq, epoch and computed_at (RFC 3339 UTC, e.g.
 * "2026-11-22T13:05:01Z") come from the publisher; epoch and computed_at may
 * be NULL (rendered as null).
 * Returns a new reference (caller json_decref()s it), or NULL when out of memory. */
json_t *status_json_build(const county_status *st, uint64_t seq, const char *epoch,
                          const char *computed_at);

/* Renders the same object as compact UTF-8 text on one line (no trailing
 * newline), as `junheng watch --json` prints it.
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render(const county_status *st, uint64_t seq, const char *epoch,
                         const char *computed_at);

/* The form kept in the status history (county_status_history): the same
 * object without its lists -- no "sections", no coverage.missing, no
 * guarantee "failing", no indicator "top_contributors" -- so ~4 kB instead
 * of ~1 kB per school; every verdict, count and coefficient is there.
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render_summary(const county_status *st, uint64_t seq, const char *epoch,
                                 const char *computed_at);

/* The whole verdict's keys (docs/formats.md §5 "Whole verdict"): verdict,
 * verdict_zh, verdict_reason(_en), items_summary, county_inputs_revision
 * (null when inputs_revision is 0), awaiting_county_input (the pending
 * items' ids, in order) and either every item in full ("items") or, for the
 * history's summary, "item_outcomes" {number: outcome}. Written into the
 * object open in w. */
void status_json_write_verdict(json_writer *w, const county_verdict *v, int64_t inputs_revision, bool summary);

/* status_json_render (summary false) or status_json_render_summary (true)
 * with the whole verdict v (county_verdict_assess over st) written in place
 * of the fixed awaiting_county_input list. v NULL: as those. Returns a
 * malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render_verdict(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                                 uint64_t seq, const char *epoch, const char *computed_at, bool summary);

#endif
