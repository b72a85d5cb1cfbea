/* test_validate.c -- every rule of validate_submission on both sides of its
 * boundary. The base submission is the first row of tests/data/submission_en.csv
 * (a nine-year school, 540 primary + 300 junior students), worked by hand:
 * it passes every rule, and each test moves one value just onto and just past
 * a limit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sys_clock.h"
#include "validate.h"

static submission S, PREV;
static school_info SCHOOL;
static problem_list E, W;
static const validate_limits LIMITS = { 2015, 2026 };

/* Replaces a stage's class sizes with the n given values. */
static void classes(stage_data *st, size_t n, const int64_t *v)
{
    free(st->class_sizes);
    st->class_sizes = NULL;
    st->n_class_sizes = n;
    if (n == 0)
        return;
    st->class_sizes = malloc(n * sizeof *v);
    cr_assert_not_null(st->class_sizes);
    memcpy(st->class_sizes, v, n * sizeof *v);
}

/* Replaces a room list with the n given areas. */
static void rooms(double **arr, size_t *count, size_t n, const double *v)
{
    free(*arr);
    *arr = NULL;
    *count = n;
    if (n == 0)
        return;
    *arr = malloc(n * sizeof *v);
    cr_assert_not_null(*arr);
    memcpy(*arr, v, n * sizeof *v);
}

/* Builds the base submission into S and its registry entry into SCHOOL. */
static void setup(void)
{
    memset(&S, 0, sizeof S);
    memset(&PREV, 0, sizeof PREV);
    memset(&E, 0, sizeof E);
    memset(&W, 0, sizeof W);
    strcpy(S.school_code, "3714020001");
    S.period = 2025;
    stage_data *p = &S.stage[STAGE_PRIMARY], *j = &S.stage[STAGE_JUNIOR];
    *p = (stage_data){ .present = true, .students = 540, .teachers = 30, .qualified_teachers = 28,
                       .backbone_teachers = 6, .pe_art_teachers = 5, .new_entrants = 90, .new_entrants_in_zone = 90 };
    int64_t pc[12];
    for (int i = 0; i < 12; i++)
        pc[i] = 45;
    classes(p, 12, pc);
    *j = (stage_data){ .present = true, .students = 300, .teachers = 25, .qualified_teachers = 24,
                       .backbone_teachers = 4, .pe_art_teachers = 3, .new_entrants = 100, .new_entrants_in_zone = 96 };
    classes(j, 6, (int64_t[]){ 50, 50, 50, 50, 50, 50 });
    S.teaching_area_m2 = 4200;
    S.sports_area_m2 = 7600;
    S.equipment_value_yuan = 1800000;
    S.multimedia_rooms = 20;
    rooms(&S.music_room_areas_m2, &S.n_music_rooms, 2, (double[]){ 96, 100.5 });
    rooms(&S.art_room_areas_m2, &S.n_art_rooms, 1, (double[]){ 90 });
    S.certified_teachers = 55;
    S.trained_teachers = 50;
    S.exchange_eligible_teachers = 10;
    S.exchanged_teachers = 2;
    S.exchanged_backbone_teachers = 1;
    S.public_funds_yuan = 800000;
    S.training_spend_yuan = 40000;
    SCHOOL = (school_info){ .school_code = "3714020001", .name = "德州市第一实验学校", .county_code = "371402",
                            .kind = KIND_NINE_YEAR, .location = LOCATION_URBAN, .is_public = true, .active = true };
    cr_assert_eq(submission_copy(&PREV, &S), 0);
}

static void teardown(void)
{
    submission_clear(&S);
    submission_clear(&PREV);
    problem_list_clear(&E);
    problem_list_clear(&W);
}

TestSuite(validate, .init = setup, .fini = teardown);

/* Validates S (with the registry entry and previous when asked) into fresh
 * E and W; returns the number of errors. */
