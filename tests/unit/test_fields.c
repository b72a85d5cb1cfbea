/* test_fields.c -- the table of submission fields (common/submission_fields.h),
 * walked through its descriptors so that a field added to the table is tested
 * without touching this file:
 *   - every field, with a distinct non-trivial value and at its bounds, goes
 *     CSV (English, Chinese, Chinese with a separator after the stage) ->
 *     submission -> wire -> submission -> packed revision -> submission and
 *     comes back with the same bits;
 *   - the generated column lists match the descriptors;
 *   - validation accepts every field at its bounds and refuses it just
 *     outside them. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revision_pack.h"
#include "submission_csv.h"
#include "validate.h"
#include "wire.h"

#define CODE "3714020001"
#define PERIOD 2025
#define ID "0b6c3f1e-2a4d-4c5e-8f90-123456789abc"
#define LIST_LEN 3

/* Which values the fields get: distinct ordinary ones, each field at its
 * lower bound, each at its upper bound (a large value when it has none). */
typedef enum { TYPICAL, AT_MIN, AT_MAX, VARIANT_COUNT } variant;

/* Field number k (distinct across stages and tables) in a variant: a count
 * or one element of a list (element i). */
static int64_t count_value(const field_desc *f, variant v, int k, int i)
{
    if (v == AT_MIN)
        return (int64_t)f->min + (f->min_exclusive ? 1 : 0);
    if (v == AT_MAX)
        return f->max < 9.2e18 ? (int64_t)f->max : INT64_C(9007199254740993) + k; /* not a double */
    return f->type == FIELD_COUNT_LIST ? 30 + k + i : 11 + 3 * k;
}

static double amount_value(const field_desc *f, variant v, int k, int i)
{
    if (v == AT_MIN)
        return f->min + (f->min_exclusive ? 0.01 : 0);
    if (v == AT_MAX)
        return isfinite(f->max) ? f->max : 987654321.123 + k; /* packed raw, not as hundredths */
    return f->type == FIELD_AMOUNT_LIST ? 40.25 + k + i : (k + 1) / 3.0;
}

/* Sets field f of record to its value in variant v (lists: new arrays the
 * record owns). */
static void set_field(const field_desc *f, void *record, variant v, int k)
{
    char *at = (char *)record + f->offset;
    if (f->type == FIELD_COUNT) {
        int64_t x = count_value(f, v, k, 0);
        memcpy(at, &x, sizeof x);
    } else if (f->type == FIELD_AMOUNT) {
        double x = amount_value(f, v, k, 0);
        memcpy(at, &x, sizeof x);
    } else {
        size_t old_n;
        free(field_list(f, record, &old_n));
        void *a = malloc(LIST_LEN * field_elem_size(f));
        cr_assert_not_null(a);
        for (int i = 0; i < LIST_LEN; i++) {
            if (f->type == FIELD_COUNT_LIST)
                ((int64_t *)a)[i] = count_value(f, v, k, i);
            else
                ((double *)a)[i] = amount_value(f, v, k, i);
        }
        size_t n = LIST_LEN;
        memcpy(at, &a, sizeof a);
        memcpy((char *)record + f->n_offset, &n, sizeof n);
    }
}

/* Appends field f's cell (as its value in record) to buf at *len. */
static void put_cell(char *buf, size_t size, size_t *len, const field_desc *f, const void *record, const char *sep)
{
    const char *at = (const char *)record + f->offset;
    size_t n = 1;
    const void *a = at;
    if (field_is_list(f))
        a = field_list(f, record, &n);
    for (size_t i = 0; i < n; i++) {
        const char *s = i ? sep : "";
        if (f->type == FIELD_COUNT || f->type == FIELD_COUNT_LIST)
            *len += (size_t)snprintf(buf + *len, size - *len, "%s%" PRId64, s, ((const int64_t *)a)[i]);
        else
            *len += (size_t)snprintf(buf + *len, size - *len, "%s%.17g", s, ((const double *)a)[i]);
    }
    cr_assert_lt(*len, size);
}

