/* store_retention.c -- the retention delete: quarantined messages and status
 * history older than their limits, a bounded number of rows per call,
 * through junheng_retention_delete() (migrations/007_retention.sql), the
 * only way past the history's append-only trigger. One call (store_call.c),
 * sent without waiting; statement_timeout applies. See store.h. */
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

static const char RETENTION_SQL[] =
    "SELECT quarantine_deleted, history_deleted FROM junheng_retention_delete($1::int, $2::int, $3::int)";

/* Reads the two counts of the one row. */
static int parse_deleted(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1 || PQnfields(res[0]) != 2) {
        snprintf(self->error, sizeof self->error, "retention: unexpected answer from the database");
        return STORE_ERROR;
    }
    out->deleted_quarantine = (size_t)strtoull(PQgetvalue(res[0], 0, 0), NULL, 10);
    out->deleted_history = (size_t)strtoull(PQgetvalue(res[0], 0, 1), NULL, 10);
    return STORE_OK;
}

int store_retention_send(store *self, int quarantine_days, int history_days, int max_rows, store_call **call)
{
    *call = NULL;
    char q[16], h[16], m[16];
    snprintf(q, sizeof q, "%d", quarantine_days > 0 ? quarantine_days : 0);
    snprintf(h, sizeof h, "%d", history_days > 0 ? history_days : 0);
    snprintf(m, sizeof m, "%d", max_rows > 0 ? max_rows : 1);
    const char *values[3] = { q, h, m };
    store_call *c = store_call_begin(self, "retention", parse_deleted);
    if (!c)
        return store_failure_code(self);
    return store_call_end(self, c, store_call_add(self, c, RETENTION_SQL, 3, values, NULL, NULL, 0), call);
}
