/* admin_review.c -- review requests on the admin socket (docs/review.md):
 * Envelope{review} from any key, each action checked by role and scope
 * (auth_may_review) and against the review state in memory
 * (admin_review_checks.c), then applied with its audit row in one
 * transaction (review_apply), memory following after the COMMIT
 * (admin_review_apply.c); the queries are admin_review_query.c.
 *
 * Idempotency: a state-changing action carries an action id (a UUID); one
 * already applied -- known in memory, or found stored by review_apply after
 * an answer was lost -- is answered DUPLICATE with the original's answer,
 * never applied again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "admin_internal.h"
#include "log.h"

/* One review action: its name, whether it changes state, and its start. */
typedef struct {
    const char *name;
    bool changes;
    void (*start)(admin *self);
} review_action_def;

static const review_action_def ACTIONS[] = {
    { "approve", true, admin_review_approve },
    { "return", true, admin_review_return },
    { "reopen", true, admin_review_reopen },
    { "seal", true, admin_review_seal },
    { "finding", true, admin_review_finding },
    { "override", true, admin_review_override },
    { "return_package", true, admin_review_package_step },
    { "pass", true, admin_review_package_step },
    { "answer", true, admin_review_problem },
    { "close", true, admin_review_problem },
    { "package", false, admin_review_package },
    { "findings", false, admin_review_query },
    { "pending", false, admin_review_query },
    { "submissions", false, admin_review_query },
    { "inbox", false, admin_review_query },
    { "audit", false, admin_review_query },
};

void admin_review_done(admin *self)
{
    free(self->rv_targets);
    self->rv_targets = NULL;
    self->n_rv_targets = 0;
    if (self->rv_has_inputs)
        county_inputs_clear(&self->rv_inputs);
    self->rv_has_inputs = false;
    self->rv_verify = false;
}

const auth_key *admin_review_actor(admin *self)
{
    char why[256];
    const auth_key *k = auth_peer(self->policy, &self->cur.peer, why, sizeof why);
    if (!k) {
        self->counters->auth_refused++;
        char reason[320];
        snprintf(reason, sizeof reason, _("invalid key: %s"), why);
        admin_refuse(self, &self->cur, "key", reason);
    }
    return k;
}

bool admin_review_allowed(admin *self, review_right right, const char *county_code, const char *school_code,
                          const char *asked, const char *asked_zh)
{
    char why[640];
    const auth_key *k;
    if (auth_may_review(self->policy, &self->cur.peer, right, county_code, school_code, asked, asked_zh, &k, why,
                        sizeof why))
        return true;
    self->counters->auth_refused++;
    log_info("review %.32s refused: %s", self->cur.env->review ? self->cur.env->review->action : "", why);
    admin_refuse(self, &self->cur, "key", why);
    return false;
}

json_t *admin_review_request(admin *self, const auth_key *k, const char *action)
{
    const Junheng__ReviewRequest *req =
        self->cur.env->body_case == JUNHENG__ENVELOPE__BODY_REVIEW ? self->cur.env->review : NULL;
    const char *action_id = req && req->action_id && req->action_id[0] ? req->action_id : NULL;
    /* a web user's session: the connection's key, and the user beside it */
    const char *actor_key = self->policy->plaintext ? "plaintext" : k->public_key[0] ? k->public_key
                                                                                     : self->cur.peer.user_id;
    json_t *r = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:{}}", "action", action, "action_id", action_id, "actor_key",
                          actor_key, "actor_role", key_role_name(k->role), "actor_subject", k->subject, "detail");
    if (r && self->cur.peer.user[0])
        json_object_set_new(r, "actor_user", json_string(self->cur.peer.user));
    return r;
}

char *admin_audit_text(admin *self, const char *action, json_t *detail)
{
    char why[256];
    const auth_key *k = auth_peer(self->policy, &self->cur.peer, why, sizeof why);
    json_t *r = k && detail ? admin_review_request(self, k, action) : NULL;
    char *text = NULL;
    if (r) {
        json_object_set(r, "detail", detail);
        text = json_dumps(r, JSON_COMPACT);
    }
    json_decref(r);
    json_decref(detail);
    return text;
}

