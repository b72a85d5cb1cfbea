/* web_session.c -- the gateway's session table and login rate limit (see
 * web_session.h). Small linear tables: a gateway serves hundreds of people,
 * not millions. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_session.h"
#include "web_text.h"

struct web_sessions {
    pthread_mutex_t lock;
    web_session *items;
    size_t n, max;
    int64_t idle_ms;
};

web_sessions *web_sessions_new(size_t max, int64_t idle_ms)
{
    web_sessions *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->items = calloc(max ? max : 1, sizeof *self->items);
    if (!self->items) {
        free(self);
        return NULL;
    }
    self->max = max ? max : 1;
    self->idle_ms = idle_ms;
    pthread_mutex_init(&self->lock, NULL);
    return self;
}

void web_sessions_destroy(web_sessions **p)
{
    if (!p || !*p)
        return;
    memset((*p)->items, 0, (*p)->max * sizeof *(*p)->items); /* no tokens left in freed memory */
    free((*p)->items);
    pthread_mutex_destroy(&(*p)->lock);
    free(*p);
    *p = NULL;
}

/* Drops item i (lock held). */
static void drop(web_sessions *self, size_t i)
{
    self->items[i] = self->items[--self->n];
    memset(&self->items[self->n], 0, sizeof self->items[self->n]);
}

/* Whether session s has ended at now. */
static bool ended(const web_sessions *self, const web_session *s, int64_t now_ms)
{
    return (s->expires_ms && now_ms >= s->expires_ms) || now_ms - s->last_used_ms >= self->idle_ms;
}

int web_sessions_add(web_sessions *self, const web_session *s, int64_t now_ms, web_session *out)
{
    web_session fresh = *s;
    if (web_random_hex(fresh.id, WEB_SESSION_ID_HEX / 2) != 0 || web_random_hex(fresh.csrf, WEB_SESSION_ID_HEX / 2))
        return -1;
    fresh.last_used_ms = now_ms;
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->n;)
        if (ended(self, &self->items[i], now_ms))
            drop(self, i);
        else
            i++;
    if (self->n == self->max) {
        size_t oldest = 0;
        for (size_t i = 1; i < self->n; i++)
            if (self->items[i].last_used_ms < self->items[oldest].last_used_ms)
                oldest = i;
        drop(self, oldest);
    }
    self->items[self->n++] = fresh;
    pthread_mutex_unlock(&self->lock);
    *out = fresh;
    return 0;
}

bool web_sessions_get(web_sessions *self, const char *id, int64_t now_ms, web_session *out)
{
    bool found = false;
    if (!id || strlen(id) != WEB_SESSION_ID_HEX)
        return false;
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->n; i++) {
        if (!web_secret_equal(self->items[i].id, id))
            continue;
        if (ended(self, &self->items[i], now_ms)) {
            drop(self, i);
        } else {
            self->items[i].last_used_ms = now_ms;
            *out = self->items[i];
            found = true;
        }
        break;
    }
    pthread_mutex_unlock(&self->lock);
    return found;
}

void web_sessions_remove(web_sessions *self, const char *id)
{
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->n; i++)
        if (web_secret_equal(self->items[i].id, id)) {
            drop(self, i);
            break;
        }
    pthread_mutex_unlock(&self->lock);
}

size_t web_sessions_count(web_sessions *self)
{
    pthread_mutex_lock(&self->lock);
    size_t n = self->n;
    pthread_mutex_unlock(&self->lock);
    return n;
}

/* --- the limiter ---------------------------------------------------------- */

#define LIMITER_KEYS 1024

typedef struct {
    char key[96];
    int failures;
    int64_t first_ms;        /* start of the window */
    int64_t blocked_until;
} limiter_entry;

struct web_limiter {
    pthread_mutex_t lock;
    limiter_entry items[LIMITER_KEYS];
    size_t n;
    int max_failures;
    int64_t window_ms;
};

web_limiter *web_limiter_new(int max_failures, int64_t window_ms)
{
    web_limiter *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->max_failures = max_failures;
    self->window_ms = window_ms;
    pthread_mutex_init(&self->lock, NULL);
    return self;
}

void web_limiter_destroy(web_limiter **p)
{
    if (!p || !*p)
        return;
    pthread_mutex_destroy(&(*p)->lock);
    free(*p);
    *p = NULL;
}

/* The entry of key, or NULL (lock held). */
static limiter_entry *find(web_limiter *self, const char *key)
{
    for (size_t i = 0; i < self->n; i++)
        if (strncmp(self->items[i].key, key, sizeof self->items[i].key - 1) == 0)
            return &self->items[i];
    return NULL;
}

bool web_limiter_allows(web_limiter *self, const char *key, int64_t now_ms, long *retry_after_s)
{
    pthread_mutex_lock(&self->lock);
    limiter_entry *e = find(self, key);
    bool ok = !e || now_ms >= e->blocked_until;
    if (!ok && retry_after_s)
        *retry_after_s = (long)((e->blocked_until - now_ms + 999) / 1000);
    pthread_mutex_unlock(&self->lock);
    return ok;
}

void web_limiter_failed(web_limiter *self, const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&self->lock);
    limiter_entry *e = find(self, key);
    if (!e) {
        size_t slot = self->n < LIMITER_KEYS ? self->n++ : 0;
        if (slot == 0 && self->n == LIMITER_KEYS) /* full: reuse the entry whose window began first */
            for (size_t i = 1; i < self->n; i++)
                if (self->items[i].first_ms < self->items[slot].first_ms)
                    slot = i;
        e = &self->items[slot];
        memset(e, 0, sizeof *e);
        snprintf(e->key, sizeof e->key, "%s", key);
        e->first_ms = now_ms;
    }
    if (now_ms - e->first_ms >= self->window_ms && now_ms >= e->blocked_until) {
        e->failures = 0;
        e->first_ms = now_ms;
    }
    if (++e->failures >= self->max_failures)
        e->blocked_until = now_ms + self->window_ms;
    pthread_mutex_unlock(&self->lock);
}

void web_limiter_succeeded(web_limiter *self, const char *key)
{
    pthread_mutex_lock(&self->lock);
    limiter_entry *e = find(self, key);
    if (e)
        *e = self->items[--self->n];
    pthread_mutex_unlock(&self->lock);
}
