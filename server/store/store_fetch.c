/* store_fetch.c -- reading one stored revision back. See store.h. */
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"
#include "wire.h"

int store_fetch_revision(store *self, int64_t revision, submission *out)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    char rev[32];
    snprintf(rev, sizeof rev, "%lld", (long long)revision);
    const char *values[1] = { rev };
    PGresult *r = PQexecParams(self->conn, "SELECT payload FROM submissions WHERE revision = $1::bigint", 1, NULL,
                               values, NULL, NULL, 1);
    int rc = STORE_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "fetch revision", r);
        rc = store_failure_code(self);
    } else if (PQntuples(r) != 1 ||
               wire_submission_unpack((const uint8_t *)PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), out) != 0) {
        snprintf(self->error, sizeof self->error, "revision %s not found or undecodable", rev);
        rc = STORE_ERROR;
    }
    PQclear(r);
    return rc;
}
