/* registry.c -- in-memory registry and newest revisions. See registry.h. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "revision_pack.h"

/* The schools by code, without a copy of the code: open addressing with
 * linear probing; each slot is a record (whose code is the key) and the
 * code's 32-bit hash (0: empty), compared first, so a probe reads a record
 * only on a matching hash. Up to 4/5 full: 16 bytes a school at 200,000
 * (the string-keyed hashmap took ~95 with its slot and key copy). */
typedef struct {
    uint32_t *hashes;
    school_record **recs;     /* owned */
    size_t cap;               /* power of two */
    size_t n;
} school_table;

struct registry {
    school_table schools;
    hashmap *counties;  /* county_code -> county_record* (owned) */
};

/* A held revision: the newest accepted one of a (school, period), packed
 * (revision_pack.h: ~80 bytes for a typical school instead of a 344-byte
 * submission and its arrays) in one allocation with its header. Beside it
 * the school's approved revision of the period (the official view's,
 * docs/review.md): `approved` is the held revision itself when the newest
 * is the approved one (the usual case: nothing more is held), another held
 * revision (owned, its next unused) when an older one is approved, NULL
 * when none is. */
typedef struct held_revision {
    struct held_revision *next;
    struct held_revision *approved;
    int64_t revision;
    int32_t period;
    uint32_t len;              /* bytes of packed */
    uint8_t packed[];
} held_revision;

#define FLAG_PUBLIC 1u
#define FLAG_BOARDING 2u
#define FLAG_ACTIVE 4u

/* One school: fixed fields, then its name in the same allocation (tail,
 * tail_cap bytes with the terminator). A rename longer than the tail moves
 * the name to an allocation of its own (name then points there), so the
 * record never moves. */
struct school_record {
    held_revision *latest;     /* newest revisions, one per period (owned list) */
    char *name;                /* tail, or an owned allocation */
    char code[SCHOOL_CODE_LEN + 1];
    char county[COUNTY_CODE_LEN + 1];
    uint8_t kind, location, flags;
    uint16_t tail_cap;
    char tail[];
};

/* Frees a record with its held revisions and its name (if not in the tail). */
static void school_record_free(void *p)
{
    school_record *r = p;
    for (held_revision *h = r->latest, *next; h; h = next) {
        next = h->next;
        if (h->approved && h->approved != h)
            free(h->approved);
        free(h);
    }
    if (r->name != r->tail)
        free(r->name);
    free(r);
}

/* FNV-1a of a code, folded to 32 bits, never 0 (the empty slot). */
static uint32_t code_hash(const char *code)
{
    uint64_t h = fnv1a_str(code);
    uint32_t v = (uint32_t)(h ^ (h >> 32));
    return v ? v : 1;
}

/* The slot of code (hash h) in t: its record's, or the empty one where it
 * would go. */
static size_t table_slot(const school_table *t, const char *code, uint32_t h)
{
    size_t i = hash_probe_home(h, t->cap);
    while (t->hashes[i] && (t->hashes[i] != h || strcmp(t->recs[i]->code, code) != 0))
        i = hash_probe_next(i, t->cap);
    return i;
}

/* Makes t empty with cap slots. Returns 0 or -1 (OOM; t unchanged). */
static int table_alloc(school_table *t, size_t cap)
{
    uint32_t *hashes = calloc(cap, sizeof *hashes);
    school_record **recs = calloc(cap, sizeof *recs);
    if (!hashes || !recs) {
        free(hashes);
        free(recs);
        return -1;
    }
    *t = (school_table){ hashes, recs, cap, 0 };
    return 0;
}

/* Frees t's arrays and every record it holds. */
static void table_free(school_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->hashes[i])
            school_record_free(t->recs[i]);
    free(t->hashes);
    free(t->recs);
    memset(t, 0, sizeof *t);
}

