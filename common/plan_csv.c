/* plan_csv.c -- reading the city's plan file (docs/formats.md "The city's
 * plan") into plan rows. See plan.h.
 *
 * Headings: English (any case) or Chinese, free order, each with an
 * optional unit in brackets that must be the column's: a share's "%"
 * (％, 百分比, percent), a year's 年 (year); a coefficient has none. The
 * county is named by county_code (县区代码) or county (县区, its registry
 * name), or both (then they must agree). period (学年) is optional: blank
 * (or no column) means every year. Every figure and year column is
 * optional, but a file has at least one. note (备注) is ignored. */
#include "plan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cell_text.h"
#include "csv_table.h"
#include "header_match.h"
#include "i18n.h"

/* The columns besides the figures and years. */
enum { COL_CODE = PLAN_FIGURE_COUNT + PLAN_YEAR_COUNT, COL_NAME, COL_PERIOD, COL_NOTE, COL_COUNT };
static const plan_column_def OTHER_COLUMNS[COL_COUNT - COL_CODE] = {
    { "county_code", "county_code", "县区代码", "行政区划代码" },
    { "county", "county", "县区", "县区名称" },
    { "period", "period", "学年", "年度" },
    { "note", "note", "备注", NULL },
};

/* The definition of column c (figures, then years, then the others). */
static const plan_column_def *column_def(int c)
{
    if (c < PLAN_FIGURE_COUNT)
        return &PLAN_FIGURES[c];
    if (c < COL_CODE)
        return &PLAN_YEARS[c - PLAN_FIGURE_COUNT];
    return &OTHER_COLUMNS[c - COL_CODE];
}

/* The column a heading (without its unit) names, or -1. */
static int column_find(const char *h)
{
    for (int c = 0; c < COL_COUNT; c++) {
        const plan_column_def *d = column_def(c);
        if (strcasecmp(h, d->column) == 0 || strcmp(h, d->zh) == 0 || (d->zh_alt && strcmp(h, d->zh_alt) == 0))
            return c;
    }
    if (strcasecmp(h, "county_name") == 0)
        return COL_NAME;
    return -1;
}

/* Whether unit (from the heading's brackets, "" none) fits column c. */
static bool unit_fits(int c, const char *unit)
{
    static const char *const share[] = { "%", "％", "百分比", "percent" };
    static const char *const year[] = { "年", "year" };
    if (!unit[0])
        return true;
    if (c < PLAN_FIGURE_COUNT && plan_figure_is_share((plan_figure)c)) {
        for (size_t i = 0; i < sizeof share / sizeof share[0]; i++)
            if (strcasecmp(unit, share[i]) == 0)
                return true;
    } else if (c >= PLAN_FIGURE_COUNT && c < COL_CODE) {
        for (size_t i = 0; i < sizeof year / sizeof year[0]; i++)
            if (strcasecmp(unit, year[i]) == 0)
                return true;
    }
    return false;
}

/* The unit a column is written in, for a message. */
static const char *unit_wanted(int c)
{
    if (c < PLAN_FIGURE_COUNT)
        return plan_figure_is_share((plan_figure)c) ? "%" : _("no unit (a coefficient such as 0.45)");
    return c < COL_CODE ? _("years (年)") : _("no unit");
}

/* Reports an unknown heading, with the nearest known one when there is. */
static void unknown_heading(const char *h, problem_list *errs)
{
    const char *names[3 * COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++) {
        names[3 * c] = column_def(c)->column;
        names[3 * c + 1] = column_def(c)->zh;
        names[3 * c + 2] = column_def(c)->zh_alt;
    }
    const char *near = header_nearest(h, names, 3 * COL_COUNT);
    if (near)
        problem_list_add(errs, h, _("unknown column '%s': did you mean '%s'?"), h, near);
    else
        problem_list_add(errs, h, _("unknown column '%s'"), h);
}

/* Maps each heading of t to a column (map[j]: -1 blank), checking units and
 * repeats; at[c] is the position of column c (-1 absent). Returns 0, or -1
 * with the problems in errs. */
