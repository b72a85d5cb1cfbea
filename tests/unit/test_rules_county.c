/* test_rules_county.c -- the county: coefficients of variation (§5), top
 * contributors, stage and county verdicts, coverage and §7. Numbers worked
 * by hand in the comments. */
#include <criterion/criterion.h>

#include "test_rules_util.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(rules_county, .init = setup);

/* A primary submission whose per-student values are the same for every
 * indicator whatever P (5 qualified, 1 backbone, 1 PE/art per 100; 7.5 m²
 * sports, 2000 yuan, 3 rooms per 100), with teaching area `teaching_per`
 * m²/student. P must be a multiple of 100. */
static void uniform_primary(submission *sub, int64_t p, double teaching_per)
{
    memset(sub, 0, sizeof *sub);
    test_stage(sub, STAGE_PRIMARY, p, p / 20, p / 100, p / 100);
    test_physical(sub, teaching_per * (double)p, 7.5 * (double)p, 2000.0 * (double)p, 3 * p / 100);
}

static county_status *assess(school_info *infos, submission **subs, size_t n)
{
    assess_entry e[16];
    for (size_t j = 0; j < n; j++) {
        e[j].school = &infos[j];
        e[j].sub = subs[j];
    }
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, e, n);
    cr_assert_not_null(st);
    return st;
}

Test(rules_county, worked_coefficient_and_contributors)
{
    /* S1: 100 students at 4.0 m²/student; S2: 300 at 8.0.
     * P = 400; mean = (100×4 + 300×8)/400 = 2800/400 = 7.0.
     * S² = (100/400)(4−7)² + (300/400)(8−7)² = 2.25 + 0.75 = 3; CV = √3/7.
     * Shares: 2.25/3 = 0.75 (S1), 0.75/3 = 0.25 (S2).
     * S1 misses teaching area (4.0 < 4.5, 89 %) but meets 6: both pass. */
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission a, b;
    uniform_primary(&a, 100, 4.0);
    uniform_primary(&b, 300, 8.0);
    submission *subs[2] = { &a, &b };
    county_status *st = assess(s, subs, 2);
    const stage_status *ps = &st->stage[STAGE_PRIMARY];
    cr_assert(ps->applicable);
    cr_assert_eq(ps->sections_assessed, 2);
    cr_assert_eq(ps->students, 400);
    const indicator_status *ta = &ps->ind[IND_TEACHING_AREA];
    cr_assert_float_eq(ta->mean, 7.0, 1e-12);
    cr_assert_float_eq(ta->cv, sqrt(3.0) / 7.0, 1e-12);
    cr_assert(ta->cv_defined);
    cr_assert(ta->cv_ok);
    cr_assert_eq(ta->cv_limit, 0.50);
    cr_assert_eq(ta->sections_meeting, 1);
    cr_assert_eq(ta->n_top, 2);
    cr_assert_str_eq(ta->top[0].school_code, s[0].school_code);
    cr_assert_float_eq(ta->top[0].share, 0.75, 1e-12);
    cr_assert_str_eq(ta->top[1].school_code, s[1].school_code);
    cr_assert_float_eq(ta->top[1].share, 0.25, 1e-12);
    /* Equal values elsewhere: CV 0 (up to rounding), no contributors listed. */
    cr_assert_float_eq(ps->ind[IND_SPORTS_AREA].cv, 0.0, 1e-12);
    cr_assert_eq(ps->ind[IND_SPORTS_AREA].n_top, 0);
    cr_assert_float_eq(ps->ind[IND_QUALIFIED_TEACHERS].mean, 5.0, 1e-12);
    cr_assert_eq(ps->sections_passing, 2);
    cr_assert(ps->pass);
    cr_assert(!st->stage[STAGE_JUNIOR].applicable);    /* no junior sections */
    cr_assert(!st->stage[STAGE_JUNIOR].pass);
    cr_assert(isnan(st->stage[STAGE_JUNIOR].ind[0].mean));
    cr_assert(st->resource_allocation_pass);            /* the one applicable stage passes */
    county_status_destroy(&st);
}

