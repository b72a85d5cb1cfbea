/* admin_review_apply.c -- what a committed review action changes in memory
 * (the review state, the county book's official view and "review" object),
 * read from its audit row, and the action's answer built from that row
 * (docs/review.md "Answers"). Applying is idempotent: an action found
 * stored on a resend is applied again harmlessly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "log.h"

/* The string of key in o, or "" (borrowed). */
static const char *str_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The integer of key in o, or 0. */
static int64_t int_of(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

/* YYYY-MM-DD as YYYYMMDD, 0 for anything else. */
static int32_t date_number(const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return 0;
    return y * 10000 + m * 100 + d;
}

/* The package state named key. */
static package_state package_state_of(const char *key)
{
    for (int s = PACKAGE_COLLECTING; s <= PACKAGE_CITY_PASSED; s++)
        if (strcmp(package_state_key((package_state)s), key) == 0)
            return (package_state)s;
    return PACKAGE_COLLECTING;
}

/* Sets the package's state, keeping its seal. */
static void set_package_state(admin *self, const char *county, int32_t period, package_state state)
{
    const package_info *old = review_state_package(self->review, county, period);
    package_info p = old ? *old : (package_info){ 0 };
    p.state = state;
    if (review_state_set_package(self->review, county, period, &p) != 0)
        log_error("out of memory recording the package of %s", county);
}

/* The approval of rev: the official revision of its school, when the
 * school still holds it (found at the request's start). */
static void approve_revision(admin *self, int64_t rev)
{
    review_state_set_revision(self->review, rev, REVIEW_APPROVED);
    for (size_t i = 0; i < self->n_rv_targets; i++) {
        const review_target *t = &self->rv_targets[i];
        if (t->revision != rev || !t->rec)
            continue;
        int64_t held = 0;
        submission sub;
        int got = school_record_latest(t->rec, t->period, &held, &sub);
        if (got == 1 && held == rev) {
            if (county_book_school_approved(self->book, t->rec, t->period, rev, &sub) < 0)
                log_error("out of memory approving revision %lld", (long long)rev);
        } else {
            log_warn("approved revision %lld is no longer held in memory: the official view takes it at the next "
                     "start",
                     (long long)rev);
        }
        if (got == 1)
            submission_clear(&sub);
        return;
    }
}

/* A seal: the package sealed, the official view's inputs. */
static void apply_seal(admin *self, const char *county, int32_t period, const json_t *audit, const json_t *d)
{
    const package_info *old = review_state_package(self->review, county, period);
    package_info p = old ? *old : (package_info){ 0 };
    p.state = PACKAGE_SEALED;
    p.seal = int_of(audit, "target");
    snprintf(p.sealed_at, sizeof p.sealed_at, "%s", str_of(d, "sealed_at"));
    p.seal_inputs_revision = int_of(d, "inputs_revision");
    if (review_state_set_package(self->review, county, period, &p) != 0 ||
        county_book_official_inputs(self->book, county, period, p.seal_inputs_revision,
                                    self->rv_has_inputs ? &self->rv_inputs : NULL) != 0)
        log_error("out of memory recording seal %lld of %s", (long long)p.seal, county);
}

/* A problem's new state (raised: open). */
static void apply_problem(admin *self, const char *action, const char *county, int32_t period, const json_t *audit,
                          const json_t *d)
{
    problem_info p = { .id = int_of(audit, "target"), .period = period };
    const problem_info *old = review_state_problem(self->review, p.id);
    if (old)
        p = *old;
    snprintf(p.county_code, sizeof p.county_code, "%s", county);
    if (strcmp(action, "finding") == 0) {
        snprintf(p.item, sizeof p.item, "%s", str_of(d, "item"));
        p.state = PROBLEM_OPEN;
    } else {
        p.state = strcmp(action, "answer") == 0 ? PROBLEM_RECTIFIED : PROBLEM_CLOSED;
    }
    if (review_state_put_problem(self->review, &p) != 0)
        log_error("out of memory recording problem %lld", (long long)p.id);
}

/* registry_foreach_county callback: a period's dates changed. */
static void period_changed(void *arg, county_record *c)
{
    void **a = arg;
    county_book_review_changed(a[0], c->info.code, *(int32_t *)a[1], false);
}

/* A period opened, closed or reopened: every county's "review" object. */
static void apply_period(admin *self, int32_t period, const json_t *d)
{
    period_info p = { .period = period, .closes_on = date_number(str_of(d, "closes")),
                      .closed = json_is_true(json_object_get(d, "closed")) };
    if (review_state_set_period(self->review, &p) != 0)
        log_error("out of memory recording period %d", (int)period);
    void *arg[2] = { self->book, &period };
    registry_foreach_county(self->reg, period_changed, arg);
}

void admin_review_applied(admin *self, const json_t *audit)
{
    const char *action = str_of(audit, "action"), *county = str_of(audit, "county_code");
    int32_t period = (int32_t)int_of(audit, "period");
    const json_t *d = json_object_get(audit, "detail");
    bool official_only = false;
    if (strcmp(action, "approve") == 0) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(d, "approved"), i, v)
            approve_revision(self, (int64_t)json_integer_value(v));
    } else if (strcmp(action, "return") == 0) {
        review_state_set_revision(self->review, int_of(audit, "target"), REVIEW_RETURNED);
    } else if (strcmp(action, "reopen") == 0) {
        if (review_state_reopen_school(self->review, period, str_of(audit, "school_code")) != 0)
            log_error("out of memory recording a reopening");
        return;
    } else if (strcmp(action, "seal") == 0) {
        apply_seal(self, county, period, audit, d);
    } else if (strcmp(action, "finding") == 0 || strcmp(action, "answer") == 0 || strcmp(action, "close") == 0) {
        apply_problem(self, action, county, period, audit, d);
        if (strcmp(action, "finding") == 0)
            set_package_state(self, county, period, PACKAGE_CITY_REVIEWING);
    } else if (strcmp(action, "override") == 0) {
        if (review_state_put_override(self->review, county, period, str_of(d, "item"), str_of(d, "field"),
                                      str_of(d, "value"), str_of(d, "reason"), str_of(audit, "at")) != 0)
            log_error("out of memory recording an override");
        set_package_state(self, county, period, PACKAGE_CITY_REVIEWING);
    } else if (strcmp(action, "return_package") == 0 || strcmp(action, "pass") == 0 ||
               strcmp(action, "package_reopen") == 0) {
        set_package_state(self, county, period, package_state_of(str_of(d, "state")));
    } else if (strncmp(action, "period_", 7) == 0) {
        apply_period(self, period, d);
        return;
    } else {
        return; /* key changes and imports: nothing here */
    }
    if (county[0] && county_book_review_changed(self->book, county, period, official_only) != 0)
        log_warn("review of unknown county %s", county);
}

json_t *admin_review_answer(const json_t *audit)
{
    const json_t *d = json_object_get(audit, "detail");
    json_t *a = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "action", json_object_get(audit, "action"),
                          "action_id", json_object_get(audit, "action_id"), "audit_id", json_object_get(audit, "id"),
                          "at", json_object_get(audit, "at"), "county_code", json_object_get(audit, "county_code"),
                          "school_code", json_object_get(audit, "school_code"), "period",
                          json_object_get(audit, "period"), "target", json_object_get(audit, "target"));
    if (!a)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)d, key, v) {
        if (strcmp(key, "candidates") != 0 && strcmp(key, "all_clean") != 0)
            json_object_set(a, key, v);
    }
    return a;
}