/* The submission of a variant, built through the descriptors (caller clears). */
static submission expected_submission(variant v)
{
    submission s;
    memset(&s, 0, sizeof s);
    snprintf(s.submission_id, sizeof s.submission_id, "%s", ID);
    snprintf(s.school_code, sizeof s.school_code, "%s", CODE);
    s.period = PERIOD;
    int k = 0;
    for (int st = 0; st < STAGE_COUNT; st++) {
        s.stage[st].present = true;
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++)
            set_field(&SUBMISSION_STAGE_DESC[i], &s.stage[st], v, k++);
    }
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++)
        set_field(&SUBMISSION_SCHOOL_DESC[i], &s, v, k++);
    return s;
}

/* Asserts that got has every field of want, naming the first that differs. */
static void assert_same(const submission *want, const submission *got, const char *step)
{
    cr_assert_str_eq(got->school_code, want->school_code, "%s: school_code", step);
    cr_assert_eq(got->period, want->period, "%s: period", step);
    for (int st = 0; st < STAGE_COUNT; st++) {
        cr_assert_eq(got->stage[st].present, want->stage[st].present, "%s: %s present", step, STAGE_KEYS[st]);
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++)
            cr_assert(field_all_equal(&SUBMISSION_STAGE_DESC[i], 1, &want->stage[st], &got->stage[st]), "%s: %s_%s",
                      step, STAGE_KEYS[st], SUBMISSION_STAGE_DESC[i].key);
    }
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++)
        cr_assert(field_all_equal(&SUBMISSION_SCHOOL_DESC[i], 1, want, got), "%s: %s", step,
                  SUBMISSION_SCHOOL_DESC[i].key);
    cr_assert(submission_equal(want, got), "%s: submission_equal", step);
}

/* Header styles: English in upper case, Chinese, Chinese with a separator
 * after the stage name. */
enum { HEAD_EN, HEAD_ZH, HEAD_ZH_SEP, HEAD_COUNT };

/* Appends the heading of a data field (stage st, or -1) in a style. */
static void put_heading(char *buf, size_t size, size_t *len, const field_desc *f, int st, int style)
{
    char h[256];
    if (style == HEAD_EN) {
        snprintf(h, sizeof h, "%s%s%s", st >= 0 ? STAGE_KEYS[st] : "", st >= 0 ? "_" : "", f->key);
        for (char *p = h; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
    } else {
        snprintf(h, sizeof h, "%s%s%s", st >= 0 ? STAGE_NAMES_ZH[st] : "", st >= 0 && style == HEAD_ZH_SEP ? "－" : "",
                 f->label_zh);
    }
    *len += (size_t)snprintf(buf + *len, size - *len, ",%s", h);
}

/* Writes the CSV of submission s (every column) with headings in a style. */
static size_t write_csv(char *buf, size_t size, const submission *s, int style)
{
    size_t len = (size_t)snprintf(buf, size, "%s", style == HEAD_EN ? "school_code,period" : "学校标识码,学年");
    for (int st = 0; st < STAGE_COUNT; st++)
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++)
            put_heading(buf, size, &len, &SUBMISSION_STAGE_DESC[i], st, style);
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++)
        put_heading(buf, size, &len, &SUBMISSION_SCHOOL_DESC[i], -1, style);
    const char *sep = style == HEAD_EN ? ";" : "；";
    len += (size_t)snprintf(buf + len, size - len, "\n%s,%d", s->school_code, (int)s->period);
    for (int st = 0; st < STAGE_COUNT; st++)
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++) {
            len += (size_t)snprintf(buf + len, size - len, ",");
            put_cell(buf, size, &len, &SUBMISSION_STAGE_DESC[i], &s->stage[st], sep);
        }
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++) {
        len += (size_t)snprintf(buf + len, size - len, ",");
        put_cell(buf, size, &len, &SUBMISSION_SCHOOL_DESC[i], s, sep);
    }
    len += (size_t)snprintf(buf + len, size - len, "\n");
    cr_assert_lt(len, size);
    return len;
}

