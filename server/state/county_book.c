/* county_book.c -- live county statuses. See county_book.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "county_book_internal.h"
#include "log.h"

/* Everything the book holds for one county: its publication sequences
 * (one per view) and its entries, one per period (a handful), so that every
 * lookup by county is one hash of the 6-digit code and a short scan. */
typedef struct {
    uint64_t seq[2];          /* per status_view */
    county_entry **entries;   /* owned */
    size_t n, cap;
} county_slot;

static void entry_free(void *p)
{
    county_entry *e = p;
    county_state_destroy(&e->state);
    if (e->inputs) {
        county_inputs_clear(e->inputs);
        free(e->inputs);
    }
    facts_free(&e->facts[VIEW_LIVE]);
    book_official_free(e);
    free(e);
}

/* Frees a county's slot and the entries it owns (hashmap destructor). */
static void slot_free(void *p)
{
    county_slot *s = p;
    for (size_t i = 0; i < s->n; i++)
        entry_free(s->entries[i]);
    free(s->entries);
    free(s);
}

county_book *county_book_new(const rules_config *rules, registry *reg)
{
    county_book *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->rules = *rules;
    self->reg = reg;
    self->counties = hashmap_new(slot_free);
    if (!self->counties) {
        county_book_destroy(&self);
        return NULL;
    }
    return self;
}

void county_book_destroy(county_book **p)
{
    if (!p || !*p)
        return;
    hashmap_destroy(&(*p)->counties);
    hashmap_destroy(&(*p)->plans);
    if ((*p)->scratch)
        entry_free((*p)->scratch);
    free((*p)->dirty);
    free(*p);
    *p = NULL;
}

/* The county's slot, created when create is set. NULL when absent or out of
 * memory. */
