/* submission_csv.c -- school submission CSV to submission structs. See
 * submission_csv.h; the registry readers are in registry_csv.c.
 *
 * The columns are the identity columns (school_code, period) and the data
 * fields of submission_fields.h: each stage's, then the whole-school ones.
 *
 * Header rule (how a column heading is recognised; surrounding spaces are
 * trimmed first):
 *   - the English id of docs/formats.md, compared case-insensitively
 *     ("primary_students", "Primary_Students");
 *   - or its Chinese label, exactly.  A per-stage column is the stage name
 *     "小学" or "初中" followed by the label, either directly ("小学在校生数")
 *     or after one separator: '_', '-', ' ', ':', '·' or their full-width
 *     forms '＿', '－', '：', '　' ("小学_在校生数", "初中-专任教师数").
 * Anything else is an unknown column, a file-level error naming it; two
 * headings meaning the same column are a duplicate, also file-level.
 *
 * Cells: empty means 0 for numbers and "none" for lists.  Counts are whole
 * numbers ("12" or "12.0"; "3.5" is refused); amounts (m², yuan) are decimals;
 * thousands separators are refused; a list holds numbers separated by ';' or
 * the full-width '；'.  A stage is present when any of its columns is
 * non-empty.  Negative numbers are read as they are: validation refuses them. */
#include "submission_csv.h"
#include "i18n.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cell_text.h"
#include "header_match.h"
#include "csv_table.h"

/* The column lists, generated from submission_fields.h: the identity
 * columns, every stage's columns (stage by stage), the whole-school ones. */
#define COLUMN_EN_PRIMARY(name, ...) "primary_" #name,
#define COLUMN_EN_JUNIOR(name, ...) "junior_" #name,
#define COLUMN_EN_SCHOOL(name, ...) #name,
#define COLUMN_ZH_PRIMARY(name, type, label_zh, ...) "小学" label_zh,
#define COLUMN_ZH_PRIMARY_LIST(name, n_name, type, label_zh, ...) "小学" label_zh,
#define COLUMN_ZH_JUNIOR(name, type, label_zh, ...) "初中" label_zh,
#define COLUMN_ZH_JUNIOR_LIST(name, n_name, type, label_zh, ...) "初中" label_zh,
#define COLUMN_ZH_SCHOOL(name, type, label_zh, ...) label_zh,
#define COLUMN_ZH_SCHOOL_LIST(name, n_name, type, label_zh, ...) label_zh,

const char *const SUBMISSION_COLUMNS[] = {
    "school_code", "period",
    SUBMISSION_STAGE_FIELDS(COLUMN_EN_PRIMARY, COLUMN_EN_PRIMARY)
    SUBMISSION_STAGE_FIELDS(COLUMN_EN_JUNIOR, COLUMN_EN_JUNIOR)
    SUBMISSION_SCHOOL_FIELDS(COLUMN_EN_SCHOOL, COLUMN_EN_SCHOOL)
    NULL
};

const char *const SUBMISSION_COLUMNS_ZH[] = {
    "学校标识码", "学年",
    SUBMISSION_STAGE_FIELDS(COLUMN_ZH_PRIMARY, COLUMN_ZH_PRIMARY_LIST)
    SUBMISSION_STAGE_FIELDS(COLUMN_ZH_JUNIOR, COLUMN_ZH_JUNIOR_LIST)
    SUBMISSION_SCHOOL_FIELDS(COLUMN_ZH_SCHOOL, COLUMN_ZH_SCHOOL_LIST)
    NULL
};

_Static_assert(STAGE_COUNT == 2, "SUBMISSION_COLUMNS lists the primary and junior stages");

enum {
    COL_SCHOOL_CODE = 0,
    COL_PERIOD = 1,
    COL_FIRST_STAGE = 2,
    STAGE_COLS = SUBMISSION_STAGE_FIELD_COUNT,
    COL_FIRST_SCHOOL = COL_FIRST_STAGE + STAGE_COUNT * STAGE_COLS,
    COL_COUNT = COL_FIRST_SCHOOL + SUBMISSION_SCHOOL_FIELD_COUNT
};

