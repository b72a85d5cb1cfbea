/* plan_fetch.c -- the county's schools for `junheng plan` from the answer
 * of the daemon's what-if with with_schools: its "schools" read into
 * registry rows and submissions by the submission field table
 * (submission_fields.h). No I/O (tests/unit/test_plan_client.c). See plan_cli.h. */
#include <stdlib.h>
#include <string.h>

#include "plan_cli.h"

void plan_county_data_clear(plan_county_data *d)
{
    for (size_t i = 0; i < d->n; i++)
        submission_clear(&d->sub[i]);
    free(d->info);
    free(d->sub);
    free(d->entries);
    memset(d, 0, sizeof *d);
}

/* The field of `table` (n fields) called key, or NULL. */
static const field_desc *field_named(const field_desc *table, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

/* Stores a JSON value into field f of the record at base. 0, or -1 (wrong type, out of memory). */
static int set_field(char *base, const field_desc *f, json_t *v)
{
    if (f->type == FIELD_COUNT || f->type == FIELD_AMOUNT) {
        if (!json_is_number(v))
            return -1;
        if (f->type == FIELD_COUNT)
            *(int64_t *)(base + f->offset) = (int64_t)json_number_value(v);
        else
            *(double *)(base + f->offset) = json_number_value(v);
        return 0;
    }
    if (!json_is_array(v))
        return -1;
    size_t n = json_array_size(v);
    bool count = f->type == FIELD_COUNT_LIST;
    void *arr = n ? calloc(n, count ? sizeof(int64_t) : sizeof(double)) : NULL;
    if (n && !arr)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_number(e)) {
            free(arr);
            return -1;
        }
        if (count)
            ((int64_t *)arr)[i] = (int64_t)json_number_value(e);
        else
            ((double *)arr)[i] = json_number_value(e);
    }
    void **slot = (void **)(base + f->offset);
    free(*slot);
    *slot = arr;
    *(size_t *)(base + f->n_offset) = n;
    return 0;
}

/* Reads one school's "values" into sub (stages present when any of their columns is given). */
static int read_values(json_t *values, submission *sub, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
        if (json_is_null(v))
            continue;
        const field_desc *f = NULL;
        char *base = (char *)sub;
        for (int s = 0; s < STAGE_COUNT && !f; s++) {
            size_t plen = strlen(STAGE_KEYS[s]);
            if (strncmp(key, STAGE_KEYS[s], plen) == 0 && key[plen] == '_') {
                f = field_named(SUBMISSION_STAGE_DESC, SUBMISSION_STAGE_FIELD_COUNT, key + plen + 1);
                if (f) {
                    sub->stage[s].present = true;
                    base = (char *)&sub->stage[s];
                }
            }
        }
        if (!f)
            f = field_named(SUBMISSION_SCHOOL_DESC, SUBMISSION_SCHOOL_FIELD_COUNT, key);
        if (!f)
            continue;   /* a column this client does not know: the planner does not need it */
        if (set_field(base, f, v) != 0) {
            snprintf(err, errlen, "school %s: value of %s is not what the column holds", sub->school_code, key);
            return -1;
        }
    }
    return 0;
}

/* The kind named by text: its key ("nine_year") or its Chinese name; -1 if none. */
static int kind_of(const char *text)
{
    int k = school_kind_parse(text);
    for (int i = 0; k < 0 && i < KIND_COUNT; i++)
        if (strcmp(SCHOOL_KIND_NAMES_ZH[i], text) == 0)
            k = i;
    return k;
}

/* Reads school i of the answer into d. */
static int read_school(json_t *o, plan_county_data *d, size_t i, char *err, size_t errlen)
{
    const char *code = json_string_value(json_object_get(o, "school_code"));
    const char *name = json_string_value(json_object_get(o, "name"));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    json_t *values = json_object_get(o, "values");
    int k = kind ? kind_of(kind) : -1;
    bool values_ok = json_is_object(values) || json_is_null(values);
    if (!code || !code_is_digits(code, SCHOOL_CODE_LEN) || k < 0 || !values_ok) {
        snprintf(err, errlen, "school %zu of the answer lacks school_code, kind or values", i + 1);
        return -1;
    }
    school_info *info = &d->info[i];
    snprintf(info->school_code, sizeof info->school_code, "%s", code);
    snprintf(info->name, sizeof info->name, "%s", name ? name : "");
    snprintf(info->county_code, sizeof info->county_code, "%s", d->county.code);
    info->kind = (school_kind)k;
    info->active = true;
    info->is_public = true;
    submission *sub = &d->sub[i];
    snprintf(sub->school_code, sizeof sub->school_code, "%s", code);
    sub->period = d->period;
    d->entries[i].school = info;
    d->entries[i].sub = json_is_null(values) ? NULL : sub;   /* null: registered, not submitted */
    return json_is_null(values) ? 0 : read_values(values, sub, err, errlen);
}

int plan_county_from_json(json_t *answer, plan_county_data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    json_t *schools = json_object_get(answer, "schools");
    json_t *after = json_object_get(answer, "after");
    json_t *county = json_object_get(after, "county");
    const char *code = json_string_value(json_object_get(county, "code"));
    if (!json_is_array(schools) || !code) {
        snprintf(err, errlen, "the daemon's what-if answer has no schools or no after.county "
                              "(a daemon without what-if?)");
        return -1;
    }
    snprintf(d->county.code, sizeof d->county.code, "%s", code);
    const char *name = json_string_value(json_object_get(county, "name"));
    snprintf(d->county.name, sizeof d->county.name, "%s", name ? name : "");
    const char *period = json_string_value(json_object_get(after, "period"));
    d->period = period ? (int32_t)atoi(period) : (int32_t)json_integer_value(json_object_get(after, "period"));
    const char *rv = json_string_value(json_object_get(after, "rules_version"));
    snprintf(d->rules_version, sizeof d->rules_version, "%s", rv ? rv : "");
    size_t n = json_array_size(schools);
    d->info = calloc(n + 1, sizeof *d->info);
    d->sub = calloc(n + 1, sizeof *d->sub);
    d->entries = calloc(n + 1, sizeof *d->entries);
    if (!d->info || !d->sub || !d->entries) {
        plan_county_data_clear(d);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        d->n = i + 1;
        if (read_school(json_array_get(schools, i), d, i, err, errlen) != 0) {
            plan_county_data_clear(d);
            return -1;
        }
    }
    return 0;
}
