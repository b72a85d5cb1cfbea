/* watch_feed.c -- the subscription and snapshot sockets of a live monitor,
 * feeding a watch_state (see watch_feed.h). Moved out of cmd_watch.c so the
 * web gateway keeps the same guarantees as `junheng watch`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "watch_feed.h"
#include "wire.h"

struct watch_feed {
    void *ctx, *sub, *dealer;
    watch_state *ws;
    const transport_options *transport;
    char *publish_endpoint, *snapshot_endpoint;
    char query[8];
    char prefix[8];
    bool official;
    int32_t period;
    int rcvhwm;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    bool in_flight;
    int64_t deadline_ms, retry_at_ms, started_ms;
    int failures;
    size_t server;            /* which snapshot endpoint of the list: the next one after an unanswered request */
    int64_t last_lag_ms;
    int64_t applying_published_ms; /* published_at_ms of the update being applied (0: none) */
    Junheng__Reply *refusal;
    bool changed;
};

int64_t watch_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t watch_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

watch_feed *watch_feed_new(void *ctx, watch_state *ws, const watch_feed_options *opts)
{
    watch_feed *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->ctx = ctx;
    self->ws = ws;
    self->transport = opts->transport;
    self->publish_endpoint = strdup(opts->publish_endpoint ? opts->publish_endpoint : "");
    self->snapshot_endpoint = strdup(opts->snapshot_endpoint ? opts->snapshot_endpoint : "");
    snprintf(self->query, sizeof self->query, "%s", opts->query ? opts->query : "all");
    snprintf(self->prefix, sizeof self->prefix, "%s", opts->prefix ? opts->prefix : "");
    self->official = opts->official;
    self->period = opts->period;
    self->rcvhwm = opts->rcvhwm;
    self->last_lag_ms = -1;
    self->started_ms = watch_mono_ms();
    if (!self->publish_endpoint || !self->snapshot_endpoint)
        watch_feed_destroy(&self);
    return self;
}

void watch_feed_destroy(watch_feed **p)
{
    if (!p || !*p)
        return;
    watch_feed *self = *p;
    if (self->sub)
        zmq_close(self->sub);
    if (self->dealer)
        zmq_close(self->dealer);
    if (self->refusal)
        junheng__reply__free_unpacked(self->refusal, NULL);
    free(self->publish_endpoint);
    free(self->snapshot_endpoint);
    free(self);
    *p = NULL;
}

const Junheng__Reply *watch_feed_refusal(const watch_feed *self)
{
    return self->refusal;
}

bool watch_feed_in_flight(const watch_feed *self)
{
    return self->in_flight;
}

int watch_feed_failures(const watch_feed *self)
{
    return self->failures;
}

int64_t watch_feed_last_lag_ms(const watch_feed *self)
{
    return self->last_lag_ms;
}

int64_t watch_feed_applying_published_at_ms(const watch_feed *self)
{
    return self->applying_published_ms;
}

/* Opens a socket of type with the options every monitor socket shares,
 * CURVE with the client's keys included (transport.h). NULL on failure. */
static void *feed_socket(watch_feed *self, int type)
{
    void *s = zmq_socket(self->ctx, type);
    if (!s)
        return NULL;
    int linger = 0;
    int64_t maxmsg = -1; /* a province's snapshot is tens of megabytes */
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    if (transport_secure_socket(s, self->transport) != 0) {
        zmq_close(s);
        return NULL;
    }
    return s;
}

int watch_feed_connect(watch_feed *self)
{
    self->sub = feed_socket(self, ZMQ_SUB);
    if (!self->sub)
        return -1;
    const char *o = self->official ? "O" : "";
    char topic[16];
    zmq_setsockopt(self->sub, ZMQ_RCVHWM, &self->rcvhwm, sizeof self->rcvhwm);
    snprintf(topic, sizeof topic, "%s%s", o, self->prefix);
    zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
    if (strlen(self->prefix) > 4) {
        snprintf(topic, sizeof topic, "%s%.4s00", o, self->prefix);
        zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
    }
    /* every daemon of the list: only the active one publishes */
    return transport_connect_all(self->sub, self->publish_endpoint);
}

