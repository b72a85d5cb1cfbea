/* status_json.c -- county_status as JSON. See status_json.h and
 * docs/formats.md §5, which describes every key (docs/rules.md "JSON" names
 * the ones added later: kind, unit, name_zh of guarantee items, the exchange
 * totals).
 *
 * The text is written directly (json_writer.h): a status is rendered for
 * every publication, and building a jansson tree first cost three quarters of
 * the daemon's time under load (docs/benchmarks.md). The jansson object of
 * status_json_build() is that text parsed, so the shape is defined once. */
#include "status_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

/* A real, or null when it is undefined (NaN, ±inf). */
static void real_or_null(json_writer *w, double x)
{
    if (isfinite(x))
        json_writer_real(w, x);
    else
        json_writer_null(w);
}

/* key: a real or null. */
static void kv_real(json_writer *w, const char *key, double x)
{
    json_writer_key(w, key);
    real_or_null(w, x);
}

/* key: an integer. */
static void kv_int(json_writer *w, const char *key, int64_t v)
{
    json_writer_key(w, key);
    json_writer_int(w, v);
}

/* key: a string (null for NULL). */
static void kv_str(json_writer *w, const char *key, const char *s)
{
    json_writer_key(w, key);
    json_writer_string(w, s);
}

/* key: a boolean. */
static void kv_bool(json_writer *w, const char *key, bool v)
{
    json_writer_key(w, key);
    json_writer_bool(w, v);
}

/* key: an array of school codes. */
static void kv_codes(json_writer *w, const char *key, const char (*codes)[SCHOOL_CODE_LEN + 1], size_t n)
{
    json_writer_key(w, key);
    json_writer_array_begin(w);
    for (size_t j = 0; j < n; j++)
        json_writer_string(w, codes[j]);
    json_writer_array_end(w);
}

