/* admin_internal.h -- what the files of server/admin/ share. Private to the
 * folder; others include admin.h.
 *
 * A request that needs the database is answered in two halves: its start
 * (checks, then its statements sent as one store call without waiting) and
 * its finish (once PostgreSQL answered: memory updated after a confirmed
 * COMMIT, the reply sent). One request is in flight at a time; the others
 * wait in a bounded queue, in order. */
#ifndef JUNHENG_ADMIN_INTERNAL_H
#define JUNHENG_ADMIN_INTERNAL_H

#include <jansson.h>

#include "admin.h"
#include "wire.h"

/* Requests waiting behind the one in flight; one more is answered "retry
 * later". */
#define ADMIN_QUEUE_MAX 32
/* The retention delete: first run this long after start, then once an hour;
 * at most ADMIN_RETENTION_ROWS rows of each table a run -- a run that
 * deleted that many is followed by the next one soon, until caught up. */
#define ADMIN_RETENTION_FIRST_MS 5000
#define ADMIN_RETENTION_EVERY_MS 3600000
#define ADMIN_RETENTION_AGAIN_MS 1000
#define ADMIN_RETENTION_ROWS 10000

/* One admin request: who asked, and what (the envelope, owned). */
typedef struct {
    peer_address peer;
    Junheng__Envelope *env;        /* NULL: an empty slot */
    int64_t received_ms;           /* monotonic ms */
} admin_request;

/* The second half of a request: rc is what store_call_finish returned, the
 * answer its results (admin.c frees it). Replies to self->cur. */
typedef void (*admin_finish_fn)(admin *self, int rc, const store_answer *answer);

struct admin {
    const config *cfg;
    store *db;                     /* the admin connection: only the request in flight uses it */
    registry *reg;
    county_book *book;
    auth *keys;
    const auth_policy *policy;
    const char *curve_public;
    void *admin_sock;
    net_counters *counters;
    const publisher *pub;
    int64_t started_ms;
    int64_t revisions_at_start;
    admin_request queue[ADMIN_QUEUE_MAX]; /* a ring: waiting requests, oldest at q_head */
    size_t q_head, q_len;
    admin_request cur;             /* the request being answered (env NULL: none) */
    store_call *call;              /* its statements in flight (NULL: none) */
    int64_t sent_ms;               /* when they were sent */
    int64_t next_check_ms;         /* when the idle connection is next looked at (reopened when down) */
    admin_finish_fn finish;
    /* what the request in flight applies to memory once committed (owned,
     * freed when it is done) */
    county_info *counties;
    school_info *schools;
    size_t n_rows;
    store_key_row *bound;          /* keys the import binds (strings point into schools) */
    size_t n_bound;
    /* admin_retention.c: the retention deletes, run on this connection when
     * no request is in flight or waiting */
    bool retention;                /* the call in flight is the retention delete (cur is empty) */
    int64_t next_retention_ms;     /* when the next one is due (0: shortly after start) */
    uint64_t retention_runs, retention_failures, deleted_quarantine, deleted_history;
    char key[KEY_Z85_LEN + 1];     /* set-key / revoke-key: the key */
    char subject[AUTH_SUBJECT_MAX];
    int role;
};

/* admin.c: replies to request r. */
void admin_reply_json(admin *self, const admin_request *r, json_t *body);   /* OK with a body (consumed) */
void admin_reply_text(admin *self, const admin_request *r, const char *text); /* OK with a JSON text */
void admin_reply_problems(admin *self, const admin_request *r, Junheng__ReplyStatus status,
                          const problem_list *errs);
/* REFUSED with one problem. */
void admin_refuse(admin *self, const admin_request *r, const char *field, const char *reason);
/* For a store call that failed (rc): STORE_DOWN is "retry later", anything
 * else a refusal; the store's last error is the reason. */
void admin_reply_store_error(admin *self, const admin_request *r, int rc);
/* Records the call sent by a request's start (rc from a store_*_send): in
 * flight with its finish, or -- nothing sent -- answered at once. */
void admin_send(admin *self, int rc, store_call *call, admin_finish_fn finish);

/* admin_registry.c: import-counties and import-schools, started on self->cur. */
void admin_import_counties(admin *self);
void admin_import_schools(admin *self);

/* admin_keys.c: set-key, revoke-key and keys, started on self->cur. */
void admin_set_key(admin *self);
void admin_revoke_key(admin *self);
void admin_list_keys(admin *self);
/* admin_retention.c: starts the retention delete when it is due, retention
 * is configured and the connection is idle (nothing in flight or waiting). */
void admin_retention_start(admin *self, int64_t now);
/* admin_retention.c: the retention delete in flight was given up (overdue
 * or at stop): counted, tried again later. */
void admin_retention_given_up(admin *self, int64_t now);

/* The internal command of admin_reload_keys (never accepted from a peer). */
#define ADMIN_RELOAD_KEYS "reload-keys"
/* admin_keys.c: the reload's start on self->cur (an internal request). */
void admin_reload_keys_start(admin *self);
/* Why a key may not be bound by an admin request, or NULL (admin_keys.c). */
const char *admin_key_unbindable(const admin *self, const char *public_key);

#endif
