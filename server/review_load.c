/* review_load.c -- the review chain loaded at start (docs/review.md): the
 * review state of revisions, packages, problems, overrides, periods and
 * reopenings (review_state), the action ids already applied with their
 * audit rows (a resend's answer), each school's newest approved revision
 * into the county book, and each package's newest seal with its county
 * inputs rebuilt up to the revision it folded in. See server.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "wire.h"

/* A package's newest seal, its inputs being rebuilt while the county
 * inputs load. */
struct review_seal_load {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    int64_t inputs_revision;
    county_inputs merged;
};

/* YYYY-MM-DD as YYYYMMDD, 0 for anything else. */
static int32_t date_number(const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return 0;
    return y * 10000 + m * 100 + d;
}

/* The string of key in o, or "" (borrowed). */
static const char *str_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The revision states and reopenings. Returns 0 or -1. */
static int load_revisions(server *self, const json_t *all)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(all, "revisions"), i, v) {
        const char *state = json_string_value(json_array_get(v, 1));
        revision_review r = state && strcmp(state, "approved") == 0 ? REVIEW_APPROVED : REVIEW_RETURNED;
        if (review_state_set_revision(self->review, (int64_t)json_integer_value(json_array_get(v, 0)), r) != 0)
            return -1;
    }
    json_array_foreach(json_object_get(all, "reopenings"), i, v) {
        if (review_state_reopen_school(self->review, (int32_t)json_integer_value(json_array_get(v, 0)),
                                       json_string_value(json_array_get(v, 1))) != 0)
            return -1;
    }
    return 0;
}

/* The state of a package by its key. */
static package_state package_state_of(const char *key)
{
    for (int s = PACKAGE_COLLECTING; s <= PACKAGE_CITY_PASSED; s++)
        if (strcmp(package_state_key((package_state)s), key) == 0)
            return (package_state)s;
    return PACKAGE_COLLECTING;
}

/* The packages (and their newest seals, kept to rebuild their inputs). */
static int load_packages(server *self, const json_t *all)
{
    size_t i;
    json_t *v;
    json_t *list = json_object_get(all, "packages");
    self->seals = calloc(json_array_size(list) + 1, sizeof *self->seals);
    if (!self->seals)
        return -1;
    json_array_foreach(list, i, v) {
        package_info p = { .state = package_state_of(str_of(v, "state")),
                           .seal = (int64_t)json_integer_value(json_object_get(v, "seal")),
                           .seal_inputs_revision = (int64_t)json_integer_value(json_object_get(v, "inputs_revision")) };
        snprintf(p.sealed_at, sizeof p.sealed_at, "%s", str_of(v, "sealed_at"));
        int32_t period = (int32_t)json_integer_value(json_object_get(v, "period"));
        if (review_state_set_package(self->review, str_of(v, "county_code"), period, &p) != 0)
            return -1;
        if (p.seal > 0) {
            struct review_seal_load *s = &self->seals[self->n_seals++];
            snprintf(s->county_code, sizeof s->county_code, "%s", str_of(v, "county_code"));
            s->period = period;
            s->inputs_revision = p.seal_inputs_revision;
        }
    }
    return 0;
}

/* The problem's state by its key. */
static problem_state problem_state_of(const char *key)
{
    return strcmp(key, "rectified") == 0 ? PROBLEM_RECTIFIED : strcmp(key, "closed") == 0 ? PROBLEM_CLOSED
                                                                                           : PROBLEM_OPEN;
}

/* Problems, overrides and periods. */
static int load_findings(server *self, const json_t *all)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(all, "problems"), i, v) {
        problem_info p = { .id = (int64_t)json_integer_value(json_object_get(v, "id")),
                           .period = (int32_t)json_integer_value(json_object_get(v, "period")),
                           .state = problem_state_of(str_of(v, "state")) };
        snprintf(p.county_code, sizeof p.county_code, "%s", str_of(v, "county_code"));
        snprintf(p.item, sizeof p.item, "%s", str_of(v, "item"));
        if (review_state_put_problem(self->review, &p) != 0)
            return -1;
    }
    json_array_foreach(json_object_get(all, "overrides"), i, v) {
        if (review_state_put_override(self->review, str_of(v, "county_code"),
                                      (int32_t)json_integer_value(json_object_get(v, "period")), str_of(v, "item"),
                                      str_of(v, "field"), str_of(v, "value"), str_of(v, "reason"),
                                      str_of(v, "at")) != 0)
            return -1;
    }
    json_array_foreach(json_object_get(all, "periods"), i, v) {
        period_info p = { .period = (int32_t)json_integer_value(json_object_get(v, "period")),
                          .closes_on = date_number(str_of(v, "closes")),
                          .closed = json_is_true(json_object_get(v, "closed")) };
        if (review_state_set_period(self->review, &p) != 0)
            return -1;
    }
    return 0;
}