static county_slot *slot_get(county_book *self, const char *county_code, bool create)
{
    county_slot *s = hashmap_get(self->counties, county_code);
    if (s || !create)
        return s;
    s = calloc(1, sizeof *s);
    if (!s || hashmap_put(self->counties, county_code, s) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

county_entry *book_entry_find(county_book *self, const char *county_code, int32_t period)
{
    county_slot *s = slot_get(self, county_code, false);
    for (size_t i = 0; s && i < s->n; i++)
        if (s->entries[i]->period == period)
            return s->entries[i];
    return NULL;
}

/* The dirty flag of one view of e. */
static bool *dirty_flag(county_entry *e, status_view view)
{
    return view == VIEW_OFFICIAL ? &e->official_dirty : &e->dirty;
}

int book_mark_dirty(county_book *self, county_entry *e, status_view view)
{
    if (*dirty_flag(e, view))
        return 0;
    if (self->n_dirty == self->cap_dirty && self->dirty_head > 0) {
        /* the published front is free: move the rest down before growing */
        self->n_dirty -= self->dirty_head;
        memmove(self->dirty, self->dirty + self->dirty_head, self->n_dirty * sizeof *self->dirty);
        self->dirty_head = 0;
    }
    if (self->n_dirty == self->cap_dirty) {
        size_t cap = self->cap_dirty ? self->cap_dirty * 2 : 64;
        dirty_item *d = realloc(self->dirty, cap * sizeof *d);
        if (!d)
            return -1;
        self->dirty = d;
        self->cap_dirty = cap;
    }
    self->dirty[self->n_dirty++] = (dirty_item){ e, view };
    *dirty_flag(e, view) = true;
    return 0;
}

/* Both views of e. */
static int mark_both(county_book *self, county_entry *e)
{
    return book_mark_dirty(self, e, VIEW_LIVE) == 0 && book_mark_dirty(self, e, VIEW_OFFICIAL) == 0 ? 0 : -1;
}

/* Order of school records by code (building in code order makes a state's
 * sums, and so its figures, the same whatever the registry's order). */
static int record_cmp(const void *a, const void *b)
{
    return strcmp(school_record_code(*(school_record *const *)a), school_record_code(*(school_record *const *)b));
}

/* The active schools of c in code order (malloc'd, *n of them), or NULL
 * when out of memory. */
static school_record **schools_in_order(const county_record *c, size_t *n)
{
    school_record **order = malloc((c->n_schools ? c->n_schools : 1) * sizeof *order);
    *n = 0;
    if (!order)
        return NULL;
    for (size_t i = 0; i < c->n_schools; i++)
        if (school_record_active(c->schools[i]))
            order[(*n)++] = c->schools[i];
    qsort(order, *n, sizeof *order, record_cmp);
    return order;
}

/* Builds one view of e (its state and item facts) from the registry: each
 * school's newest (live) or approved (official) revision. 0 or -1. */
static int build_view(county_book *self, const county_record *c, county_entry *e, status_view view,
                      school_record **order, size_t n)
{
    county_state **st = view == VIEW_OFFICIAL ? &e->official_state : &e->state;
    *st = county_state_new(&self->rules, &c->info);
    if (!*st)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (book_view_load(e, view, order[i], true) != 0)
            return -1;
    facts_sort(&e->facts[view]);
    return 0;
}

int book_official_materialize(county_book *self, county_entry *e)
{
    const county_record *c = registry_county(self->reg, e->county_code);
    size_t n;
    school_record **order = c ? schools_in_order(c, &n) : NULL;
    int rc = order ? build_view(self, c, e, VIEW_OFFICIAL, order, n) : -1;
    free(order);
    if (rc != 0)
        book_official_drop(e);
    return rc;
}

/* Builds a new entry for (county, period) holding every active school of the
 * county: the live view from their newest revisions; the official view from
 * their approved ones, built only when one of them has one (until then the
 * official view is every school missing, rendered without being held:
 * county_book_render). Not inserted anywhere: the caller owns it. NULL for
 * an unknown county or out of memory. */
static county_entry *entry_build(county_book *self, const char *county_code, int32_t period)
{
    county_record *c = registry_county(self->reg, county_code);
    if (!c)
        return NULL;
    county_entry *e = calloc(1, sizeof *e);
    size_t n;
    school_record **order = e ? schools_in_order(c, &n) : NULL;
    if (!order) {
        free(e);
        return NULL;
    }
    snprintf(e->county_code, sizeof e->county_code, "%s", county_code);
    e->period = period;
    bool approved = false;
    for (size_t i = 0; i < n && !approved; i++)
        approved = school_record_has_approved(order[i], period, NULL);
    int rc = build_view(self, c, e, VIEW_LIVE, order, n);
    if (rc == 0 && approved)
        rc = build_view(self, c, e, VIEW_OFFICIAL, order, n);
    free(order);
    if (rc != 0) {
        entry_free(e);
        return NULL;
    }
    return e;
}

/* Inserts a built entry into its county's slot. Returns 0 or -1 (OOM; the
 * entry is then the caller's). */
static int entry_insert(county_book *self, county_entry *e)
{
    county_slot *s = slot_get(self, e->county_code, true);
    if (!s)
        return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 2;
        county_entry **l = realloc(s->entries, cap * sizeof *l);
        if (!l)
            return -1;
        s->entries = l;
        s->cap = cap;
    }
    s->entries[s->n++] = e;
    if (e->period > self->newest_period)
        self->newest_period = e->period;
    return 0;
}

/* Returns the entry for (county, period), creating it (fully filled before it
 * becomes visible) when it does not exist yet. Only committed data creates
 * entries, so only committed data moves newest_period. */
county_entry *book_entry_get_or_create(county_book *self, const char *county_code, int32_t period)
{
    county_entry *e = book_entry_find(self, county_code, period);
    if (e)
        return e;
    e = entry_build(self, county_code, period);
    if (!e)
        return NULL;
    if (entry_insert(self, e) != 0) {
        entry_free(e);
        return NULL;
    }
    return e;
}

/* One (county, period) state to build at load, and the result. */
typedef struct {
    const county_record *county;
    int32_t period;
    county_entry *built;
} load_job;

/* The load's work list, shared by the builder threads. */
typedef struct {
    county_book *book;
    load_job *jobs;
    size_t n, cap;
    atomic_size_t next;       /* the next job to take */
    int oom;
} load_work;

/* Adds the periods of one county's newest revisions to the work list. */
static void collect_jobs(void *arg, county_record *c)
{
    load_work *w = arg;
    size_t first = w->n;
    for (size_t i = 0; i < c->n_schools && !w->oom; i++)
        for (size_t j = 0, n = school_record_n_latest(c->schools[i]); j < n && !w->oom; j++) {
            int32_t period = school_record_latest_period(c->schools[i], j);
            size_t k = first;
            while (k < w->n && w->jobs[k].period != period)
                k++;
            if (k < w->n)
                continue;
            if (w->n == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 1024;
                load_job *l = realloc(w->jobs, cap * sizeof *l);
                if (!l) {
                    w->oom = 1;
                    return;
                }
                w->jobs = l;
                w->cap = cap;
            }
            w->jobs[w->n++] = (load_job){ c, period, NULL };
        }
}

/* A builder thread: takes jobs until none is left. entry_build only reads
 * the registry and allocates, so builders share nothing else. */
static void *load_builder(void *arg)
{
    load_work *w = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->n)
            return NULL;
        w->jobs[i].built = entry_build(w->book, w->jobs[i].county->info.code, w->jobs[i].period);
    }
}

