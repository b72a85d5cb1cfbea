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

int32_t publish_today(const publisher *self)
{
    return net_local_date(self->cfg->period_utc_offset_hours);
}

const char *publish_topic(const char *code, status_view view, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", view == VIEW_OFFICIAL ? "O" : "", code);
    return buf;
}

/* Renders one view of an entry (county_book_render): the status into *full
 * and (summary not NULL) the history's form, from one computation. 0 or -1. */
static int render_entry(publisher *self, county_entry *e, status_view view, uint64_t seq, const char *now,
                        char **full, char **summary)
{
    county_render_opts o = { seq, self->epoch, now, publish_today(self), self->cfg->period_warning_days };
    return county_book_render(self->book, e, view, &o, full, summary);
}

void publish_render_opts(const publisher *self, uint64_t seq, char *now, size_t now_size, county_render_opts *o)
{
    iso_now(now, now_size);
    *o = (county_render_opts){ seq, self->epoch, now, publish_today(self), self->cfg->period_warning_days };
}

char *publish_render(publisher *self, county_entry *e, status_view view, uint64_t seq)
{
    char now[32];
    iso_now(now, sizeof now);
    char *json = NULL;
    render_entry(self, e, view, seq, now, &json, NULL);
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

/* Sends one publication: [topic][CountyStatusUpdate], the topic the county
 * code (live) or "O" + the code (official). */
static void publish_county(publisher *self, const county_entry *e, status_view view, uint64_t seq, const char *json)
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
    up.view = (char *)status_view_key(view);
    size_t len = junheng__county_status_update__get_packed_size(&up);
    zmq_msg_t body;
    /* packed straight into the message's own buffer: no copy of ~64 kB */
    if (zmq_msg_init_size(&body, len) != 0) {
        log_error("out of memory packing the publication of %s", e->county_code);
        return;
    }
    junheng__county_status_update__pack(&up, zmq_msg_data(&body));
    char topic[COUNTY_CODE_LEN + 2];
    send_message(self, publish_topic(e->county_code, view, topic, sizeof topic), &body);
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
    status_view view;
    while ((e = county_book_pop_dirty(self->book, &view)) != NULL) {
        uint64_t seq = county_book_next_seq(self->book, e->county_code, view);
        char *json = NULL, *summary = NULL;
        render_entry(self, e, view, seq, now, &json, &summary);
        if (!json) {
            /* The sequence advanced without a publication: monitors see a
             * gap and take a snapshot, which renders the state afresh. */
            log_error("out of memory rendering county %s", e->county_code);
            free(summary);
            continue;
        }
        publish_county(self, e, view, seq, json);
        free(json);
        self->publications++;
        if (summary)
            publish_history_add(self, e->county_code, e->period, view, seq, now, summary);
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

/* When the date (at UTC+period_utc_offset_hours) turns, every county of a
 * period with dates is marked changed in both views: its review object's
 * days_left, closing_soon and closed moved without any submission. */
static void day_turn(publisher *self)
{
    int32_t today = publish_today(self);
    if (today == self->today)
        return;
    bool first = self->today == 0;
    self->today = today;
    const review_state *rs = county_book_review(self->book);
    if (first || !rs)
        return;
    const period_info *periods;
    size_t n = review_state_periods(rs, &periods);
    for (size_t i = 0; i < n; i++)
        if (county_book_period_changed(self->book, periods[i].period) != 0)
            log_error("out of memory marking period %d changed at the turn of the day", (int)periods[i].period);
}

void publish_tick(publisher *self)
{
    day_turn(self);
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
