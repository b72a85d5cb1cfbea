/* table_template.c -- the blank files to fill in. See table_template.h. */
#include "table_template.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "county_inputs_csv.h"
#include "csv_table.h"
#include "plan.h"
#include "submission.h"
#include "submission_csv.h"
#include "submission_fields.h"

/* A printf-formatted new string (caller frees), or NULL when out of memory. */
static char *fmt_dup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_dup(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The Chinese of a field table's unit ("m²" -> "平方米"). */
static const char *unit_zh(const char *unit)
{
    static const char *const map[][2] = {
        { "students", "人" }, { "teachers", "人" }, { "m²", "平方米" }, { "yuan", "元" }, { "rooms", "间" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(unit, map[i][0]) == 0)
            return map[i][1];
    return unit;
}

/* A new template of n_cols columns and n_rows empty rows, or NULL. */
static table_template *template_new(size_t n_cols, size_t n_rows)
{
    table_template *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cols = calloc(n_cols, sizeof *t->cols);
    t->rows = calloc(n_rows ? n_rows : 1, sizeof *t->rows);
    if (!t->cols || !t->rows) {
        free(t->cols);
        free(t->rows);
        free(t);
        return NULL;
    }
    t->n_cols = n_cols;
    t->n_rows = n_rows;
    for (size_t r = 0; r < n_rows; r++)
        if (!(t->rows[r] = calloc(n_cols, sizeof **t->rows))) {
            table_template_destroy(&t);
            return NULL;
        }
    return t;
}

/* A column's width from its heading: about two units a Chinese character. */
static double width_of(const char *heading)
{
    double w = 2;
    for (const unsigned char *p = (const unsigned char *)heading; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p < 0x80 ? 1 : 2;
    return w < 10 ? 10 : w > 40 ? 40 : w;
}

/* ---- submissions ----------------------------------------------------------------- */

/* The example school: a nine-year school, both stages (SUBMISSION_COLUMNS order). */
static const char *const SUBMISSION_EXAMPLE[] = {
    "3714020001", "2025",   "540", "45;45;45;45;45;45;45;45;45;45;45;45", "30",    "28",    "6",      "5",
    "90",         "90",     "300", "50;50;50;50;50;50",                    "25",    "24",    "4",      "3",
    "100",        "96",     "",    "4200.5",                               "7600",  "1800000", "20", "96;100.5",
    "90",         "55",     "50",  "10",                                   "2",     "1",     "800000", "40000",
};
_Static_assert(sizeof SUBMISSION_EXAMPLE / sizeof SUBMISSION_EXAMPLE[0] ==
                   2 + STAGE_COUNT * SUBMISSION_STAGE_FIELD_COUNT + SUBMISSION_SCHOOL_FIELD_COUNT,
               "one example value per submission column");

/* The bounds of a field as text: "≥ 0", "> 0，≤ 1000" (zh) and ">= 0",
 * "> 0 and <= 1000" (en). */
static void bounds_text(const field_desc *d, char *zh, size_t zn, char *en, size_t enn)
{
    if (isinf(d->max)) {
        snprintf(zh, zn, "%s %g", d->min_exclusive ? ">" : "≥", d->min);
        snprintf(en, enn, "%s %g", d->min_exclusive ? ">" : ">=", d->min);
    } else {
        snprintf(zh, zn, "%s %g，≤ %g", d->min_exclusive ? ">" : "≥", d->min, d->max);
        snprintf(en, enn, "%s %g and <= %g", d->min_exclusive ? ">" : ">=", d->min, d->max);
    }
}

/* Fills column c of t from field d (stage: its Chinese name, or NULL for a
 * whole-school field). Returns 0, or -1 when out of memory. */
static int field_column(template_column *c, const char *zh_name, const char *en_name, const field_desc *d,
                        bool stage)
{
    char bz[64], be[64];
    bounds_text(d, bz, sizeof bz, be, sizeof be);
    const char *u = unit_zh(d->unit);
    c->heading = fmt_dup("%s（%s）", zh_name, u);
    const char *blank_zh = stage ? "；不设该学段的学校留空" : "", *blank_en = stage ? "; blank for a stage the school does not have" : "";
    switch (d->type) {
    case FIELD_COUNT:
    case FIELD_AMOUNT:
        c->format = d->type == FIELD_COUNT ? TEMPLATE_INTEGER : TEMPLATE_DECIMAL;
        c->note = fmt_dup("%s，单位：%s。%s，%s%s。\n%s: %s in %s, %s%s.", zh_name, u, d->type == FIELD_COUNT ? "整数" : "数值",
                          bz, blank_zh, en_name, d->type == FIELD_COUNT ? "a whole number" : "a number", d->unit, be,
                          blank_en);
        break;
    default:
        c->format = TEMPLATE_TEXT;
        c->note = fmt_dup("%s，单位：%s。每%s一个%s，用英文分号 ; 分隔，每个 %s%s。\n%s: one %s per %s (%s), separated by ';', each %s%s.",
                          zh_name, u, strcmp(d->item, "class") == 0 ? "班" : "间", d->type == FIELD_COUNT_LIST ? "整数" : "数值",
                          bz, blank_zh, en_name, d->type == FIELD_COUNT_LIST ? "whole number" : "number", d->item,
                          d->unit, be, blank_en);
        break;
    }
    c->width = c->format == TEMPLATE_TEXT ? 24 : width_of(c->heading);
    return c->heading && c->note ? 0 : -1;
}

/* The submissions template: every column of SUBMISSION_COLUMNS, one example school. */
static table_template *submissions_template(void)
{
    size_t n = sizeof SUBMISSION_EXAMPLE / sizeof SUBMISSION_EXAMPLE[0];
    table_template *t = template_new(n, 1);
    if (!t)
        return NULL;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        template_column *c = &t->cols[i];
        if (i < 2) {
            c->format = i == 0 ? TEMPLATE_TEXT : TEMPLATE_INTEGER;
            c->heading = strdup(SUBMISSION_COLUMNS_ZH[i]);
            c->note = strdup(i == 0 ? "学校标识码：10位数字，与学校名册一致。\nschool_code: the school's 10-digit code, as in the registry."
                                    : "学年：填起始年份，如2025学年填 2025。\nperiod: the school year by its starting year (2025).");
            c->width = 14;
            bad = !c->heading || !c->note;
        } else {
            size_t k = i - 2;
            bool stage = k < (size_t)STAGE_COUNT * SUBMISSION_STAGE_FIELD_COUNT;
            const field_desc *d = stage ? &SUBMISSION_STAGE_DESC[k % SUBMISSION_STAGE_FIELD_COUNT]
                                        : &SUBMISSION_SCHOOL_DESC[k - (size_t)STAGE_COUNT * SUBMISSION_STAGE_FIELD_COUNT];
            bad = field_column(c, SUBMISSION_COLUMNS_ZH[i], SUBMISSION_COLUMNS[i], d, stage) != 0;
        }
        if (!bad)
            bad = !(t->rows[0][i] = strdup(SUBMISSION_EXAMPLE[i]));
    }
    if (bad)
        table_template_destroy(&t);
    return t;
}

/* ---- the registry ------------------------------------------------------------------ */

/* The school registry's columns (registry_csv.c reads them), with notes and an example. */
static const struct {
    const char *heading, *note, *example;
    template_format format;
    double width;
} REGISTRY_COLUMNS[] = {
    { "学校标识码", "学校标识码：10位数字，每校唯一。\nschool_code: the school's 10-digit code, one per school.", "3714020001",
      TEMPLATE_TEXT, 14 },
    { "学校名称", "学校名称：全称。\nname: the school's full name.", "德州市第一实验学校", TEMPLATE_TEXT, 24 },
    { "县区代码", "县区代码：6位行政区划代码。\ncounty_code: the county's 6-digit code.", "371402", TEMPLATE_TEXT, 10 },
    { "办学类型",
      "办学类型：小学、初中、九年一贯制学校、十二年一贯制学校、完全中学、教学点、特殊教育学校（“学校”二字可省）。\n"
      "kind: primary, junior, nine_year, twelve_year, complete_secondary, teaching_point, special.",
      "九年一贯制学校", TEMPLATE_TEXT, 16 },
    { "城乡分类", "城乡分类：城区、镇区或乡村。\nlocation: urban, town or rural.", "城区", TEMPLATE_TEXT, 10 },
    { "公办", "公办：是或否。\npublic: yes or no (是/否, 1/0).", "是", TEMPLATE_TEXT, 8 },
    { "寄宿制", "寄宿制：是或否。\nboarding: yes or no (是/否, 1/0).", "否", TEMPLATE_TEXT, 8 },
};

/* The registry template: the school registry's columns, one example school. */
static table_template *registry_template(void)
{
    size_t n = sizeof REGISTRY_COLUMNS / sizeof REGISTRY_COLUMNS[0];
    table_template *t = template_new(n, 1);
    for (size_t i = 0; t && i < n; i++) {
        template_column *c = &t->cols[i];
        c->heading = strdup(REGISTRY_COLUMNS[i].heading);
        c->note = strdup(REGISTRY_COLUMNS[i].note);
        c->format = REGISTRY_COLUMNS[i].format;
        c->width = REGISTRY_COLUMNS[i].width;
        t->rows[0][i] = strdup(REGISTRY_COLUMNS[i].example);
        if (!c->heading || !c->note || !t->rows[0][i])
            table_template_destroy(&t);
    }
    return t;
}

/* ---- county inputs ------------------------------------------------------------------ */

/* The notes of the county-inputs columns (county_inputs_csv.h), by heading. */
static const struct {
    const char *heading, *note;
    template_format format;
    double width;
} COUNTY_COLUMNS[] = {
    { "县区代码", "县区代码：6位。\ncounty_code: 6 digits.", TEMPLATE_TEXT, 10 },
    { "学年", "学年：起始年份，如 2025。\nperiod: the school year by its starting year.", TEMPLATE_INTEGER, 8 },
    { "序号", "指标序号，如 2.10（文本，勿改）。\nitem: the item's number, as text (do not change).", TEMPLATE_TEXT, 7 },
    { "指标名称", "指标名称（只读）。\nitem_name: for reading; ignored.", TEMPLATE_TEXT, 30 },
    { "字段", "字段标识（勿改）。\nfield: the field's id (do not change).", TEMPLATE_TEXT, 26 },
    { "名称", "字段名称（只读）。\nlabel: for reading; ignored.", TEMPLATE_TEXT, 30 },
    { "单位", "单位（只读）。\nunit: for reading; ignored.", TEMPLATE_TEXT, 8 },
    { "数值", "填写数值：数字、比例（百分数须带 %）、是/否或有/无，见填写规则；不知道的留空。\n"
              "value: a number, a ratio (a percentage only with '%'), yes/no or present/absent, per the rule; blank "
              "when not known.",
      TEMPLATE_GENERAL, 14 },
    { "佐证材料", "佐证材料：填“是”或“无”时必填。\nevidence: what the value rests on; required for yes and for absent.",
      TEMPLATE_TEXT, 30 },
    { "填写规则", "填写规则（只读）。\nrule: for reading; ignored.", TEMPLATE_TEXT, 40 },
};

/* Moves the cells of table row fields (n of them) into row, blank-padded to
 * n_cols. Returns 0, or -1 when out of memory. */
static int row_take(char **row, size_t n_cols, char **fields, size_t n)
{
    for (size_t j = 0; j < n_cols; j++) {
        row[j] = j < n ? fields[j] : strdup("");
        if (j < n)
            fields[j] = NULL;
        if (!row[j])
            return -1;
    }
    return 0;
}

/* The county-inputs template (county_inputs_template, Chinese headings) as a table. */
static table_template *county_template(const rules_config *rules, const char *county, int32_t period)
{
    char *text = county_inputs_template(rules, county, period, NULL, COUNTY_TEMPLATE_ZH_HEADERS);
    csv_table *ct = NULL;
    char err[128];
    int rc = text ? csv_table_parse(text, strlen(text), &ct, err, sizeof err) : -1;
    free(text);
    if (rc != 0)
        return NULL;
    table_template *t = template_new(ct->n_cols, ct->n_rows);
    for (size_t j = 0; t && j < ct->n_cols; j++) {
        template_column *c = &t->cols[j];
        c->heading = strdup(ct->header[j]);
        c->format = TEMPLATE_TEXT;
        c->width = 16;
        for (size_t k = 0; k < sizeof COUNTY_COLUMNS / sizeof COUNTY_COLUMNS[0]; k++)
            if (strcmp(ct->header[j], COUNTY_COLUMNS[k].heading) == 0) {
                c->format = COUNTY_COLUMNS[k].format;
                c->width = COUNTY_COLUMNS[k].width;
                c->note = strdup(COUNTY_COLUMNS[k].note);
            }
        if (!c->heading || (!c->note && !(c->note = strdup(""))))
            table_template_destroy(&t);
    }
    for (size_t r = 0; t && r < ct->n_rows; r++)
        if (row_take(t->rows[r], t->n_cols, ct->rows[r].fields, ct->rows[r].n_fields) != 0)
            table_template_destroy(&t);
    csv_table_destroy(&ct);
    return t;
}

/* ---- the city's plan ----------------------------------------------------------------- */

/* The plan's example: 齐河县 (Dezhou's plan), every school year. */
static const char *const PLAN_EXAMPLE[PLAN_FIGURE_COUNT + PLAN_YEAR_COUNT] = {
    "0.50", "0.45", "100", "100", "100", "100", "100", "100", "100", "100", "73.81", "90.48", "2023", "2023", "",
};

/* The plan template (plan.h): county code and name, school year, the
 * figures, the years; one example row. */
static table_template *plan_template(void)
{
    enum { FIXED = 3 };
    table_template *t = template_new(FIXED + PLAN_FIGURE_COUNT + PLAN_YEAR_COUNT, 1);
    static const char *const fixed[FIXED][3] = {
        { "县区代码", "县区代码：6位；或只填县区名称。\ncounty_code: 6 digits; or give the county's name only.",
          "371425" },
        { "县区", "县区名称，与名册一致；或只填县区代码。\ncounty: its name in the registry; or the code only.",
          "齐河县" },
        { "学年", "学年：起始年份，如 2025；空白为每一学年。\nperiod: the school year; blank for every year.",
          "" },
    };
    for (size_t i = 0; t && i < t->n_cols; i++) {
        template_column *c = &t->cols[i];
        size_t k = i - FIXED;
        bool share = i >= FIXED && k < PLAN_FIGURE_COUNT && plan_figure_is_share((plan_figure)k);
        const plan_column_def *d = i < FIXED                ? NULL
                                   : k < PLAN_FIGURE_COUNT ? &PLAN_FIGURES[k]
                                                           : &PLAN_YEARS[k - PLAN_FIGURE_COUNT];
        c->heading = d ? fmt_dup("%s%s", d->zh, share ? "（%）" : "") : strdup(fixed[i][0]);
        c->note = !d ? strdup(fixed[i][1])
                  : share ? fmt_dup("%s：0–100。\n%s: the planned share of schools, in percent.", d->zh, d->column)
                  : k < PLAN_FIGURE_COUNT ? fmt_dup("%s：0–1。\n%s: the planned ceiling of the stage's coefficients.",
                                                    d->zh, d->column)
                                          : fmt_dup("%s：如 2025，可空。\n%s: a year; may be blank.", d->zh, d->column);
        c->format = i < 2 ? TEMPLATE_TEXT : TEMPLATE_GENERAL;
        c->width = i < 2 ? 12 : width_of(c->heading);
        t->rows[0][i] = strdup(d ? PLAN_EXAMPLE[k] : fixed[i][2]);
        if (!c->heading || !c->note || !t->rows[0][i])
            table_template_destroy(&t);
    }
    return t;
}

/* ---- the whole ------------------------------------------------------------------------ */

/* See table_template.h. */
int table_template_build(template_kind kind, const rules_config *rules, const char *county, int32_t period,
                         table_template **out)
{
    *out = NULL;
    if (kind == TEMPLATE_SUBMISSIONS)
        *out = submissions_template();
    else if (kind == TEMPLATE_REGISTRY)
        *out = registry_template();
    else if (kind == TEMPLATE_PLAN)
        *out = plan_template();
    else if (county && period > 0)
        *out = county_template(rules, county, period);
    return *out ? 0 : -1;
}

/* Appends one CSV record of n cells to *s (length *len), quoting where
 * needed. Returns 0, or -1 when out of memory (then *s is freed and NULL). */
static int csv_append(char **s, size_t *len, char *const *cells, size_t n)
{
    size_t need = *len + 2;
    for (size_t j = 0; j < n; j++)
        need += 2 * strlen(cells[j]) + 3;
    char *p = realloc(*s, need);
    if (!p) {
        free(*s);
        *s = NULL;
        return -1;
    }
    *s = p;
    for (size_t j = 0; j < n; j++) {
        if (j)
            p[(*len)++] = ',';
        const char *c = cells[j];
        bool quote = strpbrk(c, ",\"\r\n") != NULL;
        if (quote)
            p[(*len)++] = '"';
        for (; *c; c++) {
            if (*c == '"')
                p[(*len)++] = '"';
            p[(*len)++] = *c;
        }
        if (quote)
            p[(*len)++] = '"';
    }
    p[(*len)++] = '\n';
    p[*len] = '\0';
    return 0;
}

/* See table_template.h. */
char *table_template_csv(const table_template *t, size_t *len)
{
    char **headings = calloc(t->n_cols ? t->n_cols : 1, sizeof *headings);
    char *s = strdup("\xEF\xBB\xBF");
    size_t n = 3;
    if (!headings || !s) {
        free(headings);
        free(s);
        return NULL;
    }
    for (size_t j = 0; j < t->n_cols; j++)
        headings[j] = t->cols[j].heading;
    int rc = csv_append(&s, &n, headings, t->n_cols);
    for (size_t r = 0; rc == 0 && r < t->n_rows; r++)
        rc = csv_append(&s, &n, t->rows[r], t->n_cols);
    free(headings);
    if (rc != 0)
        return NULL;
    if (len)
        *len = n;
    return s;
}

/* See table_template.h. */
void table_template_destroy(table_template **p)
{
    if (!p || !*p)
        return;
    table_template *t = *p;
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t j = 0; t->rows[r] && j < t->n_cols; j++)
            free(t->rows[r][j]);
        free(t->rows[r]);
    }
    for (size_t j = 0; j < t->n_cols; j++) {
        free(t->cols[j].heading);
        free(t->cols[j].note);
    }
    free(t->rows);
    free(t->cols);
    free(t);
    *p = NULL;
}

/* See table_template.h. */
int table_template_kind_of(const char *name)
{
    if (strcmp(name, "submissions") == 0)
        return TEMPLATE_SUBMISSIONS;
    if (strcmp(name, "registry") == 0)
        return TEMPLATE_REGISTRY;
    if (strcmp(name, "county-inputs") == 0)
        return TEMPLATE_COUNTY_INPUTS;
    if (strcmp(name, "plan") == 0)
        return TEMPLATE_PLAN;
    return -1;
}
