/* web_session.h -- the gateway's sessions and its login rate limit.
 *
 * A browser holds only the gateway's own random session id (cookie
 * jh_session); the gateway maps it to the daemon's session token, the user,
 * role, scope and a CSRF token of its own. A session ends at the daemon's
 * expiry or after idle_ms without use, whichever is first.
 *
 * The limiter counts failed logins per key (the browser's address, and the
 * user name): after max_failures within window_ms the key is blocked for
 * window_ms. The daemon limits too; this spares it the traffic.
 *
 * Both are safe to use from several threads (a mutex each); times are
 * passed in (Unix milliseconds) so tests need no clock. */
#ifndef JUNHENG_WEB_SESSION_H
#define JUNHENG_WEB_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_SESSION_ID_HEX 64   /* 32 random bytes */

typedef struct {
    char id[WEB_SESSION_ID_HEX + 1];     /* the cookie's value */
    char csrf[WEB_SESSION_ID_HEX + 1];   /* every state-changing form carries it */
    char token[256];                     /* the daemon's session token ("" in --dev-open mode) */
    char user[64];
    char role[16];                       /* school | county | monitor | admin */
    char scope[24];                      /* a code, or "" for everything */
    bool may_review;
    int64_t expires_ms;                  /* the daemon's expiry (0: none) */
    int64_t last_used_ms;
} web_session;

typedef struct web_sessions web_sessions;

/* A table of at most max sessions, each idle at most idle_ms. NULL when out of memory. */
web_sessions *web_sessions_new(size_t max, int64_t idle_ms);
void web_sessions_destroy(web_sessions **p);

/* Adds a session like s with fresh id and csrf, copied back into out.
 * When full, the least recently used session is dropped. Returns 0, or -1
 * (no randomness). */
int web_sessions_add(web_sessions *self, const web_session *s, int64_t now_ms, web_session *out);
/* Copies the live session of id into out and marks it used. False when
 * unknown or expired (then it is dropped). */
bool web_sessions_get(web_sessions *self, const char *id, int64_t now_ms, web_session *out);
/* Drops the session of id (nothing when unknown). */
void web_sessions_remove(web_sessions *self, const char *id);
/* Live sessions. */
size_t web_sessions_count(web_sessions *self);

typedef struct web_limiter web_limiter;

web_limiter *web_limiter_new(int max_failures, int64_t window_ms);
void web_limiter_destroy(web_limiter **p);
/* Whether key may try now; when not, *retry_after_s says for how long. */
bool web_limiter_allows(web_limiter *self, const char *key, int64_t now_ms, long *retry_after_s);
/* Counts a failure of key. */
void web_limiter_failed(web_limiter *self, const char *key, int64_t now_ms);
/* Forgets key's failures (a successful login). */
void web_limiter_succeeded(web_limiter *self, const char *key);

#endif
