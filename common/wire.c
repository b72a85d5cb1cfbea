/* wire.c -- protobuf-c encode/decode for junheng. See wire.h. */
#include "wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>

/* Fills a StageData view over a stage of the model. No allocation: the view
 * points into `st`, which must outlive it. */
static void stage_to_pb(const stage_data *st, Junheng__StageData *pb)
{
    junheng__stage_data__init(pb);
    pb->has_students = 1;
    pb->students = st->students;
    pb->n_class_sizes = st->n_class_sizes;
    pb->class_sizes = st->class_sizes;
    pb->has_teachers = 1;
    pb->teachers = st->teachers;
    pb->has_qualified_teachers = 1;
    pb->qualified_teachers = st->qualified_teachers;
    pb->has_backbone_teachers = 1;
    pb->backbone_teachers = st->backbone_teachers;
    pb->has_pe_art_teachers = 1;
    pb->pe_art_teachers = st->pe_art_teachers;
    pb->has_new_entrants = 1;
    pb->new_entrants = st->new_entrants;
    pb->has_new_entrants_in_zone = 1;
    pb->new_entrants_in_zone = st->new_entrants_in_zone;
}

/* Fills a Submission view over the model (pointers into sub and the two
 * caller-provided StageData structs; nothing allocated). */
static void submission_to_pb(const submission *sub, Junheng__Submission *pb, Junheng__StageData stage_pb[STAGE_COUNT])
{
    junheng__submission__init(pb);
    pb->submission_id = (char *)sub->submission_id;
    pb->school_code = (char *)sub->school_code;
    pb->has_period = 1;
    pb->period = sub->period;
    if (sub->stage[STAGE_PRIMARY].present) {
        stage_to_pb(&sub->stage[STAGE_PRIMARY], &stage_pb[STAGE_PRIMARY]);
        pb->primary = &stage_pb[STAGE_PRIMARY];
    }
    if (sub->stage[STAGE_JUNIOR].present) {
        stage_to_pb(&sub->stage[STAGE_JUNIOR], &stage_pb[STAGE_JUNIOR]);
        pb->junior = &stage_pb[STAGE_JUNIOR];
    }
#define SET(f) do { pb->has_##f = 1; pb->f = sub->f; } while (0)
    SET(senior_students);
    SET(teaching_area_m2);
    SET(sports_area_m2);
    SET(equipment_value_yuan);
    SET(multimedia_rooms);
    SET(certified_teachers);
    SET(trained_teachers);
    SET(exchange_eligible_teachers);
    SET(exchanged_teachers);
    SET(exchanged_backbone_teachers);
    SET(public_funds_yuan);
    SET(training_spend_yuan);
#undef SET
    pb->n_music_room_areas_m2 = sub->n_music_rooms;
    pb->music_room_areas_m2 = sub->music_room_areas_m2;
    pb->n_art_room_areas_m2 = sub->n_art_rooms;
    pb->art_room_areas_m2 = sub->art_room_areas_m2;
}

/* Packs any message into a fresh buffer (caller frees). */
static int pack_message(const ProtobufCMessage *msg, uint8_t **out, size_t *len)
{
    size_t n = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return -1;
    protobuf_c_message_pack(msg, buf);
    *out = buf;
    *len = n;
    return 0;
}

int wire_submission_pack(const submission *sub, uint8_t **out, size_t *len)
{
    Junheng__Submission pb;
    Junheng__StageData stage_pb[STAGE_COUNT];
    submission_to_pb(sub, &pb, stage_pb);
    return pack_message(&pb.base, out, len);
}

/* Copies n elements into a fresh array; NULL for n == 0. */
static void *copy_array(const void *src, size_t n, size_t size, int *oom)
{
    if (n == 0)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    memcpy(p, src, n * size);
    return p;
}

static void stage_from_pb(const Junheng__StageData *pb, stage_data *st, int *oom)
{
    st->present = true;
    st->students = pb->has_students ? pb->students : 0;
    st->class_sizes = copy_array(pb->class_sizes, pb->n_class_sizes, sizeof(int64_t), oom);
    st->n_class_sizes = st->class_sizes ? pb->n_class_sizes : 0;
    st->teachers = pb->has_teachers ? pb->teachers : 0;
    st->qualified_teachers = pb->has_qualified_teachers ? pb->qualified_teachers : 0;
    st->backbone_teachers = pb->has_backbone_teachers ? pb->backbone_teachers : 0;
    st->pe_art_teachers = pb->has_pe_art_teachers ? pb->pe_art_teachers : 0;
    st->new_entrants = pb->has_new_entrants ? pb->new_entrants : 0;
    st->new_entrants_in_zone = pb->has_new_entrants_in_zone ? pb->new_entrants_in_zone : 0;
}

