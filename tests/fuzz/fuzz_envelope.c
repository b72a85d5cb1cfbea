/* fuzz_envelope.c -- libFuzzer target: the daemon's first look at hostile
 * bytes. Decodes an Envelope exactly as server/ingest/ingest.c does; a submission
 * goes through the model conversion and every validation rule (against a
 * registry entry of each kind, and against itself as the previous revision),
 * and its problems are rendered as JSON (the quarantine row). Replies and
 * status updates, which the client decodes, are decoded too.
 *
 * Besides "never crashes, never leaks" (ASan/UBSan) it checks what the codec
 * says, and abort()s when it is wrong:
 *  - a submission that decodes without errors, re-encoded as an Envelope
 *    (wire_envelope_pack_submission) and as the stored form
 *    (wire_submission_pack) and decoded again, is equal field by field
 *    (reals bit for bit), and the envelope keeps its version and request id;
 *  - the decoded Envelope re-packed by protobuf-c decodes to the same
 *    envelope fields and body, and its submission to the same model and the
 *    same conversion errors;
 *  - validation is deterministic: the same submission, and its re-decoded
 *    copy, get the very same errors and warnings every time;
 *  - county inputs (CountyInputs) that pass the county-inputs checks,
 *    re-encoded as an Envelope and as the stored form and read back, give
 *    the same values (bit for bit), percentage forms and evidence.
 *
 *   fuzz_envelope -max_total_time=20 CORPUS_DIR tests/fuzz/corpus/envelope */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junheng.pb-c.h"
#include "problems.h"
#include "submission.h"
#include "validate.h"
#include "wire.h"
#include "wire_county.h"

/* Stops the run with a message: libFuzzer saves the input as a crash. */
#define REQUIRE(cond, what)                                                           \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "fuzz_envelope: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* Whether two arrays of n elements of `size` bytes hold the same bytes. */
static int same_bytes(const void *a, const void *b, size_t n, size_t size)
{
    return n == 0 || memcmp(a, b, n * size) == 0;
}

