/* report_csv.c -- the two tables officials exchange, as CSV for a
 * spreadsheet: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line
 * ends, RFC 4180 quoting. Headers are Chinese, as the tables are known;
 * indicator columns carry the English id too. Values are rounded as people
 * see them (2 decimals, coefficients 3). See report.h and docs/monitoring.md.
 *
 *   校际差异系数表  one row per county × stage × indicator: standard, mean,
 *                   coefficient, limit, within it, sections meeting/assessed
 *   达标学校名单    one row per school section that passes: students, the
 *                   seven values, indicators met
 *   参评学校一览    one row per school section, passing or not: the same, with
 *                   the verdict, the shortfalls as Chinese sentences
 *                   (需增加体育运动场馆面积 2,923 平方米) and why a section is
 *                   not assessed
 *   县域评估结论    one row per county: the whole verdict 达标/未达标/待定,
 *                   failing, pending, not applicable and passing items
 *   评估指标结果    one row per county and item (1.1–5.6+): outcome, value,
 *                   threshold, formula, reason, failing schools */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "header_match.h"
#include "indicators.h"
#include "report.h"
#include "shortfall_text.h"
#include "status_read.h"

/* A number with `decimals` decimals, or "" when undefined. */
static void number(FILE *f, double x, int decimals, bool last)
{
    char buf[64] = "";
    if (!isnan(x))
        snprintf(buf, sizeof buf, "%.*f", decimals, x);
    csv_out_field(f, buf, last);
}

/* A whole number field. */
static void integer(FILE *f, long long x, bool last)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", x);
    csv_out_field(f, buf, last);
}

/* Opens dir/name for writing and writes the BOM. */
static FILE *open_table(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    fputs("\xEF\xBB\xBF", f);
    return f;
}

/* Closes a table, reporting a write error. Returns 0 or -1. */
static int close_table(FILE *f, const char *dir, const char *name, char *err, size_t errlen)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s/%s: write failed", dir, name);
        return -1;
    }
    return 0;
}

/* 校际差异系数表 */
static int cv_table(FILE *f, const status_set *set)
{
    const char *head[] = { "县区代码", "县区名称", "学段", "指标代码", "指标名称", "标准值", "均值", "校际差异系数",
                           "差异系数限值", "差异系数是否达标", "达到标准的学校数", "参评学校数", "学年" };
    size_t nh = sizeof head / sizeof head[0];
    for (size_t k = 0; k < nh; k++)
        csv_out_field(f, head[k], false);
    csv_out_field(f, "视图 view", true);
    for (size_t i = 0; i < set->n_counties; i++) {
        const status_county *s = &set->counties[i];
        for (int st = 0; st < STAGE_COUNT; st++) {
            const status_stage *stage = &s->stage[st];
            if (!stage->applicable)
                continue;
            for (size_t k = 0; k < stage->n_indicators; k++) {
                const status_indicator *ind = &stage->indicators[k];
                const indicator_def *def = indicator_by_key(ind->id);
                csv_out_field(f, s->code, false);
                csv_out_field(f, s->name, false);
                csv_out_field(f, STAGE_NAMES_ZH[st], false);
                csv_out_field(f, ind->id, false);
                csv_out_field(f, def ? def->name_zh : ind->name_zh, false);
                number(f, ind->standard, 2, false);
                number(f, ind->mean, 2, false);
                number(f, ind->cv, 3, false);
                number(f, ind->cv_limit, 2, false);
                csv_out_field(f, ind->cv_ok ? "是" : "否", false);
                integer(f, ind->sections_meeting, false);
                integer(f, stage->sections_assessed, false);
                csv_out_field(f, s->period, false);
                csv_out_field(f, set->view_text, true);
            }
        }
    }
    return 0;
}

/* The shortfalls of one section as Chinese sentences:
 * "生均体育运动场馆面积(sports_area) 6.10/7.50 (81.3%)：需增加体育运动场馆面积
 * 1,137 平方米; ...". Returns a malloc'd string (caller frees) or NULL when
 * out of memory. */
