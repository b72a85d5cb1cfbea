/* test_items_csv.c -- the county-inputs file: reading (English and Chinese
 * headers, several counties, defaults), every refusal naming item, field and
 * line, and the template round trip. */
#include <criterion/criterion.h>

#include <iconv.h>

#include "assess_items.h"
#include "county_inputs_csv.h"
#include "test_items_util.h"
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

#define HEADER "county_code,period,item,field,value,evidence\n"

static problem_list P;

static void teardown(void)
{
    problem_list_clear(&P);
}

TestSuite(items_csv, .fini = teardown);

/* Reads text; returns the file (NULL on a file-level problem). */
static county_inputs_file *read_text(const char *text, const char *county, int32_t period)
{
    county_inputs_file *f = NULL;
    problem_list_clear(&P);
    int rc = county_inputs_read(text, strlen(text), NULL, county, period, &f, &P);
    cr_assert_eq(rc == 0, f != NULL);
    return f;
}

Test(items_csv, the_example_rows)
{
    county_inputs_file *f =
        read_text(HEADER "371424,2025,2.8,teacher_avg_pay_yuan,98500,县人社局2025年工资统计表\n"
                         "371424,2025,2.8,civil_servant_avg_pay_yuan,97200,县人社局2025年工资统计表\n"
                         "371424,2025,2.8,performance_pay_approved,yes,临政发〔2025〕12号\n"
                         "371424,2025,3.9,math.level,3,2024年国家义务教育质量监测报告\n"
                         "371424,2025,3.9,math.school_difference_rate,12.1%,2024年国家义务教育质量监测报告\n"
                         "371424,2025,5.3,present,absent,教育局2025年招生工作检查报告\n"
                         "371424,2025,teacher_staffing,met,,\n",
                  NULL, 0);
    cr_assert_not_null(f);
    cr_assert_eq(P.count, 0, "%s", P.count ? P.items[0].reason : "");
    cr_assert_eq(f->n_sets, 1);
    const county_inputs_revision *s = &f->sets[0];
    cr_assert_str_eq(s->county_code, "371424");
    cr_assert_eq(s->period, 2025);
    cr_assert_eq(s->n_errors, 0);
    const county_inputs *in = &s->inputs;
    cr_assert(in->v[CI_2_8_TEACHER_PAY].present);
    cr_assert_eq(in->v[CI_2_8_TEACHER_PAY].value, 98500);
    cr_assert_str_eq(in->v[CI_2_8_TEACHER_PAY].evidence, "县人社局2025年工资统计表");
    cr_assert_eq(in->v[CI_2_8_PERFORMANCE].value, 1);
    cr_assert_eq(in->v[CI_QM_math_LEVEL].value, 3);
    cr_assert(test_close(in->v[CI_QM_math_DIFF].value, 0.121));
    cr_assert(in->v[CI_QM_math_DIFF].as_percent);
    cr_assert(in->v[CI_5_3].present);
    cr_assert_eq(in->v[CI_5_3].value, 0);
    cr_assert_not(in->v[CI_2_10_MET].present, "a blank value gives nothing");
    county_inputs_file_destroy(&f);
    cr_assert_null(f);
}

Test(items_csv, chinese_headers_gbk_roman_levels_and_several_counties)
{
    const char *utf8 = "县区代码,学年,序号,字段,数值,佐证材料\n"
                       "371424,2025,3.9,数学监测水平,Ⅲ,监测报告\n"
                       "371402,2025,quality_monitoring,math.level,IV,监测报告\n"
                       "371402,2024,2.1,met,是,规划文件\n";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1);
    char gbk[512], *in = (char *)utf8, *out = gbk;
    size_t inl = strlen(utf8), outl = sizeof gbk;
    cr_assert_neq(iconv(cd, &in, &inl, &out, &outl), (size_t)-1);
    iconv_close(cd);
    county_inputs_file *f = NULL;
    cr_assert_eq(county_inputs_read(gbk, sizeof gbk - outl, NULL, NULL, 0, &f, &P), 0);
    cr_assert_eq(P.count, 0, "%s", P.count ? P.items[0].reason : "");
    cr_assert_eq(f->n_sets, 3);
    cr_assert_eq(f->sets[0].inputs.v[CI_QM_math_LEVEL].value, 3);
    cr_assert_str_eq(f->sets[1].county_code, "371402");
    cr_assert_eq(f->sets[1].inputs.v[CI_QM_math_LEVEL].value, 4);
    cr_assert_eq(f->sets[2].period, 2024);
    cr_assert_eq(f->sets[2].inputs.v[CI_2_1_MET].value, 1);
    county_inputs_file_destroy(&f);
}

