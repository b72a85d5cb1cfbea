/* selfassess_table.c -- the self-assessment table (自评表) from a county's
 * status. See selfassess_table.h. */
#include "selfassess_table.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "county_inputs.h"
#include "csv_out.h"
#include "header_match.h"
#include "indicators.h"
#include "items.h"

const char *const SELFASSESS_COLUMNS[SA_COL_COUNT] = { "序号",       "评估内容", "指标及标准", "计算口径", "原始数据",
                                                       "县自评结果", "是否达标", "佐证材料",   "数据来源" };

/* A new formatted string (caller frees), or NULL when out of memory. */
static char *fmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, format);
        vsnprintf(s, (size_t)n + 1, format, ap);
        va_end(ap);
    }
    return s;
}

/* Appends a row of copies of cells (NULL reads as ""). Returns 0 or -1 (OOM). */
static int add_row(selfassess_table *t, const char *const cells[SA_COL_COUNT])
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 64;
        selfassess_row *r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return -1;
        t->rows = r;
        t->cap_rows = cap;
    }
    selfassess_row *row = &t->rows[t->n_rows];
    for (int c = 0; c < SA_COL_COUNT; c++)
        if (!(row->cell[c] = strdup(cells[c] ? cells[c] : ""))) {
            while (c-- > 0)
                free(row->cell[c]);
            return -1;
        }
    t->n_rows++;
    return 0;
}

/* The Chinese name of a source id. */
static const char *source_zh(const char *key)
{
    static const char *const names[][2] = { { "school_data", "学校填报数据" },
                                            { "county_input", "县级填报（教育局）" },
                                            { "external", "外部结果（县级报送，注明来源）" },
                                            { "school_data_and_county_input", "学校填报数据 + 县级填报" },
                                            { "computed", "计算所得" },
                                            { "rules", "规则文件" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], key) == 0)
            return names[i][1];
    return key;
}

/* Whether a failing section of stage `stage` misses indicator `key` (the
 * section half of item 1.k's rule, docs/rules.md). */
static bool section_misses(const status_county *s, const char *stage, const char *key)
{
    for (size_t i = 0; i < s->n_sections; i++) {
        const status_section *sec = &s->sections[i];
        if (sec->excluded_present || sec->pass || strcmp(sec->stage, stage) != 0)
            continue;
        for (size_t j = 0; j < sec->n_shortfalls; j++)
            if (strcmp(sec->shortfalls[j].indicator, key) == 0)
                return true;
    }
    return false;
}

/* An indicator's unit as the Chinese form writes it ("平方米/生",
 * "人/百名学生"), into buf: the table is Chinese, and its CSV may be saved
 * as GBK, which has no "²". */
static const char *unit_zh(const indicator_def *ind, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", header_unit_zh(ind->resource_unit), ind->per > 1 ? "百名学生" : "生");
    return buf;
}

/* The row of resource item `def` (1.1–1.7) for one stage. Returns 0 or -1 (OOM). */
static int resource_row(selfassess_table *t, const status_county *s, const item_def *def, int stage)
{
    const status_stage *st = &s->stage[stage];
    const indicator_def *ind = &INDICATORS[def->indicator];
    const status_indicator *si = NULL;
    for (size_t i = 0; i < st->n_indicators; i++)
        if (strcmp(st->indicators[i].id, ind->key) == 0)
            si = &st->indicators[i];
    const char *stage_zh = STAGE_NAMES_ZH[stage], *stage_key = STAGE_KEYS[stage];
    char *content = fmt("%s：%s（%s）", ITEM_PART_NAMES_ZH[def->part], def->name_zh, stage_zh);
    char unit[64];
    unit_zh(ind, unit, sizeof unit);
    char *standard = fmt("校际差异系数 ≤ %.2f；每校%s达到标准值 %.2f %s（7项中至少6项达标，其余不低于85%%）",
                         si && !isnan(si->cv_limit) ? si->cv_limit : stage == STAGE_PRIMARY ? 0.50 : 0.45,
                         ind->name_zh, si && !isnan(si->standard) ? si->standard : ind->standard[stage], unit);
    const char *formula = "CV = S ÷ X（S：按学生数加权的标准差；X：按学生数加权的平均值）";
    char *raw = st->applicable && si ? fmt("参评学校 %lld 所，学生 %lld 人；平均值 %.2f %s；达到标准的学校 %lld/%lld",
                                           st->sections_assessed, st->students, si->mean, unit,
                                           si->sections_meeting, st->sections_assessed)
                                     : fmt("%s无参评学校", stage_zh);
    char *result = !st->applicable || !si ? fmt("—")
                   : isnan(si->cv)        ? fmt("差异系数无法计算（平均值为0）")
                                          : fmt("差异系数 %.3f", si->cv);
    const char *pass = !st->applicable ? "不适用"
                       : (!si || isnan(si->cv) || !si->cv_ok || section_misses(s, stage_key, ind->key)) ? "未达标"
                                                                                                       : "达标";
    const char *cells[SA_COL_COUNT] = { def->number, content, standard, formula,   raw,
                                        result,      pass,    "学校填报数据（各校办学条件）", source_zh("school_data") };
    int rc = content && standard && raw && result ? add_row(t, cells) : -1;
    free(content);
    free(standard);
    free(raw);
    free(result);
    return rc;
}