static size_t run_with(const school_info *school, const submission *prev)
{
    problem_list_clear(&E);
    problem_list_clear(&W);
    size_t n = validate_submission(&S, school, prev, &LIMITS, &E, &W);
    cr_assert_eq(n, E.count);
    return n;
}

static size_t run(void) { return run_with(&SCHOOL, NULL); }

/* Asserts no errors and no warnings. */
static void clean(const char *what)
{
    char buf[1024];
    problem_list_format(&E, buf, sizeof buf);
    cr_assert_eq(E.count, 0, "%s: unexpected errors: %s", what, buf);
    problem_list_format(&W, buf, sizeof buf);
    cr_assert_eq(W.count, 0, "%s: unexpected warnings: %s", what, buf);
}

/* Asserts exactly one problem in l, with this field and exactly this reason. */
static void only(const problem_list *l, const char *field, const char *reason)
{
    char buf[1024];
    problem_list_format(l, buf, sizeof buf);
    cr_assert_eq(l->count, 1, "expected only %s: %s, got: %s", field, reason, buf);
    cr_assert_str_eq(l->items[0].field, field);
    cr_assert_str_eq(l->items[0].reason, reason);
}

/* Asserts exactly one problem in l, with this field and a reason containing part. */
static void only_like(const problem_list *l, const char *field, const char *part)
{
    char buf[1024];
    problem_list_format(l, buf, sizeof buf);
    cr_assert_eq(l->count, 1, "expected only %s: ...%s..., got: %s", field, part, buf);
    cr_assert_str_eq(l->items[0].field, field);
    cr_assert(strstr(l->items[0].reason, part), "reason: %s", l->items[0].reason);
}

Test(validate, base_is_clean)
{
    cr_assert_eq(run_with(&SCHOOL, &PREV), 0);
    clean("with registry and previous");
    run_with(NULL, NULL);
    clean("without registry");
}

Test(validate, message_format)
{
    S.stage[STAGE_PRIMARY].qualified_teachers = 31;
    cr_assert_eq(run(), 1);
    char buf[256];
    problem_list_format(&E, buf, sizeof buf);
    cr_assert_str_eq(buf, "primary_qualified_teachers: 31 exceeds primary_teachers 30");
}

Test(validate, lists_appended_not_cleared)
{
    problem_list e = { 0 }, w = { 0 };
    problem_list_add(&e, "x", "earlier");
    S.stage[STAGE_JUNIOR].backbone_teachers = 26;
    cr_assert_eq(validate_submission(&S, &SCHOOL, NULL, &LIMITS, &e, &w), 1);
    cr_assert_eq(e.count, 2);
    cr_assert_str_eq(e.items[0].reason, "earlier");
    cr_assert_str_eq(e.items[1].reason, "26 exceeds junior_teachers 25");
    problem_list_clear(&e);
    problem_list_clear(&w);
}

Test(validate, school_code)
{
    strcpy(S.school_code, "371402000");
    run();
    only(&E, "school_code", "'371402000' is not a 10-digit school code");
    strcpy(S.school_code, "37140200a1");
    run();
    only(&E, "school_code", "'37140200a1' is not a 10-digit school code");
    strcpy(S.school_code, "3.7140E+09");
    run();
    only_like(&E, "school_code", "format the column as text");
    strcpy(S.school_code, "");
    run();
    only(&E, "school_code", "is missing");
    strcpy(S.school_code, "0000000000");
    run();
    clean("10 digits");
}

Test(validate, period_limits)
{
    S.period = 2015;
    run();
    clean("min");
    S.period = 2014;
    run();
    only(&E, "period", "2014 is outside the accepted school years 2015..2026");
    S.period = 2026;
    run();
    clean("max");
    S.period = 2027;
    run();
    only(&E, "period", "2027 is outside the accepted school years 2015..2026");
    S.period = 0;
    run();
    only(&E, "period", "is missing");
}

