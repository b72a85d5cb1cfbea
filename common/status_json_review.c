/* status_json_review.c -- what the review chain adds to a county status
 * (docs/review.md "In the status JSON", docs/formats.md §5): the "review"
 * object and the city's overrides on the items of the official view.
 * Plain values in (status_json.h), JSON out; pure: no I/O. */
#include <stdio.h>
#include <string.h>

#include "status_json.h"


/* "period": {period, closes, days_left, closing_soon, closed} or null. */
static void period_json(json_writer *w, const status_review *r)
{
    json_writer_key(w, "period");
    if (!r->has_period) {
        json_writer_null(w);
        return;
    }
    json_writer_object_begin(w);
    json_writer_kv_int(w, "period", r->period);
    json_writer_key(w, "closes");
    if (r->closes_on > 0) {
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", (int)(r->closes_on / 10000), (int)(r->closes_on / 100 % 100),
                 (int)(r->closes_on % 100));
        json_writer_string(w, date);
        json_writer_kv_int(w, "days_left", r->days_left);
    } else {
        json_writer_null(w);
        json_writer_key(w, "days_left");
        json_writer_null(w);
    }
    json_writer_kv_bool(w, "closing_soon", r->closing_soon);
    json_writer_kv_bool(w, "closed", r->closed);
    json_writer_object_end(w);
}

void status_json_write_review(json_writer *w, const status_review *r, bool summary)
{
    json_writer_key(w, "review");
    json_writer_object_begin(w);
    json_writer_key(w, "package");
    json_writer_object_begin(w);
    json_writer_kv_text(w, "state", r->package_state);
    json_writer_kv_text(w, "state_zh", r->package_state_zh);
    json_writer_key(w, "seal");
    if (r->seal > 0)
        json_writer_int(w, r->seal);
    else
        json_writer_null(w);
    json_writer_kv_text(w, "sealed_at", r->sealed_at);
    json_writer_kv_int(w, "problems_open", r->problems_open);
    json_writer_kv_int(w, "problems_rectified", r->problems_rectified);
    json_writer_kv_int(w, "problems_closed", r->problems_closed);
    json_writer_object_end(w);

    json_writer_key(w, "schools");
    json_writer_object_begin(w);
    json_writer_kv_int(w, "registered", r->registered);
    if (summary) {
        json_writer_kv_int(w, "not_submitted", (int64_t)r->n_not_submitted);
        json_writer_kv_int(w, "awaiting_approval", (int64_t)r->n_awaiting_approval);
        json_writer_kv_int(w, "returned", (int64_t)r->n_returned);
    } else {
        status_json_kv_codes(w, "not_submitted", r->not_submitted, r->n_not_submitted);
        status_json_kv_codes(w, "awaiting_approval", r->awaiting_approval, r->n_awaiting_approval);
        status_json_kv_codes(w, "returned", r->returned, r->n_returned);
    }
    json_writer_kv_int(w, "approved", r->approved);
    json_writer_object_end(w);

    period_json(w, r);
    json_writer_object_end(w);
}

/* One override's object {field, value, reason, at}. */
static void override_json(json_writer *w, const status_override *o)
{
    json_writer_object_begin(w);
    json_writer_kv_text(w, "field", o->field);
    json_writer_kv_text(w, "value", o->value);
    json_writer_kv_text(w, "reason", o->reason);
    json_writer_kv_text(w, "at", o->at);
    json_writer_object_end(w);
}

void status_json_write_item_overrides(json_writer *w, const status_view_info *vi, const char *number)
{
    size_t first = vi->n_overrides, n = 0;
    for (size_t i = 0; i < vi->n_overrides; i++)
        if (strcmp(vi->overrides[i].item, number) == 0) {
            if (n++ == 0)
                first = i;
        }
    if (n == 0)
        return;
    bool several = n > 1;
    json_writer_key(w, "city_override");
    if (several)
        json_writer_array_begin(w);
    for (size_t i = first; i < vi->n_overrides; i++)
        if (strcmp(vi->overrides[i].item, number) == 0)
            override_json(w, &vi->overrides[i]);
    if (several)
        json_writer_array_end(w);
    json_writer_key(w, "county_value");
    if (several)
        json_writer_array_begin(w);
    for (size_t i = first; i < vi->n_overrides; i++)
        if (strcmp(vi->overrides[i].item, number) == 0)
            json_writer_string(w, vi->overrides[i].county_value);
    if (several)
        json_writer_array_end(w);
}
