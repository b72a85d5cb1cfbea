/* county_inputs_csv.c -- reading, validating and writing the county-inputs
 * file. See county_inputs_csv.h; docs/rules.md ("Whole verdict") describes
 * the file and every refusal. */
#include "county_inputs_csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assess_items.h"
#include "csv_table.h"
#include "real_format.h"

/* ---- columns ------------------------------------------------------------------ */

/* The data columns first, then the ones the template writes for people. */
typedef enum { COL_COUNTY = 0, COL_PERIOD, COL_ITEM, COL_FIELD, COL_VALUE, COL_EVIDENCE, /* data */
               COL_ITEM_NAME, COL_LABEL, COL_UNIT, COL_RULE, /* ignored on reading */
               COL_COUNT } ci_column;

/* English heading, Chinese heading, another Chinese heading ("" when none). */
static const char *const COLUMNS[COL_COUNT][3] = {
    { "county_code", "县区代码", "" }, { "period", "学年", "" }, { "item", "序号", "指标" },
    { "field", "字段", "" },           { "value", "数值", "" },  { "evidence", "佐证材料", "" },
    { "item_name", "指标名称", "" },   { "label", "名称", "" },  { "unit", "单位", "" },
    { "rule", "填写规则", "" },
};

/* The column a trimmed heading names, or -1. */
static int column_find(const char *h)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (strcasecmp(h, COLUMNS[c][0]) == 0 || strcmp(h, COLUMNS[c][1]) == 0 ||
            (COLUMNS[c][2][0] && strcmp(h, COLUMNS[c][2]) == 0))
            return c;
    return -1;
}

/* ---- problems ------------------------------------------------------------------ */

/* Adds a problem for (item text, field text) at `line`, with a Chinese and an
 * English reason. */
static void row_problem(problem_list *pl, const char *item, const char *field, size_t line, const char *zh,
                        const char *en)
{
    char name[160];
    snprintf(name, sizeof name, "%s%s%s", item, item[0] && field[0] ? " " : "", field);
    problem_list_add(pl, name, "第%zu行：%s；line %zu: %s", line, zh, line, en);
}

/* A value cut to 40 bytes for quoting (at a UTF-8 boundary). */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s), max = size > 44 ? 40 : size - 4;
    if (n <= max) {
        snprintf(buf, size, "%s", s);
        return buf;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    snprintf(buf, size, "%.*s...", (int)max, s);
    return buf;
}

/* ---- values ---------------------------------------------------------------------- */

/* Whether s is a plain decimal: [+-] digits [. digits] [e [+-] digits]. */
static bool decimal_syntax(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t a = strspn(p, "0123456789");
    p += a;
    size_t b = 0;
    if (*p == '.') {
        p++;
        b = strspn(p, "0123456789");
        p += b;
    }
    if (a + b == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t e = strspn(p, "0123456789");
        if (e == 0)
            return false;
        p += e;
    }
    return *p == '\0';
}

/* The monitoring level written as 1–4, Ⅰ–Ⅳ or I–IV; 0 when it is none. */
static int level_word(const char *s)
{
    static const char *const ROMAN[4][3] = { { "1", "\xE2\x85\xA0", "I" },
                                             { "2", "\xE2\x85\xA1", "II" },
                                             { "3", "\xE2\x85\xA2", "III" },
                                             { "4", "\xE2\x85\xA3", "IV" } };
    for (int k = 0; k < 4; k++)
        if (strcmp(s, ROMAN[k][0]) == 0 || strcmp(s, ROMAN[k][1]) == 0 || strcasecmp(s, ROMAN[k][2]) == 0)
            return k + 1;
    return 0;
}

/* Parses one value cell for field d into *value (and *as_percent). Returns
 * true, or false with the reason in zh / en. */
