/* status_json.h -- a county_status rendered as the JSON of
 * docs/formats.md §5, written directly (json_writer.h) and, for
 * callers that want a tree, parsed by jansson.  Numbers at full precision:
 * each real in the shortest text that reads back to the same double (4.2,
 * not 4.2000000000000002), always with a '.' or exponent (real_format.h);
 * undefined values (no sections, mean 0) are null.  Pure: no I/O. */
#ifndef JUNHENG_STATUS_JSON_H
#define JUNHENG_STATUS_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "assess.h"
#include "assess_items.h"
#include "json_writer.h"
#include "plan.h"

/* The JSON object: status_json_render()'s text parsed. seq, epoch and computed_at (RFC 3339 UTC, e.g.
 * "2026-11-22T13:05:01Z") come from the publisher; epoch and computed_at may
 * be NULL (rendered as null).
 * Returns a new reference (caller json_decref()s it), or NULL when out of memory. */
json_t *status_json_build(const county_status *st, uint64_t seq, const char *epoch,
                          const char *computed_at);

/* Renders the same object as compact UTF-8 text on one line (no trailing
 * newline), as `junheng watch --json` prints it.
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render(const county_status *st, uint64_t seq, const char *epoch,
                         const char *computed_at);

/* The form kept in the status history (county_status_history): the same
 * object without its lists -- no "sections", no coverage.missing, no
 * guarantee "failing", no indicator "top_contributors" -- so ~4 kB instead
 * of ~1 kB per school; every verdict, count and coefficient is there.
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render_summary(const county_status *st, uint64_t seq, const char *epoch,
                                 const char *computed_at);

/* The whole verdict's keys (docs/formats.md §5 "Whole verdict"): verdict,
 * verdict_zh, verdict_reason(_en), items_summary, county_inputs_revision
 * (null when inputs_revision is 0), awaiting_county_input (the pending
 * items' ids, in order) and either every item in full ("items") or, for the
 * history's summary, "item_outcomes" {number: outcome}. Written into the
 * object open in w. */
void status_json_write_verdict(json_writer *w, const county_verdict *v, int64_t inputs_revision, bool summary);

/* status_json_render (summary false) or status_json_render_summary (true)
 * with the whole verdict v (county_verdict_assess over st) written in place
 * of the fixed awaiting_county_input list. v NULL: as those. Returns a
 * malloc'd string (caller frees), or NULL when out of memory. */
char *status_json_render_verdict(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                                 uint64_t seq, const char *epoch, const char *computed_at, bool summary);

/* --- The two views and the review chain (docs/review.md) --------------- */

/* One city override of an item's field, shown on the item in the official
 * view: "city_override" {field, value, reason, at} and "county_value". */
typedef struct {
    const char *item;              /* the item's number, "5.2" */
    const char *field;             /* "present", "performance_pay_approved" */
    const char *value;             /* "yes"/"no"/"present"/"absent" */
    const char *reason;
    const char *at;                /* RFC 3339 UTC */
    const char *county_value;      /* what the sealed inputs said, same words; NULL: nothing (null) */
} status_override;

/* The "review" object of every status: plain values, computed by the
 * daemon (server/state/county_book_review.c). Lists are sorted codes. */
typedef struct {
    const char *package_state;     /* "collecting" ... "city_passed" */
    const char *package_state_zh;
    int64_t seal;                  /* the newest seal's id; 0: never sealed (null) */
    const char *sealed_at;         /* RFC 3339 UTC; NULL or "": null */
    uint32_t problems_open, problems_rectified, problems_closed;
    int64_t registered;            /* active schools of the county */
    int64_t approved;              /* schools whose newest revision is approved */
    const char (*not_submitted)[SCHOOL_CODE_LEN + 1];
    size_t n_not_submitted;
    const char (*awaiting_approval)[SCHOOL_CODE_LEN + 1]; /* newest revision submitted, not reviewed */
    size_t n_awaiting_approval;
    const char (*returned)[SCHOOL_CODE_LEN + 1];          /* newest revision returned */
    size_t n_returned;
    bool has_period;               /* false: the year was never opened ("period": null) */
    int32_t period;
    int32_t closes_on;             /* YYYYMMDD; 0: no date ("closes" and "days_left" null) */
    int32_t days_left;             /* closes_on - today, in days */
    bool closing_soon, closed;
} status_review;

/* Which view a status is and what the view adds. */
typedef struct {
    const char *view;                  /* "live" or "official" */
    const status_review *review;       /* NULL: no "review" key (a seal's frozen status) */
    const status_override *overrides;  /* the city's overrides (official view), n_overrides of them */
    size_t n_overrides;
    const plan_status *plan;           /* the county against the city's plan ("plan" after "review"); NULL: no key */
} status_view_info;

/* Writes "review": {...} into the object open in w; summary (the history's
 * form) leaves out the three lists of school codes, as it leaves out
 * coverage.missing. */
void status_json_write_review(json_writer *w, const status_review *r, bool summary);

/* Writes the overrides of item `number` into the item object open in w:
 * none -- nothing; one -- "city_override": {field, value, reason, at} and
 * "county_value": text or null; several fields of one item -- both keys as
 * arrays, in field order. */
void status_json_write_item_overrides(json_writer *w, const status_view_info *vi, const char *number);

/* status_json_render_verdict with the view: "view" after "period", the
 * overrides on their items and "review" last. vi NULL: exactly
 * status_json_render_verdict. Returns a malloc'd string (caller frees), or
 * NULL when out of memory. */
char *status_json_render_view(const county_status *st, const county_verdict *v, int64_t inputs_revision,
                              const status_view_info *vi, uint64_t seq, const char *epoch, const char *computed_at,
                              bool summary);

/* "met" (how many standards the section meets; null when it is not
 * assessed) and "pass" (false when not assessed): a section's verdict, the
 * same two keys in the county's "sections" and in a school's own status
 * (school_result.h). */
void status_json_kv_section_verdict(json_writer *w, const section_status *sec);

/* key: an array of school codes (for the status writers of common/). */
void status_json_kv_codes(json_writer *w, const char *key, const char (*codes)[SCHOOL_CODE_LEN + 1], size_t n);

#endif