/* Sends the snapshot request on a fresh DEALER (Lazy Pirate). */
static void snapshot_request(watch_feed *self, int64_t now)
{
    if (self->dealer)
        zmq_close(self->dealer);
    self->dealer = feed_socket(self, ZMQ_DEALER);
    Junheng__StatusQuery q = JUNHENG__STATUS_QUERY__INIT;
    q.county_code = self->query;
    q.has_period = self->period != 0;
    q.period = self->period;
    q.has_snapshot = 1;
    q.snapshot = 1;
    if (self->official)
        q.view = "official";
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    wire_envelope_init(&env, self->rid); /* version, request id, this client's language */
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    size_t len = junheng__envelope__get_packed_size(&env);
    uint8_t *buf = malloc(len ? len : 1);
    int timeout = WATCH_SNAPSHOT_TIMEOUT_MS << (self->failures < 2 ? self->failures : 2);
    self->deadline_ms = now + timeout;
    self->in_flight = true;
    char endpoint[1024];
    transport_endpoint_at(self->snapshot_endpoint, self->server, endpoint, sizeof endpoint);
    if (!self->dealer || !buf || wire_request_id_new(self->rid) != 0 || zmq_connect(self->dealer, endpoint) != 0) {
        free(buf);
        return; /* counts as unanswered: retried at the deadline */
    }
    junheng__envelope__pack(&env, buf);
    zmq_send(self->dealer, buf, len, ZMQ_DONTWAIT);
    free(buf);
}

/* Takes the answer r to our snapshot request. Returns WATCH_FEED_REFUSED
 * (keeping r) or WATCH_FEED_CHANGED (r is the caller's to free). */
static watch_feed_result snapshot_answer(watch_feed *self, Junheng__Reply *r, int64_t now)
{
    self->in_flight = false;
    char err[256];
    if (r->status == JUNHENG__REPLY_STATUS__OK) {
        if (watch_state_snapshot(self->ws, r->body, now, err, sizeof err) == 0)
            self->failures = 0;
        else
            watch_state_resync(self->ws, err);
    } else if (r->status == JUNHENG__REPLY_STATUS__REFUSED) {
        if (self->refusal)
            junheng__reply__free_unpacked(self->refusal, NULL);
        self->refusal = r;
        return WATCH_FEED_REFUSED;
    } else {
        self->failures++;
        self->retry_at_ms = now + 1000;
        watch_state_resync(self->ws, "the daemon said retry later");
    }
    return WATCH_FEED_CHANGED;
}

/* Reads the snapshot answer, if it is ours. */
static watch_feed_result snapshot_receive(watch_feed *self, int64_t now)
{
    watch_feed_result res = WATCH_FEED_IDLE;
    zmq_msg_t m;
    zmq_msg_init(&m);
    while (res != WATCH_FEED_REFUSED && zmq_msg_recv(&m, self->dealer, ZMQ_DONTWAIT) >= 0) {
        Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
        if (r && r->has_request_id && r->request_id.len == WIRE_REQUEST_ID_LEN &&
            memcmp(r->request_id.data, self->rid, WIRE_REQUEST_ID_LEN) == 0 && self->in_flight) {
            res = snapshot_answer(self, r, now);
            if (res == WATCH_FEED_REFUSED)
                r = NULL; /* kept by the feed */
        }
        if (r)
            junheng__reply__free_unpacked(r, NULL);
        zmq_msg_close(&m);
        zmq_msg_init(&m);
    }
    zmq_msg_close(&m);
    return res;
}

/* Feeds one heartbeat body to the state. */
static void feed_heartbeat(watch_feed *self, const uint8_t *data, size_t len, int64_t now)
{
    Junheng__Heartbeat *hb = junheng__heartbeat__unpack(NULL, len, data);
    if (!hb)
        return;
    const char **codes = calloc(hb->n_counties + 1, sizeof *codes);
    uint64_t *seqs = calloc(hb->n_counties + 1, sizeof *seqs);
    if (codes && seqs) {
        for (size_t i = 0; i < hb->n_counties; i++) {
            codes[i] = hb->counties[i]->county_code ? hb->counties[i]->county_code : "";
            seqs[i] = hb->counties[i]->seq;
        }
        if (watch_state_heartbeat(self->ws, hb->city_code ? hb->city_code : "", hb->epoch, codes, seqs,
                                  hb->n_counties, now) != WATCH_IGNORED)
            self->changed = true;
    }
    free(codes);
    free(seqs);
    junheng__heartbeat__free_unpacked(hb, NULL);
}

/* Feeds one message from the subscription (topic + body) to the state:
 * only the topics of the watched view ("O" + code for official; a live
 * subscription to everything also receives the official topics). */
