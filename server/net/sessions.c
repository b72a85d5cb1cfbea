/* sessions.c -- the web users' sessions in memory. See sessions.h. */
#include "sessions.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

/* At most this many sessions at once: a login beyond is refused. */
#define SESSIONS_MAX 100000

struct sessions {
    hashmap *by_token;            /* token -> session (owned) */
    int64_t idle_ms, max_age_ms;
};

sessions *sessions_new(int idle_s, int max_age_s)
{
    sessions *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->by_token = hashmap_new(free);
    if (!self->by_token) {
        free(self);
        return NULL;
    }
    self->idle_ms = (int64_t)idle_s * 1000;
    self->max_age_ms = (int64_t)max_age_s * 1000;
    return self;
}

void sessions_destroy(sessions **p)
{
    sessions *self = *p;
    if (!self)
        return;
    hashmap_destroy(&self->by_token);
    free(self);
    *p = NULL;
}

int64_t sessions_expiry_ms(const sessions *self, const session *s)
{
    int64_t idle = s->used_ms + self->idle_ms;
    int64_t age = s->opened_ms + self->max_age_ms;
    return idle < age ? idle : age;
}

/* The sweep's walk: the tokens to remove (or, by user, those of user). */
typedef struct {
    const sessions *self;
    const char *user;             /* NULL: the ended ones */
    int64_t now_ms;
    char (*tokens)[SESSION_TOKEN_LEN + 1];
    size_t n, cap;
    bool oom;
} sweep_ctx;

/* hashmap_foreach callback: notes a session to remove. */
static void sweep_note(void *arg, const char *key, void *value)
{
    sweep_ctx *c = arg;
    const session *s = value;
    bool gone = c->user ? strcmp(s->user, c->user) == 0 : sessions_expiry_ms(c->self, s) <= c->now_ms;
    if (!gone || c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        void *grown = realloc(c->tokens, cap * sizeof *c->tokens);
        if (!grown) {
            c->oom = true;
            return;
        }
        c->tokens = grown;
        c->cap = cap;
    }
    snprintf(c->tokens[c->n++], SESSION_TOKEN_LEN + 1, "%s", key);
}

/* Removes the ended sessions (user NULL) or every session of user. Returns
 * how many were removed. */
static size_t sweep(sessions *self, const char *user, int64_t now_ms)
{
    sweep_ctx c = { self, user, now_ms, NULL, 0, 0, false };
    hashmap_foreach(self->by_token, sweep_note, &c);
    for (size_t i = 0; i < c.n; i++)
        hashmap_remove(self->by_token, c.tokens[i]);
    free(c.tokens);
    return c.n;
}

const session *sessions_open(sessions *self, const char *user, key_role role, const char *scope, bool may_review,
                             int64_t now_ms)
{
    sweep(self, NULL, now_ms);
    if (hashmap_size(self->by_token) >= SESSIONS_MAX)
        return NULL;
    session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    unsigned char raw[SESSION_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->token, sizeof s->token, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    snprintf(s->user, sizeof s->user, "%s", user);
    s->key.role = role;
    snprintf(s->key.subject, sizeof s->key.subject, "%s", scope ? scope : "");
    s->key.may_review = may_review;
    s->opened_ms = s->used_ms = now_ms;
    if (hashmap_put(self->by_token, s->token, s) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

const session *sessions_use(sessions *self, const char *token, int64_t now_ms)
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return NULL;
    session *s = hashmap_get(self->by_token, token);
    if (!s)
        return NULL;
    if (sessions_expiry_ms(self, s) <= now_ms) {
        hashmap_remove(self->by_token, token);
        return NULL;
    }
    s->used_ms = now_ms;
    return s;
}

bool sessions_close(sessions *self, const char *token)
{
    return token && strlen(token) == SESSION_TOKEN_LEN && hashmap_remove(self->by_token, token) == 1;
}

size_t sessions_close_user(sessions *self, const char *user)
{
    return sweep(self, user, 0);
}

size_t sessions_count(const sessions *self)
{
    return hashmap_size(self->by_token);
}
