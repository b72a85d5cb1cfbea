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
#include "hashmap.h"
#include "users.h"
#include "wire.h"

/* Requests waiting behind the one in flight; one more is answered "retry
 * later". */
#define ADMIN_QUEUE_MAX 32
/* Logins (and password hashings) the password worker holds at most:
 * queued, being checked, or checked but not yet taken back; one more is
 * answered "busy, retry". */
#define ADMIN_LOGINS_MAX 16
/* The retention delete: first run this long after start, then once an hour;
 * at most ADMIN_RETENTION_ROWS rows of each table a run -- a run that
 * deleted that many is followed by the next one soon, until caught up. */
#define ADMIN_RETENTION_FIRST_MS 5000
#define ADMIN_RETENTION_EVERY_MS 3600000
#define ADMIN_RETENTION_AGAIN_MS 1000
#define ADMIN_RETENTION_ROWS 10000

/* A revision an approval or a return names: the school holding it as its
 * newest for period. */
typedef struct {
    int64_t revision;
    school_record *rec;
    int32_t period;
} review_target;

typedef struct admin_user_job admin_user_job;

/* One admin request: who asked, and what (the envelope, owned); job: a
 * web-user request whose password the worker hashed or checked (owned;
 * NULL: none), started by its own start function. */
typedef struct {
    peer_address peer;
    Junheng__Envelope *env;        /* NULL: an empty slot */
    int64_t received_ms;           /* monotonic ms */
    admin_user_job *job;
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
    plan_row *plans;               /* import-plan: the file's rows (admin_plan.c) */
    size_t n_plans;
    /* admin_retention.c: the retention deletes, run on this connection when
     * no request is in flight or waiting */
    bool retention;                /* the call in flight is the retention delete (cur is empty) */
    int64_t next_retention_ms;     /* when the next one is due (0: shortly after start) */
    uint64_t retention_runs, retention_failures, deleted_quarantine, deleted_history;
    char key[KEY_Z85_LEN + 1];     /* set-key / revoke-key: the key */
    char subject[AUTH_SUBJECT_MAX];
    int role;
    bool may_review;               /* set-key --review */
    /* the review chain (docs/review.md) */
    review_state *review;
    hashmap *review_actions;       /* action_id -> audit row JSON text (owned by the server) */
    const validate_limits *limits; /* a what-if's changed submissions are validated with these */
    review_target *rv_targets;     /* approve / return: the revisions' schools (owned) */
    size_t n_rv_targets;
    county_inputs rv_inputs;       /* seal: the inputs sealed (owned) */
    bool rv_has_inputs;
    bool rv_verify;                /* package: verify the seal */
    /* the web users (admin_users.c, admin_session.c) */
    user_table *users;             /* borrowed from the server */
    sessions *sessions;            /* borrowed from the server */
    login_limit *limit;            /* owned */
    pwhash_worker *worker;         /* owned: hashing and checking off the loop */
    bool user_lock;                /* lock-user (true) or unlock-user in flight */
};

/* A web-user request while its password is hashed or checked, then queued
 * like any request (admin_request.job) and started by start. */
struct admin_user_job {
    pwhash_job job;                /* first: the worker's part */
    peer_address peer;
    Junheng__Envelope *env;        /* owned until queued (then the request's) */
    int64_t received_ms;
    void (*start)(admin *self);    /* run on self->cur when its turn comes */
    char user[USER_NAME_MAX + 1];
    char address[128];             /* login: the client's address */
    bool ok;                       /* login: the password was right and the user may log in */
    const char *reason;            /* login: login_events' reason */
    const char *field;             /* login refused: the field ("password", "user") */
    char refusal[256];             /* login refused: why */
    key_role role;                 /* add-user */
    char scope[AUTH_SUBJECT_MAX];
    bool may_review;
};

