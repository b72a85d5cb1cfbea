/* store.h -- everything junhengd says to PostgreSQL (libpq). Nothing else in
 * the daemon talks to the database.
 *
 * The store owns one connection. When the connection is lost every call fails
 * with STORE_DOWN and the daemon calls store_reconnect() on its own timer;
 * callers answer "retry later" meanwhile. Every connection gets the
 * statement_timeout it was created with.
 *
 * Synchronous calls (PQexec) are for the start only: loading, migrations.
 * While the event loop runs, work is sent without waiting and polled: group
 * commits (store_group_*), history rows (store_append_statuses_*), and admin
 * requests and history queries (store_call_*, below). */
#ifndef JUNHENG_STORE_H
#define JUNHENG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "submission.h"

typedef struct store store;

enum { STORE_OK = 0, STORE_DOWN = -1, STORE_ERROR = -2, STORE_PENDING = 1 };

/* Creates a store for conninfo (copied; "" = PG* environment) and tries to
 * connect once; every connection it opens gets statement_timeout_ms (0: the
 * server's default). Returns NULL only when out of memory; check
 * store_is_up(). */
store *store_new(const char *conninfo, int statement_timeout_ms);
/* Closes the connection, frees the store and sets *p to NULL. */
void store_destroy(store **p);
/* Whether the connection is usable. */
bool store_is_up(store *self);
/* The same, first reading what the server sent (never waiting), so that a
 * connection it closed while idle is seen as down. */
bool store_check(store *self);
/* Sets the statement_timeout of this connection and of every later one
 * (waits for the server: at start only). Returns a STORE_ code. */
int store_set_statement_timeout(store *self, int statement_timeout_ms);
/* Reconnects if down. Returns STORE_OK or STORE_DOWN. */
int store_reconnect(store *self);
/* How many times a lost connection was opened again (the first connection
 * not counted). */
uint64_t store_reconnects(const store *self);
/* Last error text (owned by the store, valid until the next call). */
const char *store_last_error(store *self);

/* Applies every migrations/NNN_name.sql not yet in schema_migrations, in
 * order, each in its own transaction. *applied gets how many were applied. */
int store_migrate(store *self, const char *dir, int *applied);

/* One unit of work in a group commit: a submission to store as a new revision,
 * a refused message to quarantine, or a county's inputs to store as a new
 * county-inputs revision (county_code, period, payload, warnings_json,
 * submitted_by, submission_id as a submission's). Inputs are borrowed for
 * the call. */
typedef enum { STORE_ITEM_SUBMISSION, STORE_ITEM_QUARANTINE, STORE_ITEM_COUNTY_INPUTS } store_item_kind;
typedef struct {
    store_item_kind kind;
    /* submission */
    const char *submission_id;
    const char *school_code;
    const char *county_code;       /* county inputs */
    int32_t period;
    const uint8_t *payload;        /* packed Submission (packed CountyInputs for county inputs) */
    size_t payload_len;
    const char *warnings_json;     /* JSON array, or NULL for [] */
    const char *submitted_by;      /* the sender's CURVE public key (Z85), NULL over plaintext */
    const char *web_user;          /* the web user whose session sent it (NULL: none) */
    bool late;                     /* a submission after its period closed, reopened for the school */
    /* quarantine */
    const char *peer;
    const char *reason;
    const char *errors_json;       /* JSON array, or NULL for [] */
    const uint8_t *raw;
    size_t raw_len;
    /* results, set by store_group_finish */
    int64_t revision;              /* the new revision, or the original one for a duplicate */
    bool duplicate;                /* submission_id was stored before */
    bool failed;                   /* this item alone could not be stored (see error) */
    char error[256];
} store_item;

/* A group commit: every item in one transaction, in two halves, so that the
 * caller does other work while PostgreSQL writes the group (one group at a
 * time per store; nothing else may use this store until the group is
 * finished).
 *
 * store_group_send sends the whole transaction as one pipeline without
 * waiting. Returns STORE_OK with *call set (finish it with
 * store_group_finish, which frees it), or STORE_DOWN with *call NULL when
 * the connection is down or memory ran out. items (and everything they point
 * to) must stay valid and unmoved until the call is finished. */
typedef struct store_group_call store_group_call;
int store_group_send(store *self, store_item *items, size_t n, store_group_call **call);
/* The connection's socket, to poll for reading while a statement is in
 * flight (-1 when there is no connection). It can change on reconnection. */
int store_socket(store *self);
/* Reads whatever results have arrived, never waiting. Returns true when
 * store_group_finish will not wait (every result is in, or the connection
 * failed). */
