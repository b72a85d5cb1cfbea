/* admin.c -- requests on the admin socket (admin keys only; review
 * requests, admin_review.c, from any key within its rights): the dispatch,
 * the queue of requests waiting for the database, ping, stats and the
 * quarantine list. Imports are admin_registry.c, key changes admin_keys.c.
 * See admin.h.
 *
 * Nothing here waits on PostgreSQL: ping and stats are answered from
 * memory; every other request's statements are sent on the admin
 * connection without waiting, and the reply goes out when the event loop
 * finds the result in (admin_poll). While one is in flight the next wait in
 * order, at most ADMIN_QUEUE_MAX; one PostgreSQL leaves unanswered for
 * commit_timeout_ms is answered "retry later" and the connection closed
 * (the loop reopens it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "i18n.h"
#include "i18n_init.h"
#include "log.h"

/* What a client reads when the database cannot answer now. */
#define RETRY_LATER_TEXT N_("retry later")

admin *admin_new(const admin_deps *deps)
{
    admin *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = deps->cfg;
    self->db = deps->db;
    self->reg = deps->reg;
    self->book = deps->book;
    self->keys = deps->keys;
    self->policy = deps->policy;
    self->curve_public = deps->curve_public;
    self->admin_sock = deps->reply_sock;
    self->counters = deps->counters;
    self->pub = deps->pub;
    self->started_ms = deps->started_ms;
    self->revisions_at_start = deps->revisions_at_start;
    self->next_retention_ms = net_now_ms() + ADMIN_RETENTION_FIRST_MS;
    self->review = deps->review;
    self->review_actions = deps->review_actions;
    self->limits = deps->limits;
    self->users = deps->users;
    self->sessions = deps->sessions;
    self->limit = login_limit_new(self->cfg->login_max_failures, self->cfg->login_failure_window_s,
                                  self->cfg->login_lockout_s);
    self->worker = self->limit ? pwhash_worker_new(ADMIN_LOGINS_MAX) : NULL;
    if (!self->worker) {
        log_error("admin: the password worker could not start");
        login_limit_destroy(&self->limit);
        free(self);
        return NULL;
    }
    return self;
}

/* pwhash_worker_destroy's drop: a job never finished (the daemon stops). */
static void drop_job(pwhash_job *job)
{
    admin_user_job_free((admin_user_job *)job);
}

/* Frees the request in flight's envelope and data, and forgets it. */
static void admin_request_done(admin *self)
{
    if (self->cur.env)
        junheng__envelope__free_unpacked(self->cur.env, NULL);
    admin_user_job_free(self->cur.job);
    free(self->counties);
    free(self->schools);
    free(self->bound);
    free(self->plans);
    self->plans = NULL;
    self->n_plans = 0;
    self->counties = NULL;
    self->schools = NULL;
    self->bound = NULL;
    self->n_rows = self->n_bound = 0;
    admin_review_done(self);
    self->finish = NULL;
    self->retention = false;
    memset(&self->cur, 0, sizeof self->cur);
}


void admin_reply_problems(admin *self, const admin_request *r, Junheng__ReplyStatus status,
                          const problem_list *errs)
{
    const Junheng__Envelope *env = r->env;
    net_reply(self->admin_sock, &r->peer, env && env->has_request_id ? env->request_id.data : NULL,
              env && env->has_request_id ? env->request_id.len : 0, status, 0, errs, NULL, NULL);
}

/* Answers r with status and one problem (an internal request, which has
 * no peer: logged). */
static void admin_reply_one(admin *self, const admin_request *r, Junheng__ReplyStatus status, const char *field,
                            const char *reason)
{
    if (r->peer.id_len == 0) {
        log_warn("%s not done: %s", r->env ? r->env->admin->command : "admin request", reason);
        return;
    }
    problem_list errs = { 0 };
    problem_list_add(&errs, field, "%s", reason);
    admin_reply_problems(self, r, status, &errs);
    problem_list_clear(&errs);
}

void admin_refuse(admin *self, const admin_request *r, const char *field, const char *reason)
{
    admin_reply_one(self, r, JUNHENG__REPLY_STATUS__REFUSED, field, reason);
}

