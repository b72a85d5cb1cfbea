/* test_rules_guarantee.c -- the government-guarantee items of §6, each on
 * both sides of its boundary. */
#include <criterion/criterion.h>

#include "test_rules_util.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(rules_guarantee, .init = setup);

static int64_t CLASSES_12[12] = { 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 50, 50 };
static double ROOMS_OK[1] = { 96.0 };
static double ART_OK[1] = { 90.0 };

/* A primary school of 500 students in 12 classes of ≤ 45 (after fixing),
 * one 96 m² music room and one 90 m² art room, 31 teachers all certified
 * and trained, 1 000 000 yuan public funds with 50 000 (5 %) on training,
 * 100 new entrants all in zone, 10 of 100 eligible teachers exchanged, 2
 * of them backbone. Borrowed arrays: do not submission_clear(). */
static void compliant(submission *sub)
{
    memset(sub, 0, sizeof *sub);
    test_stage(sub, STAGE_PRIMARY, 500, 21, 5, 5);
    test_physical(sub, 2250, 3750, 1000000, 12);
    stage_data *p = &sub->stage[STAGE_PRIMARY];
    CLASSES_12[10] = CLASSES_12[11] = 45;
    p->class_sizes = CLASSES_12;
    p->n_class_sizes = 12;
    p->new_entrants = 100;
    p->new_entrants_in_zone = 100;
    sub->music_room_areas_m2 = ROOMS_OK;
    sub->n_music_rooms = 1;
    sub->art_room_areas_m2 = ART_OK;
    sub->n_art_rooms = 1;
    sub->certified_teachers = p->teachers;
    sub->trained_teachers = p->teachers;
    sub->exchange_eligible_teachers = 100;
    sub->exchanged_teachers = 10;
    sub->exchanged_backbone_teachers = 2;
    sub->public_funds_yuan = 1000000;
    sub->training_spend_yuan = 50000;
}

static county_status *one(const school_info *s, const submission *sub)
{
    county_status *st = test_assess_one(&R, s, sub);
    cr_assert_not_null(st);
    return st;
}

static void expect(const county_status *st, guarantee_id g, bool pass, int64_t complying, int64_t applicable)
{
    const guarantee_status *gs = &st->guarantee[g];
    cr_assert_eq(gs->pass, pass, "%s pass", GUARANTEES[g].key);
    cr_assert_eq(gs->complying, complying, "%s complying %lld", GUARANTEES[g].key, (long long)gs->complying);
    cr_assert_eq(gs->applicable, applicable, "%s applicable %lld", GUARANTEES[g].key, (long long)gs->applicable);
}

Test(rules_guarantee, compliant_school_passes_everything)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    compliant(&sub);
    county_status *st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, true, 1, 1);
    expect(st, GUAR_SCHOOL_SCALE, true, 1, 1);
    expect(st, GUAR_CLASS_SIZE, true, 12, 12);
    expect(st, GUAR_TEACHER_CERTIFICATION, true, 1, 1);
    expect(st, GUAR_TEACHER_TRAINING, true, 1, 1);
    expect(st, GUAR_TEACHER_EXCHANGE, true, 10, 100);
    expect(st, GUAR_NEARBY_ENROLMENT, true, 1, 1);
    expect(st, GUAR_TRAINING_BUDGET, true, 1, 1);
    for (int g = 0; g < GUAR_COUNT; g++)
        cr_assert_eq(st->guarantee[g].n_failing, 0);
    county_status_destroy(&st);
}

Test(rules_guarantee, music_art_rooms)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    compliant(&sub);
    /* 12 classes → ⌈12/12⌉ = 1 room each. A 95.9 m² music room is too small. */
    double small[1] = { 95.9 };
    sub.music_room_areas_m2 = small;
    county_status *st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, false, 0, 1);
    cr_assert_eq(st->guarantee[GUAR_MUSIC_ART_ROOMS].n_failing, 1);
    cr_assert_str_eq(st->guarantee[GUAR_MUSIC_ART_ROOMS].failing[0], s.school_code);
    county_status_destroy(&st);

    /* 13 classes → 2 rooms of each: one of each is not enough ... */
    int64_t c13[13] = { 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 20 };
    compliant(&sub);
    sub.stage[STAGE_PRIMARY].class_sizes = c13;
    sub.stage[STAGE_PRIMARY].n_class_sizes = 13;
    st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, false, 0, 1);
    county_status_destroy(&st);
    /* ... two of each are. */
    double music2[2] = { 96, 120 }, art2[2] = { 90, 90 };
    sub.music_room_areas_m2 = music2;
    sub.n_music_rooms = 2;
    sub.art_room_areas_m2 = art2;
    sub.n_art_rooms = 2;
    st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, true, 1, 1);
    county_status_destroy(&st);

    /* No classes reported: still max(1, 0) = 1 room of each; none → fails. */
    compliant(&sub);
    sub.stage[STAGE_PRIMARY].n_class_sizes = 0;
    sub.n_art_rooms = 0;
    st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, false, 0, 1);
    county_status_destroy(&st);
}

