/* store_group.c -- the group commit: every submission and quarantined
 * message of a group in one transaction, in one round trip. See store.h.
 *
 * Whatever its size, a group is two statements that take its columns as
 * arrays (INSERT ... SELECT FROM unnest($1, $2, ...)), sent with BEGIN and
 * COMMIT in one libpq pipeline: one round trip, one fsync, and a per-row cost
 * in the server close to COPY's. A submission_id already stored is skipped
 * by ON CONFLICT DO NOTHING and its original revision read afterwards; the
 * same id twice in one group is sent once. A county's inputs
 * (STORE_ITEM_COUNTY_INPUTS) go the same way into county_inputs, with a
 * third statement of the same shape.
 *
 * A row the database refuses aborts the statement and so the transaction.
 * The group is then written again in one transaction where each half is
 * tried under a savepoint and a refused half is halved again, down to the
 * refused rows: they alone are marked failed, the others commit. That costs
 * O(refused * log n) round trips, only when something is refused.
 *
 * The pipeline can be left in flight (store_group_send): the daemon polls the
 * connection's socket with its own, keeps taking in the next group while
 * PostgreSQL works, gathers the results as they arrive (store_group_ready)
 * and reads them when all are in (store_group_finish), so it never waits for
 * the common case. The rare paths after it -- halving a group with a refused
 * row, reading the original revisions of duplicates -- stay synchronous.
 *
 * What goes into the statements and what comes back per item (ids,
 * repeats, column arrays, revisions, duplicates) is store_group_rows.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_group_rows.h"

static const char SUBMISSIONS_SQL[] =
    "INSERT INTO submissions (submission_id, school_code, period, payload, warnings, submitted_by, web_user, late) "
    "SELECT u.id, u.school, u.period, u.payload, COALESCE(u.warnings::jsonb, '[]'), u.who, u.web_user, u.late "
    "FROM unnest($1::uuid[], $2::text[], $3::int4[], $4::bytea[], $5::text[], $6::text[], $7::text[], $8::bool[]) "
    "WITH ORDINALITY AS u(id, school, period, payload, warnings, who, web_user, late, ord) ORDER BY u.ord "
    "ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id, revision";

static const char QUARANTINE_SQL[] =
    "INSERT INTO quarantine (peer, school_code, reason, errors, raw) "
    "SELECT u.peer, u.school, u.reason, COALESCE(u.errors::jsonb, '[]'), u.raw "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) "
    "WITH ORDINALITY AS u(peer, school, reason, errors, raw, ord) ORDER BY u.ord";

static const char COUNTY_INPUTS_SQL[] =
    "INSERT INTO county_inputs (submission_id, county_code, period, payload, warnings, submitted_by, web_user) "
    "SELECT u.id, u.county, u.period, u.payload, COALESCE(u.warnings::jsonb, '[]'), u.who, u.web_user "
    "FROM unnest($1::uuid[], $2::text[], $3::int4[], $4::bytea[], $5::text[], $6::text[], $7::text[]) "
    "WITH ORDINALITY AS u(id, county, period, payload, warnings, who, web_user, ord) ORDER BY u.ord "
    "ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id, revision";

/* Sends one of the two insert statements (async; pipeline or not). */
static int send_insert(store *self, const char *sql, pgarray *cols, int ncols, int binary_result)
{
    const char *values[SUB_COLS];
    int lengths[SUB_COLS], formats[SUB_COLS];
    for (int c = 0; c < ncols; c++) {
        values[c] = (const char *)cols[c].buf;
        lengths[c] = (int)cols[c].len;
        formats[c] = 1;
    }
    return PQsendQueryParams(self->conn, sql, ncols, NULL, values, lengths, formats, binary_result);
}

/* The most results store_group_ready keeps: a group is at most four queries
 * (each a result and a NULL) and the sync; anything past this is read by
 * store_group_finish itself. */
#define CALL_MAX_RESULTS 24

/* One group sent and not yet finished (store.h). The results that arrived
 * while the daemon did other work are kept in order (a NULL ends one query's
 * results) until store_group_finish reads them; the call owns them. */