static bool parse_value(const county_input_def *d, const char *cell, double *value, bool *as_percent, char *zh,
                        char *en, size_t n)
{
    char b[64];
    const char *s = shown(cell, b, sizeof b);
    *as_percent = false;
    if (d->type == CIT_JUDGEMENT || d->type == CIT_VETO) {
        bool judgement = d->type == CIT_JUDGEMENT;
        const char *on = judgement ? "yes" : "present", *off = judgement ? "no" : "absent";
        const char *on_zh = judgement ? "是" : "有", *off_zh = judgement ? "否" : "无";
        if (strcasecmp(cell, on) == 0 || strcmp(cell, on_zh) == 0 || (!judgement && strcmp(cell, "存在") == 0))
            *value = 1;
        else if (strcasecmp(cell, off) == 0 || strcmp(cell, off_zh) == 0 || (!judgement && strcmp(cell, "不存在") == 0))
            *value = 0;
        else {
            snprintf(zh, n, "“%s”应为%s或%s（%s/%s）", s, on, off, on_zh, off_zh);
            snprintf(en, n, "'%s' must be %s or %s", s, on, off);
            return false;
        }
        return true;
    }
    if (d->type == CIT_LEVEL && level_word(cell)) {
        *value = level_word(cell);
        return true;
    }
    char num[64];
    size_t len = strlen(cell);
    size_t pct = len >= 1 && cell[len - 1] == '%' ? 1 : len >= 3 && strcmp(cell + len - 3, "\xEF\xBC\x85") == 0 ? 3 : 0;
    if (len - pct >= sizeof num) {
        snprintf(zh, n, "“%s”不是数字", s);
        snprintf(en, n, "'%s' is not a number", s);
        return false;
    }
    memcpy(num, cell, len - pct);
    num[len - pct] = '\0';
    while (pct && len - pct > 0 && num[strlen(num) - 1] == ' ')
        num[strlen(num) - 1] = '\0';
    if (!decimal_syntax(num) && d->type == CIT_LEVEL) {
        snprintf(zh, n, "“%s”应为水平1–4（Ⅰ–Ⅳ）", s);
        snprintf(en, n, "'%s' must be a level 1-4 (I-IV)", s);
        return false;
    }
    if (!decimal_syntax(num)) {
        bool commas = strchr(num, ',') && strspn(num, "0123456789,.+-") == strlen(num);
        snprintf(zh, n, "“%s”不是数字%s", s, commas ? "（请勿使用千位分隔符）" : "");
        snprintf(en, n, "'%s' is not a number%s", s, commas ? " (write it without thousands separators)" : "");
        return false;
    }
    errno = 0;
    double v = strtod(num, NULL);
    if (errno == ERANGE || !isfinite(v)) {
        snprintf(zh, n, "“%s”超出范围", s);
        snprintf(en, n, "'%s' is out of range", s);
        return false;
    }
    if (pct && d->type != CIT_RATIO) {
        snprintf(zh, n, "“%s”：此处不应填百分数", s);
        snprintf(en, n, "'%s': a percentage is not expected here", s);
        return false;
    }
    if (pct) {
        v /= 100.0;
        *as_percent = true;
    }
    if (v < 0) {
        snprintf(zh, n, "“%s”：不能为负数", s);
        snprintf(en, n, "'%s': a negative %s", s, d->type == CIT_COUNT ? "count" : "value");
        return false;
    }
    if (d->type == CIT_RATIO && !pct && v > 1) {
        snprintf(zh, n, "“%s”像是百分数，此处应填比率：请填%g或写成%s%%", s, v / 100, num);
        snprintf(en, n, "'%s' looks like a percentage where a ratio is expected: write %g or %s%%", s, v / 100, num);
        return false;
    }
    if ((d->type == CIT_COUNT || d->type == CIT_LEVEL) && v != floor(v)) {
        snprintf(zh, n, "“%s”不是整数", s);
        snprintf(en, n, "'%s' is not a whole number", s);
        return false;
    }
    if (v < d->min || v > d->max) {
        snprintf(zh, n, "“%s”超出范围%g–%g", s, d->min, d->max);
        snprintf(en, n, "'%s' is outside %g-%g", s, d->min, d->max);
        return false;
    }
    *value = v;
    return true;
}

/* ---- reading ------------------------------------------------------------------------ */

/* Where a row's value goes: a field (0 … CI_FIELD_COUNT − 1) or province veto k
 * (CI_FIELD_COUNT + k). */
#define SLOT_COUNT (CI_FIELD_COUNT + RULES_EXTRA_VETO_MAX)

typedef struct {
    county_inputs_file *file;
    size_t cap;
    size_t (*seen)[SLOT_COUNT];  /* per set: the line each field was given on, 0 when not */
    const rules_config *rules;   /* for the province vetoes; NULL: none */
    problem_list *problems;
    int oom;
} reader;

