/* watch_state.h -- the monitor's state machine (ZeroMQ's Clone pattern,
 * client side), without sockets so it can be tested on its own.
 *
 * The driver (cmd_watch.c) subscribes first, then asks for a snapshot of its
 * prefix, and feeds everything it receives here:
 *
 *   CONNECTING --(subscription live)--> SYNCING --(snapshot)--> LIVE
 *        LIVE --(gap, epoch change, 3 s without a heartbeat)--> SYNCING
 *
 * In LIVE an update is applied only when its sequence is exactly the next of
 * its county; one already covered by the snapshot (or seen) is dropped; one
 * further ahead is a gap. A heartbeat names the current sequence of every
 * county of a city: one ahead of what was applied means publications were
 * lost. Updates of an epoch this monitor has left behind are dropped; an
 * unknown epoch means the daemon restarted. Every time the state asks for a
 * snapshot it says why (watch_state_reason).
 *
 * Each county is kept as a summary row (watch_row), not as its whole status:
 * a monitor of a province holds hundreds of counties. Whenever a row changes,
 * the on_change callback (if set) gets the row and the full status object.
 *
 * Ownership: the state owns its rows; pointers from watch_state_row() stay
 * valid until the next call that feeds the state. */
#ifndef JUNHENG_WATCH_STATE_H
#define JUNHENG_WATCH_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WATCH_HEARTBEAT_TIMEOUT_MS 3000
#define WATCH_OLD_EPOCHS 4

typedef enum { WATCH_CONNECTING = 0, WATCH_SYNCING, WATCH_LIVE } watch_phase;

/* What feeding one message did. */
typedef enum {
    WATCH_IGNORED = 0,  /* nothing to show: duplicate, covered by the snapshot, out of scope, old epoch */
    WATCH_APPLIED,      /* a row changed (on_change was called) */
    WATCH_RESYNC        /* the state now wants a snapshot: see watch_state_reason() */
} watch_result;

/* One stage of a county as the table shows it. */
typedef struct {
    bool applicable;
    bool pass;
    long long passing;           /* sections passing the 6-of-7 / 85 % rule */
    long long assessed;
    char worst_id[32];           /* indicator with the largest cv / limit ("" if none) */
    double worst_cv;             /* NAN when undefined (null) */
    double worst_limit;
    bool worst_ok;
} watch_stage;

/* One county. */
typedef struct {
    char code[8];
    char city[8];
    char name[96];
    uint64_t seq;                /* last publication applied (any period) */
    bool has_status;
    int32_t period;              /* of the status shown */
    uint64_t status_seq;         /* seq the shown status was rendered with */
    long long submitted, registered;
    watch_stage stage[2];        /* primary, junior */
    bool pass;                   /* resource_allocation_pass */
    bool has_verdict;            /* the status carried the whole verdict (status_read.h) */
    char verdict[12];            /* "pass" | "fail" | "pending" ("pending" without one) */
    long long items_failing;     /* failing items and vetoes present */
    long long items_pending;     /* pending items and vetoes */
    char computed_at[32];
    int64_t changed_ms;          /* when the shown status last changed what the table shows (0: never);
                                    an identical republication (the same data sent again) leaves it */
    bool visible_change;         /* the last status applied changed what the table shows */
    uint32_t changed_cells;      /* WATCH_CELL_* that the last visible change touched */
    char prev_verdict[12];       /* the verdict before the last flip ("" when none was seen) */
    int64_t verdict_flip_ms;     /* when the verdict last flipped (0: never seen to) */
} watch_row;

/* The cells of a row, for changed_cells. */
enum {
    WATCH_CELL_VERDICT = 1u << 0,
    WATCH_CELL_COVERAGE = 1u << 1,
    WATCH_CELL_PRIMARY_COUNT = 1u << 2,
    WATCH_CELL_PRIMARY_CV = 1u << 3,
    WATCH_CELL_JUNIOR_COUNT = 1u << 4,
    WATCH_CELL_JUNIOR_CV = 1u << 5,
};