/* Whether two reals are the same double, bit for bit (NaN payloads, -0.0). */
static int same_real(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Aborts unless two stages of the model are equal field by field. */
static void require_same_stage(const stage_data *a, const stage_data *b)
{
    REQUIRE(a->present == b->present, "stage presence differs");
    REQUIRE(a->students == b->students, "students differ");
    REQUIRE(a->n_class_sizes == b->n_class_sizes, "class count differs");
    REQUIRE(same_bytes(a->class_sizes, b->class_sizes, a->n_class_sizes, sizeof(int64_t)), "class sizes differ");
    REQUIRE(a->teachers == b->teachers, "teachers differ");
    REQUIRE(a->qualified_teachers == b->qualified_teachers, "qualified teachers differ");
    REQUIRE(a->backbone_teachers == b->backbone_teachers, "backbone teachers differ");
    REQUIRE(a->pe_art_teachers == b->pe_art_teachers, "PE/art teachers differ");
    REQUIRE(a->new_entrants == b->new_entrants, "new entrants differ");
    REQUIRE(a->new_entrants_in_zone == b->new_entrants_in_zone, "in-zone entrants differ");
}

/* Aborts unless two submissions of the model are equal field by field. */
static void require_same_submission(const submission *a, const submission *b)
{
    REQUIRE(strcmp(a->submission_id, b->submission_id) == 0, "submission_id differs");
    REQUIRE(strcmp(a->school_code, b->school_code) == 0, "school_code differs");
    REQUIRE(a->period == b->period, "period differs");
    for (int s = 0; s < STAGE_COUNT; s++)
        require_same_stage(&a->stage[s], &b->stage[s]);
    REQUIRE(a->senior_students == b->senior_students, "senior students differ");
    REQUIRE(same_real(a->teaching_area_m2, b->teaching_area_m2), "teaching area differs");
    REQUIRE(same_real(a->sports_area_m2, b->sports_area_m2), "sports area differs");
    REQUIRE(same_real(a->equipment_value_yuan, b->equipment_value_yuan), "equipment value differs");
    REQUIRE(a->multimedia_rooms == b->multimedia_rooms, "multimedia rooms differ");
    REQUIRE(a->n_music_rooms == b->n_music_rooms, "music room count differs");
    REQUIRE(same_bytes(a->music_room_areas_m2, b->music_room_areas_m2, a->n_music_rooms, sizeof(double)),
            "music room areas differ");
    REQUIRE(a->n_art_rooms == b->n_art_rooms, "art room count differs");
    REQUIRE(same_bytes(a->art_room_areas_m2, b->art_room_areas_m2, a->n_art_rooms, sizeof(double)),
            "art room areas differ");
    REQUIRE(a->certified_teachers == b->certified_teachers, "certified teachers differ");
    REQUIRE(a->trained_teachers == b->trained_teachers, "trained teachers differ");
    REQUIRE(a->exchange_eligible_teachers == b->exchange_eligible_teachers, "eligible teachers differ");
    REQUIRE(a->exchanged_teachers == b->exchanged_teachers, "exchanged teachers differ");
    REQUIRE(a->exchanged_backbone_teachers == b->exchanged_backbone_teachers, "exchanged backbone differ");
    REQUIRE(same_real(a->public_funds_yuan, b->public_funds_yuan), "public funds differ");
    REQUIRE(same_real(a->training_spend_yuan, b->training_spend_yuan), "training spend differs");
}

/* Aborts unless two problem lists hold the same problems in the same order. */
static void require_same_problems(const problem_list *a, const problem_list *b, const char *what)
{
    REQUIRE(a->count == b->count, what);
    for (size_t i = 0; i < a->count; i++) {
        REQUIRE(strcmp(a->items[i].field, b->items[i].field) == 0, what);
        REQUIRE(strcmp(a->items[i].reason, b->items[i].reason) == 0, what);
    }
}

/* Every validation the daemon and the client run on one submission: against
 * a registry entry of each kind (and itself as the previous revision), and
 * without the registry. Appends to errors and warnings (caller clears). */
static void validate_all(const submission *sub, problem_list *errors, problem_list *warnings)
{
    validate_limits limits = { 2015, 2026 };
    for (int k = 0; k < KIND_COUNT; k++) {
        school_info info;
        memset(&info, 0, sizeof info);
        snprintf(info.school_code, sizeof info.school_code, "%s", sub->school_code);
        snprintf(info.county_code, sizeof info.county_code, "371425");
        info.kind = (school_kind)k;
        info.active = true;
        validate_submission(sub, &info, k == 0 ? sub : NULL, &limits, errors, warnings);
    }
    validate_submission(sub, NULL, NULL, &limits, errors, warnings);
}

/* Validates a (clean) submission twice and its re-decoded copy once; all
 * three runs must report the same problems. Renders them as the quarantine
 * row's JSON. */
static void check_validation(const submission *sub, const submission *again)
{
    problem_list e1 = { 0 }, w1 = { 0 }, e2 = { 0 }, w2 = { 0 }, e3 = { 0 }, w3 = { 0 };
    validate_all(sub, &e1, &w1);
    validate_all(sub, &e2, &w2);
    validate_all(again, &e3, &w3);
    if (!e1.oom && !w1.oom && !e2.oom && !w2.oom && !e3.oom && !w3.oom) {
        require_same_problems(&e1, &e2, "validation errors differ between two runs");
        require_same_problems(&w1, &w2, "validation warnings differ between two runs");
        require_same_problems(&e1, &e3, "validation errors differ after re-encoding");
        require_same_problems(&w1, &w3, "validation warnings differ after re-encoding");
    }
    char *json = problem_list_to_json(&e1);
    free(json);
    json = problem_list_to_json(&w1);
    free(json);
    problem_list_clear(&e1);
    problem_list_clear(&w1);
    problem_list_clear(&e2);
    problem_list_clear(&w2);
    problem_list_clear(&e3);
    problem_list_clear(&w3);
}

/* The stored form: wire_submission_pack then wire_submission_unpack gives the
 * same submission back (a clean submission must unpack). */
static void check_stored_form(const submission *sub)
{
    uint8_t *packed = NULL;
    size_t len = 0;
    if (wire_submission_pack(sub, &packed, &len) != 0)
        return;
    submission again;
    int rc = wire_submission_unpack(packed, len, &again);
    free(packed);
    REQUIRE(rc == 0, "the stored form of a clean submission does not unpack");
    require_same_submission(sub, &again);
    submission_clear(&again);
}

/* The client's form: a clean submission sent again in an Envelope with the
 * same request id decodes to the same envelope fields and submission; the
 * re-decoded copy validates the same. rid is 16 bytes. */
static void check_envelope_round_trip(const uint8_t *rid, const submission *sub)
{
    uint8_t *packed = NULL;
    size_t len = 0;
    if (wire_envelope_pack_submission(rid, sub, &packed, &len) != 0)
        return;
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, packed);
    free(packed);
    REQUIRE(env != NULL, "a packed envelope does not decode");
    REQUIRE(env->has_version && env->version == WIRE_PROTOCOL_VERSION, "envelope version lost");
    REQUIRE(env->has_request_id && env->request_id.len == WIRE_REQUEST_ID_LEN &&
                memcmp(env->request_id.data, rid, WIRE_REQUEST_ID_LEN) == 0,
            "request id lost");
    REQUIRE(env->body_case == JUNHENG__ENVELOPE__BODY_SUBMISSION && env->submission, "submission body lost");
    submission again;
    problem_list errors = { 0 };
    int rc = wire_submission_from_pb(env->submission, &again, &errors);
    junheng__envelope__free_unpacked(env, NULL);
    if (rc != 0) {              /* out of memory */
        problem_list_clear(&errors);
        return;
    }
    REQUIRE(errors.count == 0, "a re-encoded clean submission has errors");
    require_same_submission(sub, &again);
    check_validation(sub, &again);
    problem_list_clear(&errors);
    submission_clear(&again);
}

