/* ingest.h -- the public header of server/ingest/ (library junheng_ingest):
 * the submit path. A submission is decoded, checked against the key's
 * rights and validated (ingest.c), queued into the group being filled, sent
 * to PostgreSQL with its group as one transaction on the ingest's own
 * connection, and answered only after a confirmed COMMIT; each committed
 * revision then updates the registry and the county book, which the
 * publisher reads (ingest_commit.c). The group being filled and the group in
 * flight belong to the ingest alone.
 *
 * The event loop (server.c) drives it: ingest_handle per message, and
 * ingest_poll / ingest_flush_due between everything else it does. Nothing
 * here ever calls into another module of the daemon. */
#ifndef JUNHENG_INGEST_H
#define JUNHENG_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "histogram.h"
#include "net.h"
#include "state.h"
#include "validate.h"

typedef struct ingest ingest;

/* What the ingest works with, all borrowed (they must outlive it). */
typedef struct {
    const config *cfg;             /* batch_max(_ms), max_pending_per_peer, commit_timeout_ms, reconnect_ms, database */
    const validate_limits *limits; /* copied */
    registry *reg;                 /* committed revisions are applied here ... */
    county_book *book;             /* ... and here (marking counties changed) */
    const auth_policy *policy;     /* who may submit for which school */
    const review_state *review;    /* periods: is a school's submission still taken (NULL: always) */
    void *reply_sock;              /* the submit socket (ROUTER): answers go there */
    net_counters *counters;
} ingest_deps;

/* Creates the ingest and opens its group commit connection. Returns NULL
 * after logging why (out of memory, database unreachable). */
ingest *ingest_new(const ingest_deps *deps);
/* Answers a group still in flight, frees the groups' buffers, closes the
 * commit connection, frees the ingest and nulls *p. */
void ingest_destroy(ingest **p);

/* Handles one message from the submit socket (raw bytes borrowed). */
void ingest_handle(ingest *self, const peer_address *peer, const uint8_t *data, size_t len);
/* While fenced (the daemon does not hold its lease: server/lease.h), no
 * group is sent: each is answered "retry later" when it would have been.
 * A group already in flight is finished as usual. */
void ingest_set_fenced(ingest *self, bool fenced);
/* Sends the group being filled to PostgreSQL without waiting, unless a
 * group is still in flight (then it goes as soon as that one is finished). */
void ingest_flush(ingest *self);
/* Sends the group being filled when it is due (full, or batch_max_ms after
 * its first submission). Never waits. */
void ingest_flush_due(ingest *self, int64_t now);
/* When the group in flight has all its results, finishes it: sends the next
 * group if it is due, answers every sender (only after a confirmed COMMIT)
 * and updates the registry and county book. Never waits. */
void ingest_poll(ingest *self);
/* Whether the submit socket may be read (false while the group being filled
 * is full and another is in flight). */
bool ingest_accepting(const ingest *self);
/* Whether the group being filled holds batch_max submissions. */
bool ingest_group_full(const ingest *self);
/* The commit connection's socket while a group is in flight (poll it for
 * reading), else -1. */
int ingest_poll_fd(ingest *self);
/* Milliseconds until the group being filled is due (1000 when there is
 * none, or while a group is in flight). */
long ingest_timeout_ms(const ingest *self, int64_t now);
/* Gives up a group PostgreSQL left unanswered for commit_timeout_ms, and
 * reconnects the commit connection when it is down, every reconnect_ms. */
void ingest_reconnect(ingest *self, int64_t now);
/* What the submit path counts (server/metrics/ reads it), kept by the
 * ingest where each event happens. */
enum { INGEST_SCHOOL, INGEST_COUNTY_INPUTS, INGEST_KINDS };
enum { INGEST_ACCEPTED, INGEST_DUPLICATE, INGEST_REFUSED, INGEST_RETRY_LATER, INGEST_OUTCOMES };
typedef struct {
    /* answers by what the message was (a county's inputs, else a school's
     * submission -- undecodable messages count as submissions) and outcome */
    uint64_t answers[INGEST_KINDS][INGEST_OUTCOMES];
    histogram ack_seconds;         /* received -> answered, for each message taken into a group */
    histogram group_size;          /* messages per group sent to PostgreSQL */
    histogram commit_seconds;      /* a group sent -> its results in */
} ingest_stats;
/* The counts so far (read-only; valid while the ingest lives). */
const ingest_stats *ingest_stats_view(const ingest *self);
/* Messages in the group being filled, and in the group in flight. */
size_t ingest_group_filling(const ingest *self);
size_t ingest_in_flight(const ingest *self);
/* Whether the commit connection is up (as last seen: an idle one is looked
 * at every reconnect_ms), its reconnections so far, and its last error. */
bool ingest_db_up(ingest *self);
uint64_t ingest_db_reconnects(const ingest *self);
const char *ingest_db_error(ingest *self);

/* At stop: finishes the group in flight, then commits and answers the group
 * being filled (waiting for PostgreSQL). */
void ingest_drain(ingest *self);

#endif