/* Adds rec (its code not in t yet). Returns 0 or -1 (OOM; t unchanged). */
static int table_add(school_table *t, school_record *rec)
{
    if ((t->n + 1) * 5 > t->cap * 4) {
        school_table bigger;
        if (table_alloc(&bigger, t->cap * 2) != 0)
            return -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->hashes[i]) {
                size_t j = table_slot(&bigger, t->recs[i]->code, t->hashes[i]);
                bigger.hashes[j] = t->hashes[i];
                bigger.recs[j] = t->recs[i];
            }
        bigger.n = t->n;
        free(t->hashes);
        free(t->recs);
        *t = bigger;
    }
    uint32_t h = code_hash(rec->code);
    size_t i = table_slot(t, rec->code, h);
    t->hashes[i] = h;
    t->recs[i] = rec;
    t->n++;
    return 0;
}

/* The record of code in t, or NULL. */
static school_record *table_get(const school_table *t, const char *code)
{
    size_t i = table_slot(t, code, code_hash(code));
    return t->hashes[i] ? t->recs[i] : NULL;
}

/* Frees a county record and its array of (borrowed) school pointers. */
static void county_record_free(void *p)
{
    county_record *c = p;
    free(c->schools);
    free(c);
}

registry *registry_new(void)
{
    registry *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->counties = hashmap_new(county_record_free);
    if (table_alloc(&self->schools, 1024) != 0 || !self->counties) {
        registry_destroy(&self);
        return NULL;
    }
    return self;
}

void registry_destroy(registry **p)
{
    if (!p || !*p)
        return;
    if ((*p)->schools.hashes)
        table_free(&(*p)->schools);
    hashmap_destroy(&(*p)->counties);
    free(*p);
    *p = NULL;
}

