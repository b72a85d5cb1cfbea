/* test_wire.c -- protobuf round trips of a full submission, envelopes and
 * replies, and the presence rules of the decoder. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static int64_t P_CLASSES[] = { 45, 44, 46 };
static int64_t J_CLASSES[] = { 50, 49 };
static double MUSIC[] = { 96.0, 101.5 };
static double ART[] = { 90.25 };

/* A submission with every field set to a distinct value. */
static submission full_submission(void)
{
    submission s;
    memset(&s, 0, sizeof s);
    snprintf(s.submission_id, sizeof s.submission_id, "0b6c3f1e-2a4d-4c5e-8f90-123456789abc");
    snprintf(s.school_code, sizeof s.school_code, "3714020001");
    s.period = 2025;
    s.stage[STAGE_PRIMARY] = (stage_data){ true, 135, P_CLASSES, 3, 9, 8, 2, 1, 45, 44 };
    s.stage[STAGE_JUNIOR] = (stage_data){ true, 99, J_CLASSES, 2, 7, 6, 1, 1, 50, 48 };
    s.senior_students = 0;
    s.teaching_area_m2 = 1234.5;
    s.sports_area_m2 = 2345.25;
    s.equipment_value_yuan = 987654.32;
    s.multimedia_rooms = 7;
    s.music_room_areas_m2 = MUSIC;
    s.n_music_rooms = 2;
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

static void assert_stage_equal(const stage_data *a, const stage_data *b)
{
    cr_assert_eq(a->present, b->present);
    cr_assert_eq(a->students, b->students);
    cr_assert_eq(a->n_class_sizes, b->n_class_sizes);
    for (size_t i = 0; i < a->n_class_sizes; i++)
        cr_assert_eq(a->class_sizes[i], b->class_sizes[i]);
    cr_assert_eq(a->teachers, b->teachers);
    cr_assert_eq(a->qualified_teachers, b->qualified_teachers);
    cr_assert_eq(a->backbone_teachers, b->backbone_teachers);
    cr_assert_eq(a->pe_art_teachers, b->pe_art_teachers);
    cr_assert_eq(a->new_entrants, b->new_entrants);
    cr_assert_eq(a->new_entrants_in_zone, b->new_entrants_in_zone);
}

static void assert_submission_equal(const submission *a, const submission *b)
{
    cr_assert_str_eq(a->submission_id, b->submission_id);
    cr_assert_str_eq(a->school_code, b->school_code);
    cr_assert_eq(a->period, b->period);
    for (int s = 0; s < STAGE_COUNT; s++)
        assert_stage_equal(&a->stage[s], &b->stage[s]);
    cr_assert_eq(a->senior_students, b->senior_students);
    cr_assert_eq(a->teaching_area_m2, b->teaching_area_m2);
    cr_assert_eq(a->sports_area_m2, b->sports_area_m2);
    cr_assert_eq(a->equipment_value_yuan, b->equipment_value_yuan);
    cr_assert_eq(a->multimedia_rooms, b->multimedia_rooms);
    cr_assert_eq(a->n_music_rooms, b->n_music_rooms);
    for (size_t i = 0; i < a->n_music_rooms; i++)
        cr_assert_eq(a->music_room_areas_m2[i], b->music_room_areas_m2[i]);
    cr_assert_eq(a->n_art_rooms, b->n_art_rooms);
    for (size_t i = 0; i < a->n_art_rooms; i++)
        cr_assert_eq(a->art_room_areas_m2[i], b->art_room_areas_m2[i]);
    cr_assert_eq(a->certified_teachers, b->certified_teachers);
    cr_assert_eq(a->trained_teachers, b->trained_teachers);
    cr_assert_eq(a->exchange_eligible_teachers, b->exchange_eligible_teachers);
    cr_assert_eq(a->exchanged_teachers, b->exchanged_teachers);
    cr_assert_eq(a->exchanged_backbone_teachers, b->exchanged_backbone_teachers);
    cr_assert_eq(a->public_funds_yuan, b->public_funds_yuan);
    cr_assert_eq(a->training_spend_yuan, b->training_spend_yuan);
}

Test(wire, full_submission_round_trip)
{
    submission in = full_submission(), out;
    uint8_t *buf;
    size_t len;
    cr_assert_eq(wire_submission_pack(&in, &buf, &len), 0);
    cr_assert_eq(wire_submission_unpack(buf, len, &out), 0);
    assert_submission_equal(&in, &out);
    submission_clear(&out);
    free(buf);
}

Test(wire, absent_stage_stays_absent)
{
    submission in = full_submission(), out;
    memset(&in.stage[STAGE_JUNIOR], 0, sizeof in.stage[STAGE_JUNIOR]);
    uint8_t *buf;
    size_t len;
    cr_assert_eq(wire_submission_pack(&in, &buf, &len), 0);
    cr_assert_eq(wire_submission_unpack(buf, len, &out), 0);
    cr_assert(out.stage[STAGE_PRIMARY].present);
    cr_assert_not(out.stage[STAGE_JUNIOR].present, "a blank stage must not come back as a stage of zeros");
    submission_clear(&out);
    free(buf);
}

Test(wire, envelope_round_trip_keeps_request_id_and_body)
{
    submission in = full_submission(), out;
    uint8_t rid[WIRE_REQUEST_ID_LEN], *buf;
    size_t len;
    cr_assert_eq(wire_request_id_new(rid), 0);
    cr_assert_eq(wire_envelope_pack_submission(rid, &in, &buf, &len), 0);
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, buf);
    cr_assert_not_null(env);
    cr_assert_eq(env->version, WIRE_PROTOCOL_VERSION);
    cr_assert_eq(env->request_id.len, WIRE_REQUEST_ID_LEN);
    cr_assert_eq(memcmp(env->request_id.data, rid, WIRE_REQUEST_ID_LEN), 0);
    cr_assert_eq(env->body_case, JUNHENG__ENVELOPE__BODY_SUBMISSION);
    problem_list errs = { 0 };
    cr_assert_eq(wire_submission_from_pb(env->submission, &out, &errs), 0);
    cr_assert_eq(errs.count, 0);
    assert_submission_equal(&in, &out);
    submission_clear(&out);
    junheng__envelope__free_unpacked(env, NULL);
    free(buf);
}