/* "教师年平均工资收入 98500 元；绩效工资核定 是" from an item's inputs. */
static char *raw_inputs(const status_item *it)
{
    const item_def *def = item_find(it->number);
    size_t cap = 1024, len = 0;
    char *out = calloc(cap, 1);
    const char *key;
    json_t *v;
    json_object_foreach(it->inputs, key, v)
    {
        int f = def ? county_input_find(def->item, key) : -1;
        const char *label = f >= 0 ? COUNTY_INPUT_DEFS[f].label_zh : key;
        const char *unit = f >= 0 ? COUNTY_INPUT_DEFS[f].unit : "";
        bool veto = f >= 0 && COUNTY_INPUT_DEFS[f].type == CIT_VETO;
        char value[64];
        if (json_is_boolean(v))
            snprintf(value, sizeof value, "%s", json_is_true(v) ? (veto ? "有" : "是") : (veto ? "无" : "否"));
        else if (json_is_number(v))
            snprintf(value, sizeof value, "%.10g%s%s", json_number_value(v), *unit ? " " : "", unit);
        else
            snprintf(value, sizeof value, "待补充");
        while (out && len + strlen(label) + strlen(value) + 8 >= cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger)
                free(out);
            out = bigger;
        }
        if (!out)
            return NULL;
        len += (size_t)snprintf(out + len, cap - len, "%s%s %s", len ? "；" : "", label, value);
    }
    return out;
}

/* Joins an item's evidence texts with "；". Returns a new string or NULL (OOM). */
static char *joined_evidence(const status_item *it)
{
    size_t len = 1;
    for (size_t i = 0; i < it->n_evidence; i++)
        len += (it->evidence[i] ? strlen(it->evidence[i]) : 0) + 4;
    char *out = calloc(len, 1);
    for (size_t i = 0; out && i < it->n_evidence; i++) {
        if (i)
            strcat(out, "；");
        strcat(out, it->evidence[i] ? it->evidence[i] : "");
    }
    return out;
}

/* The row of an item the status carries (2.1–4.1, vetoes). Returns 0 or -1 (OOM). */
static int item_row(selfassess_table *t, const status_item *it)
{
    char value[128];
    status_item_value_text(it, value, sizeof value);
    const char *cmp = it->comparison;
    const char *shown = !strcmp(cmp, ">=") ? "≥" : !strcmp(cmp, "<=") ? "≤" : cmp;
    char *content = fmt("%s：%s（%s）", it->part_zh, it->name_zh, it->id);
    char *standard = *shown && !isnan(it->threshold)
                         ? fmt("%s %.6g%s%s%s", shown, it->threshold, *it->threshold_key ? "（" : "",
                               it->threshold_key, *it->threshold_key ? "）" : "")
                         : fmt("%s", !strcmp(it->part, "veto") ? "不得存在" : "符合要求（是）");
    char *formula = *it->formula_text || *it->formula
                        ? fmt("%s%s%s", it->formula_text, *it->formula_text && *it->formula ? "；" : "", it->formula)
                        : fmt("%s", "");
    char *raw = raw_inputs(it);
    char *result = fmt("%s%s%s%s%s", value, *value && *it->reason ? "\n" : "", it->reason,
                       *it->reason_en ? " / " : "", it->reason_en);
    char *evidence = joined_evidence(it);
    const char *cells[SA_COL_COUNT] = { it->number, content, standard,
                                        formula,    raw,     result,
                                        *it->outcome_zh ? it->outcome_zh : it->outcome, evidence,
                                        source_zh(it->source) };
    int rc = content && standard && formula && raw && result && evidence ? add_row(t, cells) : -1;
    free(content);
    free(standard);
    free(formula);
    free(raw);
    free(result);
    free(evidence);
    return rc;
}

