/* report_csv.c -- the tables officials exchange, as CSV for a
 * spreadsheet: UTF-8 with a BOM (so Excel reads the Chinese), or GBK for an
 * older Excel (--encoding gbk), CRLF line
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
 *                   threshold, formula, reason, failing schools
 *   县区汇总表      one row per county: verdict, coverage, per stage the
 *                   sections passing and the worst coefficient against its
 *                   limit, the failing and pending items */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "indicators.h"
#include "report.h"
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

/* A table being written: its text in memory, saved in the encoding asked
 * for when complete (csv_out_write). */
typedef struct {
    char *text;
    size_t len;
    FILE *f;
} table_text;

/* Starts a table in memory. Returns 0, or -1 (out of memory). */
static int table_open(table_text *t)
{
    t->text = NULL;
    t->len = 0;
    t->f = open_memstream(&t->text, &t->len);
    return t->f ? 0 : -1;
}

/* Saves a complete table as dir/name in enc and frees its text. Returns 0,
 * or -1 with the file and reason in err. */
static int table_save(table_text *t, const char *dir, const char *name, csv_encoding enc, char *err, size_t errlen)
{
    char path[4096], why[512] = "out of memory";
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = fclose(t->f) == 0 ? 0 : -1;
    FILE *f = NULL;
    if (rc == 0 && !(f = fopen(path, "wb"))) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && csv_out_write(f, t->text, t->len, enc, why, sizeof why) != 0)
        rc = -1;
    if (f && fclose(f) != 0 && rc == 0) {
        snprintf(why, sizeof why, "write failed: %s", strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        if (f)
            remove(path); /* never half a table */
    }
    free(t->text);
    t->text = NULL;
    return rc;
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
    char *text = report_shortfalls_text(sec);
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

/* The 县区汇总表 cells of one stage: its result, sections passing and
 * assessed, the worst coefficient, its limit and its indicator. */
static void summary_stage(FILE *f, const status_stage *st)
{
    if (!st->applicable) {
        csv_out_field(f, "不适用", false);
        for (int k = 0; k < 5; k++)
            csv_out_field(f, "", false);
        return;
    }
    csv_out_field(f, st->pass ? "达标" : "未达标", false);
    integer(f, st->sections_passing, false);
    integer(f, st->sections_assessed, false);
    const status_indicator *w = st->worst;
    if (w && isnan(w->cv))
        csv_out_field(f, "无法计算", false);
    else
        number(f, w ? w->cv : NAN, 3, false);
    number(f, w ? w->cv_limit : NAN, 2, false);
    char name[256] = "";
    if (w) {
        const indicator_def *def = indicator_by_key(w->id);
        snprintf(name, sizeof name, "%s(%s)", def ? def->name_zh : w->name_zh, w->id);
    }
    csv_out_field(f, name, false);
}

/* 县区汇总表: one row per county. Returns 0, or -1 when out of memory. */
static int summary_table(FILE *f, const status_set *set)
{
    const char *head[] = { "县区代码", "县区名称", "学年", "结论", "结论代码", "已填报学校数", "登记学校数", "填报率(%)" };
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        csv_out_field(f, head[k], false);
    static const char *const STAGE_HEAD[] = { "资源配置", "达标学校数", "参评学校数", "最大差异系数", "差异系数限值",
                                              "最大差异系数指标" };
    for (int st = 0; st < STAGE_COUNT; st++)
        for (size_t k = 0; k < sizeof STAGE_HEAD / sizeof STAGE_HEAD[0]; k++) {
            char h[64];
            snprintf(h, sizeof h, "%s%s", STAGE_NAMES_ZH[st], STAGE_HEAD[k]);
            csv_out_field(f, h, false);
        }
    const char *tail[] = { "未达标项数", "未达标项", "待补充项数", "待补充项", "视图 view" };
    for (size_t k = 0; k < sizeof tail / sizeof tail[0]; k++)
        csv_out_field(f, tail[k], k + 1 == sizeof tail / sizeof tail[0]);
    for (size_t i = 0; i < set->n_counties; i++) {
        const status_county *s = &set->counties[i];
        csv_out_field(f, s->code, false);
        csv_out_field(f, s->name, false);
        csv_out_field(f, s->period, false);
        csv_out_field(f, s->verdict_zh, false);
        csv_out_field(f, s->verdict, false);
        integer(f, s->schools_submitted, false);
        integer(f, s->schools_registered, false);
        number(f, s->schools_registered ? 100.0 * (double)s->schools_submitted / (double)s->schools_registered : NAN,
               1, false);
        for (int st = 0; st < STAGE_COUNT; st++)
            summary_stage(f, &s->stage[st]);
        char *failing = report_items_text(s, "fail"), *pending = report_items_text(s, "pending");
        if (!failing || !pending) {
            free(failing);
            free(pending);
            return -1;
        }
        integer(f, s->summary.failing, false);
        csv_out_field(f, failing, false);
        integer(f, s->summary.pending, false);
        csv_out_field(f, pending, false);
        csv_out_field(f, set->view_text, true);
        free(failing);
        free(pending);
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
    { REPORT_CSV_SUMMARY, summary_table },
};

int report_csv(const char *dir, json_t *answer, csv_encoding enc, char *err, size_t errlen)
{
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof TABLES / sizeof TABLES[0]; i++) {
        table_text t;
        if (table_open(&t) != 0) {
            snprintf(err, errlen, "%s/%s: out of memory", dir, TABLES[i].name);
            rc = -1;
        } else if (TABLES[i].write(t.f, &set) != 0) {
            fclose(t.f);
            free(t.text);
            snprintf(err, errlen, "%s/%s: out of memory", dir, TABLES[i].name);
            rc = -1;
        } else {
            rc = table_save(&t, dir, TABLES[i].name, enc, err, errlen);
        }
    }
    status_set_free(&set);
    return rc;
}

int report_csv_table(FILE *out, json_t *answer, const char *name, csv_encoding enc, char *err, size_t errlen)
{
    size_t i = 0, n = sizeof TABLES / sizeof TABLES[0];
    while (i < n && strcmp(TABLES[i].name, name) != 0)
        i++;
    if (i == n) {
        snprintf(err, errlen, "%s: no such table", name);
        return -1;
    }
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    table_text t;
    int rc = table_open(&t) == 0 ? 0 : -1;
    if (rc == 0) {
        int wrote = TABLES[i].write(t.f, &set);
        if (fclose(t.f) != 0 || wrote != 0) /* t.text is set (or NULL) by fclose */
            rc = -1;
    }
    if (rc != 0)
        snprintf(err, errlen, "%s: out of memory", name);
    else
        rc = csv_out_write(out, t.text, t.len, enc, err, errlen);
    free(t.text);
    status_set_free(&set);
    return rc;
}