/* Where a data column's value lives: field f of stage_data (stage >= 0) or
 * of submission (stage -1). */
typedef struct {
    const field_desc *f;
    int stage;
} col_slot;

/* Returns where data column `col` (an index of SUBMISSION_COLUMNS from
 * COL_FIRST_STAGE on) is stored. */
static col_slot column_slot(int col)
{
    if (col < COL_FIRST_SCHOOL)
        return (col_slot){ &SUBMISSION_STAGE_DESC[(col - COL_FIRST_STAGE) % STAGE_COLS],
                           (col - COL_FIRST_STAGE) / STAGE_COLS };
    return (col_slot){ &SUBMISSION_SCHOOL_DESC[col - COL_FIRST_SCHOOL], -1 };
}

/* If s starts with one header separator (see the rule at the top), returns
 * the text after it; otherwise returns s. */
static const char *skip_separator(const char *s)
{
    static const char *const seps[] = { "_", "-", " ", ":", "\xC2\xB7" /* · */, "\xEF\xBC\xBF" /* ＿ */,
                                        "\xEF\xBC\x8D" /* － */, "\xEF\xBC\x9A" /* ： */,
                                        "\xE3\x80\x80" /* ideographic space */ };
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = strlen(seps[i]);
        if (strncmp(s, seps[i], n) == 0)
            return s + n;
    }
    return s;
}

/* Returns the index in SUBMISSION_COLUMNS of the column a (trimmed) header
 * means, by the header rule at the top of this file, or -1 when unknown. */
int submission_column_find(const char *header)
{
    if (!header || !header[0])
        return -1;
    for (int i = 0; i < COL_COUNT; i++)
        if (strcasecmp(header, SUBMISSION_COLUMNS[i]) == 0 || strcmp(header, SUBMISSION_COLUMNS_ZH[i]) == 0)
            return i;
    for (int st = 0; st < STAGE_COUNT; st++) {
        size_t n = strlen(STAGE_NAMES_ZH[st]);
        if (strncmp(header, STAGE_NAMES_ZH[st], n) != 0)
            continue;
        const char *rest = skip_separator(header + n);
        for (int k = 0; k < STAGE_COLS; k++)
            if (strcmp(rest, SUBMISSION_STAGE_DESC[k].label_zh) == 0)
                return COL_FIRST_STAGE + st * STAGE_COLS + k;
    }
    return -1;
}

/* ---- numbers ------------------------------------------------------------- */

/* Writes the reason a non-number is refused into why. */
static void not_a_number(const char *s, char *why, size_t n)
{
    char b[64];
    const char *digits_and_commas = "0123456789,.+-";
    if (strchr(s, ',') && strspn(s, digits_and_commas) == strlen(s) && strpbrk(s, "0123456789"))
        snprintf(why, n, _("'%s' is not a number: write it without thousands separators"), cell_text_shown(s, b, sizeof b));
    else
        snprintf(why, n, _("'%s' is not a number"), cell_text_shown(s, b, sizeof b));
}

/* Parses a decimal cell. Returns 0 and *out, or -1 with the reason in why. */
static int parse_decimal(const char *s, double *out, char *why, size_t n)
{
    if (!cell_text_is_decimal(s)) {
        not_a_number(s, why, n);
        return -1;
    }
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && isinf(v)) {
        char b[64];
        snprintf(why, n, _("'%s' is too large"), cell_text_shown(s, b, sizeof b));
        return -1;
    }
    *out = v;
    return 0;
}

/* Parses a count cell: a whole number, possibly written "12.0" or "1.2E+03".
 * Returns 0 and *out, or -1 with the reason in why. */
