/* store_submissions.c -- group commit of submissions and quarantined
 * messages, and reading them back. See store.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Reads a big-endian 64-bit integer from a binary-format result. */
static int64_t be64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | (uint8_t)p[i];
    return (int64_t)v;
}

static int32_t be32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return (int32_t)ntohl(v);
}

/* Stores one item inside the open transaction. Returns STORE_OK, or
 * STORE_ERROR when the database refused this item (the transaction is then
 * aborted), or STORE_DOWN. */
static int store_item_write(store *self, store_item *it)
{
    PGresult *r;
    if (it->kind == STORE_ITEM_SUBMISSION) {
        char period[16];
        snprintf(period, sizeof period, "%d", (int)it->period);
        const char *values[6] = { it->submission_id, it->school_code, period, (const char *)it->payload,
                                  it->warnings_json, it->submitted_by };
        int lengths[6] = { 0, 0, 0, (int)it->payload_len, 0, 0 };
        int formats[6] = { 0, 0, 0, 1, 0, 0 };
        r = PQexecPrepared(self->conn, "insert_submission", 6, values, lengths, formats, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            goto fail;
        if (PQntuples(r) == 1) {
            it->revision = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            it->duplicate = false;
            PQclear(r);
            return STORE_OK;
        }
        PQclear(r);
        r = PQexecPrepared(self->conn, "find_submission", 1, values, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            goto fail;
        it->revision = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        it->duplicate = true;
        PQclear(r);
        return STORE_OK;
    }
    const char *values[5] = { it->peer, it->school_code, it->reason, it->errors_json, (const char *)it->raw };
    int lengths[5] = { 0, 0, 0, 0, (int)it->raw_len };
    int formats[5] = { 0, 0, 0, 0, 1 };
    if (!it->raw) {
        values[4] = "";
        lengths[4] = 0;
    }
    r = PQexecPrepared(self->conn, "insert_quarantine", 5, values, lengths, formats, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        goto fail;
    PQclear(r);
    return STORE_OK;
fail:
    store_note_error(self, it->kind == STORE_ITEM_SUBMISSION ? "store submission" : "store quarantine", r);
    snprintf(it->error, sizeof it->error, "%.255s", self->error);
    PQclear(r);
    return store_failure_code(self);
}

/* One transaction over items[0..n); STORE_ERROR names the failing item in *bad. */
static int store_group_once(store *self, store_item *items, size_t n, size_t *bad)
{
    int rc = store_exec(self, "BEGIN");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        if (items[i].failed)
            continue;
        rc = store_item_write(self, &items[i]);
        if (rc != STORE_OK)
            *bad = i;
    }
    if (rc == STORE_OK)
        return store_exec(self, "COMMIT");
    if (store_is_up(self))
        store_exec(self, "ROLLBACK");
    return store_is_up(self) ? STORE_ERROR : STORE_DOWN;
}

int store_commit_group(store *self, store_item *items, size_t n)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    for (size_t i = 0; i < n; i++) {
        items[i].failed = false;
        items[i].error[0] = '\0';
        items[i].revision = 0;
        items[i].duplicate = false;
    }
    /* A row the database refuses aborts the transaction: mark it failed and
     * run the group again without it, so it never takes the others down.
     * Each pass removes one item, so this ends. */
    for (size_t attempt = 0; attempt <= n; attempt++) {
        size_t bad = n;
        int rc = store_group_once(self, items, n, &bad);
        if (rc == STORE_OK)
            return STORE_OK;
        if (rc == STORE_DOWN || bad >= n)
            return STORE_DOWN;
        items[bad].failed = true;
        if (!items[bad].error[0])
            snprintf(items[bad].error, sizeof items[bad].error, "%.255s", self->error);
    }
    return STORE_DOWN;
}

int store_load_latest(store *self,
                      void (*fn)(void *arg, const char *school_code, int32_t period, int64_t revision,
                                 const uint8_t *payload, size_t len),
                      void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    const char *sql = "SELECT DISTINCT ON (school_code, period) school_code, period, revision, payload "
                      "FROM submissions ORDER BY school_code, period, revision DESC";
    if (!PQsendQueryParams(self->conn, sql, 0, NULL, NULL, NULL, NULL, 1) || !PQsetSingleRowMode(self->conn)) {
        store_note_error(self, "load latest", NULL);
        return store_failure_code(self);
    }
    int rc = STORE_OK;
    PGresult *r;
    while ((r = PQgetResult(self->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            char code[SCHOOL_CODE_LEN + 1];
            int clen = PQgetlength(r, 0, 0);
            if (clen > SCHOOL_CODE_LEN)
                clen = SCHOOL_CODE_LEN;
            memcpy(code, PQgetvalue(r, 0, 0), (size_t)clen);
            code[clen] = '\0';
            fn(arg, code, be32(PQgetvalue(r, 0, 1)), be64(PQgetvalue(r, 0, 2)), (const uint8_t *)PQgetvalue(r, 0, 3),
               (size_t)PQgetlength(r, 0, 3));
        } else if (st != PGRES_TUPLES_OK) {
            store_note_error(self, "load latest", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    return rc;
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

int store_list_quarantine(store *self, const char *since, int limit, char **out)
{
    *out = NULL;
    if (!store_is_up(self))
        return STORE_DOWN;
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 1000);
    const char *values[2] = { since && *since ? since : NULL, lim };
    PGresult *r = PQexecParams(
        self->conn,
        "SELECT COALESCE(json_agg(q ORDER BY q.id), '[]')::text FROM ("
        " SELECT id, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS received_at,"
        " peer, school_code, reason, errors, length(raw) AS raw_bytes FROM quarantine"
        " WHERE $1::timestamptz IS NULL OR received_at >= $1::timestamptz ORDER BY id DESC LIMIT $2::int) q",
        2, NULL, values, NULL, NULL, 0);
    int rc = STORE_OK;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        *out = strdup(PQgetvalue(r, 0, 0));
        if (!*out)
            rc = STORE_ERROR;
    } else {
        store_note_error(self, "list quarantine", r);
        rc = store_failure_code(self);
    }
    PQclear(r);
    return rc;
}
