/* registry.h -- the daemon's in-memory view of the school registry and of
 * each school's newest accepted revision per period. Loaded from the store at
 * start, updated after every commit; the database stays the truth.
 *
 * A school is held compactly (a national registry is 200,000 of them): its
 * code, county, kind, location, flags and a right-sized name, no public key
 * (keys live in the key registry, server/net/auth.c). Read it through the
 * accessors; school_record_info() fills a full school_info when one is
 * needed. Each newest revision is decoded on request into a caller's
 * submission; it is held packed (revision_pack.h).
 *
 * Ownership: the registry owns every record it holds; pointers it returns
 * stay valid until the registry is destroyed (records are never removed,
 * only marked inactive). */
#ifndef JUNHENG_REGISTRY_H
#define JUNHENG_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "submission.h"

typedef struct school_record school_record;

typedef struct {
    county_info info;
    school_record **schools;   /* borrowed pointers to the schools of this county */
    size_t n_schools;
    size_t cap_schools;
} county_record;

typedef struct registry registry;

registry *registry_new(void);
void registry_destroy(registry **p);

/* Adds or renames a county. Returns 0 or -1 (OOM). */
int registry_put_county(registry *self, const county_info *c);
/* Adds or updates a school (moving it between counties if its county
 * changed; an unknown county is created with an empty name). The public key
 * is not kept. Returns 0/-1. */
int registry_put_school(registry *self, const school_info *s);

school_record *registry_school(const registry *self, const char *school_code);
county_record *registry_county(const registry *self, const char *county_code);
size_t registry_school_count(const registry *self);
size_t registry_county_count(const registry *self);
/* Calls fn for every county. */
void registry_foreach_county(const registry *self, void (*fn)(void *arg, county_record *c), void *arg);

/* The school's code, county code and name (pointers into the record, valid
 * while the record is unchanged). */
const char *school_record_code(const school_record *self);
const char *school_record_county(const school_record *self);
const char *school_record_name(const school_record *self);
bool school_record_active(const school_record *self);
void school_record_set_active(school_record *self, bool active);
/* Fills *out with the school's registry row (name copied; public_key ""). */
void school_record_info(const school_record *self, school_info *out);

/* How many periods have a newest revision held, and the i-th of them. */
size_t school_record_n_latest(const school_record *self);
int32_t school_record_latest_period(const school_record *self, size_t i);
/* Whether a revision is held for period; if so *revision (may be NULL) is
 * set to it. No decoding. */
bool school_record_has_latest(const school_record *self, int32_t period, int64_t *revision);
/* Decodes the newest revision held for period into *out, which the caller
 * then owns (free with submission_clear()); *revision (may be NULL) is set.
 * Returns 1 when found, 0 when none is held, -1 when out of memory (*out is
 * zeroed unless 1 is returned). */
int school_record_latest(const school_record *self, int32_t period, int64_t *revision, submission *out);
/* Records a newly accepted revision (packed copy) if it is newer than the
 * one held. Returns 1 when it became the newest, 0 when older, -1 when out
 * of memory. */
int school_record_set_latest(school_record *self, int32_t period, int64_t revision, const submission *sub);

/* The school's approved revision per period (docs/review.md: the official
 * view counts it), held packed beside the newest -- no second copy when the
 * newest is the approved one. _has_approved: whether one is held (and its
 * revision), no decoding; _approved: decodes it as school_record_latest
 * does (1 found, 0 none, -1 out of memory); _set_approved: records a newly
 * approved revision (packed copy) if it is newer than the approved one held
 * -- one newer than the newest held becomes the newest too, so approvals
 * may be loaded before or after the newest revisions. Returns 1 when it
 * became the approved one, 0 when older, -1 when out of memory. */
bool school_record_has_approved(const school_record *self, int32_t period, int64_t *revision);
int school_record_approved(const school_record *self, int32_t period, int64_t *revision, submission *out);
int school_record_set_approved(school_record *self, int32_t period, int64_t revision, const submission *sub);

#endif
