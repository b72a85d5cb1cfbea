/* ingest.c -- the first half of the submit path: decode, validate with the
 * same common/ code the client runs, and queue into the group being filled.
 * ingest_commit.c commits the groups and only then replies. See ingest.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "i18n_init.h"
#include "ingest_internal.h"
#include "log.h"
#include "wire.h"

void ingest_pending_release(pending_request *p)
{
    submission_clear(&p->sub);
    county_inputs_clear(&p->cin.inputs);
    free(p->payload);
    free(p->raw);
    problem_list_clear(&p->errors);
    problem_list_clear(&p->warnings);
    free(p->warnings_json);
    free(p->errors_json);
    memset(p, 0, sizeof *p);
}

/* Reserves the next slot of the group; NULL when out of memory. */
static pending_request *group_next(ingest *self)
{
    if (self->group_len == self->group_cap) {
        size_t cap = self->group_cap ? self->group_cap * 2 : (size_t)self->cfg->batch_max + 1;
        pending_request *g = realloc(self->group, cap * sizeof *g);
        if (!g)
            return NULL;
        self->group = g;
        self->group_cap = cap;
    }
    pending_request *p = &self->group[self->group_len];
    memset(p, 0, sizeof *p);
    return p;
}

/* Writes the hex of data into out (truncated to out_size, NUL-terminated). */
static void hex_encode(const uint8_t *data, size_t len, char *out, size_t out_size)
{
    static const char HEX[] = "0123456789abcdef";
    size_t j = 0;
    for (size_t i = 0; i < len && j + 2 < out_size; i++) {
        out[j++] = HEX[data[i] >> 4];
        out[j++] = HEX[data[i] & 15];
    }
    out[j] = '\0';
}

/* Turns the prepared pending request into a quarantine item (refused). */
/* The bytes to quarantine (malloc'd, *out_len): data as it came, but
 * without a web user's session token -- a live token kept in the database
 * would let its readers act as the user. NULL when out of memory. */
static uint8_t *quarantine_copy(const uint8_t *data, size_t len, size_t *out_len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    uint8_t *out;
    if (env && env->session) {
        char *token = env->session;
        env->session = NULL;
        size_t n = junheng__envelope__get_packed_size(env);
        out = malloc(n ? n : 1);
        if (out)
            *out_len = junheng__envelope__pack(env, out);
        env->session = token;
    } else {
        out = malloc(len ? len : 1);
        if (out)
            memcpy(out, data, len);
        *out_len = len;
    }
    if (env)
        junheng__envelope__free_unpacked(env, NULL);
    return out;
}

static int pending_quarantine(pending_request *p, const char *reason, const uint8_t *data, size_t len)
{
    p->refusal = JUNHENG__REPLY_STATUS__REFUSED;
    p->raw = quarantine_copy(data, len, &p->raw_len);
    p->errors_json = problem_list_to_json(&p->errors);
    if (!p->raw || !p->errors_json)
        return -1;
    p->item.kind = STORE_ITEM_QUARANTINE;
    p->item.peer = p->peer_text;
    p->item.school_code = p->school_code[0] ? p->school_code : NULL;
    p->item.reason = reason;
    p->item.errors_json = p->errors_json;
    p->item.raw = p->raw;
    p->item.raw_len = p->raw_len;
    return 0;
}

/* Whether the submission's period still takes it (docs/review.md
 * "Periods"): refused after the period closed, unless the county reopened
 * it for the school (then marked late). Returns the quarantine reason, or
 * NULL. */