bool store_group_ready(store *self, store_group_call *call);
/* Reads the results (waiting for any still missing), runs the rare
 * synchronous paths (a refused row isolated, duplicates' revisions read),
 * sets each item's results and frees *call (set to NULL). Returns STORE_OK
 * when the commit succeeded (each item's results are set; an item the
 * database refused on its own is retried alone and marked failed, so it
 * never aborts the others), or STORE_DOWN when nothing could be committed. */
int store_group_finish(store *self, store_group_call **call);
/* Closes the connection (a server that stopped answering); the last error
 * says why. store_reconnect opens a new one. */
void store_close(store *self, const char *why);
/* Gives up a call whose results are overdue: closes the connection (the
 * server rolls the transaction back when it notices; a COMMIT it had already
 * done stays done), frees *call (set to NULL) and returns STORE_DOWN. The
 * items' outcome is unknown; store_reconnect opens a new connection. */
int store_group_abandon(store *self, store_group_call **call, const char *why);

/* Calls fn for every county and every school in the registry. */
int store_load_registry(store *self, void (*county_fn)(void *arg, const county_info *c),
                        void (*school_fn)(void *arg, const school_info *s), void *arg);

/* Calls fn for the newest revision of every (school, period). The payload is
 * valid only during the call. */
int store_load_latest(store *self,
                      void (*fn)(void *arg, const char *school_code, int32_t period, int64_t revision,
                                 const uint8_t *payload, size_t len),
                      void *arg);

/* Calls fn for every county-inputs revision stored, in revision order. The
 * payload (a packed CountyInputs) is valid only during the call. */
int store_load_county_inputs(store *self,
                             void (*fn)(void *arg, const char *county_code, int32_t period, int64_t revision,
                                        const uint8_t *payload, size_t len),
                             void *arg);

/* Counts the revisions stored (SELECT count(*)), at start: the daemon then
 * adds the revisions it commits. Returns >= 0 or a STORE_ code. */
int64_t store_count_revisions(store *self);

/* One computed county status to keep in county_status_history. */
typedef struct {
    const char *county_code;
    int32_t period;
    uint64_t seq;
    const char *epoch;
    const char *rules_version;
    const char *computed_at;    /* ISO 8601 UTC */
    const char *status_json;
    const char *view;           /* "live" or "official" (migrations/008_history_view.sql) */
} store_status_row;

/* Appends statuses to county_status_history in one statement, without
 * waiting: the rows (copied into the request) are sent and the call returns;
 * store_append_statuses_collect reads the outcome. Only
 * one such statement at a time, and nothing else on this store meanwhile:
 * give the history a store of its own. Returns STORE_OK (sent), STORE_DOWN
 * or STORE_ERROR (nothing sent). */
int store_append_statuses_send(store *self, const store_status_row *rows, size_t n);
/* The outcome of the statuses sent, never waiting (poll store_socket to wait):
 * STORE_OK (stored, or nothing was pending), STORE_PENDING (not yet),
 * STORE_DOWN or STORE_ERROR (not stored). */
int store_append_statuses_collect(store *self);

/* One binding of the key registry (migrations/003_keys.sql). */
typedef struct {
    const char *public_key;        /* Z85, 40 characters */
    const char *role;              /* "school", "monitor" or "admin" */
    const char *subject;           /* school code, scope prefix or admin name */
    bool revoked;
    bool may_review;               /* a monitor key's review right (docs/review.md) */
} store_key_row;

/* Calls fn for every key in the registry, revoked ones included. */
int store_load_keys(store *self, void (*fn)(void *arg, const store_key_row *row), void *arg);

/* ---- Requests in flight (store_call.c, store_admin.c, store_query.c) ----
 *
 * An admin request or a history query is a call: its statements are sent
 * as one pipeline without waiting (a store_*_send function), the caller
 * polls store_socket (for writing too while store_call_wants_write), asks
 * store_call_ready whenever it wakes, and reads the answer with
 * store_call_finish once ready. One call at a time per store, and nothing
 * else on it meanwhile. The statements of a call are one transaction: all
 * or nothing, and an answer of STORE_OK means PostgreSQL confirmed its
 * COMMIT. A call left unanswered too long is given up with
 * store_call_abandon (the connection is closed; store_reconnect opens
 * another). Inputs are copied when sent: they need not outlive the send. */
typedef struct store_call store_call;

/* What a finished call answers (the fields its request fills). */
/* A payload read back for a verification (store_review_package_send):
 * kind 0 a school revision (code: the school), 1 a county-inputs revision
 * (code: the county); data owned by the answer. */
typedef struct {
    int kind;
    int64_t revision;
    char code[16];
    uint8_t *data;
    size_t len;
} store_payload;
/* Frees n payloads and the array. */
void store_payloads_free(store_payload *p, size_t n);