int county_book_load(county_book *self)
{
    load_work w = { .book = self };
    atomic_init(&w.next, 0);
    registry_foreach_county(self->reg, collect_jobs, &w);
    /* Building is most of a restart with a national registry (every school
     * assessed, every state allocated): spread it over the machine's cores
     * before the event loop starts. The registry is only read meanwhile. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = cores > 1 ? (size_t)(cores < 8 ? cores : 8) : 1;
    if (threads > w.n / 16 + 1)
        threads = w.n / 16 + 1;
    pthread_t helpers[8];
    size_t started = 0;
    for (size_t t = 1; !w.oom && t < threads; t++)
        if (pthread_create(&helpers[started], NULL, load_builder, &w) == 0)
            started++;
    load_builder(&w);
    for (size_t t = 0; t < started; t++)
        pthread_join(helpers[t], NULL);
    int rc = w.oom ? -1 : 0;
    for (size_t i = 0; i < w.n; i++) {
        county_entry *e = w.jobs[i].built;
        if (e && rc == 0 && book_entry_find(self, e->county_code, e->period)) {
            entry_free(e); /* made before the load (a seal's inputs): built from the same registry */
            continue;
        }
        if (!e || rc != 0 || entry_insert(self, e) != 0) {
            if (e)
                entry_free(e);
            rc = -1;
        }
    }
    free(w.jobs);
    self->loaded = true;
    return rc;
}

int county_book_school_submitted(county_book *self, const school_record *rec, int32_t period,
                                 const submission *sub)
{
    /* A school made inactive by an import while its submission waited in the
     * group is stored, but does not count in its county. */
    if (!school_record_active(rec))
        return 0;
    const char *county_code = school_record_county(rec);
    bool existed = book_entry_find(self, county_code, period) != NULL;
    county_entry *e = book_entry_get_or_create(self, county_code, period);
    if (!e)
        return -1;
    if (existed) {
        /* sub is the revision just made the newest: no decoding here, the
         * common path of every submission. */
        school_info info;
        school_record_info(rec, &info);
        if (book_view_put(e, VIEW_LIVE, &info, sub) != 0)
            return -1;
    }
    return book_mark_dirty(self, e, VIEW_LIVE);
}

/* Applies a registry change of rec to both views of one entry of its
 * (current) county. */
static int apply_change(county_book *self, county_entry *e, const school_record *rec)
{
    if (!school_record_active(rec)) {
        int rc = book_views_remove(e, school_record_code(rec));
        if (rc <= 0)
            return rc;
    } else if (book_view_load(e, VIEW_LIVE, rec, false) != 0) {
        return -1;
    } else if (e->official_state ? book_view_load(e, VIEW_OFFICIAL, rec, false) != 0
                                 : school_record_has_approved(rec, e->period, NULL) &&
                                       book_official_materialize(self, e) != 0) {
        return -1; /* (a school arriving with an approved revision builds the official view) */
    }
    return mark_both(self, e);
}

int county_book_school_changed(county_book *self, const school_record *rec, const char *old_county_code)
{
    int rc = 0;
    if (old_county_code && strcmp(old_county_code, school_record_county(rec)) != 0) {
        county_slot *old = slot_get(self, old_county_code, false);
        for (size_t i = 0; old && i < old->n; i++)
            if (book_views_remove(old->entries[i], school_record_code(rec)) > 0 &&
                mark_both(self, old->entries[i]) != 0)
                rc = -1;
    }
    county_slot *now = slot_get(self, school_record_county(rec), false);
    for (size_t i = 0; now && i < now->n; i++)
        if (apply_change(self, now->entries[i], rec) != 0)
            rc = -1;
    return rc;
}

county_entry *county_book_pop_dirty(county_book *self, status_view *view)
{
    if (self->dirty_head == self->n_dirty)
        return NULL;
    dirty_item d = self->dirty[self->dirty_head++];
    county_entry *e = d.e;
    *dirty_flag(e, d.view) = false;
    if (view)
        *view = d.view;
    if (self->dirty_head == self->n_dirty)
        self->dirty_head = self->n_dirty = 0; /* empty: reuse the array from its start */
    return e;
}

size_t county_book_dirty_count(const county_book *self)
{
    return self->n_dirty - self->dirty_head;
}

