/* server.c -- junhengd's sockets and its one event loop. See server.h. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "rules_file.h"
#include "sys_clock.h"
#include "wire.h"

int64_t server_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* Loads keys, registry and newest revisions from the database into memory. */
static int server_load(server *self)
{
    int64_t t0 = server_now_ms();
    if (store_load_keys(self->db, load_key, self) != STORE_OK ||
        store_load_registry(self->db, load_county, load_school, self->reg) != STORE_OK ||
        store_load_latest(self->db, load_revision, self) != STORE_OK) {
        log_error("loading state: %s", store_last_error(self->db));
        return -1;
    }
    if (county_book_load(self->book) != 0) {
        log_error("out of memory building county states");
        return -1;
    }
    log_info("loaded %zu counties, %zu schools, %zu school, %zu monitor and %zu admin keys and the county states "
             "in %lld ms",
             registry_county_count(self->reg), registry_school_count(self->reg), auth_count(self->keys, ROLE_SCHOOL),
             auth_count(self->keys, ROLE_MONITOR), auth_count(self->keys, ROLE_ADMIN),
             (long long)(server_now_ms() - t0));
    if (!self->cfg.allow_plaintext && auth_count(self->keys, ROLE_ADMIN) == 0)
        log_warn("no admin key: set admin_public_keys in the config to administer this daemon");
    return 0;
}

int server_start(server *self, const config *cfg, volatile sig_atomic_t *stop_flag)
{
    memset(self, 0, sizeof *self);
    self->cfg = *cfg;
    self->stop_requested = stop_flag;
    self->started_ms = server_now_ms();
    validate_limits_default(&self->limits);
    self->limits.min_period = cfg->min_period;
    if (cfg->max_period)
        self->limits.max_period = cfg->max_period;

    char err[512];
    if (rules_config_load(&self->rules, cfg->rules_file, err, sizeof err) != RULES_OK) {
        log_error("rules_file: %s", err);
        return -1;
    }
    log_info("rules %s from %s", self->rules.version, cfg->rules_file);
    wire_uuid_new(self->epoch);
    self->db = store_new(cfg->database);
    self->reg = registry_new();
    self->book = self->reg ? county_book_new(&self->rules, self->reg) : NULL;
    self->keys = auth_new();
    if (!self->db || !self->reg || !self->book || !self->keys) {
        log_error("out of memory at start");
        return -1;
    }
    if (server_load_keys(self) != 0)
        return -1;
    if (!store_is_up(self->db)) {
        log_error("database: %s", store_last_error(self->db));
        return -1;
    }
    int applied = 0;
    if (store_migrate(self->db, cfg->migrations_dir, &applied) != STORE_OK) {
        log_error("migrations: %s", store_last_error(self->db));
        return -1;
    }
    log_info("database ready (%d migration%s applied)", applied, applied == 1 ? "" : "s");
    if (ingest_open(self) != 0)
        return -1;
    if (server_load(self) != 0)
        return -1;

    self->zmq_ctx = zmq_ctx_new();
    if (!self->zmq_ctx)
        return -1;
    /* The ZAP handler first: a CURVE server with no handler encrypts but
     * admits every client key. */
    self->zap_sock = cfg->allow_plaintext ? NULL : auth_zap_bind(self->zmq_ctx);
    if (!cfg->allow_plaintext && !self->zap_sock)
        return -1;
    self->submit_sock = server_bind(self, ZMQ_ROUTER, cfg->submit_endpoint, "submit_endpoint");
    self->publish_sock = self->submit_sock ? server_bind(self, ZMQ_XPUB, cfg->publish_endpoint, "publish_endpoint") : NULL;
    self->snapshot_sock =
        self->publish_sock ? server_bind(self, ZMQ_ROUTER, cfg->snapshot_endpoint, "snapshot_endpoint") : NULL;
    self->admin_sock = self->snapshot_sock ? server_bind(self, ZMQ_ROUTER, cfg->admin_endpoint, "admin_endpoint") : NULL;
    if (!self->admin_sock)
        return -1;
    if (cfg->allow_plaintext)
        log_warn("allow_plaintext is yes: sockets are neither encrypted nor authenticated, and every local peer "
                 "has every right (submit for any school, read every county, administer); loopback/ipc only");
    return 0;
}

/* Answers a malformed multipart message with a refusal. */
static void refuse_malformed(server *self, void *sock, const peer_address *peer)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "a request is one frame (after the routing id and an optional empty delimiter)");
    server_reply(self, sock, peer, NULL, 0, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
    self->counters.refused++;
}

