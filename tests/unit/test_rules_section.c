/* test_rules_section.c -- one school at a time: which sections count (§2),
 * splitting one-through schools (§3), the 6-of-7 / 85 % rule and shortfalls
 * (§4). Every number is worked out by hand in the comments. */
#include <criterion/criterion.h>

#include "test_rules_util.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(rules_section, .init = setup);

/* Assesses one school and returns its section in `stage` (cr_fatal if none). */
static const section_status *one(county_status **st, const school_info *info, const submission *sub, stage_t s)
{
    *st = test_assess_one(&R, info, sub);
    cr_assert_not_null(*st);
    const section_status *sec = test_section(*st, info->school_code, s);
    cr_assert_not_null(sec, "no %s section", STAGE_KEYS[s]);
    return sec;
}

Test(rules_section, exactly_at_every_standard_meets_all_seven)
{
    /* 21/500×100 = 4.2, 5/500×100 = 1.0, 5/500×100 = 1.0, 2250/500 = 4.5,
     * 3750/500 = 7.5, 1e6/500 = 2000, 12/500×100 = 2.4. */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->excluded, EXCL_NONE);
    cr_assert_eq(sec->value[IND_QUALIFIED_TEACHERS], 4.2);
    cr_assert_eq(sec->value[IND_TEACHING_AREA], 4.5);
    cr_assert_eq(sec->value[IND_SPORTS_AREA], 7.5);
    cr_assert_eq(sec->value[IND_EQUIPMENT_VALUE], 2000.0);
    cr_assert_eq(sec->met, 7);
    cr_assert(sec->pass);
    cr_assert_eq(sec->n_shortfalls, 0);
    county_status_destroy(&st);
    cr_assert_null(st);
}

Test(rules_section, one_teacher_short_misses_by_one_teacher)
{
    /* 20/500×100 = 4.0 < 4.2; ratio 4.0/4.2 = 0.952 ≥ 0.85; 6 of 7 met → pass.
     * needed = 4.2×500/100 − 20 = 1 teacher (not 2: 1.0000000000000009 snaps to 1). */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.stage[STAGE_PRIMARY].qualified_teachers = 20;
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->met, 6);
    cr_assert(sec->pass);
    const shortfall *sf = test_shortfall(sec, IND_QUALIFIED_TEACHERS);
    cr_assert_not_null(sf);
    cr_assert_eq(sf->value, 4.0);
    cr_assert_eq(sf->standard, 4.2);
    cr_assert_float_eq(sf->ratio, 4.0 / 4.2, 1e-15);
    cr_assert_eq(sf->needed, 1.0);
    county_status_destroy(&st);
}

Test(rules_section, exactly_85_percent_passes)
{
    /* sports 0.85 × 7.5 = 6.375 m²/student × 500 = 3187.5 m²: ratio exactly 0.85.
     * needed = 3750 − 3187.5 = 562.5 m² (m² are not rounded). */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.sports_area_m2 = 3187.5;
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->met, 6);
    cr_assert(sec->pass);
    const shortfall *sf = test_shortfall(sec, IND_SPORTS_AREA);
    cr_assert_not_null(sf);
    cr_assert_float_eq(sf->ratio, 0.85, 1e-12);
    cr_assert_float_eq(sf->needed, 562.5, 1e-9);
    county_status_destroy(&st);
}

Test(rules_section, at_84_99_percent_fails_even_with_six_met)
{
    /* 0.8499 × 7.5 × 500 = 3187.125 m² → 6.37425 m²/student, ratio 0.8499 < 0.85. */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.sports_area_m2 = 3187.125;
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->met, 6);
    cr_assert(!sec->pass);
    cr_assert_float_eq(test_shortfall(sec, IND_SPORTS_AREA)->ratio, 0.8499, 1e-12);
    county_status_destroy(&st);
}

Test(rules_section, five_of_seven_fails)
{
    /* qualified 20 (4.0, 95 %) and sports 3187.5 (6.375, 85 %): both above the
     * floor, but only 5 of 7 met. */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.stage[STAGE_PRIMARY].qualified_teachers = 20;
    sub.sports_area_m2 = 3187.5;
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->met, 5);
    cr_assert_eq(sec->n_shortfalls, 2);
    cr_assert(!sec->pass);
    county_status_destroy(&st);
}

