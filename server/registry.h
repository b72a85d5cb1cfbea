/* registry.h -- the daemon's in-memory view of the school registry and of
 * each school's newest accepted revision per period. Loaded from the store at
 * start, updated after every commit; the database stays the truth.
 *
 * Ownership: the registry owns every record and submission it holds; pointers
 * it returns stay valid until the registry is destroyed (records are never
 * removed, only marked inactive). */
#ifndef JUNHENG_REGISTRY_H
#define JUNHENG_REGISTRY_H

#include <stdint.h>

#include "submission.h"

typedef struct {
    int32_t period;
    int64_t revision;
    submission sub;
} school_revision;

typedef struct {
    school_info info;
    school_revision *latest;   /* newest accepted revision, one per period */
    size_t n_latest;
} school_record;

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
 * changed; an unknown county is created with an empty name). Returns 0/-1. */
int registry_put_school(registry *self, const school_info *s);

school_record *registry_school(const registry *self, const char *school_code);
county_record *registry_county(const registry *self, const char *county_code);
size_t registry_school_count(const registry *self);
size_t registry_county_count(const registry *self);
/* Calls fn for every county. */
void registry_foreach_county(const registry *self, void (*fn)(void *arg, county_record *c), void *arg);

/* The school's newest accepted revision for period, or NULL. */
const school_revision *school_record_latest(const school_record *self, int32_t period);
/* Records a newly accepted revision (copied) if it is newer than the one held.
 * Returns 1 when it became the newest, 0 when older, -1 when out of memory. */
int school_record_set_latest(school_record *self, int32_t period, int64_t revision, const submission *sub);

#endif