Test(items_csv, county_and_period_from_the_command_line)
{
    county_inputs_file *f =
        read_text("item,field,value,evidence\n2.8,teacher_avg_pay_yuan,98500,县人社局2025年工资统计\n", "371424", 2025);
    cr_assert_not_null(f);
    cr_assert_eq(P.count, 0);
    cr_assert_str_eq(f->sets[0].county_code, "371424");
    cr_assert_eq(f->sets[0].period, 2025);
    county_inputs_file_destroy(&f);
    f = read_text("item,field,value,evidence\n2.8,teacher_avg_pay_yuan,98500,x\n", NULL, 0);
    cr_assert_null(f);
    cr_assert(problem_list_has_field(&P, "county_code"));
    cr_assert(problem_list_has_field(&P, "period"));
}

Test(items_csv, unknown_and_repeated_columns_refuse_the_file)
{
    cr_assert_null(read_text("county_code,period,item,field,value,evidence,colour\n", NULL, 0));
    cr_assert(problem_list_has_field(&P, "colour"));
    cr_assert_null(read_text("county_code,period,item,序号,field,value\n", NULL, 0));
    cr_assert(strstr(P.items[0].reason, "repeated column"));
}

/* Reads one data row; expects exactly one problem on `field` whose reason
 * holds every one of the texts. */
static void refused(const char *row, const char *field, const char *zh, const char *en)
{
    char text[1024];
    snprintf(text, sizeof text, HEADER "%s\n", row);
    county_inputs_file *f = read_text(text, NULL, 0);
    cr_assert_not_null(f, "%s", row);
    cr_assert_eq(P.count, 1, "%s: %zu problems", row, P.count);
    cr_assert_str_eq(P.items[0].field, field, "%s", row);
    cr_assert(strstr(P.items[0].reason, "line 2"), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, en), "%s: %s", row, P.items[0].reason);
    for (size_t i = 0; i < f->n_sets; i++)
        for (int k = 0; k < CI_FIELD_COUNT; k++)
            cr_assert_not(f->sets[i].inputs.v[k].present, "a refused row gives nothing");
    county_inputs_file_destroy(&f);
    /* the same refusal read in Chinese: the Chinese reason only */
    locale_t prev = in_chinese();
    f = read_text(text, NULL, 0);
    i18n_restore(prev);
    cr_assert_eq(P.count, 1);
    cr_assert(strstr(P.items[0].reason, "第2行"), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, zh), "%s: %s", row, P.items[0].reason);
    cr_assert_null(strstr(P.items[0].reason, en), "%s: %s", row, P.items[0].reason);
    county_inputs_file_destroy(&f);
}

Test(items_csv, every_refusal_names_item_and_field)
{
    refused("371424,2025,9.9,met,yes,x", "9.9 met", "未知指标", "unknown item '9.9'");
    refused("371424,2025,2.8,teacher_pay_yuan,1,x", "2.8 teacher_pay_yuan", "没有字段", "has no field");
    refused("371424,2025,2.8,plan_total,1000,x", "2.8 plan_total", "属于指标2.14", "belongs to item 2.14, not 2.8");
    refused("371424,2025,2.3,met,yes,x", "2.3 met", "学校数据", "computed from school data");
    refused("371424,2025,2.8,teacher_avg_pay_yuan,abc,x", "2.8 teacher_avg_pay_yuan", "不是数字", "not a number");
    refused("371424,2025,2.8,teacher_avg_pay_yuan,\"98,500\",x", "2.8 teacher_avg_pay_yuan", "千位分隔符",
            "thousands separators");
    refused("371424,2025,2.15,in_public_schools,-3,x", "2.15 in_public_schools", "负数", "negative count");
    refused("371424,2025,3.1,graduates,712.5,x", "3.1 graduates", "不是整数", "not a whole number");
    refused("371424,2025,2.1,met,yes,", "2.1 met", "佐证材料", "needs evidence");
    refused("371424,2025,5.1,present,absent,", "5.1 present", "佐证材料", "needs evidence");
    refused("371424,2025,3.9,math.level,3,", "3.9 math.level", "注明来源", "needs its source");
    refused("371424,2025,4.1,parents.valid,100,", "4.1 parents.valid", "注明来源", "needs its source");
    refused("371424,2025,2.1,met,maybe,x", "2.1 met", "应为yes或no", "must be yes or no");
    refused("371424,2025,3.9,math.school_difference_rate,12.1,x", "3.9 math.school_difference_rate", "像是百分数",
            "looks like a percentage where a ratio is expected");
    refused("371424,2025,4.1,official_rate,95,x", "4.1 official_rate", "0.95", "write 0.95 or 95%");
    refused("371424,2025,2.8,teacher_avg_pay_yuan,5%,x", "2.8 teacher_avg_pay_yuan", "不应填百分数",
            "a percentage is not expected");
    refused("371424,2025,3.9,math.level,5,x", "3.9 math.level", "超出范围", "outside 1-4");
    refused("371424,2025,3.9,math.level,V,x", "3.9 math.level", "应为水平1–4", "must be a level 1-4");
    refused("371424,2025,,met,yes,x", "met", "缺少序号", "the item is missing");
    refused("37142,2025,2.1,met,yes,x", "2.1 met", "县区代码", "county_code");
    refused("371424,25,2.1,met,yes,x", "2.1 met", "学年", "period");
}

