/* test_selfassess_table.c -- the self-assessment table (client/selfassess_table.c)
 * built from sample status JSON (tests/data/status_verdict.json), and the
 * whole-verdict members of client/status_read.c it rests on. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "selfassess_table.h"
#include "status_read.h"

/* Reads the sample status; with strip true, without the whole verdict (as
 * an older daemon sends it). */
static json_t *sample(bool strip)
{
    json_error_t err;
    json_t *o = json_load_file(JUNHENG_TEST_DATA "/status_verdict.json", 0, &err);
    cr_assert_not_null(o, "sample: %s", err.text);
    if (strip) {
        const char *keys[] = { "verdict", "verdict_zh", "verdict_reason", "verdict_reason_en", "items_summary",
                               "items", "county_inputs_revision" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            json_object_del(o, keys[i]);
    }
    return o;
}

/* The table of the sample. */
static selfassess_table *build(bool strip, status_county *s)
{
    json_t *o = sample(strip);
    cr_assert_eq(status_county_read(s, o), 0);
    json_decref(o);
    selfassess_table *t = selfassess_table_build(s);
    cr_assert_not_null(t);
    return t;
}

/* The first row whose 序号 is number (and, for resource items, whose 评估内容 names the stage). */
static const selfassess_row *row_of(const selfassess_table *t, const char *number, const char *stage_zh)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (strcmp(t->rows[i].cell[SA_COL_NUMBER], number) == 0 &&
            (!stage_zh || strstr(t->rows[i].cell[SA_COL_CONTENT], stage_zh)))
            return &t->rows[i];
    cr_assert_fail("no row %s %s", number, stage_zh ? stage_zh : "");
    return NULL;
}

Test(status_read, reads_the_whole_verdict)
{
    status_county s;
    json_t *o = sample(false);
    cr_assert_eq(status_county_read(&s, o), 0);
    json_decref(o);
    cr_assert(s.has_verdict);
    cr_assert_str_eq(s.verdict, "fail");
    cr_assert_str_eq(s.verdict_zh, "未达标");
    cr_assert_str_eq(s.verdict_reason_en, "an item fails");
    cr_assert_eq(s.summary.failing, 3);
    cr_assert_eq(s.summary.vetoes_pending, 5);
    cr_assert_eq(s.county_inputs_revision, 12);
    cr_assert_eq(s.n_items, 5);
    const status_item *pay = status_item_find(&s, "2.8");
    cr_assert_not_null(pay);
    cr_assert_str_eq(pay->id, "teacher_pay");
    cr_assert_float_eq(pay->value, 1.0134, 1e-12);
    cr_assert_str_eq(pay->comparison, ">=");
    cr_assert_eq(pay->n_evidence, 2);
    cr_assert_str_eq(pay->evidence[1], "临政发〔2025〕12号");
    cr_assert_str_eq(pay->reason, "");
    char text[160];
    status_item_value_text(pay, text, sizeof text);
    cr_assert_str_eq(text, "1.0134 ≥ 1");
    status_verdict_text(&s, text, sizeof text);
    cr_assert_str_eq(text, "未达标 (failing 4, pending 13)");
    cr_assert(isnan(status_item_find(&s, "2.1")->value));
    status_county_free(&s);
}

Test(status_read, a_status_without_verdict_is_pending_never_passed)
{
    status_county s;
    json_t *o = sample(true);
    json_object_set_new(o, "resource_allocation_pass", json_true());
    cr_assert_eq(status_county_read(&s, o), 0);
    json_decref(o);
    cr_assert_not(s.has_verdict);
    cr_assert_str_eq(s.verdict, "pending");
    cr_assert_str_eq(s.verdict_zh, "待定");
    cr_assert_str_eq(s.verdict_reason, STATUS_NO_VERDICT_ZH);
    cr_assert_eq(s.n_items, 0);
    char text[160];
    status_verdict_text(&s, text, sizeof text);
    cr_assert(strncmp(text, "待定", strlen("待定")) == 0, "%s", text);
    status_county_free(&s);
}

