/* test_items_school.c -- the items school data decides, each on both sides
 * of its threshold and at equality: 1.1–1.7 (one per resource indicator),
 * the §6 guarantee items as items, 2.6 small-school funding and 2.7
 * special-education funding, with their not-applicable cases. */
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

TestSuite(items_school, .init = setup, .fini = teardown);

static void expect(const county_verdict *v, item_id i, item_outcome o)
{
    const item_result *r = &v->items[i];
    cr_assert_eq(r->outcome, o, "item %s: %s, expected %s (%s)", ITEMS[i].number, ITEM_OUTCOME_KEYS[r->outcome],
                 ITEM_OUTCOME_KEYS[o], r->reason_en);
}

/* Whether the seven resource items all pass. */
static bool all_resource_items_pass(const county_verdict *v)
{
    for (int i = ITEM_1_1; i <= ITEM_1_7; i++)
        if (v->items[i].outcome != OUTCOME_PASS)
            return false;
    return true;
}

/* Two compliant primary schools, the second with its sports area and
 * equipment value replaced; checks items 1.k against resource_allocation_pass. */
static county_verdict *two(double sports2, double equipment2, bool *ra_pass)
{
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission a, b;
    items_compliant(&a, s[0].school_code);
    items_compliant(&b, s[1].school_code);
    b.sports_area_m2 = sports2;
    b.equipment_value_yuan = equipment2;
    const submission *subs[2] = { &a, &b };
    county_info c = test_county();
    assess_entry e[2] = { { &s[0], &a }, { &s[1], &b } };
    county_status *st = county_assess(&R, &c, 2025, e, 2);
    *ra_pass = st->resource_allocation_pass;
    county_status_destroy(&st);
    county_verdict *v = items_verdict(&R, s, subs, 2, &IN);
    cr_assert_not_null(v);
    cr_assert_eq(all_resource_items_pass(v), *ra_pass);
    return v;
}

Test(items_school, resource_item_at_equality_passes)
{
    bool ra;
    county_verdict *v = two(3750, 1000000, &ra); /* 7.5 m² and 2000 yuan per student: exactly the standard */
    cr_assert(ra);
    expect(v, ITEM_1_5, OUTCOME_PASS);
    expect(v, ITEM_1_6, OUTCOME_PASS);
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    county_verdict_destroy(&v);
}

Test(items_school, resource_item_fails_with_a_failing_section_missing_it)
{
    bool ra;
    county_verdict *v = two(3000, 1000000, &ra); /* 6.0 < 85 % of 7.5: the section fails on sports area */
    cr_assert_not(ra);
    expect(v, ITEM_1_5, OUTCOME_FAIL);
    cr_assert_eq(v->items[ITEM_1_5].n_failing, 1);
    cr_assert_str_eq(v->items[ITEM_1_5].failing[0], "3714020002");
    expect(v, ITEM_1_4, OUTCOME_PASS);
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    county_verdict_destroy(&v);
    /* 6.4 ≥ 85 %: a single miss, the section passes, the item passes */
    v = two(3200, 1000000, &ra);
    cr_assert(ra);
    expect(v, ITEM_1_5, OUTCOME_PASS);
    county_verdict_destroy(&v);
}

Test(items_school, resource_item_fails_on_its_coefficient)
{
    bool ra;
    county_verdict *v = two(3750, 10000000, &ra); /* 2000 and 20000 yuan per student: CV 0.818 > 0.50 */
    cr_assert_not(ra);
    expect(v, ITEM_1_6, OUTCOME_FAIL);
    cr_assert_eq(v->items[ITEM_1_6].n_failing, 0);
    cr_assert(strstr(v->items[ITEM_1_6].reason_en, "coefficient"), "%s", v->items[ITEM_1_6].reason_en);
    expect(v, ITEM_1_5, OUTCOME_PASS);
    county_verdict_destroy(&v);
    /* 2000 and 5000: mean 3500, S 1500, CV 0.4286 ≤ 0.50 */
    v = two(3750, 2500000, &ra);
    cr_assert(ra);
    expect(v, ITEM_1_6, OUTCOME_PASS);
    county_verdict_destroy(&v);
}

