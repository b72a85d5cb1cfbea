/* login_limit.c -- the login rate limiter: failures per user name ("u:"
 * key) and per client address ("a:" key). See users.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "users.h"

/* The longest refusal, and how many names and addresses are followed at
 * most (beyond, those whose failures are forgotten are swept first; a new
 * one is not followed while every place is taken). */
#define LOGIN_LOCKOUT_MAX_MS (3600 * 1000LL)
#define LOGIN_LIMIT_ENTRIES 100000

/* The failures of one name or address. */
typedef struct {
    int failures;                 /* within the window of the last one */
    int64_t last_ms;              /* the last failure */
    int64_t until_ms;             /* refused until then */
} limit_entry;

struct login_limit {
    hashmap *entries;             /* "u:NAME" / "a:ADDRESS" -> limit_entry (owned) */
    int max_failures;
    int64_t window_ms, lockout_ms;
};

login_limit *login_limit_new(int max_failures, int window_s, int lockout_s)
{
    login_limit *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->entries = hashmap_new(free);
    if (!self->entries) {
        free(self);
        return NULL;
    }
    self->max_failures = max_failures;
    self->window_ms = (int64_t)window_s * 1000;
    self->lockout_ms = (int64_t)lockout_s * 1000;
    return self;
}

void login_limit_destroy(login_limit **p)
{
    login_limit *self = *p;
    if (!self)
        return;
    hashmap_destroy(&self->entries);
    free(self);
    *p = NULL;
}

/* The map key of a user name (kind 'u') or an address (kind 'a'). */
static void entry_key(char *out, size_t size, char kind, const char *what)
{
    snprintf(out, size, "%c:%.200s", kind, what ? what : "");
}

/* Milliseconds until the entry of key lets a login through. */
static int64_t entry_wait(const login_limit *self, const char *key, int64_t now_ms)
{
    const limit_entry *e = hashmap_get(self->entries, key);
    return e && e->until_ms > now_ms ? e->until_ms - now_ms : 0;
}

int64_t login_limit_wait_ms(login_limit *self, const char *user, const char *address, int64_t now_ms)
{
    char key[256];
    entry_key(key, sizeof key, 'u', user);
    int64_t wait = entry_wait(self, key, now_ms);
    entry_key(key, sizeof key, 'a', address);
    int64_t by_address = entry_wait(self, key, now_ms);
    return by_address > wait ? by_address : wait;
}

/* The sweep's walk: the keys whose failures are forgotten. */
typedef struct {
    const login_limit *self;
    int64_t now_ms;
    char (*keys)[256];
    size_t n, cap;
} sweep_ctx;

static void sweep_note(void *arg, const char *key, void *value)
{
    sweep_ctx *c = arg;
    const limit_entry *e = value;
    if (e->until_ms > c->now_ms || c->now_ms - e->last_ms < c->self->window_ms)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        void *grown = realloc(c->keys, cap * sizeof *c->keys);
        if (!grown)
            return;
        c->keys = grown;
        c->cap = cap;
    }
    snprintf(c->keys[c->n++], sizeof c->keys[0], "%s", key);
}

/* Forgets the entries whose failures no longer count. */
static void sweep(login_limit *self, int64_t now_ms)
{
    sweep_ctx c = { self, now_ms, NULL, 0, 0 };
    hashmap_foreach(self->entries, sweep_note, &c);
    for (size_t i = 0; i < c.n; i++)
        hashmap_remove(self->entries, c.keys[i]);
    free(c.keys);
}

/* One failure for key: counted within the window; at max_failures and
 * beyond, refused for lockout_ms doubled per failure past the limit. */
static void entry_fail(login_limit *self, const char *key, int64_t now_ms)
{
    limit_entry *e = hashmap_get(self->entries, key);
    if (!e) {
        if (hashmap_size(self->entries) >= LOGIN_LIMIT_ENTRIES)
            sweep(self, now_ms);
        if (hashmap_size(self->entries) >= LOGIN_LIMIT_ENTRIES)
            return;
        e = calloc(1, sizeof *e);
        if (!e || hashmap_put(self->entries, key, e) != 0) {
            free(e);
            return;
        }
    }
    if (e->failures > 0 && now_ms - e->last_ms >= self->window_ms && e->until_ms <= now_ms)
        e->failures = 0;
    e->failures++;
    e->last_ms = now_ms;
    if (e->failures < self->max_failures)
        return;
    int64_t lock = self->lockout_ms;
    for (int i = self->max_failures; i < e->failures && lock < LOGIN_LOCKOUT_MAX_MS; i++)
        lock *= 2;
    e->until_ms = now_ms + (lock < LOGIN_LOCKOUT_MAX_MS ? lock : LOGIN_LOCKOUT_MAX_MS);
}

void login_limit_failed(login_limit *self, const char *user, const char *address, int64_t now_ms)
{
    char key[256];
    entry_key(key, sizeof key, 'u', user);
    entry_fail(self, key, now_ms);
    entry_key(key, sizeof key, 'a', address);
    entry_fail(self, key, now_ms);
}

void login_limit_succeeded(login_limit *self, const char *user, int64_t now_ms)
{
    (void)now_ms;
    char key[256];
    entry_key(key, sizeof key, 'u', user);
    hashmap_remove(self->entries, key);
}
