/* test_wire_county.c -- the county inputs on the wire: a revision packed
 * into an Envelope and read back gives the same values (every type, a
 * percentage kept as one, province vetoes), the stored form round-trips,
 * and every refusal of the county-inputs file is refused on the wire too,
 * naming item and field. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire_county.h"
#include "i18n_init.h"

/* Switches this test's messages to Chinese (the build tree's catalogue);
 * returns what i18n_restore() needs to switch back. */
static locale_t in_chinese(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    locale_t prev = i18n_use("zh_CN");
    cr_assert_neq(prev, (locale_t)0, "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
    return prev;
}

static const char *SID = "0b5f8a4e-3c2d-4e1f-9a8b-7c6d5e4f3a2b";
static problem_list P;
static county_inputs_revision R;

static void teardown(void)
{
    problem_list_clear(&P);
    county_inputs_clear(&R.inputs);
}

TestSuite(wire_county, .fini = teardown);

/* A revision with one value of every type, and percentages awkward to write. */
static void fill(county_inputs_revision *rev)
{
    memset(rev, 0, sizeof *rev);
    snprintf(rev->county_code, sizeof rev->county_code, "371424");
    rev->period = 2025;
    county_inputs *in = &rev->inputs;
    cr_assert_eq(county_inputs_set(in, CI_2_8_TEACHER_PAY, 98500.5, false, "县人社局2025年工资统计表"), 0);
    cr_assert_eq(county_inputs_set(in, CI_2_8_PERFORMANCE, 1, false, "临政发〔2025〕12号"), 0);
    cr_assert_eq(county_inputs_set(in, CI_2_1_MET, 0, false, NULL), 0);
    cr_assert_eq(county_inputs_set(in, CI_2_14_PLAN, 1000, false, "计划"), 0);
    cr_assert_eq(county_inputs_set(in, CI_QM_math_LEVEL, 3, false, "监测报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_QM_math_DIFF, strtod("12.1", NULL) / 100.0, true, "监测报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_QM_pe_DIFF, strtod("0.07", NULL) / 100.0, true, "监测报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_QM_arts_SHARE, 0.1 + 0.2, false, "监测报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_4_1_OFFICIAL, strtod("95.53", NULL) / 100.0, true, "省评估报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_5_3, 0, false, "检查报告"), 0);
    cr_assert_eq(county_inputs_set(in, CI_5_5, 1, false, NULL), 0);
}

/* Whether two value sets hold the same fields, values, forms and evidence. */
static void assert_same(const county_inputs *a, const county_inputs *b)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        cr_assert_eq(a->v[f].present, b->v[f].present, "field %s", COUNTY_INPUT_DEFS[f].key);
        if (!a->v[f].present)
            continue;
        cr_assert_eq(a->v[f].value, b->v[f].value, "field %s: %.17g vs %.17g", COUNTY_INPUT_DEFS[f].key,
                     a->v[f].value, b->v[f].value);
        cr_assert_eq(a->v[f].as_percent, b->v[f].as_percent, "field %s", COUNTY_INPUT_DEFS[f].key);
        cr_assert_str_eq(a->v[f].evidence ? a->v[f].evidence : "", b->v[f].evidence ? b->v[f].evidence : "");
    }
}

Test(wire_county, envelope_round_trip)
{
    county_inputs_revision sent;
    fill(&sent);
    uint8_t rid[WIRE_REQUEST_ID_LEN] = { 1, 2, 3 }, *buf = NULL;
    size_t len = 0;
    cr_assert_eq(wire_envelope_pack_county_inputs(rid, SID, &sent, NULL, &buf, &len), 0);
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, buf);
    cr_assert_not_null(env);
    cr_assert_eq(env->version, WIRE_PROTOCOL_VERSION);
    cr_assert_eq(env->request_id.len, WIRE_REQUEST_ID_LEN);
    cr_assert_eq(env->request_id.data[2], 3);
    cr_assert_eq(env->body_case, JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS);
    cr_assert_eq(env->county_inputs->n_rows, 11);
    char sid[SUBMISSION_ID_LEN + 1];
    cr_assert_eq(wire_county_inputs_from_pb(env->county_inputs, NULL, sid, &R, &P), 0);
    cr_assert_eq(P.count, 0, "%s: %s", P.count ? P.items[0].field : "", P.count ? P.items[0].reason : "");
    cr_assert_str_eq(sid, SID);
    cr_assert_str_eq(R.county_code, "371424");
    cr_assert_eq(R.period, 2025);
    assert_same(&sent.inputs, &R.inputs);
    /* the texts a person reads */
    const Junheng__CountyInputRow *row = env->county_inputs->rows[0];
    cr_assert_str_eq(row->item, "2.1");
    cr_assert_str_eq(row->field, "met");
    cr_assert_str_eq(row->value, "no");
    int found = 0;
    for (size_t i = 0; i < env->county_inputs->n_rows; i++) {
        row = env->county_inputs->rows[i];
        if (strcmp(row->field, "math.school_difference_rate") == 0)
            found += strcmp(row->value, "12.1%") == 0;
        if (strcmp(row->field, "teacher_avg_pay_yuan") == 0)
            found += strcmp(row->value, "98500.5") == 0;
        if (strcmp(row->item, "5.3") == 0)
            found += strcmp(row->value, "absent") == 0;
    }
    cr_assert_eq(found, 3);
    junheng__envelope__free_unpacked(env, NULL);
    free(buf);
    county_inputs_clear(&sent.inputs);
}