Test(items_school, no_assessed_section_fails_when_all_submitted_pending_when_not)
{
    school_info s[2] = { test_school(1, KIND_SPECIAL), test_school(2, KIND_PRIMARY) };
    submission sub;
    items_compliant(&sub, s[0].school_code);
    sub.public_funds_yuan = 6000.0 * 500;
    const submission *subs[2] = { &sub, NULL };
    county_verdict *v = items_verdict(&R, s, subs, 1, &IN);
    for (int i = ITEM_1_1; i <= ITEM_1_7; i++)
        expect(v, (item_id)i, OUTCOME_FAIL);
    county_verdict_destroy(&v);
    v = items_verdict(&R, s, subs, 2, &IN);
    for (int i = ITEM_1_1; i <= ITEM_1_7; i++)
        expect(v, (item_id)i, OUTCOME_PENDING);
    cr_assert_eq(v->verdict, VERDICT_PENDING);
    county_verdict_destroy(&v);
}

Test(items_school, guarantee_items_follow_the_section_6_verdicts)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    int64_t classes[12] = { 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 45, 46 };
    sub.stage[STAGE_PRIMARY].class_sizes = classes;
    const submission *subs[1] = { &sub };
    county_verdict *v = items_verdict(&R, &s, subs, 1, &IN);
    expect(v, ITEM_2_5, OUTCOME_FAIL);
    cr_assert_eq(v->items[ITEM_2_5].n_failing, 1);
    cr_assert_str_eq(v->items[ITEM_2_5].failing[0], s.school_code);
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    county_verdict_destroy(&v);
}

/* 2.11 with 1,860 eligible, 186 exchanged and `backbone` of them backbone. */
static county_verdict *exchange(int64_t exchanged, int64_t backbone)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    sub.exchange_eligible_teachers = 1860;
    sub.exchanged_teachers = exchanged;
    sub.exchanged_backbone_teachers = backbone;
    const submission *subs[1] = { &sub };
    return items_verdict(&R, &s, subs, 1, &IN);
}

Test(items_school, teacher_exchange_worked_example)
{
    county_verdict *v = exchange(186, 37); /* 10.000 % at equality, backbone 19.89 % */
    expect(v, ITEM_2_11, OUTCOME_FAIL);
    cr_assert(test_close(v->items[ITEM_2_11].value, 0.1));
    cr_assert_str_eq(v->items[ITEM_2_11].threshold_key, "teacher_exchange.min_ratio");
    cr_assert(strstr(v->items[ITEM_2_11].reason_en, "backbone"));
    cr_assert_null(strstr(v->items[ITEM_2_11].reason_en, "of eligible"));
    county_verdict_destroy(&v);
    v = exchange(186, 38); /* 20.43 % */
    expect(v, ITEM_2_11, OUTCOME_PASS);
    county_verdict_destroy(&v);
    v = exchange(185, 38); /* 9.95 % */
    expect(v, ITEM_2_11, OUTCOME_FAIL);
    county_verdict_destroy(&v);
}

Test(items_school, an_item_that_applies_to_no_school_is_not_applicable)
{
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    s[0].location = LOCATION_RURAL; /* nearby_enrolment applies to urban and town schools only */
    submission sub;
    items_compliant(&sub, s[0].school_code);
    sub.exchange_eligible_teachers = sub.exchanged_teachers = sub.exchanged_backbone_teachers = 0;
    const submission *subs[2] = { &sub, NULL };
    county_verdict *v = items_verdict(&R, s, subs, 1, &IN);
    expect(v, ITEM_2_13, OUTCOME_NOT_APPLICABLE);
    expect(v, ITEM_2_11, OUTCOME_NOT_APPLICABLE);
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    county_verdict_destroy(&v);
    /* while a school has not submitted, "applies to none" is pending */
    v = items_verdict(&R, s, subs, 2, &IN);
    expect(v, ITEM_2_13, OUTCOME_PENDING);
    county_verdict_destroy(&v);
}