void admin_reply_status_text(admin *self, const admin_request *r, Junheng__ReplyStatus status, const char *text)
{
    net_reply(self->admin_sock, &r->peer, r->env->request_id.data, r->env->request_id.len, status, 0, NULL, NULL,
              text);
}

void admin_reply_text(admin *self, const admin_request *r, const char *text)
{
    net_reply(self->admin_sock, &r->peer, r->env->request_id.data, r->env->request_id.len,
              JUNHENG__REPLY_STATUS__OK, 0, NULL, NULL, text);
}

void admin_reply_json(admin *self, const admin_request *r, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        admin_reply_one(self, r, JUNHENG__REPLY_STATUS__RETRY_LATER, "", _("server out of memory"));
        return;
    }
    admin_reply_text(self, r, text);
    free(text);
}

void admin_reply_store_error(admin *self, const admin_request *r, int rc)
{
    char reason[640];
    if (rc == STORE_DOWN)
        snprintf(reason, sizeof reason, "%.500s; %s", store_last_error(self->db), _(RETRY_LATER_TEXT));
    else
        snprintf(reason, sizeof reason, "%.500s", store_last_error(self->db));
    admin_reply_one(self, r,
                    rc == STORE_DOWN ? JUNHENG__REPLY_STATUS__RETRY_LATER : JUNHENG__REPLY_STATUS__REFUSED, "",
                    reason);
}

void admin_send(admin *self, int rc, store_call *call, admin_finish_fn finish)
{
    if (rc != STORE_OK || !call) {
        admin_reply_store_error(self, &self->cur, rc == STORE_OK ? STORE_DOWN : rc);
        return;
    }
    self->call = call;
    self->finish = finish;
    self->sent_ms = net_now_ms();
}

/* Whether the admin connection is up (one the server closed while idle is
 * noticed; a request in flight says nothing new). */
static bool admin_db_up(admin *self)
{
    return self->call ? store_is_up(self->db) : store_check(self->db);
}

/* stats: counters from memory; revisions_stored is the count at start plus
 * the revisions committed since (never a query). */
static void admin_stats(admin *self, const admin_request *r)
{
    const net_counters *c = self->counters;
    json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "version", "0.1.0",
                          "database_up", admin_db_up(self), "uptime_s",
                          (json_int_t)((net_now_ms() - self->started_ms) / 1000), "schools",
                          (json_int_t)registry_school_count(self->reg), "counties",
                          (json_int_t)registry_county_count(self->reg), "received", (json_int_t)c->received,
                          "accepted", (json_int_t)c->accepted, "duplicate", (json_int_t)c->duplicate, "refused",
                          (json_int_t)c->refused, "retry_later", (json_int_t)c->retry_later, "groups_committed",
                          (json_int_t)c->groups_committed, "store_failures", (json_int_t)c->store_failures);
    if (o) {
        json_object_set_new(o, "revisions_stored",
                            json_integer((json_int_t)(self->revisions_at_start + (int64_t)c->accepted)));
        json_object_set_new(o, "county_inputs_accepted", json_integer((json_int_t)c->county_inputs_accepted));
        json_object_set_new(o, "connections_refused", json_integer((json_int_t)c->zap_denied));
        json_object_set_new(o, "refused_by_key", json_integer((json_int_t)c->auth_refused));
        json_object_set_new(o, "plaintext", json_boolean(self->cfg->allow_plaintext));
        json_object_set_new(o, "web_users", json_integer((json_int_t)user_table_count(self->users)));
        json_object_set_new(o, "web_sessions", json_integer((json_int_t)sessions_count(self->sessions)));
        json_object_set_new(o, "admin_queued", json_integer((json_int_t)(self->q_len + (self->call && !self->retention ? 1 : 0))));
        publish_counts pc;
        publisher_counts(self->pub, &pc);
        json_object_set_new(o, "publications", json_integer((json_int_t)pc.publications));
        json_object_set_new(o, "history_stored", json_integer((json_int_t)pc.history_stored));
        json_object_set_new(o, "history_queued", json_integer((json_int_t)pc.history_queued));
        json_object_set_new(o, "history_dropped", json_integer((json_int_t)pc.history_dropped));
    }
    admin_reply_json(self, r, o);
}