/* Stores the audit row of an action with an action id: a resend's answer. */
static void remember_action(admin *self, const json_t *audit, const char *text)
{
    const char *action_id = json_string_value(json_object_get(audit, "action_id"));
    if (!action_id || hashmap_contains(self->review_actions, action_id))
        return;
    char *copy = strdup(text);
    if (!copy || hashmap_put(self->review_actions, action_id, copy) != 0) {
        free(copy);
        log_error("out of memory keeping action %s", action_id);
    }
}

/* Answers with the answer built from an audit row (DUPLICATE when it was
 * applied before). */
static void reply_from_audit(admin *self, const json_t *audit, bool duplicate)
{
    json_t *answer = admin_review_answer(audit);
    if (answer)
        json_object_set_new(answer, "duplicate", json_boolean(duplicate));
    char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
    json_decref(answer);
    if (!text) {
        admin_refuse(self, &self->cur, "", "server out of memory");
        return;
    }
    admin_reply_status_text(self, &self->cur, duplicate ? JUNHENG__REPLY_STATUS__DUPLICATE : JUNHENG__REPLY_STATUS__OK,
                            text);
    free(text);
}

/* The end of an action: the audit row committed (or found stored). */
static void apply_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    json_t *audit = json_loads(answer->text, 0, NULL);
    if (!audit) {
        admin_refuse(self, &self->cur, "", "unreadable answer from the database");
        return;
    }
    bool duplicate = json_is_true(json_object_get(audit, "duplicate"));
    json_object_del(audit, "duplicate");
    char *text = json_dumps(audit, JSON_COMPACT);
    log_info("review %s by %s %s: audit %lld%s", json_string_value(json_object_get(audit, "action")),
             json_string_value(json_object_get(audit, "actor_role")),
             json_string_value(json_object_get(audit, "actor_subject")),
             (long long)json_integer_value(json_object_get(audit, "id")), duplicate ? " (applied before)" : "");
    /* a duplicate found only in the database was committed while its answer
     * was lost: memory has not seen it yet (applying is idempotent) */
    admin_review_applied(self, audit);
    if (text)
        remember_action(self, audit, text);
    free(text);
    reply_from_audit(self, audit, duplicate);
    json_decref(audit);
}

void admin_review_send(admin *self, json_t *req)
{
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text) {
        admin_refuse(self, &self->cur, "", "server out of memory");
        return;
    }
    store_call *call;
    int rc = store_review_apply_send(self->db, text, &call);
    free(text);
    admin_send(self, rc, call, apply_finish);
}

/* Answers a resend of an action applied before, from its stored audit row.
 * Returns whether action_id was one. */
static bool answer_known_action(admin *self, const char *action_id)
{
    char lower[SUBMISSION_ID_LEN + 1];
    size_t n = 0;
    for (; action_id[n] && n < SUBMISSION_ID_LEN; n++)
        lower[n] = (char)(action_id[n] >= 'A' && action_id[n] <= 'F' ? action_id[n] - 'A' + 'a' : action_id[n]);
    lower[n] = '\0';
    const char *text = hashmap_get(self->review_actions, lower);
    if (!text)
        return false;
    json_t *audit = json_loads(text, 0, NULL);
    if (!audit) {
        admin_refuse(self, &self->cur, "", "server out of memory");
        return true;
    }
    reply_from_audit(self, audit, true);
    json_decref(audit);
    return true;
}

void admin_review_start(admin *self)
{
    const Junheng__ReviewRequest *req = self->cur.env->review;
    const review_action_def *def = NULL;
    for (size_t i = 0; req->action && i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (strcmp(ACTIONS[i].name, req->action) == 0)
            def = &ACTIONS[i];
    if (!def) {
        char reason[200];
        snprintf(reason, sizeof reason, _("unknown review action '%.32s'"), req->action ? req->action : "");
        admin_refuse(self, &self->cur, "action", reason);
        return;
    }
    if (!admin_review_actor(self))
        return;
    if (def->changes) {
        if (!req->action_id || !wire_uuid_valid(req->action_id)) {
            admin_refuse(self, &self->cur, "action_id",
                         _("a state-changing review action needs an action_id (a UUID)"));
            return;
        }
        if (answer_known_action(self, req->action_id))
            return;
    }
    def->start(self);
}