Test(validate, default_limits)
{
    validate_limits l;
    validate_limits_default(&l);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    cr_assert_eq(l.min_period, 2015);
    cr_assert_eq(l.max_period, tm.tm_year + 1900 + 1);
    S.period = l.max_period + 1;
    cr_assert_eq(validate_submission(&S, &SCHOOL, NULL, &l, &E, &W), 1, "the default limits refuse next year + 1");
    cr_assert_str_eq(E.items[0].field, "period");
}

Test(validate, every_count_negative)
{
    struct {
        int64_t *v;
        const char *field;
    } f[] = {
        { &S.stage[0].students, "primary_students" },
        { &S.stage[0].teachers, "primary_teachers" },
        { &S.stage[0].qualified_teachers, "primary_qualified_teachers" },
        { &S.stage[0].backbone_teachers, "primary_backbone_teachers" },
        { &S.stage[0].pe_art_teachers, "primary_pe_art_teachers" },
        { &S.stage[0].new_entrants, "primary_new_entrants" },
        { &S.stage[0].new_entrants_in_zone, "primary_new_entrants_in_zone" },
        { &S.stage[1].students, "junior_students" },
        { &S.stage[1].teachers, "junior_teachers" },
        { &S.stage[1].qualified_teachers, "junior_qualified_teachers" },
        { &S.stage[1].backbone_teachers, "junior_backbone_teachers" },
        { &S.stage[1].pe_art_teachers, "junior_pe_art_teachers" },
        { &S.stage[1].new_entrants, "junior_new_entrants" },
        { &S.stage[1].new_entrants_in_zone, "junior_new_entrants_in_zone" },
        { &S.senior_students, "senior_students" },
        { &S.multimedia_rooms, "multimedia_rooms" },
        { &S.certified_teachers, "certified_teachers" },
        { &S.trained_teachers, "trained_teachers" },
        { &S.exchange_eligible_teachers, "exchange_eligible_teachers" },
        { &S.exchanged_teachers, "exchanged_teachers" },
        { &S.exchanged_backbone_teachers, "exchanged_backbone_teachers" },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        int64_t keep = *f[i].v;
        *f[i].v = -1;
        run_with(NULL, NULL);
        only(&E, f[i].field, "-1 is negative");
        *f[i].v = 0; /* may break a sum or a part-of rule, but is not negative */
        run_with(NULL, NULL);
        for (size_t k = 0; k < E.count; k++)
            cr_assert(!strstr(E.items[k].reason, "negative"), "%s = 0: %s", f[i].field, E.items[k].reason);
        *f[i].v = keep;
    }
}

Test(validate, every_amount_negative_or_not_finite)
{
    struct {
        double *v;
        const char *field;
    } f[] = {
        { &S.teaching_area_m2, "teaching_area_m2" },         { &S.sports_area_m2, "sports_area_m2" },
        { &S.equipment_value_yuan, "equipment_value_yuan" }, { &S.public_funds_yuan, "public_funds_yuan" },
        { &S.training_spend_yuan, "training_spend_yuan" },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        double keep = *f[i].v;
        *f[i].v = -0.01;
        run();
        only(&E, f[i].field, "-0.01 is negative");
        *f[i].v = NAN;
        run();
        only(&E, f[i].field, "is not a finite number");
        *f[i].v = INFINITY;
        run();
        only(&E, f[i].field, "is not a finite number");
        *f[i].v = keep;
    }
}