static void rejected_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK)
        admin_reply_store_error(self, &self->cur, rc);
    else
        admin_reply_text(self, &self->cur, answer->text);
}

static void admin_rejected(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    store_call *call;
    int rc = store_quarantine_send(self->db, req->n_args > 0 ? req->args[0] : "", 1000, &call);
    admin_send(self, rc, call, rejected_finish);
}

/* The commands answered through the database, and their starts. */
static const struct {
    const char *name;
    void (*start)(admin *self);
} DB_COMMANDS[] = {
    { "import-counties", admin_import_counties },
    { "import-schools", admin_import_schools },
    { "import-plan", admin_import_plan },
    { "rejected", admin_rejected },
    { "set-key", admin_set_key },
    { "revoke-key", admin_revoke_key },
    { "keys", admin_list_keys },
    { "period-open", admin_period_open },
    { "period-close", admin_period_close },
    { "period-reopen", admin_period_reopen },
    { "periods", admin_periods },
    { "package-reopen", admin_package_reopen },
    { "lock-user", admin_lock_user },
    { "unlock-user", admin_unlock_user },
    { "list-users", admin_list_users },
    { ADMIN_RELOAD_KEYS, admin_reload_keys_start }, /* internal (SIGHUP): admin_reload_keys */
};

/* What a request is, for the log: the admin command or the review action. */
static const char *request_name(const Junheng__Envelope *env)
{
    if (env->body_case == JUNHENG__ENVELOPE__BODY_REVIEW)
        return env->review->action ? env->review->action : "review";
    if (env->body_case == JUNHENG__ENVELOPE__BODY_SESSION_REQUEST)
        return env->session_request->action ? env->session_request->action : "session";
    return env->admin->command;
}

/* The start of a database command, or NULL. */
static void (*db_command(const char *name))(admin *self)
{
    for (size_t i = 0; i < sizeof DB_COMMANDS / sizeof DB_COMMANDS[0]; i++)
        if (strcmp(DB_COMMANDS[i].name, name) == 0)
            return DB_COMMANDS[i].start;
    return NULL;
}

/* Starts waiting requests, oldest first, while nothing is in flight. One
 * that waited past commit_timeout_ms is answered "retry later". */
static void admin_pump(admin *self, int64_t now)
{
    while (!self->call && self->q_len > 0) {
        self->cur = self->queue[self->q_head];
        memset(&self->queue[self->q_head], 0, sizeof self->queue[0]);
        self->q_head = (self->q_head + 1) % ADMIN_QUEUE_MAX;
        self->q_len--;
        int timeout = self->cfg->commit_timeout_ms;
        locale_t lang = i18n_use(self->cur.env->lang); /* the answer in the request's language */
        if (timeout > 0 && now - self->cur.received_ms >= timeout)
            admin_reply_one(self, &self->cur, JUNHENG__REPLY_STATUS__RETRY_LATER, "",
                            _("the database is slow to answer: retry later"));
        else if (self->cur.job)
            self->cur.job->start(self);
        else if (self->cur.env->body_case == JUNHENG__ENVELOPE__BODY_REVIEW)
            admin_review_start(self);
        else
            db_command(self->cur.env->admin->command)(self);
        i18n_restore(lang);
        if (!self->call)
            admin_request_done(self);
    }
    admin_retention_start(self, now);
}

/* Queues a database request (env and job taken). Full queue: "retry later". */
static void admin_enqueue_request(admin *self, const peer_address *peer, Junheng__Envelope *env,
                                  admin_user_job *job)
{
    admin_request r = { *peer, env, net_now_ms(), job };
    if (self->q_len == ADMIN_QUEUE_MAX) {
        log_warn("admin %.32s: %d requests already wait for the database", request_name(env), ADMIN_QUEUE_MAX);
        admin_reply_one(self, &r, JUNHENG__REPLY_STATUS__RETRY_LATER, "",
                        _("too many admin requests wait for the database: retry later"));
        junheng__envelope__free_unpacked(env, NULL);
        admin_user_job_free(job);
        return;
    }
    self->queue[(self->q_head + self->q_len) % ADMIN_QUEUE_MAX] = r;
    self->q_len++;
    admin_pump(self, r.received_ms);
}

