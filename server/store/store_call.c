/* store_call.c -- one request's statements in flight without the event loop
 * waiting: sent as one libpq pipeline on a non-blocking connection, results
 * gathered as they arrive, read when the pipeline's sync is in. See store.h
 * (store_call_*) and store_internal.h (store_call_begin / _add / _end).
 *
 * The statements of a call carry no BEGIN / COMMIT: PostgreSQL runs every
 * statement up to a pipeline's sync point as one implicit transaction, which
 * it commits at the sync -- or rolls back entirely when any statement fails.
 * So a call is all or nothing, and the sync's arrival after every statement
 * succeeded is the confirmation of its COMMIT. Nothing is left to roll back
 * by hand after a failure: the connection is idle again at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

struct store_call {
    const char *what;              /* for error messages: "import schools" */
    store_call_parse parse;        /* reads the answer out of the results */
    int n_queries;                 /* statements sent */
    int n_ended;                   /* statements whose results are all in */
    PGresult *res[STORE_CALL_MAX]; /* the first result of each statement */
    bool flushing;                 /* libpq still holds bytes to send */
    bool synced;                   /* the sync point came back: every result is in */
    bool complete;                 /* finishing will not wait (synced, or the connection failed) */
};

void store_answer_clear(store_answer *a)
{
    free(a->text);
    store_payloads_free(a->payloads, a->n_payloads);
    memset(a, 0, sizeof *a);
}

store_call *store_call_begin(store *self, const char *what, store_call_parse parse)
{
    if (!store_is_up(self)) {
        snprintf(self->error, sizeof self->error, "%s: database unavailable", what);
        return NULL;
    }
    store_call *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(self->error, sizeof self->error, "%s: out of memory", what);
        return NULL;
    }
    c->what = what;
    c->parse = parse;
    if (PQsetnonblocking(self->conn, 1) != 0 || !PQenterPipelineMode(self->conn)) {
        store_note_error(self, what, NULL);
        free(c);
        return NULL;
    }
    return c;
}

bool store_call_add(store *self, store_call *c, const char *sql, int n_params, const char *const *values,
                    const int *lengths, const int *formats, int binary_result)
{
    if (c->n_queries >= STORE_CALL_MAX ||
        !PQsendQueryParams(self->conn, sql, n_params, NULL, values, lengths, formats, binary_result)) {
        store_note_error(self, c->what, NULL);
        return false;
    }
    c->n_queries++;
    return true;
}

/* Frees a call and every result it gathered. */
static void call_free(store_call *c)
{
    for (int q = 0; q < STORE_CALL_MAX; q++)
        PQclear(c->res[q]);
    free(c);
}

int store_call_end(store *self, store_call *c, bool ok, store_call **out)
{
    *out = NULL;
    int flushed = ok && PQpipelineSync(self->conn) == 1 ? PQflush(self->conn) : -1;
    if (flushed < 0) {
        /* a pipeline half sent cannot be taken back: start afresh */
        char why[sizeof self->error];
        if (ok)
            store_note_error(self, c->what, NULL);
        snprintf(why, sizeof why, "%s", self->error);
        store_close(self, why);
        call_free(c);
        return STORE_DOWN;
    }
    c->flushing = flushed == 1;
    *out = c;
    return STORE_OK;
}

/* Takes the results libpq holds whole, never waiting. */
static void call_gather(store *self, store_call *c)
{
    while (!c->complete && !PQisBusy(self->conn)) {
        PGresult *r = PQgetResult(self->conn);
        if (!r) {
            /* one statement's results end; more ends than statements: the
             * connection gives nothing more */
            if (++c->n_ended > c->n_queries + 1)
                c->complete = true;
            continue;
        }
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            c->synced = c->complete = true;
            PQclear(r);
            break;
        }
        if (c->n_ended < c->n_queries && !c->res[c->n_ended])
            c->res[c->n_ended] = r;
        else
            PQclear(r);
        if (PQstatus(self->conn) == CONNECTION_BAD)
            c->complete = true;
    }
}

bool store_call_ready(store *self, store_call *c)
{
    if (c->complete)
        return true;
    if (!self->conn || PQstatus(self->conn) == CONNECTION_BAD) {
        c->complete = true;
        return true;
    }
    if (c->flushing) {
        int f = PQflush(self->conn);
        c->flushing = f == 1;
        if (f < 0) {
            c->complete = true;
            return true;
        }
    }
    if (!PQconsumeInput(self->conn)) {
        c->complete = true; /* the connection failed: finishing reports it */
        return true;
    }
    call_gather(self, c);
    return c->complete;
}

bool store_call_wants_write(const store_call *c)
{
    return c && c->flushing;
}

bool store_error_retryable(const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!state)
        return true;
    static const char *const RETRYABLE[] = { "08", "40", "53", "57" };
    for (size_t i = 0; i < sizeof RETRYABLE / sizeof RETRYABLE[0]; i++)
        if (strncmp(state, RETRYABLE[i], 2) == 0)
            return true;
    return false;
}

/* STORE_DOWN for an error worth retrying as it is, else STORE_ERROR (the
 * request itself was refused). */
static int result_code(store *self, const PGresult *r)
{
    return store_failure_code(self) == STORE_DOWN || store_error_retryable(r) ? STORE_DOWN : STORE_ERROR;
}

int store_call_finish(store *self, store_call **call, store_answer *out)
{
    store_call *c = *call;
    *call = NULL;
    memset(out, 0, sizeof *out);
    if (!c)
        return STORE_DOWN;
    int rc = STORE_OK;
    if (!c->synced) {
        char why[sizeof self->error];
        store_note_error(self, c->what, NULL);
        snprintf(why, sizeof why, "%s", self->error);
        store_close(self, why);
        rc = STORE_DOWN;
    } else {
        PQexitPipelineMode(self->conn);
        PQsetnonblocking(self->conn, 0);
        for (int q = 0; rc == STORE_OK && q < c->n_queries; q++) {
            ExecStatusType st = c->res[q] ? PQresultStatus(c->res[q]) : PGRES_FATAL_ERROR;
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
                continue;
            /* the first failure aborted the rest (PGRES_PIPELINE_ABORTED) */
            store_note_error(self, c->what, c->res[q]);
            rc = result_code(self, c->res[q]);
        }
        if (rc == STORE_OK)
            rc = c->parse(self, c->res, c->n_queries, out);
    }
    call_free(c);
    return rc;
}

void store_call_abandon(store *self, store_call **call, const char *why)
{
    char text[sizeof self->error];
    snprintf(text, sizeof text, "%s: %s", *call ? (*call)->what : "request", why);
    store_close(self, text);
    if (*call)
        call_free(*call);
    *call = NULL;
}