Test(validate, teacher_parts_within_teachers)
{
    static const char *const names[] = { "qualified_teachers", "backbone_teachers", "pe_art_teachers" };
    for (int st = 0; st < STAGE_COUNT; st++) {
        stage_data *s = &S.stage[st];
        int64_t *v[] = { &s->qualified_teachers, &s->backbone_teachers, &s->pe_art_teachers };
        for (int k = 0; k < 3; k++) {
            int64_t keep = *v[k];
            *v[k] = s->teachers;
            run();
            clean("equal to teachers");
            *v[k] = s->teachers + 1;
            run();
            char field[64], reason[128];
            snprintf(field, sizeof field, "%s_%s", STAGE_KEYS[st], names[k]);
            snprintf(reason, sizeof reason, "%lld exceeds %s_teachers %lld", (long long)(s->teachers + 1),
                     STAGE_KEYS[st], (long long)s->teachers);
            only(&E, field, reason);
            *v[k] = keep;
        }
    }
}

Test(validate, entrants_within_students_and_zone_within_entrants)
{
    stage_data *p = &S.stage[STAGE_PRIMARY], *j = &S.stage[STAGE_JUNIOR];
    p->new_entrants = 540;
    run();
    clean("new entrants == students");
    p->new_entrants = 541;
    run();
    only(&E, "primary_new_entrants", "541 exceeds primary_students 540");
    p->new_entrants = 90;
    j->new_entrants_in_zone = 100;
    run();
    clean("in-zone == new entrants");
    j->new_entrants_in_zone = 101;
    run();
    only(&E, "junior_new_entrants_in_zone", "101 exceeds junior_new_entrants 100");
}

Test(validate, exchange)
{
    S.exchanged_teachers = 10;
    run();
    clean("exchanged == eligible");
    S.exchanged_teachers = 11;
    run();
    only(&E, "exchanged_teachers", "11 exceeds exchange_eligible_teachers 10");
    S.exchanged_teachers = 2;
    S.exchanged_backbone_teachers = 2;
    run();
    clean("backbone exchanged == exchanged");
    S.exchanged_backbone_teachers = 3;
    run();
    only(&E, "exchanged_backbone_teachers", "3 exceeds exchanged_teachers 2");
}

Test(validate, certified_and_trained_within_all_teachers)
{
    S.trained_teachers = 55; /* certified is already 55 == 30 + 25 */
    run();
    clean("== total teachers");
    S.certified_teachers = 56;
    run();
    only(&E, "certified_teachers",
         "56 exceeds the 55 full-time teachers of all stages (primary_teachers + junior_teachers)");
    S.certified_teachers = 55;
    S.trained_teachers = 56;
    run();
    only_like(&E, "trained_teachers", "56 exceeds the 55 full-time teachers");
}

Test(validate, certified_beyond_compulsory_teachers_only_flagged_with_senior_part)
{
    /* A twelve-year school counts its senior teachers in certified_teachers
     * ("all stages") but reports only compulsory-stage teachers. */
    SCHOOL.kind = KIND_TWELVE_YEAR;
    S.senior_students = 400;
    S.certified_teachers = 80;
    run();
    cr_assert_eq(E.count, 0);
    cr_assert(problem_list_has_field(&W, "certified_teachers"));
    S.senior_students = 0;
    run();
    cr_assert(problem_list_has_field(&E, "certified_teachers"), "without senior students it is refused");
}

Test(validate, training_spend_within_public_funds)
{
    S.training_spend_yuan = 800000;
    run();
    clean("spend == funds");
    S.training_spend_yuan = 800000.01;
    run();
    only(&E, "training_spend_yuan", "800000.01 exceeds public_funds_yuan 800000");
}

Test(validate, class_sizes_sum)
{
    S.stage[STAGE_PRIMARY].students = 541;
    run();
    only(&E, "primary_class_sizes", "the 12 classes add up to 540, not primary_students 541");
    S.stage[STAGE_PRIMARY].students = 539;
    run();
    only(&E, "primary_class_sizes", "the 12 classes add up to 540, not primary_students 539");
}

