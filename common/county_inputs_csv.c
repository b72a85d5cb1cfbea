/* county_inputs_csv.c -- reading, validating and writing the county-inputs
 * file. See county_inputs_csv.h; docs/rules.md ("Whole verdict") describes
 * the file and every refusal. */
#include "county_inputs_csv.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assess_items.h"
#include "cell_text.h"
#include "csv_table.h"
#include "header_match.h"

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
    char bare[256]; /* "数值（元）": the heading without its unit */
    if (header_without_unit(h, bare, sizeof bare))
        return column_find(bare);
    return -1;
}

/* ---- reading ------------------------------------------------------------------------ */

typedef struct {
    county_inputs_file *file;
    size_t cap;
    county_rows_seen *seen;      /* per set: the line each field was given on, 0 when not */
    county_rows_ctx ctx;         /* the province vetoes, the problems, "line" */
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
        county_rows_seen *seen = realloc(rd->seen, cap * sizeof *seen);
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
    memset(&rd->seen[f->n_sets], 0, sizeof rd->seen[f->n_sets]);
    *index = f->n_sets++;
    return s;
}

/* The cell of column c in row r ("" when the column or the cell is absent). */
static const char *cell_of(const csv_row *r, const int *pos, ci_column c)
{
    int j = pos[c];
    return j >= 0 && (size_t)j < r->n_fields ? r->fields[j] : "";
}

/* The county and period of a row; false (reported) when either is bad. */
static bool row_identity(reader *rd, const char *county, const char *period_text, const char *item, const char *field,
                         size_t line, int32_t *period)
{
    char b[64], zh[200], en[200];
    bool ok = true;
    if (!code_is_digits(county, COUNTY_CODE_LEN)) {
        snprintf(zh, sizeof zh, "县区代码“%s”应为6位数字", cell_text_shown(county, b, sizeof b));
        snprintf(en, sizeof en, "county_code '%s' must be 6 digits", cell_text_shown(county, b, sizeof b));
        county_rows_problem(&rd->ctx, item, field, line, zh, en);
        ok = false;
    }
    if (!code_is_digits(period_text, 4) || period_text[0] == '0') {
        snprintf(zh, sizeof zh, "学年“%s”应为4位年份", cell_text_shown(period_text, b, sizeof b));
        snprintf(en, sizeof en, "period '%s' must be a 4-digit year", cell_text_shown(period_text, b, sizeof b));
        county_rows_problem(&rd->ctx, item, field, line, zh, en);
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
    int f = county_rows_slot(&rd->ctx, item, field, r->line);
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
    int rc = county_rows_set(&rd->ctx, &set->inputs, &rd->seen[index], f, value, evidence, r->line);
    if (rc < 0)
        rd->oom = 1;
    else if (rc == 0)
        set->n_errors++;
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
            const char *names[2 * COL_COUNT];
            for (int k = 0; k < COL_COUNT; k++)
                names[2 * k] = COLUMNS[k][0], names[2 * k + 1] = COLUMNS[k][1];
            const char *near = header_nearest(h, names, 2 * COL_COUNT);
            if (near)
                problem_list_add(problems, h, _("unknown column '%s': did you mean '%s'?"), h,
                                 near);
            else
                problem_list_add(problems, h, _("unknown column '%s'"), h);
            ok = false;
        } else if (pos[c] >= 0) {
            problem_list_add(problems, h, _("repeated column: %s"), COLUMNS[c][0]);
            ok = false;
        } else {
            pos[c] = (int)j;
        }
    }
    for (int c = COL_COUNTY; c <= COL_VALUE; c++) {
        bool defaulted = (c == COL_COUNTY && default_county) || (c == COL_PERIOD && default_period > 0);
        if (pos[c] < 0 && !defaulted) {
            problem_list_add(problems, COLUMNS[c][0], _("missing column %s (%s)"), COLUMNS[c][0],
                             COLUMNS[c][1]);
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
    reader rd = { calloc(1, sizeof *rd.file), 0, NULL, { rules, problems, "行", "line" }, 0 };
    if (!rd.file) {
        csv_table_destroy(&t);
        problem_list_add(problems, "", _("out of memory"));
        return -1;
    }
    for (size_t i = 0; i < t->n_rows && !rd.oom; i++)
        read_row(&rd, &t->rows[i], pos, default_county, default_period);
    for (size_t i = 0; i < rd.file->n_sets && !rd.oom; i++)
        rd.file->sets[i].n_errors += county_rows_check_relations(&rd.ctx, &rd.file->sets[i].inputs, &rd.seen[i]);
    csv_table_destroy(&t);
    free(rd.seen);
    if (rd.oom || problems->oom) {
        county_inputs_file_destroy(&rd.file);
        problem_list_add(problems, "", _("out of memory"));
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

/* Appends one template row: the item's number and name, the field's id,
 * label and unit, the value (if present) and its evidence, and the rule. */
static void template_row(text_buf *b, const char *county_code, const char *period, const char *number,
                         const char *item_name, const county_input_def *d, const county_input_value *v,
                         const char *rule)
{
    char value[COUNTY_VALUE_TEXT_MAX] = "";
    if (v && v->present)
        county_input_value_text(d->type, v, value);
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
