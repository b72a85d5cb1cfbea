/* hashmap.c -- FNV-1a and the string-keyed open-addressing hash table. See
 * hashmap.h.
 *
 * Each slot keeps its key's full hash next to the key pointer: a probe
 * compares hashes first and follows the key pointer (a cache miss on a big
 * table) only when they match, so a lookup in the 200,000-school registry
 * costs about one miss for the slot and one for the key. */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    char *key;      /* NULL: empty slot; NUL-terminated copy of len bytes */
    size_t len;
    void *value;
} slot;

struct hashmap {
    slot *slots;
    size_t capacity;   /* power of two */
    size_t size;
    void (*value_free)(void *);
};

/* See hashmap.h. */
uint64_t fnv1a(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = FNV1A_OFFSET_BASIS;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV1A_PRIME;
    }
    return h;
}

/* See hashmap.h. */
uint64_t fnv1a_str(const char *s)
{
    uint64_t h = FNV1A_OFFSET_BASIS;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= FNV1A_PRIME;
    }
    return h;
}

/* See hashmap.h. */
bool hash_probe_stays(size_t hole, size_t j, size_t home)
{
    return hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
}

hashmap *hashmap_new(void (*value_free)(void *value))
{
    hashmap *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->capacity = 64;
    self->slots = calloc(self->capacity, sizeof *self->slots);
    if (!self->slots) {
        free(self);
        return NULL;
    }
    self->value_free = value_free;
    return self;
}

void hashmap_destroy(hashmap **p)
{
    if (!p || !*p)
        return;
    hashmap *self = *p;
    for (size_t i = 0; i < self->capacity; i++) {
        if (!self->slots[i].key)
            continue;
        free(self->slots[i].key);
        if (self->value_free)
            self->value_free(self->slots[i].value);
    }
    free(self->slots);
    free(self);
    *p = NULL;
}

/* The slot holding key (len bytes, hash h), or the empty slot where it would go. */
static slot *find_slot(slot *slots, size_t capacity, const void *key, size_t len, uint64_t h)
{
    size_t i = hash_probe_home(h, capacity);
    while (slots[i].key && (slots[i].hash != h || slots[i].len != len || memcmp(slots[i].key, key, len) != 0))
        i = hash_probe_next(i, capacity);
    return &slots[i];
}

void *hashmap_get_bytes(const hashmap *self, const void *key, size_t len)
{
    slot *s = find_slot(self->slots, self->capacity, key, len, fnv1a(key, len));
    return s->key ? s->value : NULL;
}

void *hashmap_get(const hashmap *self, const char *key)
{
    return hashmap_get_bytes(self, key, strlen(key));
}

bool hashmap_contains(const hashmap *self, const char *key)
{
    size_t len = strlen(key);
    return find_slot(self->slots, self->capacity, key, len, fnv1a(key, len))->key != NULL;
}

/* Doubles the table. Returns 0 or -1 (OOM; unchanged). */
static int grow(hashmap *self)
{
    size_t cap = self->capacity * 2;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < self->capacity; i++) {
        const slot *s = &self->slots[i];
        if (s->key)
            *find_slot(slots, cap, s->key, s->len, s->hash) = *s;
    }
    free(self->slots);
    self->slots = slots;
    self->capacity = cap;
    return 0;
}

int hashmap_put_bytes(hashmap *self, const void *key, size_t len, void *value)
{
    uint64_t h = fnv1a(key, len);
    slot *s = find_slot(self->slots, self->capacity, key, len, h);
    if (s->key) {   /* a replacement never allocates, so never fails */
        if (self->value_free && s->value != value)
            self->value_free(s->value);
        s->value = value;
        return 0;
    }
    if ((self->size + 1) * 4 > self->capacity * 3) {
        if (grow(self) != 0)
            return -1;
        s = find_slot(self->slots, self->capacity, key, len, h);
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    *s = (slot){ h, copy, len, value };
    self->size++;
    return 0;
}

int hashmap_put(hashmap *self, const char *key, void *value)
{
    return hashmap_put_bytes(self, key, strlen(key), value);
}

int hashmap_remove_bytes(hashmap *self, const void *key, size_t len)
{
    slot *s = find_slot(self->slots, self->capacity, key, len, fnv1a(key, len));
    if (!s->key)
        return 0;
    free(s->key);
    if (self->value_free)
        self->value_free(s->value);
    self->size--;
    /* backward-shift deletion: pull later slots of the probe run into the
     * hole so that every lookup still finds its key */
    size_t cap = self->capacity, hole = (size_t)(s - self->slots), j = hole;
    self->slots[hole].key = NULL;
    for (;;) {
        j = hash_probe_next(j, cap);
        if (!self->slots[j].key)
            break;
        if (hash_probe_stays(hole, j, hash_probe_home(self->slots[j].hash, cap)))
            continue;
        self->slots[hole] = self->slots[j];
        self->slots[j].key = NULL;
        hole = j;
    }
    return 1;
}

int hashmap_remove(hashmap *self, const char *key)
{
    return hashmap_remove_bytes(self, key, strlen(key));
}

size_t hashmap_size(const hashmap *self)
{
    return self->size;
}

void hashmap_foreach(const hashmap *self, void (*fn)(void *arg, const char *key, void *value), void *arg)
{
    for (size_t i = 0; i < self->capacity; i++)
        if (self->slots[i].key)
            fn(arg, self->slots[i].key, self->slots[i].value);
}