static int map_headings(const csv_table *t, int *map, int at[COL_COUNT], problem_list *errs)
{
    int bad = 0;
    for (int c = 0; c < COL_COUNT; c++)
        at[c] = -1;
    for (size_t j = 0; j < t->n_cols; j++) {
        const char *h = t->header[j];
        char base[256], unit[64] = "";
        map[j] = -1;
        if (!h[0])
            continue;
        int c = column_find(h);
        if (c < 0 && header_unit_split(h, base, sizeof base, unit, sizeof unit) == 1)
            c = column_find(base);
        else
            unit[0] = '\0';
        if (c < 0) {
            unknown_heading(h, errs);
            bad = 1;
        } else if (at[c] >= 0) {
            problem_list_add(errs, h, _("duplicate column: '%s' and '%s' are both %s"), t->header[at[c]], h,
                             column_def(c)->column);
            bad = 1;
        } else if (!unit_fits(c, unit)) {
            problem_list_add(errs, h, _("the unit '%s' is not this column's: %s is written in %s"), unit,
                             column_def(c)->column, unit_wanted(c));
            bad = 1;
        } else {
            at[c] = (int)j;
            map[j] = c;
        }
    }
    if (at[COL_CODE] < 0 && at[COL_NAME] < 0) {
        problem_list_add(errs, "county_code", _("missing column: county_code (县区代码) or county (县区)"));
        bad = 1;
    }
    int given = 0;
    for (int c = 0; c < COL_CODE; c++)
        given += at[c] >= 0;
    if (!given) {
        problem_list_add(errs, "", _("no plan column: give at least one planned figure or year"));
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* Adds a problem on line `line`, column `heading`. */
static void row_problem(problem_list *errs, size_t line, const char *heading, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_problem(problem_list *errs, size_t line, const char *heading, const char *fmt, ...)
{
    char field[320], reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(field, sizeof field, _("line %zu: %s"), line, heading);
    problem_list_add(errs, field, "%s", reason);
}

/* Reads a number cell (full-width digits folded; a share may end in %).
 * Returns 1 with *out, 0 when blank, -1 when not a number. */
static int read_number(const char *cell, bool share, double *out)
{
    char buf[64];
    if (!cell[0])
        return 0;
    if (cell_text_fold_fullwidth(cell, buf, sizeof buf) < 0)
        return -1;
    size_t n = strlen(buf);
    if (share && n > 0 && buf[n - 1] == '%')
        buf[--n] = '\0';
    else if (share && n >= 3 && strcmp(buf + n - 3, "％") == 0)
        buf[n -= 3] = '\0';
    if (!cell_text_is_decimal(buf))
        return -1;
    *out = strtod(buf, NULL);
    return 1;
}

/* The county of a row: by code, by name, or both agreeing. 0 or -1. */
static int row_county(const csv_row *r, const char **v, const char *const *heads, const plan_county *counties,
                      size_t n_counties, plan_row *out, problem_list *errs)
{
    const char *code = v[COL_CODE], *name = v[COL_NAME], *by_name = NULL, *by_code = NULL;
    char shown[48];
    for (size_t i = 0; i < n_counties; i++) {
        if (name[0] && strcmp(counties[i].name, name) == 0)
            by_name = counties[i].code;
        if (code[0] && strcmp(counties[i].code, code) == 0)
            by_code = counties[i].code;
    }
    if (!code[0] && !name[0]) {
        row_problem(errs, r->line, heads[COL_CODE] ? heads[COL_CODE] : heads[COL_NAME], _("no county given"));
        return -1;
    }
    if (code[0] && !by_code) {
        row_problem(errs, r->line, heads[COL_CODE], _("'%s' is not a county of the registry (6 digits)"),
                    cell_text_shown(code, shown, sizeof shown));
        return -1;
    }
    if (name[0] && !by_name) {
        row_problem(errs, r->line, heads[COL_NAME], _("'%s' is not the name of a county of the registry"),
                    cell_text_shown(name, shown, sizeof shown));
        return -1;
    }
    if (by_code && by_name && strcmp(by_code, by_name) != 0) {
        row_problem(errs, r->line, heads[COL_NAME], _("'%s' is county %s, not %s"), name, by_name, by_code);
        return -1;
    }
    snprintf(out->county_code, sizeof out->county_code, "%s", by_code ? by_code : by_name);
    return 0;
}

/* The school year of a row: blank, every, all, 全部 or 每年 -- every year
 * (0); a year YYYY or a range "2025-2026". 0 or -1. */
static int row_period(const csv_row *r, const char *cell, const char *heading, plan_row *out, problem_list *errs)
{
    static const char *const every[] = { "", "every", "all", "全部", "每年" };
    for (size_t i = 0; i < sizeof every / sizeof every[0]; i++)
        if (strcasecmp(cell, every[i]) == 0)
            return 0;
    int32_t start = 0;
    if (strlen(cell) == 4 && strspn(cell, "0123456789") == 4)
        start = (int32_t)atoi(cell);
    else if (!cell_text_year_range(cell, &start))
        start = 0;
    if (start < 2000 || start > 2100) {
        char shown[48];
        row_problem(errs, r->line, heading, _("'%s' is not a school year such as 2025 (blank: every year)"),
                    cell_text_shown(cell, shown, sizeof shown));
        return -1;
    }
    out->period = start;
    return 0;
}

/* The figures and years of a row. 0 or -1. */
static int row_figures(const csv_row *r, const char **v, const char *const *heads, plan_row *out,
                       problem_list *errs)
{
    int bad = 0;
    char shown[48];
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++) {
        bool share = plan_figure_is_share((plan_figure)f);
        double x = NAN;
        int got = read_number(v[f], share, &x);
        if (got < 0 || (got && (x < 0 || x > (share ? 100 : 1)))) {
            row_problem(errs, r->line, heads[f],
                        share ? _("'%s' is not a share in percent from 0 to 100")
                              : _("'%s' is not a coefficient from 0 to 1"),
                        cell_text_shown(v[f], shown, sizeof shown));
            bad = 1;
        } else if (got) {
            out->planned[f] = x;
        }
    }
    for (int y = 0; y < PLAN_YEAR_COUNT; y++) {
        const char *cell = v[PLAN_FIGURE_COUNT + y];
        if (!cell[0])
            continue;
        if (strlen(cell) != 4 || strspn(cell, "0123456789") != 4 || atoi(cell) < 2000 || atoi(cell) > 2100) {
            row_problem(errs, r->line, heads[PLAN_FIGURE_COUNT + y], _("'%s' is not a year such as 2025"),
                        cell_text_shown(cell, shown, sizeof shown));
            bad = 1;
        } else {
            out->year[y] = (int32_t)atoi(cell);
        }
    }
    for (int y = 1; !bad && y < PLAN_YEAR_COUNT; y++)
        for (int e = 0; e < y; e++)
            if (out->year[y] && out->year[e] > out->year[y]) {
                row_problem(errs, r->line, heads[PLAN_FIGURE_COUNT + y], _("%d is before %s %d"), out->year[y],
                            PLAN_YEARS[e].column, out->year[e]);
                bad = 1;
                break;
            }
    return bad ? -1 : 0;
}

/* Reads data row r into out (every problem reported). 0 when good. */
static int read_row(const csv_row *r, const int *map, size_t n_cols, const char *const *heads,
                    const plan_county *counties, size_t n_counties, plan_row *out, problem_list *errs)
{
    const char *v[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        v[c] = "";
    int bad = 0;
    for (size_t j = 0; j < r->n_fields; j++) {
        if (j < n_cols && map[j] >= 0)
            v[map[j]] = r->fields[j];
        else if (r->fields[j][0]) {
            char col[32];
            snprintf(col, sizeof col, _("cell %zu"), j + 1);
            row_problem(errs, r->line, col, _("has a value but no column heading"));
            bad = 1;
        }
    }
    plan_row_init(out);
    out->line = r->line;
    bad |= row_county(r, v, heads, counties, n_counties, out, errs) != 0;
    bad |= row_period(r, v[COL_PERIOD], heads[COL_PERIOD] ? heads[COL_PERIOD] : "period", out, errs) != 0;
    bad |= row_figures(r, v, heads, out, errs) != 0;
    return bad ? -1 : 0;
}

/* Refuses a (county, period) given on an earlier line too. Quadratic in
 * the rows, which are a city's counties (tens, a province's hundreds). */
static void check_repeats(const plan_row *rows, size_t n, const char *heading, problem_list *errs)
{
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(rows[i].county_code, rows[k].county_code) == 0 && rows[i].period == rows[k].period) {
                row_problem(errs, rows[i].line, heading, _("county %s is planned for the same year on line %zu"),
                            rows[i].county_code, rows[k].line);
                break;
            }
}

/* See plan.h. */
int plan_csv_read(const char *bytes, size_t len, const plan_county *counties, size_t n_counties, plan_row **rows,
                  size_t *n, problem_list *errs)
{
    char err[256];
    csv_table *t = NULL;
    *rows = NULL;
    *n = 0;
    if (csv_table_parse(bytes, len, &t, err, sizeof err) != 0) {
        problem_list_add(errs, "", "%s", err);
        return -1;
    }
    int *map = calloc(t->n_cols ? t->n_cols : 1, sizeof *map);
    plan_row *out = calloc(t->n_rows ? t->n_rows : 1, sizeof *out);
    int at[COL_COUNT], rc = -1;
    if (!map || !out) {
        problem_list_add(errs, "", _("out of memory"));
    } else if (map_headings(t, map, at, errs) == 0) {
        const char *heads[COL_COUNT];
        for (int c = 0; c < COL_COUNT; c++)
            heads[c] = at[c] >= 0 ? t->header[at[c]] : NULL;
        size_t good = 0;
        for (size_t i = 0; i < t->n_rows; i++)
            if (read_row(&t->rows[i], map, t->n_cols, heads, counties, n_counties, &out[good], errs) == 0)
                good++;
        check_repeats(out, good, heads[COL_CODE] ? heads[COL_CODE] : heads[COL_NAME], errs);
        if (t->n_rows == 0)
            problem_list_add(errs, "", _("the file has no rows"));
        *n = good;
        rc = 0;
    }
    free(map);
    csv_table_destroy(&t);
    if (rc != 0)
        free(out);
    else
        *rows = out;
    return rc;
}
