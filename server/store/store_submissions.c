/* store_submissions.c -- reading submissions back at start (and the row
 * reader the county inputs share, store_county.c). The group commit that
 * writes them is store_group.c. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* See store_internal.h. */
int store_load_revisions(store *self, const char *sql, const char *what, int code_max, store_revision_fn fn,
                         void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    if (!PQsendQueryParams(self->conn, sql, 0, NULL, NULL, NULL, NULL, 1) || !PQsetSingleRowMode(self->conn)) {
        store_note_error(self, what, NULL);
        return store_failure_code(self);
    }
    int rc = STORE_OK;
    PGresult *r;
    while ((r = PQgetResult(self->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            char code[32];
            int clen = PQgetlength(r, 0, 0);
            if (clen > code_max)
                clen = code_max;
            if (clen > (int)sizeof code - 1)
                clen = (int)sizeof code - 1;
            memcpy(code, PQgetvalue(r, 0, 0), (size_t)clen);
            code[clen] = '\0';
            fn(arg, code, store_be32(PQgetvalue(r, 0, 1)), store_be64(PQgetvalue(r, 0, 2)),
               (const uint8_t *)PQgetvalue(r, 0, 3), (size_t)PQgetlength(r, 0, 3));
        } else if (st != PGRES_TUPLES_OK) {
            store_note_error(self, what, r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    return rc;
}

int store_load_latest(store *self,
                      void (*fn)(void *arg, const char *school_code, int32_t period, int64_t revision,
                                 const uint8_t *payload, size_t len),
                      void *arg)
{
    return store_load_revisions(self,
                                "SELECT DISTINCT ON (school_code, period) school_code, period, revision, payload "
                                "FROM submissions ORDER BY school_code, period, revision DESC",
                                "load latest", SCHOOL_CODE_LEN, fn, arg);
}

int64_t store_count_revisions(store *self)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT count(*) FROM submissions");
    int64_t n = STORE_ERROR;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        store_note_error(self, "count revisions", r);
    PQclear(r);
    return n < 0 ? store_failure_code(self) : n;
}