Test(items_csv, a_repeated_field_is_refused)
{
    county_inputs_file *f = read_text(HEADER "371424,2025,2.8,teacher_avg_pay_yuan,98500,x\n"
                                             "371424,2025,teacher_pay,教师年平均工资收入,98600,y\n",
                                      NULL, 0);
    cr_assert_eq(P.count, 1);
    cr_assert_str_eq(P.items[0].field, "2.8 teacher_avg_pay_yuan");
    cr_assert(strstr(P.items[0].reason, "line 3: repeated field (already given on line 2)"), "%s", P.items[0].reason);
    cr_assert_eq(f->sets[0].n_errors, 1);
    cr_assert_eq(f->sets[0].inputs.v[CI_2_8_TEACHER_PAY].value, 98500);
    county_inputs_file_destroy(&f);
}

Test(items_csv, a_part_above_its_whole_is_refused)
{
    county_inputs_file *f = read_text(HEADER "371424,2025,2.15,eligible_migrant_children,1000,x\n"
                                             "371424,2025,2.15,in_public_schools,900,x\n"
                                             "371424,2025,2.15,in_purchased_private_places,101,x\n"
                                             "371424,2025,4.1,parents.valid,100,x\n"
                                             "371424,2025,4.1,parents.recognising,100,x\n",
                                      NULL, 0);
    cr_assert_eq(P.count, 1, "%zu", P.count);
    cr_assert_str_eq(P.items[0].field, "2.15 in_public_schools");
    cr_assert(strstr(P.items[0].reason, "line 4"), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, "a part above its whole: 1001 > 1000"), "%s", P.items[0].reason);
    cr_assert(strstr(P.items[0].reason, "eligible_migrant_children"), "%s", P.items[0].reason);
    cr_assert_eq(f->sets[0].n_errors, 1);
    county_inputs_file_destroy(&f);
    /* at equality it is accepted; recognising above valid is refused */
    f = read_text(HEADER "371424,2025,2.15,eligible_migrant_children,1000,x\n"
                         "371424,2025,2.15,in_public_schools,900,x\n"
                         "371424,2025,2.15,in_purchased_private_places,100,x\n"
                         "371424,2025,4.1,parents.valid,100,x\n"
                         "371424,2025,4.1,parents.recognising,101,x\n",
                  NULL, 0);
    cr_assert_eq(P.count, 1);
    cr_assert_str_eq(P.items[0].field, "4.1 parents.recognising");
    county_inputs_file_destroy(&f);
}

Test(items_csv, blank_template_parses_to_nothing)
{
    for (unsigned flags = 0; flags < 4; flags++) {
        char *t = county_inputs_template(NULL, "371424", 2025, NULL, flags);
        cr_assert_not_null(t);
        for (int k = 0; k < CI_FIELD_COUNT; k++) {
            cr_assert(strstr(t, COUNTY_INPUT_DEFS[k].key), "%s", COUNTY_INPUT_DEFS[k].key);
            if (!strchr(COUNTY_INPUT_DEFS[k].label_zh, '"')) /* a quoted label is written with its quotes doubled */
                cr_assert(strstr(t, COUNTY_INPUT_DEFS[k].label_zh), "%s", COUNTY_INPUT_DEFS[k].key);
        }
        if (flags & COUNTY_TEMPLATE_ZH_HEADERS)
            cr_assert(strstr(t, "佐证材料"));
        county_inputs_file *f = read_text(t, NULL, 0);
        cr_assert_not_null(f);
        cr_assert_eq(P.count, 0, "%s", P.count ? P.items[0].reason : "");
        cr_assert_eq(f->n_sets, 0);
        county_inputs_file_destroy(&f);
        free(t);
    }
}

