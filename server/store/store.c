/* store.c -- junhengd's PostgreSQL access (libpq). See store.h. */
#include "store.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "log.h"
#include "store_internal.h"

/* Records the connection's error message (first line) as the last error. */
void store_note_error(store *self, const char *what, const PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = self->conn ? PQerrorMessage(self->conn) : "no connection";
    snprintf(self->error, sizeof self->error, "%s: %s", what, msg);
    char *nl = strchr(self->error, '\n');
    if (nl)
        *nl = '\0';
}

/* After a failed call: STORE_DOWN when the connection is gone, else STORE_ERROR. */
int store_failure_code(store *self)
{
    if (!self->conn || PQstatus(self->conn) == CONNECTION_BAD)
        return STORE_DOWN;
    return STORE_ERROR;
}

/* Silences libpq's NOTICE output (e.g. "relation already exists"). */
static void notice_ignore(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int store_reconnect(store *self)
{
    if (self->conn && PQstatus(self->conn) == CONNECTION_OK)
        return STORE_OK;
    if (self->conn)
        PQfinish(self->conn);
    /* connect_timeout bounds how long the event loop can be held up. */
    const char *keys[] = { "dbname", "connect_timeout", "application_name", NULL };
    const char *vals[] = { self->conninfo[0] ? self->conninfo : NULL, "2", "junhengd", NULL };
    if (!vals[0]) {
        keys[0] = "connect_timeout";
        vals[0] = "2";
        keys[1] = "application_name";
        vals[1] = "junhengd";
        keys[2] = NULL;
    }
    self->conn = PQconnectdbParams(keys, vals, 1);
    if (!self->conn || PQstatus(self->conn) != CONNECTION_OK) {
        store_note_error(self, "connect", NULL);
        return STORE_DOWN;
    }
    PQsetNoticeProcessor(self->conn, notice_ignore, NULL);
    /* Never kept: a connection to a standby in recovery, where nothing can
     * be written (a conninfo listing several hosts without
     * target_session_attrs=read-write; PostgreSQL 14+ reports it). */
    const char *standby = PQparameterStatus(self->conn, "in_hot_standby");
    if (standby && strcmp(standby, "on") == 0) {
        store_close(self, "connect: the server is a standby in recovery (read-only); "
                          "give target_session_attrs=read-write");
        return STORE_DOWN;
    }
    /* A statement PostgreSQL works on longer than this is cancelled: no
     * request holds a backend (and its locks) forever. */
    char set[64];
    snprintf(set, sizeof set, "SET statement_timeout = %d", self->statement_timeout_ms);
    if (store_exec(self, set) != STORE_OK) {
        PQfinish(self->conn);
        self->conn = NULL;
        return STORE_DOWN;
    }
    if (self->ever_up)
        self->reconnects++;
    self->ever_up = true;
    /* Nothing is prepared: each group is a handful of statements whatever
     * its size (store_group.c), so parsing them costs nothing per row. */
    return STORE_OK;
}

int store_set_statement_timeout(store *self, int statement_timeout_ms)
{
    self->statement_timeout_ms = statement_timeout_ms > 0 ? statement_timeout_ms : 0;
    if (!store_is_up(self))
        return STORE_DOWN;
    char set[64];
    snprintf(set, sizeof set, "SET statement_timeout = %d", self->statement_timeout_ms);
    return store_exec(self, set);
}

store *store_new(const char *conninfo, int statement_timeout_ms)
{
    store *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->statement_timeout_ms = statement_timeout_ms > 0 ? statement_timeout_ms : 0;
    self->conninfo = strdup(conninfo ? conninfo : "");
    if (!self->conninfo) {
        free(self);
        return NULL;
    }
    store_reconnect(self);
    return self;
}

void store_destroy(store **p)
{
    if (!p || !*p)
        return;
    store *self = *p;
    if (self->conn)
        PQfinish(self->conn);
    free(self->conninfo);
    free(self);
    *p = NULL;
}

void store_close(store *self, const char *why)
{
    snprintf(self->error, sizeof self->error, "%s; connection closed", why);
    if (self->conn) {
        PQfinish(self->conn);
        self->conn = NULL;
    }
    self->statuses_sent = false;
    self->statuses_rc = STORE_OK;
}

bool store_is_up(store *self)
{
    return self->conn && PQstatus(self->conn) == CONNECTION_OK;
}

bool store_check(store *self)
{
    if (store_is_up(self) && !PQconsumeInput(self->conn))
        store_note_error(self, "connection", NULL);
    return store_is_up(self);
}

uint64_t store_reconnects(const store *self)
{
    return self->reconnects;
}

const char *store_last_error(store *self)
{
    return self->error;
}

/* Runs a command and discards its result. */
int store_exec(store *self, const char *sql)
{
    PGresult *r = PQexec(self->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        store_note_error(self, sql, r);
    PQclear(r);
    return ok ? STORE_OK : store_failure_code(self);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name looks like NNN_something.sql. */
static int is_migration_name(const char *name)
{
    size_t n = strlen(name);
    return n > 8 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] >= '0' &&
           name[2] <= '9' && name[3] == '_' && strcmp(name + n - 4, ".sql") == 0;
}

/* Applies one migration file in its own transaction and records it. */
static int store_apply_migration(store *self, const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *sql = NULL;
    size_t sql_len = 0;
    if (file_read_all(path, 0, 0, &sql, &sql_len, NULL) != 0) {
        snprintf(self->error, sizeof self->error, "%.400s: %.100s", path, strerror(errno));
        return STORE_ERROR;
    }
    /* a migration may rewrite a big table: statement_timeout is lifted for it */
    int rc = store_exec(self, "BEGIN");
    if (rc == STORE_OK)
        rc = store_exec(self, "SET LOCAL statement_timeout = 0");
    if (rc == STORE_OK) {
        PGresult *r = PQexec(self->conn, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            store_note_error(self, name, r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    if (rc == STORE_OK) {
        const char *params[] = { name };
        PGresult *r = PQexecParams(self->conn,
                                   "INSERT INTO schema_migrations (version, name) VALUES (substr($1, 1, 3)::int, $1)",
                                   1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            store_note_error(self, "schema_migrations", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    if (rc == STORE_OK)
        rc = store_exec(self, "COMMIT");
    else if (store_is_up(self))
        store_exec(self, "ROLLBACK");
    free(sql);
    return rc;
}

int store_migrate(store *self, const char *dir, int *applied)
{
    *applied = 0;
    if (!store_is_up(self))
        return STORE_DOWN;
    int rc = store_exec(self, "SELECT pg_advisory_lock(7401001)");
    if (rc != STORE_OK)
        return rc;
    rc = store_exec(self, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version integer PRIMARY KEY, name text NOT NULL,"
                          " applied_at timestamptz NOT NULL DEFAULT now())");
    DIR *d = rc == STORE_OK ? opendir(dir) : NULL;
    if (rc == STORE_OK && !d) {
        snprintf(self->error, sizeof self->error, "migrations_dir %s: %s", dir, strerror(errno));
        rc = STORE_ERROR;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!is_migration_name(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (names[n])
            n++;
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        const char *params[] = { names[i] };
        PGresult *r = PQexecParams(self->conn, "SELECT 1 FROM schema_migrations WHERE version = substr($1,1,3)::int",
                                   1, NULL, params, NULL, NULL, 0);
        int done = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            store_note_error(self, "schema_migrations", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
        if (rc != STORE_OK || done)
            continue;
        rc = store_apply_migration(self, dir, names[i]);
        if (rc == STORE_OK) {
            (*applied)++;
            log_info("migration %s applied", names[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (store_is_up(self))
        store_exec(self, "SELECT pg_advisory_unlock(7401001)");
    return rc;
}