/* A county of one compliant school and one small school (students by stage,
 * public funds, location). */
static county_verdict *small(school_kind kind, int64_t primary, int64_t junior, double funds, school_location loc,
                             const county_inputs *in)
{
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, kind) };
    s[1].location = loc;
    submission a, b;
    items_compliant(&a, s[0].school_code);
    memset(&b, 0, sizeof b);
    snprintf(b.school_code, sizeof b.school_code, "%s", s[1].school_code);
    b.period = 2025;
    if (primary)
        test_stage(&b, STAGE_PRIMARY, primary, 4, 1, 1);
    if (junior)
        test_stage(&b, STAGE_JUNIOR, junior, 4, 1, 1);
    b.public_funds_yuan = funds;
    const submission *subs[2] = { &a, &b };
    county_verdict *v = items_verdict(&R, s, subs, 2, in);
    cr_assert_not_null(v);
    return v;
}

Test(items_school, small_school_funding_both_sides_and_equality)
{
    /* 80 primary students, benchmark 650: funded as 100 students, 65 000 yuan */
    county_verdict *v = small(KIND_PRIMARY, 80, 0, 65000, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_PASS);
    county_verdict_destroy(&v);
    v = small(KIND_PRIMARY, 80, 0, 64999, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_FAIL);
    cr_assert_eq(v->items[ITEM_2_6].n_failing, 1);
    cr_assert_str_eq(v->items[ITEM_2_6].failing[0], "3714020002");
    county_verdict_destroy(&v);
    /* nine-year, 60 + 30: 100 × (60 × 650 + 30 × 850) / 90 = 71 666.67 */
    v = small(KIND_NINE_YEAR, 60, 30, 71666.67, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_PASS);
    county_verdict_destroy(&v);
    v = small(KIND_NINE_YEAR, 60, 30, 71666.66, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_FAIL);
    county_verdict_destroy(&v);
    /* 100 students is not small */
    v = small(KIND_PRIMARY, 100, 0, 1, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_NOT_APPLICABLE);
    county_verdict_destroy(&v);
}

Test(items_school, small_school_funding_scope_and_pending)
{
    R.small_school_scope = SMALL_SCHOOL_SCOPE_RURAL;
    county_verdict *v = small(KIND_PRIMARY, 80, 0, 1, LOCATION_URBAN, &IN);
    expect(v, ITEM_2_6, OUTCOME_NOT_APPLICABLE);
    cr_assert_str_eq(v->items[ITEM_2_6].formula, "rural");
    county_verdict_destroy(&v);
    v = small(KIND_PRIMARY, 80, 0, 1, LOCATION_RURAL, &IN);
    expect(v, ITEM_2_6, OUTCOME_FAIL);
    county_verdict_destroy(&v);
    /* the junior benchmark is needed only for a school with junior students */
    county_inputs in;
    memset(&in, 0, sizeof in);
    cr_assert_eq(county_inputs_copy(&in, &IN), 0);
    free(in.v[CI_2_2_BENCH_JUNIOR].evidence);
    memset(&in.v[CI_2_2_BENCH_JUNIOR], 0, sizeof in.v[0]);
    v = small(KIND_PRIMARY, 80, 0, 65000, LOCATION_RURAL, &in);
    expect(v, ITEM_2_6, OUTCOME_PASS);
    county_verdict_destroy(&v);
    v = small(KIND_NINE_YEAR, 60, 30, 1e9, LOCATION_RURAL, &in);
    expect(v, ITEM_2_6, OUTCOME_PENDING);
    cr_assert(strstr(v->items[ITEM_2_6].reason_en, "benchmark_junior_yuan"));
    cr_assert_neq(v->verdict, VERDICT_PASS);
    county_verdict_destroy(&v);
    county_inputs_clear(&in);
}

