/* store_status.c -- county status history in PostgreSQL. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* The INSERT of the rows as eight arrays, sent without waiting. */
static int statuses_send(store *self, const store_status_row *rows, size_t n)
{
    enum { COLS = 8 };
    static const uint32_t OIDS[COLS] = { PG_OID_TEXT, PG_OID_INT4, PG_OID_TEXT, PG_OID_TEXT,
                                         PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT };
    pgarray cols[COLS] = { 0 };
    for (int c = 0; c < COLS; c++)
        pgarray_begin(&cols[c], OIDS[c]);
    for (size_t i = 0; i < n; i++) {
        char seq[32];
        snprintf(seq, sizeof seq, "%llu", (unsigned long long)rows[i].seq);
        pgarray_add_text(&cols[0], rows[i].county_code);
        pgarray_add_int4(&cols[1], rows[i].period);
        pgarray_add_text(&cols[2], seq);
        pgarray_add_text(&cols[3], rows[i].epoch);
        pgarray_add_text(&cols[4], rows[i].rules_version);
        pgarray_add_text(&cols[5], rows[i].computed_at);
        pgarray_add_text(&cols[6], rows[i].status_json);
        pgarray_add_text(&cols[7], rows[i].view ? rows[i].view : "live");
    }
    int rc = STORE_OK;
    const char *values[COLS];
    int lengths[COLS], formats[COLS];
    for (int c = 0; c < COLS; c++) {
        if (pgarray_finish(&cols[c]) != 0)
            rc = STORE_ERROR;
        values[c] = (const char *)cols[c].buf;
        lengths[c] = (int)cols[c].len;
        formats[c] = 1;
    }
    if (rc != STORE_OK) {
        snprintf(self->error, sizeof self->error, "store status: out of memory");
    } else if (!PQsendQueryParams(self->conn,
                                  "INSERT INTO county_status_history (county_code, period, seq, epoch, "
                                  "rules_version, computed_at, status, view) "
                                  "SELECT c, p, s::bigint, e, v, t::timestamptz, j::jsonb, w "
                                  "FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::text[], "
                                  "$6::text[], $7::text[], $8::text[]) AS u(c, p, s, e, v, t, j, w)",
                                  COLS, NULL, values, lengths, formats, 0)) {
        store_note_error(self, "store status", NULL);
        rc = store_failure_code(self);
    } else {
        self->statuses_sent = true;
    }
    for (int c = 0; c < COLS; c++)
        pgarray_free(&cols[c]);
    return rc;
}

int store_append_statuses_send(store *self, const store_status_row *rows, size_t n)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    if (self->statuses_sent) {
        snprintf(self->error, sizeof self->error, "store status: the previous statuses are still being stored");
        return STORE_ERROR;
    }
    return n == 0 ? STORE_OK : statuses_send(self, rows, n);
}

int store_append_statuses_collect(store *self)
{
    if (!self->statuses_sent)
        return STORE_OK;
    if (!store_is_up(self)) {
        self->statuses_sent = false;
        return STORE_DOWN;
    }
    /* results are taken only while libpq has them whole (PQisBusy false), so
     * this never waits; a failure seen before the end is remembered */
    int rc = self->statuses_rc;
    PQconsumeInput(self->conn);
    for (;;) {
        if (PQisBusy(self->conn) && PQstatus(self->conn) != CONNECTION_BAD) {
            self->statuses_rc = rc;
            return STORE_PENDING;
        }
        PGresult *r = PQgetResult(self->conn);
        if (!r)
            break;
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == STORE_OK) {
            store_note_error(self, "store status", r);
            rc = STORE_ERROR;
        }
        PQclear(r);
    }
    self->statuses_sent = false;
    self->statuses_rc = STORE_OK;
    if (rc == STORE_OK && PQstatus(self->conn) == CONNECTION_BAD) {
        store_note_error(self, "store status", NULL);
        rc = STORE_DOWN;
    } else if (rc != STORE_OK) {
        rc = store_failure_code(self);
    }
    return rc;
}
