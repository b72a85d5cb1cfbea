/* test_items_util.h -- builders shared by the whole-verdict tests: a county
 * whose every item passes, and one call from schools and inputs to a
 * county_verdict. */
#ifndef TEST_ITEMS_UTIL_H
#define TEST_ITEMS_UTIL_H

#include "assess_items.h"
#include "county_inputs.h"
#include "test_rules_util.h"

static int64_t ITEMS_CLASSES[12] = { 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 45, 45 };
static double ITEMS_MUSIC[1] = { 96.0 };
static double ITEMS_ART[1] = { 90.0 };

/* A primary school of 500 students passing every §6 item (borrowed arrays:
 * do not submission_clear()). */
static inline void items_compliant(submission *sub, const char *code)
{
    test_good_primary(sub, code);
    stage_data *p = &sub->stage[STAGE_PRIMARY];
    p->class_sizes = ITEMS_CLASSES;
    p->n_class_sizes = 12;
    p->new_entrants = 100;
    p->new_entrants_in_zone = 100;
    sub->music_room_areas_m2 = ITEMS_MUSIC;
    sub->n_music_rooms = 1;
    sub->art_room_areas_m2 = ITEMS_ART;
    sub->n_art_rooms = 1;
    sub->certified_teachers = p->teachers;
    sub->trained_teachers = p->teachers;
    sub->exchange_eligible_teachers = 100;
    sub->exchanged_teachers = 10;
    sub->exchanged_backbone_teachers = 2;
    sub->public_funds_yuan = 1000000;
    sub->training_spend_yuan = 50000;
}

/* Sets one input with evidence "doc"; aborts the test when out of memory. */
static inline void items_set(county_inputs *in, county_input_field f, double v)
{
    if (county_inputs_set(in, f, v, false, "doc") != 0)
        abort();
}

/* Every county input given, every item passing, every veto absent. */
static inline void items_passing_inputs(county_inputs *in)
{
    memset(in, 0, sizeof *in);
    const county_input_field yes[] = { CI_2_1_MET, CI_2_2_MET, CI_2_8_PERFORMANCE, CI_2_10_MET, CI_2_14_TILT,
                                       CI_2_15_CARE, CI_3_3_MET, CI_3_5_MET, CI_3_6_MET, CI_3_7_MET, CI_3_8_MET };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        items_set(in, yes[i], 1);
    items_set(in, CI_2_2_BENCH_PRIMARY, 650);
    items_set(in, CI_2_2_BENCH_JUNIOR, 850);
    items_set(in, CI_2_8_TEACHER_PAY, 98500);
    items_set(in, CI_2_8_CIVIL_PAY, 97200);
    items_set(in, CI_2_14_PLAN, 1000);
    items_set(in, CI_2_14_ALLOCATED, 600);
    items_set(in, CI_2_14_RURAL, 300);
    items_set(in, CI_2_15_ELIGIBLE, 1000);
    items_set(in, CI_2_15_PUBLIC, 800);
    items_set(in, CI_2_15_PURCHASED, 100);
    items_set(in, CI_3_1_ENTRANTS, 800);
    items_set(in, CI_3_1_GRADUATES, 713);
    items_set(in, CI_3_1_IN, 10);
    items_set(in, CI_3_1_OUT, 60);
    items_set(in, CI_3_1_DEATHS, 1);
    items_set(in, CI_3_2_SCHOOL_AGE, 200);
    items_set(in, CI_3_2_REGULAR, 150);
    items_set(in, CI_3_2_SPECIAL, 30);
    items_set(in, CI_3_2_HOME, 15);
    items_set(in, ci_subject_field(1, 0), 3);      /* math.level */
    items_set(in, ci_subject_field(1, 1), 0.9);    /* math.share_level3_or_above */
    items_set(in, ci_subject_field(1, 2), 0.121);  /* math.school_difference_rate */
    items_set(in, ci_group_field(1, 0), 1000);     /* parents.valid */
    items_set(in, ci_group_field(1, 1), 900);      /* parents.recognising */
    for (int k = 0; k < ITEM_VETO_COUNT; k++)
        items_set(in, (county_input_field)(CI_5_1 + k), 0);
}

/* The verdict of a county of n schools (subs[i] NULL: not submitted). */
static inline county_verdict *items_verdict(const rules_config *rules, const school_info *schools,
                                            const submission *const *subs, size_t n, const county_inputs *in)
{
    county_info c = test_county();
    assess_entry e[16];
    item_school is[16];
    for (size_t i = 0; i < n; i++) {
        e[i].school = &schools[i];
        e[i].sub = subs[i];
        item_school_from(&schools[i], subs[i], &is[i]);
    }
    county_status *st = county_assess(rules, &c, 2025, e, n);
    if (!st)
        return NULL;
    county_verdict *v = county_verdict_assess(rules, st, is, n, in);
    county_status_destroy(&st);
    return v;
}

/* The verdict of one compliant primary school with inputs `in`. */
static inline county_verdict *items_one_school(const rules_config *rules, const county_inputs *in)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    const submission *subs[1] = { &sub };
    return items_verdict(rules, &s, subs, 1, in);
}

#endif