int wire_submission_from_pb(const Junheng__Submission *pb, submission *out, problem_list *errors)
{
    int oom = 0;
    memset(out, 0, sizeof *out);
    if (!pb->submission_id || !pb->submission_id[0])
        problem_list_add(errors, "submission_id", "missing");
    else if (!wire_uuid_valid(pb->submission_id))
        problem_list_add(errors, "submission_id", "'%.40s' is not a UUID", pb->submission_id);
    else
        snprintf(out->submission_id, sizeof out->submission_id, "%s", pb->submission_id);
    if (!pb->school_code || !pb->school_code[0])
        problem_list_add(errors, "school_code", "missing");
    else if (strlen(pb->school_code) > SCHOOL_CODE_LEN)
        problem_list_add(errors, "school_code", "'%.20s' is not a 10-digit code", pb->school_code);
    else
        snprintf(out->school_code, sizeof out->school_code, "%s", pb->school_code);
    if (!pb->has_period)
        problem_list_add(errors, "period", "missing");
    out->period = pb->period;
    if (pb->primary)
        stage_from_pb(pb->primary, &out->stage[STAGE_PRIMARY], &oom);
    if (pb->junior)
        stage_from_pb(pb->junior, &out->stage[STAGE_JUNIOR], &oom);
#define GET(f) out->f = pb->has_##f ? pb->f : 0
    GET(senior_students);
    GET(teaching_area_m2);
    GET(sports_area_m2);
    GET(equipment_value_yuan);
    GET(multimedia_rooms);
    GET(certified_teachers);
    GET(trained_teachers);
    GET(exchange_eligible_teachers);
    GET(exchanged_teachers);
    GET(exchanged_backbone_teachers);
    GET(public_funds_yuan);
    GET(training_spend_yuan);
#undef GET
    out->music_room_areas_m2 = copy_array(pb->music_room_areas_m2, pb->n_music_room_areas_m2, sizeof(double), &oom);
    out->n_music_rooms = out->music_room_areas_m2 ? pb->n_music_room_areas_m2 : 0;
    out->art_room_areas_m2 = copy_array(pb->art_room_areas_m2, pb->n_art_room_areas_m2, sizeof(double), &oom);
    out->n_art_rooms = out->art_room_areas_m2 ? pb->n_art_room_areas_m2 : 0;
    if (oom || errors->oom) {
        submission_clear(out);
        return -1;
    }
    return 0;
}

int wire_submission_unpack(const uint8_t *data, size_t len, submission *out)
{
    Junheng__Submission *pb = junheng__submission__unpack(NULL, len, data);
    if (!pb)
        return -1;
    problem_list errs = { 0 };
    int rc = wire_submission_from_pb(pb, out, &errs);
    if (rc == 0 && errs.count > 0) {
        submission_clear(out);
        rc = -1;
    }
    problem_list_clear(&errs);
    junheng__submission__free_unpacked(pb, NULL);
    return rc;
}

/* Initializes an Envelope with version and request id (pointing into rid). */
static void envelope_init(Junheng__Envelope *env, const uint8_t *rid)
{
    junheng__envelope__init(env);
    env->has_version = 1;
    env->version = WIRE_PROTOCOL_VERSION;
    env->has_request_id = 1;
    env->request_id.data = (uint8_t *)rid;
    env->request_id.len = WIRE_REQUEST_ID_LEN;
}

int wire_envelope_pack_submission(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const submission *sub,
                                  uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    Junheng__Submission pb;
    Junheng__StageData stage_pb[STAGE_COUNT];
    envelope_init(&env, request_id);
    submission_to_pb(sub, &pb, stage_pb);
    env.body_case = JUNHENG__ENVELOPE__BODY_SUBMISSION;
    env.submission = &pb;
    return pack_message(&env.base, out, len);
}