Test(wire_county, stored_form_round_trip_with_province_vetoes)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r, "version p\nveto.extra.1 5.7:illegal_fees:违规收费\n", err, sizeof err),
                 RULES_OK, "%s", err);
    county_inputs_revision sent;
    fill(&sent);
    cr_assert_eq(county_inputs_set_extra_veto(&sent.inputs, 0, 0, "县纪委通报"), 0);
    uint8_t *buf = NULL;
    size_t len = 0;
    cr_assert_eq(wire_county_inputs_pack(SID, &sent, &r, &buf, &len), 0);
    char sid[SUBMISSION_ID_LEN + 1];
    cr_assert_eq(wire_county_inputs_unpack(buf, len, &r, sid, &R), 0);
    cr_assert_str_eq(sid, SID);
    assert_same(&sent.inputs, &R.inputs);
    cr_assert(R.inputs.extra_veto[0].present);
    cr_assert_eq(R.inputs.extra_veto[0].value, 0);
    cr_assert_str_eq(R.inputs.extra_veto[0].evidence, "县纪委通报");
    county_inputs_clear(&R.inputs);
    /* without the province's rules the 5.7 row is refused */
    cr_assert_eq(wire_county_inputs_unpack(buf, len, NULL, sid, &R), -1);
    cr_assert_eq(wire_county_inputs_unpack((const uint8_t *)"\xff\xff", 2, &r, sid, &R), -1);
    free(buf);
    county_inputs_clear(&sent.inputs);
}

Test(wire_county, awkward_numbers_read_back_exactly)
{
    const double ratios[] = { 0.121, 0.07, 1.0 / 3.0, 0.1 + 0.2, 1e-7, 0.999999999, 0.5, 0, 1 };
    for (size_t k = 0; k < sizeof ratios / sizeof ratios[0]; k++)
        for (int pct = 0; pct < 2; pct++) {
            county_inputs_revision sent;
            memset(&sent, 0, sizeof sent);
            snprintf(sent.county_code, sizeof sent.county_code, "371424");
            sent.period = 2025;
            cr_assert_eq(county_inputs_set(&sent.inputs, CI_QM_chinese_SHARE, ratios[k], pct, "x"), 0);
            uint8_t *buf = NULL;
            size_t len = 0;
            char sid[SUBMISSION_ID_LEN + 1];
            cr_assert_eq(wire_county_inputs_pack(SID, &sent, NULL, &buf, &len), 0);
            cr_assert_eq(wire_county_inputs_unpack(buf, len, NULL, sid, &R), 0, "%.17g", ratios[k]);
            cr_assert_eq(R.inputs.v[CI_QM_chinese_SHARE].value, ratios[k], "%.17g", ratios[k]);
            free(buf);
            county_inputs_clear(&R.inputs);
            county_inputs_clear(&sent.inputs);
        }
}

