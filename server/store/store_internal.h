/* store_internal.h -- the store's private state, shared by server/store*.c
 * only. */
#ifndef JUNHENG_STORE_INTERNAL_H
#define JUNHENG_STORE_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct store {
    char *conninfo;
    PGconn *conn;
    char error[512];
    bool statuses_sent;    /* store_status.c: an INSERT of statuses sent, its result not read yet */
    int statuses_rc;       /* store_status.c: its outcome so far (STORE_OK until a result says otherwise) */
    int statement_timeout_ms; /* set on every connection opened (0: the server's default) */
    bool ever_up;          /* a connection was opened once: the next ones are reconnections */
    uint64_t reconnects;   /* connections opened after the first */
};

/* Records `what` and the server's message as the last error. */
void store_note_error(store *self, const char *what, const PGresult *res);
/* STORE_DOWN when the connection is gone, else STORE_ERROR. */
int store_failure_code(store *self);
/* store_call.c: whether a failed result is worth retrying as it is: a
 * statement cancelled (statement_timeout), a deadlock or serialization
 * failure, the server out of resources, the connection gone (SQLSTATE
 * classes 57, 40, 53, 08), or no SQLSTATE at all. */
bool store_error_retryable(const PGresult *r);
/* Runs one command, discarding its result. Returns a STORE_ code. */
int store_exec(store *self, const char *sql);

/* store_call.c: building a call (store.h). A call is at most
 * STORE_CALL_MAX statements; parse reads the answer out of their results
 * (each one's first, all successful) and returns a STORE_ code. */
#define STORE_CALL_MAX 4
typedef int (*store_call_parse)(store *self, PGresult *const *res, int n, store_answer *out);
/* Starts a call: the connection enters pipeline mode, non-blocking. NULL
 * (the error noted) when the connection is down or memory ran out. */
store_call *store_call_begin(store *self, const char *what, store_call_parse parse);
/* Queues one statement of the call. Returns false (the error noted) when
 * it could not be queued. */
bool store_call_add(store *self, store_call *c, const char *sql, int n_params, const char *const *values,
                    const int *lengths, const int *formats, int binary_result);
/* Ends the call with the sync point and starts sending it, never waiting.
 * ok: every store_call_add succeeded. Returns STORE_OK with *out set, or
 * STORE_DOWN (the call freed, the connection closed: a pipeline half sent
 * cannot be taken back). */
int store_call_end(store *self, store_call *c, bool ok, store_call **out);
/* store_review.c: queues review_apply(audit_json) -- an audit row in the
 * call's transaction; true at once when audit_json is NULL. */
bool store_call_add_audit(store *self, store_call *c, const char *audit_json);

/* store_submissions.c: runs sql, whose rows are (code text, period int4,
 * revision int8, payload bytea), in single-row mode, calling fn for each
 * with the code cut to code_max (< 32) bytes; what names it in errors.
 * Returns a STORE_ code. Used for submissions and county inputs alike. */
typedef void (*store_revision_fn)(void *arg, const char *code, int32_t period, int64_t revision,
                                  const uint8_t *payload, size_t len);
int store_load_revisions(store *self, const char *sql, const char *what, int code_max, store_revision_fn fn,
                         void *arg);

/* store_array.c: PostgreSQL binary arrays, UUID text, big-endian integers. */
#include "store_array.h"

#endif
