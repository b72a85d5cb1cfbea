/* review_state.c -- the review chain in memory. See review_state.h.
 *
 * Revisions: a map from the revision id's 8 bytes to its state, held in the
 * value pointer itself (only approved and returned are held, both non-zero).
 * Packages: a map from "county:period" to a record with the package_info and
 * its overrides (a sorted array). Problems: a map from the id's 8 bytes to an
 * owned problem_info. Periods: a sorted array (a handful). Reopenings: a map
 * from "period:school" to a non-NULL marker. */
#include "review_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

/* One package with the city's overrides of its items. */
typedef struct {
    package_info info;
    city_override *overrides;   /* owned, sorted by item then field */
    size_t n_overrides, cap_overrides;
} package_record;

struct review_state {
    hashmap *revisions;   /* int64 bytes -> (void *)(intptr_t)revision_review */
    hashmap *packages;    /* "county:period" -> package_record* (owned) */
    hashmap *problems;    /* int64 bytes -> problem_info* (owned) */
    hashmap *reopened;    /* "period:school" -> marker */
    period_info *periods; /* owned, sorted by period */
    size_t n_periods, cap_periods;
};

static const char *const REVIEW_KEYS[] = { "submitted", "approved", "returned" };
static const char *const REVIEW_ZH[] = { "待审核", "已通过", "已退回" };
static const char *const PACKAGE_KEYS[] = { "collecting", "sealed", "city_reviewing", "returned", "city_passed" };
static const char *const PACKAGE_ZH[] = { "收集中", "已自评", "市级复核中", "已退回整改", "市级复核通过" };
static const char *const PROBLEM_KEYS[] = { "open", "rectified", "closed" };
static const char *const PROBLEM_ZH[] = { "待整改", "已整改", "已销号" };

/* The names of the states (static strings; "?" for a value out of range). */
const char *revision_review_key(revision_review r)
{
    return (unsigned)r < 3 ? REVIEW_KEYS[r] : "?";
}
const char *revision_review_zh(revision_review r)
{
    return (unsigned)r < 3 ? REVIEW_ZH[r] : "?";
}
const char *package_state_key(package_state s)
{
    return (unsigned)s < 5 ? PACKAGE_KEYS[s] : "?";
}
const char *package_state_zh(package_state s)
{
    return (unsigned)s < 5 ? PACKAGE_ZH[s] : "?";
}
const char *problem_state_key(problem_state s)
{
    return (unsigned)s < 3 ? PROBLEM_KEYS[s] : "?";
}
const char *problem_state_zh(problem_state s)
{
    return (unsigned)s < 3 ? PROBLEM_ZH[s] : "?";
}

/* Frees a package record with its overrides (a hashmap destructor). */
static void package_record_free(void *p)
{
    package_record *r = p;
    for (size_t i = 0; i < r->n_overrides; i++)
        free(r->overrides[i].reason);
    free(r->overrides);
    free(r);
}

/* An empty review state (caller destroys); NULL when out of memory. */
review_state *review_state_new(void)
{
    review_state *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->revisions = hashmap_new(NULL);
    self->packages = hashmap_new(package_record_free);
    self->problems = hashmap_new(free);
    self->reopened = hashmap_new(NULL);
    if (!self->revisions || !self->packages || !self->problems || !self->reopened)
        review_state_destroy(&self);
    return self;
}

/* Frees the state and everything it holds; nulls *p. */
void review_state_destroy(review_state **p)
{
    if (!p || !*p)
        return;
    review_state *self = *p;
    hashmap_destroy(&self->revisions);
    hashmap_destroy(&self->packages);
    hashmap_destroy(&self->problems);
    hashmap_destroy(&self->reopened);
    free(self->periods);
    free(self);
    *p = NULL;
}

/* --- school revisions --- */

/* Records approved or returned; submitted forgets the revision. 0 or -1. */
int review_state_set_revision(review_state *self, int64_t revision, revision_review state)
{
    if (state == REVIEW_SUBMITTED) {
        hashmap_remove_bytes(self->revisions, &revision, sizeof revision);
        return 0;
    }
    return hashmap_put_bytes(self->revisions, &revision, sizeof revision, (void *)(intptr_t)state);
}

/* The recorded state of a revision, REVIEW_SUBMITTED when none. */
revision_review review_state_revision(const review_state *self, int64_t revision)
{
    void *v = hashmap_get_bytes(self->revisions, &revision, sizeof revision);
    return v ? (revision_review)(intptr_t)v : REVIEW_SUBMITTED;
}

