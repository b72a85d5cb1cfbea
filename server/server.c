/* server.c -- junhengd's sockets and its one event loop. See server.h. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "wire.h"

int64_t server_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Creates a socket of `type`, sets the options every junheng socket shares,
 * and binds it. Returns the socket or NULL after logging why. */
static void *server_bind(server *self, int type, const char *endpoint, const char *key)
{
    void *s = zmq_socket(self->zmq_ctx, type);
    if (!s) {
        log_error("%s: zmq_socket: %s", key, zmq_strerror(zmq_errno()));
        return NULL;
    }
    int64_t maxmsg = WIRE_MAX_MESSAGE;
    int linger = 200, one = 1;
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (type == ZMQ_ROUTER)
        zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    if (type == ZMQ_PUB && publish_prepare_socket(s) != 0) {
        zmq_close(s);
        return NULL;
    }
    if (zmq_bind(s, endpoint) != 0) {
        log_error("%s: cannot bind %s: %s", key, endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    log_info("%s bound to %s", key, endpoint);
    return s;
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

/* Loads registry and newest revisions from the database into memory. */
static int server_load(server *self)
{
    int64_t t0 = server_now_ms();
    if (store_load_registry(self->db, load_county, load_school, self->reg) != STORE_OK ||
        store_load_latest(self->db, load_revision, self) != STORE_OK) {
        log_error("loading state: %s", store_last_error(self->db));
        return -1;
    }
    if (county_book_load(self->book) != 0) {
        log_error("out of memory building county states");
        return -1;
    }
    log_info("loaded %zu counties, %zu schools and their county states in %lld ms",
             registry_county_count(self->reg), registry_school_count(self->reg),
             (long long)(server_now_ms() - t0));
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
    if (!self->db || !self->reg || !self->book) {
        log_error("out of memory at start");
        return -1;
    }
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
    if (server_load(self) != 0)
        return -1;

    self->zmq_ctx = zmq_ctx_new();
    if (!self->zmq_ctx)
        return -1;
    self->submit_sock = server_bind(self, ZMQ_ROUTER, cfg->submit_endpoint, "submit_endpoint");
    self->publish_sock = self->submit_sock ? server_bind(self, ZMQ_PUB, cfg->publish_endpoint, "publish_endpoint") : NULL;
    self->snapshot_sock =
        self->publish_sock ? server_bind(self, ZMQ_ROUTER, cfg->snapshot_endpoint, "snapshot_endpoint") : NULL;
    self->admin_sock = self->snapshot_sock ? server_bind(self, ZMQ_ROUTER, cfg->admin_endpoint, "admin_endpoint") : NULL;
    if (!self->admin_sock)
        return -1;
    if (cfg->allow_plaintext)
        log_warn("allow_plaintext is yes: sockets are not encrypted or authenticated (loopback/ipc only)");
    return 0;
}

void server_send_reply(server *self, void *sock, const peer_address *peer, const uint8_t *data, size_t len)
{
    (void)self;
    if (zmq_send(sock, peer->id, peer->id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        (peer->delimiter && zmq_send(sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) ||
        zmq_send(sock, data, len, ZMQ_DONTWAIT) < 0) {
        /* The peer is gone or not reading: it will send again and get
         * "duplicate" with the same revision. */
        log_debug("reply not delivered: %s", zmq_strerror(zmq_errno()));
    }
}

void server_reply(server *self, void *sock, const peer_address *peer, const uint8_t *request_id,
                  size_t request_id_len, Junheng__ReplyStatus status, int64_t revision, const problem_list *errors,
                  const problem_list *warnings, const char *body)
{
    uint8_t *buf;
    size_t len;
    if (wire_reply_pack(request_id, request_id_len, status, revision, errors, warnings, body, &buf, &len) != 0) {
        log_error("out of memory packing a reply");
        return;
    }
    server_send_reply(self, sock, peer, buf, len);
    free(buf);
}

/* Reads one whole multipart message from a ROUTER socket without blocking.
 * Returns 1 with the peer address and a malloc'd payload (caller frees),
 * 0 when nothing is waiting, -1 for a malformed message (consumed, dropped:
 * the peer gets a refusal if its address could be read). */
static int router_read(void *sock, peer_address *peer, uint8_t **data, size_t *len)
{
    zmq_msg_t frames[3];
    int n = 0, more = 1, rc = 1;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&part);
            for (int i = 0; i < n; i++)
                zmq_msg_close(&frames[i]);
            return zmq_errno() == EAGAIN ? 0 : -1;
        }
        more = zmq_msg_more(&part);
        if (n < 3)
            frames[n++] = part;
        else {
            zmq_msg_close(&part);
            rc = -1; /* more frames than any junheng request has */
        }
    }
    memset(peer, 0, sizeof *peer);
    size_t idlen = zmq_msg_size(&frames[0]);
    if (idlen > PEER_ID_MAX)
        idlen = PEER_ID_MAX;
    memcpy(peer->id, zmq_msg_data(&frames[0]), idlen);
    peer->id_len = idlen;
    int body = n - 1;
    if (n == 3 && zmq_msg_size(&frames[1]) == 0)
        peer->delimiter = true;
    else if (n != 2)
        rc = -1;
    if (rc == 1) {
        *len = zmq_msg_size(&frames[body]);
        *data = malloc(*len ? *len : 1);
        if (*data)
            memcpy(*data, zmq_msg_data(&frames[body]), *len);
        else
            rc = -1;
    }
    for (int i = 0; i < n; i++)
        zmq_msg_close(&frames[i]);
    return rc;
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
        int64_t now = server_now_ms();
        if (!store_is_up(self->db) && now >= self->next_reconnect_ms) {
            self->next_reconnect_ms = now + self->cfg.reconnect_ms;
            if (store_reconnect(self->db) == STORE_OK)
                log_info("database connection restored");
            else
                log_warn("database unavailable: %s", store_last_error(self->db));
        }
        long timeout = 1000;
        if (self->group_len > 0)
            timeout = self->group_deadline_ms > now ? (long)(self->group_deadline_ms - now) : 0;
        long until_publish = publish_timeout_ms(self, now);
        if (until_publish < timeout)
            timeout = until_publish;
        zmq_pollitem_t items[] = {
            { self->submit_sock, 0, ZMQ_POLLIN, 0 },
            { self->snapshot_sock, 0, ZMQ_POLLIN, 0 },
            { self->admin_sock, 0, ZMQ_POLLIN, 0 },
        };
        int rc = zmq_poll(items, 3, timeout);
        if (rc < 0) {
            if (zmq_errno() == EINTR)
                continue;
            log_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
            return -1;
        }
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
    /* Drain: commit and ack what was already taken in; new work stays queued
     * in the clients, which resend it to the next daemon. */
    ingest_flush(self);
    publish_changed(self);
    log_info("stopped: %llu accepted, %llu duplicate, %llu refused, %llu retry-later",
             (unsigned long long)self->counters.accepted, (unsigned long long)self->counters.duplicate,
             (unsigned long long)self->counters.refused, (unsigned long long)self->counters.retry_later);
    return 0;
}

void server_stop(server *self)
{
    ingest_release(self);
    void **socks[] = { &self->submit_sock, &self->publish_sock, &self->snapshot_sock, &self->admin_sock };
    for (size_t i = 0; i < 4; i++)
        if (*socks[i]) {
            zmq_close(*socks[i]);
            *socks[i] = NULL;
        }
    if (self->zmq_ctx) {
        zmq_ctx_term(self->zmq_ctx);
        self->zmq_ctx = NULL;
    }
    store_destroy(&self->db);
    county_book_destroy(&self->book);
    registry_destroy(&self->reg);
}