/* Sends one row (item, field, value, evidence) and expects it refused under
 * `field` with both reasons. */
static void refused(const char *item, const char *field, const char *value, const char *evidence,
                    const char *want_field, const char *zh, const char *en)
{
    Junheng__CountyInputRow row = JUNHENG__COUNTY_INPUT_ROW__INIT, *rows[] = { &row };
    row.item = (char *)item;
    row.field = (char *)field;
    row.value = (char *)value;
    row.evidence = (char *)evidence;
    Junheng__CountyInputs pb = JUNHENG__COUNTY_INPUTS__INIT;
    pb.submission_id = (char *)SID;
    pb.county_code = "371424";
    pb.has_period = 1;
    pb.period = 2025;
    pb.n_rows = 1;
    pb.rows = rows;
    char sid[SUBMISSION_ID_LEN + 1];
    problem_list_clear(&P);
    county_inputs_clear(&R.inputs);
    cr_assert_eq(wire_county_inputs_from_pb(&pb, NULL, sid, &R, &P), 0);
    cr_assert_eq(P.count, 1, "%s %s %s: %zu problems", item, field, value, P.count);
    cr_assert_str_eq(P.items[0].field, want_field);
    cr_assert(strstr(P.items[0].reason, en), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, "row 1: "), "%s", P.items[0].reason);
    /* the same refusal for a reader of Chinese */
    problem_list_clear(&P);
    county_inputs_clear(&R.inputs);
    locale_t prev = in_chinese();
    cr_assert_eq(wire_county_inputs_from_pb(&pb, NULL, sid, &R, &P), 0);
    i18n_restore(prev);
    cr_assert_eq(P.count, 1);
    cr_assert(strstr(P.items[0].reason, zh), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, "第1条"), "%s", P.items[0].reason);
    cr_assert_eq(R.n_errors, 1);
}

Test(wire_county, every_refusal_names_item_and_field)
{
    refused("9.9", "met", "yes", "x", "9.9 met", "未知指标", "unknown item '9.9'");
    refused("2.8", "teacher_pay_yuan", "1", "x", "2.8 teacher_pay_yuan", "没有字段", "has no field");
    refused("2.8", "plan_total", "1000", "x", "2.8 plan_total", "属于指标2.14", "belongs to item 2.14, not 2.8");
    refused("2.3", "met", "yes", "x", "2.3 met", "学校数据", "computed from school data");
    refused("2.8", "teacher_avg_pay_yuan", "abc", "x", "2.8 teacher_avg_pay_yuan", "不是数字", "not a number");
    refused("2.15", "in_public_schools", "-3", "x", "2.15 in_public_schools", "负数", "negative count");
    refused("3.1", "graduates", "712.5", "x", "3.1 graduates", "不是整数", "not a whole number");
    refused("2.1", "met", "yes", NULL, "2.1 met", "佐证材料", "needs evidence");
    refused("5.1", "present", "absent", "", "5.1 present", "佐证材料", "needs evidence");
    refused("3.9", "math.level", "3", NULL, "3.9 math.level", "注明来源", "needs its source");
    refused("2.1", "met", "maybe", "x", "2.1 met", "应为yes或no", "must be yes or no");
    refused("3.9", "math.school_difference_rate", "12.1", "x", "3.9 math.school_difference_rate", "像是百分数",
            "looks like a percentage where a ratio is expected");
    refused("2.8", "teacher_avg_pay_yuan", "5%", "x", "2.8 teacher_avg_pay_yuan", "不应填百分数",
            "a percentage is not expected");
    refused("3.9", "math.level", "5", "x", "3.9 math.level", "超出范围", "outside 1-4");
    refused(NULL, "met", "yes", "x", "met", "缺少序号", "the item is missing");
}