Test(selfassess, one_row_per_item_and_per_stage_for_resources)
{
    status_county s;
    selfassess_table *t = build(false, &s);
    /* 1.1–1.7 twice (小学, 初中), every other item of the table once, then the province's 5.7. */
    cr_assert_eq(t->n_rows, 7 * 2 + (ITEM_COUNT - 7) + 1);
    size_t r = 0;
    for (int i = 0; i < ITEM_COUNT; i++) {
        int times = ITEMS[i].part == PART_RESOURCE ? 2 : 1;
        for (int k = 0; k < times; k++, r++) {
            cr_assert_str_eq(t->rows[r].cell[SA_COL_NUMBER], ITEMS[i].number, "row %zu", r);
            cr_assert(strstr(t->rows[r].cell[SA_COL_CONTENT], ITEMS[i].name_zh), "row %zu", r);
            if (times == 2)
                cr_assert(strstr(t->rows[r].cell[SA_COL_CONTENT], k == 0 ? "小学" : "初中"), "row %zu", r);
        }
    }
    cr_assert_str_eq(t->rows[r].cell[SA_COL_NUMBER], "5.7");
    cr_assert_str_eq(t->rows[r].cell[SA_COL_PASS], "待补充");
    for (size_t i = 0; i < t->n_rows; i++)
        for (int c = 0; c < SA_COL_COUNT; c++)
            cr_assert_not_null(t->rows[i].cell[c]);
    selfassess_table_destroy(&t);
    cr_assert_null(t);
    status_county_free(&s);
}

Test(selfassess, resource_rows_follow_the_stage)
{
    status_county s;
    selfassess_table *t = build(false, &s);
    cr_assert_str_eq(row_of(t, "1.1", "小学")->cell[SA_COL_PASS], "达标");
    cr_assert(strstr(row_of(t, "1.1", "小学")->cell[SA_COL_RESULT], "0.210"));
    cr_assert(strstr(row_of(t, "1.1", "小学")->cell[SA_COL_STANDARD], "≤ 0.50"));
    cr_assert(strstr(row_of(t, "1.1", "小学")->cell[SA_COL_RAW], "3/3"));
    cr_assert_str_eq(row_of(t, "1.3", "小学")->cell[SA_COL_PASS], "未达标");   /* cv over the limit */
    cr_assert_str_eq(row_of(t, "1.4", "小学")->cell[SA_COL_PASS], "未达标");   /* a failing school misses it */
    cr_assert_str_eq(row_of(t, "1.5", "小学")->cell[SA_COL_PASS], "未达标");
    cr_assert_str_eq(row_of(t, "1.6", "小学")->cell[SA_COL_PASS], "未达标");   /* undefined coefficient */
    cr_assert(strstr(row_of(t, "1.6", "小学")->cell[SA_COL_RESULT], "无法计算"));
    cr_assert_str_eq(row_of(t, "1.7", "小学")->cell[SA_COL_PASS], "达标");
    for (int i = 0; i < 7; i++)
        cr_assert_str_eq(row_of(t, ITEMS[i].number, "初中")->cell[SA_COL_PASS], "不适用");
    cr_assert_str_eq(row_of(t, "1.1", "小学")->cell[SA_COL_SOURCE], "学校填报数据");
    selfassess_table_destroy(&t);
    status_county_free(&s);
}