static int parse_count(const char *s, int64_t *out, char *why, size_t n)
{
    char b[64];
    const char *p = (*s == '+' || *s == '-') ? s + 1 : s;
    if (*p && strspn(p, "0123456789") == strlen(p)) {
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno == ERANGE) {
            snprintf(why, n, _("'%s' is too large"), cell_text_shown(s, b, sizeof b));
            return -1;
        }
        *out = (int64_t)v;
        return 0;
    }
    double d;
    if (parse_decimal(s, &d, why, n) != 0)
        return -1;
    if (d != floor(d)) {
        snprintf(why, n, _("'%s' is not a whole number"), cell_text_shown(s, b, sizeof b));
        return -1;
    }
    if (fabs(d) >= 9.0e15) {
        snprintf(why, n, _("'%s' is too large"), cell_text_shown(s, b, sizeof b));
        return -1;
    }
    *out = (int64_t)d;
    return 0;
}

/* Length of a list separator at s, or 0: ';' or the full-width '；', and
 * -- read as what they plainly are, with a warning (see *loose) -- the
 * enumeration comma '、' and the full-width comma '，'. */
static size_t list_sep_len(const char *s, int *loose)
{
    if (*s == ';')
        return 1;
    if (strncmp(s, "\xEF\xBC\x9B", 3) == 0)
        return 3;
    if (strncmp(s, "\xE3\x80\x81", 3) == 0 || strncmp(s, "\xEF\xBC\x8C", 3) == 0) {
        if (loose)
            *loose = 1;
        return 3;
    }
    return 0;
}