/* The row of an item a status without the whole verdict does not carry. */
static int missing_item_row(selfassess_table *t, const item_def *def)
{
    char *content = fmt("%s：%s（%s）", ITEM_PART_NAMES_ZH[def->part], def->name_zh, def->key);
    char *result = fmt("%s / %s", STATUS_NO_VERDICT_ZH, STATUS_NO_VERDICT_EN);
    const char *cells[SA_COL_COUNT] = { def->number, content, "", "", "", result, "待补充", "",
                                        source_zh(ITEM_SOURCE_KEYS[def->source]) };
    int rc = content && result ? add_row(t, cells) : -1;
    free(content);
    free(result);
    return rc;
}

/* Fills the title and header facts. Returns 0 or -1 (OOM). */
static int table_header(selfassess_table *t, const status_county *s)
{
    char text[160];
    status_verdict_text(s, text, sizeof text);
    long long year = s->period_number;
    t->county_code = strdup(s->code);
    t->county_name = strdup(s->name);
    t->period = strdup(s->period);
    t->verdict_zh = strdup(s->verdict_zh);
    t->verdict_text = strdup(text);
    t->items_failing = s->summary.failing + s->summary.vetoes_present;
    t->items_pending = s->summary.pending + s->summary.vetoes_pending;
    t->schools_submitted = s->schools_submitted;
    t->schools_registered = s->schools_registered;
    t->title = fmt("%s（%s）%lld—%lld学年 县域义务教育优质均衡发展 自评表　结论：%s　填报学校 %lld/%lld", s->name,
                   s->code, year, year + 1, text, s->schools_submitted, s->schools_registered);
    return t->county_code && t->county_name && t->period && t->verdict_zh && t->verdict_text && t->title ? 0 : -1;
}

selfassess_table *selfassess_table_build(const status_county *s)
{
    selfassess_table *t = calloc(1, sizeof *t);
    if (!t || table_header(t, s) != 0)
        goto oom;
    for (int i = 0; i < ITEM_COUNT; i++) {
        const item_def *def = &ITEMS[i];
        const status_item *it = status_item_find(s, def->number);
        int rc = 0;
        if (def->part == PART_RESOURCE)
            for (int st = 0; rc == 0 && st < STAGE_COUNT; st++)
                rc = resource_row(t, s, def, st);
        else
            rc = it ? item_row(t, it) : missing_item_row(t, def);
        if (rc != 0)
            goto oom;
    }
    for (size_t i = 0; i < s->n_items; i++) /* the province's vetoes after 5.6 */
        if (!item_find(s->items[i].number) && item_row(t, &s->items[i]) != 0)
            goto oom;
    return t;
oom:
    selfassess_table_destroy(&t);
    return NULL;
}

void selfassess_table_destroy(selfassess_table **p)
{
    selfassess_table *t = *p;
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        for (int c = 0; c < SA_COL_COUNT; c++)
            free(t->rows[i].cell[c]);
    free(t->rows);
    free(t->title);
    free(t->county_code);
    free(t->county_name);
    free(t->period);
    free(t->verdict_zh);
    free(t->verdict_text);
    free(t);
    *p = NULL;
}

void selfassess_sheet_name(const selfassess_table *self, char *buf, size_t size)
{
    char raw[128];
    snprintf(raw, sizeof raw, "%s %s", self->county_code, self->county_name);
    size_t out = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p && chars < 31;) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        if (out + n + 1 > size)
            break;
        bool bad = n == 1 && strchr("[]:*?/\\", *p);
        for (size_t k = 0; k < n && p[k]; k++)
            buf[out++] = bad ? '_' : (char)p[k];
        p += n;
        chars++;
    }
    buf[out] = '\0';
}

int selfassess_csv_write(FILE *out, const selfassess_table *self)
{
    fputs("\xEF\xBB\xBF", out);
    csv_out_field(out, self->title, true);
    for (int c = 0; c < SA_COL_COUNT; c++)
        csv_out_field(out, SELFASSESS_COLUMNS[c], c + 1 == SA_COL_COUNT);
    for (size_t i = 0; i < self->n_rows; i++)
        for (int c = 0; c < SA_COL_COUNT; c++)
            csv_out_field(out, self->rows[i].cell[c], c + 1 == SA_COL_COUNT);
    return ferror(out) ? -1 : 0;
}
