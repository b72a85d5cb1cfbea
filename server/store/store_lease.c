/* store_lease.c -- the active daemon's lease: a PostgreSQL session advisory
 * lock taken on a connection of its own (see store.h, "The active daemon's
 * lease", and server/lease.c, which holds it). The lock lives as long as the
 * session: when the daemon dies, or the server that holds the session dies,
 * it is released by PostgreSQL itself. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int store_lease_try(store *self, int64_t key, bool *held, int *holder)
{
    *held = false;
    *holder = 0;
    if (!store_is_up(self)) {
        snprintf(self->error, sizeof self->error, "lease: database unavailable");
        return STORE_DOWN;
    }
    char key_text[32];
    snprintf(key_text, sizeof key_text, "%" PRId64, key);
    const char *params[] = { key_text };
    /* A server in recovery (a hot standby) answers NULL: the lock must be
     * taken on the read-write server, where the daemon writes. A bigint key
     * shows in pg_locks as classid (high half), objid (low half), objsubid 1. */
    PGresult *r = PQexecParams(self->conn,
                               "SELECT CASE WHEN pg_is_in_recovery() THEN NULL"
                               " ELSE pg_try_advisory_lock($1::bigint) END,"
                               " (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                               "  AND classid = ($1::bigint >> 32)::oid"
                               "  AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1"
                               "  AND pid <> pg_backend_pid() LIMIT 1)",
                               1, NULL, params, NULL, NULL, 0);
    int rc = STORE_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        store_note_error(self, "lease", r);
        rc = store_failure_code(self) == STORE_DOWN || store_error_retryable(r) ? STORE_DOWN : STORE_ERROR;
    } else if (PQgetisnull(r, 0, 0)) {
        PQclear(r);
        store_close(self, "lease: the server is a standby in recovery (read-only)");
        return STORE_DOWN;
    } else {
        *held = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        *holder = PQgetisnull(r, 0, 1) ? 0 : atoi(PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return rc;
}

int store_lease_session(store *self, char *server, size_t size)
{
    if (size > 0)
        server[0] = '\0';
    if (!store_is_up(self))
        return 0;
    const char *host = PQhost(self->conn), *port = PQport(self->conn);
    snprintf(server, size, "%s:%s", host ? host : "", port ? port : "");
    return PQbackendPID(self->conn);
}

/* store_call_parse for a lease try: found (held) and lease_holder. */
static int parse_try(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n != 1 || PQntuples(res[0]) != 1)
        return STORE_ERROR;
    if (PQgetisnull(res[0], 0, 0)) {
        snprintf(self->error, sizeof self->error, "lease: the server is a standby in recovery (read-only)");
        return STORE_DOWN;
    }
    out->found = strcmp(PQgetvalue(res[0], 0, 0), "t") == 0;
    out->lease_holder = PQgetisnull(res[0], 0, 1) ? 0 : atoi(PQgetvalue(res[0], 0, 1));
    return STORE_OK;
}

int store_lease_try_send(store *self, int64_t key, int own_old_pid, store_call **call)
{
    *call = NULL;
    char key_text[32], pid_text[16];
    snprintf(key_text, sizeof key_text, "%" PRId64, key);
    snprintf(pid_text, sizeof pid_text, "%d", own_old_pid);
    const char *params[] = { key_text, pid_text };
    store_call *c = store_call_begin(self, "lease", parse_try);
    if (!c)
        return store_failure_code(self);
    bool ok = store_call_add(self, c,
                             "WITH holder AS (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                             "  AND classid = ($1::bigint >> 32)::oid"
                             "  AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1"
                             "  AND pid <> pg_backend_pid() LIMIT 1)"
                             " SELECT CASE WHEN pg_is_in_recovery() THEN NULL"
                             "  ELSE pg_try_advisory_lock($1::bigint) END,"
                             "  (SELECT pid FROM holder),"
                             "  (SELECT pg_terminate_backend(pid) FROM holder WHERE pid = $2::int AND $2::int <> 0)",
                             2, params, NULL, NULL, 0);
    return store_call_end(self, c, ok, call);
}

/* store_call_parse for the lease's round trip: one row, nothing to read. */
static int parse_ping(store *self, PGresult *const *res, int n, store_answer *out)
{
    (void)self;
    (void)out;
    return n == 1 && PQntuples(res[0]) == 1 ? STORE_OK : STORE_ERROR;
}

int store_lease_ping_send(store *self, store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, "lease check", parse_ping);
    if (!c)
        return store_failure_code(self);
    bool ok = store_call_add(self, c, "SELECT 1", 0, NULL, NULL, NULL, 0);
    return store_call_end(self, c, ok, call);
}
