/* web_hub.c -- the fan-out of one live subscription to many browsers (see
 * web_hub.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web_hub.h"
#include "web_text.h"

typedef struct {
    char code[8];      /* "" for a state event */
    char *json;
} hub_row;

typedef struct {
    uint64_t id;
    char code[8];      /* "" for a state event */
    char *json;
} hub_event;

#define HUB_SCOPES 64  /* scopes with their own wake-up; readers of others share the hub's */

/* The readers of one scope wait on their own condition variable, so that an
 * event wakes only the streams that may see it (1,000 streams of many
 * cities: a county's event wakes its city's, not every thread). */
typedef struct {
    bool used;
    char scope[24];
    pthread_cond_t cond;
} hub_scope;

struct web_hub {
    pthread_mutex_t lock;
    pthread_cond_t cond;       /* readers whose scope has no slot */
    hub_scope scopes[HUB_SCOPES];
    hub_row *rows;     /* sorted by code */
    size_t n_rows, cap_rows;
    char *state;
    hub_event ring[WEB_HUB_RING];
    uint64_t next_id;  /* id of the next event (the first is 1) */
    bool closed;
    int readers;
};

web_hub *web_hub_new(void)
{
    web_hub *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->state = strdup("{\"phase\":\"connecting\",\"reason\":\"\",\"daemon\":\"unknown\"}");
    if (!self->state) {
        free(self);
        return NULL;
    }
    self->next_id = 1;
    pthread_mutex_init(&self->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&self->cond, &ca);
    for (size_t i = 0; i < HUB_SCOPES; i++)
        pthread_cond_init(&self->scopes[i].cond, &ca);
    pthread_condattr_destroy(&ca);
    return self;
}

void web_hub_destroy(web_hub **p)
{
    if (!p || !*p)
        return;
    web_hub *self = *p;
    for (size_t i = 0; i < self->n_rows; i++)
        free(self->rows[i].json);
    free(self->rows);
    for (size_t i = 0; i < WEB_HUB_RING; i++)
        free(self->ring[i].json);
    free(self->state);
    pthread_cond_destroy(&self->cond);
    for (size_t i = 0; i < HUB_SCOPES; i++)
        pthread_cond_destroy(&self->scopes[i].cond);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *p = NULL;
}

/* Wakes the readers that may see an event of code ("" = a state event,
 * everyone; NULL = the hub closes, everyone). Lock held. */
static void wake(web_hub *self, const char *code)
{
    pthread_cond_broadcast(&self->cond);
    for (size_t i = 0; i < HUB_SCOPES && self->scopes[i].used; i++)
        if (!code || !code[0] || web_scope_allows(self->scopes[i].scope, code))
            pthread_cond_broadcast(&self->scopes[i].cond);
}

/* The condition variable the readers of scope wait on (lock held). */
static pthread_cond_t *scope_cond(web_hub *self, const char *scope)
{
    for (size_t i = 0; i < HUB_SCOPES; i++) {
        hub_scope *sc = &self->scopes[i];
        if (sc->used && strcmp(sc->scope, scope) == 0)
            return &sc->cond;
        if (!sc->used && strlen(scope) < sizeof sc->scope) {
            sc->used = true;
            snprintf(sc->scope, sizeof sc->scope, "%s", scope);
            return &sc->cond;
        }
    }
    return &self->cond;
}

/* Queues an event (lock held); takes json. */
static void queue(web_hub *self, const char *code, char *json)
{
    hub_event *e = &self->ring[self->next_id % WEB_HUB_RING];
    free(e->json);
    e->id = self->next_id++;
    snprintf(e->code, sizeof e->code, "%s", code);
    e->json = json;
    /* everyone now and then, so that a reader whose scope saw nothing moves
     * its cursor on before the ring leaves it behind (a needless resync) */
    wake(self, e->id % (WEB_HUB_RING / 2) == 0 ? NULL : code);
}

