/* whatif.c -- a what-if's changes to a submission and the difference of two
 * statuses. See whatif.h. */
#include "whatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#include "submission_csv.h"

/* Where column col's value lives in sub (stage or whole school); its field in *f. */
static char *column_base(submission *sub, int col, const field_desc **f, int *stage)
{
    *f = submission_column_field(col, stage);
    if (!*f)
        return NULL;
    return *stage >= 0 ? (char *)&sub->stage[*stage] : (char *)sub;
}

/* Adds the delta read into scratch (column col) to sub's value. Returns 0,
 * or -1 (out of memory: a list's longer array). */
static int add_delta(submission *sub, const submission *scratch, int col, int sign)
{
    const field_desc *f;
    int stage;
    char *to = column_base(sub, col, &f, &stage);
    const char *from = column_base((submission *)scratch, col, &f, &stage);
    if (f->type == FIELD_COUNT) {
        int64_t a, d;
        memcpy(&a, to + f->offset, sizeof a);
        memcpy(&d, from + f->offset, sizeof d);
        a += sign * d;
        memcpy(to + f->offset, &a, sizeof a);
        return 0;
    }
    if (f->type == FIELD_AMOUNT) {
        double a, d;
        memcpy(&a, to + f->offset, sizeof a);
        memcpy(&d, from + f->offset, sizeof d);
        a += sign * d;
        memcpy(to + f->offset, &a, sizeof a);
        return 0;
    }
    size_t n_old, n_add, size = field_elem_size(f);
    char *old = field_list(f, to, &n_old);
    const char *add = field_list(f, from, &n_add);
    if (n_add == 0)
        return 0;
    char *grown = realloc(old, (n_old + n_add) * size);
    if (!grown)
        return -1;
    memcpy(grown + n_old * size, add, n_add * size);
    size_t n_new = n_old + n_add;
    memcpy(to + f->offset, &grown, sizeof grown);
    memcpy(to + f->n_offset, &n_new, sizeof n_new);
    return 0;
}

int whatif_apply(submission *sub, const char *field, const char *value, int *col, char *why, size_t n)
{
    const field_desc *f;
    int stage;
    int c = field ? submission_column_find(field) : -1;
    if (c < 0 || !submission_column_field(c, &stage)) {
        snprintf(why, n, _("'%.64s' is not a submission column id (docs/formats.md §1)"), field ? field : "");
        return -1;
    }
    f = submission_column_field(c, &stage);
    const char *v = value ? value : "";
    int sign = *v == '+' ? 1 : *v == '-' ? -1 : 0;
    if (sign < 0 && field_is_list(f)) {
        snprintf(why, n, _("a list is set (\"45;45\") or grown (\"+45\"), not reduced with '-'"));
        return -1;
    }
    if (sign != 0 && v[1] == '\0') {
        snprintf(why, n, _("'%s' has no number after the sign"), v);
        return -1;
    }
    if (sign == 0) {
        submission tmp;
        if (submission_copy(&tmp, sub) != 0) {
            snprintf(why, n, "%s", _("out of memory"));
            return -1;
        }
        if (submission_cell_read(&tmp, c, v, why, n) != 0) {
            submission_clear(&tmp);
            return -1;
        }
        submission_clear(sub);
        *sub = tmp;
    } else {
        submission scratch;
        memset(&scratch, 0, sizeof scratch);
        int rc = submission_cell_read(&scratch, c, v + 1, why, n);
        if (rc == 0 && add_delta(sub, &scratch, c, sign) != 0) {
            snprintf(why, n, "%s", _("out of memory"));
            rc = -1;
        }
        submission_clear(&scratch);
        if (rc != 0)
            return -1;
    }
    if (stage >= 0)
        sub->stage[stage].present = true;
    *col = c;
    return 0;
}

/* Writes one element (index i) of a count or amount array. */
static void write_number(json_writer *w, const field_desc *f, const char *p)
{
    if (f->type == FIELD_COUNT || f->type == FIELD_COUNT_LIST) {
        int64_t v;
        memcpy(&v, p, sizeof v);
        json_writer_int(w, v);
    } else {
        double v;
        memcpy(&v, p, sizeof v);
        json_writer_real(w, v);
    }
}

void whatif_write_value(json_writer *w, const submission *sub, int col)
{
    const field_desc *f;
    int stage;
    const char *base = column_base((submission *)sub, col, &f, &stage);
    if (!base) {
        json_writer_null(w);
        return;
    }
    if (!field_is_list(f)) {
        write_number(w, f, base + f->offset);
        return;
    }
    size_t count, size = field_elem_size(f);
    const char *a = field_list(f, base, &count);
    json_writer_array_begin(w);
    for (size_t i = 0; i < count; i++)
        write_number(w, f, a + i * size);
    json_writer_array_end(w);
}

void whatif_write_values(json_writer *w, const submission *sub)
{
    json_writer_object_begin(w);
    for (int col = 0; SUBMISSION_COLUMNS[col]; col++) {
        int stage;
        if (!submission_column_field(col, &stage) || (stage >= 0 && !sub->stage[stage].present))
            continue;
        json_writer_key(w, SUBMISSION_COLUMNS[col]);
        whatif_write_value(w, sub, col);
    }
    json_writer_object_end(w);
}

