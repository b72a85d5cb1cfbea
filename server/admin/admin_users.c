/* admin_users.c -- the web users' admin commands (admin keys, or an admin
 * user's session): add-user, reset-password, lock-user, unlock-user,
 * list-users. A password travels in AdminRequest.file (never in args,
 * which the log may show), is hashed on the worker thread, and only its
 * Argon2id string is stored. Each change is written with its audit row in
 * one transaction and reaches memory once PostgreSQL confirmed it; locking
 * a user or resetting their password ends their sessions at once. See
 * admin_internal.h and docs/security.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "i18n.h"
#include "log.h"

static void add_user_finish(admin *self, int rc, const store_answer *answer)
{
    (void)answer;
    admin_user_job *job = self->cur.job;
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    user_record u = { .role = job->role, .may_review = job->may_review };
    snprintf(u.name, sizeof u.name, "%s", job->user);
    snprintf(u.scope, sizeof u.scope, "%s", job->scope);
    snprintf(u.hash, sizeof u.hash, "%s", job->job.hash);
    if (user_table_put(self->users, &u) != 0)
        log_error("out of memory adding user %s", u.name);
    log_info("user %s added: %s %s", u.name, key_role_name(u.role), u.scope);
    admin_reply_json(self, &self->cur,
                     json_pack("{s:s, s:s, s:s, s:b, s:b}", "user", u.name, "role", key_role_name(u.role), "scope",
                               u.scope, "may_review", u.may_review, "locked", false));
}

/* add-user's turn on the admin connection: the row and its audit row. */
static void add_user_start(admin *self)
{
    admin_user_job *job = self->cur.job;
    if (user_table_get(self->users, job->user)) {
        admin_refuse(self, &self->cur, "user", _("a user of this name exists"));
        return;
    }
    store_user_row row = { job->user, key_role_name(job->role), job->scope, job->may_review, job->job.hash, false };
    char *audit = admin_audit_text(self, "add_user",
                                   json_pack("{s:s, s:s, s:s, s:b}", "user", job->user, "role", row.role, "scope",
                                             job->scope, "may_review", job->may_review));
    store_call *call = NULL;
    int rc = audit ? store_user_add_send(self->db, &row, audit, &call) : STORE_DOWN;
    free(audit);
    admin_send(self, rc, call, add_user_finish);
}

/* Ends every session of user; returns how many (logged). */
static size_t end_sessions(admin *self, const char *user, const char *why)
{
    size_t n = sessions_close_user(self->sessions, user);
    if (n)
        log_info("%zu session(s) of %s ended: %s", n, user, why);
    return n;
}

static void reset_finish(admin *self, int rc, const store_answer *answer)
{
    admin_user_job *job = self->cur.job;
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    user_record *u = user_table_get(self->users, job->user);
    if (!answer->found || !u) {
        admin_refuse(self, &self->cur, "user", _("no such user"));
        return;
    }
    snprintf(u->hash, sizeof u->hash, "%s", job->job.hash);
    size_t ended = end_sessions(self, u->name, "password reset");
    admin_reply_json(self, &self->cur,
                     json_pack("{s:s, s:b, s:I}", "user", u->name, "password_reset", true, "sessions_ended",
                               (json_int_t)ended));
}

/* reset-password's turn on the admin connection. */
static void reset_start(admin *self)
{
    admin_user_job *job = self->cur.job;
    char *audit = admin_audit_text(self, "reset_password", json_pack("{s:s}", "user", job->user));
    store_call *call = NULL;
    int rc = audit ? store_user_set_send(self->db, job->user, -1, job->job.hash, audit, &call) : STORE_DOWN;
    free(audit);
    admin_send(self, rc, call, reset_finish);
}

/* Checks add-user's ROLE SCOPE [review] into job; NULL or why refused (field set). */
static const char *add_user_args(admin *self, admin_user_job *job, const Junheng__AdminRequest *req,
                                 const char **field)
{
    *field = "args";
    if (req->n_args < 3 || req->n_args > 4)
        return _("add-user needs NAME ROLE SCOPE [review]");
    job->may_review = req->n_args == 4 && (strcmp(req->args[3], "review") == 0 || strcmp(req->args[3], "--review") == 0);
    if (req->n_args == 4 && !job->may_review)
        return _("add-user needs NAME ROLE SCOPE [review]");
    int role = key_role_parse(req->args[1]);
    *field = "role";
    if (role < 0)
        return _("the role is school, county, monitor or admin");
    job->role = (key_role)role;
    *field = "scope";
    if (role == ROLE_ADMIN) {
        if (req->args[2][0])
            return _("an admin user has no scope");
    } else {
        /* admin_key_subject works on the request in flight's fields: kept
         * for it (a set-key may be waiting for its COMMIT) */
        int role_was = self->role;
        char subject_was[AUTH_SUBJECT_MAX];
        memcpy(subject_was, self->subject, sizeof subject_was);
        self->role = role;
        const char *why = admin_key_subject(self, req->args[2]);
        snprintf(job->scope, sizeof job->scope, "%s", self->subject);
        self->role = role_was;
        memcpy(self->subject, subject_was, sizeof subject_was);
        if (why)
            return why;
    }
    *field = "args";
    if (job->may_review && role != ROLE_MONITOR)
        return _("--review is a monitor user's right");
    return NULL;
}

