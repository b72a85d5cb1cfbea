/* fuzz_csv.c -- libFuzzer target: every text file people hand to junheng.
 * The same bytes are read as a school submission file (encoding detection,
 * quoting, headers in English or Chinese, typed cells), as a school registry
 * (with the optional public_key column), as a county list, and as a CURVE
 * key file. Never crashes, never leaks (ASan/UBSan).
 *
 * Every submission row the client would send (no parse or validation errors)
 * goes the client's way -- a submission_id, an Envelope, decoded as the
 * daemon decodes it -- and must come out equal field by field (reals bit for
 * bit), with no conversion errors and the same validation warnings; the
 * stored form (wire_submission_pack / _unpack) too. abort() otherwise.
 *
 *   fuzz_csv -max_total_time=20 CORPUS_DIR tests/fuzz/corpus/csv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junheng.pb-c.h"
#include "keys.h"
#include "problems.h"
#include "submission_csv.h"
#include "validate.h"
#include "wire.h"

/* Stops the run with a message: libFuzzer saves the input as a crash. */
#define REQUIRE(cond, what)                                                      \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "fuzz_csv: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Whether two arrays of n elements of `size` bytes hold the same bytes. */
static int same_bytes(const void *a, const void *b, size_t n, size_t size)
{
    return n == 0 || memcmp(a, b, n * size) == 0;
}

/* Whether two reals are the same double, bit for bit. */
static int same_real(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Aborts unless two submissions are equal field by field. */
static void require_same_submission(const submission *a, const submission *b)
{
    REQUIRE(strcmp(a->submission_id, b->submission_id) == 0, "submission_id differs");
    REQUIRE(strcmp(a->school_code, b->school_code) == 0, "school_code differs");
    REQUIRE(a->period == b->period, "period differs");
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *x = &a->stage[s], *y = &b->stage[s];
        REQUIRE(x->present == y->present, "stage presence differs");
        REQUIRE(x->students == y->students && x->teachers == y->teachers &&
                    x->qualified_teachers == y->qualified_teachers && x->backbone_teachers == y->backbone_teachers &&
                    x->pe_art_teachers == y->pe_art_teachers && x->new_entrants == y->new_entrants &&
                    x->new_entrants_in_zone == y->new_entrants_in_zone,
                "stage counts differ");
        REQUIRE(x->n_class_sizes == y->n_class_sizes &&
                    same_bytes(x->class_sizes, y->class_sizes, x->n_class_sizes, sizeof(int64_t)),
                "class sizes differ");
    }
    REQUIRE(a->senior_students == b->senior_students && a->multimedia_rooms == b->multimedia_rooms &&
                a->certified_teachers == b->certified_teachers && a->trained_teachers == b->trained_teachers &&
                a->exchange_eligible_teachers == b->exchange_eligible_teachers &&
                a->exchanged_teachers == b->exchanged_teachers &&
                a->exchanged_backbone_teachers == b->exchanged_backbone_teachers,
            "school counts differ");
    REQUIRE(same_real(a->teaching_area_m2, b->teaching_area_m2) && same_real(a->sports_area_m2, b->sports_area_m2) &&
                same_real(a->equipment_value_yuan, b->equipment_value_yuan) &&
                same_real(a->public_funds_yuan, b->public_funds_yuan) &&
                same_real(a->training_spend_yuan, b->training_spend_yuan),
            "school reals differ");
    REQUIRE(a->n_music_rooms == b->n_music_rooms &&
                same_bytes(a->music_room_areas_m2, b->music_room_areas_m2, a->n_music_rooms, sizeof(double)),
            "music rooms differ");
    REQUIRE(a->n_art_rooms == b->n_art_rooms &&
                same_bytes(a->art_room_areas_m2, b->art_room_areas_m2, a->n_art_rooms, sizeof(double)),
            "art rooms differ");
}

/* Aborts unless two problem lists hold the same problems in the same order. */
static void require_same_problems(const problem_list *a, const problem_list *b, const char *what)
{
    REQUIRE(a->count == b->count, what);
    for (size_t i = 0; i < a->count; i++)
        REQUIRE(strcmp(a->items[i].field, b->items[i].field) == 0 &&
                    strcmp(a->items[i].reason, b->items[i].reason) == 0,
                what);
}

/* One row the client would send: CSV -> model -> Envelope -> model, and the
 * stored form, must give the same submission and the same warnings. */
static void check_row_round_trip(const submission_row *row)
{
    static const uint8_t rid[WIRE_REQUEST_ID_LEN] = { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 };
    validate_limits limits = { 2015, 2026 };
    problem_list errors = { 0 }, warnings = { 0 };
    if (row->errors.count > 0 || validate_submission(&row->sub, NULL, NULL, &limits, &errors, &warnings) > 0 ||
        errors.oom || warnings.oom) {
        problem_list_clear(&errors);
        problem_list_clear(&warnings);
        return;
    }
    submission sub;
    if (submission_copy(&sub, &row->sub) != 0)
        goto out;
    snprintf(sub.submission_id, sizeof sub.submission_id, "%s", "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
    uint8_t *packed = NULL;
    size_t len = 0;
    if (wire_envelope_pack_submission(rid, &sub, &packed, &len) == 0) {
        Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, packed);
        free(packed);
        REQUIRE(env && env->body_case == JUNHENG__ENVELOPE__BODY_SUBMISSION && env->submission,
                "a packed envelope does not decode");
        submission again;
        problem_list conv = { 0 }, e2 = { 0 }, w2 = { 0 };
        if (wire_submission_from_pb(env->submission, &again, &conv) == 0) {
            REQUIRE(conv.count == 0, "a valid CSV row has conversion errors after the wire");
            require_same_submission(&sub, &again);
            validate_submission(&again, NULL, NULL, &limits, &e2, &w2);
            if (!e2.oom && !w2.oom) {
                REQUIRE(e2.count == 0, "a valid CSV row is refused after the wire");
                require_same_problems(&warnings, &w2, "warnings differ after the wire");
            }
            submission_clear(&again);
        }
        problem_list_clear(&conv);
        problem_list_clear(&e2);
        problem_list_clear(&w2);
        junheng__envelope__free_unpacked(env, NULL);
    }
    if (wire_submission_pack(&sub, &packed, &len) == 0) {
        submission stored;
        int rc = wire_submission_unpack(packed, len, &stored);
        free(packed);
        REQUIRE(rc == 0, "the stored form of a valid CSV row does not unpack");
        require_same_submission(&sub, &stored);
        submission_clear(&stored);
    }
    submission_clear(&sub);
out:
    problem_list_clear(&errors);
    problem_list_clear(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    problem_list errors = { 0 };
    submission_file *f = NULL;
    if (submission_file_read(text, size, &f, &errors) == 0) {
        for (size_t r = 0; r < f->n_rows; r++)
            check_row_round_trip(&f->rows[r]);
        submission_file_destroy(&f);
    }
    problem_list_clear(&errors);

    school_info *schools = NULL;
    size_t n = 0;
    registry_schools_read(text, size, &schools, &n, &errors);
    free(schools);
    problem_list_clear(&errors);

    county_info *counties = NULL;
    registry_counties_read(text, size, &counties, &n, &errors);
    free(counties);
    problem_list_clear(&errors);

    keypair kp;
    char err[256];
    keyfile_parse(text, size, &kp, err, sizeof err);
    return 0;
}
