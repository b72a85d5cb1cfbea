/* admin_review_query.c -- the review queries (docs/review.md "Answers"):
 * submissions, pending, findings, inbox and audit, each scoped by the key
 * (a school sees its own school, a county its county, a monitor its scope)
 * and answered by review_query(); and package, with --verify: the seal's
 * revisions are read back from PostgreSQL, decoded, and the status
 * rendered again (county_book_render_seal) and compared byte for byte with
 * the one stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "i18n.h"
#include "wire.h"
#include "wire_county.h"

/* Refuses the request in flight on field with reason. */
static void refuse(admin *self, const char *field, const char *reason)
{
    admin_refuse(self, &self->cur, field, reason);
}

/* Answers a query with the database's JSON text. */
static void query_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK)
        admin_reply_store_error(self, &self->cur, rc);
    else
        admin_reply_text(self, &self->cur, answer->text);
}

/* Sends the query q (consumed). */
static void query_send(admin *self, json_t *q)
{
    char *text = q ? json_dumps(q, JSON_COMPACT) : NULL;
    json_decref(q);
    if (!text) {
        refuse(self, "", "server out of memory");
        return;
    }
    store_call *call;
    int rc = store_review_query_send(self->db, text, &call);
    free(text);
    admin_send(self, rc, call, query_finish);
}

/* The county a query names: a registered 6-digit code. NULL when not given
 * (required: refused, and *refused set). */
static const char *query_county(admin *self, bool required, bool *refused)
{
    const char *code = self->cur.env->review->county_code;
    if (!code || !code[0]) {
        if (required) {
            refuse(self, "county_code", _("county_code (6 digits) is needed"));
            *refused = true;
        }
        return NULL;
    }
    if (!code_is_digits(code, COUNTY_CODE_LEN) || !registry_county(self->reg, code)) {
        refuse(self, "county_code", _("county_code is not a registered county"));
        *refused = true;
        return NULL;
    }
    return code;
}

/* submissions: a county's or a school's revisions. */
static void query_submissions(admin *self, const auth_key *k, json_t *q)
{
    const Junheng__ReviewRequest *r = self->cur.env->review;
    const char *school = r->school_code && r->school_code[0] ? r->school_code : NULL;
    if (k->role == ROLE_SCHOOL && !school)
        school = k->subject;
    bool refused = false;
    const char *county = query_county(self, false, &refused);
    if (refused) {
        json_decref(q);
        return;
    }
    if (school) {
        school_record *rec = code_is_digits(school, SCHOOL_CODE_LEN) ? registry_school(self->reg, school) : NULL;
        if (!rec) {
            refuse(self, "school_code", _("school_code is not a registered school"));
            json_decref(q);
            return;
        }
        county = school_record_county(rec);
        json_object_set_new(q, "school_code", json_string(school));
    } else if (!county) {
        refuse(self, "county_code", _("county_code or school_code is needed"));
        json_decref(q);
        return;
    }
    if (r->state && r->state[0] && strcmp(r->state, "submitted") != 0 && strcmp(r->state, "approved") != 0 &&
        strcmp(r->state, "returned") != 0) {
        refuse(self, "state", _("state is submitted, approved or returned"));
        json_decref(q);
        return;
    }
    if (!admin_review_allowed(self, REVIEW_RIGHT_READ, county, school, "see the submissions of", "查看填报")) {
        json_decref(q);
        return;
    }
    json_object_set_new(q, "county_code", school ? json_null() : json_string(county));
    json_object_set_new(q, "state", json_string(r->state ? r->state : ""));
    query_send(self, q);
}

/* audit: scoped by the key (a school its own rows, a county its county, a
 * monitor its prefix). */
static void query_audit(admin *self, const auth_key *k, json_t *q)
{
    const Junheng__ReviewRequest *r = self->cur.env->review;
    bool refused = false;
    const char *county = query_county(self, false, &refused);
    if (refused) {
        json_decref(q);
        return;
    }
    if (county && !admin_review_allowed(self, REVIEW_RIGHT_READ, county, NULL, "read the audit log of county",
                                        "查看审计日志")) {
        json_decref(q);
        return;
    }
    const char *since = r->since ? r->since : "";
    if (since[0] && (strlen(since) < 10 || since[4] != '-' || since[7] != '-')) {
        refuse(self, "since", _("since is YYYY-MM-DD or an RFC 3339 time"));
        json_decref(q);
        return;
    }
    json_object_set_new(q, "county_code", json_string(county ? county : ""));
    json_object_set_new(q, "since", json_string(since));
    if (k->role == ROLE_SCHOOL)
        json_object_set_new(q, "school_code", json_string(k->subject));
    else if (k->role == ROLE_COUNTY || k->role == ROLE_MONITOR)
        json_object_set_new(q, "prefix", json_string(k->subject));
    query_send(self, q);
}

void admin_review_query(admin *self)
{
    const Junheng__ReviewRequest *r = self->cur.env->review;
    const auth_key *k = admin_review_actor(self);
    if (!k)
        return;
    json_t *q = json_pack("{s:s, s:i}", "action", r->action, "period", r->has_period ? r->period : 0);
    if (!q) {
        refuse(self, "", "server out of memory");
        return;
    }
    if (strcmp(r->action, "submissions") == 0) {
        query_submissions(self, k, q);
        return;
    }
    if (strcmp(r->action, "audit") == 0) {
        query_audit(self, k, q);
        return;
    }
    if (strcmp(r->action, "inbox") == 0) {
        json_object_set_new(q, "role", json_string(key_role_name(k->role)));
        json_object_set_new(q, "subject", json_string(k->role == ROLE_ADMIN ? "" : k->subject));
        query_send(self, q);
        return;
    }
    /* pending, findings: one county */
    bool refused = false;
    const char *county = query_county(self, true, &refused);
    if (!county || !admin_review_allowed(self, REVIEW_RIGHT_READ, county, NULL, "read the review of county",
                                         "查看县区审核情况")) {
        json_decref(q);
        return;
    }
    json_object_set_new(q, "county_code", json_string(county));
    query_send(self, q);
}

