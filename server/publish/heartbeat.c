/* heartbeat.c -- the per-city heartbeats of the PUB socket. About once a
 * second (publish_tick in publish.c decides when), every city with registered
 * counties gets one message under its own code (NNNN00, a code no county
 * has): the epoch and the current sequence of each of its counties. A monitor
 * of any prefix -- one county, a city, a province, everything -- receives the
 * heartbeats of the cities it covers, so it sees a lost publication within a
 * second (a county's sequence in the heartbeat is ahead of the last one it
 * applied) and takes three seconds of silence for "daemon gone", never for
 * "nothing changed". Each view has its own heartbeats and sequences
 * (docs/review.md): the live view's under NNNN00, the official view's under
 * "O" + NNNN00. See proto/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "publish_internal.h"

/* The heartbeat being gathered: counties arrive in code order, so those of
 * one city are consecutive. */
typedef struct {
    publisher *srv;
    status_view view;
    char city[COUNTY_CODE_LEN + 1];
    Junheng__CountySeq *items;      /* county codes borrowed from the registry */
    Junheng__CountySeq **ptrs;
    size_t n, cap;
    int64_t sent_at_ms;
    bool oom;
    bool warned_00;
} heartbeat_ctx;

/* Packs and sends the gathered city's heartbeat, then empties the list. */
static void heartbeat_flush(heartbeat_ctx *ctx)
{
    if (ctx->n == 0)
        return;
    Junheng__Heartbeat hb = JUNHENG__HEARTBEAT__INIT;
    hb.city_code = ctx->city;
    hb.epoch = ctx->srv->epoch;
    for (size_t i = 0; i < ctx->n; i++)
        ctx->ptrs[i] = &ctx->items[i];
    hb.counties = ctx->ptrs;
    hb.n_counties = ctx->n;
    hb.has_interval_ms = 1;
    hb.interval_ms = HEARTBEAT_INTERVAL_MS;
    hb.has_sent_at_ms = 1;
    hb.sent_at_ms = ctx->sent_at_ms;
    hb.view = (char *)status_view_key(ctx->view);
    size_t len = junheng__heartbeat__get_packed_size(&hb);
    uint8_t *buf = malloc(len ? len : 1);
    if (buf) {
        junheng__heartbeat__pack(&hb, buf);
        char topic[COUNTY_CODE_LEN + 2];
        if (publish_send(ctx->srv, publish_topic(ctx->city, ctx->view, topic, sizeof topic), buf, len) == 0)
            ctx->srv->heartbeats++;
        free(buf);
    } else {
        log_error("out of memory packing the heartbeat of %s", ctx->city);
    }
    ctx->n = 0;
}

/* Adds one county to its city's heartbeat (flushing the previous city's). */
static void heartbeat_county(void *arg, county_record *c)
{
    heartbeat_ctx *ctx = arg;
    char city[COUNTY_CODE_LEN + 1];
    snprintf(city, sizeof city, "%.4s00", c->info.code);
    if (strcmp(city, c->info.code) == 0 && !ctx->warned_00 && ctx->view == VIEW_LIVE) {
        /* GB/T 2260 gives no county a code ending in 00; such a county's
         * topic would collide with its city's heartbeat. */
        log_warn("county code %s ends in 00 (a city's code): its monitors cannot tell it from heartbeats",
                 c->info.code);
        ctx->warned_00 = true;
    }
    if (strcmp(city, ctx->city) != 0) {
        heartbeat_flush(ctx);
        memcpy(ctx->city, city, sizeof city);
        ctx->oom = false;
    }
    if (ctx->oom)
        return;
    if (ctx->n == ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 32;
        Junheng__CountySeq *items = realloc(ctx->items, cap * sizeof *items);
        if (items)
            ctx->items = items;
        Junheng__CountySeq **ptrs = items ? realloc(ctx->ptrs, cap * sizeof *ptrs) : NULL;
        if (!items || !ptrs) {
            /* Without a heartbeat the city's monitors resynchronise after
             * three seconds: degraded, never wrong. */
            log_error("out of memory gathering the heartbeat of %s", city);
            ctx->oom = true;
            ctx->n = 0;
            return;
        }
        ctx->ptrs = ptrs;
        ctx->cap = cap;
    }
    Junheng__CountySeq *item = &ctx->items[ctx->n++];
    junheng__county_seq__init(item);
    item->county_code = c->info.code;
    item->has_seq = 1;
    item->seq = county_book_current_seq(ctx->srv->book, c->info.code, ctx->view);
}

void heartbeat_publish(publisher *self)
{
    for (int v = VIEW_LIVE; v <= VIEW_OFFICIAL; v++) {
        heartbeat_ctx ctx = { .srv = self, .view = (status_view)v, .sent_at_ms = publish_wall_ms() };
        county_book_foreach_county(self->book, "", heartbeat_county, &ctx);
        heartbeat_flush(&ctx);
        free(ctx.items);
        free(ctx.ptrs);
    }
}