static const char *ingest_check_period(ingest *self, pending_request *p)
{
    if (!self->review)
        return NULL;
    int32_t today = net_local_date(self->cfg->period_utc_offset_hours);
    period_admission a = review_state_admit(self->review, p->sub.period, p->sub.school_code, today);
    p->late = a == PERIOD_ADMIT_LATE;
    if (a != PERIOD_ADMIT_CLOSED)
        return NULL;
    const period_info *pi = review_state_period(self->review, p->sub.period);
    int32_t d = pi ? pi->closes_on : 0;
    if (pi && pi->closed && (!d || d >= today))
        /* closed at once by `admin period close`, before its date (if any) */
        problem_list_add(&p->errors, "period", _("period %d was closed early by an administrator"),
                         (int)p->sub.period);
    else if (d)
        problem_list_add(&p->errors, "period", _("period %d closed on %04d-%02d-%02d"), (int)p->sub.period,
                         (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
    else
        problem_list_add(&p->errors, "period", _("period %d is closed"), (int)p->sub.period);
    return "period closed";
}

/* Checks a decoded submission against the registry and the rules of
 * docs/formats.md; fills p->errors / p->warnings. Returns the quarantine
 * reason, or NULL when the submission is valid. */
static const char *ingest_check(ingest *self, const Junheng__Submission *pb, pending_request *p)
{
    p->late = false;
    if (wire_submission_from_pb(pb, &p->sub, &p->errors) != 0)
        return "out of memory";
    /* Only a well-formed code goes into the quarantine row's school_code:
     * hostile bytes stay in the raw message, never in a text column. */
    if (code_is_digits(p->sub.school_code, SCHOOL_CODE_LEN))
        snprintf(p->school_code, sizeof p->school_code, "%s", p->sub.school_code);
    const school_record *rec = code_is_digits(p->sub.school_code, SCHOOL_CODE_LEN)
                                   ? registry_school(self->reg, p->sub.school_code)
                                   : NULL;
    const char *reason = NULL;
    if (!rec && code_is_digits(p->sub.school_code, SCHOOL_CODE_LEN)) {
        problem_list_add(&p->errors, "school_code", _("'%s' is not in the school registry"), p->sub.school_code);
        reason = "unknown school";
    } else if (rec && !school_record_active(rec)) {
        problem_list_add(&p->errors, "school_code", _("'%s' (%s) is inactive in the school registry"),
                         p->sub.school_code, school_record_name(rec));
        reason = "inactive school";
    }
    school_info info;
    if (rec)
        school_record_info(rec, &info);
    /* The previous revision is decoded only when one is held (a resubmission
     * for the period); it is read for the "changed by half" warnings. */
    submission prev;
    int have_prev = rec ? school_record_latest(rec, p->sub.period, NULL, &prev) : 0;
    if (have_prev < 0)
        return "out of memory";
    validate_submission(&p->sub, rec ? &info : NULL, have_prev ? &prev : NULL, &self->limits, &p->errors,
                        &p->warnings);
    if (!reason && p->errors.count == 0)
        reason = ingest_check_period(self, p);
    if (have_prev)
        submission_clear(&prev);
    if (p->errors.count > 0 && !reason)
        reason = "invalid";
    return reason;
}

/* Replies "retry later" with the request id of the message, when it can be
 * read, so the sender knows which of its requests to send again. */
static void reply_retry_later(ingest *self, const peer_address *peer, const uint8_t *data, size_t len,
                              const char *why)
{
    self->counters->retry_later++;
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    ingest_count_answer(self, env && env->body_case == JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS ? INGEST_COUNTY_INPUTS
                                                                                            : INGEST_SCHOOL,
                        JUNHENG__REPLY_STATUS__RETRY_LATER);
    bool rid = env && env->has_request_id && env->request_id.len <= 64;
    locale_t lang = i18n_use(env ? env->lang : NULL);
    net_reply(self->submit_sock, peer, rid ? env->request_id.data : NULL, rid ? env->request_id.len : 0,
                 JUNHENG__REPLY_STATUS__RETRY_LATER, 0, NULL, NULL, _(why));
    i18n_restore(lang);
    if (env)
        junheng__envelope__free_unpacked(env, NULL);
}

/* Decodes one submit message into p (request id, submission, problems),
 * checking the key's right to submit for the school before what the
 * submission says. Returns the quarantine reason, or NULL when it is a valid
 * submission. */
static const char *ingest_decode(ingest *self, const uint8_t *data, size_t len, pending_request *p)
{
    const char *reason = NULL;
    char why[256];
    peer_address *peer = &p->peer; /* with the web user's session bound below */
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    /* the refusals and warnings in the sender's language (what is stored with them too) */
    locale_t lang = i18n_use(env ? env->lang : NULL);
    if (!env) {
        problem_list_add(&p->errors, "", _("message is not a junheng Envelope (protobuf decode failed, %zu bytes)"), len);
        reason = "undecodable";
    } else {
        if (env->has_request_id && env->request_id.len <= sizeof p->request_id) {
            memcpy(p->request_id, env->request_id.data, env->request_id.len);
            p->request_id_len = env->request_id.len;
        }
        if (!env->has_version || env->version != WIRE_PROTOCOL_VERSION) {
            problem_list_add(&p->errors, "version", _("protocol version %u is not supported (expected %d)"),
                             env->has_version ? env->version : 0, WIRE_PROTOCOL_VERSION);
            reason = "unsupported version";
        } else if (!env->has_request_id || env->request_id.len != WIRE_REQUEST_ID_LEN) {
            problem_list_add(&p->errors, "request_id", _("must be %d bytes"), WIRE_REQUEST_ID_LEN);
            reason = "invalid";
        } else if (!auth_peer_session(self->policy, peer, env->session, why, sizeof why)) {
            /* a web user's session that has ended: nothing it says is looked at */
            problem_list_add(&p->errors, "session", "%s", why);
            reason = "session ended";
            self->counters->auth_refused++;
        } else if (env->body_case == JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS) {
            p->county = true;
            reason = ingest_check_county(self, peer, env->county_inputs, p);
            p->item.kind = STORE_ITEM_COUNTY_INPUTS;
        } else if (env->body_case != JUNHENG__ENVELOPE__BODY_SUBMISSION) {
            problem_list_add(&p->errors, "body", _("the submit socket takes submissions and county inputs only"));
            reason = "wrong socket";
        } else {
            /* Who sent it comes before what it says: a key submits only for
             * its own school, and learns nothing about other schools. */
            const char *school = env->submission->school_code;
            const school_record *rec =
                school && code_is_digits(school, SCHOOL_CODE_LEN) ? registry_school(self->reg, school) : NULL;
            if (!auth_may_submit(self->policy, peer, school, rec ? school_record_county(rec) : NULL, &reason, why,
                                 sizeof why)) {
                problem_list_add(&p->errors, "school_code", "%s", why);
                if (school && code_is_digits(school, SCHOOL_CODE_LEN))
                    snprintf(p->school_code, sizeof p->school_code, "%s", school);
                self->counters->auth_refused++;
            } else {
                reason = ingest_check(self, env->submission, p);
            }
        }
        junheng__envelope__free_unpacked(env, NULL);
    }
    i18n_restore(lang);
    return reason;
}

void ingest_handle(ingest *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    self->counters->received++;
    if (!store_is_up(self->commit_db)) {
        /* Nothing can be committed or quarantined now: the client keeps the
         * submission in its spool and sends it again. */
        reply_retry_later(self, peer, data, len, N_("the database is unavailable; send again later"));
        return;
    }
    if (senders_pending(&self->flight->senders, peer) >= (size_t)self->cfg->max_pending_per_peer) {
        /* One sender (one key, however many connections; over plaintext,
         * one connection) cannot fill the groups: the others' submissions
         * still get in. Counted: the group being filled and the one in
         * flight. */
        reply_retry_later(self, peer, data, len, N_("too many submissions in flight from this key; send again later"));
        return;
    }
    pending_request *p = group_next(self);
    if (!p) {
        log_error("out of memory queueing a submission");
        net_reply(self->submit_sock, peer, NULL, 0, JUNHENG__REPLY_STATUS__RETRY_LATER, 0, NULL, NULL,
                     "server out of memory");
        return;
    }
    p->peer = *peer;
    p->received_ms = net_now_ms();
    if (peer->user_id[0])
        snprintf(p->peer_text, sizeof p->peer_text, "%s", peer->user_id);
    else
        hex_encode(peer->id, peer->id_len, p->peer_text, sizeof p->peer_text);

    const char *reason = ingest_decode(self, data, len, p);
    int rc = 0;
    if (reason) {
        rc = pending_quarantine(p, reason, data, len);
    } else if (p->item.kind == STORE_ITEM_COUNTY_INPUTS) {
        rc = ingest_prepare_county(self, p);
    } else {
        p->warnings_json = problem_list_to_json(&p->warnings);
        rc = p->warnings_json ? wire_submission_pack(&p->sub, &p->payload, &p->payload_len) : -1;
        p->item.kind = STORE_ITEM_SUBMISSION;
        p->item.submission_id = p->sub.submission_id;
        p->item.school_code = p->sub.school_code;
        p->item.period = p->sub.period;
        p->item.payload = p->payload;
        p->item.payload_len = p->payload_len;
        p->item.warnings_json = p->warnings_json;
        p->item.submitted_by = p->peer.user_id[0] ? p->peer.user_id : NULL;
        p->item.web_user = p->peer.user[0] ? p->peer.user : NULL;
        p->item.late = p->late;
    }
    if (rc == 0 && !p->errors.oom && !p->warnings.oom)
        rc = senders_add(&self->flight->senders, peer);
    if (rc != 0 || p->errors.oom || p->warnings.oom) {
        log_error("out of memory preparing a submission");
        net_reply(self->submit_sock, peer, p->request_id, p->request_id_len,
                     JUNHENG__REPLY_STATUS__RETRY_LATER, 0, NULL, NULL, "server out of memory");
        ingest_pending_release(p);
        return;
    }
    if (self->group_len == 0)
        self->group_deadline_ms = net_now_ms() + self->cfg->batch_max_ms;
    self->group_len++;
}
