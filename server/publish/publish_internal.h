/* publish_internal.h -- what the files of server/publish/ share. Private to
 * the folder; others include publish.h. */
#ifndef JUNHENG_PUBLISH_INTERNAL_H
#define JUNHENG_PUBLISH_INTERNAL_H

#include "publish.h"

typedef struct publish_history publish_history;

/* The publisher's state: its dependencies (publish.h, borrowed), the
 * coalescing window, the heartbeat timer, the history writer. */
struct publisher {
    const config *cfg;
    county_book *book;
    registry *reg;
    char epoch[40];                /* this run's id: sequences restart with it */
    const char *rules_version;
    void *publish_sock;            /* XPUB in manual mode: subscriptions pass publish_subscriptions */
    void *snapshot_sock;
    const auth_policy *policy;
    net_counters *counters;
    publish_history *history;      /* publish_history.c: the status history's writer (NULL until used) */
    int64_t next_publish_ms;       /* coalescing: end of the open window (0: none open) */
    uint64_t publications;
    int64_t next_heartbeat_ms;     /* when the next per-city heartbeats are due */
    uint64_t heartbeats;
    uint64_t subscriptions;        /* subscriptions.c: topics subscribed now (metrics) */
    int32_t today;                 /* YYYYMMDD at UTC+period_utc_offset_hours, as of the last tick */
};

/* publish.c: renders one view of an entry as its status JSON (caller
 * frees) with the given sequence. NULL when out of memory. */
char *publish_render(publisher *self, county_entry *e, status_view view, uint64_t seq);
/* publish.c: today's date (YYYYMMDD) at UTC+period_utc_offset_hours. */
int32_t publish_today(const publisher *self);
/* publish.c: the topic of a county (or a city's heartbeat, NNNN00) in a
 * view: the code itself (live) or "O" + the code (official), into buf
 * (at least 8 bytes). Returns buf. */
const char *publish_topic(const char *code, status_view view, char *buf, size_t size);
/* publish.c: sends [topic][data] on PUB without ever blocking. Returns 0, or
 * -1 when the socket refused it (never because a subscriber is slow). */
int publish_send(publisher *self, const char *topic, const uint8_t *data, size_t len);
/* publish.c: wall-clock Unix milliseconds (for published_at_ms, sent_at_ms). */
int64_t publish_wall_ms(void);

/* snapshot_school.c: answers a status query that names a school
 * (StatusQuery.school_code): that school's own result, or a refusal. */
void snapshot_school(publisher *self, const peer_address *peer, const Junheng__Envelope *env);

/* heartbeat.c: publishes one heartbeat per city and view: epoch and the
 * current sequence of each of its registered counties in that view. */
void heartbeat_publish(publisher *self);

/* publish_history.c: the status history's writer (its own connection; the
 * loop never waits for it). publish_history_add queues one publication's
 * summary (taken: freed by the history); _flush reads the outcome of the
 * statement in flight and sends what is queued, never waiting; _busy says
 * whether rows wait or are in flight (the loop then wakes every
 * PUBLISH_HISTORY_POLL_MS); _counts gives rows waiting or in flight, stored
 * and dropped since start; _settle stores what is queued and in flight,
 * waiting (bounded; at shutdown); _close settles and frees everything
 * (at shutdown). publish_history_query queues a history query (answered on
 * the snapshot socket once the rows queued before it are stored, never
 * waited for; request_id and lang -- its Envelope.lang, the language of a
 * "retry later", may be NULL -- copied). */
void publish_history_add(publisher *self, const char *county_code, int32_t period, status_view view, uint64_t seq,
                         const char *computed_at, char *summary);
void publish_history_flush(publisher *self);
bool publish_history_busy(const publisher *self);
void publish_history_counts(const publisher *self, uint64_t *queued, uint64_t *stored, uint64_t *dropped);
void publish_history_settle(publisher *self);
/* publish_history.c: the history connection's state (1 up, 0 down, -1 not
 * opened yet) and its reconnections. */
void publish_history_db(const publisher *self, int *state, uint64_t *reconnects);
void publish_history_query(publisher *self, const peer_address *peer, const uint8_t *request_id,
                           size_t request_id_len, const char *county_code, int32_t period, status_view view,
                           const char *lang);
void publish_history_close(publisher *self);

#endif
