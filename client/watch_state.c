/* watch_state.c -- the monitor's state machine. See watch_state.h. */
#include "watch_state.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status_read.h"

typedef struct {
    char code[8];
    int64_t last_ms;    /* newest heartbeat (or the snapshot that started the wait) */
} watch_city;

struct watch_state {
    char prefix[8];
    int32_t period;
    watch_phase phase;
    char reason[256];
    char epoch[64];
    char old_epochs[WATCH_OLD_EPOCHS][64];   /* epochs left behind, newest first */
    watch_row *rows;                          /* sorted by code */
    size_t n_rows, cap_rows;
    watch_city *cities;
    size_t n_cities, cap_cities;
    int64_t live_since_ms;
    bool had_snapshot;
    watch_counters counters;
    watch_change_fn on_change;
    void *on_change_arg;
    watch_status_filter filter;
    void *filter_arg;
};

watch_state *watch_state_new(const char *prefix, int32_t period)
{
    if (!prefix || strlen(prefix) > 6)
        return NULL;
    watch_state *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    snprintf(self->prefix, sizeof self->prefix, "%s", prefix);
    self->period = period;
    self->phase = WATCH_CONNECTING;
    return self;
}

void watch_state_destroy(watch_state **p)
{
    if (!p || !*p)
        return;
    free((*p)->rows);
    free((*p)->cities);
    free(*p);
    *p = NULL;
}

void watch_state_on_change(watch_state *self, watch_change_fn fn, void *arg)
{
    self->on_change = fn;
    self->on_change_arg = arg;
}

void watch_state_filter(watch_state *self, watch_status_filter fn, void *arg)
{
    self->filter = fn;
    self->filter_arg = arg;
}

void watch_state_subscribed(watch_state *self)
{
    if (self->phase == WATCH_CONNECTING) {
        self->phase = WATCH_SYNCING;
        snprintf(self->reason, sizeof self->reason, "subscribed; asking for a snapshot");
    }
}