typedef struct {
    size_t changed;                /* import counties: rows written */
    size_t inserted, updated;      /* import schools */
    size_t deactivated;            /* import schools: schools of the file's counties missing from it */
    size_t keys;                   /* keys bound */
    size_t deleted_quarantine;     /* retention: quarantined messages deleted */
    size_t deleted_history;        /* retention: status history rows deleted */
    bool found;                    /* revoke: the key is in the registry */
    char *text;                    /* JSON array text (lists, history), malloc'd: store_answer_clear */
    int lease_holder;              /* lease try: the backend pid holding the lock when not taken (0: none) */
    store_payload *payloads;       /* review package --verify: the seal's payloads (owned) */
    size_t n_payloads;
} store_answer;
/* Frees the answer's text and zeroes it. */
void store_answer_clear(store_answer *a);

/* Each returns STORE_OK with *call set, or STORE_DOWN / STORE_ERROR with
 * *call NULL (nothing sent; the last error says why). audit_json (NULL:
 * none) is a review_apply() request appending the change's audit row in
 * the same transaction (docs/review.md "The audit log"). */
/* Upserts county names (answer: changed). */
int store_counties_send(store *self, const county_info *rows, size_t n, const char *audit_json, store_call **call);
/* Upserts schools and marks inactive (never deletes) the schools of the
 * file's counties that rows omit; binds keys[0..n_keys) in the same
 * transaction (answer: inserted, updated, deactivated, keys). */
int store_schools_send(store *self, const school_info *rows, size_t n, const store_key_row *keys, size_t n_keys,
                       const char *audit_json, store_call **call);
/* Binds each key to its role and subject (insert, or update a live key's
 * binding). A revoked key is never changed: the database refuses the whole
 * call (STORE_ERROR when finished, the error names the key). */
int store_keys_put_send(store *self, const store_key_row *rows, size_t n, const char *audit_json,
                        store_call **call);
/* Marks a key revoked (now); revoking a revoked key changes nothing
 * (answer: found, false when the key is not in the registry). */
int store_key_revoke_send(store *self, const char *public_key, const char *audit_json, store_call **call);
/* The key registry, oldest first (answer: text, a JSON array). */
int store_keys_list_send(store *self, store_call **call);
/* Quarantined messages received at or after `since` (an ISO time or "" for
 * all), newest `limit` (answer: text, a JSON array). */
int store_quarantine_send(store *self, const char *since, int limit, store_call **call);
/* The stored history of one county, view ("live" or "official") and period
 * (0 = every period), compact entries oldest first (answer: text, a JSON
 * array). */
int store_history_send(store *self, const char *county_code, int32_t period, const char *view, int limit,
                       store_call **call);

/* The city's plan (migrations/009_plan.sql). request_json: {"imported_by",
 * "actor_key", "file_name", "rows": [{county_code, period, line, figures}]};
 * appends one revision per row with the audit row (answer: text, a JSON
 * array [{county_code, period, revision, imported_at}]). */
int store_plan_send(store *self, const char *request_json, const char *audit_json, store_call **call);
/* One stored plan revision (valid during the callback). */
typedef struct {
    const char *county_code;
    int32_t period;                /* 0: every school year */
    int64_t revision;
    const char *imported_at;       /* RFC 3339 UTC */
    const char *figures_json;      /* plan_row_to_json's form */
} store_plan_row;
/* At start: every plan revision, oldest first. */
int store_load_plans(store *self, void (*fn)(void *arg, const store_plan_row *row), void *arg);

/* The review chain (docs/review.md, migrations/006_review_chain.sql). */
/* Applies one review action -- request_json is review_apply()'s argument --
 * with its audit row, in one transaction (answer: text, the audit row JSON
 * with "duplicate"). */
int store_review_apply_send(store *self, const char *request_json, store_call **call);
/* One review query, review_query()'s argument (answer: text). */
int store_review_query_send(store *self, const char *request_json, store_call **call);
/* A package of (county, period), seal (0: the newest) (answer: text); with
 * payloads, also the payloads of the seal's school revisions and of the
 * county-inputs revisions it folded in (answer: payloads, in kind then
 * revision order). */
int store_review_package_send(store *self, const char *county_code, int32_t period, int64_t seal, bool payloads,
                              store_call **call);
/* The web users (migrations/010_users.sql, docs/security.md). */
typedef struct {
    const char *name;
    const char *role;              /* "school", "county", "monitor" or "admin" */
    const char *scope;             /* school code, county code, monitor prefix; "" for an admin */
    bool may_review;
    const char *password_hash;     /* crypto_pwhash_str's string */
    bool locked;
} store_user_row;
/* At start: calls fn for every user. */
int store_load_users(store *self, void (*fn)(void *arg, const store_user_row *row), void *arg);
/* Adds a user (STORE_ERROR when the name is taken: the error says so),
 * with the audit row (answer: found, true when added). */
