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
 * Thread-safe: one mutex and one condition variable. Strings put in are
 * copied; strings returned are malloc'd (the caller frees). */
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

/* Browsers reading (for /healthz): counted by the caller around a stream. */
void web_hub_reader_count(web_hub *self, int delta);
int web_hub_readers(web_hub *self);

#endif