/* Asks for a snapshot with a formatted reason. */
static watch_result resync(watch_state *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static watch_result resync(watch_state *self, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(self->reason, sizeof self->reason, fmt, ap);
    va_end(ap);
    if (self->phase == WATCH_LIVE)
        self->counters.resyncs++;
    self->phase = WATCH_SYNCING;
    return WATCH_RESYNC;
}

void watch_state_resync(watch_state *self, const char *reason)
{
    resync(self, "%s", reason);
}

/* Whether a county code is one of this monitor's. */
static bool in_scope(const watch_state *self, const char *code)
{
    return code && strlen(code) == 6 && strncmp(code, self->prefix, strlen(self->prefix)) == 0;
}

/* Whether a city's heartbeat concerns this monitor (its counties may be ours). */
static bool city_in_scope(const watch_state *self, const char *city)
{
    size_t n = strlen(self->prefix);
    return city && strlen(city) == 6 && strncmp(city, self->prefix, n < 4 ? n : 4) == 0;
}

/* Binary search: the index of code, or where it would go (*found false). */
static size_t row_index(const watch_state *self, const char *code, bool *found)
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

/* The row of code, or NULL. */
static watch_row *row_find(watch_state *self, const char *code)
{
    bool found;
    size_t i = row_index(self, code, &found);
    return found ? &self->rows[i] : NULL;
}

/* The row of code, created empty when missing. NULL when out of memory. */
static watch_row *row_get(watch_state *self, const char *code)
{
    bool found;
    size_t i = row_index(self, code, &found);
    if (found)
        return &self->rows[i];
    if (self->n_rows == self->cap_rows) {
        size_t cap = self->cap_rows ? self->cap_rows * 2 : 16;
        watch_row *rows = realloc(self->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        self->rows = rows;
        self->cap_rows = cap;
    }
    memmove(&self->rows[i + 1], &self->rows[i], (self->n_rows - i) * sizeof *self->rows);
    self->n_rows++;
    watch_row *r = &self->rows[i];
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", code);
    snprintf(r->city, sizeof r->city, "%.4s00", code);
    return r;
}

/* The city entry of code, created when missing (last_ms = now). */
static watch_city *city_get(watch_state *self, const char *city, int64_t now_ms)
{
    for (size_t i = 0; i < self->n_cities; i++)
        if (strcmp(self->cities[i].code, city) == 0)
            return &self->cities[i];
    if (self->n_cities == self->cap_cities) {
        size_t cap = self->cap_cities ? self->cap_cities * 2 : 8;
        watch_city *c = realloc(self->cities, cap * sizeof *c);
        if (!c)
            return NULL;
        self->cities = c;
        self->cap_cities = cap;
    }
    watch_city *c = &self->cities[self->n_cities++];
    snprintf(c->code, sizeof c->code, "%s", city);
    c->last_ms = now_ms;
    return c;
}

/* The stage summary: verdict, sections, the worst coefficient (status_read.h:
 * the one furthest past, or closest to, its limit; an undefined one first). */
static void stage_from_status(watch_stage *st, const status_stage *in)
{
    memset(st, 0, sizeof *st);
    st->worst_cv = NAN;
    st->applicable = in->applicable;
    st->pass = in->pass;
    st->passing = in->sections_passing;
    st->assessed = in->sections_assessed;
    const status_indicator *w = in->worst;
    if (w) {
        snprintf(st->worst_id, sizeof st->worst_id, "%s", w->id);
        st->worst_cv = w->cv;
        st->worst_limit = isnan(w->cv_limit) ? 0 : w->cv_limit;
        st->worst_ok = w->cv_ok;
    }
}

/* Fills row from a status read by status_read.h. */
static void row_fill(watch_row *row, const status_county *s)
{
    if (*s->name)
        snprintf(row->name, sizeof row->name, "%s", s->name);
    row->has_status = true;
    row->period = (int32_t)s->period_number;
    row->status_seq = (uint64_t)s->seq;
    row->submitted = s->schools_submitted;
    row->registered = s->schools_registered;
    stage_from_status(&row->stage[0], &s->stage[STAGE_PRIMARY]);
    stage_from_status(&row->stage[1], &s->stage[STAGE_JUNIOR]);
    row->pass = s->pass;
    row->has_verdict = s->has_verdict;
    snprintf(row->verdict, sizeof row->verdict, "%s", s->verdict);
    row->items_failing = s->summary.failing + s->summary.vetoes_present;
    row->items_pending = s->summary.pending + s->summary.vetoes_pending;
    snprintf(row->computed_at, sizeof row->computed_at, "%s", s->computed_at);
}

/* Whether two stage summaries show the same counts / the same worst coefficient. */
static bool stage_count_same(const watch_stage *a, const watch_stage *b)
{
    return a->applicable == b->applicable && a->pass == b->pass && a->passing == b->passing &&
           a->assessed == b->assessed;
}
static bool stage_cv_same(const watch_stage *a, const watch_stage *b)
{
    bool both_nan = isnan(a->worst_cv) && isnan(b->worst_cv);
    return strcmp(a->worst_id, b->worst_id) == 0 && (both_nan || a->worst_cv == b->worst_cv) &&
           a->worst_limit == b->worst_limit && a->worst_ok == b->worst_ok;
}

/* The WATCH_CELL_* in which row now differs from before (its copy before
 * the status was applied); every cell when before had no status. */
static uint32_t row_diff(const watch_row *before, const watch_row *row)
{
    if (!before->has_status)
        return WATCH_CELL_VERDICT | WATCH_CELL_COVERAGE | WATCH_CELL_PRIMARY_COUNT | WATCH_CELL_PRIMARY_CV |
               WATCH_CELL_JUNIOR_COUNT | WATCH_CELL_JUNIOR_CV;
    uint32_t d = 0;
    if (strcmp(before->verdict, row->verdict) != 0 || before->has_verdict != row->has_verdict ||
        before->items_failing != row->items_failing || before->items_pending != row->items_pending)
        d |= WATCH_CELL_VERDICT;
    if (before->submitted != row->submitted || before->registered != row->registered)
        d |= WATCH_CELL_COVERAGE;
    if (!stage_count_same(&before->stage[0], &row->stage[0]))
        d |= WATCH_CELL_PRIMARY_COUNT;
    if (!stage_cv_same(&before->stage[0], &row->stage[0]))
        d |= WATCH_CELL_PRIMARY_CV;
    if (!stage_count_same(&before->stage[1], &row->stage[1]))
        d |= WATCH_CELL_JUNIOR_COUNT;
    if (!stage_cv_same(&before->stage[1], &row->stage[1]))
        d |= WATCH_CELL_JUNIOR_CV;
    if (before->period != row->period || strcmp(before->name, row->name) != 0)
        d |= WATCH_CELL_VERDICT;
    return d;
}

/* After a status was applied to row (before: its copy from just before):
 * what changed, when, and whether the verdict flipped. mark: whether a
 * change counts as one to show (not for the first snapshot of a monitor). */
static void row_note_change(watch_row *row, const watch_row *before, int64_t now_ms, bool mark)
{
    uint32_t d = row_diff(before, row);
    row->visible_change = d != 0;
    if (!d || !mark) {
        row->changed_cells = before->changed_cells;
        return;
    }
    row->changed_cells = d;
    row->changed_ms = now_ms;
    if (before->has_status && before->has_verdict && row->has_verdict && strcmp(before->verdict, row->verdict) != 0) {
        snprintf(row->prev_verdict, sizeof row->prev_verdict, "%s", before->verdict);
        row->verdict_flip_ms = now_ms;
    }
}

int watch_row_from_status(watch_row *row, json_t *status)
{
    status_county s;
    if (status_county_read(&s, status) != 0)
        return -1;
    row_fill(row, &s);
    status_county_free(&s);
    return 0;
}

/* Whether epoch is one this monitor has left behind. */
static bool epoch_is_old(const watch_state *self, const char *epoch)
{
    for (int i = 0; i < WATCH_OLD_EPOCHS; i++)
        if (self->old_epochs[i][0] && strcmp(self->old_epochs[i], epoch) == 0)
            return true;
    return false;
}

/* Adopts a new epoch, remembering the one left behind. */
static void epoch_adopt(watch_state *self, const char *epoch)
{
    if (self->epoch[0] && strcmp(self->epoch, epoch) != 0) {
        memmove(self->old_epochs[1], self->old_epochs[0], (WATCH_OLD_EPOCHS - 1) * sizeof self->old_epochs[0]);
        snprintf(self->old_epochs[0], sizeof self->old_epochs[0], "%s", self->epoch);
    }
    snprintf(self->epoch, sizeof self->epoch, "%s", epoch);
}

int watch_state_snapshot(watch_state *self, const char *body, int64_t now_ms, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *o = json_loads(body ? body : "", 0, &jerr);
    json_t *seqs = json_object_get(o, "seqs");
    json_t *list = json_object_get(o, "counties");
    const char *epoch = json_string_value(json_object_get(o, "epoch"));
    if (!json_is_object(seqs) || !json_is_array(list) || !epoch || !*epoch) {
        snprintf(err, errlen, "the snapshot answer is not {epoch, seqs, counties}%s%s", o ? "" : ": ",
                 o ? "" : jerr.text);
        json_decref(o);
        return -1;
    }
    bool new_epoch = strcmp(self->epoch, epoch) != 0;
    epoch_adopt(self, epoch);
    /* Sequences first: every county in scope, with or without a status;
     * rows the daemon no longer has in scope go. */
    size_t k = 0;
    for (size_t i = 0; i < self->n_rows; i++)
        if (json_object_get(seqs, self->rows[i].code))
            self->rows[k++] = self->rows[i];
    self->n_rows = k;
    const char *code;
    json_t *v;
    json_object_foreach(seqs, code, v)
    {
        watch_row *r = in_scope(self, code) ? row_get(self, code) : NULL;
        if (!r) {
            if (in_scope(self, code)) {
                snprintf(err, errlen, "out of memory");
                json_decref(o);
                return -1;
            }
            continue;
        }
        r->seq = (uint64_t)json_integer_value(v);
    }
    size_t i;
    json_t *st;
    json_array_foreach(list, i, st)
    {
        status_county sc;
        if (status_county_read(&sc, st) != 0) {
            snprintf(err, errlen, "out of memory");
            json_decref(o);
            return -1;
        }
        watch_row *r = in_scope(self, sc.code) ? row_find(self, sc.code) : NULL;
        bool changed = r && (!r->has_status || new_epoch || r->status_seq != (uint64_t)sc.seq ||
                             r->period != (int32_t)sc.period_number);
        if (changed) {
            uint64_t seq = r->seq;
            bool first = !r->has_status;
            watch_row before = *r;
            row_fill(r, &sc);
            r->seq = seq;
            row_note_change(r, &before, now_ms, !first || self->had_snapshot);
            if (self->on_change)
                self->on_change(self->on_change_arg, r, st, NULL);
        }
        status_county_free(&sc);
    }
    /* Liveness: every city in scope owes a heartbeat from now on. */
    self->n_cities = 0;
    for (size_t j = 0; j < self->n_rows; j++)
        if (!city_get(self, self->rows[j].city, now_ms)) {
            snprintf(err, errlen, "out of memory");
            json_decref(o);
            return -1;
        }
    json_decref(o);
    self->phase = WATCH_LIVE;
    self->live_since_ms = now_ms;
    self->had_snapshot = true;
    self->counters.snapshots++;
    snprintf(self->reason, sizeof self->reason, "live");
    return 0;
}

/* Checks an epoch; returns IGNORED for an old one, RESYNC for an unknown
 * one, APPLIED when it is the current one. */
static watch_result check_epoch(watch_state *self, const char *epoch)
{
    if (epoch && strcmp(epoch, self->epoch) == 0)
        return WATCH_APPLIED;
    if (epoch && epoch_is_old(self, epoch))
        return WATCH_IGNORED;
    return resync(self, "the daemon's epoch changed (%.8s… → %.8s…): it restarted, sequences restart", self->epoch,
                  epoch ? epoch : "?");
}

watch_result watch_state_update(watch_state *self, const char *county_code, const char *epoch, uint64_t seq,
                                int32_t period, const char *status_json, int64_t now_ms)
{
    if (self->phase != WATCH_LIVE || !in_scope(self, county_code))
        return WATCH_IGNORED;
    watch_result e = check_epoch(self, epoch);
    if (e != WATCH_APPLIED) {
        if (e == WATCH_IGNORED)
            self->counters.updates_dropped++;
        return e;
    }
    watch_row *r = row_find(self, county_code);
    uint64_t known = r ? r->seq : 0;
    if (seq <= known) {
        self->counters.updates_dropped++;
        return WATCH_IGNORED;
    }
    if (seq != known + 1) {
        self->counters.gaps++;
        return resync(self, "gap in %s: expected seq %llu, got %llu", county_code, (unsigned long long)(known + 1),
                      (unsigned long long)seq);
    }
    if (!r && !(r = row_get(self, county_code)))
        return resync(self, "out of memory adding county %s", county_code);
    r->seq = seq;
    self->counters.updates_applied++;
    if (!city_get(self, r->city, now_ms))
        return resync(self, "out of memory adding city %s", r->city);
    bool shown = self->period ? period == self->period : (!r->has_status || period >= r->period);
    if (!shown)
        return WATCH_IGNORED; /* another period of the county: the sequence moved on, the view did not */
    json_error_t jerr;
    char *skimmed = self->filter && status_json ? self->filter(status_json, self->filter_arg) : NULL;
    json_t *st = json_loads(skimmed ? skimmed : status_json ? status_json : "", 0, &jerr);
    free(skimmed);
    if (!json_is_object(st)) {
        json_decref(st);
        return resync(self, "unreadable status of %s (seq %llu): %s", county_code, (unsigned long long)seq,
                      jerr.text);
    }
    watch_row before = *r;
    if (watch_row_from_status(r, st) != 0) {
        json_decref(st);
        return resync(self, "out of memory reading the status of %s", county_code);
    }
    r->seq = seq;
    row_note_change(r, &before, now_ms, true);
    if (self->on_change)
        self->on_change(self->on_change_arg, r, st, status_json);
    json_decref(st);
    return WATCH_APPLIED;
}

watch_result watch_state_heartbeat(watch_state *self, const char *city_code, const char *epoch,
                                   const char *const *codes, const uint64_t *seqs, size_t n, int64_t now_ms)
{
    self->counters.heartbeats++;
    if (self->phase != WATCH_LIVE || !city_in_scope(self, city_code))
        return WATCH_IGNORED;
    watch_result e = check_epoch(self, epoch);
    if (e != WATCH_APPLIED)
        return e;
    watch_result result = WATCH_IGNORED;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!in_scope(self, codes[i]))
            continue;
        any = true;
        watch_row *r = row_find(self, codes[i]);
        if (!r) {
            /* A county registered after the snapshot: shown, no status yet. */
            if (!(r = row_get(self, codes[i])))
                return resync(self, "out of memory adding county %s", codes[i]);
            result = WATCH_APPLIED;
        }
        if (seqs[i] > r->seq) {
            self->counters.gaps++;
            return resync(self, "lost publications of %s: the heartbeat says seq %llu, last applied %llu", codes[i],
                          (unsigned long long)seqs[i], (unsigned long long)r->seq);
        }
        /* A heartbeat behind what was applied was sent before the snapshot
         * and read after it: nothing is wrong. */
    }
    if (any) {
        watch_city *c = city_get(self, city_code, now_ms);
        if (!c)
            return resync(self, "out of memory adding city %s", city_code);
        c->last_ms = now_ms;
    }
    return result;
}