/* Packs s for the holder (code, period) and unpacks it into *out. */
static void pack_round_trip(const submission *s, const char *code, int32_t period, submission *out)
{
    uint8_t *buf = malloc(revision_pack_bound(s));
    cr_assert_not_null(buf);
    size_t len = revision_pack(s, code, period, buf);
    cr_assert_leq(len, revision_pack_bound(s));
    cr_assert_eq(revision_unpack(buf, len, code, period, out), 0);
    free(buf);
}

Test(fields, every_field_round_trips_csv_wire_and_packed)
{
    for (int v = 0; v < VARIANT_COUNT; v++) {
        submission want = expected_submission((variant)v);
        for (int style = 0; style < HEAD_COUNT; style++) {
            char csv[8192];
            size_t len = write_csv(csv, sizeof csv, &want, style);
            submission_file *file = NULL;
            problem_list file_errors = { 0 };
            cr_assert_eq(submission_file_read(csv, len, &file, &file_errors), 0, "variant %d style %d: %s", v, style,
                         file_errors.count ? file_errors.items[0].reason : "");
            cr_assert_eq(file->n_rows, 1);
            submission_row *row = &file->rows[0];
            cr_assert_eq(row->errors.count, 0, "variant %d style %d: %s: %s", v, style,
                         row->errors.count ? row->errors.items[0].field : "",
                         row->errors.count ? row->errors.items[0].reason : "");
            submission from_csv = row->sub;
            snprintf(from_csv.submission_id, sizeof from_csv.submission_id, "%s", ID);
            assert_same(&want, &from_csv, "csv");

            uint8_t *bytes;
            size_t n;
            submission from_wire, from_pack, moved, copy;
            cr_assert_eq(wire_submission_pack(&from_csv, &bytes, &n), 0);
            cr_assert_eq(wire_submission_unpack(bytes, n, &from_wire), 0);
            free(bytes);
            assert_same(&want, &from_wire, "wire");
            cr_assert_str_eq(from_wire.submission_id, ID);

            pack_round_trip(&from_wire, CODE, PERIOD, &from_pack);
            assert_same(&want, &from_pack, "packed");
            cr_assert_str_eq(from_pack.submission_id, ID);
            pack_round_trip(&from_pack, "3714020002", PERIOD - 1, &moved);
            assert_same(&want, &moved, "packed for another holder");

            cr_assert_eq(submission_copy(&copy, &moved), 0);
            assert_same(&want, &copy, "copy");

            submission_clear(&copy);
            submission_clear(&moved);
            submission_clear(&from_pack);
            submission_clear(&from_wire);
            submission_file_destroy(&file);
        }
        submission_clear(&want);
    }
}

Test(fields, column_lists_follow_the_table)
{
    int col = 2;
    char en[128], zh[256];
    for (int st = 0; st < STAGE_COUNT; st++)
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++, col++) {
            const field_desc *f = &SUBMISSION_STAGE_DESC[i];
            snprintf(en, sizeof en, "%s_%s", STAGE_KEYS[st], f->key);
            snprintf(zh, sizeof zh, "%s%s", STAGE_NAMES_ZH[st], f->label_zh);
            cr_assert_str_eq(SUBMISSION_COLUMNS[col], en);
            cr_assert_str_eq(SUBMISSION_COLUMNS_ZH[col], zh);
            cr_assert_eq(submission_column_find(en), col);
            cr_assert_eq(submission_column_find(zh), col);
        }
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++, col++) {
        cr_assert_str_eq(SUBMISSION_COLUMNS[col], SUBMISSION_SCHOOL_DESC[i].key);
        cr_assert_str_eq(SUBMISSION_COLUMNS_ZH[col], SUBMISSION_SCHOOL_DESC[i].label_zh);
        cr_assert_eq(submission_column_find(SUBMISSION_SCHOOL_DESC[i].label_zh), col);
    }
    cr_assert_null(SUBMISSION_COLUMNS[col]);
    cr_assert_null(SUBMISSION_COLUMNS_ZH[col]);
}

