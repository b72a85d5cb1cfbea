/* store_query.c -- the requests that read lists back as JSON text: the
 * quarantine, the key registry, a county's status history. Each is one
 * call (store_call.c), sent without waiting. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char QUARANTINE_SQL[] =
    "SELECT COALESCE(json_agg(q ORDER BY q.id), '[]')::text FROM ("
    " SELECT id, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS received_at,"
    " peer, school_code, reason, errors, length(raw) AS raw_bytes FROM quarantine"
    " WHERE $1::timestamptz IS NULL OR received_at >= $1::timestamptz ORDER BY id DESC LIMIT $2::int) q";

static const char KEYS_LIST_SQL[] =
    "SELECT COALESCE(json_agg(k ORDER BY k.created_at, k.public_key), '[]')::text FROM ("
    " SELECT public_key, role, subject, may_review,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
    " to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS revoked_at FROM keys) k";

/* A compact entry per status: verdicts and the seven coefficients per stage. */
static const char HISTORY_SQL[] =
    "SELECT COALESCE(json_agg(h ORDER BY h.id), '[]')::text FROM ("
    " SELECT id, period, view, seq, epoch, rules_version,"
    "  to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS computed_at,"
    "  status->'verdict' AS verdict, status->'resource_allocation_pass' AS resource_allocation_pass,"
    "  status->'coverage'->'schools_submitted' AS schools_submitted,"
    "  status->'coverage'->'schools_registered' AS schools_registered,"
    "  (SELECT json_object_agg(st.key, json_build_object('pass', st.value->'pass',"
    "     'sections_passing', st.value->'sections_passing', 'sections_assessed', st.value->'sections_assessed',"
    "     'cv_limit', st.value->'indicators'->0->'cv_limit',"
    "     'cv', (SELECT json_object_agg(i->>'id', i->'cv') FROM jsonb_array_elements(st.value->'indicators') i)))"
    "   FROM jsonb_each(status->'stages') st) AS stages"
    " FROM county_status_history WHERE county_code = $1 AND view = $4 AND ($2::int = 0 OR period = $2::int)"
    " ORDER BY id DESC LIMIT $3::int) h";

/* The one text value of the one statement, copied into out->text. */
static int parse_text(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1 || PQnfields(res[0]) != 1) {
        snprintf(self->error, sizeof self->error, "unexpected answer from the database");
        return STORE_ERROR;
    }
    out->text = strdup(PQgetvalue(res[0], 0, 0));
    if (!out->text) {
        snprintf(self->error, sizeof self->error, "out of memory");
        return STORE_DOWN;
    }
    return STORE_OK;
}

/* Sends one statement with text parameters as a call answering text. */
static int send_text_query(store *self, const char *what, const char *sql, int n, const char *const *values,
                           store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, what, parse_text);
    if (!c)
        return store_failure_code(self);
    return store_call_end(self, c, store_call_add(self, c, sql, n, values, NULL, NULL, 0), call);
}

int store_quarantine_send(store *self, const char *since, int limit, store_call **call)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 1000);
    const char *values[2] = { since && *since ? since : NULL, lim };
    return send_text_query(self, "list quarantine", QUARANTINE_SQL, 2, values, call);
}

int store_keys_list_send(store *self, store_call **call)
{
    return send_text_query(self, "list keys", KEYS_LIST_SQL, 0, NULL, call);
}

int store_history_send(store *self, const char *county_code, int32_t period, const char *view, int limit,
                       store_call **call)
{
    char p[16], lim[16];
    snprintf(p, sizeof p, "%d", (int)period);
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 1000);
    const char *values[4] = { county_code, p, lim, view ? view : "live" };
    return send_text_query(self, "status history", HISTORY_SQL, 4, values, call);
}