/* --- packages, problems and overrides --- */

/* The map key of (county, period) into buf. */
static void package_key(char *buf, size_t size, const char *county_code, int32_t period)
{
    snprintf(buf, size, "%.6s:%d", county_code, (int)period);
}

/* The record of (county, period), created (collecting) when create and
 * absent; NULL when absent (or out of memory). Owned by the state. */
static package_record *package_get(const review_state *self, const char *county_code, int32_t period, bool create)
{
    char key[32];
    package_key(key, sizeof key, county_code, period);
    package_record *r = hashmap_get(self->packages, key);
    if (r || !create)
        return r;
    r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->info.state = PACKAGE_COLLECTING;
    if (hashmap_put(self->packages, key, r) != 0) {
        free(r);
        return NULL;
    }
    return r;
}

/* The package of (county, period) or NULL (borrowed). */
const package_info *review_state_package(const review_state *self, const char *county_code, int32_t period)
{
    package_record *r = package_get(self, county_code, period, false);
    return r ? &r->info : NULL;
}

/* Replaces the package's state and seal fields, keeping its problem counts. */
int review_state_set_package(review_state *self, const char *county_code, int32_t period, const package_info *p)
{
    package_record *r = package_get(self, county_code, period, true);
    if (!r)
        return -1;
    r->info.state = p->state;
    r->info.seal = p->seal;
    snprintf(r->info.sealed_at, sizeof r->info.sealed_at, "%s", p->sealed_at);
    r->info.seal_inputs_revision = p->seal_inputs_revision;
    return 0;
}

/* Adds delta (+1/-1) to the count of state s in info. */
static void count_problem(package_info *info, problem_state s, int delta)
{
    uint32_t *c = s == PROBLEM_OPEN ? &info->problems_open
                : s == PROBLEM_RECTIFIED ? &info->problems_rectified : &info->problems_closed;
    *c = (uint32_t)((int64_t)*c + delta);
}

/* Adds or updates a problem; its package's counts follow. 0 or -1. */
int review_state_put_problem(review_state *self, const problem_info *p)
{
    package_record *pkg = package_get(self, p->county_code, p->period, true);
    if (!pkg)
        return -1;
    problem_info *old = hashmap_get_bytes(self->problems, &p->id, sizeof p->id);
    if (old) {
        count_problem(&pkg->info, old->state, -1);
        *old = *p;
        count_problem(&pkg->info, p->state, +1);
        return 0;
    }
    problem_info *copy = malloc(sizeof *copy);
    if (!copy)
        return -1;
    *copy = *p;
    if (hashmap_put_bytes(self->problems, &copy->id, sizeof copy->id, copy) != 0) {
        free(copy);
        return -1;
    }
    count_problem(&pkg->info, p->state, +1);
    return 0;
}

/* A problem by id (borrowed) or NULL. */
const problem_info *review_state_problem(const review_state *self, int64_t id)
{
    return hashmap_get_bytes(self->problems, &id, sizeof id);
}

/* Compares two item numbers ("2.8" < "2.10") part by part, numerically;
 * text that is not a number compares as text. */
