/* test_school_result.c -- a school's own result (common/school_result.c) and
 * the shortfall sentence (common/shortfall_text.c): values against each
 * standard, what a section needs in Chinese, guarantee reasons, revisions,
 * the caveat, and a school without a submission. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "school_result.h"
#include "shortfall_text.h"
#include "test_rules_util.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(school_result, .init = setup);

Test(shortfall_text, grouped_thousands)
{
    char b[32];
    cr_assert_str_eq(shortfall_grouped(2923, b, sizeof b), "2,923");
    cr_assert_str_eq(shortfall_grouped(450, b, sizeof b), "450");
    cr_assert_str_eq(shortfall_grouped(1234567, b, sizeof b), "1,234,567");
    cr_assert_str_eq(shortfall_grouped(-1050, b, sizeof b), "-1,050");
    cr_assert_str_eq(shortfall_grouped(0, b, sizeof b), "0");
}

Test(shortfall_text, amount_rounds_up_to_whole_units)
{
    cr_assert_eq(shortfall_whole_amount(1136.2), 1137);
    cr_assert_eq(shortfall_whole_amount(450.0000000001), 450); /* float noise is not a unit more */
    cr_assert_eq(shortfall_whole_amount(0), 0);
    cr_assert_eq(shortfall_whole_amount(-3), 0);
}

Test(shortfall_text, sentences_name_resource_amount_and_unit)
{
    char b[192];
    cr_assert_str_eq(shortfall_need_zh(&INDICATORS[IND_SPORTS_AREA], 1136.2, b, sizeof b),
                     "需增加体育运动场馆面积 1,137 平方米");
    cr_assert_str_eq(shortfall_need_zh(&INDICATORS[IND_BACKBONE_TEACHERS], 2, b, sizeof b), "需增加县级以上骨干教师 2 人");
    cr_assert_str_eq(shortfall_need_zh(&INDICATORS[IND_EQUIPMENT_VALUE], 123456, b, sizeof b),
                     "需增加教学仪器设备值 123,456 元");
    cr_assert_str_eq(shortfall_need_zh(&INDICATORS[IND_MULTIMEDIA_ROOMS], 1, b, sizeof b), "需增加网络多媒体教室 1 间");
}

/* Renders s/sub with one submitted revision 7 and parses the JSON. */
static json_t *render(const school_info *s, const submission *sub)
{
    county_info c = test_county();
    school_result_revision rev = { 7, "submitted", "待审核", true, true };
    school_result_ctx ctx = { .view = "live", .computed_at = "2026-11-22T13:05:01Z", .county_verdict = "pending",
                              .county_verdict_zh = "待定", .revisions = &rev, .n_revisions = sub ? 1 : 0 };
    char *text = school_result_render(&R, &c, s, sub, 2025, &ctx);
    cr_assert_not_null(text);
    json_error_t err;
    json_t *o = json_loads(text, 0, &err);
    cr_assert_not_null(o, "not JSON: %s in %s", err.text, text);
    free(text);
    return o;
}

