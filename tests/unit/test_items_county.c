/* test_items_county.c -- the items county inputs decide, each on both sides
 * of its threshold and at equality, and every formula choice of 3.1, 3.9 and
 * 4.1 (the worked examples of the rules). */
#include <criterion/criterion.h>

#include "test_items_util.h"

static rules_config R;
static county_inputs IN;

static void setup(void)
{
    rules_config_default(&R);
    items_passing_inputs(&IN);
}

static void teardown(void)
{
    county_inputs_clear(&IN);
}

TestSuite(items_county, .init = setup, .fini = teardown);

/* Decides item i with the current IN and R; returns its outcome. The last
 * result is kept in LAST for further checks. */
static item_result LAST;
static county_verdict *LAST_V;

static item_outcome run(item_id i)
{
    county_verdict_destroy(&LAST_V);
    LAST_V = items_one_school(&R, &IN);
    cr_assert_not_null(LAST_V);
    LAST = LAST_V->items[i];
    return LAST.outcome;
}

static void unset(county_input_field f)
{
    free(IN.v[f].evidence);
    memset(&IN.v[f], 0, sizeof IN.v[f]);
}

#define EXPECT(i, o)                                                                                                   \
    cr_assert_eq(run(i), o, "item %s: %s (%s)", ITEMS[i].number, ITEM_OUTCOME_KEYS[LAST.outcome], LAST.reason_en)

Test(items_county, judgements_yes_pass_no_fail)
{
    const county_input_field met[] = { CI_2_1_MET, CI_2_10_MET, CI_3_3_MET, CI_3_5_MET,
                                       CI_3_6_MET, CI_3_7_MET,  CI_3_8_MET };
    for (size_t k = 0; k < sizeof met / sizeof met[0]; k++) {
        item_id it = COUNTY_INPUT_DEFS[met[k]].item;
        EXPECT(it, OUTCOME_PASS);
        cr_assert_str_eq(LAST.facts[0].evidence, "doc");
        cr_assert_eq(LAST.facts[0].source, SOURCE_COUNTY_INPUT);
        items_set(&IN, met[k], 0);
        EXPECT(it, OUTCOME_FAIL);
        cr_assert_eq(LAST_V->verdict, VERDICT_FAIL);
        items_set(&IN, met[k], 1);
    }
    county_verdict_destroy(&LAST_V);
}

Test(items_county, uniform_standards_benchmark_minimum)
{
    R.benchmark_min_yuan[STAGE_PRIMARY] = 650;
    EXPECT(ITEM_2_2, OUTCOME_PASS); /* 650 at equality */
    items_set(&IN, CI_2_2_BENCH_PRIMARY, 649.99);
    EXPECT(ITEM_2_2, OUTCOME_FAIL);
    items_set(&IN, CI_2_2_BENCH_PRIMARY, 651);
    EXPECT(ITEM_2_2, OUTCOME_PASS);
    items_set(&IN, CI_2_2_MET, 0);
    EXPECT(ITEM_2_2, OUTCOME_FAIL);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, teacher_pay)
{
    EXPECT(ITEM_2_8, OUTCOME_PASS);
    cr_assert(test_close(LAST.value, 98500.0 / 97200.0));
    cr_assert_eq(LAST.threshold, 1.0);
    cr_assert_str_eq(LAST.threshold_key, "teacher_pay.min_ratio");
    items_set(&IN, CI_2_8_TEACHER_PAY, 97200); /* equal pay */
    EXPECT(ITEM_2_8, OUTCOME_PASS);
    items_set(&IN, CI_2_8_TEACHER_PAY, 97199);
    EXPECT(ITEM_2_8, OUTCOME_FAIL);
    items_set(&IN, CI_2_8_TEACHER_PAY, 98500);
    items_set(&IN, CI_2_8_PERFORMANCE, 0);
    EXPECT(ITEM_2_8, OUTCOME_FAIL);
    items_set(&IN, CI_2_8_PERFORMANCE, 1);
    items_set(&IN, CI_2_8_CIVIL_PAY, 0);
    EXPECT(ITEM_2_8, OUTCOME_FAIL);
    cr_assert(strstr(LAST.reason_en, "denominator"), "%s", LAST.reason_en);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, senior_high_places)
{
    items_set(&IN, CI_2_14_ALLOCATED, 500); /* 0.50 at equality */
    EXPECT(ITEM_2_14, OUTCOME_PASS);
    bool shown = false;
    for (size_t f = 0; f < LAST.n_facts; f++)
        if (strcmp(LAST.facts[f].name, "rural_share") == 0)
            shown = test_close(LAST.facts[f].number, 300.0 / 500.0);
    cr_assert(shown, "the rural share is shown");
    items_set(&IN, CI_2_14_ALLOCATED, 499);
    EXPECT(ITEM_2_14, OUTCOME_FAIL);
    items_set(&IN, CI_2_14_ALLOCATED, 600);
    items_set(&IN, CI_2_14_TILT, 0);
    EXPECT(ITEM_2_14, OUTCOME_FAIL);
    items_set(&IN, CI_2_14_TILT, 1);
    unset(CI_2_14_RURAL); /* shown, not judged: not needed */
    EXPECT(ITEM_2_14, OUTCOME_PASS);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, migrant_and_left_behind)
{
    items_set(&IN, CI_2_15_PUBLIC, 750); /* (750 + 100) / 1000 = 0.85 */
    EXPECT(ITEM_2_15, OUTCOME_PASS);
    items_set(&IN, CI_2_15_PUBLIC, 749);
    EXPECT(ITEM_2_15, OUTCOME_FAIL);
    items_set(&IN, CI_2_15_PUBLIC, 800);
    items_set(&IN, CI_2_15_CARE, 0);
    EXPECT(ITEM_2_15, OUTCOME_FAIL);
    items_set(&IN, CI_2_15_CARE, 1);
    items_set(&IN, CI_2_15_ELIGIBLE, 0);
    items_set(&IN, CI_2_15_PUBLIC, 0);
    items_set(&IN, CI_2_15_PURCHASED, 0);
    EXPECT(ITEM_2_15, OUTCOME_FAIL); /* a zero denominator fails, with the reason */
    cr_assert(strstr(LAST.reason_en, "eligible_migrant_children"));
    county_verdict_destroy(&LAST_V);
}