Test(items_csv, filled_template_round_trip)
{
    county_inputs in;
    items_passing_inputs(&in);
    county_inputs_set(&in, CI_2_1_MET, 1, false, "规划文件, \"第2版\""); /* a comma and quotes in evidence */
    county_inputs_set(&in, CI_QM_math_DIFF, 0.121, true, "监测报告");
    char *t = county_inputs_template(NULL, "371424", 2025, &in, COUNTY_TEMPLATE_ZH_HEADERS | COUNTY_TEMPLATE_BOM);
    cr_assert_not_null(t);
    county_inputs_file *f = read_text(t, NULL, 0);
    cr_assert_not_null(f);
    cr_assert_eq(P.count, 0, "%s: %s", P.count ? P.items[0].field : "", P.count ? P.items[0].reason : "");
    cr_assert_eq(f->n_sets, 1);
    const county_inputs *back = &f->sets[0].inputs;
    for (int k = 0; k < CI_FIELD_COUNT; k++) {
        cr_assert_eq(back->v[k].present, in.v[k].present, "%s", COUNTY_INPUT_DEFS[k].key);
        if (!in.v[k].present)
            continue;
        cr_assert_eq(back->v[k].value, in.v[k].value, "%s", COUNTY_INPUT_DEFS[k].key);
        cr_assert_str_eq(back->v[k].evidence, in.v[k].evidence);
    }
    county_inputs_file_destroy(&f);
    free(t);
    county_inputs_clear(&in);
    /* with the rules, each item's first row states its rule */
    rules_config r;
    rules_config_default(&r);
    t = county_inputs_template(&r, "371424", 2025, NULL, 0);
    cr_assert(strstr(t, "G/(A+I-O-D) >= 0.95 (net_mobility)"), "%s", t);
    cr_assert(strstr(t, "difference rate < 0.15"));
    cr_assert_eq(county_inputs_read(t, strlen(t), &r, NULL, 0, &f, &P), 0);
    cr_assert_eq(P.count, 0);
    county_inputs_file_destroy(&f);
    free(t);
    char buf[256];
    item_rule_text(&r, ITEM_1_1, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
}

Test(items_csv, province_vetoes_from_the_rules)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r, "version p\nveto.extra.1 5.7:illegal_fees:违规收费\n", err, sizeof err),
                 RULES_OK, "%s", err);
    const char *text = HEADER "371424,2025,5.7,present,absent,县纪委通报\n"
                              "371424,2025,illegal_fees,present,present,\n";
    county_inputs_file *f = NULL;
    cr_assert_eq(county_inputs_read(text, strlen(text), &r, NULL, 0, &f, &P), 0);
    cr_assert_eq(P.count, 1, "%zu", P.count);
    cr_assert_str_eq(P.items[0].field, "5.7 present");
    cr_assert(strstr(P.items[0].reason, "line 3: repeated field"), "%s", P.items[0].reason);
    cr_assert(f->sets[0].inputs.extra_veto[0].present);
    cr_assert_eq(f->sets[0].inputs.extra_veto[0].value, 0);
    county_inputs_file_destroy(&f);
    problem_list_clear(&P);
    /* without the province's rules 5.7 is unknown */
    cr_assert_eq(county_inputs_read(text, strlen(text), NULL, NULL, 0, &f, &P), 0);
    cr_assert_str_eq(P.items[0].field, "5.7 present");
    cr_assert(strstr(P.items[0].reason, "unknown item"));
    county_inputs_file_destroy(&f);
    problem_list_clear(&P);
    /* the template carries it, and reads back */
    county_inputs in;
    memset(&in, 0, sizeof in);
    cr_assert_eq(county_inputs_set_extra_veto(&in, 0, 0, "通报"), 0);
    char *t = county_inputs_template(&r, "371424", 2025, &in, 0);
    cr_assert(strstr(t, "5.7,违规收费,present,违规收费,,absent,通报"), "%s", t);
    cr_assert_eq(county_inputs_read(t, strlen(t), &r, NULL, 0, &f, &P), 0);
    cr_assert_eq(P.count, 0);
    cr_assert_str_eq(f->sets[0].inputs.extra_veto[0].evidence, "通报");
    county_inputs_file_destroy(&f);
    free(t);
    county_inputs_clear(&in);
}