/* The audit rows of the actions with an action id: the answer to a resend. */
static int load_actions(server *self, const json_t *all)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(all, "actions"), i, v) {
        char *text = json_dumps(v, JSON_COMPACT);
        if (!text || hashmap_put(self->review_actions, str_of(v, "action_id"), text) != 0) {
            free(text);
            return -1;
        }
    }
    return 0;
}

/* store_load_approved callback: a school's newest approved revision. */
static void load_approved(void *arg, const char *school_code, int32_t period, int64_t revision,
                          const uint8_t *payload, size_t len)
{
    server *self = arg;
    school_record *rec = registry_school(self->reg, school_code);
    submission sub;
    if (!rec || wire_submission_unpack(payload, len, &sub) != 0) {
        log_warn("approved revision %lld of %s cannot be loaded (unknown school or undecodable)",
                 (long long)revision, school_code);
        return;
    }
    if (county_book_school_approved(self->book, rec, period, revision, &sub) < 0)
        log_error("out of memory loading approved revision %lld", (long long)revision);
    submission_clear(&sub);
}

int review_load(server *self)
{
    self->review = review_state_new();
    self->review_actions = hashmap_new(free);
    if (!self->review || !self->review_actions) {
        log_error("out of memory at start");
        return -1;
    }
    county_book_set_review(self->book, self->review);
    char *text = NULL;
    if (store_review_load(self->db, &text) != STORE_OK) {
        log_error("loading the review chain: %s", store_last_error(self->db));
        return -1;
    }
    json_error_t err;
    json_t *all = json_loads(text, 0, &err);
    free(text);
    int rc = all && load_revisions(self, all) == 0 && load_packages(self, all) == 0 &&
                     load_findings(self, all) == 0 && load_actions(self, all) == 0
                 ? 0
                 : -1;
    json_decref(all);
    if (rc != 0) {
        log_error("loading the review chain: out of memory or unreadable");
        return -1;
    }
    if (store_load_approved(self->db, load_approved, self) != STORE_OK) {
        log_error("loading approved revisions: %s", store_last_error(self->db));
        return -1;
    }
    return 0;
}

void review_load_county_inputs(server *self, const char *county_code, int32_t period, int64_t revision,
                               const county_inputs *rev)
{
    for (size_t i = 0; i < self->n_seals; i++) {
        struct review_seal_load *s = &self->seals[i];
        if (s->period == period && revision <= s->inputs_revision && strcmp(s->county_code, county_code) == 0 &&
            county_inputs_merge(&s->merged, rev) != 0)
            log_error("out of memory rebuilding the sealed inputs of %s", county_code);
    }
}

int review_load_seals(server *self)
{
    int rc = 0;
    for (size_t i = 0; i < self->n_seals; i++) {
        struct review_seal_load *s = &self->seals[i];
        if (county_book_official_inputs(self->book, s->county_code, s->period, s->inputs_revision,
                                        s->inputs_revision > 0 ? &s->merged : NULL) != 0) {
            log_error("the sealed inputs of %s %d not loaded (unknown county or out of memory)", s->county_code,
                      (int)s->period);
            rc = -1;
        }
        county_inputs_clear(&s->merged);
    }
    free(self->seals);
    self->seals = NULL;
    self->n_seals = 0;
    return rc;
}

void review_load_free(server *self)
{
    for (size_t i = 0; i < self->n_seals; i++)
        county_inputs_clear(&self->seals[i].merged);
    free(self->seals);
    self->seals = NULL;
    self->n_seals = 0;
    review_state_destroy(&self->review);
    hashmap_destroy(&self->review_actions);
}