static void feed(watch_feed *self, const char *topic, size_t tlen, const uint8_t *data, size_t len, int64_t now)
{
    bool official_topic = tlen > 0 && topic[0] == 'O';
    if (official_topic != self->official)
        return;
    if (official_topic)
        topic++, tlen--;
    if (tlen == 6 && topic[4] == '0' && topic[5] == '0') {
        feed_heartbeat(self, data, len, now);
        return;
    }
    Junheng__CountyStatusUpdate *up = junheng__county_status_update__unpack(NULL, len, data);
    if (!up)
        return;
    self->applying_published_ms = up->has_published_at_ms ? up->published_at_ms : 0;
    watch_result r = watch_state_update(self->ws, up->county_code ? up->county_code : "", up->epoch, up->seq,
                                        up->period, up->status_json, now);
    self->applying_published_ms = 0;
    if (r == WATCH_APPLIED && up->has_published_at_ms)
        self->last_lag_ms = watch_wall_ms() - up->published_at_ms;
    if (r != WATCH_IGNORED)
        self->changed = true;
    junheng__county_status_update__free_unpacked(up, NULL);
}

/* Reads what the subscription holds, stopping as soon as the state wants a
 * snapshot (what follows stays queued: the snapshot covers it). */
static void subscription_drain(watch_feed *self, int64_t now)
{
    for (int budget = 0; budget < 1000; budget++) {
        if (watch_state_phase(self->ws) == WATCH_SYNCING)
            return;
        zmq_msg_t topic, body;
        zmq_msg_init(&topic);
        if (zmq_msg_recv(&topic, self->sub, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&topic);
            return;
        }
        zmq_msg_init(&body);
        bool ok = zmq_msg_more(&topic) && zmq_msg_recv(&body, self->sub, 0) >= 0;
        if (ok && zmq_msg_more(&body)) { /* no junheng publication has more frames: skip it whole */
            ok = false;
            zmq_msg_t extra;
            zmq_msg_init(&extra);
            while (zmq_msg_recv(&extra, self->sub, 0) >= 0 && zmq_msg_more(&extra))
                ;
            zmq_msg_close(&extra);
        }
        if (watch_state_phase(self->ws) == WATCH_CONNECTING)
            watch_state_subscribed(self->ws); /* the first message proves the subscription is live */
        else if (ok)
            feed(self, zmq_msg_data(&topic), zmq_msg_size(&topic), zmq_msg_data(&body), zmq_msg_size(&body), now);
        zmq_msg_close(&topic);
        zmq_msg_close(&body);
    }
}

watch_feed_result watch_feed_step(watch_feed *self, int timeout_ms)
{
    int64_t now = watch_mono_ms();
    self->changed = false;
    if (watch_state_phase(self->ws) == WATCH_CONNECTING && now - self->started_ms >= WATCH_SUBSCRIBE_WAIT_MS)
        watch_state_subscribed(self->ws);
    if (watch_state_phase(self->ws) == WATCH_SYNCING && !self->in_flight && now >= self->retry_at_ms)
        snapshot_request(self, now);
    if (self->in_flight && now >= self->deadline_ms) {
        self->in_flight = false;
        self->failures++;
        self->server++; /* Lazy Pirate across servers: the next daemon of the list */
        watch_state_resync(self->ws, "the snapshot request was not answered in time; asking again");
        return WATCH_FEED_CHANGED;
    }
    zmq_pollitem_t items[2] = { { self->sub, 0, 0, 0 }, { self->dealer, 0, 0, 0 } };
    if (watch_state_phase(self->ws) != WATCH_SYNCING)
        items[0].events = ZMQ_POLLIN;
    if (self->in_flight && self->dealer)
        items[1].events = ZMQ_POLLIN;
    int rc = zmq_poll(items, self->dealer ? 2 : 1, timeout_ms);
    if (rc < 0)
        return zmq_errno() == EINTR ? WATCH_FEED_IDLE : WATCH_FEED_FAILED;
    now = watch_mono_ms();
    if (rc > 0 && (items[1].revents & ZMQ_POLLIN)) {
        watch_feed_result r = snapshot_receive(self, now);
        if (r == WATCH_FEED_REFUSED)
            return r;
        if (r == WATCH_FEED_CHANGED)
            self->changed = true;
    }
    if (rc > 0 && (items[0].revents & ZMQ_POLLIN))
        subscription_drain(self, now);
    if (watch_state_tick(self->ws, now) == WATCH_RESYNC)
        self->changed = true;
    return self->changed ? WATCH_FEED_CHANGED : WATCH_FEED_IDLE;
}
