/* store_plan.c -- the city's plan (migrations/009_plan.sql): revisions
 * appended by an import, all of them loaded at start. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* $1: {"imported_by", "actor_key", "file_name", "rows": [{county_code,
 * period, line, figures}]}; answers one text, a JSON array of the
 * revisions written: [{county_code, period, revision, imported_at}]. */
static const char PLAN_SQL[] =
    "WITH req AS (SELECT $1::jsonb AS j), ins AS ("
    "INSERT INTO plan_revisions (county_code, period, imported_by, actor_key, file_name, line, figures) "
    "SELECT r->>'county_code', (r->>'period')::int, req.j->>'imported_by', NULLIF(req.j->>'actor_key', ''), "
    "COALESCE(req.j->>'file_name', ''), (r->>'line')::int, r->'figures' "
    "FROM req, jsonb_array_elements(req.j->'rows') WITH ORDINALITY AS t(r, o) ORDER BY o "
    "RETURNING revision, county_code, period, imported_at) "
    "SELECT COALESCE(json_agg(json_build_object('county_code', county_code, 'period', period, "
    "'revision', revision, 'imported_at', review_time(imported_at)) ORDER BY revision), '[]')::text FROM ins";

/* The answer: the one text of the first statement. */
static int parse_plan(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1 || PQgetisnull(res[0], 0, 0)) {
        snprintf(self->error, sizeof self->error, "import plan: unexpected answer");
        return STORE_ERROR;
    }
    out->text = strdup(PQgetvalue(res[0], 0, 0));
    if (!out->text) {
        snprintf(self->error, sizeof self->error, "import plan: out of memory");
        return STORE_DOWN;
    }
    return STORE_OK;
}

int store_plan_send(store *self, const char *request_json, const char *audit_json, store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, "import plan", parse_plan);
    if (!c)
        return store_failure_code(self);
    const char *values[1] = { request_json };
    return store_call_end(self, c,
                          store_call_add(self, c, PLAN_SQL, 1, values, NULL, NULL, 0) &&
                              store_call_add_audit(self, c, audit_json),
                          call);
}

int store_load_plans(store *self, void (*fn)(void *arg, const store_plan_row *row), void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT county_code, period, revision, review_time(imported_at), "
                                     "figures::text FROM plan_revisions ORDER BY revision");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load plan", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        store_plan_row row = { PQgetvalue(r, i, 0), (int32_t)atoi(PQgetvalue(r, i, 1)),
                               strtoll(PQgetvalue(r, i, 2), NULL, 10), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4) };
        fn(arg, &row);
    }
    PQclear(r);
    return STORE_OK;
}
