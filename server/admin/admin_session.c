/* admin_session.c -- web users' logins, session checks and logouts
 * (SessionRequest on the admin socket, sent by the web gateway), and the
 * password worker's results. See admin_internal.h and docs/security.md.
 *
 * A login never waits in the loop: the rate limiter is asked first (from
 * memory); the password is checked on the worker thread against the
 * user's Argon2id hash -- or, for an unknown user, a dummy hash, so both
 * cost the same and answer the same; the outcome is then written to
 * login_events on the admin connection like any request, and the session
 * opened (and the answer sent) once PostgreSQL confirmed that row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "admin_internal.h"
#include "i18n.h"
#include "i18n_init.h"
#include "log.h"

void admin_user_job_free(admin_user_job *job)
{
    if (!job)
        return;
    if (job->env)
        junheng__envelope__free_unpacked(job->env, NULL);
    sodium_memzero(job->job.password, sizeof job->job.password);
    free(job);
}

bool admin_user_job_submit(admin *self, admin_user_job *job)
{
    if (pwhash_worker_submit(self->worker, &job->job) == 0)
        return true;
    log_warn("%s %.64s: the password worker is busy (%d waiting)",
             job->job.kind == PWHASH_VERIFY ? "login" : "password", job->user, ADMIN_LOGINS_MAX);
    admin_request r = { job->peer, job->env, 0, NULL };
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "%s", _("busy: too many logins are being checked; retry in a moment"));
    admin_reply_problems(self, &r, JUNHENG__REPLY_STATUS__RETRY_LATER, &errs);
    problem_list_clear(&errs);
    admin_user_job_free(job);
    return false;
}

/* The wall-clock time (RFC 3339 UTC) in ms monotonic milliseconds from now. */
static void wall_in(int64_t ms, char *out, size_t size)
{
    time_t t = time(NULL) + (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A session as the answer of login and check (a new object, or NULL). */
static json_t *session_json(const admin *self, const session *s)
{
    char expires[32];
    wall_in(sessions_expiry_ms(self->sessions, s) - net_now_ms(), expires, sizeof expires);
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "session", s->token, "user", s->user, "role",
                     key_role_name(s->key.role), "scope", s->key.subject, "may_review", s->key.may_review,
                     "expires_at", expires);
}

/* The end of a login: its login_events row committed (or not). */
static void login_finish(admin *self, int rc, const store_answer *answer)
{
    (void)answer;
    admin_user_job *job = self->cur.job;
    if (rc != STORE_OK)
        log_warn("login of %.64s not recorded: %s", job->user, store_last_error(self->db));
    if (!job->ok) {
        log_info("login of %.64s from %.64s refused: %s", job->user, job->address, job->reason);
        admin_refuse(self, &self->cur, job->field, job->refusal);
        return;
    }
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    /* the user as they are now: locked or removed meanwhile, no session */
    const user_record *u = user_table_get(self->users, job->user);
    const session *s = u && !u->locked ? sessions_open(self->sessions, u->name, u->role, u->scope, u->may_review,
                                                       net_now_ms())
                                       : NULL;
    if (!s) {
        admin_refuse(self, &self->cur, "user", u ? _("this user is locked: ask an administrator")
                                                 : _("no session could be opened; retry"));
        return;
    }
    log_info("login of %.64s (%s %s) from %.64s", u->name, key_role_name(u->role), u->scope, job->address);
    admin_reply_json(self, &self->cur, session_json(self, s));
}

/* A login's turn on the admin connection: its login_events row. */
static void login_start(admin *self)
{
    admin_user_job *job = self->cur.job;
    store_call *call = NULL;
    int rc = store_login_event_send(self->db, job->user, job->address, job->ok, job->reason, &call);
    if (rc != STORE_OK || !call) {
        login_finish(self, rc == STORE_OK ? STORE_DOWN : rc, NULL);
        return;
    }
    admin_send(self, rc, call, login_finish);
}

/* Sets a login refused: reason (login_events), field and why. */
static void login_refused(admin_user_job *job, const char *reason, const char *field, const char *why)
{
    job->ok = false;
    job->reason = reason;
    job->field = field;
    snprintf(job->refusal, sizeof job->refusal, "%s", why);
}

/* A login's password checked: the outcome, then its turn in the queue. */
static void login_checked(admin *self, admin_user_job *job)
{
    int64_t now = net_now_ms();
    const user_record *u = user_table_get(self->users, job->user);
    if (!job->job.ok || !u) {
        login_limit_failed(self->limit, job->user, job->address, now);
        login_refused(job, "bad password", "password", _("wrong user name or password"));
    } else if (u->locked) {
        login_refused(job, "locked", "user", _("this user is locked: ask an administrator"));
    } else {
        login_limit_succeeded(self->limit, job->user, now);
        job->ok = true;
        job->reason = "ok";
    }
    job->start = login_start;
    admin_enqueue_job(self, job);
}

/* login: refused at once while rate-limited (still recorded), else the
 * password goes to the worker. */
static void session_login(admin *self, admin_user_job *job, const Junheng__SessionRequest *req)
{
    const char *password = req->password ? req->password : "";
    snprintf(job->user, sizeof job->user, "%s", req->user ? req->user : "");
    snprintf(job->address, sizeof job->address, "%s", req->client_address ? req->client_address : "");
    int64_t wait = login_limit_wait_ms(self->limit, job->user, job->address, net_now_ms());
    if (wait > 0) {
        char why[200];
        snprintf(why, sizeof why, _("too many failed logins: try again in %lld s"), (long long)((wait + 999) / 1000));
        login_refused(job, "rate limited", "user", why);
        job->start = login_start;
        admin_enqueue_job(self, job);
        return;
    }
    const user_record *u = user_name_valid(job->user) ? user_table_get(self->users, job->user) : NULL;
    job->job.kind = PWHASH_VERIFY;
    snprintf(job->job.password, sizeof job->job.password, "%s", password);
    snprintf(job->job.hash, sizeof job->job.hash, "%s", u && strlen(password) <= USER_PASSWORD_MAX ? u->hash : "");
    admin_user_job_submit(self, job);
}

/* check and logout: answered from memory. */
static void session_check_logout(admin *self, admin_user_job *job, const char *action)
{
    admin_request r = { job->peer, job->env, 0, NULL };
    const char *token = job->env->session ? job->env->session : "";
    if (strcmp(action, "logout") == 0) {
        bool had = sessions_close(self->sessions, token);
        admin_reply_json(self, &r, json_pack("{s:b}", "logged_out", had));
    } else {
        const session *s = sessions_use(self->sessions, token, net_now_ms());
        if (s)
            admin_reply_json(self, &r, session_json(self, s));
        else
            admin_refuse(self, &r, "session", _("the session has ended (expired, logged out, or the user locked): "
                                                "log in again"));
    }
    admin_user_job_free(job);
}

void admin_session_request(admin *self, const peer_address *peer, Junheng__Envelope *env)
{
    admin_request r = { *peer, env, 0, NULL };
    const Junheng__SessionRequest *req = env->session_request;
    const char *action = req->action ? req->action : "";
    char why[256];
    peer_address conn = *peer;
    conn.session[0] = conn.user[0] = '\0';
    if (!auth_peer(self->policy, &conn, why, sizeof why)) {
        self->counters->auth_refused++;
        admin_refuse(self, &r, "key", why);
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    bool login = strcmp(action, "login") == 0;
    if (!login && strcmp(action, "check") != 0 && strcmp(action, "logout") != 0) {
        admin_refuse(self, &r, "action", _("a session request is login, check or logout"));
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    admin_user_job *job = calloc(1, sizeof *job);
    if (!job) {
        admin_refuse(self, &r, "", "server out of memory");
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    job->peer = conn;
    job->env = env;
    job->received_ms = net_now_ms();
    if (login)
        session_login(self, job, req);
    else
        session_check_logout(self, job, action);
}

void admin_users_poll(admin *self)
{
    pwhash_job *done;
    while ((done = pwhash_worker_take(self->worker)) != NULL) {
        admin_user_job *job = (admin_user_job *)done;
        /* the worker only says right or wrong: the answer's words are made
         * here, in the loop's thread, in the request's language */
        locale_t lang = i18n_use(job->env ? job->env->lang : NULL);
        if (done->kind == PWHASH_VERIFY) {
            login_checked(self, job);
        } else if (!done->ok) {
            admin_request r = { job->peer, job->env, 0, NULL };
            admin_refuse(self, &r, "password", _("the password could not be hashed (server out of memory?)"));
            admin_user_job_free(job);
        } else {
            admin_enqueue_job(self, job);
        }
        i18n_restore(lang);
    }
}