watch_result watch_state_tick(watch_state *self, int64_t now_ms)
{
    if (self->phase != WATCH_LIVE)
        return WATCH_IGNORED;
    if (self->n_cities == 0) {
        if (now_ms - self->live_since_ms > WATCH_HEARTBEAT_TIMEOUT_MS)
            return resync(self, "nothing in scope yet; asking again");
        return WATCH_IGNORED;
    }
    for (size_t i = 0; i < self->n_cities; i++)
        if (now_ms - self->cities[i].last_ms > WATCH_HEARTBEAT_TIMEOUT_MS)
            return resync(self, "no heartbeat from %s for %lld ms: daemon gone?", self->cities[i].code,
                          (long long)(now_ms - self->cities[i].last_ms));
    return WATCH_IGNORED;
}

watch_phase watch_state_phase(const watch_state *self)
{
    return self->phase;
}

const char *watch_state_reason(const watch_state *self)
{
    return self->reason;
}

const char *watch_state_epoch(const watch_state *self)
{
    return self->epoch;
}

size_t watch_state_count(const watch_state *self)
{
    return self->n_rows;
}

const watch_row *watch_state_row(const watch_state *self, size_t i)
{
    return i < self->n_rows ? &self->rows[i] : NULL;
}

const watch_row *watch_state_find(const watch_state *self, const char *county_code)
{
    return row_find((watch_state *)self, county_code);
}

int64_t watch_state_heartbeat_age(const watch_state *self, int64_t now_ms)
{
    if (self->n_cities == 0)
        return -1;
    int64_t oldest = now_ms;
    for (size_t i = 0; i < self->n_cities; i++)
        if (self->cities[i].last_ms < oldest)
            oldest = self->cities[i].last_ms;
    return now_ms - oldest;
}

const watch_counters *watch_state_counters(const watch_state *self)
{
    return &self->counters;
}
