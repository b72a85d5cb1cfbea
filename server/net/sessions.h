/* sessions.h -- the web users' sessions, in the daemon's memory (net.h
 * includes it).
 *
 * A session is made at a web user's login (server/admin/admin_users.c): a
 * random 32-byte token (libsodium's randombytes_buf), shown as 64 hex
 * digits, bound to the user's name, role, scope and review right. A request
 * whose Envelope.session names a live session acts as that user
 * (auth_peer). A session ends when unused for the idle timeout, at its
 * absolute age, at logout, or when its user is locked or their password
 * reset. Sessions are never written anywhere: a restart ends them all.
 *
 * Ownership: the table owns its sessions; a pointer it returns is valid
 * until the next call that may remove one (open, use, close, close_user):
 * hold none across calls. */
#ifndef JUNHENG_SESSIONS_H
#define JUNHENG_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"

#define SESSION_TOKEN_LEN 64      /* hex digits of the 32 random bytes */
#define SESSION_USER_MAX 65       /* a user name (at most 64 bytes) and its NUL */

/* One live session: key is the identity the user acts with (public_key
 * empty: the connection's key is recorded beside the user). */
typedef struct {
    char token[SESSION_TOKEN_LEN + 1];
    char user[SESSION_USER_MAX];
    auth_key key;
    int64_t opened_ms;            /* monotonic ms of the login */
    int64_t used_ms;              /* monotonic ms of the last use */
} session;

typedef struct sessions sessions;

/* Creates an empty table: sessions end idle_s seconds after their last use
 * and max_age_s after their login. NULL when out of memory. */
sessions *sessions_new(int idle_s, int max_age_s);
/* Frees the table and every session; nulls *p. */
void sessions_destroy(sessions **p);

/* Opens a session for user with role, scope and the review right; token
 * gets its 64 hex digits. Ended sessions are swept first. Returns the
 * session, or NULL when out of memory (or the table is full). */
const session *sessions_open(sessions *self, const char *user, key_role role, const char *scope, bool may_review,
                             int64_t now_ms);
/* The live session of token, its last use set to now; NULL when unknown
 * or ended (an ended one is removed). */
const session *sessions_use(sessions *self, const char *token, int64_t now_ms);
/* Monotonic ms when s ends unless used again. */
int64_t sessions_expiry_ms(const sessions *self, const session *s);
/* Ends the session of token (logout); whether there was one. */
bool sessions_close(sessions *self, const char *token);
/* Ends every session of user; returns how many. */
size_t sessions_close_user(sessions *self, const char *user);
/* Live sessions now (ended ones not yet swept included). */
size_t sessions_count(const sessions *self);

#endif