Test(selfassess, item_rows_carry_value_standard_inputs_and_evidence)
{
    status_county s;
    selfassess_table *t = build(false, &s);
    const selfassess_row *pay = row_of(t, "2.8", NULL);
    cr_assert_str_eq(pay->cell[SA_COL_PASS], "达标");
    cr_assert_str_eq(pay->cell[SA_COL_STANDARD], "≥ 1（teacher_pay.min_ratio）");
    cr_assert_str_eq(pay->cell[SA_COL_RESULT], "1.0134 ≥ 1");
    cr_assert(strstr(pay->cell[SA_COL_RAW], "教师年平均工资收入 98500 元"), "%s", pay->cell[SA_COL_RAW]);
    cr_assert(strstr(pay->cell[SA_COL_RAW], "绩效工资核定 是"), "%s", pay->cell[SA_COL_RAW]);
    cr_assert_str_eq(pay->cell[SA_COL_EVIDENCE], "县人社局2025年工资统计表；临政发〔2025〕12号");
    cr_assert_str_eq(pay->cell[SA_COL_SOURCE], "县级填报（教育局）");
    const selfassess_row *ret = row_of(t, "3.1", NULL);
    cr_assert_str_eq(ret->cell[SA_COL_PASS], "未达标");
    cr_assert(strstr(ret->cell[SA_COL_FORMULA], "G / (A + I - O - D)"));
    cr_assert(strstr(ret->cell[SA_COL_FORMULA], "net_mobility"));
    cr_assert(strstr(ret->cell[SA_COL_RESULT], "巩固率低于0.95"));
    cr_assert(strstr(row_of(t, "5.1", NULL)->cell[SA_COL_RAW], "以考试方式招生 有"));
    cr_assert_str_eq(row_of(t, "2.1", NULL)->cell[SA_COL_RAW], "学校规划布局合理 待补充");
    /* An item the status does not carry: pending, with the reason. */
    const selfassess_row *absent = row_of(t, "2.10", NULL);
    cr_assert_str_eq(absent->cell[SA_COL_PASS], "待补充");
    cr_assert(strstr(absent->cell[SA_COL_RESULT], STATUS_NO_VERDICT_ZH));
    cr_assert(strstr(t->title, "临邑县（371424）2025—2026学年"), "%s", t->title);
    cr_assert(strstr(t->title, "未达标"), "%s", t->title);
    cr_assert_eq(t->items_failing, 4);
    cr_assert_eq(t->items_pending, 13);
    selfassess_table_destroy(&t);
    status_county_free(&s);
}

Test(selfassess, older_daemon_every_county_item_pending_and_title_pending)
{
    status_county s;
    selfassess_table *t = build(true, &s);
    cr_assert_eq(t->n_rows, 7 * 2 + (ITEM_COUNT - 7));
    for (size_t i = 14; i < t->n_rows; i++)
        cr_assert_str_eq(t->rows[i].cell[SA_COL_PASS], "待补充", "row %zu", i);
    cr_assert(strstr(t->title, "待定"), "%s", t->title);
    cr_assert_str_eq(t->verdict_zh, "待定");
    selfassess_table_destroy(&t);
    status_county_free(&s);
}

Test(selfassess, csv_has_bom_title_headings_and_quotes)
{
    status_county s;
    selfassess_table *t = build(false, &s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(selfassess_csv_write(f, t), 0);
    fclose(f);
    cr_assert(len > 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0);
    const char *heading = "序号,评估内容,指标及标准,计算口径,原始数据,县自评结果,是否达标,佐证材料,数据来源\r\n";
    cr_assert(strstr(buf, heading));
    cr_assert(buf[3] == '"' && strncmp(buf + 4, t->title, strlen(t->title)) == 0); /* the title holds a comma */
    cr_assert(strstr(buf, "\"1.0134 ≥ 1\"") == NULL); /* no comma, no quotes */
    cr_assert(strstr(buf, "\r\n2.8,"));
    free(buf);
    selfassess_table_destroy(&t);
    status_county_free(&s);
}

Test(selfassess, sheet_names_are_excel_safe)
{
    selfassess_table t = { 0 };
    t.county_code = "371424";
    t.county_name = "临邑县[测试]:*?/\\这是一个非常非常非常非常长的县名字啊啊啊";
    char name[128];
    selfassess_sheet_name(&t, name, sizeof name);
    cr_assert_null(strpbrk(name, "[]:*?/\\"));
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    cr_assert_leq(chars, 31);
    cr_assert(strncmp(name, "371424 临邑县", strlen("371424 临邑县")) == 0);
}