/* The set of (county, period), created when new; NULL when out of memory. */
static county_inputs_revision *set_for(reader *rd, const char *county, int32_t period, size_t line, size_t *index)
{
    county_inputs_file *f = rd->file;
    for (size_t i = 0; i < f->n_sets; i++)
        if (f->sets[i].period == period && strcmp(f->sets[i].county_code, county) == 0) {
            *index = i;
            return &f->sets[i];
        }
    if (f->n_sets == rd->cap) {
        size_t cap = rd->cap ? rd->cap * 2 : 4;
        county_inputs_revision *s = realloc(f->sets, cap * sizeof *s);
        if (!s)
            return NULL;
        f->sets = s;
        size_t(*seen)[SLOT_COUNT] = realloc(rd->seen, cap * sizeof *seen);
        if (!seen)
            return NULL;
        rd->seen = seen;
        rd->cap = cap;
    }
    county_inputs_revision *s = &f->sets[f->n_sets];
    memset(s, 0, sizeof *s);
    snprintf(s->county_code, sizeof s->county_code, "%s", county);
    s->period = period;
    s->first_line = line;
    memset(rd->seen[f->n_sets], 0, sizeof rd->seen[f->n_sets]);
    *index = f->n_sets++;
    return s;
}

/* The cell of column c in row r ("" when the column or the cell is absent). */
static const char *cell_of(const csv_row *r, const int *pos, ci_column c)
{
    int j = pos[c];
    return j >= 0 && (size_t)j < r->n_fields ? r->fields[j] : "";
}

/* The slot of province veto `item_text` (number or id) and its field
 * `present` (or its Chinese name); -1 when item_text is none of them, -2
 * (reported) when the field is wrong. */
static int extra_veto_slot(reader *rd, const char *item_text, const char *field_text, size_t line)
{
    for (int k = 0; rd->rules && k < rd->rules->n_extra_vetoes; k++) {
        const rules_extra_veto *x = &rd->rules->extra_veto[k];
        if (strcmp(item_text, x->number) != 0 && strcmp(item_text, x->key) != 0)
            continue;
        if (strcmp(field_text, "present") == 0 || strcmp(field_text, x->name_zh) == 0)
            return CI_FIELD_COUNT + k;
        char b[64], zh[200], en[200];
        snprintf(zh, sizeof zh, "指标%s没有字段“%s”（可填：present）", x->number, shown(field_text, b, sizeof b));
        snprintf(en, sizeof en, "item %s has no field '%s' (its fields: present)", x->number,
                 shown(field_text, b, sizeof b));
        row_problem(rd->problems, x->number, field_text, line, zh, en);
        return -2;
    }
    return -1;
}

/* Finds the slot a row names; on failure reports it and returns -1. */
static int row_field(reader *rd, const char *item_text, const char *field_text, size_t line)
{
    char b[64], zh[400], en[400];
    const item_def *item = item_find(item_text);
    if (!item_text[0]) {
        row_problem(rd->problems, item_text, field_text, line, "缺少序号（指标）", "the item is missing");
        return -1;
    }
    int x = item ? -1 : extra_veto_slot(rd, item_text, field_text, line);
    if (x != -1)
        return x < 0 ? -1 : x;
    if (!item) {
        snprintf(zh, sizeof zh, "未知指标“%s”", shown(item_text, b, sizeof b));
        snprintf(en, sizeof en, "unknown item '%s'", shown(item_text, b, sizeof b));
        row_problem(rd->problems, item_text, field_text, line, zh, en);
        return -1;
    }
    int f = county_input_find(item->item, field_text);
    if (f >= 0)
        return f;
    int other = county_input_find_any(field_text);
    char list[240] = "";
    for (int k = 0; k < CI_FIELD_COUNT; k++)
        if (COUNTY_INPUT_DEFS[k].item == item->item &&
            strlen(list) + strlen(COUNTY_INPUT_DEFS[k].key) + 3 < sizeof list)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "",
                     COUNTY_INPUT_DEFS[k].key);
    if (!list[0]) {
        snprintf(zh, sizeof zh, "指标%s（%s）由学校数据计算，县级无需填报", item->number, item->name_zh);
        snprintf(en, sizeof en, "item %s (%s) is computed from school data; a county does not send it", item->number,
                 item->key);
    } else if (other >= 0 && field_text[0]) {
        snprintf(zh, sizeof zh, "字段%s属于指标%s，不属于指标%s", field_text,
                 ITEMS[COUNTY_INPUT_DEFS[other].item].number, item->number);
        snprintf(en, sizeof en, "field %s belongs to item %s, not %s", field_text,
                 ITEMS[COUNTY_INPUT_DEFS[other].item].number, item->number);
    } else {
        snprintf(zh, sizeof zh, "指标%s没有字段“%s”（可填：%s）", item->number, shown(field_text, b, sizeof b), list);
        snprintf(en, sizeof en, "item %s has no field '%s' (its fields: %s)", item->number,
                 shown(field_text, b, sizeof b), list);
    }
    row_problem(rd->problems, item->number, field_text, line, zh, en);
    return -1;
}

