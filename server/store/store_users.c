/* store_users.c -- the web users (migrations/010_users.sql): loading them
 * at start, the admin commands' changes (each with its audit row, one
 * transaction), the listing, and every login attempt. The requests are
 * calls (store_call.c), sent without waiting. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char LOAD_SQL[] = "SELECT name, role, scope, may_review, password_hash, locked FROM users";
static const char ADD_SQL[] =
    "INSERT INTO users (name, role, scope, may_review, password_hash) VALUES ($1, $2, $3, $4::boolean, $5)";
/* $2: the new locked state (NULL: unchanged); $3: the new hash (NULL: unchanged). */
static const char SET_SQL[] =
    "UPDATE users SET locked = COALESCE($2::boolean, locked), password_hash = COALESCE($3, password_hash), "
    "password_changed_at = CASE WHEN $3 IS NULL THEN password_changed_at ELSE now() END WHERE name = $1";
static const char LIST_SQL[] =
    "SELECT COALESCE(jsonb_agg(jsonb_build_object('name', name, 'role', role, 'scope', scope, "
    "'may_review', may_review, 'locked', locked, 'created_at', review_time(created_at), "
    "'password_changed_at', review_time(password_changed_at), "
    "'last_login', (SELECT review_time(max(at)) FROM login_events e WHERE e.user_name = u.name AND e.ok)) "
    "ORDER BY name), '[]')::text FROM users u";
static const char EVENT_SQL[] =
    "INSERT INTO login_events (user_name, client_address, ok, reason) VALUES ($1, $2, $3::boolean, $4)";

int store_load_users(store *self, void (*fn)(void *arg, const store_user_row *row), void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, LOAD_SQL);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load users", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        store_user_row row = { PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                               PQgetvalue(r, i, 3)[0] == 't', PQgetvalue(r, i, 4), PQgetvalue(r, i, 5)[0] == 't' };
        fn(arg, &row);
    }
    PQclear(r);
    return STORE_OK;
}

/* Answer: found, whether the first statement changed a row. */
static int parse_changed(store *self, PGresult *const *res, int n, store_answer *out)
{
    (void)self;
    out->found = n >= 1 && strtoul(PQcmdTuples((PGresult *)res[0]), NULL, 10) > 0;
    return STORE_OK;
}

/* Answer: the first statement's one text value. */
static int parse_text(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1 || PQgetisnull(res[0], 0, 0)) {
        snprintf(self->error, sizeof self->error, "users: unexpected answer");
        return STORE_ERROR;
    }
    out->text = strdup(PQgetvalue(res[0], 0, 0));
    if (!out->text) {
        snprintf(self->error, sizeof self->error, "users: out of memory");
        return STORE_DOWN;
    }
    return STORE_OK;
}

/* Sends one statement (and the audit row when given) as one call. */
static int send_one(store *self, const char *what, const char *sql, int n_params, const char *const *values,
                    const char *audit_json, store_call_parse parse, store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, what, parse);
    if (!c)
        return store_failure_code(self);
    return store_call_end(self, c,
                          store_call_add(self, c, sql, n_params, values, NULL, NULL, 0) &&
                              store_call_add_audit(self, c, audit_json),
                          call);
}

int store_user_add_send(store *self, const store_user_row *row, const char *audit_json, store_call **call)
{
    const char *values[5] = { row->name, row->role, row->scope, row->may_review ? "true" : "false",
                              row->password_hash };
    return send_one(self, "add user", ADD_SQL, 5, values, audit_json, parse_changed, call);
}

int store_user_set_send(store *self, const char *name, int locked, const char *password_hash,
                        const char *audit_json, store_call **call)
{
    const char *values[3] = { name, locked < 0 ? NULL : locked ? "true" : "false", password_hash };
    return send_one(self, "change user", SET_SQL, 3, values, audit_json, parse_changed, call);
}

int store_users_list_send(store *self, store_call **call)
{
    return send_one(self, "list users", LIST_SQL, 0, NULL, NULL, parse_text, call);
}

int store_login_event_send(store *self, const char *user, const char *client_address, bool ok, const char *reason,
                           store_call **call)
{
    const char *values[4] = { user, client_address ? client_address : "", ok ? "true" : "false", reason };
    return send_one(self, "login event", EVENT_SQL, 4, values, NULL, parse_changed, call);
}