/* admin_session.c: a SessionRequest (env taken). */
void admin_session_request(admin *self, const peer_address *peer, Junheng__Envelope *env);
/* admin_users.c: add-user and reset-password, checked by an admin key
 * (env taken): the password is hashed off the loop, then the request
 * queued. */
void admin_user_hash_command(admin *self, const peer_address *peer, Junheng__Envelope *env);
/* admin_users.c: lock-user, unlock-user, list-users (started on self->cur). */
void admin_lock_user(admin *self);
void admin_unlock_user(admin *self);
void admin_list_users(admin *self);
/* admin_session.c: frees a job (its envelope, its password wiped). */
void admin_user_job_free(admin_user_job *job);
/* admin_session.c: hands a job to the worker; false (job freed, answered
 * "busy, retry") when the worker's queue is full. */
bool admin_user_job_submit(admin *self, admin_user_job *job);
/* admin.c: queues a job whose password is done (job taken). */
void admin_enqueue_job(admin *self, admin_user_job *job);
/* admin_keys.c: checks a key's or a user's SUBJECT for self->role and keeps
 * it (normalised) in self->subject; NULL, or why it is refused. */
const char *admin_key_subject(admin *self, const char *subject);

/* admin_review.c: a review request (Envelope{review}) started on self->cur. */
void admin_review_start(admin *self);
/* admin_review.c: frees what the review request in flight kept. */
void admin_review_done(admin *self);
/* admin_review.c: the key that sent the request in flight (NULL: unknown, refused). */
const auth_key *admin_review_actor(admin *self);
/* admin_review.c: a review_apply request for action by the key k (a new
 * object: action, action_id, actor_key, actor_role, actor_subject, detail
 * {}), or NULL when out of memory. */
json_t *admin_review_request(admin *self, const auth_key *k, const char *action);
/* admin_review.c: the review_apply request of an admin command's audit
 * row (action, detail consumed), as JSON text (caller frees), or NULL when
 * out of memory. */
char *admin_audit_text(admin *self, const char *action, json_t *detail);
/* admin_review.c: sends req (consumed) to review_apply; the answer goes
 * to the sender once committed, and memory follows. */
void admin_review_send(admin *self, json_t *req);
/* admin_review.c: refuses the request in flight unless the key may do
 * asked (auth_may_review). Returns whether it may. */
bool admin_review_allowed(admin *self, review_right right, const char *county_code, const char *school_code,
                          const char *asked, const char *asked_zh);
/* Replies to r with status and a JSON text body. */
void admin_reply_status_text(admin *self, const admin_request *r, Junheng__ReplyStatus status, const char *text);

/* admin_review_checks.c: each action's start (checks, then the call). */
void admin_review_approve(admin *self);
void admin_review_return(admin *self);
void admin_review_reopen(admin *self);
void admin_review_seal(admin *self);
void admin_review_finding(admin *self);
void admin_review_override(admin *self);
void admin_review_package_step(admin *self);  /* return_package, pass */
void admin_review_problem(admin *self);       /* answer, close */
/* admin_review_query.c: the queries. */
void admin_review_query(admin *self);
void admin_review_package(admin *self);
/* admin_review_apply.c: applies a committed action (its audit row) to
 * memory: the review state, the county book. */
void admin_review_applied(admin *self, const json_t *audit);
/* admin_review_apply.c: the answer of an action from its audit row (a new
 * object, or NULL when out of memory). */
json_t *admin_review_answer(const json_t *audit);
/* admin_period.c: period-open, period-close, period-reopen, periods,
 * package-reopen (AdminRequest, admin keys). */
void admin_period_open(admin *self);
void admin_period_close(admin *self);
void admin_period_reopen(admin *self);
void admin_periods(admin *self);
void admin_package_reopen(admin *self);

/* admin_whatif.c: answers a what-if (Envelope.whatif) at once, from memory. */
void admin_whatif(admin *self, const admin_request *r);

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
/* admin_plan.c: import-plan, started on self->cur. */
void admin_import_plan(admin *self);

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
