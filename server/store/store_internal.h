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

/* store_array.c: a one-dimensional PostgreSQL array in binary format, built
 * element by element, to pass a whole group of rows as one parameter
 * (unnest($1::uuid[], ...)). The array owns its buffer: pgarray_free(). */
typedef struct {
    uint8_t *buf;
    size_t len, cap;
    size_t count;          /* elements added */
    bool has_null;
    bool oom;              /* an append failed: the array is unusable */
} pgarray;

/* Element type OIDs (pg_type.h) used with pgarray. */
#define PG_OID_BOOL 16
#define PG_OID_BYTEA 17
#define PG_OID_INT4 23
#define PG_OID_TEXT 25
#define PG_OID_UUID 2950

/* Starts (or restarts, keeping the buffer) an array of elem_oid. */
void pgarray_begin(pgarray *a, uint32_t elem_oid);
/* Appends one element's binary form (NULL data: a NULL element). */
void pgarray_add(pgarray *a, const void *data, size_t len);
/* Appends a text element (NULL: a NULL element). */
void pgarray_add_text(pgarray *a, const char *s);
/* Appends an int4 / bool element. */
void pgarray_add_int4(pgarray *a, int32_t v);
void pgarray_add_bool(pgarray *a, bool v);
/* Completes the header. Returns 0, or -1 when an append ran out of memory. */
int pgarray_finish(pgarray *a);
/* Frees the buffer and zeroes the array. */
void pgarray_free(pgarray *a);

/* Parses a canonical UUID text (8-4-4-4-12 hex) into its 16 bytes.
 * Returns 0 or -1. */
int store_uuid_parse(const char *text, uint8_t out[16]);
/* Big-endian integers of a binary-format result. */
int64_t store_be64(const char *p);
int32_t store_be32(const char *p);

#endif