/* Queues a database request (env taken). */
static void admin_enqueue(admin *self, const peer_address *peer, Junheng__Envelope *env)
{
    admin_enqueue_request(self, peer, env, NULL);
}

/* Queues a review request (env taken) as the user of its session, if it
 * has one; a session that has ended is refused at once. */
static void admin_enqueue_session(admin *self, const peer_address *peer, Junheng__Envelope *env)
{
    peer_address as = *peer;
    char why[160];
    if (!auth_peer_session(self->policy, &as, env->session, why, sizeof why)) {
        admin_request r = { *peer, env, 0, NULL };
        admin_refuse(self, &r, "session", why);
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    admin_enqueue(self, &as, env);
}

void admin_enqueue_job(admin *self, admin_user_job *job)
{
    Junheng__Envelope *env = job->env;
    job->env = NULL;
    admin_enqueue_request(self, &job->peer, env, job);
}

void admin_destroy(admin **p)
{
    admin *self = *p;
    if (!self)
        return;
    /* the one in flight (its outcome unknown) and those waiting: retry later */
    if (self->call) {
        store_call_abandon(self->db, &self->call, "the daemon is stopping");
        if (self->retention)
            admin_retention_given_up(self, 0);
        else
            admin_reply_one(self, &self->cur, JUNHENG__REPLY_STATUS__RETRY_LATER, "",
                            _("the daemon is stopping: retry later"));
        admin_request_done(self);
    }
    for (; self->q_len > 0; self->q_len--) {
        admin_request *r = &self->queue[self->q_head];
        admin_reply_one(self, r, JUNHENG__REPLY_STATUS__RETRY_LATER, "", _("the daemon is stopping: retry later"));
        junheng__envelope__free_unpacked(r->env, NULL);
        admin_user_job_free(r->job);
        self->q_head = (self->q_head + 1) % ADMIN_QUEUE_MAX;
    }
    pwhash_worker_destroy(&self->worker, drop_job);
    login_limit_destroy(&self->limit);
    free(self);
    *p = NULL;
}

void admin_handle(admin *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    admin_request r = { *peer, junheng__envelope__unpack(NULL, len, data), 0 };
    Junheng__Envelope *env = r.env;
    locale_t lang = i18n_use(env ? env->lang : NULL); /* the answer in the request's language */
    if (env && env->body_case == JUNHENG__ENVELOPE__BODY_REVIEW && env->review) {
        /* any role: the rights are checked per action when it starts */
        admin_enqueue_session(self, peer, env);
        i18n_restore(lang);
        return;
    }
    if (env && env->body_case == JUNHENG__ENVELOPE__BODY_SESSION_REQUEST && env->session_request) {
        admin_session_request(self, peer, env);
        i18n_restore(lang);
        return;
    }
    if (env && env->body_case == JUNHENG__ENVELOPE__BODY_WHATIF && env->whatif) {
        /* from memory, at once (admin_whatif.c): the rights (the session's user's, if any) are checked there */
        char why[160];
        if (!auth_peer_session(self->policy, &r.peer, env->session, why, sizeof why))
            admin_refuse(self, &r, "session", why);
        else
            admin_whatif(self, &r);
        junheng__envelope__free_unpacked(env, NULL);
        i18n_restore(lang);
        return;
    }
    if (!env || env->body_case != JUNHENG__ENVELOPE__BODY_ADMIN || !env->admin->command) {
        admin_refuse(self, &r, "", _("not an admin request"));
        if (env)
            junheng__envelope__free_unpacked(env, NULL);
        i18n_restore(lang);
        return;
    }
    const char *cmd = env->admin->command;
    char why[256], reason[128];
    peer_address as = *peer;
    if (!auth_peer_session(self->policy, &as, env->session, why, sizeof why)) {
        admin_refuse(self, &r, "session", why);
    } else if (!auth_may_admin(self->policy, &as, why, sizeof why)) {
        self->counters->auth_refused++;
        log_info("admin %.32s refused: %s", cmd, why);
        admin_refuse(self, &r, "", why);
    } else if (db_command(cmd) && strcmp(cmd, ADMIN_RELOAD_KEYS) != 0) {
        admin_enqueue(self, &as, env);
        i18n_restore(lang);
        return; /* the queue owns env */
    } else if (strcmp(cmd, "add-user") == 0 || strcmp(cmd, "reset-password") == 0) {
        admin_user_hash_command(self, &as, env);
        i18n_restore(lang);
        return; /* taken */
    } else if (strcmp(cmd, "ping") == 0) {
        admin_reply_json(self, &r, json_pack("{s:s, s:b}", "pong", "junhengd", "database_up", admin_db_up(self)));
    } else if (strcmp(cmd, "stats") == 0) {
        admin_stats(self, &r);
    } else {
        snprintf(reason, sizeof reason, _("unknown admin command '%.64s'"), cmd);
        admin_refuse(self, &r, "command", reason);
    }
    junheng__envelope__free_unpacked(env, NULL);
    i18n_restore(lang);
}

void admin_reload_keys(admin *self)
{
    /* an envelope of its own (packed and unpacked: freed like a peer's) */
    Junheng__AdminRequest req = JUNHENG__ADMIN_REQUEST__INIT;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    req.command = (char *)ADMIN_RELOAD_KEYS;
    env.body_case = JUNHENG__ENVELOPE__BODY_ADMIN;
    env.admin = &req;
    size_t len = junheng__envelope__get_packed_size(&env);
    uint8_t *buf = malloc(len ? len : 1);
    Junheng__Envelope *own = buf ? junheng__envelope__unpack(NULL, junheng__envelope__pack(&env, buf), buf) : NULL;
    free(buf);
    if (!own) {
        log_error("key reload not started: out of memory");
        return;
    }
    admin_enqueue(self, &(peer_address){ .id_len = 0 }, own);
}

/* Every reconnect_ms while no request is in flight: notices a connection
 * the server closed, and reopens one that is down. */
static void admin_reconnect(admin *self, int64_t now)
{
    if (self->call || now < self->next_check_ms)
        return;
    self->next_check_ms = now + self->cfg->reconnect_ms;
    if (store_check(self->db))
        return;
    if (store_reconnect(self->db) == STORE_OK)
        log_info("database connection restored");
    else
        log_warn("database unavailable: %s", store_last_error(self->db));
}

void admin_poll(admin *self, int64_t now)
{
    admin_reconnect(self, now);
    if (self->call && store_call_ready(self->db, self->call)) {
        store_answer answer;
        int rc = store_call_finish(self->db, &self->call, &answer);
        locale_t lang = i18n_use(self->cur.env ? self->cur.env->lang : NULL);
        self->finish(self, rc, &answer);
        i18n_restore(lang);
        store_answer_clear(&answer);
        admin_request_done(self);
    } else if (self->call && self->cfg->commit_timeout_ms > 0 && now - self->sent_ms >= self->cfg->commit_timeout_ms) {
        char why[160];
        snprintf(why, sizeof why, "no answer from PostgreSQL in %d ms", self->cfg->commit_timeout_ms);
        log_error("admin %.32s given up: %s; connection closed",
                  self->retention ? "retention" : request_name(self->cur.env), why);
        store_call_abandon(self->db, &self->call, why);
        if (self->retention) {
            admin_retention_given_up(self, now);
            admin_request_done(self);
            admin_pump(self, now);
            return;
        }
        locale_t lang = i18n_use(self->cur.env ? self->cur.env->lang : NULL);
        snprintf(why, sizeof why, _("the database did not answer in %d ms: %s"), self->cfg->commit_timeout_ms,
                 _(RETRY_LATER_TEXT));
        admin_reply_one(self, &self->cur, JUNHENG__REPLY_STATUS__RETRY_LATER, "", why);
        i18n_restore(lang);
        admin_request_done(self);
    }
    admin_pump(self, now);
}

int admin_users_fd(const admin *self)
{
    return pwhash_worker_fd(self->worker);
}

int admin_poll_fd(admin *self, bool *write)
{
    *write = self->call && store_call_wants_write(self->call);
    return self->call ? store_socket(self->db) : -1;
}

long admin_timeout_ms(const admin *self, int64_t now)
{
    if (!self->call || self->cfg->commit_timeout_ms <= 0)
        return 1000;
    int64_t left = self->sent_ms + self->cfg->commit_timeout_ms - now;
    return left < 0 ? 0 : left > 1000 ? 1000 : (long)left;
}
