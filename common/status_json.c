/* status_json.c -- county_status as JSON. See status_json.h and
 * shared/spec/status-json.md (the required fields; a few are added: kind,
 * unit, name_zh of guarantee items, the exchange totals). */
#include "status_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Build context: the first allocation failure sticks. */
typedef struct {
    int oom;
} ctx;

/* Sets obj[key] = val (stealing val); records a failure. */
static void put(ctx *c, json_t *obj, const char *key, json_t *val)
{
    if (!obj || !val || json_object_set_new(obj, key, val) != 0) {
        if (!obj)
            json_decref(val);
        c->oom = 1;
    }
}

/* Appends val to arr (stealing val); records a failure. */
static void push(ctx *c, json_t *arr, json_t *val)
{
    if (!arr || !val || json_array_append_new(arr, val) != 0) {
        if (!arr)
            json_decref(val);
        c->oom = 1;
    }
}

/* A real, or null when it is undefined (NaN, ±inf). */
static json_t *real_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* A JSON string of text that should be UTF-8; bytes that are not (a name
 * cut mid-character by a fixed-size field) become '?'. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        copy[i] = (unsigned char)s[i] >= 0x80 ? '?' : s[i];
    j = json_string(copy);
    free(copy);
    return j;
}

/* A string, or null for NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? text(s) : json_null();
}

/* A JSON array of school codes. */
static json_t *code_list(ctx *c, const char (*codes)[SCHOOL_CODE_LEN + 1], size_t n)
{
    json_t *arr = json_array();
    for (size_t j = 0; j < n; j++)
        push(c, arr, json_string(codes[j]));
    return arr;
}

/* One entry of a stage's "indicators" array. */
static json_t *indicator_json(ctx *c, const indicator_status *ind, int i)
{
    json_t *o = json_object();
    put(c, o, "id", json_string(INDICATORS[i].key));
    put(c, o, "name_zh", json_string(INDICATORS[i].name_zh));
    put(c, o, "standard", json_real(ind->standard));
    put(c, o, "mean", real_or_null(ind->mean));
    put(c, o, "cv", ind->cv_defined ? real_or_null(ind->cv) : json_null());
    put(c, o, "cv_limit", json_real(ind->cv_limit));
    put(c, o, "cv_ok", json_boolean(ind->cv_ok));
    put(c, o, "sections_meeting", json_integer(ind->sections_meeting));
    json_t *top = json_array();
    for (int k = 0; k < ind->n_top; k++) {
        json_t *t = json_object();
        put(c, t, "school_code", json_string(ind->top[k].school_code));
        put(c, t, "share", real_or_null(ind->top[k].share));
        push(c, top, t);
    }
    put(c, o, "top_contributors", top);
    return o;
}

/* One stage object of "stages". */
static json_t *stage_json(ctx *c, const stage_status *ss)
{
    json_t *o = json_object();
    put(c, o, "applicable", json_boolean(ss->applicable));
    put(c, o, "sections_assessed", json_integer(ss->sections_assessed));
    put(c, o, "students", json_integer(ss->students));
    json_t *inds = json_array();
    for (int i = 0; i < IND_COUNT; i++)
        push(c, inds, indicator_json(c, &ss->ind[i], i));
    put(c, o, "indicators", inds);
    put(c, o, "sections_passing", json_integer(ss->sections_passing));
    put(c, o, "pass", json_boolean(ss->pass));
    return o;
}

/* One entry of "sections". */
static json_t *section_json(ctx *c, const section_status *sec)
{
    bool included = sec->excluded == EXCL_NONE;
    json_t *o = json_object();
    put(c, o, "school_code", json_string(sec->school_code));
    put(c, o, "name", text(sec->name));
    put(c, o, "kind", json_string(SCHOOL_KIND_KEYS[sec->kind]));
    put(c, o, "stage", json_string(STAGE_KEYS[sec->stage]));
    put(c, o, "students", json_integer(sec->students));
    put(c, o, "excluded", included ? json_null() : json_string(sec->excluded_reason));
    json_t *vals = json_object();
    for (int i = 0; i < IND_COUNT; i++)
        put(c, vals, INDICATORS[i].key, real_or_null(sec->value[i]));
    put(c, o, "values", vals);
    put(c, o, "met", included ? json_integer(sec->met) : json_null());
    put(c, o, "pass", json_boolean(included && sec->pass));
    json_t *sfs = json_array();
    for (int k = 0; k < sec->n_shortfalls; k++) {
        const shortfall *sf = &sec->shortfalls[k];
        json_t *s = json_object();
        put(c, s, "indicator", json_string(INDICATORS[sf->indicator].key));
        put(c, s, "value", real_or_null(sf->value));
        put(c, s, "standard", json_real(sf->standard));
        put(c, s, "ratio", real_or_null(sf->ratio));
        put(c, s, "needed", real_or_null(sf->needed));
        put(c, s, "unit", json_string(INDICATORS[sf->indicator].resource_unit));
        push(c, sfs, s);
    }
    put(c, o, "shortfalls", sfs);
    return o;
}

