/* startup.c -- junhengd's start and stop: the rules, the database (migrated),
 * the key registry, the registry and newest revisions, the sockets (the ZAP
 * handler first) and the modules, each created with what it depends on; and
 * at stop all of it undone in reverse. See server.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "log.h"
#include "rules_file.h"
#include "sys_clock.h"
#include "server.h"
#include "wire.h"
#include "wire_county.h"

/* store_load_registry callbacks. */
static void load_county(void *arg, const county_info *c)
{
    if (registry_put_county(arg, c) != 0)
        log_error("out of memory loading county %s", c->code);
}

static void load_school(void *arg, const school_info *s)
{
    if (registry_put_school(arg, s) != 0)
        log_error("out of memory loading school %s", s->school_code);
}

/* store_load_latest callback: keeps the newest revision of each school. */
static void load_revision(void *arg, const char *school_code, int32_t period, int64_t revision,
                          const uint8_t *payload, size_t len)
{
    server *self = arg;
    school_record *rec = registry_school(self->reg, school_code);
    submission sub;
    if (!rec || wire_submission_unpack(payload, len, &sub) != 0) {
        log_warn("revision %lld of %s cannot be loaded (unknown school or undecodable)", (long long)revision,
                 school_code);
        return;
    }
    if (school_record_set_latest(rec, period, revision, &sub) < 0)
        log_error("out of memory loading revision %lld", (long long)revision);
    submission_clear(&sub);
}

/* store_load_keys callback: one key of the registry into memory. */
static void load_key(void *arg, const store_key_row *row)
{
    server *self = arg;
    int role = key_role_parse(row->role);
    const auth_key *have = auth_lookup(self->keys, row->public_key);
    if (have && have->from_config)
        return; /* admin_public_keys wins over the table */
    if (role < 0 || auth_put(self->keys, row->public_key, (key_role)role, row->subject, row->revoked, false) != 0)
        log_error("key %s not loaded (role '%s' or out of memory)", row->public_key, row->role);
    else
        auth_set_review(self->keys, row->public_key, row->may_review);
}

/* store_load_users callback: one web user into memory. */
static void load_user(void *arg, const store_user_row *row)
{
    server *self = arg;
    int role = key_role_parse(row->role);
    user_record u = { .role = (key_role)role, .may_review = row->may_review, .locked = row->locked };
    snprintf(u.name, sizeof u.name, "%s", row->name);
    snprintf(u.scope, sizeof u.scope, "%s", row->scope);
    snprintf(u.hash, sizeof u.hash, "%s", row->password_hash);
    if (role < 0 || user_table_put(self->users, &u) != 0)
        log_error("user %s not loaded (role '%s' or out of memory)", row->name, row->role);
}

/* store_load_county_inputs callback: merges one county-inputs revision (in
 * revision order) into the county book. */
static void load_county_inputs(void *arg, const char *county_code, int32_t period, int64_t revision,
                               const uint8_t *payload, size_t len)
{
    server *self = arg;
    char sid[SUBMISSION_ID_LEN + 1];
    county_inputs_revision rev;
    if (wire_county_inputs_unpack(payload, len, county_book_rules(self->book), sid, &rev) != 0) {
        log_warn("county-inputs revision %lld of %s cannot be loaded (undecodable, or refused by the rules in "
                 "force)",
                 (long long)revision, county_code);
        return;
    }
    if (county_book_county_inputs(self->book, county_code, period, revision, &rev.inputs, false) != 0)
        log_error("county-inputs revision %lld of %s not loaded (unknown county or out of memory)",
                  (long long)revision, county_code);
    review_load_county_inputs(self, county_code, period, revision, &rev.inputs);
    county_inputs_clear(&rev.inputs);
}

/* store_load_plans callback: one plan revision (in revision order) put in
 * force in the county book. */