Test(rules_section, junior_exactly_at_standard)
{
    /* 53 qualified / 1000 × 100 = 5.3; 10 backbone = 1.0; 9 PE/art = 0.9;
     * 5800 m² = 5.8; 10200 m² = 10.2; 2 500 000 yuan = 2500; 24 rooms = 2.4. */
    school_info s = test_school(2, KIND_JUNIOR);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_JUNIOR, 1000, 53, 10, 9);
    test_physical(&sub, 5800, 10200, 2500000, 24);
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_JUNIOR);
    cr_assert_eq(sec->met, 7, "met %d", sec->met);
    cr_assert(sec->pass);
    cr_assert_null(test_section(st, s.school_code, STAGE_PRIMARY));
    county_status_destroy(&st);
}

Test(rules_section, whole_units_and_money_in_shortfalls)
{
    /* 11 rooms / 500 → 2.2 < 2.3: needed 2.3×5 − 11 = 0.5 → 1 room.
     * 900 000 yuan / 500 = 1800 < 2000 (90 %): needed 100 000 yuan.
     * 4 PE/art / 500 → 0.8 < 0.9: needed 4.5 − 4 = 0.5 → 1 teacher. */
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.multimedia_rooms = 11;
    sub.equipment_value_yuan = 900000;
    sub.stage[STAGE_PRIMARY].pe_art_teachers = 4;
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->met, 4);
    cr_assert(!sec->pass);
    cr_assert_eq(test_shortfall(sec, IND_MULTIMEDIA_ROOMS)->needed, 1.0);
    cr_assert_float_eq(test_shortfall(sec, IND_EQUIPMENT_VALUE)->needed, 100000.0, 1e-6);
    cr_assert_eq(test_shortfall(sec, IND_PE_ART_TEACHERS)->needed, 1.0);
    county_status_destroy(&st);
}

Test(rules_section, teaching_point_49_excluded_50_included)
{
    school_info s = test_school(3, KIND_TEACHING_POINT);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 49, 3, 1, 1);
    test_physical(&sub, 300, 500, 100000, 2);
    county_status *st;
    const section_status *sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->excluded, EXCL_SMALL_TEACHING_POINT);
    cr_assert_str_eq(sec->excluded_reason, "teaching point under 50 students");
    cr_assert_eq(sec->students, 49);
    cr_assert_eq(st->stage[STAGE_PRIMARY].sections_assessed, 0);
    cr_assert(!st->stage[STAGE_PRIMARY].applicable);
    county_status_destroy(&st);

    sub.stage[STAGE_PRIMARY].students = 50;
    sec = one(&st, &s, &sub, STAGE_PRIMARY);
    cr_assert_eq(sec->excluded, EXCL_NONE);
    cr_assert_str_eq(sec->excluded_reason, "");
    cr_assert_eq(st->stage[STAGE_PRIMARY].sections_assessed, 1);
    cr_assert_eq(st->stage[STAGE_PRIMARY].students, 50);
    county_status_destroy(&st);
}

Test(rules_section, special_school_listed_but_excluded)
{
    school_info s = test_school(4, KIND_SPECIAL);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 80, 10, 2, 2);
    test_stage(&sub, STAGE_JUNIOR, 40, 8, 1, 1);
    test_physical(&sub, 2000, 1000, 500000, 6);
    county_status *st = test_assess_one(&R, &s, &sub);
    cr_assert_eq(st->n_sections, 2);
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(st->sections[k].excluded, EXCL_SPECIAL);
        cr_assert_str_eq(st->sections[k].excluded_reason, "special-education school");
    }
    cr_assert(!st->stage[STAGE_PRIMARY].applicable);
    cr_assert(!st->stage[STAGE_JUNIOR].applicable);
    cr_assert(!st->resource_allocation_pass);   /* nothing assessed: no pass */
    county_status_destroy(&st);

    /* A special school with only a primary stage lists only that stage. */
    sub.stage[STAGE_JUNIOR].present = false;
    st = test_assess_one(&R, &s, &sub);
    cr_assert_eq(st->n_sections, 1);
    county_status_destroy(&st);
}