typedef struct watch_state watch_state;

/* Called for every row that changed; status is borrowed for the call, text
 * is the status as the daemon sent it (NULL when it came in a snapshot). */
typedef void (*watch_change_fn)(void *arg, const watch_row *row, json_t *status, const char *text);

/* A state for every county whose code starts with prefix ("" = all; at most
 * 6 digits) in period (0 = each county's newest). NULL when out of memory. */
watch_state *watch_state_new(const char *prefix, int32_t period);
/* Frees the state and nulls *p. */
void watch_state_destroy(watch_state **p);

void watch_state_on_change(watch_state *self, watch_change_fn fn, void *arg);

/* Rewrites a publication's status text before it is parsed (e.g. leaving
 * out what the change callback never reads): a malloc'd text, or NULL to
 * parse it as it is. The callback still gets the text as it came. */
typedef char *(*watch_status_filter)(const char *status_json, void *arg);
void watch_state_filter(watch_state *self, watch_status_filter fn, void *arg);

/* The subscription is live (or assumed so): from CONNECTING to SYNCING. */
void watch_state_subscribed(watch_state *self);

/* Feeds a snapshot answer (the JSON of proto/README.md: prefix, epoch, seqs,
 * counties). Moves to LIVE. Returns 0, or -1 with a reason in err when the
 * text is not a snapshot (the state stays SYNCING). */
int watch_state_snapshot(watch_state *self, const char *body, int64_t now_ms, char *err, size_t errlen);

/* Feeds one CountyStatusUpdate. status_json is parsed only when applied. */
watch_result watch_state_update(watch_state *self, const char *county_code, const char *epoch, uint64_t seq,
                                int32_t period, const char *status_json, int64_t now_ms);

/* Feeds one Heartbeat: n counties with their current sequences. */
watch_result watch_state_heartbeat(watch_state *self, const char *city_code, const char *epoch,
                                   const char *const *codes, const uint64_t *seqs, size_t n, int64_t now_ms);

/* Time passes: three seconds without a heartbeat from a city in scope (or,
 * with nothing in scope, since the snapshot) makes it ask for a snapshot. */
watch_result watch_state_tick(watch_state *self, int64_t now_ms);

/* Asks for a fresh snapshot, saying why (e.g. the snapshot request failed). */
void watch_state_resync(watch_state *self, const char *reason);

watch_phase watch_state_phase(const watch_state *self);
/* Why the state last asked for a snapshot ("" at first). */
const char *watch_state_reason(const watch_state *self);
/* The daemon epoch of the current snapshot ("" before the first). */
const char *watch_state_epoch(const watch_state *self);
/* Rows in code order. */
size_t watch_state_count(const watch_state *self);
const watch_row *watch_state_row(const watch_state *self, size_t i);
/* The row of a county, or NULL. */
const watch_row *watch_state_find(const watch_state *self, const char *county_code);
/* Milliseconds since the oldest of the newest heartbeats of the cities in
 * scope (how stale the liveness proof is); -1 before any. */
int64_t watch_state_heartbeat_age(const watch_state *self, int64_t now_ms);

/* Counters since the start. */
typedef struct {
    uint64_t updates_applied;   /* publications applied in order */
    uint64_t updates_dropped;   /* already covered by a snapshot, or duplicates */
    uint64_t heartbeats;
    uint64_t snapshots;
    uint64_t resyncs;           /* times a snapshot was asked for after the first */
    uint64_t gaps;              /* lost publications detected (update or heartbeat ahead) */
} watch_counters;
const watch_counters *watch_state_counters(const watch_state *self);

/* Fills row from a status object (read by status_read.h). Returns 0, or -1
 * when out of memory (row unchanged). Exposed for tests. */
int watch_row_from_status(watch_row *row, json_t *status);

#endif