/* Whether a problem is about a value's own bounds (not a rule between
 * fields such as "exceeds" or "add up"). */
static bool bound_problem(const char *reason)
{
    static const char *const words[] = { "is negative", "is below", "is over", "is not above", "not a finite number",
                                         "has at least", "has more than", "is larger than", ", over " };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(reason, words[i]))
            return true;
    return false;
}

/* How many bound problems validation finds in column `name` of s. */
static size_t bound_problems(const submission *s, const char *name)
{
    validate_limits limits = { 2015, 2030 };
    problem_list errors = { 0 }, warnings = { 0 };
    validate_submission(s, NULL, NULL, &limits, &errors, &warnings);
    size_t n = 0;
    for (size_t i = 0; i < errors.count; i++)
        if (strcmp(errors.items[i].field, name) == 0 && bound_problem(errors.items[i].reason))
            n++;
    problem_list_clear(&errors);
    problem_list_clear(&warnings);
    return n;
}

/* Sets the value (lists: the first element) of field f in record just
 * outside its lower bound. */
static void set_below_min(const field_desc *f, void *record)
{
    size_t n;
    void *at = field_is_list(f) ? field_list(f, record, &n) : (char *)record + f->offset;
    if (f->type == FIELD_COUNT || f->type == FIELD_COUNT_LIST) {
        int64_t x = (int64_t)f->min - (f->min_exclusive ? 0 : 1);
        memcpy(at, &x, sizeof x);
    } else {
        double x = f->min - (f->min_exclusive ? 0 : 0.5);
        memcpy(at, &x, sizeof x);
    }
}

/* Checks field f (named `name`) of record, part of s: no bound problem at
 * either bound, one just below the lower bound and just above a finite upper
 * bound. */
static void check_bounds(const field_desc *f, void *record, submission *s, const char *name)
{
    set_field(f, record, AT_MIN, 0);
    cr_assert_eq(bound_problems(s, name), 0, "%s at its lower bound", name);
    set_below_min(f, record);
    cr_assert_gt(bound_problems(s, name), 0, "%s below its lower bound", name);
    set_field(f, record, AT_MAX, 0);
    cr_assert_eq(bound_problems(s, name), 0, "%s at its upper bound", name);
    if (isfinite(f->max)) {
        size_t n;
        void *at = field_is_list(f) ? field_list(f, record, &n) : (char *)record + f->offset;
        if (f->type == FIELD_COUNT || f->type == FIELD_COUNT_LIST) {
            int64_t x = (int64_t)f->max + 1;
            memcpy(at, &x, sizeof x);
        } else {
            double x = f->max + 0.01;
            memcpy(at, &x, sizeof x);
        }
        cr_assert_gt(bound_problems(s, name), 0, "%s above its upper bound", name);
    }
}

Test(fields, validation_enforces_the_bounds_of_the_table)
{
    submission s = expected_submission(TYPICAL);
    char name[128];
    for (int st = 0; st < STAGE_COUNT; st++)
        for (int i = 0; i < SUBMISSION_STAGE_FIELD_COUNT; i++) {
            const field_desc *f = &SUBMISSION_STAGE_DESC[i];
            snprintf(name, sizeof name, "%s_%s", STAGE_KEYS[st], f->key);
            check_bounds(f, &s.stage[st], &s, name);
        }
    for (int i = 0; i < SUBMISSION_SCHOOL_FIELD_COUNT; i++)
        check_bounds(&SUBMISSION_SCHOOL_DESC[i], &s, &s, SUBMISSION_SCHOOL_DESC[i].key);
    submission_clear(&s);
}