/* Decodes the seal's payloads: school revisions into subs/schools (in the
 * order of the seal's list), county inputs merged into *inputs. Returns 0,
 * or -1 (undecodable, out of memory; why says so). */
static int decode_seal(admin *self, const store_answer *a, const json_t *list, seal_school *schools,
                       submission *subs, county_inputs *inputs, char *why, size_t whylen)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        schools[i].school_code = json_string_value(json_object_get(v, "school_code"));
        schools[i].revision = (int64_t)json_integer_value(json_object_get(v, "revision"));
        for (size_t p = 0; schools[i].revision && p < a->n_payloads; p++) {
            const store_payload *pl = &a->payloads[p];
            if (pl->kind != 0 || pl->revision != schools[i].revision)
                continue;
            if (wire_submission_unpack(pl->data, pl->len, &subs[i]) != 0) {
                snprintf(why, whylen, "revision %lld does not decode", (long long)pl->revision);
                return -1;
            }
            schools[i].sub = &subs[i];
        }
    }
    for (size_t p = 0; p < a->n_payloads; p++) {
        const store_payload *pl = &a->payloads[p];
        char sid[SUBMISSION_ID_LEN + 1];
        county_inputs_revision rev;
        if (pl->kind != 1)
            continue;
        if (wire_county_inputs_unpack(pl->data, pl->len, county_book_rules(self->book), sid, &rev) != 0) {
            snprintf(why, whylen, "county-inputs revision %lld does not decode", (long long)pl->revision);
            return -1;
        }
        int rc = county_inputs_merge(inputs, &rev.inputs);
        county_inputs_clear(&rev.inputs);
        if (rc != 0) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
    }
    return 0;
}

/* The verification of a seal: "identical" or where the recomputation
 * differs (a new JSON value). */
static json_t *verify_seal(admin *self, const json_t *pkg, const store_answer *a, const char *stored)
{
    const json_t *list = json_object_get(pkg, "schools");
    size_t n = json_array_size(list);
    seal_school *schools = calloc(n + 1, sizeof *schools);
    submission *subs = calloc(n + 1, sizeof *subs);
    county_inputs inputs;
    memset(&inputs, 0, sizeof inputs);
    char why[160] = "out of memory";
    char *again = NULL;
    int64_t inputs_revision = (int64_t)json_integer_value(json_object_get(pkg, "inputs_revision"));
    if (schools && subs && decode_seal(self, a, list, schools, subs, &inputs, why, sizeof why) == 0)
        again = county_book_render_seal(self->book, json_string_value(json_object_get(pkg, "county_code")),
                                        (int32_t)json_integer_value(json_object_get(pkg, "period")), schools, n,
                                        inputs_revision > 0 ? &inputs : NULL, inputs_revision,
                                        json_string_value(json_object_get(pkg, "sealed_at")));
    for (size_t i = 0; subs && i < n; i++)
        if (schools[i].sub)
            submission_clear(&subs[i]);
    county_inputs_clear(&inputs);
    free(schools);
    free(subs);
    if (!again)
        return json_pack("{s:s}", "error", why);
    json_t *out;
    if (strcmp(again, stored) == 0) {
        out = json_string("identical");
    } else {
        size_t at = 0;
        while (again[at] && again[at] == stored[at])
            at++;
        out = json_pack("{s:I, s:s%, s:s%}", "differs_at", (json_int_t)at, "stored", stored + at,
                        strnlen(stored + at, 80), "recomputed", again + at, strnlen(again + at, 80));
    }
    free(again);
    return out;
}

/* The package's answer: the frozen status put in as an object, the
 * verification when asked. */
static void package_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    json_t *pkg = json_loads(answer->text, 0, NULL);
    if (!pkg) {
        refuse(self, "", "unreadable answer from the database");
        return;
    }
    const char *stored = json_string_value(json_object_get(pkg, "status_json"));
    json_object_set_new(pkg, "status", stored ? json_loads(stored, 0, NULL) : json_null());
    if (self->rv_verify) {
        if (stored)
            json_object_set_new(pkg, "verify", verify_seal(self, pkg, answer, stored));
        else
            json_object_set_new(pkg, "verify", json_pack("{s:s}", "error", "never sealed"));
    }
    json_object_del(pkg, "status_json");
    admin_reply_json(self, &self->cur, pkg);
}

void admin_review_package(admin *self)
{
    const Junheng__ReviewRequest *r = self->cur.env->review;
    bool refused = false;
    const char *county = query_county(self, true, &refused);
    if (!county ||
        !admin_review_allowed(self, REVIEW_RIGHT_READ, county, NULL, "read the package of county", "查看县区材料"))
        return;
    if (!r->has_period || r->period < 1900 || r->period > 9999) {
        refuse(self, "period", _("a period (e.g. 2025) is needed"));
        return;
    }
    self->rv_verify = r->has_verify && r->verify;
    store_call *call;
    int rc = store_review_package_send(self->db, county, r->period, r->has_seal ? r->seal : 0, self->rv_verify, &call);
    admin_send(self, rc, call, package_finish);
}