Test(items_county, junior_retention_every_formula)
{
    /* A = 800, G = 713, I = 10, O = 60, D = 1 */
    struct {
        int formula;
        double rate;
        item_outcome o;
        const char *text;
    } cases[] = {
        { RETENTION_NET_MOBILITY, 713.0 / 749.0, OUTCOME_PASS, "G / (A + I - O - D)" },
        { RETENTION_RAW, 713.0 / 800.0, OUTCOME_FAIL, "G / A" },
        { RETENTION_IN_OUT, 713.0 / 750.0, OUTCOME_PASS, "G / (A + I - O)" },
        { RETENTION_GRADUATES_ADJUSTED, 763.0 / 799.0, OUTCOME_PASS, "(G - I + O) / (A - D)" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        R.retention_formula = cases[k].formula;
        EXPECT(ITEM_3_1, cases[k].o);
        cr_assert(test_close(LAST.value, cases[k].rate), "%s: %.6f", RETENTION_FORMULA_KEYS[cases[k].formula],
                  LAST.value);
        cr_assert_str_eq(LAST.formula, RETENTION_FORMULA_KEYS[cases[k].formula]);
        cr_assert_str_eq(LAST.formula_text, cases[k].text);
        cr_assert_str_eq(LAST.formula_key, "junior_retention.formula");
        cr_assert_str_eq(LAST.threshold_key, "junior_retention.min_rate");
    }
    cr_assert(test_close(713.0 / 749.0, 0.951935914552737));
    /* raw at equality and below; raw needs no transfers or deaths */
    R.retention_formula = RETENTION_RAW;
    items_set(&IN, CI_3_1_ENTRANTS, 1000);
    items_set(&IN, CI_3_1_GRADUATES, 950);
    unset(CI_3_1_DEATHS);
    EXPECT(ITEM_3_1, OUTCOME_PASS);
    items_set(&IN, CI_3_1_GRADUATES, 949);
    EXPECT(ITEM_3_1, OUTCOME_FAIL);
    R.retention_formula = RETENTION_NET_MOBILITY;
    EXPECT(ITEM_3_1, OUTCOME_PENDING); /* net mobility needs deaths */
    cr_assert(strstr(LAST.reason_en, "deaths"));
    county_verdict_destroy(&LAST_V);
}

Test(items_county, disabled_enrolment)
{
    items_set(&IN, CI_3_2_HOME, 10); /* 190 / 200 = 0.95 */
    EXPECT(ITEM_3_2, OUTCOME_PASS);
    items_set(&IN, CI_3_2_HOME, 9);
    EXPECT(ITEM_3_2, OUTCOME_FAIL);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, quality_monitoring_level_rule)
{
    cr_assert_eq(R.quality_rule, QUALITY_RULE_LEVEL);
    EXPECT(ITEM_3_9, OUTCOME_PASS); /* math level 3 = Ⅲ, difference 0.121 */
    cr_assert_str_eq(LAST.formula, "level");
    cr_assert_eq(LAST.threshold, 3);
    items_set(&IN, ci_subject_field(1, 0), 2);
    EXPECT(ITEM_3_9, OUTCOME_FAIL);
    items_set(&IN, ci_subject_field(1, 0), 4);
    EXPECT(ITEM_3_9, OUTCOME_PASS);
    /* the difference rate is strict: 0.15 fails */
    items_set(&IN, ci_subject_field(1, 2), 0.15);
    EXPECT(ITEM_3_9, OUTCOME_FAIL);
    items_set(&IN, ci_subject_field(1, 2), 0.1499);
    EXPECT(ITEM_3_9, OUTCOME_PASS);
    /* a second subject given without its difference rate: pending */
    items_set(&IN, ci_subject_field(0, 0), 3);
    EXPECT(ITEM_3_9, OUTCOME_PENDING);
    cr_assert(strstr(LAST.reason_en, "chinese.school_difference_rate"), "%s", LAST.reason_en);
    /* no subject at all: pending */
    for (int k = 0; k < CI_SUBJECT_COUNT; k++)
        for (int w = 0; w < 3; w++)
            unset(ci_subject_field(k, w));
    EXPECT(ITEM_3_9, OUTCOME_PENDING);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, quality_monitoring_share_rule)
{
    R.quality_rule = QUALITY_RULE_SHARE;
    items_set(&IN, ci_subject_field(1, 0), 1); /* the level does not count under the share rule */
    items_set(&IN, ci_subject_field(1, 1), 0.85);
    EXPECT(ITEM_3_9, OUTCOME_PASS);
    cr_assert_str_eq(LAST.formula, "share");
    cr_assert_str_eq(LAST.threshold_key, "quality_monitoring.share_min");
    items_set(&IN, ci_subject_field(1, 1), 0.8499);
    EXPECT(ITEM_3_9, OUTCOME_FAIL);
    unset(ci_subject_field(1, 1));
    EXPECT(ITEM_3_9, OUTCOME_PENDING);
    county_verdict_destroy(&LAST_V);
}

/* parents 900 / 1000 (0.9), students 80 / 100 (0.8). */
static void two_groups(void)
{
    items_set(&IN, ci_group_field(0, 0), 100);
    items_set(&IN, ci_group_field(0, 1), 80);
}

Test(items_county, social_recognition_every_method)
{
    two_groups();
    R.recognition_method = RECOGNITION_POOLED; /* 980 / 1100 = 0.8909 */
    EXPECT(ITEM_4_1, OUTCOME_PASS);
    cr_assert(test_close(LAST.value, 980.0 / 1100.0));
    cr_assert_str_eq(LAST.formula, "pooled");
    R.recognition_method = RECOGNITION_GROUP_MEAN; /* (0.9 + 0.8) / 2 = 0.85, at equality */
    EXPECT(ITEM_4_1, OUTCOME_PASS);
    cr_assert(test_close(LAST.value, 0.85));
    cr_assert_str_eq(LAST.formula, "group_mean");
    items_set(&IN, ci_group_field(0, 1), 79); /* 0.845 */
    EXPECT(ITEM_4_1, OUTCOME_FAIL);
    items_set(&IN, ci_group_field(0, 1), 80);
    R.recognition_method = RECOGNITION_EVERY_GROUP;
    EXPECT(ITEM_4_1, OUTCOME_FAIL); /* students 0.8 */
    cr_assert(strstr(LAST.reason_en, "students"), "%s", LAST.reason_en);
    cr_assert_str_eq(LAST.formula, "every_group");
    items_set(&IN, ci_group_field(0, 1), 85); /* 0.85 at equality */
    EXPECT(ITEM_4_1, OUTCOME_PASS);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, social_recognition_pooled_equality_and_official_rate)
{
    items_set(&IN, ci_group_field(1, 1), 850); /* 850 / 1000 */
    EXPECT(ITEM_4_1, OUTCOME_PASS);
    items_set(&IN, ci_group_field(1, 1), 849);
    EXPECT(ITEM_4_1, OUTCOME_FAIL);
    /* an official rate decides; the computed rate is still shown */
    items_set(&IN, CI_4_1_OFFICIAL, 0.85);
    EXPECT(ITEM_4_1, OUTCOME_PASS);
    cr_assert_str_eq(LAST.formula, "official_rate");
    bool shown = false;
    for (size_t f = 0; f < LAST.n_facts; f++)
        shown = shown || (strcmp(LAST.facts[f].name, "computed_rate") == 0 && test_close(LAST.facts[f].number, 0.849));
    cr_assert(shown);
    items_set(&IN, ci_group_field(1, 1), 990);
    items_set(&IN, CI_4_1_OFFICIAL, 0.8499);
    EXPECT(ITEM_4_1, OUTCOME_FAIL);
    county_verdict_destroy(&LAST_V);
}

Test(items_county, social_recognition_pending_and_zero)
{
    unset(ci_group_field(1, 1)); /* parents.valid without recognising */
    EXPECT(ITEM_4_1, OUTCOME_PENDING);
    unset(ci_group_field(1, 0));
    EXPECT(ITEM_4_1, OUTCOME_PENDING); /* no group at all */
    items_set(&IN, ci_group_field(1, 0), 0);
    items_set(&IN, ci_group_field(1, 1), 0);
    EXPECT(ITEM_4_1, OUTCOME_FAIL); /* no valid questionnaires */
    county_verdict_destroy(&LAST_V);
}

Test(items_county, vetoes_absent_pass_present_fail_unanswered_pending)
{
    EXPECT(ITEM_5_3, OUTCOME_PASS);
    items_set(&IN, CI_5_3, 1);
    EXPECT(ITEM_5_3, OUTCOME_FAIL);
    unset(CI_5_3);
    EXPECT(ITEM_5_3, OUTCOME_PENDING);
    cr_assert_eq(LAST_V->verdict, VERDICT_PENDING);
    county_verdict_destroy(&LAST_V);
}
