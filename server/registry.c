/* registry.c -- in-memory registry and newest revisions. See registry.h. */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

struct registry {
    hashmap *schools;   /* school_code -> school_record* (owned) */
    hashmap *counties;  /* county_code -> county_record* (owned) */
};

/* A held revision keeps all its arrays (class sizes, room areas) in one
 * allocation: one malloc per revision instead of up to four, which matters
 * when a restart loads 200,000 of them. revision_copy() makes it,
 * revision_clear() frees it (never submission_clear()). */

/* Deep-copies src into dst with every array in one block. Returns 0, or -1
 * when out of memory (dst is then zeroed). */
static int revision_copy(submission *dst, const submission *src)
{
    size_t n_p = src->stage[STAGE_PRIMARY].n_class_sizes, n_j = src->stage[STAGE_JUNIOR].n_class_sizes;
    size_t bytes = (n_p + n_j) * sizeof(int64_t) + (src->n_music_rooms + src->n_art_rooms) * sizeof(double);
    *dst = *src;
    dst->stage[STAGE_PRIMARY].class_sizes = dst->stage[STAGE_JUNIOR].class_sizes = NULL;
    dst->music_room_areas_m2 = dst->art_room_areas_m2 = NULL;
    if (bytes == 0)
        return 0;
    char *block = malloc(bytes);
    if (!block) {
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    /* int64 arrays first, then doubles: both 8-byte aligned */
    if (n_p) {
        dst->stage[STAGE_PRIMARY].class_sizes = (int64_t *)(void *)block;
        memcpy(block, src->stage[STAGE_PRIMARY].class_sizes, n_p * sizeof(int64_t));
        block += n_p * sizeof(int64_t);
    }
    if (n_j) {
        dst->stage[STAGE_JUNIOR].class_sizes = (int64_t *)(void *)block;
        memcpy(block, src->stage[STAGE_JUNIOR].class_sizes, n_j * sizeof(int64_t));
        block += n_j * sizeof(int64_t);
    }
    if (src->n_music_rooms) {
        dst->music_room_areas_m2 = (double *)(void *)block;
        memcpy(block, src->music_room_areas_m2, src->n_music_rooms * sizeof(double));
        block += src->n_music_rooms * sizeof(double);
    }
    if (src->n_art_rooms) {
        dst->art_room_areas_m2 = (double *)(void *)block;
        memcpy(block, src->art_room_areas_m2, src->n_art_rooms * sizeof(double));
    }
    return 0;
}

/* Frees a revision_copy() (its block starts at its first array) and zeroes it. */
static void revision_clear(submission *s)
{
    void *arrays[] = { s->stage[STAGE_PRIMARY].class_sizes, s->stage[STAGE_JUNIOR].class_sizes,
                       s->music_room_areas_m2, s->art_room_areas_m2 };
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        if (arrays[i]) {
            free(arrays[i]);
            break;
        }
    memset(s, 0, sizeof *s);
}

static void school_record_free(void *p)
{
    school_record *r = p;
    for (size_t i = 0; i < r->n_latest; i++)
        revision_clear(&r->latest[i].sub);
    free(r->latest);
    free(r);
}

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
    self->schools = hashmap_new(school_record_free);
    self->counties = hashmap_new(county_record_free);
    if (!self->schools || !self->counties) {
        registry_destroy(&self);
        return NULL;
    }
    return self;
}

void registry_destroy(registry **p)
{
    if (!p || !*p)
        return;
    hashmap_destroy(&(*p)->schools);
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

int registry_put_school(registry *self, const school_info *info)
{
    school_record *s = hashmap_get(self->schools, info->school_code);
    county_record *c = county_get_or_create(self, info->county_code);
    if (!c)
        return -1;
    if (s) {
        if (strcmp(s->info.county_code, info->county_code) != 0) {
            county_record *old = hashmap_get(self->counties, s->info.county_code);
            if (county_add_school(c, s) != 0)
                return -1;
            if (old)
                county_remove_school(old, s);
        }
        s->info = *info;
        return 0;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->info = *info;
    if (county_add_school(c, s) != 0) {
        free(s);
        return -1;
    }
    if (hashmap_put(self->schools, info->school_code, s) != 0) {
        county_remove_school(c, s);
        free(s);
        return -1;
    }
    return 0;
}

school_record *registry_school(const registry *self, const char *school_code)
{
    return hashmap_get(self->schools, school_code);
}

county_record *registry_county(const registry *self, const char *county_code)
{
    return hashmap_get(self->counties, county_code);
}

size_t registry_school_count(const registry *self)
{
    return hashmap_size(self->schools);
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

const school_revision *school_record_latest(const school_record *self, int32_t period)
{
    for (size_t i = 0; i < self->n_latest; i++)
        if (self->latest[i].period == period)
            return &self->latest[i];
    return NULL;
}

int school_record_set_latest(school_record *self, int32_t period, int64_t revision, const submission *sub)
{
    school_revision *slot = (school_revision *)school_record_latest(self, period);
    if (slot && slot->revision >= revision)
        return 0;
    submission copy;
    if (revision_copy(&copy, sub) != 0)
        return -1;
    if (!slot) {
        school_revision *p = realloc(self->latest, (self->n_latest + 1) * sizeof *p);
        if (!p) {
            revision_clear(&copy);
            return -1;
        }
        self->latest = p;
        slot = &p[self->n_latest++];
    } else {
        revision_clear(&slot->sub);
    }
    slot->period = period;
    slot->revision = revision;
    slot->sub = copy;
    return 1;
}