/* Trims ASCII and ideographic spaces from both ends of s in place. */
static char *trim_in_place(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 3 && strncmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

/* Parses a list cell into a new array (*out, caller frees; NULL when the list
 * is empty) of int64_t (is_count) or double. Trailing empty items are
 * ignored; an empty item between others is refused. *loose is set when an
 * item was separated by '、' or '，'. Returns 0, or -1 with the reason in
 * why (and *out NULL). */
static int parse_list(const char *cell, int is_count, void **out, size_t *count, int *loose, char *why, size_t n)
{
    *out = NULL;
    *count = 0;
    char *copy = strdup(cell);
    if (!copy) {
        snprintf(why, n, _("out of memory"));
        return -1;
    }
    size_t cap = 1;
    for (const char *p = cell; *p; p++)
        if (list_sep_len(p, NULL))
            cap++;
    void *arr = malloc(cap * (is_count ? sizeof(int64_t) : sizeof(double)));
    if (!arr) {
        free(copy);
        snprintf(why, n, _("out of memory"));
        return -1;
    }
    size_t used = 0, pending_empty = 0;
    char *item = copy;
    int rc = 0;
    for (;;) {
        char *q = item;
        size_t k = 0;
        while (*q && (k = list_sep_len(q, loose)) == 0)
            q++;
        int last = (*q == '\0');
        *q = '\0';
        char *t = trim_in_place(item);
        if (*t == '\0') {
            pending_empty = pending_empty ? pending_empty : used + 1;
        } else if (pending_empty) {
            snprintf(why, n, _("item %zu of the list is empty (separate the numbers with ';')"), pending_empty);
            rc = -1;
            break;
        } else {
            char sub[200], b[64];
            int bad = is_count ? parse_count(t, (int64_t *)arr + used, sub, sizeof sub)
                               : parse_decimal(t, (double *)arr + used, sub, sizeof sub);
            if (bad && strchr(t, ','))
                snprintf(why, n, _("item %zu: '%s' is not a number (separate the numbers with ';')"), used + 1,
                         cell_text_shown(t, b, sizeof b));
            else if (bad)
                snprintf(why, n, _("item %zu: %s"), used + 1, sub);
            if (bad) {
                rc = -1;
                break;
            }
            used++;
        }
        if (last)
            break;
        item = q + k;
    }
    free(copy);
    if (rc != 0 || used == 0) {
        free(arr);
        arr = NULL;
        used = 0;
    }
    *out = arr;
    *count = used;
    return rc;
}

/* ---- rows ---------------------------------------------------------------- */

/* Stores the identity column `col` (school_code or period) of the cell
 * (full-width digits already folded) into row. A school year written by
 * both its years ("2025-2026") is refused with the form to write;
 * "2025学年" is read as 2025. */
static void store_identity(submission_row *row, int col, const char *cell)
{
    submission *sub = &row->sub;
    const char *name = SUBMISSION_COLUMNS[col];
    char why[256], b[64], year[16];
    int64_t iv;
    int32_t start;
    if (col == COL_SCHOOL_CODE) {
        if (strlen(cell) > SCHOOL_CODE_LEN)
            problem_list_add(&row->errors, name, _("'%s' is not a 10-digit school code"),
                             cell_text_shown(cell, b, sizeof b));
        snprintf(sub->school_code, sizeof sub->school_code, "%.*s", SCHOOL_CODE_LEN, cell);
        return;
    }
    if (cell_text_year_range(cell, &start)) {
        problem_list_add(&row->errors, name, _("write the school year as its starting year: %d, not '%s'"),
                         (int)start, cell_text_shown(cell, b, sizeof b));
        return;
    }
    size_t n = strlen(cell);
    if (n > 6 && n < sizeof year && strcmp(cell + n - 6, "学年") == 0) {
        snprintf(year, sizeof year, "%.*s", (int)(n - 6), cell);
        cell = year;
    }
    if (parse_count(cell, &iv, why, sizeof why) != 0)
        problem_list_add(&row->errors, name, "%s", why);
    else if (iv < INT32_MIN || iv > INT32_MAX)
        problem_list_add(&row->errors, name, _("%s is not a school year"), cell);
    else
        sub->period = (int32_t)iv;
}

/* Refuses an amount written in 万 (ten thousands: "222.39万"), naming the
 * value it probably meant. Returns 1 when it was such a cell. */
static int refuse_wan(submission_row *row, const char *name, const field_desc *f, const char *cell)
{
    char units[80], b[64];
    if (!cell_text_wan(cell, units, sizeof units))
        return 0;
    problem_list_add(&row->errors, name, _("'%s' is in 万 (ten thousand): this column is in %s, so write %s"),
                     cell_text_shown(cell, b, sizeof b), _(f->unit), units);
    return 1;
}

/* Stores one non-empty cell of column `col` into row->sub; a problem goes
 * to row->errors under the column's canonical name, a forgiving reading
 * (full-width digits, a list separated by '、') to row->warnings. */
static void store_cell(submission_row *row, int col, const char *raw)
{
    char cell[512], why[256], b[64];
    int folded = cell_text_fold_fullwidth(raw, cell, sizeof cell);
    if (folded < 0)
        folded = 0;
    if (col < COL_FIRST_STAGE) {
        size_t errs = row->errors.count;
        store_identity(row, col, cell);
        if (folded && row->errors.count == errs)
            problem_list_add(&row->warnings, SUBMISSION_COLUMNS[col], _("full-width digits '%s' read as %s"),
                             cell_text_shown(raw, b, sizeof b), cell);
        return;
    }
    col_slot slot = column_slot(col);
    const field_desc *f = slot.f;
    submission *sub = &row->sub;
    char *base = slot.stage >= 0 ? (char *)&sub->stage[slot.stage] : (char *)sub;
    const char *name = SUBMISSION_COLUMNS[col];
    int64_t iv;
    double dv;
    int bad = 0, loose = 0;
    switch (f->type) {
    case FIELD_COUNT:
        if (refuse_wan(row, name, f, cell))
            return;
        if ((bad = parse_count(cell, &iv, why, sizeof why) != 0) == 0)
            memcpy(base + f->offset, &iv, sizeof iv);
        break;
    case FIELD_AMOUNT:
        if (refuse_wan(row, name, f, cell))
            return;
        if ((bad = parse_decimal(cell, &dv, why, sizeof why) != 0) == 0)
            memcpy(base + f->offset, &dv, sizeof dv);
        break;
    case FIELD_COUNT_LIST:
    case FIELD_AMOUNT_LIST: {
        void *arr, *old;
        size_t count;
        if ((bad = parse_list(cell, f->type == FIELD_COUNT_LIST, &arr, &count, &loose, why, sizeof why) != 0))
            break;
        memcpy(&old, base + f->offset, sizeof old);
        free(old);
        memcpy(base + f->offset, &arr, sizeof arr);
        memcpy(base + f->n_offset, &count, sizeof count);
        break;
    }
    }
    if (bad) {
        problem_list_add(&row->errors, name, "%s", why);
        return;
    }
    if (folded)
        problem_list_add(&row->warnings, name, _("full-width digits '%s' read as '%s'"),
                         cell_text_shown(raw, b, sizeof b), cell);
    if (loose)
        problem_list_add(&row->warnings, name, "%s",
                         _("numbers separated by '、' or '，' read as a list (the standard separator is ';')"));
}

const field_desc *submission_column_field(int col, int *stage)
{
    if (col < COL_FIRST_STAGE || col >= COL_COUNT)
        return NULL;
    col_slot slot = column_slot(col);
    *stage = slot.stage;
    return slot.f;
}

int submission_cell_read(submission *sub, int col, const char *cell, char *why, size_t n)
{
    if (col < COL_FIRST_STAGE || col >= COL_COUNT) {
        snprintf(why, n, "not a data column");
        return -1;
    }
    submission_row row;
    memset(&row, 0, sizeof row);
    row.sub = *sub; /* shallow: store_cell frees a list it replaces; an empty list cell empties it */
    store_cell(&row, col, *cell || field_is_list(column_slot(col).f) ? cell : "0");
    int rc = row.errors.count > 0 || row.errors.oom || row.warnings.oom ? -1 : 0;
    if (rc != 0)
        snprintf(why, n, "%s", row.errors.count > 0 ? row.errors.items[0].reason : "out of memory");
    *sub = row.sub;
    problem_list_clear(&row.errors);
    problem_list_clear(&row.warnings);
    return rc;
}

/* Fills one submission_row from a CSV record, given the column each header
 * position maps to (-1: a blank heading, ignored). */
static void read_row(const csv_row *r, const int *map, size_t n_cols, submission_row *out)
{
    out->line = r->line;
    for (size_t j = 0; j < r->n_fields; j++) {
        const char *cell = r->fields[j];
        if (cell[0] == '\0')
            continue;
        if (j >= n_cols || map[j] < 0) {
            char b[64];
            problem_list_add(&out->errors, "", _("cell %zu ('%s') is under no column heading"), j + 1,
                             cell_text_shown(cell, b, sizeof b));
            continue;
        }
        int col = map[j];
        if (col >= COL_FIRST_STAGE && col < COL_FIRST_SCHOOL)
            out->sub.stage[(col - COL_FIRST_STAGE) / STAGE_COLS].present = true;
        store_cell(out, col, cell);
    }
}

/* The column a heading means (submission_column_find), also when it ends
 * with its unit in brackets ("体育运动场馆面积（平方米）", "teaching_area_m2
 * (m²)"). -1 when unknown; -2 when the heading is known but its unit is not
 * the column's (a problem added to file_errors). */
static int heading_column(const char *h, problem_list *file_errors)
{
    int col = submission_column_find(h);
    char base[256], unit[128], why[256];
    if (col >= 0 || !header_unit_split(h, base, sizeof base, unit, sizeof unit))
        return col;
    col = submission_column_find(base);
    if (col < COL_FIRST_STAGE)
        return col < 0 ? -1 : (unit[0] ? -1 : col);
    if (header_unit_check(column_slot(col).f->unit, unit, why, sizeof why) != 0) {
        problem_list_add(file_errors, h, "列“%s”：%s", h, why);
        return -2;
    }
    return col;
}

/* Reports an unknown heading, suggesting the nearest known column. */
static void unknown_heading(const char *h, problem_list *file_errors)
{
    char base[256], unit[128];
    header_unit_split(h, base, sizeof base, unit, sizeof unit);
    const char *near = header_nearest(base, SUBMISSION_COLUMNS_ZH, COL_COUNT);
    if (!near)
        near = header_nearest(base, SUBMISSION_COLUMNS, COL_COUNT);
    if (near)
        problem_list_add(file_errors, h, _("unknown column '%s': did you mean '%s'?"), h, near);
    else
        problem_list_add(file_errors, h, _("unknown column '%s' (docs/formats.md lists every column)"), h);
}

/* Maps each header position to a column; problems go to file_errors.
 * Returns a new array (caller frees) or NULL on a problem or lack of memory. */
static int *map_header(const csv_table *t, problem_list *file_errors)
{
    int *map = calloc(t->n_cols ? t->n_cols : 1, sizeof *map);
    int seen[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++)
        seen[i] = -1;
    if (!map) {
        problem_list_add(file_errors, "", _("out of memory"));
        return NULL;
    }
    int bad = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        const char *h = t->header[j];
        map[j] = -1;
        if (h[0] == '\0')
            continue;
        int col = heading_column(h, file_errors);
        if (col == -2) {
            bad = 1;
        } else if (col < 0) {
            unknown_heading(h, file_errors);
            bad = 1;
        } else if (seen[col] >= 0) {
            problem_list_add(file_errors, h, _("duplicate column: '%s' and '%s' are both %s"), t->header[seen[col]], h,
                             SUBMISSION_COLUMNS[col]);
            bad = 1;
        } else {
            seen[col] = (int)j;
            map[j] = col;
        }
    }
    for (int col = COL_SCHOOL_CODE; col <= COL_PERIOD; col++) {
        if (seen[col] < 0) {
            problem_list_add(file_errors, SUBMISSION_COLUMNS[col], _("missing column %s (%s)"), SUBMISSION_COLUMNS[col],
                             SUBMISSION_COLUMNS_ZH[col]);
            bad = 1;
        }
    }
    if (bad) {
        free(map);
        return NULL;
    }
    return map;
}