Test(rules_county, coefficient_exactly_at_and_over_the_limit)
{
    /* Sports 7.5 and 22.5 m²/student, 100 students each: mean 15, S = 7.5,
     * CV = 0.5 exactly: within the primary limit. */
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission a, b;
    uniform_primary(&a, 100, 4.5);
    uniform_primary(&b, 100, 4.5);
    b.sports_area_m2 = 2250;
    submission *subs[2] = { &a, &b };
    county_status *st = assess(s, subs, 2);
    cr_assert_float_eq(st->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 0.5, 1e-15);
    cr_assert(st->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv_ok);
    cr_assert(st->stage[STAGE_PRIMARY].pass);
    county_status_destroy(&st);

    /* 22.6: mean 15.05, S = 7.55, CV = 0.50166 > 0.5: every section passes,
     * the stage and the county fail on the coefficient alone. */
    b.sports_area_m2 = 2260;
    st = assess(s, subs, 2);
    cr_assert_float_eq(st->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 7.55 / 15.05, 1e-12);
    cr_assert(!st->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv_ok);
    cr_assert_eq(st->stage[STAGE_PRIMARY].sections_passing, 2);
    cr_assert(!st->stage[STAGE_PRIMARY].pass);
    cr_assert(!st->resource_allocation_pass);
    county_status_destroy(&st);
}

Test(rules_county, one_section_has_cv_zero)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission a;
    uniform_primary(&a, 300, 6.0);
    submission *subs[1] = { &a };
    county_status *st = assess(&s, subs, 1);
    for (int i = 0; i < IND_COUNT; i++) {
        const indicator_status *ind = &st->stage[STAGE_PRIMARY].ind[i];
        cr_assert(ind->cv_defined);
        cr_assert_eq(ind->cv, 0.0);
        cr_assert(ind->cv_ok);
        cr_assert_eq(ind->n_top, 0);
    }
    cr_assert(st->stage[STAGE_PRIMARY].pass);
    county_status_destroy(&st);
}

Test(rules_county, zero_mean_makes_cv_undefined_and_fails)
{
    /* No backbone teacher anywhere: mean 0, CV null, the indicator fails. */
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission a, b;
    uniform_primary(&a, 100, 5.0);
    uniform_primary(&b, 200, 5.0);
    a.stage[STAGE_PRIMARY].backbone_teachers = 0;
    b.stage[STAGE_PRIMARY].backbone_teachers = 0;
    submission *subs[2] = { &a, &b };
    county_status *st = assess(s, subs, 2);
    const indicator_status *bb = &st->stage[STAGE_PRIMARY].ind[IND_BACKBONE_TEACHERS];
    cr_assert_eq(bb->mean, 0.0);
    cr_assert(!bb->cv_defined);
    cr_assert(!bb->cv_ok);
    cr_assert_eq(bb->n_top, 0);
    cr_assert_eq(bb->sections_meeting, 0);
    cr_assert(!st->stage[STAGE_PRIMARY].pass);
    county_status_destroy(&st);
}

Test(rules_county, a_failing_section_fails_the_stage)
{
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission a, b;
    uniform_primary(&a, 100, 5.0);
    uniform_primary(&b, 100, 5.0);
    b.stage[STAGE_PRIMARY].pe_art_teachers = 0;   /* 0 % of 0.9: under the floor */
    submission *subs[2] = { &a, &b };
    county_status *st = assess(s, subs, 2);
    cr_assert_eq(st->stage[STAGE_PRIMARY].sections_passing, 1);
    cr_assert(!st->stage[STAGE_PRIMARY].pass);
    county_status_destroy(&st);
}