/* A decoded Submission as the daemon handles it. rid is the envelope's
 * request id when it has 16 bytes, else NULL (a fixed one is used). */
static void check_submission(const Junheng__Submission *pb, const uint8_t *rid)
{
    static const uint8_t fixed_rid[WIRE_REQUEST_ID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    submission sub;
    problem_list errors = { 0 }, warnings = { 0 };
    if (wire_submission_from_pb(pb, &sub, &errors) != 0) {
        problem_list_clear(&errors);
        return;
    }
    if (errors.count == 0) {
        check_stored_form(&sub);
        check_envelope_round_trip(rid ? rid : fixed_rid, &sub);
    } else {
        /* The daemon refuses it, but still validates and stores the problems. */
        validate_all(&sub, &errors, &warnings);
        char *json = problem_list_to_json(&errors);
        free(json);
    }
    submission_clear(&sub);
    problem_list_clear(&errors);
    problem_list_clear(&warnings);
}

/* Whether two optional protobuf strings are equal (both absent, or same text). */
static int same_string(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Whether two optional byte fields are equal. */
static int same_blob(protobuf_c_boolean has_a, ProtobufCBinaryData a, protobuf_c_boolean has_b, ProtobufCBinaryData b)
{
    return has_a == has_b && (!has_a || (a.len == b.len && same_bytes(a.data, b.data, a.len, 1)));
}

/* Aborts unless two decoded submissions convert to the same model with the
 * same conversion errors. */
static void require_same_pb_submission(const Junheng__Submission *a, const Junheng__Submission *b)
{
    submission sa, sb;
    problem_list ea = { 0 }, eb = { 0 };
    int ra = wire_submission_from_pb(a, &sa, &ea);
    int rb = wire_submission_from_pb(b, &sb, &eb);
    if (ra == 0 && rb == 0) {
        require_same_submission(&sa, &sb);
        require_same_problems(&ea, &eb, "conversion errors differ after re-packing");
    }
    if (ra == 0)
        submission_clear(&sa);
    if (rb == 0)
        submission_clear(&sb);
    problem_list_clear(&ea);
    problem_list_clear(&eb);
}

/* The decoded Envelope packed again by protobuf-c decodes to the same
 * envelope fields and the same body. */
static void check_envelope_repack(const Junheng__Envelope *env)
{
    size_t len = junheng__envelope__get_packed_size(env);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return;
    junheng__envelope__pack(env, buf);
    Junheng__Envelope *again = junheng__envelope__unpack(NULL, len, buf);
    free(buf);
    REQUIRE(again != NULL, "a re-packed envelope does not decode");
    REQUIRE(again->has_version == env->has_version && again->version == env->version, "version differs");
    REQUIRE(same_blob(env->has_request_id, env->request_id, again->has_request_id, again->request_id),
            "request id differs");
    REQUIRE(again->body_case == env->body_case, "body differs");
    switch (env->body_case) {
    case JUNHENG__ENVELOPE__BODY_SUBMISSION:
        require_same_pb_submission(env->submission, again->submission);
        break;
    case JUNHENG__ENVELOPE__BODY_ADMIN:
        REQUIRE(same_string(env->admin->command, again->admin->command), "admin command differs");
        REQUIRE(env->admin->n_args == again->admin->n_args, "admin args differ");
        for (size_t i = 0; i < env->admin->n_args; i++)
            REQUIRE(same_string(env->admin->args[i], again->admin->args[i]), "admin arg differs");
        REQUIRE(same_blob(env->admin->has_file, env->admin->file, again->admin->has_file, again->admin->file),
                "admin file differs");
        break;
    case JUNHENG__ENVELOPE__BODY_STATUS_QUERY:
        REQUIRE(same_string(env->status_query->county_code, again->status_query->county_code), "county differs");
        REQUIRE(env->status_query->has_period == again->status_query->has_period &&
                    env->status_query->period == again->status_query->period,
                "query period differs");
        REQUIRE(env->status_query->has_history == again->status_query->has_history &&
                    env->status_query->history == again->status_query->history,
                "query history differs");
        REQUIRE(env->status_query->has_snapshot == again->status_query->has_snapshot &&
                    env->status_query->snapshot == again->status_query->snapshot,
                "query snapshot differs");
        break;
    default:
        break;
    }
    junheng__envelope__free_unpacked(again, NULL);
}

/* Whether the envelope or its body kept fields this schema does not know.
 * protobuf-c re-emits unknown fields with their tag re-encoded, which does
 * not decode again when the sender's tag was not minimal (e.g. 0x80 0x00);
 * the daemon never re-packs what it receives, so those are not compared. */
static int has_unknown_fields(const Junheng__Envelope *env)
{
    if (env->base.n_unknown_fields)
        return 1;
    switch (env->body_case) {
    case JUNHENG__ENVELOPE__BODY_SUBMISSION:
        return env->submission->base.n_unknown_fields ||
               (env->submission->primary && env->submission->primary->base.n_unknown_fields) ||
               (env->submission->junior && env->submission->junior->base.n_unknown_fields);
    case JUNHENG__ENVELOPE__BODY_ADMIN:
        return env->admin->base.n_unknown_fields != 0;
    case JUNHENG__ENVELOPE__BODY_STATUS_QUERY:
        return env->status_query->base.n_unknown_fields != 0;
    case JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS:
        if (env->county_inputs->base.n_unknown_fields)
            return 1;
        for (size_t i = 0; i < env->county_inputs->n_rows; i++)
            if (env->county_inputs->rows[i]->base.n_unknown_fields)
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* Aborts unless two county-inputs value sets are equal field by field (values
 * bit for bit, evidence). as_percent is not compared: a percentage that no
 * text reads back exactly is written as its ratio. */
static void require_same_inputs(const county_inputs *a, const county_inputs *b)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        REQUIRE(a->v[f].present == b->v[f].present, "county input presence differs");
        if (!a->v[f].present)
            continue;
        REQUIRE(same_real(a->v[f].value, b->v[f].value), "county input value differs");
        const char *ea = a->v[f].evidence ? a->v[f].evidence : "", *eb = b->v[f].evidence ? b->v[f].evidence : "";
        REQUIRE(strcmp(ea, eb) == 0, "county input evidence differs");
    }
}

/* A CountyInputs through the county-inputs checks; when it passes, through
 * both encodings and back. */
static void check_county_inputs(const Junheng__CountyInputs *pb)
{
    char sid[SUBMISSION_ID_LEN + 1], sid2[SUBMISSION_ID_LEN + 1];
    county_inputs_revision rev, back;
    problem_list errs = { 0 };
    if (wire_county_inputs_from_pb(pb, NULL, sid, &rev, &errs) != 0) {
        problem_list_clear(&errs);
        return;
    }
    if (errs.count == 0) {
        uint8_t rid[WIRE_REQUEST_ID_LEN] = { 0 }, *buf = NULL;
        size_t len = 0;
        REQUIRE(wire_county_inputs_pack(sid, &rev, NULL, &buf, &len) == 0, "county inputs pack failed");
        REQUIRE(wire_county_inputs_unpack(buf, len, NULL, sid2, &back) == 0, "stored county inputs refused");
        REQUIRE(strcmp(sid, sid2) == 0 && strcmp(rev.county_code, back.county_code) == 0 &&
                    rev.period == back.period,
                "county inputs identity differs");
        require_same_inputs(&rev.inputs, &back.inputs);
        county_inputs_clear(&back.inputs);
        free(buf);
        REQUIRE(wire_envelope_pack_county_inputs(rid, sid, &rev, NULL, &buf, &len) == 0, "envelope pack failed");
        Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, buf);
        REQUIRE(env && env->body_case == JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS, "county envelope does not decode");
        problem_list errs2 = { 0 };
        REQUIRE(wire_county_inputs_from_pb(env->county_inputs, NULL, sid2, &back, &errs2) == 0 && errs2.count == 0,
                "re-encoded county inputs refused");
        require_same_inputs(&rev.inputs, &back.inputs);
        county_inputs_clear(&back.inputs);
        problem_list_clear(&errs2);
        junheng__envelope__free_unpacked(env, NULL);
        free(buf);
    }
    county_inputs_clear(&rev.inputs);
    problem_list_clear(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, size, data);
    if (env) {
        if (!has_unknown_fields(env))
            check_envelope_repack(env);
        if (env->body_case == JUNHENG__ENVELOPE__BODY_SUBMISSION && env->submission) {
            int rid_ok = env->has_request_id && env->request_id.len == WIRE_REQUEST_ID_LEN;
            check_submission(env->submission, rid_ok ? env->request_id.data : NULL);
        }
        if (env->body_case == JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS && env->county_inputs)
            check_county_inputs(env->county_inputs);
        junheng__envelope__free_unpacked(env, NULL);
    }
    Junheng__Submission *bare = junheng__submission__unpack(NULL, size, data);
    if (bare) {
        check_submission(bare, NULL);
        junheng__submission__free_unpacked(bare, NULL);
    }
    Junheng__Reply *reply = junheng__reply__unpack(NULL, size, data);
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    Junheng__CountyStatusUpdate *up = junheng__county_status_update__unpack(NULL, size, data);
    if (up)
        junheng__county_status_update__free_unpacked(up, NULL);
    return 0;
}
