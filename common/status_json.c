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

#include "assess_items.h"
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

/* See status_json.h. */
void status_json_kv_codes(json_writer *w, const char *key, const char (*codes)[SCHOOL_CODE_LEN + 1], size_t n)
{
    json_writer_key(w, key);
    json_writer_array_begin(w);
    for (size_t j = 0; j < n; j++)
        json_writer_string(w, codes[j]);
    json_writer_array_end(w);
}

/* See status_json.h. */
void status_json_kv_section_verdict(json_writer *w, const section_status *sec)
{
    bool included = sec->excluded == EXCL_NONE;
    json_writer_key(w, "met");
    if (included)
        json_writer_int(w, sec->met);
    else
        json_writer_null(w);
    json_writer_kv_bool(w, "pass", included && sec->pass);
}

/* One entry of a stage's "indicators" array. */
static void indicator_json(json_writer *w, const indicator_status *ind, int i, bool summary)
{
    json_writer_object_begin(w);
    json_writer_kv_str(w, "id", INDICATORS[i].key);
    json_writer_kv_str(w, "name_zh", INDICATORS[i].name_zh);
    kv_real(w, "standard", ind->standard);
    kv_real(w, "mean", ind->mean);
    kv_real(w, "cv", ind->cv_defined ? ind->cv : NAN);
    kv_real(w, "cv_limit", ind->cv_limit);
    json_writer_kv_bool(w, "cv_ok", ind->cv_ok);
    json_writer_kv_int(w, "sections_meeting", ind->sections_meeting);
    if (summary) {
        json_writer_object_end(w);
        return;
    }
    json_writer_key(w, "top_contributors");
    json_writer_array_begin(w);
    for (int k = 0; k < ind->n_top; k++) {
        json_writer_object_begin(w);
        json_writer_kv_str(w, "school_code", ind->top[k].school_code);
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
    json_writer_kv_bool(w, "applicable", ss->applicable);
    json_writer_kv_int(w, "sections_assessed", ss->sections_assessed);
    json_writer_kv_int(w, "students", ss->students);
    json_writer_key(w, "indicators");
    json_writer_array_begin(w);
    for (int i = 0; i < IND_COUNT; i++)
        indicator_json(w, &ss->ind[i], i, summary);
    json_writer_array_end(w);
    json_writer_kv_int(w, "sections_passing", ss->sections_passing);
    json_writer_kv_bool(w, "pass", ss->pass);
    json_writer_object_end(w);
}

/* One entry of "sections". */
static void section_json(json_writer *w, const section_status *sec)
{
    bool included = sec->excluded == EXCL_NONE;
    json_writer_object_begin(w);
    json_writer_kv_str(w, "school_code", sec->school_code);
    json_writer_kv_str(w, "name", sec->name);
    json_writer_kv_str(w, "kind", SCHOOL_KIND_KEYS[sec->kind]);
    json_writer_kv_str(w, "stage", STAGE_KEYS[sec->stage]);
    json_writer_kv_int(w, "students", sec->students);
    json_writer_kv_str(w, "excluded", included ? NULL : sec->excluded_reason);
    json_writer_key(w, "values");
    json_writer_object_begin(w);
    for (int i = 0; i < IND_COUNT; i++)
        kv_real(w, INDICATORS[i].key, sec->value[i]);
    json_writer_object_end(w);
    status_json_kv_section_verdict(w, sec);
    json_writer_key(w, "shortfalls");
    json_writer_array_begin(w);
    for (int k = 0; k < sec->n_shortfalls; k++) {
        const shortfall *sf = &sec->shortfalls[k];
        json_writer_object_begin(w);
        json_writer_kv_str(w, "indicator", INDICATORS[sf->indicator].key);
        kv_real(w, "value", sf->value);
        kv_real(w, "standard", sf->standard);
        kv_real(w, "ratio", sf->ratio);
        kv_real(w, "needed", sf->needed);
        json_writer_kv_str(w, "unit", INDICATORS[sf->indicator].resource_unit);
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
    json_writer_kv_str(w, "name_zh", GUARANTEES[g].name_zh);
    json_writer_kv_bool(w, "pass", gs->pass);
    json_writer_kv_str(w, "unit", GUARANTEE_UNIT_KEYS[gs->unit]);
    json_writer_kv_int(w, "complying", gs->complying);
    json_writer_kv_int(w, "applicable", gs->applicable);
    if (!summary)
        status_json_kv_codes(w, "failing", (const char (*)[SCHOOL_CODE_LEN + 1])gs->failing, gs->n_failing);
    if (gs->unit == GUNIT_CLASSES) {
        json_writer_kv_int(w, "schools_complying", gs->schools_complying);
        json_writer_kv_int(w, "schools_applicable", gs->schools_applicable);
    }
    if (g == GUAR_TEACHER_EXCHANGE) {
        const exchange_totals *t = &st->exchange;
        json_writer_kv_int(w, "eligible", t->eligible);
        json_writer_kv_int(w, "exchanged", t->exchanged);
        json_writer_kv_int(w, "exchanged_backbone", t->exchanged_backbone);
        kv_real(w, "exchange_ratio", t->eligible > 0 ? (double)t->exchanged / (double)t->eligible : NAN);
        kv_real(w, "backbone_ratio",
                t->exchanged > 0 ? (double)t->exchanged_backbone / (double)t->exchanged : NAN);
    }
    json_writer_object_end(w);
}

/* One fact's value: a number, a boolean, or null when missing. */
static void fact_value(json_writer *w, const item_fact *f)
{
    if (f->kind == FACT_NUMBER)
        real_or_null(w, f->number);
    else if (f->kind == FACT_BOOL)
        json_writer_bool(w, f->flag);
    else
        json_writer_null(w);
}

/* An item's "inputs", "facts" and "evidence" (distinct, in order). */
static void item_facts_json(json_writer *w, const item_result *r)
{
    json_writer_key(w, "inputs");
    json_writer_object_begin(w);
    for (size_t k = 0; k < r->n_facts; k++) {
        json_writer_key(w, r->facts[k].name);
        fact_value(w, &r->facts[k]);
    }
    json_writer_object_end(w);
    json_writer_key(w, "facts");
    json_writer_array_begin(w);
    for (size_t k = 0; k < r->n_facts; k++) {
        const item_fact *f = &r->facts[k];
        json_writer_object_begin(w);
        json_writer_kv_str(w, "name", f->name);
        json_writer_key(w, "value");
        fact_value(w, f);
        json_writer_kv_bool(w, "as_percent", f->as_percent);
        json_writer_kv_str(w, "source", ITEM_SOURCE_KEYS[f->source]);
        json_writer_kv_text(w, "evidence", f->evidence);
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
    json_writer_key(w, "evidence");
    json_writer_array_begin(w);
    for (size_t k = 0; k < r->n_facts; k++) {
        const char *ev = r->facts[k].evidence;
        bool seen = !ev || !ev[0];
        for (size_t j = 0; j < k && !seen; j++)
            seen = r->facts[j].evidence && strcmp(r->facts[j].evidence, ev) == 0;
        if (!seen)
            json_writer_string(w, ev);
    }
    json_writer_array_end(w);
}

/* One entry of the "items" array (docs/formats.md §5); vi (may be NULL)
 * adds the city's overrides of the item. */
static void item_json(json_writer *w, const item_result *r, const status_view_info *vi)
{
    json_writer_object_begin(w);
    json_writer_kv_str(w, "number", r->number);
    json_writer_kv_str(w, "id", r->key);
    json_writer_kv_str(w, "name_zh", r->name_zh);
    json_writer_kv_str(w, "part", ITEM_PART_KEYS[r->part]);
    json_writer_kv_str(w, "part_zh", ITEM_PART_NAMES_ZH[r->part]);
    json_writer_kv_str(w, "outcome", ITEM_OUTCOME_KEYS[r->outcome]);
    json_writer_kv_str(w, "outcome_zh",
           (r->part == PART_VETO ? VETO_OUTCOME_NAMES_ZH : ITEM_OUTCOME_NAMES_ZH)[r->outcome]);
    json_writer_kv_text(w, "reason", r->reason_zh);
    json_writer_kv_text(w, "reason_en", r->reason_en);
    json_writer_key(w, "value");
    if (r->has_value)
        real_or_null(w, r->value);
    else
        json_writer_null(w);
    bool cmp = r->comparison != CMP_NONE;
    json_writer_kv_text(w, "comparison", cmp ? ITEM_COMPARISON_TEXT[r->comparison] : NULL);
    json_writer_key(w, "threshold");
    if (cmp)
        real_or_null(w, r->threshold);
    else
        json_writer_null(w);
    json_writer_kv_text(w, "threshold_key", r->threshold_key);
    json_writer_kv_text(w, "formula", r->formula);
    json_writer_kv_text(w, "formula_text", r->formula_text);
    json_writer_kv_text(w, "formula_key", r->formula_key);
    item_facts_json(w, r);
    json_writer_kv_str(w, "source", ITEM_SOURCE_KEYS[r->source]);
    status_json_kv_codes(w, "failing", (const char (*)[SCHOOL_CODE_LEN + 1])r->failing, r->n_failing);
    if (vi)
        status_json_write_item_overrides(w, vi, r->number);
    json_writer_object_end(w);
}

/* Every item in order: 1.1–5.6, then the province vetoes. */
static const item_result *verdict_item(const county_verdict *v, int k)
{
    return k < ITEM_COUNT ? &v->items[k] : &v->extra_vetoes[k - ITEM_COUNT];
}

/* status_json_write_verdict with the view's overrides on the items (vi may be NULL). */
static void write_verdict(json_writer *w, const county_verdict *v, int64_t inputs_revision, bool summary,
                          const status_view_info *vi)
{
    json_writer_kv_str(w, "verdict", VERDICT_KEYS[v->verdict]);
    json_writer_kv_str(w, "verdict_zh", VERDICT_NAMES_ZH[v->verdict]);
    json_writer_kv_text(w, "verdict_reason", v->reason_zh);
    json_writer_kv_text(w, "verdict_reason_en", v->reason_en);
    json_writer_key(w, "items_summary");
    json_writer_object_begin(w);
    json_writer_kv_int(w, "passing", v->items_passing);
    json_writer_kv_int(w, "failing", v->items_failing);
    json_writer_kv_int(w, "not_applicable", v->items_not_applicable);
    json_writer_kv_int(w, "pending", v->items_pending);
    json_writer_kv_int(w, "vetoes_present", v->vetoes_present);
    json_writer_kv_int(w, "vetoes_pending", v->vetoes_pending);
    json_writer_object_end(w);
    json_writer_key(w, "county_inputs_revision");
    if (inputs_revision > 0)
        json_writer_int(w, inputs_revision);
    else
        json_writer_null(w);
    const item_result *pending[ITEM_COUNT + RULES_EXTRA_VETO_MAX];
    size_t n = county_verdict_pending(v, pending, sizeof pending / sizeof pending[0]);
    json_writer_key(w, "awaiting_county_input");
    json_writer_array_begin(w);
    for (size_t k = 0; k < n && k < sizeof pending / sizeof pending[0]; k++)
        json_writer_string(w, pending[k]->key);
    json_writer_array_end(w);
    int total = ITEM_COUNT + v->n_extra_vetoes;
    if (summary) {
        json_writer_key(w, "item_outcomes");
        json_writer_object_begin(w);
        for (int k = 0; k < total; k++)
            json_writer_kv_str(w, verdict_item(v, k)->number, ITEM_OUTCOME_KEYS[verdict_item(v, k)->outcome]);
        json_writer_object_end(w);
        return;
    }
    json_writer_key(w, "items");
    json_writer_array_begin(w);
    for (int k = 0; k < total; k++)
        item_json(w, verdict_item(v, k), vi);
    json_writer_array_end(w);
}

void status_json_write_verdict(json_writer *w, const county_verdict *v, int64_t inputs_revision, bool summary)
{
    write_verdict(w, v, inputs_revision, summary, NULL);
}

/* "missing_schools": [{"code", "name"}] -- the missing schools with the
 * registry's names, in "missing"'s order (for reports that list them by name). */
static void missing_schools_json(json_writer *w, const county_status *st)
{
    json_writer_key(w, "missing_schools");
    json_writer_array_begin(w);
    for (size_t i = 0; i < st->n_missing; i++) {
        json_writer_object_begin(w);
        json_writer_kv_str(w, "code", st->missing[i]);
        json_writer_kv_str(w, "name", st->missing_names ? st->missing_names[i] : "");
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
}

/* The full object, or (summary) the history's form without the lists; vi
 * (may be NULL) adds the view's keys. */
static char *render(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                    const status_view_info *vi, uint64_t seq, const char *epoch, const char *computed_at,
                    bool summary)
{
    if (!st)
        return NULL;
    json_writer w;
    json_writer_init(&w);
    /* ~1 kB a section and ~10 kB besides: one allocation, no regrowth */
    json_writer_reserve(&w, (summary ? 8192 : 12288 + 1024 * st->n_sections) + (v && !summary ? 65536 : 0));
    json_writer_object_begin(&w);

    json_writer_key(&w, "county");
    json_writer_object_begin(&w);
    json_writer_kv_str(&w, "code", st->county.code);
    json_writer_kv_str(&w, "name", st->county.name);
    json_writer_kv_str(&w, "city_code", st->city_code);
    json_writer_object_end(&w);

    char period[16];
    snprintf(period, sizeof period, "%d", (int)st->period);
    json_writer_kv_str(&w, "period", period);
    if (vi)
        json_writer_kv_str(&w, "view", vi->view);
    json_writer_kv_int(&w, "seq", (int64_t)seq);
    json_writer_kv_str(&w, "epoch", epoch);
    json_writer_kv_str(&w, "computed_at", computed_at);
    json_writer_kv_str(&w, "rules_version", st->rules_version);

    json_writer_key(&w, "coverage");
    json_writer_object_begin(&w);
    json_writer_kv_int(&w, "schools_registered", st->schools_registered);
    json_writer_kv_int(&w, "schools_submitted", st->schools_submitted);
    if (!summary) {
        status_json_kv_codes(&w, "missing", (const char (*)[SCHOOL_CODE_LEN + 1])st->missing, st->n_missing);
        missing_schools_json(&w, st);
    }
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

    if (v) {
        write_verdict(&w, v, inputs_revision, summary, vi);
    } else {
        json_writer_key(&w, "awaiting_county_input");
        json_writer_array_begin(&w);
        for (size_t k = 0; k < AWAITING_COUNTY_INPUT_COUNT; k++)
            json_writer_string(&w, AWAITING_COUNTY_INPUT[k].key);
        json_writer_array_end(&w);
    }
    json_writer_kv_bool(&w, "resource_allocation_pass", st->resource_allocation_pass);
    if (vi && vi->review)
        status_json_write_review(&w, vi->review, summary);
    if (vi && vi->plan)
        plan_status_write_json(&w, vi->plan);

    json_writer_object_end(&w);
    return json_writer_take(&w);
}

char *status_json_render(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    return render(st, NULL, 0, NULL, seq, epoch, computed_at, false);
}

char *status_json_render_summary(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    return render(st, NULL, 0, NULL, seq, epoch, computed_at, true);
}

char *status_json_render_verdict(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                                 uint64_t seq, const char *epoch, const char *computed_at, bool summary)
{
    return render(st, v, inputs_revision, NULL, seq, epoch, computed_at, summary);
}

char *status_json_render_view(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                              const status_view_info *vi, uint64_t seq, const char *epoch, const char *computed_at,
                              bool summary)
{
    return render(st, v, inputs_revision, vi, seq, epoch, computed_at, summary);
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