county_entry *county_book_entry(county_book *self, const char *county_code, int32_t period)
{
    if (period == 0) {
        int32_t best = 0;
        county_slot *s = slot_get(self, county_code, false);
        for (size_t i = 0; s && i < s->n; i++)
            if (s->entries[i]->period > best)
                best = s->entries[i]->period;
        period = best ? best : self->newest_period;
        if (period == 0)
            return NULL;
    }
    county_entry *e = book_entry_find(self, county_code, period);
    if (e)
        return e;
    /* No data for this county and period: answer from a scratch entry (every
     * school missing) that is replaced by the next such read. */
    if (self->scratch)
        entry_free(self->scratch);
    self->scratch = entry_build(self, county_code, period);
    return self->scratch;
}

int county_book_county_renamed(county_book *self, const county_info *county)
{
    int rc = 0;
    county_slot *s = slot_get(self, county->code, false);
    for (size_t i = 0; s && i < s->n; i++) {
        county_state_set_name(s->entries[i]->state, county->name);
        if (s->entries[i]->official_state)
            county_state_set_name(s->entries[i]->official_state, county->name);
        if (mark_both(self, s->entries[i]) != 0)
            rc = -1;
    }
    return rc;
}

int32_t county_book_newest_period(const county_book *self)
{
    return self->newest_period;
}

uint64_t county_book_next_seq(county_book *self, const char *county_code, status_view view)
{
    county_slot *s = slot_get(self, county_code, true);
    return s ? ++s->seq[view == VIEW_OFFICIAL] : 0;
}

uint64_t county_book_current_seq(county_book *self, const char *county_code, status_view view)
{
    county_slot *s = slot_get(self, county_code, false);
    return s ? s->seq[view == VIEW_OFFICIAL] : 0;
}

/* county_book_period_changed's walk over every county's slot. */
typedef struct {
    county_book *book;
    int32_t period;
    int rc;
} period_walk;

static void mark_period(void *arg, const char *key, void *value)
{
    (void)key;
    period_walk *w = arg;
    county_slot *s = value;
    for (size_t i = 0; i < s->n; i++)
        if (s->entries[i]->period == w->period && mark_both(w->book, s->entries[i]) != 0)
            w->rc = -1;
}

int book_mark_county(county_book *self, const char *county_code)
{
    county_slot *s = hashmap_get(self->counties, county_code);
    for (size_t i = 0; s && i < s->n; i++)
        if (mark_both(self, s->entries[i]) != 0)
            return -1;
    return 0;
}

int county_book_period_changed(county_book *self, int32_t period)
{
    period_walk w = { self, period, 0 };
    hashmap_foreach(self->counties, mark_period, &w);
    return w.rc;
}

typedef struct {
    const char *prefix;
    county_record **list;
    size_t n, cap;
} collect_ctx;

static void collect_county(void *arg, county_record *c)
{
    collect_ctx *ctx = arg;
    if (strncmp(c->info.code, ctx->prefix, strlen(ctx->prefix)) != 0)
        return;
    if (ctx->n == ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 32;
        county_record **l = realloc(ctx->list, cap * sizeof *l);
        if (!l)
            return;
        ctx->list = l;
        ctx->cap = cap;
    }
    ctx->list[ctx->n++] = c;
}

static int compare_counties(const void *a, const void *b)
{
    return strcmp((*(county_record *const *)a)->info.code, (*(county_record *const *)b)->info.code);
}

void county_book_foreach_county(county_book *self, const char *prefix, void (*fn)(void *arg, county_record *c),
                                void *arg)
{
    collect_ctx ctx = { prefix, NULL, 0, 0 };
    registry_foreach_county(self->reg, collect_county, &ctx);
    if (ctx.list)
        qsort(ctx.list, ctx.n, sizeof *ctx.list, compare_counties);
    for (size_t i = 0; i < ctx.n; i++)
        fn(arg, ctx.list[i]);
    free(ctx.list);
}

int county_book_county_inputs(county_book *self, const char *county_code, int32_t period, int64_t revision,
                              const county_inputs *rev, bool mark_changed)
{
    county_entry *e = book_entry_get_or_create(self, county_code, period);
    if (!e)
        return -1;
    if (revision <= e->inputs_revision)
        return 0; /* already merged (a duplicate, or an older revision) */
    if (!e->inputs) {
        e->inputs = calloc(1, sizeof *e->inputs);
        if (!e->inputs)
            return -1;
    }
    if (county_inputs_merge(e->inputs, rev) != 0)
        return -1;
    e->inputs_revision = revision;
    return mark_changed ? book_mark_dirty(self, e, VIEW_LIVE) : 0;
}

const rules_config *county_book_rules(const county_book *self)
{
    return &self->rules;
}