int store_user_add_send(store *self, const store_user_row *row, const char *audit_json, store_call **call);
/* Changes a user: locked (0 or 1; -1 unchanged) and the password hash
 * (NULL: unchanged), with the audit row (answer: found, false when there
 * is no such user). */
int store_user_set_send(store *self, const char *name, int locked, const char *password_hash,
                        const char *audit_json, store_call **call);
/* Every user without the hashes, with their last login (answer: text, a
 * JSON array). */
int store_users_list_send(store *self, store_call **call);
/* Appends one login attempt to login_events. */
int store_login_event_send(store *self, const char *user, const char *client_address, bool ok, const char *reason,
                           store_call **call);
/* At start: review_load()'s JSON into *out (malloc'd, caller frees). */
int store_review_load(store *self, char **out);
/* At start: calls fn for the newest approved revision of every (school,
 * period); the payload is valid only during the call. */
int store_load_approved(store *self,
                        void (*fn)(void *arg, const char *school_code, int32_t period, int64_t revision,
                                   const uint8_t *payload, size_t len),
                        void *arg);

/* Deletes at most max_rows quarantined messages received more than
 * quarantine_days ago and at most max_rows status history rows computed
 * more than history_days ago, oldest first (0 days: that table is kept
 * whole); submissions and county inputs are never deleted (answer:
 * deleted_quarantine, deleted_history). */
int store_retention_send(store *self, int quarantine_days, int history_days, int max_rows, store_call **call);

/* Reads whatever results have arrived and sends what libpq still holds,
 * never waiting. True when store_call_finish will not wait. */
bool store_call_ready(store *self, store_call *call);
/* Whether the call still has bytes to send (poll the socket for writing). */
bool store_call_wants_write(const store_call *call);
/* Reads the answer of a ready call into *out and frees *call (set to NULL).
 * Returns STORE_OK (committed; *out filled), STORE_ERROR (PostgreSQL refused
 * the request: nothing of it was done; the error says why) or STORE_DOWN
 * (not done, or not known to be done: try again later -- the connection
 * lost, a statement cancelled by statement_timeout, a deadlock). */
int store_call_finish(store *self, store_call **call, store_answer *out);
/* Gives up a call (PostgreSQL left it unanswered): closes the connection
 * (the server rolls the transaction back when it notices) and frees *call
 * (set to NULL). Its outcome is unknown. */
void store_call_abandon(store *self, store_call **call, const char *why);

/* Reads one stored revision back (for a submission whose commit was not
 * confirmed to the daemon but is found stored on a resend). *out is owned by
 * the caller (submission_clear). Returns STORE_OK, STORE_ERROR when there is
 * no such revision or it does not decode, or STORE_DOWN. */
int store_fetch_revision(store *self, int64_t revision, submission *out);

/* ---- The active daemon's lease (store_lease.c) ----
 *
 * A session advisory lock that only the active junhengd holds, on a store of
 * its own (server/lease.c): PostgreSQL releases it when that session ends,
 * so a standby daemon polling for it takes over when the active one dies. */

/* Tries to take the session advisory lock `key` on this connection, never
 * waiting for it (pg_try_advisory_lock; one short synchronous statement).
 * Returns STORE_OK with *held true (this session holds it) or false (then
 * *holder is the backend pid of the session holding it, 0 when none was
 * seen), STORE_DOWN when the connection is down or the server is a standby
 * in recovery (then the connection is closed: the lock is only ever taken
 * where the daemon writes), or STORE_ERROR. */
int store_lease_try(store *self, int64_t key, bool *held, int *holder);
/* Names this connection's session: its server ("HOST:PORT", written into
 * server) and its backend pid (returned; 0 when down), so that a daemon can
 * tell its own old session from another daemon's. */
int store_lease_session(store *self, char *server, size_t size);
/* The same as a call (store_call_ready / _finish / _abandon above), for the
 * event loop: answer found (the lock is held by this session now) and
 * lease_holder; finishing returns STORE_DOWN when the server is a standby in
 * recovery. When own_old_pid is not 0 (the daemon's own earlier session on
 * this same server) and that session holds the lock, it is ended
 * (pg_terminate_backend: a backend left hanging after the daemon gave its
 * connection up) so that a later try takes the lock. */
int store_lease_try_send(store *self, int64_t key, int own_old_pid, store_call **call);
/* Sends a round trip (SELECT 1) as a call (store_call_ready / _finish /
 * _abandon above), proving the session -- and so the lock -- is alive.
 * Returns STORE_OK with *call set, or STORE_DOWN with *call NULL. */
int store_lease_ping_send(store *self, store_call **call);

#endif
