/* web_hub.c -- the fan-out of one live subscription to many browsers (see
 * web_hub.h).
 *
 * Every event is rendered once, as the SSE frame the streams send, into a
 * shared, reference-counted text (hub_text); the ring and each reader that
 * is sending it hold a reference. The lock covers only pointer moves and
 * reference counts: the feed's thread never waits for a reader's rendering
 * or for its socket, and readers copy the frames after letting go of the
 * lock. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web_hub.h"
#include "web_text.h"

#define HUB_ID_ROOM 32  /* room before a frame's body for its "id: N\n" line */
#define HUB_BATCH 256   /* frames a reader takes at once (the rest at its next call) */

/* A text shared by the hub and the readers sending it: freed by the last
 * hub_text_unref. text points into buf (a frame's id line is written in
 * front of its body). */
typedef struct {
    atomic_uint refs;
    size_t len;
    char *text;
    char buf[];
} hub_text;

typedef struct {
    char code[8];
    hub_text *json;    /* the newest row */
} hub_row;

typedef struct {
    uint64_t id;
    char code[8];      /* "" for a state event */
    hub_text *frame;   /* "id: N\nevent: county|state\ndata: ...\n\n" */
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
    hub_text *state;
    hub_event ring[WEB_HUB_RING];
    uint64_t next_id;  /* id of the next event (the first is 1) */
    bool closed;
    int readers;
    web_hub_waiter *parked;    /* streams of the event loop with nothing to send */
    web_hub_stats stats;
};

/* A new shared text: room bytes of headroom, then len bytes of body
 * (copied), NUL-terminated; one reference. NULL when out of memory. */
static hub_text *hub_text_new(const char *body, size_t len, size_t room)
{
    hub_text *t = malloc(sizeof *t + room + len + 1);
    if (!t)
        return NULL;
    atomic_init(&t->refs, 1);
    t->text = t->buf + room;
    t->len = len;
    memcpy(t->text, body, len);
    t->text[len] = '\0';
    return t;
}

/* Takes a reference. */
static hub_text *hub_text_ref(hub_text *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
    return t;
}

