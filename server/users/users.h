/* users.h -- the public header of server/users/ (library junheng_users):
 * the web users in memory, the login rate limiter, and the worker thread
 * that hashes and checks passwords (docs/security.md "Web users").
 *
 *   - user_table.c: every user (name, role, scope, review right, the
 *     Argon2id hash string, locked), loaded at start and changed by the
 *     admin commands after their COMMIT;
 *   - login_limit.c: failures per user name and per client address; after
 *     too many within a window, logins are refused for a growing interval;
 *   - pwhash_worker.c: crypto_pwhash_str and crypto_pwhash_str_verify
 *     (0.1 s or more each, 64 MiB) on a thread of their own, never in the
 *     event loop: jobs go in a bounded queue, finished jobs come back
 *     through an eventfd the loop polls.
 *
 * Single-threaded except the worker's queue, which it locks itself. */
#ifndef JUNHENG_USERS_H
#define JUNHENG_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define USER_NAME_MAX 64          /* bytes of a user name: [A-Za-z0-9_.@-] */
#define USER_PASSWORD_MIN 10      /* bytes of a password set by an admin */
#define USER_PASSWORD_MAX 256
#define USER_HASH_MAX 128         /* >= crypto_pwhash_STRBYTES */

/* ---- user_table.c ---- */

/* One user. */
typedef struct {
    char name[USER_NAME_MAX + 1];
    key_role role;
    char scope[AUTH_SUBJECT_MAX]; /* a school code, county code or monitor prefix; "" for an admin */
    bool may_review;
    bool locked;
    char hash[USER_HASH_MAX];     /* crypto_pwhash_str's string */
} user_record;

typedef struct user_table user_table;

/* Creates an empty table; NULL when out of memory. */
user_table *user_table_new(void);
/* Frees it and every user; nulls *p. */
void user_table_destroy(user_table **p);
/* Adds or replaces the user named r->name (copied). 0, or -1 when out of memory. */
int user_table_put(user_table *self, const user_record *r);
/* The user of name, or NULL (valid until the next put). */
user_record *user_table_get(const user_table *self, const char *name);
/* Number of users. */
size_t user_table_count(const user_table *self);
/* Whether name is a valid user name. */
bool user_name_valid(const char *name);

/* ---- login_limit.c ---- */

typedef struct login_limit login_limit;

/* Creates the limiter: after max_failures failures within window_s seconds
 * (of one user name, or from one address), refuse for lockout_s seconds,
 * doubled at each further failure up to an hour. NULL when out of memory. */
login_limit *login_limit_new(int max_failures, int window_s, int lockout_s);
void login_limit_destroy(login_limit **p);
/* Milliseconds until user may try to log in from address again (0: now). */
int64_t login_limit_wait_ms(login_limit *self, const char *user, const char *address, int64_t now_ms);
/* A wrong password (or unknown user) for user from address. */
void login_limit_failed(login_limit *self, const char *user, const char *address, int64_t now_ms);
/* A successful login: the user's failures are forgotten (the address's stay). */
void login_limit_succeeded(login_limit *self, const char *user, int64_t now_ms);

/* ---- pwhash_worker.c ---- */

typedef enum { PWHASH_VERIFY, PWHASH_HASH } pwhash_kind;

/* One job: verify password against hash ("": against a dummy hash, so an
 * unknown user costs the same time and always fails), or hash password
 * into hash. The password is wiped once done. Embed it first in the
 * caller's own record to carry more. */
typedef struct pwhash_job {
    pwhash_kind kind;
    char password[USER_PASSWORD_MAX + 1];
    char hash[USER_HASH_MAX];
    bool ok;                      /* verify: the password matched; hash: hashed */
    struct pwhash_job *next;      /* the worker's queues */
} pwhash_job;

typedef struct pwhash_worker pwhash_worker;

/* Starts the worker thread; at most max_jobs jobs queued, running or
 * finished but not taken. NULL after logging why. */
pwhash_worker *pwhash_worker_new(size_t max_jobs);
/* Stops the thread (after the job it is running) and calls drop for every
 * job not taken (queued or finished); nulls *p. */
void pwhash_worker_destroy(pwhash_worker **p, void (*drop)(pwhash_job *job));
/* Queues job (owned by the worker until taken back). 0, or -1 when
 * max_jobs are in already (the caller keeps job: "busy, retry"). */
int pwhash_worker_submit(pwhash_worker *self, pwhash_job *job);
/* The eventfd that is readable while finished jobs wait. */
int pwhash_worker_fd(const pwhash_worker *self);
/* A finished job (the caller owns it again), oldest first, or NULL. */
pwhash_job *pwhash_worker_take(pwhash_worker *self);

#endif