struct store_group_call {
    group g;
    size_t *all;               /* 0..n-1: every item of the group */
    bool early;                /* nothing went out: finishing returns early_rc */
    int early_rc;
    size_t n_sub, n_quar, n_cin; /* rows of the three inserts */
    int q_sub, q_cin;          /* the pipeline index of the submissions / county inputs insert, -1 when none */
    int sent;                  /* queries in the pipeline (the sync not counted) */
    bool send_ok;              /* every query went out */
    bool synced;               /* the sync went out: results will come */
    bool complete;             /* finishing will not wait: the sync came, or the connection failed */
    PGresult *got[CALL_MAX_RESULTS];
    int n_got, taken;
};

/* The next result of the pipeline: one that store_group_ready gathered, or
 * else from the connection (waiting for it). Caller clears it. */
static PGresult *call_next(store *self, store_group_call *c)
{
    if (c->taken < c->n_got) {
        PGresult *r = c->got[c->taken];
        c->got[c->taken++] = NULL;
        return r;
    }
    return PQgetResult(self->conn);
}

/* Reads the results of one pipelined query; returns the first non-NULL one
 * (caller clears) and drops the rest. */
static PGresult *pipeline_take(store *self, store_group_call *c)
{
    PGresult *keep = NULL, *r;
    while ((r = call_next(self, c)) != NULL) {
        if (!keep)
            keep = r;
        else
            PQclear(r);
        if (PQresultStatus(keep) == PGRES_PIPELINE_SYNC)
            break;
    }
    return keep;
}

/* Sends the whole group as one pipeline: BEGIN, the inserts, COMMIT, sync,
 * without waiting for any result. When nothing could be sent the call is
 * marked early with STORE_DOWN. */
static void pipeline_send(store *self, store_group_call *c)
{
    group *g = &c->g;
    c->complete = true;
    c->early = true;
    c->early_rc = STORE_DOWN;
    if (group_build(g, c->all, g->n, &c->n_sub, &c->n_quar, &c->n_cin) != 0) {
        snprintf(self->error, sizeof self->error, "group commit: out of memory");
        return;
    }
    PGconn *conn = self->conn;
    if (!PQenterPipelineMode(conn)) {
        store_note_error(self, "group commit: pipeline", NULL);
        return;
    }
    c->early = false;
    int sent = 0;
    bool ok = PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) && ++sent;
    c->q_sub = c->n_sub > 0 ? sent : -1;
    ok = ok && (c->n_sub == 0 || (send_insert(self, SUBMISSIONS_SQL, g->sub, SUB_COLS, 1) && ++sent));
    ok = ok && (c->n_quar == 0 || (send_insert(self, QUARANTINE_SQL, g->quar, QUAR_COLS, 0) && ++sent));
    c->q_cin = c->n_cin > 0 ? sent : -1;
    ok = ok && (c->n_cin == 0 || (send_insert(self, COUNTY_INPUTS_SQL, g->cin, CIN_COLS, 1) && ++sent));
    ok = ok && PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) && ++sent;
    if (!ok)
        store_note_error(self, "group commit: send", NULL);
    c->sent = sent;
    c->send_ok = ok;
    /* blocking mode: returns when the whole pipeline is written (libpq reads
     * meanwhile if the server's answers would otherwise fill the socket) */
    c->synced = PQpipelineSync(conn) == 1;
    c->complete = !c->synced;
}

/* Reads the pipeline's results (those gathered, then from the connection)
 * and leaves pipeline mode. Returns STORE_OK (committed), STORE_ERROR (a row
 * refused: nothing committed, the connection is idle again) or STORE_DOWN. */