/* See submission_csv.h. *out is owned by the caller (submission_file_destroy). */
int submission_file_read(const char *bytes, size_t len, submission_file **out, problem_list *file_errors)
{
    *out = NULL;
    char err[256];
    csv_table *t = NULL;
    if (csv_table_parse(bytes, len, &t, err, sizeof err) != 0) {
        problem_list_add(file_errors, "", "%s", err);
        return -1;
    }
    int *map = map_header(t, file_errors);
    if (!map) {
        csv_table_destroy(&t);
        return -1;
    }
    submission_file *f = calloc(1, sizeof *f);
    if (f && t->n_rows > 0)
        f->rows = calloc(t->n_rows, sizeof *f->rows);
    if (!f || (t->n_rows > 0 && !f->rows)) {
        free(f);
        free(map);
        csv_table_destroy(&t);
        problem_list_add(file_errors, "", _("out of memory"));
        return -1;
    }
    f->n_rows = t->n_rows;
    for (size_t i = 0; i < t->n_rows; i++)
        read_row(&t->rows[i], map, t->n_cols, &f->rows[i]);
    free(map);
    csv_table_destroy(&t);
    *out = f;
    return 0;
}

/* See submission_csv.h. Frees every row (its submission and problem lists). */
void submission_file_destroy(submission_file **p)
{
    if (!p || !*p)
        return;
    submission_file *f = *p;
    for (size_t i = 0; i < f->n_rows; i++) {
        submission_clear(&f->rows[i].sub);
        problem_list_clear(&f->rows[i].errors);
        problem_list_clear(&f->rows[i].warnings);
    }
    free(f->rows);
    free(f);
    *p = NULL;
}
