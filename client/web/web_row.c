/* web_row.c -- county rows and the feed's state as JSON for the browsers
 * (see web_row.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indicators.h"
#include "status_plan.h"
#include "web_row.h"

/* The Chinese verdict word. */
static const char *verdict_zh(const char *v)
{
    return strcmp(v, "pass") == 0 ? "达标" : strcmp(v, "fail") == 0 ? "未达标" : "待定";
}

/* A real, or null when undefined. */
static json_t *real_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* One stage of the row. */
static json_t *stage_json(const watch_stage *s, const char *stage)
{
    const indicator_def *def = s->worst_id[0] ? indicator_by_key(s->worst_id) : NULL;
    return json_pack("{s:s, s:b, s:b, s:I, s:I, s:s, s:s, s:o, s:o, s:b}", "stage", stage, "applicable",
                     s->applicable, "pass", s->pass, "passing", (json_int_t)s->passing, "assessed",
                     (json_int_t)s->assessed, "worst_id", s->worst_id, "worst_name_zh", def ? def->name_zh : "",
                     "worst_cv", real_or_null(s->worst_cv), "worst_limit", real_or_null(s->worst_limit),
                     "worst_ok", s->worst_ok);
}

/* The items of status whose outcome is outcome, as [{"number","name_zh"}]. */
static json_t *items_with(json_t *status, const char *outcome)
{
    json_t *out = json_array(), *it;
    size_t i;
    json_array_foreach(json_object_get(status, "items"), i, it)
    {
        const char *o = json_string_value(json_object_get(it, "outcome"));
        if (!o || strcmp(o, outcome) != 0)
            continue;
        json_t *number = json_object_get(it, "number"), *name = json_object_get(it, "name_zh");
        json_array_append_new(out, json_pack("{s:s, s:s}", "number", json_is_string(number) ?
                                             json_string_value(number) : "", "name_zh",
                                             json_is_string(name) ? json_string_value(name) : ""));
    }
    return out;
}

/* The row's plan cell: {"cell","behind","due","behind_in_due_year"} from
 * the status's "plan" object (the same wording as status --city), or null
 * when the status is unknown or has no plan. */
static json_t *plan_cell_json(json_t *status)
{
    json_t *plan = json_object_get(status, "plan");
    if (!json_is_object(plan))
        return json_null();
    char cell[96];
    status_plan_cell(status, cell, sizeof cell);
    json_t *due = json_object_get(plan, "due");
    return json_pack("{s:s, s:I, s:o, s:b}", "cell", cell, "behind",
                     (json_int_t)json_integer_value(json_object_get(plan, "behind_count")), "due",
                     json_is_integer(due) ? json_integer(json_integer_value(due)) : json_null(),
                     "behind_in_due_year", json_is_true(json_object_get(plan, "behind_in_due_year")));
}

char *web_row_json(const watch_row *row, json_t *status, int64_t mono_now_ms, int64_t wall_now_ms,
                   int64_t published_at_ms)
{
    const char *verdict = row->verdict[0] ? row->verdict : "pending";
    bool flipped = row->visible_change && row->prev_verdict[0] && row->verdict_flip_ms == row->changed_ms &&
                   strcmp(row->prev_verdict, verdict) != 0;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:i, s:s, s:s, s:b, s:I, s:I, s:[o,o], s:I, s:I, s:s}", "code",
                          row->code, "name", row->name, "city", row->city, "seq", (json_int_t)row->seq, "period",
                          (int)row->period, "verdict", verdict, "verdict_zh", verdict_zh(verdict), "has_status",
                          row->has_status, "submitted", (json_int_t)row->submitted, "registered",
                          (json_int_t)row->registered, "stages", stage_json(&row->stage[0], "primary"),
                          stage_json(&row->stage[1], "junior"), "items_failing", (json_int_t)row->items_failing,
                          "items_pending", (json_int_t)row->items_pending, "computed_at", row->computed_at);
    if (!o)
        return NULL;
    json_object_set_new(o, "failing", status ? items_with(status, "fail") : json_array());
    json_object_set_new(o, "pending", status ? items_with(status, "pending") : json_array());
    json_object_set_new(o, "plan", plan_cell_json(status));
    json_object_set_new(o, "changed_at_ms",
                        row->changed_ms ? json_integer(wall_now_ms - (mono_now_ms - row->changed_ms)) : json_null());
    json_object_set_new(o, "changed_cells", json_integer(row->visible_change ? row->changed_cells : 0));
    json_object_set_new(o, "flip", flipped ? json_pack("{s:s, s:s, s:s, s:s}", "from", row->prev_verdict, "to",
                                                       verdict, "from_zh", verdict_zh(row->prev_verdict), "to_zh",
                                                       verdict_zh(verdict))
                                           : json_null());
    json_object_set_new(o, "published_at_ms", published_at_ms ? json_integer(published_at_ms) : json_null());
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

char *web_state_json(const watch_state *ws, int failures, int64_t mono_now_ms)
{
    static const char *const phases[] = { "connecting", "syncing", "live" };
    watch_phase ph = watch_state_phase(ws);
    int64_t age = watch_state_heartbeat_age(ws, mono_now_ms);
    bool lost = ph != WATCH_LIVE && (failures > 0 || age > WATCH_HEARTBEAT_TIMEOUT_MS);
    const watch_counters *c = watch_state_counters(ws);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "phase", phases[ph], "reason",
                          watch_state_reason(ws), "epoch", watch_state_epoch(ws), "daemon", lost ? "lost" : "ok",
                          "counties", (json_int_t)watch_state_count(ws), "snapshots", (json_int_t)c->snapshots,
                          "resyncs", (json_int_t)c->resyncs, "gaps", (json_int_t)c->gaps);
    if (!o)
        return NULL;
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}