Test(rules_county, top_contributors_are_the_five_largest)
{
    /* Eight schools of 100 students at 1..8 m²/student (teaching area): mean
     * 4.5; terms ∝ (x − 4.5)² = 12.25, 6.25, 2.25, 0.25, 0.25, 2.25, 6.25,
     * 12.25 (sum 42). Largest first, ties by code: 1, 8, 2, 7, 3. */
    school_info s[8];
    submission subs_v[8];
    submission *subs[8];
    for (int k = 0; k < 8; k++) {
        s[k] = test_school(k + 1, KIND_PRIMARY);
        uniform_primary(&subs_v[k], 100, (double)(k + 1));
        subs[k] = &subs_v[k];
    }
    county_status *st = assess(s, subs, 8);
    const indicator_status *ta = &st->stage[STAGE_PRIMARY].ind[IND_TEACHING_AREA];
    cr_assert_eq(ta->n_top, 5);
    const int order[5] = { 1, 8, 2, 7, 3 };
    const double share[5] = { 12.25 / 42, 12.25 / 42, 6.25 / 42, 6.25 / 42, 2.25 / 42 };
    for (int k = 0; k < 5; k++) {
        cr_assert_str_eq(ta->top[k].school_code, s[order[k] - 1].school_code, "position %d", k);
        cr_assert_float_eq(ta->top[k].share, share[k], 1e-12);
    }
    county_status_destroy(&st);
}

Test(rules_county, coverage_and_registry_states)
{
    /* 1: submitted; 2: active, missing; 3: inactive, no submission (closed,
     * not counted); 4: inactive but submitted (counted: its data is real). */
    school_info s[4] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY), test_school(3, KIND_PRIMARY),
                         test_school(4, KIND_PRIMARY) };
    s[2].active = false;
    s[3].active = false;
    submission a, d;
    uniform_primary(&a, 100, 5.0);
    uniform_primary(&d, 100, 5.0);
    submission *subs[4] = { &a, NULL, NULL, &d };
    county_status *st = assess(s, subs, 4);
    cr_assert_eq(st->schools_registered, 3);
    cr_assert_eq(st->schools_submitted, 2);
    cr_assert_eq(st->n_missing, 1);
    cr_assert_str_eq(st->missing[0], s[1].school_code);
    cr_assert_eq(st->stage[STAGE_PRIMARY].sections_assessed, 2);
    cr_assert_str_eq(st->rules_version, "national-2017");
    cr_assert_str_eq(st->city_code, "371400");
    cr_assert_eq(st->period, 2025);
    county_status_destroy(&st);
}

Test(rules_county, last_entry_counts_and_other_counties_are_ignored)
{
    school_info s1 = test_school(1, KIND_PRIMARY);
    school_info other = test_school(2, KIND_PRIMARY);
    snprintf(other.county_code, sizeof other.county_code, "371403");
    submission old, cur, o;
    uniform_primary(&old, 100, 1.0);
    uniform_primary(&cur, 200, 5.0);
    uniform_primary(&o, 100, 5.0);
    assess_entry e[3] = { { &s1, &old }, { &other, &o }, { &s1, &cur } };
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, e, 3);
    cr_assert_eq(st->schools_registered, 1);
    cr_assert_eq(st->n_sections, 1);
    cr_assert_eq(st->sections[0].students, 200);
    county_status_destroy(&st);
}

Test(rules_county, empty_county)
{
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, NULL, 0);
    cr_assert_not_null(st);
    cr_assert_eq(st->n_sections, 0);
    cr_assert(!st->stage[STAGE_PRIMARY].applicable);
    cr_assert(!st->resource_allocation_pass);
    for (int g = 0; g < GUAR_COUNT; g++)
        cr_assert(st->guarantee[g].pass, "%s", GUARANTEES[g].key);   /* nothing applies */
    county_status_destroy(&st);
}

Test(rules_county, awaiting_county_input_lists_section_7)
{
    const char *want[] = { "layout_planning", "teacher_pay", "junior_retention", "quality_monitoring",
                           "social_recognition", "veto_exam_admission", "veto_falsified_data" };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        bool found = false;
        for (size_t k = 0; k < AWAITING_COUNTY_INPUT_COUNT; k++)
            if (strcmp(AWAITING_COUNTY_INPUT[k].key, want[w]) == 0)
                found = true;
        cr_assert(found, "%s", want[w]);
    }
}