Test(rules_section, nine_year_split_by_weights)
{
    /* A = 600 primary, B = 400 junior: student equivalents 600 + 1.1×400 = 1040.
     * teaching 10400 m²: primary 10400×600/1040 = 6000 → 10.0 m²/student,
     *                    junior 10400×440/1040 = 4400 → 11.0 (= 1.1 × 10.0).
     * sports 20800: 12000 → 20.0 and 8800 → 22.0.
     * equipment 5 200 000: 3 000 000 → 5000 and 2 200 000 → 5500.
     * rooms 20: primary 20×600/1040 = 11.538 rooms → 1.923 per 100 < 2.3,
     *   needed 2.3×6 − 11.538 = 2.26 → 3 rooms; junior 8.4615 → 2.115 < 2.4,
     *   needed 2.4×4 − 8.4615 = 1.14 → 2 rooms.
     * Teachers stay with their stage: 30/600 → 5.0, 30/400 → 7.5. */
    school_info s = test_school(5, KIND_NINE_YEAR);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 600, 30, 6, 6);
    test_stage(&sub, STAGE_JUNIOR, 400, 30, 4, 4);
    test_physical(&sub, 10400, 20800, 5200000, 20);
    county_status *st = test_assess_one(&R, &s, &sub);
    const section_status *p = test_section(st, s.school_code, STAGE_PRIMARY);
    const section_status *j = test_section(st, s.school_code, STAGE_JUNIOR);
    cr_assert_not_null(p);
    cr_assert_not_null(j);
    cr_assert_float_eq(p->value[IND_TEACHING_AREA], 10.0, 1e-12);
    cr_assert_float_eq(j->value[IND_TEACHING_AREA], 11.0, 1e-12);
    cr_assert_float_eq(p->value[IND_SPORTS_AREA], 20.0, 1e-12);
    cr_assert_float_eq(j->value[IND_SPORTS_AREA], 22.0, 1e-12);
    cr_assert_float_eq(p->value[IND_EQUIPMENT_VALUE], 5000.0, 1e-9);
    cr_assert_float_eq(j->value[IND_EQUIPMENT_VALUE], 5500.0, 1e-9);
    cr_assert_float_eq(j->value[IND_EQUIPMENT_VALUE] / p->value[IND_EQUIPMENT_VALUE], 1.1, 1e-15);
    cr_assert_float_eq(p->value[IND_MULTIMEDIA_ROOMS], 2000.0 / 1040.0, 1e-12);
    cr_assert_eq(test_shortfall(p, IND_MULTIMEDIA_ROOMS)->needed, 3.0);
    cr_assert_eq(test_shortfall(j, IND_MULTIMEDIA_ROOMS)->needed, 2.0);
    cr_assert_eq(p->value[IND_QUALIFIED_TEACHERS], 5.0);
    cr_assert_eq(j->value[IND_QUALIFIED_TEACHERS], 7.5);
    /* primary: 6 met, rooms 1.923/2.3 = 83.6 % < 85 % → fails. junior:
     * qualified 7.5 ≥ 5.3, backbone 1.0, PE/art 1.0, rooms 88 % → 6 met, passes. */
    cr_assert_eq(p->met, 6);
    cr_assert(!p->pass);
    cr_assert_eq(j->met, 6);
    cr_assert(j->pass);
    county_status_destroy(&st);
}

Test(rules_section, nine_year_with_empty_junior)
{
    /* Junior reported with 0 students: listed, excluded; the primary section
     * takes the whole school's resources: 2250/500 = 4.5. */
    school_info s = test_school(6, KIND_NINE_YEAR);
    submission sub;
    test_good_primary(&sub, s.school_code);
    test_stage(&sub, STAGE_JUNIOR, 0, 0, 0, 0);
    county_status *st = test_assess_one(&R, &s, &sub);
    const section_status *j = test_section(st, s.school_code, STAGE_JUNIOR);
    cr_assert_not_null(j);
    cr_assert_eq(j->excluded, EXCL_NO_STUDENTS);
    cr_assert_str_eq(j->excluded_reason, "no students in this stage");
    cr_assert(isnan(j->value[IND_TEACHING_AREA]));
    const section_status *p = test_section(st, s.school_code, STAGE_PRIMARY);
    cr_assert_eq(p->value[IND_TEACHING_AREA], 4.5);
    cr_assert(p->pass);
    cr_assert(!st->stage[STAGE_JUNIOR].applicable);
    cr_assert(st->stage[STAGE_PRIMARY].applicable);
    county_status_destroy(&st);
}