/* A message of several rows; returns the problems' count. */
static size_t send_rows(const char *const rows_text[][4], size_t n, const char *sid_in, const char *county,
                        int32_t period)
{
    Junheng__CountyInputRow rows[8], *ptrs[8];
    for (size_t i = 0; i < n; i++) {
        junheng__county_input_row__init(&rows[i]);
        rows[i].item = (char *)rows_text[i][0];
        rows[i].field = (char *)rows_text[i][1];
        rows[i].value = (char *)rows_text[i][2];
        rows[i].evidence = (char *)rows_text[i][3];
        ptrs[i] = &rows[i];
    }
    Junheng__CountyInputs pb = JUNHENG__COUNTY_INPUTS__INIT;
    pb.submission_id = (char *)sid_in;
    pb.county_code = (char *)county;
    pb.has_period = period != 0;
    pb.period = period;
    pb.n_rows = n;
    pb.rows = ptrs;
    char sid[SUBMISSION_ID_LEN + 1];
    problem_list_clear(&P);
    county_inputs_clear(&R.inputs);
    cr_assert_eq(wire_county_inputs_from_pb(&pb, NULL, sid, &R, &P), 0);
    return P.count;
}

Test(wire_county, repeated_field_and_part_above_whole)
{
    const char *const repeated[][4] = { { "2.8", "teacher_avg_pay_yuan", "98500", "x" },
                                        { "teacher_pay", "教师年平均工资收入", "98600", "y" } };
    cr_assert_eq(send_rows(repeated, 2, SID, "371424", 2025), 1);
    cr_assert_str_eq(P.items[0].field, "2.8 teacher_avg_pay_yuan");
    cr_assert(strstr(P.items[0].reason, "row 2: repeated field (already given on row 1)"), "%s", P.items[0].reason);
    const char *const parts[][4] = { { "2.15", "eligible_migrant_children", "1000", "x" },
                                     { "2.15", "in_public_schools", "900", "x" },
                                     { "2.15", "in_purchased_private_places", "101", "x" } };
    cr_assert_eq(send_rows(parts, 3, SID, "371424", 2025), 1);
    cr_assert_str_eq(P.items[0].field, "2.15 in_public_schools");
    cr_assert(strstr(P.items[0].reason, "a part above its whole: 1001 > 1000"), "%s", P.items[0].reason);
    /* a blank value gives nothing */
    const char *const blank[][4] = { { "2.10", "met", "", NULL } };
    cr_assert_eq(send_rows(blank, 1, SID, "371424", 2025), 0);
    cr_assert_not(R.inputs.v[CI_2_10_MET].present);
}

Test(wire_county, the_message_identity_is_checked)
{
    const char *const one[][4] = { { "2.1", "met", "no", NULL } };
    cr_assert_eq(send_rows(one, 1, "not-a-uuid", "371424", 2025), 1);
    cr_assert_str_eq(P.items[0].field, "submission_id");
    cr_assert_eq(send_rows(one, 1, NULL, "371424", 2025), 1);
    cr_assert_str_eq(P.items[0].field, "submission_id");
    cr_assert_eq(send_rows(one, 1, SID, "37142", 2025), 1);
    cr_assert_str_eq(P.items[0].field, "county_code");
    cr_assert_eq(send_rows(one, 1, SID, NULL, 2025), 1);
    cr_assert_str_eq(P.items[0].field, "county_code");
    cr_assert_eq(send_rows(one, 1, SID, "371424", 0), 1);
    cr_assert_str_eq(P.items[0].field, "period");
    cr_assert_eq(send_rows(one, 1, SID, "371424", 25), 1);
}
