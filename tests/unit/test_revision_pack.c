/* test_revision_pack.c -- the registry's compact revision form
 * (server/state/revision_pack.c): every field comes back with the same bits,
 * including doubles that are not whole or hundredths, -0.0, NaN and the
 * infinities, extreme integers, ids that are not lower-case UUIDs, a school
 * code or period other than the holder's; truncated bytes are refused. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revision_pack.h"

static int64_t P_CLASSES[] = { 45, 44, 46 };
static int64_t J_CLASSES[] = { 50, -49 };
static double MUSIC[] = { 96.0, 101.5, 88.8 };
static double ART[] = { 90.25 };

/* A submission with every field set to a distinct value (arrays borrowed). */
static submission full_submission(void)
{
    submission s;
    memset(&s, 0, sizeof s);
    snprintf(s.submission_id, sizeof s.submission_id, "0b6c3f1e-2a4d-4c5e-8f90-123456789abc");
    snprintf(s.school_code, sizeof s.school_code, "3714020001");
    s.period = 2025;
    s.stage[STAGE_PRIMARY] = (stage_data){ true, 135, P_CLASSES, 3, 9, 8, 2, 1, 45, 44 };
    s.stage[STAGE_JUNIOR] = (stage_data){ false, 99, J_CLASSES, 2, 7, 6, 1, 1, 50, 48 };
    s.senior_students = 3;
    s.teaching_area_m2 = 1234.5;
    s.sports_area_m2 = 2345.25;
    s.equipment_value_yuan = 987654.32;
    s.multimedia_rooms = 7;
    s.music_room_areas_m2 = MUSIC;
    s.n_music_rooms = 3;
    s.art_room_areas_m2 = ART;
    s.n_art_rooms = 1;
    s.certified_teachers = 15;
    s.trained_teachers = 14;
    s.exchange_eligible_teachers = 6;
    s.exchanged_teachers = 2;
    s.exchanged_backbone_teachers = 1;
    s.public_funds_yuan = 500000;
    s.training_spend_yuan = 25000.5;
    return s;
}

/* Whether two doubles have the same bits. */
static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Asserts that b is field for field (bit for bit) a. */
static void assert_same(const submission *a, const submission *b)
{
    cr_assert_str_eq(a->submission_id, b->submission_id);
    cr_assert_str_eq(a->school_code, b->school_code);
    cr_assert_eq(a->period, b->period);
    for (int st = 0; st < STAGE_COUNT; st++) {
        const stage_data *x = &a->stage[st], *y = &b->stage[st];
        cr_assert_eq(x->present, y->present);
        cr_assert_eq(x->students, y->students);
        cr_assert_eq(x->n_class_sizes, y->n_class_sizes);
        for (size_t i = 0; i < x->n_class_sizes; i++)
            cr_assert_eq(x->class_sizes[i], y->class_sizes[i]);
        cr_assert_eq(x->teachers, y->teachers);
        cr_assert_eq(x->qualified_teachers, y->qualified_teachers);
        cr_assert_eq(x->backbone_teachers, y->backbone_teachers);
        cr_assert_eq(x->pe_art_teachers, y->pe_art_teachers);
        cr_assert_eq(x->new_entrants, y->new_entrants);
        cr_assert_eq(x->new_entrants_in_zone, y->new_entrants_in_zone);
    }
    cr_assert_eq(a->senior_students, b->senior_students);
    cr_assert(same_bits(a->teaching_area_m2, b->teaching_area_m2));
    cr_assert(same_bits(a->sports_area_m2, b->sports_area_m2));
    cr_assert(same_bits(a->equipment_value_yuan, b->equipment_value_yuan));
    cr_assert_eq(a->multimedia_rooms, b->multimedia_rooms);
    cr_assert_eq(a->n_music_rooms, b->n_music_rooms);
    for (size_t i = 0; i < a->n_music_rooms; i++)
        cr_assert(same_bits(a->music_room_areas_m2[i], b->music_room_areas_m2[i]));
    cr_assert_eq(a->n_art_rooms, b->n_art_rooms);
    for (size_t i = 0; i < a->n_art_rooms; i++)
        cr_assert(same_bits(a->art_room_areas_m2[i], b->art_room_areas_m2[i]));
    cr_assert_eq(a->certified_teachers, b->certified_teachers);
    cr_assert_eq(a->trained_teachers, b->trained_teachers);
    cr_assert_eq(a->exchange_eligible_teachers, b->exchange_eligible_teachers);
    cr_assert_eq(a->exchanged_teachers, b->exchanged_teachers);
    cr_assert_eq(a->exchanged_backbone_teachers, b->exchanged_backbone_teachers);
    cr_assert(same_bits(a->public_funds_yuan, b->public_funds_yuan));
    cr_assert(same_bits(a->training_spend_yuan, b->training_spend_yuan));
}

