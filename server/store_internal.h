/* store_internal.h -- the store's private state, shared by server/store*.c
 * only. */
#ifndef JUNHENG_STORE_INTERNAL_H
#define JUNHENG_STORE_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "store.h"

struct store {
    char *conninfo;
    PGconn *conn;
    bool schema_ready;     /* migrations applied: statements can be prepared */
    char error[512];
};

/* Records `what` and the server's message as the last error. */
void store_note_error(store *self, const char *what, const PGresult *res);
/* STORE_DOWN when the connection is gone, else STORE_ERROR. */
int store_failure_code(store *self);
/* Runs one command, discarding its result. Returns a STORE_ code. */
int store_exec(store *self, const char *sql);

#endif