/* The county and period of a row; false (reported) when either is bad. */
static bool row_identity(reader *rd, const char *county, const char *period_text, const char *item, const char *field,
                         size_t line, int32_t *period)
{
    char b[64], zh[200], en[200];
    bool ok = true;
    if (!code_is_digits(county, COUNTY_CODE_LEN)) {
        snprintf(zh, sizeof zh, "县区代码“%s”应为6位数字", shown(county, b, sizeof b));
        snprintf(en, sizeof en, "county_code '%s' must be 6 digits", shown(county, b, sizeof b));
        row_problem(rd->problems, item, field, line, zh, en);
        ok = false;
    }
    if (!code_is_digits(period_text, 4) || period_text[0] == '0') {
        snprintf(zh, sizeof zh, "学年“%s”应为4位年份", shown(period_text, b, sizeof b));
        snprintf(en, sizeof en, "period '%s' must be a 4-digit year", shown(period_text, b, sizeof b));
        row_problem(rd->problems, item, field, line, zh, en);
        ok = false;
    } else {
        *period = (int32_t)atoi(period_text);
    }
    return ok;
}

/* Reads one data row into its set. */
static void read_row(reader *rd, const csv_row *r, const int *pos, const char *default_county, int32_t default_period)
{
    const char *item = cell_of(r, pos, COL_ITEM), *field = cell_of(r, pos, COL_FIELD);
    const char *value = cell_of(r, pos, COL_VALUE), *evidence = cell_of(r, pos, COL_EVIDENCE);
    if (!value[0])
        return; /* not given: the field stays pending */
    char period_buf[16];
    const char *county = pos[COL_COUNTY] >= 0 ? cell_of(r, pos, COL_COUNTY) : default_county;
    const char *period_text = cell_of(r, pos, COL_PERIOD);
    if (pos[COL_PERIOD] < 0) {
        snprintf(period_buf, sizeof period_buf, "%d", (int)default_period);
        period_text = period_buf;
    }
    int32_t period = 0;
    bool ok = row_identity(rd, county, period_text, item, field, r->line, &period);
    int f = row_field(rd, item, field, r->line);
    size_t index = 0;
    county_inputs_revision *set = ok ? set_for(rd, county, period, r->line, &index) : NULL;
    if (ok && !set) {
        rd->oom = 1;
        return;
    }
    if (f < 0 || !set) {
        if (set)
            set->n_errors++;
        return;
    }
    county_input_def xd = { CI_FIELD_COUNT, ITEM_5_6, "present", "", "", CIT_VETO, 0, 1 };
    const char *num;
    if (f < CI_FIELD_COUNT) {
        xd = COUNTY_INPUT_DEFS[f];
        num = ITEMS[xd.item].number;
    } else {
        num = rd->rules->extra_veto[f - CI_FIELD_COUNT].number;
    }
    const county_input_def *d = &xd;
    char zh[400], en[400];
    double v = 0;
    bool pct = false;
    bool good = parse_value(d, value, &v, &pct, zh, en, sizeof zh);
    if (good && !evidence[0] && ((d->type == CIT_JUDGEMENT && v == 1) || (d->type == CIT_VETO && v == 0))) {
        const char *word = d->type == CIT_JUDGEMENT ? "yes" : "absent";
        snprintf(zh, sizeof zh, "填“%s”须附佐证材料", value);
        snprintf(en, sizeof en, "'%s' needs evidence (%s requires the documents it rests on)", value, word);
        good = false;
    }
    if (good && !evidence[0] && f < CI_FIELD_COUNT && ITEMS[d->item].source == SOURCE_EXTERNAL) {
        snprintf(zh, sizeof zh, "外部结果须在佐证材料中注明来源（组织单位、年份）");
        snprintf(en, sizeof en, "an external result needs its source as evidence (who ran it, which year)");
        good = false;
    }
    if (good && strlen(evidence) > COUNTY_EVIDENCE_MAX) {
        snprintf(zh, sizeof zh, "佐证材料超过%d字节", COUNTY_EVIDENCE_MAX);
        snprintf(en, sizeof en, "evidence longer than %d bytes", COUNTY_EVIDENCE_MAX);
        good = false;
    }
    if (good && rd->seen[index][f]) {
        snprintf(zh, sizeof zh, "字段重复（第%zu行已填）", rd->seen[index][f]);
        snprintf(en, sizeof en, "repeated field (already given on line %zu)", rd->seen[index][f]);
        good = false;
    }
    if (!good) {
        row_problem(rd->problems, num, d->key, r->line, zh, en);
        set->n_errors++;
        return;
    }
    rd->seen[index][f] = r->line;
    int rc = f < CI_FIELD_COUNT ? county_inputs_set(&set->inputs, (county_input_field)f, v, pct, evidence)
                                : county_inputs_set_extra_veto(&set->inputs, f - CI_FIELD_COUNT, v, evidence);
    if (rc != 0)
        rd->oom = 1;
}