Test(validate, class_sizes_required_with_students)
{
    classes(&S.stage[STAGE_JUNIOR], 0, NULL);
    run();
    only(&E, "junior_class_sizes",
         "missing: list the number of students in each class (e.g. 45;44;46), adding up to junior_students 300");
    /* a stage with no students needs no classes */
    S.stage[STAGE_JUNIOR].students = 0;
    S.stage[STAGE_JUNIOR].new_entrants = 0;
    S.stage[STAGE_JUNIOR].new_entrants_in_zone = 0;
    run();
    cr_assert_eq(E.count, 0);
    /* classes listed for 0 students do not add up */
    classes(&S.stage[STAGE_JUNIOR], 1, (int64_t[]){ 3 });
    run();
    only(&E, "junior_class_sizes", "the 1 classes add up to 3, not junior_students 0");
}

Test(validate, class_size_limits)
{
    stage_data *p = &S.stage[STAGE_PRIMARY];
    classes(p, 4, (int64_t[]){ 150, 150, 150, 90 });
    run();
    clean("150 per class");
    classes(p, 4, (int64_t[]){ 151, 149, 150, 90 });
    run();
    only(&E, "primary_class_sizes", "class 1 has 151 students, over 150");
    classes(p, 3, (int64_t[]){ 1, 89, 450 });
    run();
    only(&E, "primary_class_sizes", "class 3 has 450 students, over 150");
    classes(p, 4, (int64_t[]){ 1, 149, 150, 240 - 0 });
    run();
    only(&E, "primary_class_sizes", "class 4 has 240 students, over 150");
    classes(p, 5, (int64_t[]){ 1, 149, 150, 150, 90 });
    run();
    clean("a class of 1");
    classes(p, 5, (int64_t[]){ 0, 150, 150, 150, 90 });
    run();
    only(&E, "primary_class_sizes", "class 1 has 0 students; a class has at least 1");
    classes(p, 5, (int64_t[]){ 150, -1, 151, 150, 90 });
    run();
    cr_assert_eq(E.count, 2);
    cr_assert_str_eq(E.items[0].reason, "class 2 has -1 students; a class has at least 1");
    cr_assert_str_eq(E.items[1].reason, "class 3 has 151 students, over 150");
}

Test(validate, room_areas)
{
    rooms(&S.music_room_areas_m2, &S.n_music_rooms, 2, (double[]){ 1000, 0.01 });
    run();
    clean("1000 m² and 0.01 m²");
    rooms(&S.music_room_areas_m2, &S.n_music_rooms, 2, (double[]){ 96, 1000.01 });
    run();
    only(&E, "music_room_areas_m2", "room 2 is 1000.01 m², over 1000 m²");
    rooms(&S.art_room_areas_m2, &S.n_art_rooms, 1, (double[]){ 0 });
    rooms(&S.music_room_areas_m2, &S.n_music_rooms, 1, (double[]){ 96 });
    run();
    only(&E, "art_room_areas_m2", "room 1 has an area of 0 m²; a room is larger than 0");
    rooms(&S.art_room_areas_m2, &S.n_art_rooms, 1, (double[]){ -90 });
    run();
    only(&E, "art_room_areas_m2", "room 1 has an area of -90 m²; a room is larger than 0");
    rooms(&S.art_room_areas_m2, &S.n_art_rooms, 1, (double[]){ NAN });
    run();
    only(&E, "art_room_areas_m2", "room 1: the area is not a finite number");
}

/* Turns S into a primary-only submission (the junior stage blank). */
static void primary_only(void)
{
    classes(&S.stage[STAGE_JUNIOR], 0, NULL);
    S.stage[STAGE_JUNIOR] = (stage_data){ 0 };
    S.certified_teachers = S.trained_teachers = 30;
}

