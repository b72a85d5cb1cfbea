/* store_county.c -- reading the county inputs back at start (the group
 * commit writes them, store_group.c). See store.h. */
#include <string.h>

#include "store_internal.h"

int store_load_county_inputs(store *self,
                             void (*fn)(void *arg, const char *county_code, int32_t period, int64_t revision,
                                        const uint8_t *payload, size_t len),
                             void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    const char *sql = "SELECT county_code, period, revision, payload FROM county_inputs ORDER BY revision";
    if (!PQsendQueryParams(self->conn, sql, 0, NULL, NULL, NULL, NULL, 1) || !PQsetSingleRowMode(self->conn)) {
        store_note_error(self, "load county inputs", NULL);
        return store_failure_code(self);
    }
    int rc = STORE_OK;
    PGresult *r;
    while ((r = PQgetResult(self->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            char code[COUNTY_CODE_LEN + 1];
            int clen = PQgetlength(r, 0, 0);
            if (clen > COUNTY_CODE_LEN)
                clen = COUNTY_CODE_LEN;
            memcpy(code, PQgetvalue(r, 0, 0), (size_t)clen);
            code[clen] = '\0';
            fn(arg, code, store_be32(PQgetvalue(r, 0, 1)), store_be64(PQgetvalue(r, 0, 2)),
               (const uint8_t *)PQgetvalue(r, 0, 3), (size_t)PQgetlength(r, 0, 3));
        } else if (st != PGRES_TUPLES_OK) {
            store_note_error(self, "load county inputs", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    return rc;
}
