/* store_keys.c -- loading the key registry (migrations/003_keys.sql) at
 * start. Key changes are store_admin.c, the listing store_query.c. See
 * store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int store_load_keys(store *self, void (*fn)(void *arg, const store_key_row *row), void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT public_key, role, subject, revoked_at IS NOT NULL, may_review FROM keys");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load keys", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        store_key_row row = { PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                              PQgetvalue(r, i, 3)[0] == 't', PQgetvalue(r, i, 4)[0] == 't' };
        fn(arg, &row);
    }
    PQclear(r);
    return STORE_OK;
}