/* Drops a reference; frees the text with the last. */
static void hub_text_unref(hub_text *t)
{
    if (t && atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
        free(t);
}

web_hub *web_hub_new(void)
{
    web_hub *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    static const char first[] = "{\"phase\":\"connecting\",\"reason\":\"\",\"daemon\":\"unknown\"}";
    self->state = hub_text_new(first, strlen(first), 0);
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
        hub_text_unref(self->rows[i].json);
    free(self->rows);
    for (size_t i = 0; i < WEB_HUB_RING; i++)
        hub_text_unref(self->ring[i].frame);
    hub_text_unref(self->state);
    pthread_cond_destroy(&self->cond);
    for (size_t i = 0; i < HUB_SCOPES; i++)
        pthread_cond_destroy(&self->scopes[i].cond);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *p = NULL;
}

/* Unlinks a parked waiter (lock held). */
static void unpark(web_hub *self, web_hub_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        self->parked = w->next;
    if (w->next)
        w->next->prev = w->prev;
    w->prev = w->next = NULL;
    w->parked = false;
    self->stats.parked--;
}

/* Unparks the parked waiters that may see an event of code ("" = a state
 * event, every one; NULL = every one), adding them to *woken for
 * wake_woken; moves the cursor of the others past the event id (lock held). */
static void wake_parked(web_hub *self, const char *code, uint64_t id, web_hub_waiter **woken)
{
    for (web_hub_waiter *w = self->parked, *next; w; w = next) {
        next = w->next;
        if (code && code[0] && !web_scope_allows(w->scope, code)) {
            if (*w->cursor == id - 1)
                *w->cursor = id; /* nothing it would show: no resync for it later */
            continue;
        }
        unpark(self, w);
        self->stats.wakes++;
        w->woken = *woken;
        *woken = w;
    }
}

/* Calls the wake-up of every waiter wake_parked unparked (lock not held:
 * a woken stream may park again meanwhile, so the link is read first). */
static void wake_woken(web_hub_waiter *w)
{
    while (w) {
        web_hub_waiter *next = w->woken;
        w->woken = NULL;
        w->wake(w->arg);
        w = next;
    }
}

/* Wakes the waiting threads that may see an event of code ("" = a state
 * event, everyone; NULL = everyone). Lock held. */
static void wake_threads(web_hub *self, const char *code)
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

/* Monotonic microseconds (the lock-wait counter). */
static uint64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* Takes the lock for the feed's thread, counting how long it waited. */
static void writer_lock(web_hub *self)
{
    uint64_t t0 = mono_us();
    pthread_mutex_lock(&self->lock);
    uint64_t waited = mono_us() - t0;
    self->stats.put_wait_us += waited;
    if (waited > self->stats.put_wait_max_us)
        self->stats.put_wait_max_us = waited;
}

/* Queues an event whose frame body (no id line yet) is frame (lock held;
 * takes frame). Returns the frame the ring slot held, for the caller to
 * unref after the lock, and the parked waiters to wake after it in *woken. */
static hub_text *queue(web_hub *self, const char *code, hub_text *frame, web_hub_waiter **woken)
{
    hub_event *e = &self->ring[self->next_id % WEB_HUB_RING];
    hub_text *old = e->frame;
    e->id = self->next_id++;
    char line[HUB_ID_ROOM];
    int n = snprintf(line, sizeof line, "id: %llu\n", (unsigned long long)e->id);
    frame->text -= n;
    frame->len += (size_t)n;
    memcpy(frame->text, line, (size_t)n);
    snprintf(e->code, sizeof e->code, "%s", code);
    e->frame = frame;
    wake_parked(self, code, e->id, woken);
    /* every thread now and then, so that a reader whose scope saw nothing
     * moves its cursor on before the ring leaves it behind (a needless
     * resync); parked waiters have theirs moved by wake_parked */
    wake_threads(self, e->id % (WEB_HUB_RING / 2) == 0 ? NULL : code);
    return old;
}

/* The event's frame without its id line (rendered once for every stream),
 * with HUB_ID_ROOM bytes of headroom for it. NULL when out of memory. */
static hub_text *frame_body(const char *event, const char *json)
{
    char *body = web_sse_frame(event, NULL, json);
    hub_text *t = body ? hub_text_new(body, strlen(body), HUB_ID_ROOM) : NULL;
    free(body);
    return t;
}

/* The slot of code's row (lock held): its index, or where it goes (*found false). */
static size_t row_find(const web_hub *self, const char *code, bool *found)
{
    size_t lo = 0, hi = self->n_rows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(self->rows[mid].code, code);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* Sets the row of code to json (lock held; takes json). Returns the text
 * it replaces (to unref after the lock; NULL when none), or json itself
 * when out of memory. */
static hub_text *set_row(web_hub *self, const char *code, hub_text *json)
{
    bool found;
    size_t at = row_find(self, code, &found);
    if (found) {
        hub_text *old = self->rows[at].json;
        self->rows[at].json = json;
        return old;
    }
    if (self->n_rows == self->cap_rows) {
        size_t cap = self->cap_rows ? 2 * self->cap_rows : 64;
        hub_row *grown = realloc(self->rows, cap * sizeof *grown);
        if (!grown)
            return json;
        self->rows = grown;
        self->cap_rows = cap;
    }
    memmove(&self->rows[at + 1], &self->rows[at], (self->n_rows - at) * sizeof *self->rows);
    snprintf(self->rows[at].code, sizeof self->rows[at].code, "%s", code);
    self->rows[at].json = json;
    self->n_rows++;
    return NULL;
}

int web_hub_put_row(web_hub *self, const char *code, const char *row_json)
{
    hub_text *row = hub_text_new(row_json, strlen(row_json), 0), *frame = frame_body("county", row_json);
    if (!row || !frame) {
        hub_text_unref(row);
        hub_text_unref(frame);
        return -1;
    }
    writer_lock(self);
    hub_text *old_row = set_row(self, code, row), *old_frame = NULL;
    web_hub_waiter *woken = NULL;
    int rc = old_row == row ? -1 : 0;
    if (rc == 0)
        old_frame = queue(self, code, frame, &woken);
    pthread_mutex_unlock(&self->lock);
    wake_woken(woken);
    hub_text_unref(old_row);
    hub_text_unref(rc == 0 ? old_frame : frame);
    return rc;
}

int web_hub_put_state(web_hub *self, const char *state_json)
{
    hub_text *copy = hub_text_new(state_json, strlen(state_json), 0), *frame = frame_body("state", state_json);
    if (!copy || !frame) {
        hub_text_unref(copy);
        hub_text_unref(frame);
        return -1;
    }
    writer_lock(self);
    hub_text *old = self->state;
    self->state = copy;
    web_hub_waiter *woken = NULL;
    hub_text *old_frame = queue(self, "", frame, &woken);
    pthread_mutex_unlock(&self->lock);
    wake_woken(woken);
    hub_text_unref(old);
    hub_text_unref(old_frame);
    return 0;
}

void web_hub_close(web_hub *self)
{
    pthread_mutex_lock(&self->lock);
    self->closed = true;
    web_hub_waiter *woken = NULL;
    wake_parked(self, NULL, self->next_id - 1, &woken);
    wake_threads(self, NULL);
    pthread_mutex_unlock(&self->lock);
    wake_woken(woken);
}

/* References to the state and to the rows scope allows, in code order
 * (lock held): [0] is the state. NULL when out of memory. */
static hub_text **city_refs(web_hub *self, const char *scope, size_t *n)
{
    hub_text **refs = malloc((self->n_rows + 1) * sizeof *refs);
    if (!refs)
        return NULL;
    refs[0] = hub_text_ref(self->state);
    *n = 1;
    for (size_t i = 0; i < self->n_rows; i++)
        if (web_scope_allows(scope, self->rows[i].code))
            refs[(*n)++] = hub_text_ref(self->rows[i].json);
    return refs;
}

/* {"state": STATE, "counties": [ROW, ...]} of city_refs' n references,
 * which it drops (and frees refs). Malloc'd; NULL when out of memory. */
static char *city_text(hub_text **refs, size_t n)
{
    size_t len = 32;
    for (size_t i = 0; i < n; i++)
        len += refs[i]->len + 1;
    char *out = malloc(len), *p = out;
    if (out) {
        p += sprintf(p, "{\"state\":%s,\"counties\":[", refs[0]->text);
        for (size_t i = 1; i < n; i++) {
            if (i > 1)
                *p++ = ',';
            memcpy(p, refs[i]->text, refs[i]->len);
            p += refs[i]->len;
        }
        strcpy(p, "]}");
    }
    for (size_t i = 0; i < n; i++)
        hub_text_unref(refs[i]);
    free(refs);
    return out;
}

char *web_hub_city_json(web_hub *self, const char *scope)
{
    size_t n = 0;
    pthread_mutex_lock(&self->lock);
    hub_text **refs = city_refs(self, scope, &n);
    pthread_mutex_unlock(&self->lock);
    return refs ? city_text(refs, n) : NULL;
}

/* What a reader takes under the lock and copies out after it: references
 * to frames, or (city) to the state and rows of a fresh "city" event. */
typedef struct {
    hub_text *frames[HUB_BATCH];
    size_t n;
    hub_text **city;
    size_t n_city;
    uint64_t city_id;
    bool failed;
} hub_take;

/* Takes what follows *cursor for scope (lock held): a joiner, or a reader
 * the ring has left behind, the city; else up to HUB_BATCH frames of its
 * scope. *cursor moves past what was looked at. */
static void take(web_hub *self, uint64_t *cursor, const char *scope, hub_take *out)
{
    uint64_t last = self->next_id - 1;
    if (*cursor == WEB_HUB_JOINED || last - *cursor >= WEB_HUB_RING) {
        if (*cursor != WEB_HUB_JOINED)
            self->stats.resyncs++;
        out->city = city_refs(self, scope, &out->n_city);
        out->failed = out->city == NULL;
        out->city_id = last;
        *cursor = last;
        return;
    }
    uint64_t id = *cursor;
    while (id < last && out->n < HUB_BATCH) {
        const hub_event *e = &self->ring[++id % WEB_HUB_RING];
        if (!e->code[0] || web_scope_allows(scope, e->code))
            out->frames[out->n++] = hub_text_ref(e->frame);
    }
    *cursor = id;
}

/* The SSE text of what take() took, which it drops. Malloc'd ("" when
 * nothing); NULL when out of memory. */
static char *take_text(hub_take *tk)
{
    if (tk->city || tk->failed) {
        char *city = tk->city ? city_text(tk->city, tk->n_city) : NULL, id[24];
        snprintf(id, sizeof id, "%llu", (unsigned long long)tk->city_id);
        char *frame = city ? web_sse_frame("city", id, city) : NULL;
        free(city);
        return frame;
    }
    size_t len = 0;
    for (size_t i = 0; i < tk->n; i++)
        len += tk->frames[i]->len;
    char *out = malloc(len + 1), *p = out;
    for (size_t i = 0; i < tk->n; i++) {
        if (out) {
            memcpy(p, tk->frames[i]->text, tk->frames[i]->len);
            p += tk->frames[i]->len;
        }
        hub_text_unref(tk->frames[i]);
    }
    if (out)
        *p = '\0';
    return out;
}

/* The monotonic time wait_ms from now. */
static struct timespec deadline(int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    return until;
}

char *web_hub_wait(web_hub *self, uint64_t *cursor, const char *scope, int wait_ms)
{
    struct timespec until = deadline(wait_ms);
    hub_take tk = { .n = 0 };
    bool timed_out = false, closed;
    pthread_mutex_lock(&self->lock);
    pthread_cond_t *cond = scope_cond(self, scope);
    for (;;) {
        while (!self->closed && !timed_out && *cursor != WEB_HUB_JOINED && *cursor == self->next_id - 1)
            timed_out = pthread_cond_timedwait(cond, &self->lock, &until) == ETIMEDOUT;
        closed = self->closed;
        if (closed)
            break;
        take(self, cursor, scope, &tk);
        /* Events all outside the reader's scope: wait on rather than hand the
         * stream an empty answer (a keep-alive written to every stream for
         * every county in the country). */
        if (tk.n || tk.city || tk.failed || timed_out)
            break;
    }
    pthread_mutex_unlock(&self->lock);
    return closed ? NULL : take_text(&tk);
}

char *web_hub_poll(web_hub *self, uint64_t *cursor, const char *scope, web_hub_waiter *w)
{
    hub_take tk = { .n = 0 };
    pthread_mutex_lock(&self->lock);
    bool closed = self->closed;
    if (!closed && (*cursor == WEB_HUB_JOINED || *cursor != self->next_id - 1))
        take(self, cursor, scope, &tk);
    if (!closed && w && !w->parked && !tk.n && !tk.city && !tk.failed) {
        w->scope = scope;
        w->cursor = cursor;
        w->prev = NULL;
        w->next = self->parked;
        if (self->parked)
            self->parked->prev = w;
        self->parked = w;
        w->parked = true;
        self->stats.parked++;
    }
    pthread_mutex_unlock(&self->lock);
    return closed ? NULL : take_text(&tk);
}

void web_hub_wake_all(web_hub *self)
{
    web_hub_waiter *woken = NULL;
    pthread_mutex_lock(&self->lock);
    wake_parked(self, NULL, self->next_id - 1, &woken);
    pthread_mutex_unlock(&self->lock);
    wake_woken(woken);
}

void web_hub_unpark(web_hub *self, web_hub_waiter *w)
{
    pthread_mutex_lock(&self->lock);
    if (w->parked)
        unpark(self, w);
    pthread_mutex_unlock(&self->lock);
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

void web_hub_get_stats(web_hub *self, web_hub_stats *out)
{
    pthread_mutex_lock(&self->lock);
    *out = self->stats;
    out->events = self->next_id - 1;
    out->readers = self->readers;
    pthread_mutex_unlock(&self->lock);
}

void web_hub_note_lag(web_hub *self, int64_t lag_ms)
{
    uint64_t ms = lag_ms > 0 ? (uint64_t)lag_ms : 0;
    pthread_mutex_lock(&self->lock);
    self->stats.lag_n++;
    self->stats.lag_sum_ms += ms;
    if (ms > self->stats.lag_max_ms)
        self->stats.lag_max_ms = ms;
    pthread_mutex_unlock(&self->lock);
}