Test(items_school, special_education_funding_both_sides_and_not_applicable)
{
    /* 50 special-education students: 300 000 yuan is 6000 per student */
    county_verdict *v = small(KIND_SPECIAL, 30, 20, 300000, LOCATION_URBAN, &IN);
    expect(v, ITEM_2_7, OUTCOME_PASS);
    cr_assert(test_close(v->items[ITEM_2_7].value, 6000));
    expect(v, ITEM_2_6, OUTCOME_NOT_APPLICABLE); /* a special school is not a small school */
    county_verdict_destroy(&v);
    v = small(KIND_SPECIAL, 30, 20, 299999, LOCATION_URBAN, &IN);
    expect(v, ITEM_2_7, OUTCOME_FAIL);
    county_verdict_destroy(&v);
    v = small(KIND_SPECIAL, 0, 0, 300000, LOCATION_URBAN, &IN); /* no students: the denominator is 0 */
    expect(v, ITEM_2_7, OUTCOME_FAIL);
    county_verdict_destroy(&v);
    v = items_one_school(&R, &IN);
    expect(v, ITEM_2_7, OUTCOME_NOT_APPLICABLE);
    county_verdict_destroy(&v);
    /* registered, not submitted: pending */
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_SPECIAL) };
    submission a;
    items_compliant(&a, s[0].school_code);
    const submission *subs[2] = { &a, NULL };
    v = items_verdict(&R, s, subs, 2, &IN);
    expect(v, ITEM_2_7, OUTCOME_PENDING);
    county_verdict_destroy(&v);
}

/* One compliant school changed by `change`; returns the outcome of item i. */
static item_outcome guarantee_case(item_id i, void (*change)(submission *, int), int side)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    double music[1] = { 96.0 };
    sub.music_room_areas_m2 = music;
    change(&sub, side);
    const submission *subs[1] = { &sub };
    county_verdict *v = items_verdict(&R, &s, subs, 1, &IN);
    cr_assert_not_null(v);
    item_outcome o = v->items[i].outcome;
    if (o == OUTCOME_FAIL)
        cr_assert_eq(v->verdict, VERDICT_FAIL);
    county_verdict_destroy(&v);
    return o;
}

/* side 0: exactly at the threshold; side 1: just past it. */
static void music_room(submission *s, int side)
{
    s->music_room_areas_m2[0] = side ? 95.9 : 96.0;
}
static void scale(submission *s, int side)
{
    s->stage[STAGE_PRIMARY].students = side ? 2001 : 2000;
}
static void trained(submission *s, int side)
{
    s->trained_teachers = s->stage[STAGE_PRIMARY].teachers - side;
}
static void certified(submission *s, int side)
{
    s->certified_teachers = s->stage[STAGE_PRIMARY].teachers - side;
}
static void in_zone(submission *s, int side)
{
    s->stage[STAGE_PRIMARY].new_entrants_in_zone = 100 - side;
}
static void training_spend(submission *s, int side)
{
    s->training_spend_yuan = side ? 49999.99 : 50000;
}

Test(items_school, each_section_6_item_at_equality_and_past_it)
{
    struct {
        item_id item;
        void (*change)(submission *, int);
    } cases[] = {
        { ITEM_2_3, music_room }, { ITEM_2_4, scale },   { ITEM_2_9, trained },
        { ITEM_2_12, certified }, { ITEM_2_13, in_zone }, { ITEM_3_4, training_spend },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cr_assert_eq(guarantee_case(cases[k].item, cases[k].change, 0), OUTCOME_PASS, "%s at equality",
                     ITEMS[cases[k].item].number);
        cr_assert_eq(guarantee_case(cases[k].item, cases[k].change, 1), OUTCOME_FAIL, "%s past it",
                     ITEMS[cases[k].item].number);
    }
}