static void load_plan(void *arg, const store_plan_row *row)
{
    server *self = arg;
    plan_row p;
    plan_row_init(&p);
    snprintf(p.county_code, sizeof p.county_code, "%s", row->county_code);
    p.period = row->period;
    p.revision = row->revision;
    snprintf(p.imported_at, sizeof p.imported_at, "%s", row->imported_at);
    if (plan_row_from_json(row->figures_json, &p) != 0 || county_book_plan_put(self->book, &p, 1, false) != 0)
        log_error("plan revision %lld of %s not loaded (unreadable or out of memory)", (long long)row->revision,
                  row->county_code);
}

/* Reads the daemon's keypair and the bootstrap admin keys (config). Returns
 * 0, or -1 after logging why. */
static int server_load_keys(server *self)
{
    char err[1024];
    int admins = auth_add_config_admins(self->keys, self->cfg.admin_public_keys, err, sizeof err);
    if (admins < 0) {
        log_error("%s", err);
        return -1;
    }
    if (self->cfg.allow_plaintext)
        return 0;
    keypair kp;
    if (keyfile_read(self->cfg.secret_key_file, true, &kp, err, sizeof err) != 0) {
        log_error("secret_key_file: %s (make a keypair with: junheng keygen NAME)", err);
        return -1;
    }
    char derived[KEY_Z85_LEN + 1];
    if (zmq_curve_public(derived, kp.secret_key) != 0 || strcmp(derived, kp.public_key) != 0) {
        log_error("secret_key_file %s: its public-key is not the public half of its secret-key",
                  self->cfg.secret_key_file);
        key_wipe(&kp, sizeof kp);
        return -1;
    }
    memcpy(self->curve_public, kp.public_key, sizeof self->curve_public);
    memcpy(self->curve_secret, kp.secret_key, sizeof self->curve_secret);
    key_wipe(&kp, sizeof kp);
    log_info("daemon public key %s (clients give its .key file as --server-key); %d admin key%s from the config",
             self->curve_public, admins, admins == 1 ? "" : "s");
    return 0;
}

/* Loads keys, registry and newest revisions from the database into memory,
 * builds the county book and merges every county-inputs revision into it
 * (all before statement_timeout applies). */
static int server_load(server *self)
{
    int64_t t0 = net_now_ms();
    if (store_load_keys(self->db, load_key, self) != STORE_OK ||
        store_load_users(self->db, load_user, self) != STORE_OK ||
        store_load_registry(self->db, load_county, load_school, self->reg) != STORE_OK ||
        store_load_latest(self->db, load_revision, self) != STORE_OK ||
        (self->revisions_at_start = store_count_revisions(self->db)) < 0) {
        log_error("loading state: %s", store_last_error(self->db));
        return -1;
    }
    if (review_load(self) != 0)
        return -1;
    if (county_book_load(self->book) != 0) {
        log_error("out of memory building county states");
        return -1;
    }
    if (store_load_county_inputs(self->db, load_county_inputs, self) != STORE_OK) {
        log_error("loading county inputs: %s", store_last_error(self->db));
        return -1;
    }
    if (review_load_seals(self) != 0)
        return -1;
    if (store_load_plans(self->db, load_plan, self) != STORE_OK) {
        log_error("loading the plan: %s", store_last_error(self->db));
        return -1;
    }
    if (store_set_statement_timeout(self->db, self->cfg.statement_timeout_ms) != STORE_OK) {
        log_error("statement_timeout_ms: %s", store_last_error(self->db));
        return -1;
    }
    log_info("loaded %zu counties, %zu schools, %zu school, %zu monitor, %zu county and %zu admin keys, %zu web "
             "users and the county states in %lld ms",
             registry_county_count(self->reg), registry_school_count(self->reg), auth_count(self->keys, ROLE_SCHOOL),
             auth_count(self->keys, ROLE_MONITOR), auth_count(self->keys, ROLE_COUNTY),
             auth_count(self->keys, ROLE_ADMIN), user_table_count(self->users),
             (long long)(net_now_ms() - t0));
    if (!self->cfg.allow_plaintext && auth_count(self->keys, ROLE_ADMIN) == 0)
        log_warn("no admin key: set admin_public_keys in the config to administer this daemon");
    return 0;
}

