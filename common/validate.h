/* validate.h -- the rules of docs/formats.md §1 "Refused, or accepted with a
 * warning", run identically by the client (before sending) and by the
 * daemon (never trusting the client).
 *
 * Pure: no I/O. Problems name the CSV column (e.g. "primary_qualified_teachers")
 * and the reason (e.g. "17 exceeds primary_teachers 12"). */
#ifndef JUNHENG_VALIDATE_H
#define JUNHENG_VALIDATE_H

#include "problems.h"
#include "submission.h"

typedef struct {
    int32_t min_period;   /* oldest accepted school year, e.g. 2015 */
    int32_t max_period;   /* newest accepted school year, e.g. this year + 1 */
} validate_limits;

/* Fills limits with the defaults for a calendar year: 2015 .. current_year + 1
 * (common/sys/sys_clock.h's validate_limits_default reads the year from the
 * clock). */
void validate_limits_for_year(validate_limits *limits, int current_year);

/* Checks one submission.
 *  school:   the registry entry, or NULL when unknown to the caller (the client
 *            validates without the registry; the daemon passes it, and refuses
 *            an unknown school itself). With it, stage-vs-kind rules are checked.
 *  previous: the school's previous accepted submission for the same period, or
 *            NULL; used only for the "changed by more than half" warning.
 *  limits:   the accepted school years (not NULL; see validate_limits_for_year).
 * Appends refusals to errors and flags to warnings; never clears them.
 * Returns the number of errors appended. */
size_t validate_submission(const submission *sub, const school_info *school, const submission *previous,
                           const validate_limits *limits, problem_list *errors, problem_list *warnings);

/* validate_submission (no school, no previous revision) for a row read from
 * a file, whose reader already put its problems in errors: adds only the
 * problems on columns the reader did not already refuse, so one problem is
 * reported once (a list refused as unreadable is not then also "missing").
 * Returns how many errors the row has in all. */
size_t validate_read_row(const submission *sub, const validate_limits *limits, problem_list *errors,
                         problem_list *warnings);

#endif