Test(rules_guarantee, school_scale)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    compliant(&sub);
    sub.stage[STAGE_PRIMARY].students = 2000;
    county_status *st = one(&s, &sub);
    expect(st, GUAR_SCHOOL_SCALE, true, 1, 1);
    county_status_destroy(&st);
    sub.stage[STAGE_PRIMARY].students = 2001;
    st = one(&s, &sub);
    expect(st, GUAR_SCHOOL_SCALE, false, 0, 1);
    county_status_destroy(&st);

    /* Nine-year: 1500 + 1000 = 2500 is allowed, 2501 is not. */
    school_info n = test_school(2, KIND_NINE_YEAR);
    compliant(&sub);
    sub.stage[STAGE_PRIMARY].students = 1500;
    test_stage(&sub, STAGE_JUNIOR, 1000, 60, 10, 10);
    st = one(&n, &sub);
    expect(st, GUAR_SCHOOL_SCALE, true, 1, 1);
    county_status_destroy(&st);
    sub.stage[STAGE_JUNIOR].students = 1001;
    st = one(&n, &sub);
    expect(st, GUAR_SCHOOL_SCALE, false, 0, 1);
    county_status_destroy(&st);

    /* Complete secondary: only compulsory (junior) students count: 2000
     * junior + 1500 senior passes. */
    school_info c = test_school(3, KIND_COMPLETE_SECONDARY);
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_JUNIOR, 2000, 120, 20, 20);
    sub.senior_students = 1500;
    st = one(&c, &sub);
    expect(st, GUAR_SCHOOL_SCALE, true, 1, 1);
    county_status_destroy(&st);
}

Test(rules_guarantee, class_size_counts_classes)
{
    /* Primary classes of 45 comply, 46 does not: 11 of 12 classes comply, the
     * school is listed as failing. A second (junior) school with classes of
     * 50 and 50 complies: 13 of 14 classes, 1 of 2 schools. */
    school_info s = test_school(1, KIND_PRIMARY);
    school_info j = test_school(2, KIND_JUNIOR);
    submission a, b;
    compliant(&a);
    int64_t big[12] = { 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 45, 46 };
    a.stage[STAGE_PRIMARY].class_sizes = big;
    memset(&b, 0, sizeof b);
    test_stage(&b, STAGE_JUNIOR, 100, 6, 1, 1);
    int64_t jc[2] = { 50, 50 };
    b.stage[STAGE_JUNIOR].class_sizes = jc;
    b.stage[STAGE_JUNIOR].n_class_sizes = 2;
    assess_entry e[2] = { { &s, &a }, { &j, &b } };
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, e, 2);
    expect(st, GUAR_CLASS_SIZE, false, 13, 14);
    const guarantee_status *gs = &st->guarantee[GUAR_CLASS_SIZE];
    cr_assert_eq(gs->unit, GUNIT_CLASSES);
    cr_assert_eq(gs->schools_complying, 1);
    cr_assert_eq(gs->schools_applicable, 2);
    cr_assert_eq(gs->n_failing, 1);
    cr_assert_str_eq(gs->failing[0], s.school_code);
    county_status_destroy(&st);

    /* A junior class of 51 breaks the junior limit. */
    jc[1] = 51;
    st = county_assess(&R, &c, 2025, e, 2);
    expect(st, GUAR_CLASS_SIZE, false, 12, 14);
    cr_assert_eq(st->guarantee[GUAR_CLASS_SIZE].n_failing, 2);
    county_status_destroy(&st);
}

Test(rules_guarantee, certification_and_training)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    compliant(&sub);
    /* 31 teachers; 30 certified, 30 trained → both fail. */
    sub.certified_teachers = 30;
    sub.trained_teachers = 30;
    county_status *st = one(&s, &sub);
    expect(st, GUAR_TEACHER_CERTIFICATION, false, 0, 1);
    expect(st, GUAR_TEACHER_TRAINING, false, 0, 1);
    county_status_destroy(&st);
    /* No teachers at all: not applicable (nothing to certify). */
    sub.stage[STAGE_PRIMARY].teachers = 0;
    st = one(&s, &sub);
    expect(st, GUAR_TEACHER_CERTIFICATION, true, 0, 0);
    county_status_destroy(&st);
}

