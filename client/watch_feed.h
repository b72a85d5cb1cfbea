/* watch_feed.h -- the sockets of a live monitor (ZeroMQ's Clone pattern,
 * client side): the subscription to the publish endpoint and the snapshot
 * request on a DEALER, feeding what they bring to a watch_state
 * (watch_state.h decides what each message means). Shared by `junheng
 * watch` (cmd_watch.c) and the web gateway (client/web/), so both keep the
 * same guarantees: snapshot on join, per-county sequences, heartbeats, and a
 * fresh snapshot on a gap, an epoch change or silence.
 *
 * The driver calls watch_feed_step() in its loop; each step polls the
 * sockets for at most the given time, sends the snapshot request when the
 * state wants one (Lazy Pirate: unanswered in time, it is sent again on a
 * fresh socket to the next daemon of the list, with the wait doubling up to
 * 8 s), and ticks the state's clock.
 *
 * Ownership: the feed borrows the ZeroMQ context, the state and the
 * transport options (they must outlive it); it copies the strings. */
#ifndef JUNHENG_WATCH_FEED_H
#define JUNHENG_WATCH_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "transport.h"
#include "watch_state.h"

#define WATCH_SNAPSHOT_TIMEOUT_MS 2000      /* first wait for a snapshot answer; doubles to 8 s */
#define WATCH_SUBSCRIBE_WAIT_MS 1500        /* longest wait for a first message before the snapshot */
#define WATCH_DEFAULT_RCVHWM 1000

typedef struct {
    const char *publish_endpoint;   /* lists, comma-separated, one endpoint per daemon */
    const char *snapshot_endpoint;
    const transport_options *transport;
    const char *query;              /* what the snapshot request names: a code or "all" */
    const char *prefix;             /* what the state covers and the subscription's topic ("" = all) */
    bool official;                  /* topics "O" + code, snapshots of the official view */
    int32_t period;                 /* 0: each county's newest */
    int rcvhwm;                     /* receive high-water mark of the subscription (messages) */
} watch_feed_options;

/* What one step did. */
typedef enum {
    WATCH_FEED_IDLE = 0,     /* nothing a viewer would see changed */
    WATCH_FEED_CHANGED,      /* a row, the phase or a counter may have changed */
    WATCH_FEED_REFUSED,      /* the daemon refused the snapshot: see watch_feed_refusal() */
    WATCH_FEED_FAILED        /* polling failed (not EINTR): the feed cannot go on */
} watch_feed_result;

typedef struct watch_feed watch_feed;

/* A feed for ws on ctx. NULL when out of memory. */
watch_feed *watch_feed_new(void *ctx, watch_state *ws, const watch_feed_options *opts);
/* Closes the sockets, frees the feed and nulls *p. */
void watch_feed_destroy(watch_feed **p);

/* Opens the subscription (the prefix, plus the city heartbeat topic when
 * the prefix is one county) to every daemon of the list. Returns 0, or -1
 * with zmq_errno(). */
int watch_feed_connect(watch_feed *self);

/* One turn of the loop: waits at most timeout_ms for messages. */
watch_feed_result watch_feed_step(watch_feed *self, int timeout_ms);

/* The refusal (errors of the REFUSED reply) after WATCH_FEED_REFUSED; NULL
 * otherwise. Owned by the feed. */
const Junheng__Reply *watch_feed_refusal(const watch_feed *self);
/* A snapshot request is waiting for its answer. */
bool watch_feed_in_flight(const watch_feed *self);
/* Snapshot requests unanswered (or answered "retry later") in a row. */
int watch_feed_failures(const watch_feed *self);
/* Milliseconds from the daemon's publication to its arrival here, of the
 * last update applied (-1 before any). */
int64_t watch_feed_last_lag_ms(const watch_feed *self);
/* Inside a watch_state change callback run by this feed: the daemon's
 * published_at_ms (Unix ms) of the publication being applied; 0 when the
 * change comes from a snapshot or the publication carried none. */
int64_t watch_feed_applying_published_at_ms(const watch_feed *self);

/* Monotonic milliseconds: the clock the state machine is fed with. */
int64_t watch_mono_ms(void);
/* Unix milliseconds, for times shown to people and publication lag. */
int64_t watch_wall_ms(void);

#endif