/* Sum of the present fields of one side of a relation; *all false when one is absent. */
static double side_sum(const county_inputs *in, const int *fields, size_t n, bool *all, bool *any)
{
    double sum = 0;
    *all = true;
    *any = false;
    for (size_t i = 0; i < n && fields[i] >= 0; i++) {
        if (in->v[fields[i]].present) {
            sum += in->v[fields[i]].value;
            *any = true;
        } else {
            *all = false;
        }
    }
    return sum;
}

/* Checks every parts-of-whole relation of one set (when its whole is given). */
static void check_relations(reader *rd, county_inputs_revision *set, size_t index)
{
    for (size_t k = 0; k < COUNTY_INPUT_RELATION_COUNT; k++) {
        const county_input_relation *rel = &COUNTY_INPUT_RELATIONS[k];
        bool whole_all, whole_any, parts_all, parts_any;
        double whole = side_sum(&set->inputs, rel->wholes, 2, &whole_all, &whole_any);
        double parts = side_sum(&set->inputs, rel->parts, 4, &parts_all, &parts_any);
        if (!whole_all || !parts_any || parts <= whole)
            continue;
        const county_input_def *d = &COUNTY_INPUT_DEFS[rel->parts[0]];
        char zh[400], en[400];
        snprintf(zh, sizeof zh, "部分之和%.0f超过总数%.0f（%s）", parts, whole, rel->text_zh);
        snprintf(en, sizeof en, "a part above its whole: %.0f > %.0f (%s)", parts, whole, rel->text_en);
        size_t line = rd->seen[index][rel->parts[0]];
        for (int i = 0; i < 4 && rel->parts[i] >= 0; i++)
            if (rd->seen[index][rel->parts[i]] > line)
                line = rd->seen[index][rel->parts[i]];
        row_problem(rd->problems, ITEMS[d->item].number, d->key, line, zh, en);
        set->n_errors++;
    }
}

/* Maps columns to header positions; reports file-level problems. Returns false on one. */
static bool map_header(const csv_table *t, int *pos, const char *default_county, int32_t default_period,
                       problem_list *problems)
{
    bool ok = true;
    for (int c = 0; c < COL_COUNT; c++)
        pos[c] = -1;
    for (size_t j = 0; j < t->n_cols; j++) {
        const char *h = t->header[j];
        if (!h[0])
            continue;
        int c = column_find(h);
        if (c < 0) {
            problem_list_add(problems, h, "未知列“%s”；unknown column '%s'", h, h);
            ok = false;
        } else if (pos[c] >= 0) {
            problem_list_add(problems, h, "列重复：%s；repeated column: %s", COLUMNS[c][0], COLUMNS[c][0]);
            ok = false;
        } else {
            pos[c] = (int)j;
        }
    }
    for (int c = COL_COUNTY; c <= COL_VALUE; c++) {
        bool defaulted = (c == COL_COUNTY && default_county) || (c == COL_PERIOD && default_period > 0);
        if (pos[c] < 0 && !defaulted) {
            problem_list_add(problems, COLUMNS[c][0], "缺少列%s（%s）；missing column %s", COLUMNS[c][0], COLUMNS[c][1],
                             COLUMNS[c][0]);
            ok = false;
        }
    }
    return ok;
}