Test(wire, missing_identity_fields_named)
{
    Junheng__Submission pb = JUNHENG__SUBMISSION__INIT;
    submission out;
    problem_list errs = { 0 };
    cr_assert_eq(wire_submission_from_pb(&pb, &out, &errs), 0);
    cr_assert(problem_list_has_field(&errs, "submission_id"));
    cr_assert(problem_list_has_field(&errs, "school_code"));
    cr_assert(problem_list_has_field(&errs, "period"));
    problem_list_clear(&errs);
    submission_clear(&out);
}

Test(wire, bad_uuid_and_long_code_refused)
{
    Junheng__Submission pb = JUNHENG__SUBMISSION__INIT;
    pb.submission_id = "not-a-uuid";
    pb.school_code = "37140200011234";
    pb.has_period = 1;
    pb.period = 2025;
    submission out;
    problem_list errs = { 0 };
    cr_assert_eq(wire_submission_from_pb(&pb, &out, &errs), 0);
    cr_assert_eq(errs.count, 2);
    cr_assert(problem_list_has_field(&errs, "submission_id"));
    cr_assert(problem_list_has_field(&errs, "school_code"));
    problem_list_clear(&errs);
    submission_clear(&out);
}

Test(wire, reply_round_trip_with_problems)
{
    problem_list errs = { 0 }, warns = { 0 };
    problem_list_add(&errs, "primary_qualified_teachers", "17 exceeds primary_teachers 12");
    problem_list_add(&warns, "teaching_area_m2", "over 50 m² per student");
    uint8_t rid[WIRE_REQUEST_ID_LEN] = { 1, 2, 3 }, *buf;
    size_t len;
    cr_assert_eq(wire_reply_pack(rid, sizeof rid, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs, &warns, NULL, &buf, &len), 0);
    Junheng__Reply *r = junheng__reply__unpack(NULL, len, buf);
    cr_assert_not_null(r);
    cr_assert_eq(r->status, JUNHENG__REPLY_STATUS__REFUSED);
    cr_assert_eq(r->n_errors, 1);
    cr_assert_str_eq(r->errors[0]->field, "primary_qualified_teachers");
    cr_assert_str_eq(r->errors[0]->reason, "17 exceeds primary_teachers 12");
    cr_assert_eq(r->n_warnings, 1);
    cr_assert_not(r->has_revision);
    junheng__reply__free_unpacked(r, NULL);
    free(buf);
    problem_list_clear(&errs);
    problem_list_clear(&warns);
}

Test(wire, garbage_does_not_decode)
{
    const uint8_t junk[] = { 0x0f, 0xff, 0xff, 0xff, 0x01 };
    submission out;
    cr_assert_neq(wire_submission_unpack(junk, sizeof junk, &out), 0);
    cr_assert_null(junheng__envelope__unpack(NULL, sizeof junk, junk));
}

Test(wire, uuid_generation_is_valid_and_unique)
{
    char a[SUBMISSION_ID_LEN + 1], b[SUBMISSION_ID_LEN + 1];
    wire_uuid_new(a);
    wire_uuid_new(b);
    cr_assert(wire_uuid_valid(a));
    cr_assert(wire_uuid_valid(b));
    cr_assert_str_neq(a, b);
    cr_assert_not(wire_uuid_valid("0b6c3f1e-2a4d-4c5e-8f90-123456789ab"));
}

Test(problems, hostile_bytes_become_valid_utf8)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "school_code", "'%s' is bad", "\xff\xfe\xc3");
    cr_assert_str_eq(errs.items[0].reason, "'?" "?" "?' is bad"); /* split: no trigraph */
    char *json = problem_list_to_json(&errs);
    cr_assert_not_null(json);
    free(json);
    problem_list_clear(&errs);
}

Test(problems, overlong_surrogate_and_out_of_range_sequences_replaced)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "submission_id", "%s|%s|%s|%s", "\xed\xa0\x80", "\xe0\x80\x80", "\xf5\x80\x80\x80",
                     "\xe5\xad\xa6");
    cr_assert_str_eq(errs.items[0].reason, "?" "??|?" "??|?" "???|\xe5\xad\xa6");
    char *json = problem_list_to_json(&errs);
    cr_assert_not_null(json, "every sanitized reason must be storable as JSON");
    free(json);
    problem_list_clear(&errs);
}