Test(rules_section, twelve_year_senior_takes_its_weighted_share)
{
    /* A = 500, B = 300, C = 200: 500 + 1.1×300 + 1.32×200 = 500 + 330 + 264 = 1094.
     * teaching 10940 m²: primary 10940×500/1094 = 5000 → 10.0; junior
     * 10940×330/1094 = 3300 → 11.0; the senior 2640 m² is dropped. */
    school_info s = test_school(7, KIND_TWELVE_YEAR);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 500, 30, 5, 5);
    test_stage(&sub, STAGE_JUNIOR, 300, 20, 3, 3);
    sub.senior_students = 200;
    test_physical(&sub, 10940, 21880, 5470000, 40);
    county_status *st = test_assess_one(&R, &s, &sub);
    const section_status *p = test_section(st, s.school_code, STAGE_PRIMARY);
    const section_status *j = test_section(st, s.school_code, STAGE_JUNIOR);
    cr_assert_float_eq(p->value[IND_TEACHING_AREA], 10.0, 1e-12);
    cr_assert_float_eq(j->value[IND_TEACHING_AREA], 11.0, 1e-12);
    cr_assert_float_eq(p->resource[IND_TEACHING_AREA] + j->resource[IND_TEACHING_AREA], 8300.0, 1e-9);
    /* 5 470 000 yuan: primary 2 500 000 → 5000/student. */
    cr_assert_float_eq(p->value[IND_EQUIPMENT_VALUE], 5000.0, 1e-9);
    county_status_destroy(&st);
}

Test(rules_section, complete_secondary_junior_share)
{
    /* B = 600, C = 400: 1.1×600/(1.1×600 + 1.32×400) = 660/1188 = 600/1080,
     * the national text's B/(B + 1.2C) (1.32/1.1 = 1.2: the two agree).
     * teaching 11880 m² → junior 6600 → 11.0 m²/student. */
    school_info s = test_school(8, KIND_COMPLETE_SECONDARY);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_JUNIOR, 600, 40, 6, 6);
    sub.senior_students = 400;
    test_physical(&sub, 11880, 11880, 11880000, 50);
    county_status *st = test_assess_one(&R, &s, &sub);
    cr_assert_eq(st->n_sections, 1);
    const section_status *j = test_section(st, s.school_code, STAGE_JUNIOR);
    cr_assert_float_eq(j->resource[IND_TEACHING_AREA], 11880.0 * 600.0 / (600.0 + 1.2 * 400.0), 1e-9);
    cr_assert_float_eq(j->value[IND_TEACHING_AREA], 11.0, 1e-12);
    county_status_destroy(&st);
}

Test(rules_section, senior_students_ignored_for_kinds_without_senior)
{
    /* A junior school that (wrongly) reports senior students keeps its whole area. */
    school_info s = test_school(9, KIND_JUNIOR);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_JUNIOR, 1000, 53, 10, 9);
    sub.senior_students = 500;
    test_physical(&sub, 5800, 10200, 2500000, 24);
    county_status *st = test_assess_one(&R, &s, &sub);
    cr_assert_eq(test_section(st, s.school_code, STAGE_JUNIOR)->value[IND_TEACHING_AREA], 5.8);
    county_status_destroy(&st);
}

Test(rules_section, configured_weights_are_used)
{
    /* With weight.junior 1.0 a nine-year school splits by plain students:
     * 10000 m² over 600 + 400 → 10.0 m²/student in both stages. */
    rules_config r2 = R;
    r2.weight[WEIGHT_JUNIOR] = 1.0;
    school_info s = test_school(5, KIND_NINE_YEAR);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 600, 30, 6, 6);
    test_stage(&sub, STAGE_JUNIOR, 400, 30, 4, 4);
    test_physical(&sub, 10000, 20000, 5000000, 20);
    county_status *st = test_assess_one(&r2, &s, &sub);
    cr_assert_float_eq(test_section(st, s.school_code, STAGE_PRIMARY)->value[IND_TEACHING_AREA], 10.0, 1e-12);
    cr_assert_float_eq(test_section(st, s.school_code, STAGE_JUNIOR)->value[IND_TEACHING_AREA], 10.0, 1e-12);
    county_status_destroy(&st);
}