int county_inputs_read(const char *bytes, size_t len, const rules_config *rules, const char *default_county,
                       int32_t default_period, county_inputs_file **out, problem_list *problems)
{
    *out = NULL;
    char err[256];
    csv_table *t = NULL;
    if (csv_table_parse(bytes, len, &t, err, sizeof err) != 0) {
        problem_list_add(problems, "", "%s", err);
        return -1;
    }
    int pos[COL_COUNT];
    if (!map_header(t, pos, default_county, default_period, problems)) {
        csv_table_destroy(&t);
        return -1;
    }
    reader rd = { calloc(1, sizeof *rd.file), 0, NULL, rules, problems, 0 };
    if (!rd.file) {
        csv_table_destroy(&t);
        problem_list_add(problems, "", "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t->n_rows && !rd.oom; i++)
        read_row(&rd, &t->rows[i], pos, default_county, default_period);
    for (size_t i = 0; i < rd.file->n_sets && !rd.oom; i++)
        check_relations(&rd, &rd.file->sets[i], i);
    csv_table_destroy(&t);
    free(rd.seen);
    if (rd.oom || problems->oom) {
        county_inputs_file_destroy(&rd.file);
        problem_list_add(problems, "", "out of memory");
        return -1;
    }
    *out = rd.file;
    return 0;
}

void county_inputs_file_destroy(county_inputs_file **p)
{
    if (!p || !*p)
        return;
    county_inputs_file *f = *p;
    for (size_t i = 0; i < f->n_sets; i++)
        county_inputs_clear(&f->sets[i].inputs);
    free(f->sets);
    free(f);
    *p = NULL;
}

/* ---- writing ------------------------------------------------------------------------- */

void county_input_rule_text(county_input_field field, char *buf, size_t size)
{
    static const char *const TYPE_RULE[CIT_TYPE_COUNT][2] = {
        { "整数，≥ 0", "whole number >= 0" },
        { "金额（元），≥ 0", "yuan >= 0" },
        { "比率0–1（如0.95），百分数须带%（如95%）", "ratio 0-1 (0.95), a percentage only with % (95%)" },
        { "水平1–4（Ⅰ–Ⅳ）", "level 1-4 (I-IV)" },
        { "yes或no（是/否），填yes须附佐证材料", "yes or no; yes needs evidence" },
        { "present或absent（有/无），填absent须附佐证材料", "present or absent; absent needs evidence" },
    };
    const county_input_def *d = &COUNTY_INPUT_DEFS[field];
    snprintf(buf, size, "%s / %s", TYPE_RULE[d->type][0], TYPE_RULE[d->type][1]);
    if (ITEMS[d->item].source == SOURCE_EXTERNAL && strlen(buf) + 1 < size)
        snprintf(buf + strlen(buf), size - strlen(buf), "; %s / %s", "佐证材料须注明来源（组织单位、年份）",
                 "evidence: the source (who ran it, which year)");
    for (size_t k = 0; k < COUNTY_INPUT_RELATION_COUNT; k++) {
        const county_input_relation *rel = &COUNTY_INPUT_RELATIONS[k];
        bool part = false;
        for (int i = 0; i < 4 && rel->parts[i] >= 0; i++)
            part = part || rel->parts[i] == (int)field;
        if (part && strlen(buf) + 1 < size)
            snprintf(buf + strlen(buf), size - strlen(buf), "; %s / %s", rel->text_zh, rel->text_en);
    }
}

/* A growable text buffer. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} text_buf;

/* Appends n bytes of s. */
static void tb_add(text_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Appends one CSV cell (quoted when it holds a comma, quote or line break),
 * preceded by a comma unless first. */
static void tb_cell(text_buf *b, const char *cell, bool first)
{
    if (!first)
        tb_add(b, ",", 1);
    if (!strpbrk(cell, ",\"\r\n")) {
        tb_add(b, cell, strlen(cell));
        return;
    }
    tb_add(b, "\"", 1);
    for (const char *p = cell; *p; p++) {
        if (*p == '"')
            tb_add(b, "\"", 1); /* a quote inside is doubled */
        tb_add(b, p, 1);
    }
    tb_add(b, "\"", 1);
}

/* The text of a present value: a number's shortest form (no ".0"), or the word. */
static void value_text(const county_input_def *d, const county_input_value *v, char *buf)
{
    if (d->type == CIT_JUDGEMENT)
        snprintf(buf, REAL_FORMAT_MAX, "%s", v->value != 0 ? "yes" : "no");
    else if (d->type == CIT_VETO)
        snprintf(buf, REAL_FORMAT_MAX, "%s", v->value != 0 ? "present" : "absent");
    else {
        size_t n = real_format_shortest(v->value, buf);
        if (n > 2 && strcmp(buf + n - 2, ".0") == 0)
            buf[n - 2] = '\0';
    }
}

/* Appends one template row: the item's number and name, the field's id,
 * label and unit, the value (if present) and its evidence, and the rule. */
static void template_row(text_buf *b, const char *county_code, const char *period, const char *number,
                         const char *item_name, const county_input_def *d, const county_input_value *v,
                         const char *rule)
{
    char value[REAL_FORMAT_MAX] = "";
    if (v && v->present)
        value_text(d, v, value);
    const char *cells[] = { county_code ? county_code : "", period, number, item_name, d->key, d->label_zh, d->unit,
                            value, v && v->present && v->evidence ? v->evidence : "", rule };
    for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
        tb_cell(b, cells[c], c == 0);
    tb_add(b, "\r\n", 2);
}

char *county_inputs_template(const rules_config *rules, const char *county_code, int32_t period,
                             const county_inputs *values, unsigned flags)
{
    static const ci_column ORDER[] = { COL_COUNTY, COL_PERIOD, COL_ITEM,  COL_ITEM_NAME, COL_FIELD,
                                       COL_LABEL,  COL_UNIT,   COL_VALUE, COL_EVIDENCE,  COL_RULE };
    text_buf b = { NULL, 0, 0, 0 };
    if (flags & COUNTY_TEMPLATE_BOM)
        tb_add(&b, "\xEF\xBB\xBF", 3);
    for (size_t c = 0; c < sizeof ORDER / sizeof ORDER[0]; c++)
        tb_cell(&b, COLUMNS[ORDER[c]][(flags & COUNTY_TEMPLATE_ZH_HEADERS) ? 1 : 0], c == 0);
    tb_add(&b, "\r\n", 2);
    char period_text[16], rule[1024];
    snprintf(period_text, sizeof period_text, "%d", (int)period);
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        const county_input_def *d = &COUNTY_INPUT_DEFS[f];
        county_input_rule_text((county_input_field)f, rule, sizeof rule);
        if (f == 0 || COUNTY_INPUT_DEFS[f - 1].item != d->item) {   /* the item's first row: its rule too */
            char item_rule[400];
            item_rule_text(rules, d->item, item_rule, sizeof item_rule);
            if (item_rule[0] && strlen(rule) + strlen(item_rule) + 4 < sizeof rule) {
                memmove(rule + strlen(item_rule) + 3, rule, strlen(rule) + 1);
                memcpy(rule, item_rule, strlen(item_rule));
                memcpy(rule + strlen(item_rule), " | ", 3);
            }
        }
        template_row(&b, county_code, period_text, ITEMS[d->item].number, ITEMS[d->item].name_zh, d,
                     values ? &values->v[f] : NULL, rule);
    }
    county_input_rule_text(CI_5_6, rule, sizeof rule);
    for (int k = 0; rules && k < rules->n_extra_vetoes; k++) {
        const rules_extra_veto *x = &rules->extra_veto[k];
        county_input_def d = { CI_FIELD_COUNT, ITEM_5_6, "present", x->name_zh, "", CIT_VETO, 0, 1 };
        template_row(&b, county_code, period_text, x->number, x->name_zh, &d, values ? &values->extra_veto[k] : NULL,
                     rule);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