static char *shortfalls_text(const status_section *sec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    for (size_t j = 0; j < sec->n_shortfalls; j++) {
        const status_shortfall *sf = &sec->shortfalls[j];
        const indicator_def *def = indicator_by_key(sf->indicator);
        char need[192] = "";
        if (def)
            shortfall_need_zh(def, sf->needed, need, sizeof need);
        fprintf(m, "%s%s(%s) %.2f/%.2f (%.1f%%)：%s", j ? "; " : "", def ? def->name_zh : "", sf->indicator,
                sf->value, sf->standard, 100.0 * sf->ratio, need);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* One row of 达标学校名单. Returns 0 or -1 (out of memory). */
static int school_row(FILE *f, const status_set *set, const status_county *s, const status_section *sec)
{
    bool excluded = sec->excluded != NULL;
    csv_out_field(f, s->code, false);
    csv_out_field(f, s->name, false);
    csv_out_field(f, sec->school_code, false);
    csv_out_field(f, sec->name, false);
    csv_out_field(f, report_stage_zh(sec->stage), false);
    integer(f, sec->students, false);
    for (int k = 0; k < IND_COUNT; k++)
        number(f, sec->values[k], 2, false);
    if (excluded)
        csv_out_field(f, "", false);
    else
        integer(f, sec->met, false);
    csv_out_field(f, excluded ? "不参评" : sec->pass ? "达标" : "未达标", false);
    char *text = shortfalls_text(sec);
    if (!text)
        return -1;
    csv_out_field(f, text, false);
    free(text);
    csv_out_field(f, excluded ? sec->excluded : "", false);
    csv_out_field(f, set->view_text, true);
    return 0;
}

/* 达标学校名单 (passing_only: the sections that pass, as the list is
 * known) or 参评学校一览 (every section, with why it fails or is not
 * assessed). */
static int schools_table(FILE *f, const status_set *set, bool passing_only)
{
    csv_out_field(f, "县区代码", false);
    csv_out_field(f, "县区名称", false);
    csv_out_field(f, "学校标识码", false);
    csv_out_field(f, "学校名称", false);
    csv_out_field(f, "学段", false);
    csv_out_field(f, "在校生数", false);
    for (int k = 0; k < IND_COUNT; k++) {
        char h[256];
        snprintf(h, sizeof h, "%s(%s)", INDICATORS[k].name_zh, INDICATORS[k].key);
        csv_out_field(f, h, false);
    }
    csv_out_field(f, "达标指标数", false);
    csv_out_field(f, "是否达标", false);
    csv_out_field(f, "未达标指标及差距", false);
    csv_out_field(f, "不参评原因", false);
    csv_out_field(f, "视图 view", true);
    for (size_t i = 0; i < set->n_counties; i++)
        for (size_t j = 0; j < set->counties[i].n_sections; j++) {
            const status_section *sec = &set->counties[i].sections[j];
            if (passing_only && (sec->excluded || !sec->pass))
                continue;
            if (school_row(f, set, &set->counties[i], sec) != 0)
                return -1;
        }
    return 0;
}

static int passing_schools_table(FILE *f, const status_set *set)
{
    return schools_table(f, set, true);
}

static int all_schools_table(FILE *f, const status_set *set)
{
    return schools_table(f, set, false);
}

/* 县域评估结论: one row per county, its whole verdict (待定 with the reason
 * when the status has none). */
static int verdict_table(FILE *f, const status_set *set)
{
    const char *head[] = { "县区代码", "县区名称", "学年", "结论", "结论代码", "未达标项数", "待补充项数",
                           "不适用项数", "达标项数", "否决项存在", "否决项待补充", "县级材料版本", "说明", "说明(英文)" };
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        csv_out_field(f, head[k], false);
    csv_out_field(f, "视图 view", true);
    for (size_t i = 0; i < set->n_counties; i++) {
        const status_county *s = &set->counties[i];
        const status_items_summary *m = &s->summary;
        csv_out_field(f, s->code, false);
        csv_out_field(f, s->name, false);
        csv_out_field(f, s->period, false);
        csv_out_field(f, s->verdict_zh, false);
        csv_out_field(f, s->verdict, false);
        long long counts[] = { m->failing, m->pending, m->not_applicable, m->passing, m->vetoes_present,
                               m->vetoes_pending, s->county_inputs_revision };
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            if (s->has_verdict)
                integer(f, counts[k], false);
            else
                csv_out_field(f, "", false);
        }
        csv_out_field(f, s->verdict_reason, false);
        csv_out_field(f, s->verdict_reason_en, false);
        csv_out_field(f, set->view_text, true);
    }
    return 0;
}

/* 评估指标结果: one row per county and item. */
static int items_table(FILE *f, const status_set *set)
{
    const char *head[] = { "县区代码", "县区名称", "学年", "序号", "指标", "指标代码", "评估内容", "结果",
                           "结果代码", "数值", "比较", "标准", "计算口径", "说明", "说明(英文)", "未达标学校" };
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        csv_out_field(f, head[k], false);
    csv_out_field(f, "视图 view", true);
    for (size_t i = 0; i < set->n_counties; i++) {
        const status_county *s = &set->counties[i];
        for (size_t j = 0; j < s->n_items; j++) {
            const status_item *it = &s->items[j];
            csv_out_field(f, s->code, false);
            csv_out_field(f, s->name, false);
            csv_out_field(f, s->period, false);
            csv_out_field(f, it->number, false);
            csv_out_field(f, it->name_zh, false);
            csv_out_field(f, it->id, false);
            csv_out_field(f, it->part_zh, false);
            csv_out_field(f, it->outcome_zh, false);
            csv_out_field(f, it->outcome, false);
            number(f, it->value, 4, false);
            csv_out_field(f, it->comparison, false);
            number(f, it->threshold, 4, false);
            csv_out_field(f, it->formula_text[0] ? it->formula_text : it->formula, false);
            csv_out_field(f, it->reason, false);
            csv_out_field(f, it->reason_en, false);
            char codes[2048] = "";
            for (size_t k = 0; k < it->n_failing && strlen(codes) + 16 < sizeof codes; k++)
                snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s", k ? " " : "",
                         it->failing[k] ? it->failing[k] : "");
            csv_out_field(f, codes, false);
            csv_out_field(f, set->view_text, true);
        }
    }
    return 0;
}

/* The tables, in the order they are written. */
static const struct {
    const char *name;
    int (*write)(FILE *, const status_set *); /* 0, or -1 when out of memory */
} TABLES[] = {
    { REPORT_CSV_CV, cv_table },
    { REPORT_CSV_SCHOOLS, passing_schools_table },
    { REPORT_CSV_ALL_SCHOOLS, all_schools_table },
    { REPORT_CSV_VERDICT, verdict_table },
    { REPORT_CSV_ITEMS, items_table },
};

int report_csv(const char *dir, json_t *answer, char *err, size_t errlen)
{
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof TABLES / sizeof TABLES[0]; i++) {
        FILE *f = open_table(dir, TABLES[i].name, err, errlen);
        if (!f) {
            rc = -1;
        } else if (TABLES[i].write(f, &set) != 0) {
            fclose(f);
            snprintf(err, errlen, "%s/%s: out of memory", dir, TABLES[i].name);
            rc = -1;
        } else {
            rc = close_table(f, dir, TABLES[i].name, err, errlen);
        }
    }
    status_set_free(&set);
    return rc;
}
