/* status_read.c -- county status JSON into plain structs. See status_read.h. */
#include "status_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A string member, or "" (never NULL; borrowed from o). */
static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A count member, also when written as a string ("2025"); 0 when absent. */
static long long count(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return atoll(json_string_value(v));
    return json_is_number(v) ? (long long)json_number_value(v) : 0;
}

/* A real member, or NAN when absent or null. */
static double real(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Whether a member is true. */
static bool truth(json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

/* The strings of an array (NULL for a non-string entry). Returns 0 or -1 (OOM). */
static int strings(json_t *list, const char ***out, size_t *n)
{
    *n = json_array_size(list);
    *out = NULL;
    if (*n == 0)
        return 0;
    if (!(*out = calloc(*n, sizeof **out)))
        return -1;
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = json_string_value(json_array_get(list, i));
    return 0;
}

/* See status_read.h: the largest cv / limit, an undefined coefficient first. */
static const status_indicator *worst_of(const status_stage *st)
{
    const status_indicator *worst = NULL;
    double worst_rel = -1;
    for (size_t i = 0; i < st->n_indicators; i++) {
        const status_indicator *ind = &st->indicators[i];
        double rel = isnan(ind->cv) ? INFINITY : ind->cv_limit > 0 ? ind->cv / ind->cv_limit : ind->cv;
        if (rel > worst_rel) {
            worst_rel = rel;
            worst = ind;
        }
    }
    return worst;
}

/* Reads one stage. Returns 0 or -1 (OOM). */
static int read_stage(status_stage *st, json_t *o)
{
    st->applicable = truth(o, "applicable");
    st->pass = truth(o, "pass");
    st->sections_assessed = count(o, "sections_assessed");
    st->sections_passing = count(o, "sections_passing");
    st->students = count(o, "students");
    json_t *list = json_object_get(o, "indicators");
    st->n_indicators = json_array_size(list);
    if (st->n_indicators && !(st->indicators = calloc(st->n_indicators, sizeof *st->indicators)))
        return -1;
    for (size_t i = 0; i < st->n_indicators; i++) {
        json_t *ind = json_array_get(list, i);
        st->indicators[i] = (status_indicator){ str(ind, "id"),       str(ind, "name_zh"),  real(ind, "mean"),
                                                real(ind, "standard"), real(ind, "cv"),      real(ind, "cv_limit"),
                                                truth(ind, "cv_ok"),   count(ind, "sections_meeting") };
    }
    st->worst = worst_of(st);
    return 0;
}

/* Reads one section. Returns 0 or -1 (OOM). */
static int read_section(status_section *sec, json_t *o)
{
    json_t *excluded = json_object_get(o, "excluded");
    sec->school_code = str(o, "school_code");
    sec->name = str(o, "name");
    sec->stage = str(o, "stage");
    sec->excluded = json_string_value(excluded);
    sec->excluded_present = excluded && !json_is_null(excluded);
    sec->pass = truth(o, "pass");
    sec->students = count(o, "students");
    sec->met = count(o, "met");
    json_t *values = json_object_get(o, "values");
    for (int k = 0; k < IND_COUNT; k++)
        sec->values[k] = real(values, INDICATORS[k].key);
    json_t *list = json_object_get(o, "shortfalls");
    sec->n_shortfalls = json_array_size(list);
    if (sec->n_shortfalls && !(sec->shortfalls = calloc(sec->n_shortfalls, sizeof *sec->shortfalls)))
        return -1;
    for (size_t j = 0; j < sec->n_shortfalls; j++) {
        json_t *sf = json_array_get(list, j);
        sec->shortfalls[j] = (status_shortfall){ str(sf, "indicator"), real(sf, "value"), real(sf, "standard"),
                                                 real(sf, "ratio"), real(sf, "needed") };
    }
    return 0;
}

/* Reads the guarantee object. Returns 0 or -1 (OOM). */
static int read_guarantee(status_county *s, json_t *items)
{
    s->n_guarantee = 0;
    size_t n = json_object_size(items);
    if (n == 0)
        return 0;
    if (!(s->guarantee = calloc(n, sizeof *s->guarantee)))
        return -1;
    const char *key;
    json_t *g;
    json_object_foreach(items, key, g)
    {
        status_guarantee *out = &s->guarantee[s->n_guarantee++];
        *out = (status_guarantee){ key, str(g, "unit"), truth(g, "pass"), count(g, "complying"),
                                   count(g, "applicable"), NULL, 0 };
        if (strings(json_object_get(g, "failing"), &out->failing, &out->n_failing) != 0)
            return -1;
    }
    return 0;
}

const char STATUS_NO_VERDICT_ZH[] = "状态中没有整体结论（守护进程版本较旧），仅资源配置不能判定达标";
const char STATUS_NO_VERDICT_EN[] =
    "the status carries no whole verdict (an older daemon); resource allocation alone does not decide it";

/* Reads one item of "items". Returns 0 or -1 (OOM). */
static int read_item(status_item *it, json_t *o)
{
    *it = (status_item){ str(o, "number"), str(o, "id"), str(o, "name_zh"), str(o, "part"), str(o, "part_zh"),
                         str(o, "outcome"), str(o, "outcome_zh"), str(o, "reason"), str(o, "reason_en"),
                         real(o, "value"), real(o, "threshold"), str(o, "comparison"), str(o, "threshold_key"),
                         str(o, "formula"), str(o, "formula_text"), str(o, "formula_key"), str(o, "source"),
                         NULL, 0, NULL, 0, json_object_get(o, "inputs"), json_object_get(o, "facts") };
    if (strings(json_object_get(o, "evidence"), &it->evidence, &it->n_evidence) != 0 ||
        strings(json_object_get(o, "failing"), &it->failing, &it->n_failing) != 0)
        return -1;
    return 0;
}

/* Reads the whole verdict: verdict, items_summary, items. Returns 0 or -1 (OOM). */
static int read_verdict(status_county *s, json_t *o)
{
    json_t *sum = json_object_get(o, "items_summary");
    const char *v = json_string_value(json_object_get(o, "verdict"));
    s->has_verdict = v != NULL;
    bool known = v && (!strcmp(v, "pass") || !strcmp(v, "fail") || !strcmp(v, "pending"));
    s->verdict = known ? v : "pending";
    s->verdict_zh = !strcmp(s->verdict, "pass") ? "达标" : !strcmp(s->verdict, "fail") ? "未达标" : "待定";
    s->verdict_reason = known ? str(o, "verdict_reason") : STATUS_NO_VERDICT_ZH;
    s->verdict_reason_en = known ? str(o, "verdict_reason_en") : STATUS_NO_VERDICT_EN;
    if (!known)
        s->has_verdict = false;
    s->summary = (status_items_summary){ count(sum, "passing"),        count(sum, "failing"),
                                         count(sum, "not_applicable"), count(sum, "pending"),
                                         count(sum, "vetoes_present"), count(sum, "vetoes_pending") };
    s->county_inputs_revision = count(o, "county_inputs_revision");
    json_t *list = json_object_get(o, "items");
    size_t n = json_array_size(list);
    if (n && !(s->items = calloc(n, sizeof *s->items)))
        return -1;
    for (size_t i = 0; i < n; i++, s->n_items++)
        if (read_item(&s->items[i], json_array_get(list, i)) != 0)
            return -1;
    return 0;
}

void status_verdict_text(const status_county *self, char *buf, size_t size)
{
    const status_items_summary *m = &self->summary;
    if (!self->has_verdict)
        snprintf(buf, size, "待定 (no whole verdict from the daemon)");
    else if (!strcmp(self->verdict, "pass"))
        snprintf(buf, size, "达标");
    else if (!strcmp(self->verdict, "fail"))
        snprintf(buf, size, "未达标 (failing %lld, pending %lld)", m->failing + m->vetoes_present,
                 m->pending + m->vetoes_pending);
    else
        snprintf(buf, size, "待定 (failing %lld, pending %lld)", m->failing + m->vetoes_present,
                 m->pending + m->vetoes_pending);
}

void status_item_value_text(const status_item *it, char *buf, size_t size)
{
    const char *cmp = it->comparison;
    const char *shown = !strcmp(cmp, ">=") ? "≥" : !strcmp(cmp, "<=") ? "≤" : cmp;
    if (isnan(it->value))
        snprintf(buf, size, "%s", "");
    else if (*shown && !isnan(it->threshold))
        snprintf(buf, size, "%.6g %s %.6g", it->value, shown, it->threshold);
    else
        snprintf(buf, size, "%.6g", it->value);
}

const status_item *status_item_find(const status_county *self, const char *number)
{
    for (size_t i = 0; i < self->n_items; i++)
        if (strcmp(self->items[i].number, number) == 0)
            return &self->items[i];
    return NULL;
}

/* Reads everything of a status but the sections and guarantee. Returns 0 or -1 (OOM). */
static int read_header(status_county *s, json_t *o)
{
    json_t *county = json_object_get(o, "county"), *cov = json_object_get(o, "coverage");
    s->code = str(county, "code");
    s->name = str(county, "name");
    s->city_code = str(county, "city_code");
    s->period = str(o, "period");
    s->period_number = count(o, "period");
    s->rules_version = str(o, "rules_version");
    s->computed_at = str(o, "computed_at");
    s->epoch = str(o, "epoch");
    s->seq = count(o, "seq");
    s->schools_submitted = count(cov, "schools_submitted");
    s->schools_registered = count(cov, "schools_registered");
    s->pass = truth(o, "resource_allocation_pass");
    if (strings(json_object_get(cov, "missing"), &s->missing, &s->n_missing) != 0 ||
        strings(json_object_get(o, "awaiting_county_input"), &s->awaiting, &s->n_awaiting) != 0)
        return -1;
    json_t *stages = json_object_get(o, "stages");
    for (int st = 0; st < STAGE_COUNT; st++)
        if (read_stage(&s->stage[st], json_object_get(stages, STAGE_KEYS[st])) != 0)
            return -1;
    return 0;
}

int status_county_read(status_county *out, json_t *status)
{
    memset(out, 0, sizeof *out);
    out->doc = json_incref(status);
    int rc = read_header(out, status);
    json_t *list = json_object_get(status, "sections");
    size_t n = json_array_size(list);
    if (rc == 0 && n && !(out->sections = calloc(n, sizeof *out->sections)))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < n; i++, out->n_sections++)
        rc = read_section(&out->sections[i], json_array_get(list, i));
    if (rc == 0)
        rc = read_guarantee(out, json_object_get(status, "guarantee"));
    if (rc == 0)
        rc = read_verdict(out, status);
    if (rc != 0)
        status_county_free(out);
    return rc;
}

void status_county_free(status_county *self)
{
    for (int st = 0; st < STAGE_COUNT; st++)
        free(self->stage[st].indicators);
    for (size_t i = 0; i < self->n_sections; i++)
        free(self->sections[i].shortfalls);
    free(self->sections);
    for (size_t i = 0; i < self->n_guarantee; i++)
        free(self->guarantee[i].failing);
    free(self->guarantee);
    for (size_t i = 0; i < self->n_items; i++) {
        free(self->items[i].evidence);
        free(self->items[i].failing);
    }
    free(self->items);
    free(self->missing);
    free(self->awaiting);
    json_decref(self->doc);
    memset(self, 0, sizeof *self);
}

int status_set_read(status_set *out, json_t *answer)
{
    memset(out, 0, sizeof *out);
    out->doc = json_incref(answer);
    out->prefix = str(answer, "prefix");
    out->epoch = str(answer, "epoch");
    json_t *list = json_object_get(answer, "counties");
    size_t n = json_array_size(list);
    if (n && !(out->counties = calloc(n, sizeof *out->counties))) {
        status_set_free(out);
        return -1;
    }
    for (size_t i = 0; i < n; i++, out->n_counties++)
        if (status_county_read(&out->counties[i], json_array_get(list, i)) != 0) {
            status_set_free(out);
            return -1;
        }
    const char *view = json_string_value(json_object_get(answer, "view"));
    if (!view)
        view = json_string_value(json_object_get(json_array_get(list, 0), "view"));
    out->view = view && strcmp(view, "official") == 0 ? "official" : "live";
    out->view_text = strcmp(out->view, "official") == 0 ? "正式 official" : "实时 live";
    return 0;
}

void status_set_free(status_set *self)
{
    for (size_t i = 0; i < self->n_counties; i++)
        status_county_free(&self->counties[i]);
    free(self->counties);
    json_decref(self->doc);
    memset(self, 0, sizeof *self);
}

const char *status_missing_name(const status_county *self, const char *code)
{
    json_t *list = json_object_get(json_object_get(self->doc, "coverage"), "missing_schools");
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        const char *c = json_string_value(json_object_get(entry, "code"));
        const char *name = json_string_value(json_object_get(entry, "name"));
        if (c && code && strcmp(c, code) == 0)
            return name ? name : "";
    }
    return "";
}
