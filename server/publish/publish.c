/* publish.c -- county status publication (ZeroMQ's Clone pattern, server
 * side). After commits every changed county is rendered once per coalescing
 * window (bursts coalesce into one publication with the final state),
 * published on PUB with its county code as topic and the county's next
 * sequence number, and its summary kept in county_status_history. Rounds
 * are cut into slices of PUBLISH_ROUND_BUDGET_MS and the event loop polls the
 * ingest between slices, so acknowledgements never wait behind a long round;
 * nothing here calls the ingest. About once a second the
 * heartbeats of heartbeat.c follow. Nothing here ever blocks: a slow or stuck
 * subscriber loses messages at the PUB's high-water mark and finds out from
 * the sequence numbers. See publish.h and proto/README.md. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "publish_internal.h"
#include "status_json.h"

/* ISO 8601 UTC time of now. */
static void iso_now(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t publish_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

publisher *publisher_new(const publisher_deps *deps)
{
    publisher *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = deps->cfg;
    self->book = deps->book;
    self->reg = deps->reg;
    snprintf(self->epoch, sizeof self->epoch, "%s", deps->epoch);
    self->rules_version = deps->rules_version;
    self->publish_sock = deps->pub_sock;
    self->snapshot_sock = deps->snapshot_sock;
    self->policy = deps->policy;
    self->counters = deps->counters;
    return self;
}

void publisher_destroy(publisher **p)
{
    if (!*p)
        return;
    publish_history_close(*p);
    free(*p);
    *p = NULL;
}

void publisher_counts(const publisher *self, publish_counts *out)
{
    out->publications = self->publications;
    out->heartbeats = self->heartbeats;
    publish_history_counts(self, &out->history_queued, &out->history_stored, &out->history_dropped);
    out->subscriptions = self->subscriptions;
    publish_history_db(self, &out->history_db, &out->history_reconnects);
}

int publish_prepare_socket(void *sock)
{
    int hwm = PUBLISH_SNDHWM;
    if (zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0) {
        log_error("publish_endpoint: ZMQ_SNDHWM: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

/* Renders an entry's status with its whole verdict (county_book_verdict):
 * the full object, or (summary) the history's form; NULL when out of memory. */
static char *render_entry(publisher *self, county_entry *e, const county_status *st, county_verdict *v, uint64_t seq,
                          const char *now, bool summary)
{
    return v ? status_json_render_verdict(st, v, e->inputs_revision, seq, self->epoch, now, summary) : NULL;
}

char *publish_render(publisher *self, county_entry *e, uint64_t seq)
{
    county_status *st = county_state_status(e->state, e->period);
    if (!st)
        return NULL;
    char now[32];
    iso_now(now, sizeof now);
    county_verdict *v = county_book_verdict(self->book, e, st);
    char *json = render_entry(self, e, st, v, seq, now, false);
    county_verdict_destroy(&v);
    county_status_destroy(&st);
    return json;
}

/* Sends [topic][body] on PUB, never blocking; takes the body message (sent
 * or closed). Returns 0, or -1 when the socket refused it. */
static int send_message(publisher *self, const char *topic, zmq_msg_t *body)
{
    if (zmq_send(self->publish_sock, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_msg_send(body, self->publish_sock, ZMQ_DONTWAIT) < 0) {
        /* PUB drops for a subscriber at its high-water mark without an error;
         * an error here means the socket itself is unusable. */
        log_debug("publication on %s not sent: %s", topic, zmq_strerror(zmq_errno()));
        zmq_msg_close(body);
        return -1;
    }
    return 0;
}

int publish_send(publisher *self, const char *topic, const uint8_t *data, size_t len)
{
    zmq_msg_t body;
    if (zmq_msg_init_size(&body, len) != 0) {
        log_error("out of memory publishing on %s", topic);
        return -1;
    }
    memcpy(zmq_msg_data(&body), data, len);
    return send_message(self, topic, &body);
}

/* Sends one publication: [county code][CountyStatusUpdate]. */
static void publish_county(publisher *self, const county_entry *e, uint64_t seq, const char *json)
{
    Junheng__CountyStatusUpdate up = JUNHENG__COUNTY_STATUS_UPDATE__INIT;
    up.county_code = (char *)e->county_code;
    up.has_period = 1;
    up.period = e->period;
    up.has_seq = 1;
    up.seq = seq;
    up.epoch = self->epoch;
    up.status_json = (char *)json;
    up.has_published_at_ms = 1;
    up.published_at_ms = publish_wall_ms();
    size_t len = junheng__county_status_update__get_packed_size(&up);
    zmq_msg_t body;
    /* packed straight into the message's own buffer: no copy of ~64 kB */
    if (zmq_msg_init_size(&body, len) != 0) {
        log_error("out of memory packing the publication of %s", e->county_code);
        return;
    }
    junheng__county_status_update__pack(&up, zmq_msg_data(&body));
    send_message(self, e->county_code, &body);
}

/* One publication round: changed counties, oldest change first, are
 * rendered, published and their summaries kept, until none is left or
 * budget_ms has passed (at least one county; budget_ms <= 0: all of them).
 * A round cut short leaves the rest due at once, so the event loop turns
 * (polling the ingest, which acknowledges) between slices instead of behind a
 * whole country's publication. The summaries go to the history (publish_history.c), which
 * never makes the loop wait. */
static void publish_round(publisher *self, long budget_ms)
{
    self->next_publish_ms = 0; /* the coalescing window closes here */
    if (county_book_dirty_count(self->book) == 0)
        return;
    int64_t start = net_now_ms();
    char now[32];
    iso_now(now, sizeof now);
    county_entry *e;
    while ((e = county_book_pop_dirty(self->book)) != NULL) {
        uint64_t seq = county_book_next_seq(self->book, e->county_code);
        county_status *st = county_state_status(e->state, e->period);
        county_verdict *v = st ? county_book_verdict(self->book, e, st) : NULL;
        char *json = render_entry(self, e, st, v, seq, now, false);
        char *summary = render_entry(self, e, st, v, seq, now, true);
        county_verdict_destroy(&v);
        county_status_destroy(&st);
        if (!json) {
            /* The sequence advanced without a publication: monitors see a
             * gap and take a snapshot, which renders the state afresh. */
            log_error("out of memory rendering county %s", e->county_code);
            free(summary);
            continue;
        }
        publish_county(self, e, seq, json);
        free(json);
        self->publications++;
        if (summary)
            publish_history_add(self, e->county_code, e->period, seq, now, summary);
        else
            log_warn("county %s seq %llu published but not kept in the history: out of memory", e->county_code,
                     (unsigned long long)seq);
        if (budget_ms > 0 && net_now_ms() - start >= budget_ms)
            break;
    }
    publish_history_flush(self);
    if (county_book_dirty_count(self->book) > 0) {
        int64_t due = net_now_ms();
        self->next_publish_ms = due > 0 ? due : 1; /* the rest: next turn of the loop */
    }
}

void publish_changed(publisher *self)
{
    publish_round(self, 0);
}

long publish_timeout_ms(publisher *self, int64_t now)
{
    long t = LONG_MAX;
    if (county_book_dirty_count(self->book) > 0)
        t = self->next_publish_ms == 0 ? 0 : (self->next_publish_ms > now ? (long)(self->next_publish_ms - now) : 0);
    long hb = self->next_heartbeat_ms > now ? (long)(self->next_heartbeat_ms - now) : 0;
    if (hb < t)
        t = hb;
    if (publish_history_busy(self) && t > PUBLISH_HISTORY_POLL_MS)
        t = PUBLISH_HISTORY_POLL_MS; /* look for the history statement's result */
    return t;
}

void publish_tick(publisher *self)
{
    int64_t now = net_now_ms();
    if (county_book_dirty_count(self->book) > 0) {
        /* The window opens at the first change seen after a publication and
         * closes publish_interval_ms later: a burst gives one publication. */
        if (self->next_publish_ms == 0)
            self->next_publish_ms = now + self->cfg->publish_interval_ms;
        if (now >= self->next_publish_ms)
            publish_round(self, PUBLISH_ROUND_BUDGET_MS);
    }
    publish_history_flush(self);
    publish_heartbeat_if_due(self);
}

void publish_heartbeat_if_due(publisher *self)
{
    int64_t now = net_now_ms();
    if (now >= self->next_heartbeat_ms) {
        heartbeat_publish(self);
        self->next_heartbeat_ms = now + HEARTBEAT_INTERVAL_MS;
    }
}