static int pipeline_receive(store *self, store_group_call *c)
{
    group *g = &c->g;
    const size_t *idx = c->all;
    size_t m = g->n;
    PGconn *conn = self->conn;
    int sent = c->sent;
    bool synced = c->synced;
    int rc = c->send_ok && synced ? STORE_OK : STORE_DOWN;
    bool row_refused = false, committed = false;
    for (int q = 0; synced && q < sent; q++) {
        PGresult *r = pipeline_take(self, c);
        ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        bool is_insert = q > 0 && q < sent - 1;
        if (st == PGRES_TUPLES_OK && is_insert && (q == c->q_sub || q == c->q_cin)) {
            apply_returned(g, r, idx, m, q == c->q_sub ? STORE_ITEM_SUBMISSION : STORE_ITEM_COUNTY_INPUTS);
        } else if (st == PGRES_COMMAND_OK && q == sent - 1) {
            committed = strcmp(PQcmdStatus(r), "COMMIT") == 0;
            if (!committed) {
                store_note_error(self, "group commit: COMMIT rolled back", r);
                rc = STORE_DOWN;
            }
        } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED) {
            store_note_error(self, is_insert ? "store group" : "group commit", r);
            if (rc == STORE_OK)
                rc = is_insert && !store_error_retryable(r) ? STORE_ERROR : STORE_DOWN;
            row_refused = row_refused || is_insert;
        }
        PQclear(r);
    }
    /* the sync point */
    if (synced) {
        PGresult *r = pipeline_take(self, c);
        if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
            synced = false;
        PQclear(r);
    }
    bool left = PQexitPipelineMode(conn) == 1;
    if (committed && rc == STORE_OK)
        return STORE_OK; /* the COMMIT is confirmed, whatever the connection does next */
    if (!synced || !left || store_failure_code(self) == STORE_DOWN) {
        if (!left)
            store_note_error(self, "group commit: pipeline end", NULL);
        return STORE_DOWN;
    }
    /* nothing committed and the connection idle again: end the aborted
     * transaction and forget what the statements returned */
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        store_exec(self, "ROLLBACK");
    for (size_t k = 0; k < m; k++)
        g->stored[idx[k]] = false;
    return rc == STORE_ERROR && row_refused ? STORE_ERROR : STORE_DOWN;
}

/* Writes items idx[0..m) inside the open transaction, synchronously. On
 * success their RETURNING rows are recorded. Returns a STORE_ code. */
static int write_plain(store *self, group *g, const size_t *idx, size_t m)
{
    size_t n[3];
    if (group_build(g, idx, m, &n[0], &n[1], &n[2]) != 0) {
        snprintf(self->error, sizeof self->error, "group commit: out of memory");
        return STORE_DOWN;
    }
    /* submissions, quarantine, county inputs: each statement waited for */
    static const char *const SQL[3] = { SUBMISSIONS_SQL, QUARANTINE_SQL, COUNTY_INPUTS_SQL };
    static const char *const WHAT[3] = { "store submission", "store quarantine", "store county inputs" };
    pgarray *cols[3] = { g->sub, g->quar, g->cin };
    const int ncols[3] = { SUB_COLS, QUAR_COLS, CIN_COLS };
    PGresult *res[3] = { NULL, NULL, NULL };
    int rc = STORE_OK;
    for (int k = 0; k < 3 && rc == STORE_OK; k++) {
        if (n[k] == 0)
            continue;
        res[k] = send_insert(self, SQL[k], cols[k], ncols[k], k != 1) ? PQgetResult(self->conn) : NULL;
        PGresult *extra;
        while ((extra = PQgetResult(self->conn)) != NULL)
            PQclear(extra);
        if (PQresultStatus(res[k]) != (k == 1 ? PGRES_COMMAND_OK : PGRES_TUPLES_OK)) {
            store_note_error(self, WHAT[k], res[k]);
            rc = store_failure_code(self);
        }
    }
    if (rc == STORE_OK && res[0])
        apply_returned(g, res[0], idx, m, STORE_ITEM_SUBMISSION);
    if (rc == STORE_OK && res[2])
        apply_returned(g, res[2], idx, m, STORE_ITEM_COUNTY_INPUTS);
    for (int k = 0; k < 3; k++)
        PQclear(res[k]);
    return rc;
}

/* Writes idx[0..m) under a savepoint; a refused set is halved until the
 * refused items are alone, and those are marked failed. Returns STORE_OK or
 * STORE_DOWN. */
static int write_isolating(store *self, group *g, const size_t *idx, size_t m)
{
    size_t live = 0;
    for (size_t k = 0; k < m; k++)
        live += group_sends(g, idx[k]);
    if (live == 0)
        return STORE_OK;
    int rc = store_exec(self, "SAVEPOINT junheng_group");
    if (rc == STORE_OK)
        rc = write_plain(self, g, idx, m);
    if (rc == STORE_OK)
        return store_exec(self, "RELEASE SAVEPOINT junheng_group") == STORE_OK ? STORE_OK : STORE_DOWN;
    if (rc == STORE_DOWN || !store_is_up(self))
        return STORE_DOWN;
    char why[256];
    snprintf(why, sizeof why, "%.255s", self->error);
    if (store_exec(self, "ROLLBACK TO SAVEPOINT junheng_group") != STORE_OK ||
        store_exec(self, "RELEASE SAVEPOINT junheng_group") != STORE_OK)
        return STORE_DOWN;
    if (live == 1) {
        for (size_t k = 0; k < m; k++)
            if (group_sends(g, idx[k])) {
                g->items[idx[k]].failed = true;
                snprintf(g->items[idx[k]].error, sizeof g->items[idx[k]].error, "%s", why);
            }
        return STORE_OK;
    }
    size_t half = m / 2;
    rc = write_isolating(self, g, idx, half);
    return rc == STORE_OK ? write_isolating(self, g, idx + half, m - half) : rc;
}

