/* wire.c -- protobuf-c encode/decode for junheng. See wire.h. */
#include "wire.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>

/* Fills a StageData / Submission view over the model's data fields: every
 * scalar present, every list pointing into rec (nothing allocated). */
static void stage_fields_to_pb(const stage_data *rec, Junheng__StageData *pb)
{
    SUBMISSION_STAGE_FIELDS(FIELD_TO_PB_SCALAR, FIELD_TO_PB_LIST)
}

static void school_fields_to_pb(const submission *rec, Junheng__Submission *pb)
{
    SUBMISSION_SCHOOL_FIELDS(FIELD_TO_PB_SCALAR, FIELD_TO_PB_LIST)
}

/* Fills the model's data fields from a StageData / Submission: absent
 * scalars 0, lists copied (rec owns them); *oom set when out of memory. */
static void stage_fields_from_pb(const Junheng__StageData *pb, stage_data *rec, int *oom)
{
    SUBMISSION_STAGE_FIELDS(FIELD_FROM_PB_SCALAR, FIELD_FROM_PB_LIST)
}

static void school_fields_from_pb(const Junheng__Submission *pb, submission *rec, int *oom)
{
    SUBMISSION_SCHOOL_FIELDS(FIELD_FROM_PB_SCALAR, FIELD_FROM_PB_LIST)
}

/* Fills a Submission view over the model (pointers into sub and the two
 * caller-provided StageData structs; nothing allocated). Every data field
 * is marked present (submission_fields.h). */
static void submission_to_pb(const submission *sub, Junheng__Submission *pb, Junheng__StageData stage_pb[STAGE_COUNT])
{
    junheng__submission__init(pb);
    pb->submission_id = (char *)sub->submission_id;
    pb->school_code = (char *)sub->school_code;
    pb->has_period = 1;
    pb->period = sub->period;
    for (int st = 0; st < STAGE_COUNT; st++) {
        if (!sub->stage[st].present)
            continue;
        junheng__stage_data__init(&stage_pb[st]);
        stage_fields_to_pb(&sub->stage[st], &stage_pb[st]);
        if (st == STAGE_PRIMARY)
            pb->primary = &stage_pb[st];
        else
            pb->junior = &stage_pb[st];
    }
    school_fields_to_pb(sub, pb);
}

/* See wire.h: *out is the caller's to free. */
int wire_pack_message(const ProtobufCMessage *msg, uint8_t **out, size_t *len)
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
    return wire_pack_message(&pb.base, out, len);
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
    const Junheng__StageData *stage_pb[STAGE_COUNT] = { [STAGE_PRIMARY] = pb->primary, [STAGE_JUNIOR] = pb->junior };
    for (int st = 0; st < STAGE_COUNT; st++) {
        if (!stage_pb[st])
            continue;
        out->stage[st].present = true;
        stage_fields_from_pb(stage_pb[st], &out->stage[st], &oom);
    }
    school_fields_from_pb(pb, out, &oom);
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

static const char *envelope_lang;

void wire_set_lang(const char *lang)
{
    envelope_lang = lang;
}

char *wire_lang(void)
{
    return (char *)envelope_lang;
}

/* See wire.h. */
void wire_envelope_init(Junheng__Envelope *env, const uint8_t *rid)
{
    junheng__envelope__init(env);
    env->lang = wire_lang();
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
    wire_envelope_init(&env, request_id);
    submission_to_pb(sub, &pb, stage_pb);
    env.body_case = JUNHENG__ENVELOPE__BODY_SUBMISSION;
    env.submission = &pb;
    return wire_pack_message(&env.base, out, len);
}

int wire_envelope_pack_admin(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *command,
                             const char *const *args, size_t n_args, const uint8_t *file, size_t file_len,
                             uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    Junheng__AdminRequest req;
    wire_envelope_init(&env, request_id);
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
    return wire_pack_message(&env.base, out, len);
}

int wire_envelope_pack_status_query(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *county_code,
                                    int32_t period, int history, uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    Junheng__StatusQuery q;
    wire_envelope_init(&env, request_id);
    junheng__status_query__init(&q);
    q.county_code = (char *)county_code;
    q.has_period = period != 0;
    q.period = period;
    q.has_history = history != 0;
    q.history = history != 0;
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    return wire_pack_message(&env.base, out, len);
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
    int rc = wire_pack_message(&reply.base, out, len);
    free(e_items);
    free(e_ptrs);
    free(w_items);
    free(w_ptrs);
    return rc;
}

const char *wire_reply_status_name(Junheng__ReplyStatus status)
{
    switch (status) {
    case JUNHENG__REPLY_STATUS__ACCEPTED: return N_("accepted");
    case JUNHENG__REPLY_STATUS__DUPLICATE: return N_("duplicate");
    case JUNHENG__REPLY_STATUS__REFUSED: return N_("refused");
    case JUNHENG__REPLY_STATUS__RETRY_LATER: return N_("retry later");
    case JUNHENG__REPLY_STATUS__OK: return N_("ok");
    default: return N_("unknown");
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
