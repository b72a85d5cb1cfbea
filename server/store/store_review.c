/* store_review.c -- the review chain's statements (docs/review.md,
 * migrations/006_review_chain.sql): an action applied with its audit row
 * (review_apply, one transaction), the queries (review_query), a package
 * with the payloads its verification needs, and the loading at start. The
 * requests are calls (store_call.c), sent without waiting. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char APPLY_SQL[] = "SELECT review_apply($1::jsonb)::text";
static const char QUERY_SQL[] = "SELECT review_query($1::jsonb)::text";
static const char PACKAGE_SQL[] = "SELECT review_package($1, $2::integer, $3::bigint)::text";
/* The school revisions a seal lists, and the county-inputs revisions it
 * folded in (in revision order): kind, revision, code, payload. */
static const char SEAL_PAYLOADS_SQL[] =
    "WITH s AS (SELECT * FROM seals WHERE county_code = $1 AND period = $2::integer "
    "AND ($3::bigint = 0 OR id = $3::bigint) ORDER BY id DESC LIMIT 1) "
    "SELECT 0, sub.revision, sub.school_code::text, sub.payload FROM s, jsonb_array_elements(s.schools) x "
    "JOIN submissions sub ON sub.revision = (x->>'revision')::bigint "
    "UNION ALL "
    "SELECT 1, ci.revision, ci.county_code::text, ci.payload FROM s JOIN county_inputs ci "
    "ON ci.county_code = s.county_code AND ci.period = s.period AND ci.revision <= s.inputs_revision "
    "ORDER BY 1, 2";

void store_payloads_free(store_payload *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++)
        free(p[i].data);
    free(p);
}

/* Answer: the text of the first statement's one value. */
static int parse_text(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1 || PQgetisnull(res[0], 0, 0)) {
        snprintf(self->error, sizeof self->error, "review: unexpected answer");
        return STORE_ERROR;
    }
    out->text = strdup(PQgetvalue(res[0], 0, 0));
    if (!out->text) {
        snprintf(self->error, sizeof self->error, "review: out of memory");
        return STORE_DOWN;
    }
    return STORE_OK;
}

/* Sends one statement with one text parameter; answer parse_text. */
static int send_one(store *self, const char *what, const char *sql, const char *param, store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, what, parse_text);
    if (!c)
        return store_failure_code(self);
    const char *values[1] = { param };
    return store_call_end(self, c, store_call_add(self, c, sql, 1, values, NULL, NULL, 0), call);
}

bool store_call_add_audit(store *self, store_call *c, const char *audit_json)
{
    const char *values[1] = { audit_json };
    return !audit_json || store_call_add(self, c, APPLY_SQL, 1, values, NULL, NULL, 0);
}

int store_review_apply_send(store *self, const char *request_json, store_call **call)
{
    return send_one(self, "review action", APPLY_SQL, request_json, call);
}

int store_review_query_send(store *self, const char *request_json, store_call **call)
{
    return send_one(self, "review query", QUERY_SQL, request_json, call);
}

/* Package: [0] the package's JSON, [1] (verify) the payloads. */
static int parse_package(store *self, PGresult *const *res, int n, store_answer *out)
{
    int rc = parse_text(self, res, n, out);
    if (rc != STORE_OK || n < 2)
        return rc;
    int rows = PQntuples(res[1]);
    out->payloads = calloc(rows > 0 ? (size_t)rows : 1, sizeof *out->payloads);
    if (!out->payloads) {
        snprintf(self->error, sizeof self->error, "review package: out of memory");
        return STORE_DOWN;
    }
    for (int i = 0; i < rows; i++) {
        store_payload *p = &out->payloads[i];
        p->kind = (int)strtol(PQgetvalue(res[1], i, 0), NULL, 10);
        p->revision = strtoll(PQgetvalue(res[1], i, 1), NULL, 10);
        snprintf(p->code, sizeof p->code, "%s", PQgetvalue(res[1], i, 2));
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(res[1], i, 3), &len);
        p->data = bytes ? malloc(len ? len : 1) : NULL;
        if (!p->data) {
            PQfreemem(bytes);
            snprintf(self->error, sizeof self->error, "review package: out of memory");
            return STORE_DOWN;
        }
        memcpy(p->data, bytes, len);
        p->len = len;
        PQfreemem(bytes);
        out->n_payloads++;
    }
    return STORE_OK;
}

int store_review_package_send(store *self, const char *county_code, int32_t period, int64_t seal, bool payloads,
                              store_call **call)
{
    *call = NULL;
    char p[16], s[24];
    snprintf(p, sizeof p, "%d", (int)period);
    snprintf(s, sizeof s, "%lld", (long long)seal);
    const char *values[3] = { county_code, p, s };
    store_call *c = store_call_begin(self, "review package", parse_package);
    if (!c)
        return store_failure_code(self);
    bool ok = store_call_add(self, c, PACKAGE_SQL, 3, values, NULL, NULL, 0) &&
              (!payloads || store_call_add(self, c, SEAL_PAYLOADS_SQL, 3, values, NULL, NULL, 0));
    return store_call_end(self, c, ok, call);
}

int store_review_load(store *self, char **out)
{
    *out = NULL;
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT review_load()::text");
    int rc = STORE_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        store_note_error(self, "load review chain", r);
        rc = store_failure_code(self);
    } else if (!(*out = strdup(PQgetvalue(r, 0, 0)))) {
        snprintf(self->error, sizeof self->error, "load review chain: out of memory");
        rc = STORE_ERROR;
    }
    PQclear(r);
    return rc;
}

int store_load_approved(store *self,
                        void (*fn)(void *arg, const char *school_code, int32_t period, int64_t revision,
                                   const uint8_t *payload, size_t len),
                        void *arg)
{
    return store_load_revisions(self,
                                "SELECT DISTINCT ON (s.school_code, s.period) s.school_code, s.period, s.revision, "
                                "s.payload FROM submissions s JOIN revision_reviews r ON r.revision = s.revision "
                                "AND r.state = 'approved' ORDER BY s.school_code, s.period, s.revision DESC",
                                "load approved revisions", SCHOOL_CODE_LEN, fn, arg);
}
