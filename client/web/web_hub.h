/* web_hub.h -- one live subscription fanned out to many browsers.
 *
 * The feed's thread (web_main.c) puts each county's summary row (a JSON
 * object text with at least "code") and the feed's state (phase, reason,
 * daemon lost or not) into the hub; every browser's /events stream reads
 * the events after its cursor, keeping only the counties its user's scope
 * allows, and waits on the hub when there are none. The hub keeps the
 * newest row of every county (for /api/city and for a browser that joins
 * or falls behind the ring) and the last WEB_HUB_RING events.
 *
 * Each event is rendered once, as its SSE frame, and shared (reference
 * counted) by every stream that sends it; the lock is held only to move
 * pointers, so the feed's thread never waits for a browser. A stream that
 * falls WEB_HUB_RING events behind (a slow browser) is resynced on its own:
 * it gets a fresh "city" event (every row of its scope) instead of what it
 * missed; the others are not affected.
 *
 * Thread-safe: one mutex, one condition variable per scope. Strings put in
 * are copied; strings returned are malloc'd (the caller frees). */
#ifndef JUNHENG_WEB_HUB_H
#define JUNHENG_WEB_HUB_H

#include <stdbool.h>
#include <stdint.h>

#define WEB_HUB_RING 4096
/* The cursor of a browser that has just joined. */
#define WEB_HUB_JOINED UINT64_MAX

typedef struct web_hub web_hub;

web_hub *web_hub_new(void);
void web_hub_destroy(web_hub **p);

/* Sets the county's row (replacing the one it had) and queues an event
 * "county" with it. Returns 0, or -1 when out of memory. */
int web_hub_put_row(web_hub *self, const char *code, const char *row_json);
/* Sets the feed's state (a JSON object text) and queues an event "state"
 * with it. Returns 0, or -1 when out of memory. */
int web_hub_put_state(web_hub *self, const char *state_json);
/* Wakes every waiting reader for good: their streams end. */
void web_hub_close(web_hub *self);

/* {"state": STATE, "counties": [ROW, ...]} of the counties scope allows
 * (web_scope_allows), in code order. */
char *web_hub_city_json(web_hub *self, const char *scope);

/* The SSE text (web_sse_frame) of the events after *cursor that scope
 * allows, waiting up to wait_ms for some; *cursor moves past them. A cursor
 * of WEB_HUB_JOINED (a browser that just joined) or
 * one the ring has left behind gets one "city" event (web_hub_city_json) instead. Returns "" when nothing came
 * in time (the caller sends a keep-alive comment), NULL when the hub is
 * closed or out of memory. */
char *web_hub_wait(web_hub *self, uint64_t *cursor, const char *scope, int wait_ms);

/* A stream served from an event loop (no thread of its own): when it has
 * nothing to send it parks here, and the hub unparks it and calls wake(arg)
 * once (in the thread that put the event, after letting go of its lock)
 * when an event of its scope arrives, at web_hub_wake_all, or when the hub
 * closes. A parked stream must not end before it is woken (or unparked).
 * The other fields are the hub's; the caller zeroes the struct and sets
 * wake and arg. */
typedef struct web_hub_waiter {
    void (*wake)(void *arg);
    void *arg;
    /* the hub's: */
    const char *scope;
    uint64_t *cursor;
    struct web_hub_waiter *prev, *next, *woken;
    bool parked;
} web_hub_waiter;

/* As web_hub_wait without waiting: the SSE text after *cursor, or "" when
 * there is nothing yet -- then, when w is not NULL, w is parked (see
 * web_hub_waiter; scope and cursor must stay valid while it is). NULL when
 * the hub is closed or out of memory. A parked waiter whose scope sees none
 * of the events has its cursor moved past them, so it is not resynced for
 * events it would not have shown. */
char *web_hub_poll(web_hub *self, uint64_t *cursor, const char *scope, web_hub_waiter *w);
/* Wakes every parked waiter (the keep-alive tick). */
void web_hub_wake_all(web_hub *self);
/* Unparks w if it is parked (its stream ends), without waking it. */
void web_hub_unpark(web_hub *self, web_hub_waiter *w);

/* Browsers reading (for /healthz): counted by the caller around a stream. */
void web_hub_reader_count(web_hub *self, int delta);
int web_hub_readers(web_hub *self);

/* Counters since the start (for /healthz and the benchmark). */
typedef struct {
    uint64_t events;           /* events queued */
    uint64_t resyncs;          /* readers the ring left behind, given the city again */
    uint64_t put_wait_us;      /* time the feed's thread waited for the hub's lock, in all */
    uint64_t put_wait_max_us;  /* ... and at most once */
    uint64_t wakes;            /* parked streams woken */
    uint64_t lag_n, lag_sum_ms, lag_max_ms; /* publication -> hub (web_hub_note_lag) */
    int readers, parked;
} web_hub_stats;
void web_hub_get_stats(web_hub *self, web_hub_stats *out);
/* Counts how late (ms after the daemon published it) a row reached the hub. */
void web_hub_note_lag(web_hub *self, int64_t lag_ms);

#endif