static int item_compare(const char *a, const char *b)
{
    while (*a && *b) {
        char *ea, *eb;
        long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);
        if (ea == a || eb == b)
            return strcmp(a, b);
        if (na != nb)
            return na < nb ? -1 : 1;
        a = ea;
        b = eb;
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if (*a)
            a++, b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* The index of (item, field) in r's overrides, or where it goes (*found false). */
static size_t override_find(const package_record *r, const char *item, const char *field, bool *found)
{
    size_t i = 0;
    *found = false;
    for (; i < r->n_overrides; i++) {
        int c = item_compare(r->overrides[i].item, item);
        if (c == 0)
            c = strcmp(r->overrides[i].field, field);
        if (c == 0) {
            *found = true;
            return i;
        }
        if (c > 0)
            break;
    }
    return i;
}

/* Removes override i of r. */
static void override_remove(package_record *r, size_t i)
{
    free(r->overrides[i].reason);
    memmove(&r->overrides[i], &r->overrides[i + 1], (r->n_overrides - i - 1) * sizeof r->overrides[0]);
    r->n_overrides--;
}

/* Sets or withdraws (value "") an override; reason and at are copied. 0 or -1. */
int review_state_put_override(review_state *self, const char *county_code, int32_t period, const char *item,
                              const char *field, const char *value, const char *reason, const char *at)
{
    package_record *r = package_get(self, county_code, period, true);
    if (!r)
        return -1;
    bool found;
    size_t i = override_find(r, item, field, &found);
    if (!value || !value[0]) {
        if (found)
            override_remove(r, i);
        return 0;
    }
    char *reason_copy = strdup(reason ? reason : "");
    if (!reason_copy)
        return -1;
    if (!found) {
        if (r->n_overrides == r->cap_overrides) {
            size_t cap = r->cap_overrides ? r->cap_overrides * 2 : 4;
            city_override *grown = realloc(r->overrides, cap * sizeof *grown);
            if (!grown) {
                free(reason_copy);
                return -1;
            }
            r->overrides = grown;
            r->cap_overrides = cap;
        }
        memmove(&r->overrides[i + 1], &r->overrides[i], (r->n_overrides - i) * sizeof r->overrides[0]);
        r->n_overrides++;
        memset(&r->overrides[i], 0, sizeof r->overrides[i]);
    } else {
        free(r->overrides[i].reason);
    }
    city_override *o = &r->overrides[i];
    snprintf(o->item, sizeof o->item, "%s", item);
    snprintf(o->field, sizeof o->field, "%s", field);
    snprintf(o->value, sizeof o->value, "%s", value);
    o->reason = reason_copy;
    snprintf(o->at, sizeof o->at, "%s", at ? at : "");
    return 0;
}

/* The overrides of (county, period); *out borrowed. Returns their number. */
size_t review_state_overrides(const review_state *self, const char *county_code, int32_t period,
                              const city_override **out)
{
    package_record *r = package_get(self, county_code, period, false);
    *out = r && r->n_overrides ? r->overrides : NULL;
    return r ? r->n_overrides : 0;
}

/* --- periods --- */

/* The index of period in the sorted array, or where it goes (*found false). */
static size_t period_find(const review_state *self, int32_t period, bool *found)
{
    size_t i = 0;
    while (i < self->n_periods && self->periods[i].period < period)
        i++;
    *found = i < self->n_periods && self->periods[i].period == period;
    return i;
}

/* Sets a period's dates. 0 or -1. */
int review_state_set_period(review_state *self, const period_info *p)
{
    bool found;
    size_t i = period_find(self, p->period, &found);
    if (!found) {
        if (self->n_periods == self->cap_periods) {
            size_t cap = self->cap_periods ? self->cap_periods * 2 : 4;
            period_info *grown = realloc(self->periods, cap * sizeof *grown);
            if (!grown)
                return -1;
            self->periods = grown;
            self->cap_periods = cap;
        }
        memmove(&self->periods[i + 1], &self->periods[i], (self->n_periods - i) * sizeof self->periods[0]);
        self->n_periods++;
    }
    self->periods[i] = *p;
    return 0;
}

/* A period as set (borrowed), or NULL. */
const period_info *review_state_period(const review_state *self, int32_t period)
{
    bool found;
    size_t i = period_find(self, period, &found);
    return found ? &self->periods[i] : NULL;
}

/* Records a per-school reopening of period. 0 or -1. */
int review_state_reopen_school(review_state *self, int32_t period, const char *school_code)
{
    char key[40];
    snprintf(key, sizeof key, "%d:%.10s", (int)period, school_code);
    return hashmap_put(self->reopened, key, (void *)1);
}

/* Whether school_code's submission for period is taken on day today. */
period_admission review_state_admit(const review_state *self, int32_t period, const char *school_code,
                                    int32_t today)
{
    const period_info *p = review_state_period(self, period);
    if (!p)
        return PERIOD_ADMIT_OPEN;
    bool closed = p->closed || (p->closes_on != 0 && today > p->closes_on);
    if (!closed)
        return PERIOD_ADMIT_OPEN;
    char key[40];
    snprintf(key, sizeof key, "%d:%.10s", (int)period, school_code);
    return hashmap_contains(self->reopened, key) ? PERIOD_ADMIT_LATE : PERIOD_ADMIT_CLOSED;
}

/* The periods in period order; *out borrowed. */
size_t review_state_periods(const review_state *self, const period_info **out)
{
    *out = self->n_periods ? self->periods : NULL;
    return self->n_periods;
}