/* The rules, the registry, the county book, the key registry, the lease
 * (waiting as a standby) and the main connection (migrated). Returns 0, 1
 * when a stop was requested while standing by, or -1 after logging why. */
static int open_state(server *self)
{
    char err[512];
    if (rules_config_load(&self->rules, self->cfg.rules_file, err, sizeof err) != RULES_OK) {
        log_error("rules_file: %s", err);
        return -1;
    }
    log_info("rules %s from %s", self->rules.version, self->cfg.rules_file);
    self->reg = registry_new();
    self->book = self->reg ? county_book_new(&self->rules, self->reg) : NULL;
    self->keys = auth_new();
    self->lease = lease_new(&self->cfg);
    self->users = user_table_new();
    self->sessions = sessions_new(self->cfg.session_idle_timeout_s, self->cfg.session_max_age_s);
    if (!self->reg || !self->book || !self->keys || !self->lease || !self->users || !self->sessions) {
        log_error("out of memory at start");
        return -1;
    }
    self->policy = (auth_policy){ self->keys, self->cfg.allow_plaintext, self->sessions };
    if (server_load_keys(self) != 0)
        return -1;
    /* the lease before the database is read: a standby waits here, its
     * sockets not bound */
    int standing_by = lease_acquire(self->lease, self->stop_requested);
    if (standing_by != 0)
        return standing_by;
    /* no statement_timeout while migrating and loading (a national registry,
     * every newest revision): set once loaded (server_load) */
    self->db = store_new(self->cfg.database, 0);
    if (!self->db) {
        log_error("out of memory at start");
        return -1;
    }
    if (!store_is_up(self->db)) {
        log_error("database: %s", store_last_error(self->db));
        return -1;
    }
    int applied = 0;
    if (store_migrate(self->db, self->cfg.migrations_dir, &applied) != STORE_OK) {
        log_error("migrations: %s", store_last_error(self->db));
        return -1;
    }
    log_info("database ready (%d migration%s applied)", applied, applied == 1 ? "" : "s");
    return 0;
}

/* The ZAP handler, then the four endpoints. Returns 0, or -1 after logging
 * why. */
static int bind_sockets(server *self)
{
    const config *cfg = &self->cfg;
    self->zmq_ctx = zmq_ctx_new();
    if (!self->zmq_ctx)
        return -1;
    /* The ZAP handler first: a CURVE server with no handler encrypts but
     * admits every client key. */
    self->zap_sock = cfg->allow_plaintext ? NULL : auth_zap_bind(self->zmq_ctx);
    if (!cfg->allow_plaintext && !self->zap_sock)
        return -1;
    net_bind_options opts = { cfg->allow_plaintext, self->curve_secret, NULL };
    net_bind_options pub_opts = { cfg->allow_plaintext, self->curve_secret, publish_prepare_socket };
    self->submit_sock = net_bind(self->zmq_ctx, ZMQ_ROUTER, cfg->submit_endpoint, "submit_endpoint", &opts);
    self->publish_sock =
        self->submit_sock ? net_bind(self->zmq_ctx, ZMQ_XPUB, cfg->publish_endpoint, "publish_endpoint", &pub_opts)
                          : NULL;
    self->snapshot_sock =
        self->publish_sock ? net_bind(self->zmq_ctx, ZMQ_ROUTER, cfg->snapshot_endpoint, "snapshot_endpoint", &opts)
                           : NULL;
    self->admin_sock =
        self->snapshot_sock ? net_bind(self->zmq_ctx, ZMQ_ROUTER, cfg->admin_endpoint, "admin_endpoint", &opts) : NULL;
    if (!self->admin_sock)
        return -1;
    /* the subscribers, counted for the metrics (without it, not counted) */
    self->publish_monitor = net_monitor_open(self->zmq_ctx, self->publish_sock, "inproc://junheng-publish-monitor");
    if (cfg->allow_plaintext)
        log_warn("allow_plaintext is yes: sockets are neither encrypted nor authenticated, and every local peer "
                 "has every right (submit for any school, read every county, administer); loopback/ipc only");
    return 0;
}