/* Frees a call: the group, and any result gathered and not read. */
static void call_free(store_group_call *c)
{
    if (!c)
        return;
    for (int k = 0; k < c->n_got; k++)
        PQclear(c->got[k]);
    group_free(&c->g);
    free(c->all);
    free(c);
}

int store_group_send(store *self, store_item *items, size_t n, store_group_call **out)
{
    *out = NULL;
    if (!store_is_up(self))
        return STORE_DOWN;
    for (size_t i = 0; i < n; i++) {
        items[i].failed = false;
        items[i].error[0] = '\0';
        items[i].revision = 0;
        items[i].duplicate = false;
    }
    store_group_call *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(self->error, sizeof self->error, "group commit: out of memory");
        return STORE_DOWN;
    }
    c->all = malloc((n ? n : 1) * sizeof *c->all);
    if (group_init(&c->g, items, n) != 0 || !c->all) {
        call_free(c);
        snprintf(self->error, sizeof self->error, "group commit: out of memory");
        return STORE_DOWN;
    }
    for (size_t i = 0; i < n; i++)
        c->all[i] = i;
    if (n == 0) {
        c->early = c->complete = true;
        c->early_rc = STORE_OK;
    } else {
        pipeline_send(self, c);
    }
    *out = c;
    return STORE_OK;
}

int store_socket(store *self)
{
    return self->conn ? PQsocket(self->conn) : -1;
}

bool store_group_ready(store *self, store_group_call *c)
{
    if (c->complete)
        return true;
    if (!PQconsumeInput(self->conn)) {
        c->complete = true; /* the connection failed: finishing reads the error at once */
        return true;
    }
    while (!c->complete && !PQisBusy(self->conn)) {
        if (c->n_got == CALL_MAX_RESULTS) {
            c->complete = true; /* more than a group makes: let finishing read the rest */
            break;
        }
        PGresult *r = PQgetResult(self->conn);
        if (!r && c->n_got > 0 && !c->got[c->n_got - 1]) {
            c->complete = true; /* two NULLs: nothing more is coming */
            break;
        }
        c->got[c->n_got++] = r;
        if (r && PQresultStatus(r) == PGRES_PIPELINE_SYNC)
            c->complete = true;
    }
    return c->complete;
}

int store_group_finish(store *self, store_group_call **call)
{
    store_group_call *c = *call;
    *call = NULL;
    if (!c)
        return STORE_DOWN;
    int rc = c->early ? c->early_rc : pipeline_receive(self, c);
    if (rc == STORE_ERROR) {
        /* some row refused: find it, commit the others */
        rc = store_exec(self, "BEGIN");
        if (rc == STORE_OK)
            rc = write_isolating(self, &c->g, c->all, c->g.n);
        if (rc == STORE_OK)
            rc = store_exec(self, "COMMIT");
        else if (store_is_up(self))
            store_exec(self, "ROLLBACK");
        if (rc != STORE_OK)
            rc = STORE_DOWN;
    }
    if (rc == STORE_OK && c->g.n > 0) {
        resolve_duplicates(self, &c->g, STORE_ITEM_SUBMISSION);
        resolve_duplicates(self, &c->g, STORE_ITEM_COUNTY_INPUTS);
    }
    call_free(c);
    return rc;
}

int store_group_abandon(store *self, store_group_call **call, const char *why)
{
    store_group_call *c = *call;
    *call = NULL;
    snprintf(self->error, sizeof self->error, "group commit: %s; connection closed", why);
    if (self->conn) {
        PQfinish(self->conn);
        self->conn = NULL;
    }
    call_free(c);
    return STORE_DOWN;
}