void admin_user_hash_command(admin *self, const peer_address *peer, Junheng__Envelope *env)
{
    admin_request r = { *peer, env, 0, NULL };
    const Junheng__AdminRequest *req = env->admin;
    bool add = strcmp(req->command, "add-user") == 0;
    admin_user_job *job = calloc(1, sizeof *job);
    const char *why = NULL, *field = "user";
    if (!job) {
        why = "server out of memory";
    } else if (req->n_args < 1 || !user_name_valid(req->args[0])) {
        why = _("a user name is 1 to 64 letters, digits, '_', '.', '@' or '-'");
    } else if (!add && req->n_args != 1) {
        field = "args";
        why = _("reset-password needs NAME");
    } else if (!add && !user_table_get(self->users, req->args[0])) {
        why = _("no such user");
    } else if (add && user_table_get(self->users, req->args[0])) {
        why = _("a user of this name exists");
    } else if (!req->has_file || req->file.len < USER_PASSWORD_MIN || req->file.len > USER_PASSWORD_MAX ||
               memchr(req->file.data, '\0', req->file.len)) {
        field = "password";
        why = _("a password is 10 to 256 bytes");
    } else if (add) {
        why = add_user_args(self, job, req, &field);
    }
    if (why) {
        admin_refuse(self, &r, field, why);
        junheng__envelope__free_unpacked(env, NULL);
        free(job);
        return;
    }
    snprintf(job->user, sizeof job->user, "%s", req->args[0]);
    job->peer = *peer;
    job->env = env;
    job->received_ms = net_now_ms();
    job->start = add ? add_user_start : reset_start;
    job->job.kind = PWHASH_HASH;
    memcpy(job->job.password, req->file.data, req->file.len);
    job->job.password[req->file.len] = '\0';
    admin_user_job_submit(self, job);
}

static void lock_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    const char *name = self->cur.env->admin->args[0];
    user_record *u = user_table_get(self->users, name);
    if (!answer->found || !u) {
        admin_refuse(self, &self->cur, "user", _("no such user"));
        return;
    }
    u->locked = self->user_lock;
    size_t ended = u->locked ? end_sessions(self, u->name, "user locked") : 0;
    log_info("user %s %s", u->name, u->locked ? "locked" : "unlocked");
    admin_reply_json(self, &self->cur,
                     json_pack("{s:s, s:b, s:I}", "user", u->name, "locked", u->locked, "sessions_ended",
                               (json_int_t)ended));
}

/* lock-user / unlock-user NAME. */
static void lock_start(admin *self, bool lock)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    if (req->n_args != 1 || !user_table_get(self->users, req->args[0])) {
        admin_refuse(self, &self->cur, "user", req->n_args != 1 ? _("lock-user and unlock-user need NAME")
                                                                : _("no such user"));
        return;
    }
    self->user_lock = lock;
    char *audit = admin_audit_text(self, lock ? "lock_user" : "unlock_user", json_pack("{s:s}", "user", req->args[0]));
    store_call *call = NULL;
    int rc = audit ? store_user_set_send(self->db, req->args[0], lock ? 1 : 0, NULL, audit, &call) : STORE_DOWN;
    free(audit);
    admin_send(self, rc, call, lock_finish);
}

void admin_lock_user(admin *self)
{
    lock_start(self, true);
}

void admin_unlock_user(admin *self)
{
    lock_start(self, false);
}

static void list_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK)
        admin_reply_store_error(self, &self->cur, rc);
    else
        admin_reply_text(self, &self->cur, answer->text);
}

void admin_list_users(admin *self)
{
    store_call *call = NULL;
    int rc = store_users_list_send(self->db, &call);
    admin_send(self, rc, call, list_finish);
}
