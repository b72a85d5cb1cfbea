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
};

/* Records `what` and the server's message as the last error. */
void store_note_error(store *self, const char *what, const PGresult *res);
/* STORE_DOWN when the connection is gone, else STORE_ERROR. */
int store_failure_code(store *self);
/* Runs one command, discarding its result. Returns a STORE_ code. */
int store_exec(store *self, const char *sql);

/* store_array.c: PostgreSQL binary arrays, UUID text, big-endian integers. */
#include "store_array.h"

#endif