Test(rules_guarantee, teacher_exchange_is_county_wide)
{
    /* Two schools with 50 eligible each: 5 + 5 = 10 exchanged of 100 (10 %),
     * 1 + 1 = 2 backbone of 10 (20 %): passes at both boundaries. */
    school_info s1 = test_school(1, KIND_PRIMARY), s2 = test_school(2, KIND_PRIMARY);
    submission a, b;
    compliant(&a);
    compliant(&b);
    a.exchange_eligible_teachers = b.exchange_eligible_teachers = 50;
    a.exchanged_teachers = b.exchanged_teachers = 5;
    a.exchanged_backbone_teachers = b.exchanged_backbone_teachers = 1;
    assess_entry e[2] = { { &s1, &a }, { &s2, &b } };
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, e, 2);
    expect(st, GUAR_TEACHER_EXCHANGE, true, 10, 100);
    cr_assert_eq(st->exchange.exchanged_backbone, 2);
    cr_assert_eq(st->guarantee[GUAR_TEACHER_EXCHANGE].unit, GUNIT_TEACHERS);
    county_status_destroy(&st);
    /* 9 of 100 exchanged: fails. */
    b.exchanged_teachers = 4;
    st = county_assess(&R, &c, 2025, e, 2);
    expect(st, GUAR_TEACHER_EXCHANGE, false, 9, 100);
    county_status_destroy(&st);
    /* 10 exchanged but 1 backbone (10 %): fails. */
    b.exchanged_teachers = 5;
    b.exchanged_backbone_teachers = 0;
    st = county_assess(&R, &c, 2025, e, 2);
    expect(st, GUAR_TEACHER_EXCHANGE, false, 10, 100);
    cr_assert_eq(st->guarantee[GUAR_TEACHER_EXCHANGE].n_failing, 0);   /* no school fails alone */
    county_status_destroy(&st);
}

Test(rules_guarantee, nearby_enrolment)
{
    school_info s = test_school(1, KIND_NINE_YEAR);
    submission sub;
    compliant(&sub);
    test_stage(&sub, STAGE_JUNIOR, 300, 20, 3, 3);
    /* primary 100 of 100 in zone, junior 95 of 100 (95 %): complies. */
    sub.stage[STAGE_JUNIOR].new_entrants = 100;
    sub.stage[STAGE_JUNIOR].new_entrants_in_zone = 95;
    county_status *st = one(&s, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, true, 1, 1);
    county_status_destroy(&st);
    /* junior 94 %: fails. */
    sub.stage[STAGE_JUNIOR].new_entrants_in_zone = 94;
    st = one(&s, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, false, 0, 1);
    county_status_destroy(&st);
    /* primary 99 of 100: fails (primary must be 100 %). */
    sub.stage[STAGE_JUNIOR].new_entrants_in_zone = 95;
    sub.stage[STAGE_PRIMARY].new_entrants_in_zone = 99;
    st = one(&s, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, false, 0, 1);
    county_status_destroy(&st);
    /* The same school rural, boarding or private: the item does not apply. */
    school_info r = s;
    r.location = LOCATION_RURAL;
    st = one(&r, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, true, 0, 0);
    county_status_destroy(&st);
    r = s;
    r.boarding = true;
    st = one(&r, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, true, 0, 0);
    county_status_destroy(&st);
    r = s;
    r.is_public = false;
    st = one(&r, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, true, 0, 0);
    county_status_destroy(&st);
    /* Town counts like urban. */
    r = s;
    r.location = LOCATION_TOWN;
    st = one(&r, &sub);
    expect(st, GUAR_NEARBY_ENROLMENT, false, 0, 1);
    county_status_destroy(&st);
}

Test(rules_guarantee, training_budget)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    compliant(&sub);
    sub.training_spend_yuan = 49999.99;   /* just under 5 % of 1 000 000 */
    county_status *st = one(&s, &sub);
    expect(st, GUAR_TRAINING_BUDGET, false, 0, 1);
    county_status_destroy(&st);
    sub.public_funds_yuan = 0;            /* no budget: not applicable */
    st = one(&s, &sub);
    expect(st, GUAR_TRAINING_BUDGET, true, 0, 0);
    county_status_destroy(&st);
}

Test(rules_guarantee, special_schools_take_no_part)
{
    school_info s = test_school(1, KIND_SPECIAL);
    submission sub;
    compliant(&sub);
    sub.certified_teachers = 0;
    sub.n_music_rooms = 0;
    county_status *st = one(&s, &sub);
    for (int g = 0; g < GUAR_COUNT; g++) {
        cr_assert(st->guarantee[g].pass, "%s", GUARANTEES[g].key);
        cr_assert_eq(st->guarantee[g].applicable, 0, "%s", GUARANTEES[g].key);
    }
    cr_assert_eq(st->schools_submitted, 1);
    county_status_destroy(&st);
}

Test(rules_guarantee, small_teaching_points_still_count_for_guarantees)
{
    /* Left out of the seven indicators (§2), not out of §6. */
    school_info s = test_school(1, KIND_TEACHING_POINT);
    submission sub;
    compliant(&sub);
    sub.stage[STAGE_PRIMARY].students = 30;
    sub.n_art_rooms = 0;
    county_status *st = one(&s, &sub);
    expect(st, GUAR_MUSIC_ART_ROOMS, false, 0, 1);
    expect(st, GUAR_SCHOOL_SCALE, true, 1, 1);
    county_status_destroy(&st);
}