/* Packs s for the holder (code, period), unpacks it and compares; returns
 * the packed size. */
static size_t round_trip(const submission *s, const char *code, int32_t period)
{
    size_t bound = revision_pack_bound(s);
    uint8_t *buf = malloc(bound);
    cr_assert_not_null(buf);
    size_t len = revision_pack(s, code, period, buf);
    cr_assert_leq(len, bound);
    submission back;
    cr_assert_eq(revision_unpack(buf, len, code, period, &back), 0);
    assert_same(s, &back);
    submission_clear(&back);
    for (size_t cut = 0; cut < len; cut++) {
        cr_assert_eq(revision_unpack(buf, cut, code, period, &back), -1, "truncated at %zu of %zu", cut, len);
        cr_assert_null(back.stage[STAGE_PRIMARY].class_sizes);
    }
    free(buf);
    return len;
}

Test(revision_pack, full_submission_is_small_and_exact)
{
    submission s = full_submission();
    size_t len = round_trip(&s, "3714020001", 2025);
    cr_assert_lt(len, 100, "packed %zu bytes", len);
}

Test(revision_pack, empty_submission)
{
    submission s;
    memset(&s, 0, sizeof s);
    round_trip(&s, "3714020001", 2025);
    round_trip(&s, "", 0);
}

Test(revision_pack, code_and_period_other_than_the_holders)
{
    submission s = full_submission();
    round_trip(&s, "3714020002", 2025);
    round_trip(&s, "3714020001", 2024);
    round_trip(&s, "", -7);
}

Test(revision_pack, ids_that_are_not_lower_case_uuids)
{
    const char *ids[] = { "", "x", "0B6C3F1E-2A4D-4C5E-8F90-123456789ABC", "0b6c3f1e02a4d-4c5e-8f90-123456789abc",
                          "0b6c3f1e-2a4d-4c5e-8f90-123456789abg", "0123456789abcdef0123456789abcdef0123" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        submission s = full_submission();
        snprintf(s.submission_id, sizeof s.submission_id, "%s", ids[i]);
        round_trip(&s, "3714020001", 2025);
    }
}

Test(revision_pack, doubles_and_integers_at_the_edges)
{
    double values[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 0.01, 0.001, 1e-300, 5e-324, 123.45, -123.45, 1e14 + 0.5,
                        999999999999999.0, 1e15, 1e15 + 1, -1e15, 1e17, 1e300, DBL_MAX, -DBL_MAX, INFINITY,
                        -INFINITY, NAN, 2345.25, 0.3, 1.0 / 3.0 };
    int64_t ints[] = { 0, 1, -1, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN, 127, 128, -64, -65 };
    size_t nv = sizeof values / sizeof values[0], ni = sizeof ints / sizeof ints[0];
    for (size_t i = 0; i < nv; i++) {
        submission s = full_submission();
        double rooms[3] = { values[i], values[(i + 1) % nv], values[(i + 2) % nv] };
        s.music_room_areas_m2 = rooms;
        s.teaching_area_m2 = values[i];
        s.sports_area_m2 = values[(i + 3) % nv];
        s.equipment_value_yuan = values[(i + 5) % nv];
        s.public_funds_yuan = values[(i + 7) % nv];
        s.training_spend_yuan = values[(i + 11) % nv];
        s.stage[STAGE_PRIMARY].students = ints[i % ni];
        s.stage[STAGE_JUNIOR].new_entrants_in_zone = ints[(i + 1) % ni];
        s.senior_students = ints[(i + 2) % ni];
        s.exchanged_backbone_teachers = ints[(i + 3) % ni];
        s.period = (int32_t)ints[(i + 4) % ni];
        round_trip(&s, "3714020001", 2025);
    }
}

Test(revision_pack, many_classes_and_rooms)
{
    enum { N = 5000 };
    int64_t *classes = malloc(N * sizeof *classes);
    double *rooms = malloc(N * sizeof *rooms);
    cr_assert(classes && rooms);
    for (size_t i = 0; i < N; i++) {
        classes[i] = (int64_t)(i * 2654435761u % 100000) - 50000;
        rooms[i] = (double)(i * 40503u % 100000) / 7.0;
    }
    submission s = full_submission();
    s.stage[STAGE_JUNIOR].class_sizes = classes;
    s.stage[STAGE_JUNIOR].n_class_sizes = N;
    s.art_room_areas_m2 = rooms;
    s.n_art_rooms = N;
    submission back;
    uint8_t *buf = malloc(revision_pack_bound(&s));
    cr_assert_not_null(buf);
    size_t len = revision_pack(&s, "3714020001", 2025, buf);
    cr_assert_leq(len, revision_pack_bound(&s));
    cr_assert_eq(revision_unpack(buf, len, "3714020001", 2025, &back), 0);
    assert_same(&s, &back);
    submission_clear(&back);
    free(buf);
    free(classes);
    free(rooms);
}