/* Sets the row of code to json (lock held; json copied). Returns 0 or -1. */
static int set_row(web_hub *self, const char *code, const char *json)
{
    size_t lo = 0, hi = self->n_rows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(self->rows[mid].code, code);
        if (c == 0) {
            char *copy = strdup(json);
            if (!copy)
                return -1;
            free(self->rows[mid].json);
            self->rows[mid].json = copy;
            return 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (self->n_rows == self->cap_rows) {
        size_t cap = self->cap_rows ? 2 * self->cap_rows : 64;
        hub_row *grown = realloc(self->rows, cap * sizeof *grown);
        if (!grown)
            return -1;
        self->rows = grown;
        self->cap_rows = cap;
    }
    char *copy = strdup(json);
    if (!copy)
        return -1;
    memmove(&self->rows[lo + 1], &self->rows[lo], (self->n_rows - lo) * sizeof *self->rows);
    snprintf(self->rows[lo].code, sizeof self->rows[lo].code, "%s", code);
    self->rows[lo].json = copy;
    self->n_rows++;
    return 0;
}

int web_hub_put_row(web_hub *self, const char *code, const char *row_json)
{
    char *event = strdup(row_json);
    if (!event)
        return -1;
    pthread_mutex_lock(&self->lock);
    int rc = set_row(self, code, row_json);
    if (rc == 0)
        queue(self, code, event);
    else
        free(event);
    pthread_mutex_unlock(&self->lock);
    return rc;
}

int web_hub_put_state(web_hub *self, const char *state_json)
{
    char *copy = strdup(state_json), *event = strdup(state_json);
    if (!copy || !event) {
        free(copy);
        free(event);
        return -1;
    }
    pthread_mutex_lock(&self->lock);
    free(self->state);
    self->state = copy;
    queue(self, "", event);
    pthread_mutex_unlock(&self->lock);
    return 0;
}

void web_hub_close(web_hub *self)
{
    pthread_mutex_lock(&self->lock);
    self->closed = true;
    wake(self, NULL);
    pthread_mutex_unlock(&self->lock);
}

/* The city JSON (lock held). */
static char *city_json(web_hub *self, const char *scope)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fprintf(m, "{\"state\":%s,\"counties\":[", self->state);
    bool first = true;
    for (size_t i = 0; i < self->n_rows; i++) {
        if (!web_scope_allows(scope, self->rows[i].code))
            continue;
        fprintf(m, "%s%s", first ? "" : ",", self->rows[i].json);
        first = false;
    }
    fputs("]}", m);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *web_hub_city_json(web_hub *self, const char *scope)
{
    pthread_mutex_lock(&self->lock);
    char *out = city_json(self, scope);
    pthread_mutex_unlock(&self->lock);
    return out;
}

/* Appends frame to *text (both malloc'd; frame freed). Returns 0 or -1. */
static int append(char **text, size_t *len, char *frame)
{
    if (!frame)
        return -1;
    size_t n = strlen(frame);
    char *grown = realloc(*text, *len + n + 1);
    if (!grown) {
        free(frame);
        return -1;
    }
    memcpy(grown + *len, frame, n + 1);
    *text = grown;
    *len += n;
    free(frame);
    return 0;
}

/* The frames after *cursor (lock held): "" when none. */
static char *collect(web_hub *self, uint64_t *cursor, const char *scope)
{
    char *text = calloc(1, 1), idbuf[24];
    size_t len = 0;
    uint64_t last = self->next_id - 1;
    if (!text)
        return NULL;
    if (*cursor == WEB_HUB_JOINED || last - *cursor >= WEB_HUB_RING) {
        snprintf(idbuf, sizeof idbuf, "%llu", (unsigned long long)last);
        char *city = city_json(self, scope);
        int rc = city ? append(&text, &len, web_sse_frame("city", idbuf, city)) : -1;
        free(city);
        *cursor = last;
        if (rc != 0) {
            free(text);
            return NULL;
        }
        return text;
    }
    for (uint64_t id = *cursor + 1; id <= last; id++) {
        const hub_event *e = &self->ring[id % WEB_HUB_RING];
        if (e->code[0] && !web_scope_allows(scope, e->code))
            continue;
        snprintf(idbuf, sizeof idbuf, "%llu", (unsigned long long)id);
        if (append(&text, &len, web_sse_frame(e->code[0] ? "county" : "state", idbuf, e->json)) != 0) {
            free(text);
            return NULL;
        }
    }
    *cursor = last;
    return text;
}

char *web_hub_wait(web_hub *self, uint64_t *cursor, const char *scope, int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&self->lock);
    pthread_cond_t *cond = scope_cond(self, scope);
    char *out = NULL;
    bool timed_out = false;
    for (;;) {
        while (!self->closed && !timed_out && *cursor != WEB_HUB_JOINED && *cursor == self->next_id - 1)
            timed_out = pthread_cond_timedwait(cond, &self->lock, &until) == ETIMEDOUT;
        out = self->closed ? NULL : collect(self, cursor, scope);
        /* Events all outside the reader's scope: wait on rather than hand the
         * stream an empty answer (a keep-alive written to every stream for
         * every county in the country). */
        if (!out || *out || timed_out)
            break;
        free(out);
    }
    pthread_mutex_unlock(&self->lock);
    return out;
}

void web_hub_reader_count(web_hub *self, int delta)
{
    pthread_mutex_lock(&self->lock);
    self->readers += delta;
    pthread_mutex_unlock(&self->lock);
}

int web_hub_readers(web_hub *self)
{
    pthread_mutex_lock(&self->lock);
    int n = self->readers;
    pthread_mutex_unlock(&self->lock);
    return n;
}