Test(school_result, section_values_standards_and_needs)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.sports_area_m2 = 3000; /* 6.0 against 7.5: 80 %, below the 85 % floor */
    json_t *o = render(&s, &sub);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "school"), "code")), s.school_code);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "county"), "city_code")), "371400");
    json_t *secs = json_object_get(o, "sections");
    cr_assert_eq(json_array_size(secs), 1);
    json_t *sec = json_array_get(secs, 0);
    cr_assert_str_eq(json_string_value(json_object_get(sec, "stage")), "primary");
    cr_assert(json_is_false(json_object_get(sec, "pass")));
    cr_assert_eq(json_integer_value(json_object_get(sec, "met")), 6);
    json_t *sports = json_array_get(json_object_get(sec, "indicators"), IND_SPORTS_AREA);
    cr_assert_str_eq(json_string_value(json_object_get(sports, "id")), "sports_area");
    cr_assert_float_eq(json_number_value(json_object_get(sports, "value")), 6.0, 1e-12);
    cr_assert_float_eq(json_number_value(json_object_get(sports, "standard")), 7.5, 1e-12);
    cr_assert(json_is_false(json_object_get(sports, "met")));
    json_t *needs = json_object_get(sec, "needs");
    cr_assert_eq(json_array_size(needs), 1);
    json_t *n = json_array_get(needs, 0);
    cr_assert_float_eq(json_number_value(json_object_get(n, "needed")), 750.0, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(n, "unit")), "m²");
    cr_assert_str_eq(json_string_value(json_object_get(n, "text_zh")), "需增加体育运动场馆面积 750 平方米");
    cr_assert(json_is_false(json_object_get(o, "sections_pass")));
    cr_assert_eq(json_integer_value(json_object_get(o, "revision")), 7);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "county_verdict"), "verdict_zh")), "待定");
    cr_assert_not_null(json_string_value(json_object_get(o, "caveat_zh")));
    json_decref(o);
}

Test(school_result, guarantee_items_say_why)
{
    school_info s = test_school(2, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    int64_t classes[3] = { 40, 46, 50 };
    sub.stage[STAGE_PRIMARY].class_sizes = classes;
    sub.stage[STAGE_PRIMARY].n_class_sizes = 3;
    json_t *o = render(&s, &sub);
    json_t *g = json_object_get(o, "guarantee");
    cr_assert_eq(json_object_size(g), GUAR_COUNT);
    json_t *cs = json_object_get(g, "class_size");
    cr_assert(json_is_false(json_object_get(cs, "complies")));
    cr_assert_eq(json_integer_value(json_object_get(cs, "complying")), 1);
    cr_assert_eq(json_integer_value(json_object_get(cs, "applicable")), 3);
    cr_assert_str_eq(json_string_value(json_object_get(cs, "reason_en")),
                     "2 of 3 classes above the limit (primary 45, junior 50 students)");
    json_t *scale = json_object_get(g, "school_scale");
    cr_assert(json_is_true(json_object_get(scale, "complies")));
    cr_assert_str_eq(json_string_value(json_object_get(scale, "reason")), "义务教育学生 500 人，规模上限 2000 人");
    json_t *budget = json_object_get(g, "training_budget"); /* no public funds: does not apply */
    cr_assert(json_is_false(json_object_get(budget, "applies")));
    cr_assert(json_is_null(json_object_get(budget, "complies")));
    cr_assert(json_is_true(json_object_get(json_object_get(g, "teacher_exchange"), "county_wide")));
    json_decref(o);
}

Test(school_result, not_submitted_has_no_sections)
{
    school_info s = test_school(3, KIND_PRIMARY);
    json_t *o = render(&s, NULL);
    cr_assert(json_is_false(json_object_get(o, "submitted")));
    cr_assert_eq(json_array_size(json_object_get(o, "sections")), 0);
    cr_assert(json_is_null(json_object_get(o, "sections_pass")));
    cr_assert(json_is_null(json_object_get(o, "revision")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(o, "guarantee"),
                                                                       "class_size"), "reason_en")),
                     "no submission: cannot be judged");
    cr_assert(json_is_null(json_object_get(o, "period_state")));
    json_decref(o);
}

Test(school_result, excluded_section_says_why_in_both_languages)
{
    school_info s = test_school(4, KIND_TEACHING_POINT);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.stage[STAGE_PRIMARY].students = 30;
    json_t *o = render(&s, &sub);
    json_t *sec = json_array_get(json_object_get(o, "sections"), 0);
    cr_assert_not_null(json_string_value(json_object_get(sec, "excluded")));
    cr_assert_str_eq(json_string_value(json_object_get(sec, "excluded_zh")), "不足 50 人的教学点");
    cr_assert(json_is_null(json_object_get(sec, "met")));
    cr_assert_eq(json_array_size(json_object_get(sec, "needs")), 0);
    json_decref(o);
}
