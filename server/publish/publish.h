/* publish.h -- the public header of server/publish/ (library
 * junheng_publish): what the daemon tells the world about counties.
 *
 *   - publish.c: publication rounds (ZeroMQ's Clone pattern, server side):
 *     counties the ingest marked changed in the county book are rendered
 *     once per coalescing window and published on PUB with their next
 *     sequence, in slices of at most PUBLISH_ROUND_BUDGET_MS;
 *   - heartbeat.c: the per-city heartbeats, about once a second;
 *   - publish_history.c: every publication's summary into
 *     county_status_history, and the history queries, on a connection of
 *     its own, never waited for;
 *   - snapshot.c: status queries, answered from the county book as it is
 *     now, never by publishing;
 *   - subscriptions.c: the scope filter of the XPUB socket.
 *
 * The publisher reads the county book and never calls the ingest: the event
 * loop (server.c) alternates publication slices with ingest polling. */
#ifndef JUNHENG_PUBLISH_H
#define JUNHENG_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "net.h"
#include "state.h"
#include "store.h"

/* The PUB socket's high-water mark, in messages per subscriber (see
 * proto/README.md), and the heartbeat period. */
#define PUBLISH_SNDHWM 256
#define HEARTBEAT_INTERVAL_MS 1000
/* The most one publication slice renders before the event loop turns again
 * (at least one county a slice); the rest follows at once. */
#define PUBLISH_ROUND_BUDGET_MS 5
/* While history rows wait or are in flight, the loop wakes this often to
 * look for the statement's result. */
#define PUBLISH_HISTORY_POLL_MS 10

typedef struct publisher publisher;

/* What the publisher works with, all borrowed (they must outlive it). */
typedef struct {
    const config *cfg;          /* publish_interval_ms, database, reconnect_ms, commit_timeout_ms */
    county_book *book;          /* read: changed counties, states, sequences */
    registry *reg;              /* read: which counties exist */
    const char *epoch;          /* this run's id (copied) */
    const char *rules_version;  /* stored with each history row */
    void *pub_sock;             /* XPUB, prepared with publish_prepare_socket */
    void *snapshot_sock;        /* ROUTER: status query answers go there */
    const auth_policy *policy;  /* who may read or subscribe to which counties */
    net_counters *counters;
} publisher_deps;

/* Creates the publisher (the history writer connects on first use). NULL
 * when out of memory. */
publisher *publisher_new(const publisher_deps *deps);
/* Stores what the history still holds (waiting, bounded), frees everything
 * and nulls *p. */
void publisher_destroy(publisher **p);

/* Sets the PUB socket's options; give it to net_bind as `prepare` (a bound
 * socket's connections take the options it had at bind). Returns 0 or -1. */
int publish_prepare_socket(void *sock);

/* Milliseconds until publish_tick has work (a coalescing window closing,
 * heartbeats due, the history's result to look for); 0 when it has work now
 * (a round cut short has the rest of it due at once). */
long publish_timeout_ms(publisher *self, int64_t now);
/* The loop's timer: one publication slice (at most PUBLISH_ROUND_BUDGET_MS)
 * when the coalescing window (publish_interval_ms from the first change) has
 * closed, the history's progress, and the per-city heartbeats once a
 * second. */
void publish_tick(publisher *self);
/* Sends the per-city heartbeats when they are due (once a second), nothing
 * otherwise. publish_tick calls it; the loop calls it again between pieces
 * of other work that may take long (snapshot answers render whole cities),
 * so that a monitor never mistakes a busy daemon for a gone one. */
void publish_heartbeat_if_due(publisher *self);
/* Publishes every changed county at once (at stop). */
void publish_changed(publisher *self);

/* subscriptions.c: reads every subscription waiting on the publish socket
 * (XPUB, manual mode) and applies each one only as far as the subscriber's
 * key allows: admins as asked; monitors narrowed to their scope (a
 * subscription to "" or "37" from a "3714" monitor becomes "3714"; "3715" is
 * dropped; a county monitor also gets its own city's heartbeat topic
 * NNNN00); the official view's topics ("O" + a code or prefix) as the
 * same without the "O" ("O" + the scope when narrowed, "O" + NNNN00 for a
 * county monitor's city); other topics that do not start with a digit (not
 * county codes) for any key; nothing else. Never blocks. */
void publish_subscriptions(publisher *self);

/* subscriptions.c: the filter publish_subscriptions applies to one
 * subscription: what a subscription to `topic` (len bytes, not
 * NUL-terminated) by key k (NULL: no usable key) becomes. Returns 1 with
 * *out, *out_len the topic itself or, for a monitor asking wider than its
 * scope, its scope (out then points into k->subject, or, for "O" + a
 * prefix, to "O" + the scope in a buffer valid until the next call); 0 when
 * refused. (A
 * county monitor narrowed to its county also gets its city's heartbeat
 * topic NNNN00: publish_subscriptions adds it.) */
int publish_allowed_topic(const auth_key *k, const char *topic, size_t len, const char **out, size_t *out_len);

/* snapshot.c: answers one status query (envelope bytes borrowed). */
void snapshot_handle(publisher *self, const peer_address *peer, const uint8_t *data, size_t len);

/* The rendering options of a status read now, as a status query renders it
 * (seq, the run's epoch, the time written into now -- at least 32 bytes --
 * today's date and the warning days): a what-if renders with these. */
void publish_render_opts(const publisher *self, uint64_t seq, char *now, size_t now_size, county_render_opts *o);

/* Publication and history counts (admin stats). */
typedef struct {
    uint64_t publications;
    uint64_t heartbeats;
    uint64_t history_queued;    /* rows waiting or in flight */
    uint64_t history_stored;
    uint64_t history_dropped;
    uint64_t subscriptions;     /* topics subscribed now (applied minus unsubscribed) */
    int history_db;             /* the history's connection: 1 up, 0 down, -1 not opened yet */
    uint64_t history_reconnects;
} publish_counts;
void publisher_counts(const publisher *self, publish_counts *out);

#endif
