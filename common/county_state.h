/* county_state.h -- one county's assessment kept as running sums, so that a
 * school's new revision (or its removal) updates every aggregate in O(1):
 * stage students and sections, sections passing and meeting each indicator,
 * the student-weighted mean and variance of each indicator, the guarantee
 * counts and the coverage counts.  Producing the full county_status (which
 * lists every section, the missing and failing schools and the top
 * contributors) is O(n log n); county_state_summary() is O(1).
 *
 * The state owns copies of everything it needs; it keeps no pointer to the
 * caller's memory.  It holds one period's submissions: the caller keeps one
 * county_state per (county, period).  Numerics: docs/rules.md, "Incremental
 * coefficients"; the result matches county_assess() from scratch to ~1e-12. */
#ifndef JUNHENG_COUNTY_STATE_H
#define JUNHENG_COUNTY_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "assess.h"

typedef struct county_state county_state;

/* Creates an empty state for `county` under `rules` (both copied).
 * Returns NULL when out of memory. Caller destroys. */
county_state *county_state_new(const rules_config *rules, const county_info *county);

/* A deep copy of src (every school and every running sum, bit for bit): a
 * what-if changes the copy with county_state_set_school and reads it with
 * county_state_status, exactly as the original would be. O(schools).
 * Returns NULL when out of memory. Caller destroys. */
county_state *county_state_copy(const county_state *src);

/* Renames the county whose state this is (the registry's county name changed). */
void county_state_set_name(county_state *self, const char *name);

/* Frees the state and everything it owns; sets *p to NULL. */
void county_state_destroy(county_state **p);

/* Sets (adds or replaces) one school: its registry row and its current
 * submission for the period, or NULL when it has none (registered, missing).
 * Both are copied as needed. O(1) amortized.
 * Returns ASSESS_OK, ASSESS_EINVAL (NULL school, or a school of another
 * county) or ASSESS_ENOMEM (the state is then unchanged). */
int county_state_set_school(county_state *self, const school_info *school, const submission *sub);

/* Removes one school (it left the county's registry). O(1) amortized.
 * Returns ASSESS_OK, or ASSESS_ENOTFOUND when the school is not held. */
int county_state_remove_school(county_state *self, const char *school_code);

/* The number of schools held. */
size_t county_state_count(const county_state *self);

/* The full status for `period` (a label: the caller feeds one period).
 * Returns a new county_status (caller destroys), or NULL when out of memory. */
county_status *county_state_status(const county_state *self, int32_t period);

/* The O(1) part of the status into *out: every number and verdict, with the
 * lists (sections, missing, failing, top contributors) left empty. *out owns
 * nothing and needs no destroy. */
void county_state_summary(const county_state *self, int32_t period, county_status *out);

/* How many O(n) precision rebuilds the state has done (for tests and
 * monitoring; normally 0 or close to it). */
uint64_t county_state_rebuilds(const county_state *self);

#endif