/* The publisher and the admin handler, over the sockets and the state. */
static int create_outputs(server *self)
{
    publisher_deps pd = { .cfg = &self->cfg,
                          .book = self->book,
                          .reg = self->reg,
                          .epoch = self->epoch,
                          .rules_version = self->rules.version,
                          .pub_sock = self->publish_sock,
                          .snapshot_sock = self->snapshot_sock,
                          .policy = &self->policy,
                          .counters = &self->counters };
    self->pub = publisher_new(&pd);
    if (!self->pub) {
        log_error("out of memory at start");
        return -1;
    }
    admin_deps ad = { .cfg = &self->cfg,
                      .db = self->db,
                      .reg = self->reg,
                      .book = self->book,
                      .keys = self->keys,
                      .policy = &self->policy,
                      .curve_public = self->curve_public,
                      .reply_sock = self->admin_sock,
                      .counters = &self->counters,
                      .pub = self->pub,
                      .started_ms = self->started_ms,
                      .revisions_at_start = self->revisions_at_start,
                      .review = self->review,
                      .review_actions = self->review_actions,
                      .limits = &self->limits,
                      .users = self->users,
                      .sessions = self->sessions };
    self->adm = admin_new(&ad);
    if (!self->adm)
        return -1;
    return 0;
}

int server_start(server *self, const config *cfg, volatile sig_atomic_t *stop_flag)
{
    memset(self, 0, sizeof *self);
    self->cfg = *cfg;
    self->stop_requested = stop_flag;
    self->started_ms = net_now_ms();
    validate_limits_default(&self->limits);
    self->limits.min_period = cfg->min_period;
    if (cfg->max_period)
        self->limits.max_period = cfg->max_period;
    wire_uuid_new(self->epoch);
    int opened = open_state(self);
    if (opened != 0)
        return opened;
    /* the ingest answers on the submit socket: created once it is bound */
    if (server_load(self) != 0 || bind_sockets(self) != 0)
        return -1;
    ingest_deps id = { .cfg = &self->cfg,
                       .limits = &self->limits,
                       .reg = self->reg,
                       .book = self->book,
                       .policy = &self->policy,
                       .review = self->review,
                       .reply_sock = self->submit_sock,
                       .counters = &self->counters };
    self->in = ingest_new(&id);
    if (!self->in)
        return -1;
    if (create_outputs(self) != 0)
        return -1;
    /* last: /healthz answers "ready" only for a daemon that has loaded its state */
    return server_metrics_start(self);
}

void server_stop(server *self)
{
    metrics_destroy(&self->mon);
    ingest_destroy(&self->in);
    admin_destroy(&self->adm);
    void **socks[] = { &self->submit_sock, &self->publish_sock, &self->snapshot_sock, &self->admin_sock,
                       &self->publish_monitor, &self->zap_sock };
    for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
        if (*socks[i]) {
            zmq_close(*socks[i]);
            *socks[i] = NULL;
        }
    if (self->zmq_ctx) {
        zmq_ctx_term(self->zmq_ctx);
        self->zmq_ctx = NULL;
    }
    publisher_destroy(&self->pub);
    store_destroy(&self->db);
    county_book_destroy(&self->book);
    review_load_free(self);
    registry_destroy(&self->reg);
    auth_destroy(&self->keys);
    sessions_destroy(&self->sessions);
    user_table_destroy(&self->users);
    key_wipe(self->curve_secret, sizeof self->curve_secret);
    /* last: the lock is released once nothing of this daemon writes */
    lease_destroy(&self->lease);
}