const char *whatif_section_state(const section_status *sec)
{
    if (!sec)
        return "absent";
    if (sec->excluded != EXCL_NONE)
        return "excluded";
    return sec->pass ? "pass" : "fail";
}

/* Order of two sections: by school code, then stage (the status's order). */
static int section_cmp(const section_status *x, const section_status *y)
{
    int c = strcmp(x->school_code, y->school_code);
    return c ? c : (int)x->stage - (int)y->stage;
}

/* Writes one flipped section. */
static void write_flip(json_writer *w, const section_status *ref, const section_status *b, const section_status *a)
{
    json_writer_object_begin(w);
    json_writer_kv_str(w, "school_code", ref->school_code);
    json_writer_kv_str(w, "stage", STAGE_KEYS[ref->stage]);
    json_writer_kv_str(w, "before", whatif_section_state(b));
    json_writer_kv_str(w, "after", whatif_section_state(a));
    json_writer_object_end(w);
}

/* "sections_flipped": both lists are sorted by code then stage: one merge walk. */
static void write_sections(json_writer *w, const county_status *b, const county_status *a)
{
    json_writer_key(w, "sections_flipped");
    json_writer_array_begin(w);
    size_t i = 0, j = 0;
    while (i < b->n_sections || j < a->n_sections) {
        const section_status *x = i < b->n_sections ? &b->sections[i] : NULL;
        const section_status *y = j < a->n_sections ? &a->sections[j] : NULL;
        int c = !x ? 1 : !y ? -1 : section_cmp(x, y);
        if (c < 0) {
            write_flip(w, x, x, NULL);
            i++;
        } else if (c > 0) {
            write_flip(w, y, NULL, y);
            j++;
        } else {
            if (strcmp(whatif_section_state(x), whatif_section_state(y)) != 0)
                write_flip(w, x, x, y);
            i++;
            j++;
        }
    }
    json_writer_array_end(w);
}

/* A coefficient, or null when undefined. */
static void write_cv(json_writer *w, const char *key, const indicator_status *ind, bool applicable)
{
    json_writer_key(w, key);
    if (applicable && ind->cv_defined)
        json_writer_real(w, ind->cv);
    else
        json_writer_null(w);
}

/* "coefficients": every indicator of a stage applicable before or after. */
static void write_coefficients(json_writer *w, const county_status *b, const county_status *a)
{
    json_writer_key(w, "coefficients");
    json_writer_array_begin(w);
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_status *sb = &b->stage[s], *sa = &a->stage[s];
        if (!sb->applicable && !sa->applicable)
            continue;
        for (int i = 0; i < IND_COUNT; i++) {
            json_writer_object_begin(w);
            json_writer_kv_str(w, "stage", STAGE_KEYS[s]);
            json_writer_kv_str(w, "indicator", INDICATORS[i].key);
            write_cv(w, "before", &sb->ind[i], sb->applicable);
            write_cv(w, "after", &sa->ind[i], sa->applicable);
            json_writer_key(w, "limit");
            json_writer_real(w, sa->applicable ? sa->ind[i].cv_limit : sb->ind[i].cv_limit);
            json_writer_kv_bool(w, "within_before", sb->applicable && sb->ind[i].cv_ok);
            json_writer_kv_bool(w, "within_after", sa->applicable && sa->ind[i].cv_ok);
            json_writer_object_end(w);
        }
    }
    json_writer_array_end(w);
}

/* One item whose outcome changed. */
static void write_item(json_writer *w, const item_result *b, const item_result *a)
{
    if (b->outcome == a->outcome)
        return;
    json_writer_object_begin(w);
    json_writer_kv_str(w, "item", a->number);
    json_writer_kv_str(w, "key", a->key);
    json_writer_kv_str(w, "before", ITEM_OUTCOME_KEYS[b->outcome]);
    json_writer_kv_str(w, "after", ITEM_OUTCOME_KEYS[a->outcome]);
    json_writer_object_end(w);
}

void whatif_write_diff(json_writer *w, const county_status *b, const county_verdict *bv, const county_status *a,
                       const county_verdict *av)
{
    json_writer_object_begin(w);
    json_writer_key(w, "verdict");
    json_writer_object_begin(w);
    json_writer_kv_str(w, "before", VERDICT_KEYS[bv->verdict]);
    json_writer_kv_str(w, "after", VERDICT_KEYS[av->verdict]);
    json_writer_object_end(w);
    write_sections(w, b, a);
    write_coefficients(w, b, a);
    json_writer_key(w, "items_changed");
    json_writer_array_begin(w);
    for (int i = 0; i < ITEM_COUNT; i++)
        write_item(w, &bv->items[i], &av->items[i]);
    for (int i = 0; i < bv->n_extra_vetoes && i < av->n_extra_vetoes; i++)
        write_item(w, &bv->extra_vetoes[i], &av->extra_vetoes[i]);
    json_writer_array_end(w);
    json_writer_object_end(w);
}