/* One entry of a stage's "indicators" array. */
static void indicator_json(json_writer *w, const indicator_status *ind, int i, bool summary)
{
    json_writer_object_begin(w);
    kv_str(w, "id", INDICATORS[i].key);
    kv_str(w, "name_zh", INDICATORS[i].name_zh);
    kv_real(w, "standard", ind->standard);
    kv_real(w, "mean", ind->mean);
    kv_real(w, "cv", ind->cv_defined ? ind->cv : NAN);
    kv_real(w, "cv_limit", ind->cv_limit);
    kv_bool(w, "cv_ok", ind->cv_ok);
    kv_int(w, "sections_meeting", ind->sections_meeting);
    if (summary) {
        json_writer_object_end(w);
        return;
    }
    json_writer_key(w, "top_contributors");
    json_writer_array_begin(w);
    for (int k = 0; k < ind->n_top; k++) {
        json_writer_object_begin(w);
        kv_str(w, "school_code", ind->top[k].school_code);
        kv_real(w, "share", ind->top[k].share);
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
    json_writer_object_end(w);
}

/* One stage object of "stages". */
static void stage_json(json_writer *w, const stage_status *ss, bool summary)
{
    json_writer_object_begin(w);
    kv_bool(w, "applicable", ss->applicable);
    kv_int(w, "sections_assessed", ss->sections_assessed);
    kv_int(w, "students", ss->students);
    json_writer_key(w, "indicators");
    json_writer_array_begin(w);
    for (int i = 0; i < IND_COUNT; i++)
        indicator_json(w, &ss->ind[i], i, summary);
    json_writer_array_end(w);
    kv_int(w, "sections_passing", ss->sections_passing);
    kv_bool(w, "pass", ss->pass);
    json_writer_object_end(w);
}

/* One entry of "sections". */
static void section_json(json_writer *w, const section_status *sec)
{
    bool included = sec->excluded == EXCL_NONE;
    json_writer_object_begin(w);
    kv_str(w, "school_code", sec->school_code);
    kv_str(w, "name", sec->name);
    kv_str(w, "kind", SCHOOL_KIND_KEYS[sec->kind]);
    kv_str(w, "stage", STAGE_KEYS[sec->stage]);
    kv_int(w, "students", sec->students);
    kv_str(w, "excluded", included ? NULL : sec->excluded_reason);
    json_writer_key(w, "values");
    json_writer_object_begin(w);
    for (int i = 0; i < IND_COUNT; i++)
        kv_real(w, INDICATORS[i].key, sec->value[i]);
    json_writer_object_end(w);
    json_writer_key(w, "met");
    if (included)
        json_writer_int(w, sec->met);
    else
        json_writer_null(w);
    kv_bool(w, "pass", included && sec->pass);
    json_writer_key(w, "shortfalls");
    json_writer_array_begin(w);
    for (int k = 0; k < sec->n_shortfalls; k++) {
        const shortfall *sf = &sec->shortfalls[k];
        json_writer_object_begin(w);
        kv_str(w, "indicator", INDICATORS[sf->indicator].key);
        kv_real(w, "value", sf->value);
        kv_real(w, "standard", sf->standard);
        kv_real(w, "ratio", sf->ratio);
        kv_real(w, "needed", sf->needed);
        kv_str(w, "unit", INDICATORS[sf->indicator].resource_unit);
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
    json_writer_object_end(w);
}

/* One item of "guarantee". */
static void guarantee_json(json_writer *w, const county_status *st, int g, bool summary)
{
    const guarantee_status *gs = &st->guarantee[g];
    json_writer_object_begin(w);
    kv_str(w, "name_zh", GUARANTEES[g].name_zh);
    kv_bool(w, "pass", gs->pass);
    kv_str(w, "unit", GUARANTEE_UNIT_KEYS[gs->unit]);
    kv_int(w, "complying", gs->complying);
    kv_int(w, "applicable", gs->applicable);
    if (!summary)
        kv_codes(w, "failing", (const char (*)[SCHOOL_CODE_LEN + 1])gs->failing, gs->n_failing);
    if (gs->unit == GUNIT_CLASSES) {
        kv_int(w, "schools_complying", gs->schools_complying);
        kv_int(w, "schools_applicable", gs->schools_applicable);
    }
    if (g == GUAR_TEACHER_EXCHANGE) {
        const exchange_totals *t = &st->exchange;
        kv_int(w, "eligible", t->eligible);
        kv_int(w, "exchanged", t->exchanged);
        kv_int(w, "exchanged_backbone", t->exchanged_backbone);
        kv_real(w, "exchange_ratio", t->eligible > 0 ? (double)t->exchanged / (double)t->eligible : NAN);
        kv_real(w, "backbone_ratio",
                t->exchanged > 0 ? (double)t->exchanged_backbone / (double)t->exchanged : NAN);
    }
    json_writer_object_end(w);
}

/* The full object, or (summary) the history's form without the lists. */
static char *render(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at, bool summary)
{
    if (!st)
        return NULL;
    json_writer w;
    json_writer_init(&w);
    /* ~1 kB a section and ~10 kB besides: one allocation, no regrowth */
    json_writer_reserve(&w, summary ? 8192 : 12288 + 1024 * st->n_sections);
    json_writer_object_begin(&w);

    json_writer_key(&w, "county");
    json_writer_object_begin(&w);
    kv_str(&w, "code", st->county.code);
    kv_str(&w, "name", st->county.name);
    kv_str(&w, "city_code", st->city_code);
    json_writer_object_end(&w);

    char period[16];
    snprintf(period, sizeof period, "%d", (int)st->period);
    kv_str(&w, "period", period);
    kv_int(&w, "seq", (int64_t)seq);
    kv_str(&w, "epoch", epoch);
    kv_str(&w, "computed_at", computed_at);
    kv_str(&w, "rules_version", st->rules_version);

    json_writer_key(&w, "coverage");
    json_writer_object_begin(&w);
    kv_int(&w, "schools_registered", st->schools_registered);
    kv_int(&w, "schools_submitted", st->schools_submitted);
    if (!summary)
        kv_codes(&w, "missing", (const char (*)[SCHOOL_CODE_LEN + 1])st->missing, st->n_missing);
    json_writer_object_end(&w);

    json_writer_key(&w, "stages");
    json_writer_object_begin(&w);
    for (int s = 0; s < STAGE_COUNT; s++) {
        json_writer_key(&w, STAGE_KEYS[s]);
        stage_json(&w, &st->stage[s], summary);
    }
    json_writer_object_end(&w);

    if (!summary) {
        json_writer_key(&w, "sections");
        json_writer_array_begin(&w);
        for (size_t j = 0; j < st->n_sections; j++)
            section_json(&w, &st->sections[j]);
        json_writer_array_end(&w);
    }

    json_writer_key(&w, "guarantee");
    json_writer_object_begin(&w);
    for (int g = 0; g < GUAR_COUNT; g++) {
        json_writer_key(&w, GUARANTEES[g].key);
        guarantee_json(&w, st, g, summary);
    }
    json_writer_object_end(&w);

    json_writer_key(&w, "awaiting_county_input");
    json_writer_array_begin(&w);
    for (size_t k = 0; k < AWAITING_COUNTY_INPUT_COUNT; k++)
        json_writer_string(&w, AWAITING_COUNTY_INPUT[k].key);
    json_writer_array_end(&w);
    kv_bool(&w, "resource_allocation_pass", st->resource_allocation_pass);

    json_writer_object_end(&w);
    return json_writer_take(&w);
}

char *status_json_render(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    return render(st, seq, epoch, computed_at, false);
}

char *status_json_render_summary(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    return render(st, seq, epoch, computed_at, true);
}

json_t *status_json_build(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    char *text = status_json_render(st, seq, epoch, computed_at);
    if (!text)
        return NULL;
    json_t *root = json_loads(text, JSON_DECODE_ANY, NULL);
    free(text);
    return root;
}
