/* status_read.h -- the one client-side reader of county status JSON
 * (docs/monitoring.md; the object common/status_json.c writes): status JSON
 * in, a plain struct out, for the status pages, the watch table and the
 * reports. Strings are borrowed from the JSON document, which the struct
 * keeps a reference to; absent strings read as "", absent numbers as NAN
 * (reals) or 0 (counts). */
#ifndef JUNHENG_STATUS_READ_H
#define JUNHENG_STATUS_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "indicators.h"

/* One of a stage's seven indicators. */
typedef struct {
    const char *id, *name_zh;
    double mean, standard, cv, cv_limit;   /* NAN when null or absent (cv null: undefined, mean 0) */
    bool cv_ok;
    long long sections_meeting;
} status_indicator;

/* One stage (primary, junior) of a county. */
typedef struct {
    bool applicable, pass;
    long long sections_assessed, sections_passing, students;
    status_indicator *indicators;
    size_t n_indicators;
    /* The worst difference coefficient: the one furthest past -- or closest
     * to -- its limit, the largest cv / cv_limit (every indicator of a stage
     * has the same limit, so the largest coefficient); an undefined (null)
     * coefficient counts as the worst. NULL when the stage has none. */
    const status_indicator *worst;
} status_stage;

/* A shortfall of a failing section. */
typedef struct {
    const char *indicator;
    double value, standard, ratio, needed;
} status_shortfall;

/* One school section (a school's stage). */
typedef struct {
    const char *school_code, *name, *stage;
    const char *excluded;        /* the reason it is not assessed, or NULL */
    bool excluded_present;       /* the "excluded" member is there and not null */
    bool pass;
    long long students, met;
    double values[IND_COUNT];    /* by indicator_id; NAN when absent */
    status_shortfall *shortfalls;
    size_t n_shortfalls;
} status_section;

/* A government-guarantee item school data shows. */
typedef struct {
    const char *key, *unit;
    bool pass;
    long long complying, applicable;
    const char **failing;        /* school codes; NULL for a non-string entry */
    size_t n_failing;
} status_guarantee;

/* One county status. */
typedef struct {
    const char *code, *name, *city_code;
    const char *period;          /* as written ("" when not a string) */
    long long period_number;     /* the period also when written as a number */
    const char *rules_version, *computed_at, *epoch;
    long long seq;
    long long schools_submitted, schools_registered;
    const char **missing;        /* NULL for a non-string entry */
    size_t n_missing;
    status_stage stage[STAGE_COUNT];
    bool pass;                   /* resource_allocation_pass */
    status_section *sections;
    size_t n_sections;
    status_guarantee *guarantee; /* in the JSON object's order */
    size_t n_guarantee;
    const char **awaiting;       /* awaiting_county_input; NULL for a non-string entry */
    size_t n_awaiting;
    json_t *doc;                 /* the status object (a reference is held) */
} status_county;

/* A snapshot answer {"prefix", "epoch", "counties": [status...]}. */
typedef struct {
    const char *prefix, *epoch;
    status_county *counties;
    size_t n_counties;
    json_t *doc;
} status_set;

/* Reads one county status object into *out (zeroed first). Returns 0, or -1
 * when out of memory (*out freed). Free with status_county_free. */
int status_county_read(status_county *out, json_t *status);
/* Frees what status_county_read allocated and drops the reference. */
void status_county_free(status_county *self);

/* Reads a snapshot answer into *out. Returns 0, or -1 when out of memory.
 * Free with status_set_free. */
int status_set_read(status_set *out, json_t *answer);
void status_set_free(status_set *self);

#endif
