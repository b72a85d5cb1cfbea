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

/* One item of the whole verdict (1.1–4.1, the vetoes 5.1–5.6, then the
 * province's vetoes), as the status's "items" array carries it. */
typedef struct {
    const char *number, *id, *name_zh;   /* "2.8", "teacher_pay", "教师平均工资不低于公务员" */
    const char *part, *part_zh;          /* "guarantee", "政府保障程度" */
    const char *outcome, *outcome_zh;    /* "pass" | "fail" | "not_applicable" | "pending"; 达标 ... 待补充 */
    const char *reason, *reason_en;      /* "" when null */
    double value, threshold;             /* NAN when null */
    const char *comparison;              /* ">=", "<=", "<", "=" or "" */
    const char *threshold_key, *formula, *formula_text, *formula_key, *source;
    const char **evidence;               /* distinct evidence texts (NULL for a non-string entry) */
    size_t n_evidence;
    const char **failing;                /* school codes failing it */
    size_t n_failing;
    json_t *inputs, *facts;              /* borrowed: the "inputs" object and "facts" array (NULL when absent) */
} status_item;

/* The item counts of "items_summary" (0 when absent). */
typedef struct {
    long long passing, failing, not_applicable, pending, vetoes_present, vetoes_pending;
} status_items_summary;

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
    /* The whole verdict. A status without a "verdict" member (an older
     * daemon) reads as pending, with verdict_reason saying why: a verdict
     * never reads passed on partial data. */
    bool has_verdict;            /* the "verdict" member is there */
    const char *verdict;         /* "pass" | "fail" | "pending" */
    const char *verdict_zh;      /* 达标 | 未达标 | 待定 */
    const char *verdict_reason, *verdict_reason_en; /* "" when none */
    status_items_summary summary;
    long long county_inputs_revision; /* 0 when null or absent */
    status_item *items;          /* in the JSON's order */
    size_t n_items;
    json_t *doc;                 /* the status object (a reference is held) */
} status_county;

/* A snapshot answer {"prefix", "epoch", "counties": [status...]}. */
typedef struct {
    const char *prefix, *epoch;
    const char *view;            /* "live" or "official" (docs/review.md): the answer's "view", else the
                                    first county's, else "live" */
    const char *view_text;       /* for people: "实时 live" or "正式 official" */
    status_county *counties;
    size_t n_counties;
    json_t *doc;
} status_set;

/* The reason shown for a status without a whole verdict (an older daemon). */
extern const char STATUS_NO_VERDICT_ZH[];
extern const char STATUS_NO_VERDICT_EN[];

/* The verdict as a person reads it: "达标", "未达标 (failing 2, pending 9)",
 * "待定 (pending 9)", or "待定 (no whole verdict: ...)" into buf. */
void status_verdict_text(const status_county *self, char *buf, size_t size);

/* An item's figure against its threshold as a person reads it ("1.0134 ≥ 1",
 * "0.93" without a threshold, "" without a figure) into buf. */
void status_item_value_text(const status_item *it, char *buf, size_t size);

/* The registry's name of a missing school (coverage "missing_schools"), or
 * "" when the status does not name it (an older daemon). Borrowed. */
const char *status_missing_name(const status_county *self, const char *code);

/* The item whose number is `number` ("2.8"), or NULL. */
const status_item *status_item_find(const status_county *self, const char *number);

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