Test(validate, stage_the_kind_lacks)
{
    SCHOOL.kind = KIND_PRIMARY;
    run();
    only(&E, "junior_students", "a primary school (小学) has no junior stage; leave the junior_* columns blank");
    SCHOOL.kind = KIND_TEACHING_POINT;
    run();
    only(&E, "junior_students", "a teaching point (教学点) has no junior stage; leave the junior_* columns blank");
    SCHOOL.kind = KIND_COMPLETE_SECONDARY;
    run();
    only(&E, "primary_students",
         "a complete secondary school (完全中学) has no primary stage; leave the primary_* columns blank");
    SCHOOL.kind = KIND_SPECIAL;
    run();
    clean("special has both");
    SCHOOL.kind = KIND_TWELVE_YEAR;
    run();
    clean("twelve-year has both");
    SCHOOL.kind = KIND_PRIMARY;
    primary_only();
    run();
    clean("primary only");
    S.stage[STAGE_JUNIOR].present = true; /* written out as zeros */
    run();
    clean("a junior stage of zeros is harmless");
    S.stage[STAGE_JUNIOR].teachers = 1;
    S.certified_teachers = S.trained_teachers = 31;
    run();
    only_like(&E, "junior_students", "has no junior stage");
}

Test(validate, senior_students_by_kind)
{
    S.senior_students = 1;
    run();
    only(&E, "senior_students", "a nine-year school (九年一贯制学校) has no senior stage; leave senior_students blank");
    SCHOOL.kind = KIND_TWELVE_YEAR;
    S.senior_students = 600;
    run();
    clean("twelve-year senior");
    run_with(NULL, NULL);
    clean("without the registry the kind is not checked");
}

Test(validate, no_stage_at_all)
{
    for (int st = 0; st < STAGE_COUNT; st++) {
        classes(&S.stage[st], 0, NULL);
        S.stage[st] = (stage_data){ 0 };
    }
    S.certified_teachers = S.trained_teachers = 0;
    run_with(NULL, NULL);
    only(&E, "", "no stage reported: the primary_* and junior_* columns are all blank");
    SCHOOL.kind = KIND_JUNIOR;
    run();
    only(&E, "", "no stage reported: a junior school (初中) fills in its junior_* columns");
    S.stage[STAGE_JUNIOR].present = true;
    run();
    clean("a present stage of zeros counts as reported");
}

Test(validate, warn_students_without_teachers)
{
    stage_data *p = &S.stage[STAGE_PRIMARY];
    p->qualified_teachers = p->backbone_teachers = p->pe_art_teachers = 0;
    p->teachers = 1;
    S.certified_teachers = S.trained_teachers = 26;
    run();
    clean("one teacher");
    p->teachers = 0;
    S.certified_teachers = S.trained_teachers = 25;
    cr_assert_eq(run(), 0, "only a flag");
    only(&W, "primary_teachers", "no teachers for 540 primary_students");
}

/* Sets *v, validates, and checks for no warning (ok) or one on field. */
static void per_student_case(double *v, double value, const char *field, const char *part)
{
    *v = value;
    cr_assert_eq(run(), 0);
    if (part)
        only_like(&W, field, part);
    else
        cr_assert_eq(W.count, 0, "%s = %f: %s", field, value, W.count ? W.items[0].reason : "");
}

Test(validate, warn_per_student_values)
{
    /* 840 students in the school */
    per_student_case(&S.teaching_area_m2, 42000, "teaching_area_m2", NULL);
    per_student_case(&S.teaching_area_m2, 42000.5, "teaching_area_m2", "far above what schools report (over 50)");
    per_student_case(&S.teaching_area_m2, 840, "teaching_area_m2", NULL);
    per_student_case(&S.teaching_area_m2, 839, "teaching_area_m2", "far below what schools report (under 1)");
    per_student_case(&S.teaching_area_m2, 0, "teaching_area_m2", NULL);
    S.teaching_area_m2 = 4200;
    per_student_case(&S.sports_area_m2, 168000, "sports_area_m2", NULL);
    per_student_case(&S.sports_area_m2, 168001, "sports_area_m2", "over 200");
    per_student_case(&S.sports_area_m2, 420, "sports_area_m2", NULL);
    per_student_case(&S.sports_area_m2, 419, "sports_area_m2", "under 0.5");
    S.sports_area_m2 = 7600;
    per_student_case(&S.equipment_value_yuan, 168000000, "equipment_value_yuan", NULL);
    per_student_case(&S.equipment_value_yuan, 168000001, "equipment_value_yuan", "over 200000");
    per_student_case(&S.equipment_value_yuan, 84000, "equipment_value_yuan", NULL);
    per_student_case(&S.equipment_value_yuan, 83999, "equipment_value_yuan", "万元");
    S.equipment_value_yuan = 1800000;
    S.multimedia_rooms = 420;
    run();
    clean("one room per 2 students");
    S.multimedia_rooms = 421;
    cr_assert_eq(run(), 0);
    only(&W, "multimedia_rooms",
         "421 rooms for 840 students is far above what schools report (over 1 room per 2 students)");
}