int wire_envelope_pack_admin(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *command,
                             const char *const *args, size_t n_args, const uint8_t *file, size_t file_len,
                             uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    Junheng__AdminRequest req;
    envelope_init(&env, request_id);
    junheng__admin_request__init(&req);
    req.command = (char *)command;
    req.n_args = n_args;
    req.args = (char **)args;
    if (file) {
        req.has_file = 1;
        req.file.data = (uint8_t *)file;
        req.file.len = file_len;
    }
    env.body_case = JUNHENG__ENVELOPE__BODY_ADMIN;
    env.admin = &req;
    return pack_message(&env.base, out, len);
}

int wire_envelope_pack_status_query(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *county_code,
                                    int32_t period, int history, uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    Junheng__StatusQuery q;
    envelope_init(&env, request_id);
    junheng__status_query__init(&q);
    q.county_code = (char *)county_code;
    q.has_period = period != 0;
    q.period = period;
    q.has_history = history != 0;
    q.history = history != 0;
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    return pack_message(&env.base, out, len);
}

/* Builds an array of Issue views over a problem list (caller frees the two
 * arrays it gets back; the strings stay owned by the list). */
static int issues_view(const problem_list *list, Junheng__Issue **items, Junheng__Issue ***ptrs)
{
    *items = NULL;
    *ptrs = NULL;
    if (!list || list->count == 0)
        return 0;
    *items = calloc(list->count, sizeof **items);
    *ptrs = calloc(list->count, sizeof **ptrs);
    if (!*items || !*ptrs) {
        free(*items);
        free(*ptrs);
        return -1;
    }
    for (size_t i = 0; i < list->count; i++) {
        junheng__issue__init(&(*items)[i]);
        (*items)[i].field = list->items[i].field;
        (*items)[i].reason = list->items[i].reason;
        (*ptrs)[i] = &(*items)[i];
    }
    return 0;
}

int wire_reply_pack(const uint8_t *request_id, size_t request_id_len, Junheng__ReplyStatus status,
                    int64_t revision, const problem_list *errors, const problem_list *warnings, const char *body,
                    uint8_t **out, size_t *len)
{
    Junheng__Reply reply;
    Junheng__Issue *e_items, **e_ptrs, *w_items, **w_ptrs;
    junheng__reply__init(&reply);
    if (request_id) {
        reply.has_request_id = 1;
        reply.request_id.data = (uint8_t *)request_id;
        reply.request_id.len = request_id_len;
    }
    reply.has_status = 1;
    reply.status = status;
    if (revision > 0) {
        reply.has_revision = 1;
        reply.revision = revision;
    }
    reply.body = (char *)body;
    if (issues_view(errors, &e_items, &e_ptrs) != 0)
        return -1;
    if (issues_view(warnings, &w_items, &w_ptrs) != 0) {
        free(e_items);
        free(e_ptrs);
        return -1;
    }
    reply.n_errors = e_ptrs ? errors->count : 0;
    reply.errors = e_ptrs;
    reply.n_warnings = w_ptrs ? warnings->count : 0;
    reply.warnings = w_ptrs;
    int rc = pack_message(&reply.base, out, len);
    free(e_items);
    free(e_ptrs);
    free(w_items);
    free(w_ptrs);
    return rc;
}

const char *wire_reply_status_name(Junheng__ReplyStatus status)
{
    switch (status) {
    case JUNHENG__REPLY_STATUS__ACCEPTED: return "accepted";
    case JUNHENG__REPLY_STATUS__DUPLICATE: return "duplicate";
    case JUNHENG__REPLY_STATUS__REFUSED: return "refused";
    case JUNHENG__REPLY_STATUS__RETRY_LATER: return "retry later";
    case JUNHENG__REPLY_STATUS__OK: return "ok";
    default: return "unknown";
    }
}

int wire_request_id_new(uint8_t request_id[WIRE_REQUEST_ID_LEN])
{
    size_t got = 0;
    while (got < WIRE_REQUEST_ID_LEN) {
        ssize_t n = getrandom(request_id + got, WIRE_REQUEST_ID_LEN - got, 0);
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

void wire_uuid_new(char out[SUBMISSION_ID_LEN + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

int wire_uuid_valid(const char *s)
{
    uuid_t u;
    return s && strlen(s) == SUBMISSION_ID_LEN && uuid_parse(s, u) == 0;
}
