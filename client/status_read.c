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
