/* web_row.h -- the JSON the browsers get for a county row and for the
 * feed's state (the "county" and "state" events of /events, the rows of
 * /api/city). Pure: no I/O. Strings returned are malloc'd (caller frees). */
#ifndef JUNHENG_WEB_ROW_H
#define JUNHENG_WEB_ROW_H

#include <jansson.h>
#include <stdint.h>

#include "watch_state.h"

/* The row of a county: {"code","name","city","seq","period","verdict",
 * "verdict_zh","submitted","registered","stages":[{"stage","applicable",
 * "pass","passing","assessed","worst_id","worst_name_zh","worst_cv",
 * "worst_limit","worst_ok"} x2],"items_failing","items_pending","failing":
 * [{"number","name_zh"}],"pending":[...],"computed_at","changed_at_ms",
 * "changed_cells","flip":{"from","to"}|null,"published_at_ms","plan":{"cell",
 * "behind","due","behind_in_due_year"}|null}. status (may be NULL) is the
 * county's status object, read for the failing and pending items and the
 * plan (the cell in status --city's wording: "on plan", "3 behind", "3
 * behind, DUE 2025"). Times:
 * changed_at_ms is Unix milliseconds, from the row's monotonic time and the
 * two clocks now; published_at_ms is the daemon's time of the publication
 * the row came in (null when 0: from a snapshot), for measuring how late an
 * event reaches a browser. NULL when out of memory. */
char *web_row_json(const watch_row *row, json_t *status, int64_t mono_now_ms, int64_t wall_now_ms,
                   int64_t published_at_ms);

/* The feed's state: {"phase":"connecting|syncing|live","reason","epoch",
 * "daemon":"ok|lost","counties","snapshots","resyncs","gaps"}. The daemon
 * is lost when the feed is not live and a snapshot request went unanswered
 * (failures > 0), or no heartbeat came for longer than the watch allows. */
char *web_state_json(const watch_state *ws, int failures, int64_t mono_now_ms);

#endif
