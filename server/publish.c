/* publish.c -- county status publication: after commits, every changed
 * county is rendered once (bursts coalesce), published on PUB with its county
 * code as topic, and kept in county_status_history. See server.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "server.h"
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

char *publish_render(server *self, county_entry *e, uint64_t seq)
{
    county_status *st = county_state_status(e->state, e->period);
    if (!st)
        return NULL;
    char now[32];
    iso_now(now, sizeof now);
    char *json = status_json_render(st, seq, self->epoch, now);
    county_status_destroy(&st);
    return json;
}

/* Sends one publication: [county code][CountyStatusUpdate]. Never blocks: a
 * slow subscriber loses messages (and sees the gap in the sequence), it never
 * slows ingest. */
static void publish_send(server *self, const county_entry *e, uint64_t seq, const char *json)
{
    Junheng__CountyStatusUpdate up = JUNHENG__COUNTY_STATUS_UPDATE__INIT;
    up.county_code = (char *)e->county_code;
    up.has_period = 1;
    up.period = e->period;
    up.has_seq = 1;
    up.seq = seq;
    up.epoch = self->epoch;
    up.status_json = (char *)json;
    size_t len = junheng__county_status_update__get_packed_size(&up);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return;
    junheng__county_status_update__pack(&up, buf);
    if (zmq_send(self->publish_sock, e->county_code, strlen(e->county_code), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0)
        zmq_send(self->publish_sock, buf, len, ZMQ_DONTWAIT);
    free(buf);
}

void publish_changed(server *self)
{
    county_entry **dirty = NULL;
    size_t n = county_book_take_dirty(self->book, &dirty);
    if (n == 0) {
        free(dirty);
        return;
    }
    store_status_row *rows = calloc(n, sizeof *rows);
    char **texts = calloc(n, sizeof *texts);
    char now[32];
    iso_now(now, sizeof now);
    size_t kept = 0;
    for (size_t i = 0; rows && texts && i < n; i++) {
        county_entry *e = dirty[i];
        uint64_t seq = county_book_next_seq(self->book, e->county_code);
        char *json = publish_render(self, e, seq);
        if (!json) {
            log_error("out of memory rendering county %s", e->county_code);
            continue;
        }
        publish_send(self, e, seq, json);
        self->publications++;
        rows[kept] = (store_status_row){ e->county_code, e->period, seq, self->epoch, self->rules.version, now, json };
        texts[kept++] = json;
    }
    if (kept > 0 && store_append_statuses(self->db, rows, kept) != STORE_OK)
        log_warn("county status history not stored for %zu counties: %s", kept, store_last_error(self->db));
    for (size_t i = 0; texts && i < kept; i++)
        free(texts[i]);
    free(texts);
    free(rows);
    free(dirty);
}