/* Drains up to `budget` messages from one ROUTER socket into `handler`. */
static void server_drain(server *self, void *sock,
                         void (*handler)(server *, const peer_address *, const uint8_t *, size_t), int budget)
{
    for (int i = 0; i < budget; i++) {
        /* a full group waits for the one in flight: the rest stays queued */
        if (sock == self->submit_sock && !ingest_accepting(self))
            return;
        peer_address peer;
        uint8_t *data = NULL;
        size_t len = 0;
        int rc = router_read(sock, &peer, &data, &len);
        if (rc == 0)
            return;
        if (rc < 0) {
            if (peer.id_len)
                refuse_malformed(self, sock, &peer);
            continue;
        }
        handler(self, &peer, data, len);
        free(data);
        if (sock == self->submit_sock && self->group_len >= (size_t)self->cfg.batch_max)
            ingest_flush(self);
    }
}

int server_run(server *self)
{
    while (!self->draining) {
        if (*self->stop_requested) {
            log_info("stop requested: finishing the group in flight");
            self->draining = true;
            break;
        }
        /* results that arrived while the previous turn worked (or while the
         * group was being sent) are read before sleeping */
        ingest_poll(self);
        int64_t now = server_now_ms();
        if (!store_is_up(self->db) && now >= self->next_reconnect_ms) {
            self->next_reconnect_ms = now + self->cfg.reconnect_ms;
            if (store_reconnect(self->db) == STORE_OK)
                log_info("database connection restored");
            else
                log_warn("database unavailable: %s", store_last_error(self->db));
        }
        ingest_reconnect(self, now);
        long timeout = ingest_timeout_ms(self, now);
        long until_publish = publish_timeout_ms(self, now);
        if (until_publish < timeout)
            timeout = until_publish;
        /* the submit socket is left unread while the group being filled is
         * full and another is in flight; the commit connection's socket
         * wakes the loop when its results come */
        int pg_fd = ingest_poll_fd(self);
        zmq_pollitem_t items[] = {
            { self->submit_sock, 0, ingest_accepting(self) ? ZMQ_POLLIN : 0, 0 },
            { self->snapshot_sock, 0, ZMQ_POLLIN, 0 },
            { self->admin_sock, 0, ZMQ_POLLIN, 0 },
            { self->publish_sock, 0, ZMQ_POLLIN, 0 },
            { NULL, pg_fd, ZMQ_POLLIN, 0 },
            { self->zap_sock, 0, ZMQ_POLLIN, 0 },
        };
        int n_items = 4;
        if (pg_fd >= 0)
            n_items++;
        else
            items[4] = items[5];
        if (self->zap_sock)
            n_items++;
        int rc = zmq_poll(items, n_items, timeout);
        if (rc < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
            return -1;
        }
        /* Handshakes first: a waiting client is admitted (or refused)
         * before the loop turns to committing. */
        if (self->zap_sock && (items[n_items - 1].revents & ZMQ_POLLIN))
            auth_zap_handle(self);
        if (items[3].revents & ZMQ_POLLIN)
            auth_subscriptions(self);
        /* the group in flight first: answering it frees its senders' places
         * and lets the next group go to PostgreSQL */
        if (pg_fd >= 0 && (items[4].revents & (ZMQ_POLLIN | ZMQ_POLLERR)))
            ingest_poll(self);
        if (items[0].revents & ZMQ_POLLIN)
            server_drain(self, self->submit_sock, ingest_handle, self->cfg.batch_max);
        if (self->group_len > 0 && server_now_ms() >= self->group_deadline_ms)
            ingest_flush(self);
        publish_tick(self);
        if (items[1].revents & ZMQ_POLLIN)
            server_drain(self, self->snapshot_sock, snapshot_handle, 64);
        if (items[2].revents & ZMQ_POLLIN)
            server_drain(self, self->admin_sock, admin_handle, 16);
    }
    /* Drain: finish the group in flight, commit and ack what was already
     * taken in; new work stays queued in the clients, which resend it to the
     * next daemon. */
    ingest_drain(self);
    publish_changed(self);
    log_info("stopped: %llu accepted, %llu duplicate, %llu refused, %llu retry-later",
             (unsigned long long)self->counters.accepted, (unsigned long long)self->counters.duplicate,
             (unsigned long long)self->counters.refused, (unsigned long long)self->counters.retry_later);
    return 0;
}

void server_stop(server *self)
{
    ingest_release(self);
    void **socks[] = { &self->submit_sock, &self->publish_sock, &self->snapshot_sock, &self->admin_sock,
                       &self->zap_sock };
    for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
        if (*socks[i]) {
            zmq_close(*socks[i]);
            *socks[i] = NULL;
        }
    if (self->zmq_ctx) {
        zmq_ctx_term(self->zmq_ctx);
        self->zmq_ctx = NULL;
    }
    publish_history_close(self);
    store_destroy(&self->db);
    county_book_destroy(&self->book);
    registry_destroy(&self->reg);
    auth_destroy(&self->keys);
    key_wipe(self->curve_secret, sizeof self->curve_secret);
}
