/* fuzz_envelope.c -- libFuzzer target: the daemon's first look at hostile
 * bytes. Decodes an Envelope exactly as server/ingest/ingest.c does; a submission
 * goes through the model conversion and every validation rule (against a
 * registry entry of each kind, and against itself as the previous revision),
 * is packed and unpacked again (the stored form), and its problems rendered
 * as JSON (the quarantine row). Replies and status updates, which the client
 * decodes, are decoded too. Never crashes, never leaks (ASan/UBSan).
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

/* Validation of a decoded submission, as the daemon runs it. */
static void check_submission(const Junheng__Submission *pb)
{
    submission sub;
    problem_list errors = { 0 }, warnings = { 0 };
    if (wire_submission_from_pb(pb, &sub, &errors) != 0) {
        problem_list_clear(&errors);
        return;
    }
    validate_limits limits = { 2015, 2026 };
    for (int k = 0; k < KIND_COUNT; k++) {
        school_info info;
        memset(&info, 0, sizeof info);
        snprintf(info.school_code, sizeof info.school_code, "%s", sub.school_code);
        snprintf(info.county_code, sizeof info.county_code, "371425");
        info.kind = (school_kind)k;
        info.active = true;
        validate_submission(&sub, &info, k == 0 ? &sub : NULL, &limits, &errors, &warnings);
    }
    validate_submission(&sub, NULL, NULL, &limits, &errors, &warnings);
    char *json = problem_list_to_json(&errors);
    free(json);
    json = problem_list_to_json(&warnings);
    free(json);
    uint8_t *packed = NULL;
    size_t len = 0;
    if (wire_submission_pack(&sub, &packed, &len) == 0) {
        submission again;
        if (wire_submission_unpack(packed, len, &again) == 0)
            submission_clear(&again);
        free(packed);
    }
    submission_clear(&sub);
    problem_list_clear(&errors);
    problem_list_clear(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, size, data);
    if (env) {
        if (env->body_case == JUNHENG__ENVELOPE__BODY_SUBMISSION && env->submission)
            check_submission(env->submission);
        junheng__envelope__free_unpacked(env, NULL);
    }
    Junheng__Submission *bare = junheng__submission__unpack(NULL, size, data);
    if (bare) {
        check_submission(bare);
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
