/* store_keys.c -- the key registry in PostgreSQL (migrations/003_keys.sql).
 * See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int store_keys_put(store *self, const store_key_row *rows, size_t n)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    int rc = store_exec(self, "BEGIN");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        const char *values[3] = { rows[i].public_key, rows[i].role, rows[i].subject };
        /* The update is skipped for a revoked key (no row returned): the
         * trigger would refuse it anyway; this names the key instead. */
        PGresult *r = PQexecParams(self->conn,
                                   "INSERT INTO keys (public_key, role, subject) VALUES ($1, $2, $3) "
                                   "ON CONFLICT (public_key) DO UPDATE SET role = EXCLUDED.role, "
                                   "subject = EXCLUDED.subject, updated_at = now() WHERE keys.revoked_at IS NULL "
                                   "RETURNING public_key",
                                   3, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            store_note_error(self, "set key", r);
            rc = store_failure_code(self);
        } else if (PQntuples(r) != 1) {
            snprintf(self->error, sizeof self->error, "key %s is revoked; a revoked key stays revoked (make a new one "
                     "with junheng keygen)", rows[i].public_key);
            rc = STORE_ERROR;
        }
        PQclear(r);
    }
    if (rc == STORE_OK)
        return store_exec(self, "COMMIT");
    if (store_is_up(self)) {
        char saved[sizeof self->error];
        memcpy(saved, self->error, sizeof saved);
        store_exec(self, "ROLLBACK");
        memcpy(self->error, saved, sizeof saved);
    }
    return rc;
}

int store_key_revoke(store *self, const char *public_key, bool *found)
{
    *found = false;
    if (!store_is_up(self))
        return STORE_DOWN;
    const char *values[1] = { public_key };
    PGresult *r = PQexecParams(self->conn,
                               "SELECT revoked_at IS NOT NULL FROM keys WHERE public_key = $1", 1, NULL, values,
                               NULL, NULL, 0);
    int rc = STORE_OK;
    bool revoked = false;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "revoke key", r);
        rc = store_failure_code(self);
    } else if (PQntuples(r) == 1) {
        *found = true;
        revoked = PQgetvalue(r, 0, 0)[0] == 't';
    }
    PQclear(r);
    if (rc != STORE_OK || !*found || revoked)
        return rc;
    r = PQexecParams(self->conn, "UPDATE keys SET revoked_at = now() WHERE public_key = $1 AND revoked_at IS NULL", 1,
                     NULL, values, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        store_note_error(self, "revoke key", r);
        rc = store_failure_code(self);
    }
    PQclear(r);
    return rc;
}

int store_load_keys(store *self, void (*fn)(void *arg, const store_key_row *row), void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT public_key, role, subject, revoked_at IS NOT NULL FROM keys");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load keys", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        store_key_row row = { PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                              PQgetvalue(r, i, 3)[0] == 't' };
        fn(arg, &row);
    }
    PQclear(r);
    return STORE_OK;
}

int store_list_keys(store *self, char **out)
{
    *out = NULL;
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(
        self->conn,
        "SELECT COALESCE(json_agg(k ORDER BY k.created_at, k.public_key), '[]')::text FROM ("
        " SELECT public_key, role, subject,"
        " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,"
        " to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS revoked_at FROM keys) k");
    int rc = STORE_OK;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        *out = strdup(PQgetvalue(r, 0, 0));
        if (!*out)
            rc = STORE_ERROR;
    } else {
        store_note_error(self, "list keys", r);
        rc = store_failure_code(self);
    }
    PQclear(r);
    return rc;
}