/* Sets the previous value, validates against PREV and checks for no
 * warning (part NULL) or one on field containing part. */
static void change_case(int64_t *prev, int64_t value, const char *field, const char *part)
{
    *prev = value;
    cr_assert_eq(run_with(&SCHOOL, &PREV), 0);
    if (part)
        only_like(&W, field, part);
    else
        cr_assert_eq(W.count, 0, "%s previous %lld: %s", field, (long long)value, W.count ? W.items[0].reason : "");
}

static void change_case_d(double *prev, double value, const char *field, const char *part)
{
    *prev = value;
    cr_assert_eq(run_with(&SCHOOL, &PREV), 0);
    if (part)
        only_like(&W, field, part);
    else
        cr_assert_eq(W.count, 0, "%s previous %f: %s", field, value, W.count ? W.items[0].reason : "");
}

Test(validate, warn_change_of_more_than_half)
{
    stage_data *p = &PREV.stage[STAGE_PRIMARY], *j = &PREV.stage[STAGE_JUNIOR];
    change_case(&p->students, 360, "primary_students", NULL); /* 360 -> 540 is +50% exactly */
    change_case(&p->students, 359, "primary_students", "359 -> 540");
    change_case(&p->students, 1080, "primary_students", NULL); /* 1080 -> 540 is -50% exactly */
    change_case(&p->students, 1081, "primary_students", "1081 -> 540");
    change_case(&p->students, 0, "primary_students", "was 0 in the previous accepted submission, now 540");
    p->students = 540;
    change_case(&p->teachers, 20, "primary_teachers", NULL);
    change_case(&p->teachers, 19, "primary_teachers", "more than half");
    p->teachers = 30;
    change_case(&j->students, 200, "junior_students", NULL);
    change_case(&j->students, 199, "junior_students", "199 -> 300 (+51%)");
    j->students = 300;
    change_case(&j->teachers, 50, "junior_teachers", NULL);
    change_case(&j->teachers, 51, "junior_teachers", "51 -> 25 (-51%)");
    j->teachers = 25;
    change_case_d(&PREV.teaching_area_m2, 2800, "teaching_area_m2", NULL);
    change_case_d(&PREV.teaching_area_m2, 2799, "teaching_area_m2", "2799 -> 4200");
    PREV.teaching_area_m2 = 4200;
    change_case_d(&PREV.sports_area_m2, 15200, "sports_area_m2", NULL);
    change_case_d(&PREV.sports_area_m2, 15201, "sports_area_m2", "15201 -> 7600");
    PREV.sports_area_m2 = 7600;
    change_case_d(&PREV.equipment_value_yuan, 1200000, "equipment_value_yuan", NULL);
    change_case_d(&PREV.equipment_value_yuan, 1199999, "equipment_value_yuan", "1199999 -> 1800000");
    PREV.equipment_value_yuan = 1800000;
    change_case(&PREV.multimedia_rooms, 40, "multimedia_rooms", NULL);
    change_case(&PREV.multimedia_rooms, 41, "multimedia_rooms", "41 -> 20");
}