/* One item of "guarantee". */
static json_t *guarantee_json(ctx *c, const county_status *st, int g)
{
    const guarantee_status *gs = &st->guarantee[g];
    json_t *o = json_object();
    put(c, o, "name_zh", json_string(GUARANTEES[g].name_zh));
    put(c, o, "pass", json_boolean(gs->pass));
    put(c, o, "unit", json_string(GUARANTEE_UNIT_KEYS[gs->unit]));
    put(c, o, "complying", json_integer(gs->complying));
    put(c, o, "applicable", json_integer(gs->applicable));
    put(c, o, "failing", code_list(c, (const char (*)[SCHOOL_CODE_LEN + 1])gs->failing, gs->n_failing));
    if (gs->unit == GUNIT_CLASSES) {
        put(c, o, "schools_complying", json_integer(gs->schools_complying));
        put(c, o, "schools_applicable", json_integer(gs->schools_applicable));
    }
    if (g == GUAR_TEACHER_EXCHANGE) {
        const exchange_totals *t = &st->exchange;
        put(c, o, "eligible", json_integer(t->eligible));
        put(c, o, "exchanged", json_integer(t->exchanged));
        put(c, o, "exchanged_backbone", json_integer(t->exchanged_backbone));
        put(c, o, "exchange_ratio",
            t->eligible > 0 ? json_real((double)t->exchanged / (double)t->eligible) : json_null());
        put(c, o, "backbone_ratio",
            t->exchanged > 0 ? json_real((double)t->exchanged_backbone / (double)t->exchanged) : json_null());
    }
    return o;
}

json_t *status_json_build(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    if (!st)
        return NULL;
    ctx c = { 0 };
    json_t *root = json_object();

    json_t *county = json_object();
    put(&c, county, "code", json_string(st->county.code));
    put(&c, county, "name", text(st->county.name));
    put(&c, county, "city_code", json_string(st->city_code));
    put(&c, root, "county", county);

    char period[16];
    snprintf(period, sizeof period, "%d", (int)st->period);
    put(&c, root, "period", json_string(period));
    put(&c, root, "seq", json_integer((json_int_t)seq));
    put(&c, root, "epoch", str_or_null(epoch));
    put(&c, root, "computed_at", str_or_null(computed_at));
    put(&c, root, "rules_version", json_string(st->rules_version));

    json_t *cov = json_object();
    put(&c, cov, "schools_registered", json_integer(st->schools_registered));
    put(&c, cov, "schools_submitted", json_integer(st->schools_submitted));
    put(&c, cov, "missing", code_list(&c, (const char (*)[SCHOOL_CODE_LEN + 1])st->missing, st->n_missing));
    put(&c, root, "coverage", cov);

    json_t *stages = json_object();
    for (int s = 0; s < STAGE_COUNT; s++)
        put(&c, stages, STAGE_KEYS[s], stage_json(&c, &st->stage[s]));
    put(&c, root, "stages", stages);

    json_t *secs = json_array();
    for (size_t j = 0; j < st->n_sections; j++)
        push(&c, secs, section_json(&c, &st->sections[j]));
    put(&c, root, "sections", secs);

    json_t *guar = json_object();
    for (int g = 0; g < GUAR_COUNT; g++)
        put(&c, guar, GUARANTEES[g].key, guarantee_json(&c, st, g));
    put(&c, root, "guarantee", guar);

    json_t *awaiting = json_array();
    for (size_t k = 0; k < AWAITING_COUNTY_INPUT_COUNT; k++)
        push(&c, awaiting, json_string(AWAITING_COUNTY_INPUT[k].key));
    put(&c, root, "awaiting_county_input", awaiting);
    put(&c, root, "resource_allocation_pass", json_boolean(st->resource_allocation_pass));

    if (c.oom || !root) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- rendering ------------------------------------------------------------
 * jansson prints every real with 17 significant digits (4.2 comes out as
 * 4.2000000000000002). The text here is for people too, so reals are
 * written in the shortest form that reads back to the same double, always
 * with a '.' or an exponent so that they stay reals for a JSON reader. */

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} outbuf;

/* Appends n bytes; records a failure. */
static void out_put(outbuf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (o->len + n + 1 > cap)
            cap *= 2;
        char *b = realloc(o->buf, cap);
        if (!b) {
            o->oom = 1;
            return;
        }
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void out_str(outbuf *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* The shortest decimal text of a finite x that strtod reads back as x. */
static void shortest_real(double x, char *buf, size_t size)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';             /* a locale's decimal comma */
    if (!strpbrk(buf, ".eE")) {
        size_t n = strlen(buf);
        if (n + 3 <= size)
            memcpy(buf + n, ".0", 3);
    }
}

/* Writes one JSON value (compact). */
static void out_value(outbuf *o, json_t *v)
{
    char num[40];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        int first = 1;
        out_put(o, "{", 1);
        json_object_foreach(v, key, val) {
            if (!first)
                out_put(o, ",", 1);
            first = 0;
            json_t *k = json_string(key);
            char *ks = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
            json_decref(k);
            if (!ks) {
                o->oom = 1;
                return;
            }
            out_str(o, ks);
            free(ks);
            out_put(o, ":", 1);
            out_value(o, val);
        }
        out_put(o, "}", 1);
        break;
    }
    case JSON_ARRAY:
        out_put(o, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                out_put(o, ",", 1);
            out_value(o, json_array_get(v, i));
        }
        out_put(o, "]", 1);
        break;
    case JSON_REAL:
        if (isfinite(json_real_value(v))) {
            shortest_real(json_real_value(v), num, sizeof num);
            out_str(o, num);
        } else {
            out_str(o, "null");
        }
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        out_str(o, num);
        break;
    default: {
        char *t = json_dumps(v, JSON_ENCODE_ANY);   /* strings (escaped), true, false, null */
        if (!t) {
            o->oom = 1;
            return;
        }
        out_str(o, t);
        free(t);
        break;
    }
    }
}

char *status_json_render(const county_status *st, uint64_t seq, const char *epoch, const char *computed_at)
{
    json_t *root = status_json_build(st, seq, epoch, computed_at);
    if (!root)
        return NULL;
    outbuf o = { 0 };
    out_value(&o, root);
    json_decref(root);
    if (o.oom || !o.buf) {
        free(o.buf);
        return NULL;
    }
    return o.buf;
}