/* Returns the county record, creating an unnamed one if needed. */
static county_record *county_get_or_create(registry *self, const char *code)
{
    county_record *c = hashmap_get(self->counties, code);
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->info.code, sizeof c->info.code, "%s", code);
    if (hashmap_put(self->counties, code, c) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

int registry_put_county(registry *self, const county_info *info)
{
    county_record *c = county_get_or_create(self, info->code);
    if (!c)
        return -1;
    c->info = *info;
    return 0;
}

static int county_add_school(county_record *c, school_record *s)
{
    if (c->n_schools == c->cap_schools) {
        size_t cap = c->cap_schools ? c->cap_schools * 2 : 16;
        school_record **p = realloc(c->schools, cap * sizeof *p);
        if (!p)
            return -1;
        c->schools = p;
        c->cap_schools = cap;
    }
    c->schools[c->n_schools++] = s;
    return 0;
}

static void county_remove_school(county_record *c, school_record *s)
{
    for (size_t i = 0; i < c->n_schools; i++)
        if (c->schools[i] == s) {
            c->schools[i] = c->schools[--c->n_schools];
            return;
        }
}

/* Copies the fields of info other than code and name into rec. */
static void record_set_fields(school_record *rec, const school_info *info)
{
    memcpy(rec->county, info->county_code, sizeof rec->county);
    rec->county[COUNTY_CODE_LEN] = '\0';
    rec->kind = (uint8_t)info->kind;
    rec->location = (uint8_t)info->location;
    rec->flags = (uint8_t)((info->is_public ? FLAG_PUBLIC : 0) | (info->boarding ? FLAG_BOARDING : 0) |
                           (info->active ? FLAG_ACTIVE : 0));
}

/* Sets rec's name: into the tail when it fits, else into an allocation of
 * its own (the record keeps its address). Returns 0 or -1 (OOM; unchanged). */
static int record_set_name(school_record *rec, const char *name, size_t len)
{
    char *dst = rec->tail;
    if (len + 1 > rec->tail_cap) {
        dst = rec->name != rec->tail && strlen(rec->name) >= len ? rec->name : malloc(len + 1);
        if (!dst)
            return -1;
    }
    if (rec->name != rec->tail && rec->name != dst)
        free(rec->name);
    memcpy(dst, name, len);
    dst[len] = '\0';
    rec->name = dst;
    return 0;
}

/* A new record for info (name in its tail), or NULL when out of memory. The
 * caller owns it (free with school_record_free). */
static school_record *record_new(const school_info *info)
{
    size_t len = strnlen(info->name, sizeof info->name - 1);
    school_record *rec = malloc(sizeof *rec + len + 1);
    if (!rec)
        return NULL;
    rec->latest = NULL;
    memcpy(rec->code, info->school_code, sizeof rec->code);
    rec->code[SCHOOL_CODE_LEN] = '\0';
    rec->tail_cap = (uint16_t)(len + 1);
    rec->name = rec->tail;
    record_set_fields(rec, info);
    memcpy(rec->tail, info->name, len);
    rec->tail[len] = '\0';
    return rec;
}

int registry_put_school(registry *self, const school_info *info)
{
    school_record *s = table_get(&self->schools, info->school_code);
    county_record *c = county_get_or_create(self, info->county_code);
    if (!c)
        return -1;
    if (s) {
        if (record_set_name(s, info->name, strnlen(info->name, sizeof info->name - 1)) != 0)
            return -1;
        if (strcmp(s->county, info->county_code) != 0) {
            county_record *old = hashmap_get(self->counties, s->county);
            if (county_add_school(c, s) != 0)
                return -1;
            if (old)
                county_remove_school(old, s);
        }
        record_set_fields(s, info);
        return 0;
    }
    s = record_new(info);
    if (!s)
        return -1;
    if (county_add_school(c, s) != 0) {
        school_record_free(s);
        return -1;
    }
    if (table_add(&self->schools, s) != 0) {
        county_remove_school(c, s);
        school_record_free(s);
        return -1;
    }
    return 0;
}

school_record *registry_school(const registry *self, const char *school_code)
{
    return table_get(&self->schools, school_code);
}

county_record *registry_county(const registry *self, const char *county_code)
{
    return hashmap_get(self->counties, county_code);
}

size_t registry_school_count(const registry *self)
{
    return self->schools.n;
}

size_t registry_county_count(const registry *self)
{
    return hashmap_size(self->counties);
}

typedef struct {
    void (*fn)(void *arg, county_record *c);
    void *arg;
} county_visit;

static void visit_county(void *arg, const char *key, void *value)
{
    (void)key;
    county_visit *v = arg;
    v->fn(v->arg, value);
}

void registry_foreach_county(const registry *self, void (*fn)(void *arg, county_record *c), void *arg)
{
    county_visit v = { fn, arg };
    hashmap_foreach(self->counties, visit_county, &v);
}

/* The accessors and newest revisions below are described in registry.h. */
const char *school_record_code(const school_record *self)
{
    return self->code;
}

const char *school_record_county(const school_record *self)
{
    return self->county;
}

const char *school_record_name(const school_record *self)
{
    return self->name;
}

bool school_record_active(const school_record *self)
{
    return (self->flags & FLAG_ACTIVE) != 0;
}

void school_record_set_active(school_record *self, bool active)
{
    self->flags = (uint8_t)(active ? self->flags | FLAG_ACTIVE : self->flags & ~FLAG_ACTIVE);
}

void school_record_info(const school_record *self, school_info *out)
{
    memcpy(out->school_code, self->code, sizeof out->school_code);
    size_t len = strlen(self->name);
    memcpy(out->name, self->name, len + 1);
    memcpy(out->county_code, self->county, sizeof out->county_code);
    out->kind = (school_kind)self->kind;
    out->location = (school_location)self->location;
    out->is_public = (self->flags & FLAG_PUBLIC) != 0;
    out->boarding = (self->flags & FLAG_BOARDING) != 0;
    out->active = (self->flags & FLAG_ACTIVE) != 0;
    out->public_key[0] = '\0';
}

size_t school_record_n_latest(const school_record *self)
{
    size_t n = 0;
    for (const held_revision *h = self->latest; h; h = h->next)
        n++;
    return n;
}

int32_t school_record_latest_period(const school_record *self, size_t i)
{
    const held_revision *h = self->latest;
    while (h && i--)
        h = h->next;
    return h ? h->period : 0;
}

/* The link that points at the held revision of period (*link NULL when
 * none is held: then it is the list's end). */
static held_revision **held_link(school_record *self, int32_t period)
{
    held_revision **link = &self->latest;
    while (*link && (*link)->period != period)
        link = &(*link)->next;
    return link;
}

/* The held revision of period, or NULL. */
static const held_revision *held_find(const school_record *self, int32_t period)
{
    for (const held_revision *h = self->latest; h; h = h->next)
        if (h->period == period)
            return h;
    return NULL;
}

bool school_record_has_latest(const school_record *self, int32_t period, int64_t *revision)
{
    const held_revision *h = held_find(self, period);
    if (h && revision)
        *revision = h->revision;
    return h != NULL;
}

int school_record_latest(const school_record *self, int32_t period, int64_t *revision, submission *out)
{
    const held_revision *h = held_find(self, period);
    if (!h) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    /* Only this file packs, so bytes that do not decode mean out of memory
     * (or a bug: tests/unit/test_revision_pack.c checks the round trip). */
    if (revision_unpack(h->packed, h->len, self->code, period, out) != 0)
        return -1;
    if (revision)
        *revision = h->revision;
    return 1;
}

/* Packs sub into a new held revision (the caller owns it: free()), or NULL
 * when out of memory. Small revisions are packed on the stack first so the
 * allocation is exactly the packed size. */
static held_revision *held_new(const school_record *rec, int32_t period, int64_t revision, const submission *sub)
{
    uint8_t stack[1024];
    size_t bound = revision_pack_bound(sub);
    uint8_t *buf = bound <= sizeof stack ? stack : malloc(bound);
    if (!buf)
        return NULL;
    size_t len = revision_pack(sub, rec->code, period, buf);
    held_revision *h = len <= UINT32_MAX ? malloc(sizeof *h + len) : NULL;
    if (h) {
        h->next = NULL;
        h->approved = NULL;
        h->revision = revision;
        h->period = period;
        h->len = (uint32_t)len;
        memcpy(h->packed, buf, len);
    }
    if (buf != stack)
        free(buf);
    return h;
}

int school_record_set_latest(school_record *self, int32_t period, int64_t revision, const submission *sub)
{
    /* periods stay in order of arrival: a new one goes to the end */
    held_revision **link = held_link(self, period);
    if (*link && (*link)->revision >= revision)
        return 0;
    held_revision *h = held_new(self, period, revision, sub);
    if (!h)
        return -1;
    if (*link) {
        held_revision *old = *link;
        h->next = old->next;
        h->approved = old->approved;
        if (old->approved == old)
            old->next = NULL; /* the approved one stays, beside the newest */
        else
            free(old);
    }
    *link = h;
    return 1;
}

bool school_record_has_approved(const school_record *self, int32_t period, int64_t *revision)
{
    const held_revision *h = held_find(self, period);
    if (!h || !h->approved)
        return false;
    if (revision)
        *revision = h->approved->revision;
    return true;
}

int school_record_approved(const school_record *self, int32_t period, int64_t *revision, submission *out)
{
    const held_revision *h = held_find(self, period);
    if (!h || !h->approved) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    if (revision_unpack(h->approved->packed, h->approved->len, self->code, period, out) != 0)
        return -1;
    if (revision)
        *revision = h->approved->revision;
    return 1;
}

int school_record_set_approved(school_record *self, int32_t period, int64_t revision, const submission *sub)
{
    held_revision **link = held_link(self, period);
    held_revision *h = *link;
    if (h && h->approved && h->approved->revision >= revision)
        return 0;
    if (!h || revision > h->revision) {
        /* newer than the newest held (or none is held yet, as when approvals
         * are loaded first): it is the newest too */
        if (school_record_set_latest(self, period, revision, sub) < 0)
            return -1;
        h = *held_link(self, period);
        if (h->approved && h->approved != h)
            free(h->approved);
        h->approved = h;
        return 1;
    }
    held_revision *a = h;
    if (revision != h->revision) {
        a = held_new(self, period, revision, sub);
        if (!a)
            return -1;
        a->approved = a;
    }
    if (h->approved && h->approved != h)
        free(h->approved);
    h->approved = a;
    return 1;
}
