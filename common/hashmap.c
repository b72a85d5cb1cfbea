/* hashmap.c -- string-keyed open-addressing hash table. See hashmap.h.
 *
 * Each slot keeps its key's full hash next to the key pointer: a probe
 * compares hashes first and follows the key pointer (a cache miss on a big
 * table) only when they match, so a lookup in the 200,000-school registry
 * costs about one miss for the slot and one for the key. */
#include "hashmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    char *key;      /* NULL: empty slot */
    void *value;
} slot;

struct hashmap {
    slot *slots;
    size_t capacity;   /* power of two */
    size_t size;
    void (*value_free)(void *);
};

/* FNV-1a, enough for digit codes. */
static uint64_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
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

/* The slot holding key (hash h), or the empty slot where it would go. */
static slot *find_slot(slot *slots, size_t capacity, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (capacity - 1);
    while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

void *hashmap_get(const hashmap *self, const char *key)
{
    slot *s = find_slot(self->slots, self->capacity, key, hash_key(key));
    return s->key ? s->value : NULL;
}

/* Doubles the table. */
static int grow(hashmap *self)
{
    size_t cap = self->capacity * 2;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < self->capacity; i++)
        if (self->slots[i].key)
            *find_slot(slots, cap, self->slots[i].key, self->slots[i].hash) = self->slots[i];
    free(self->slots);
    self->slots = slots;
    self->capacity = cap;
    return 0;
}

int hashmap_put(hashmap *self, const char *key, void *value)
{
    if ((self->size + 1) * 4 > self->capacity * 3 && grow(self) != 0)
        return -1;
    uint64_t h = hash_key(key);
    slot *s = find_slot(self->slots, self->capacity, key, h);
    if (s->key) {
        if (self->value_free && s->value != value)
            self->value_free(s->value);
        s->value = value;
        return 0;
    }
    s->key = strdup(key);
    if (!s->key)
        return -1;
    s->hash = h;
    s->value = value;
    self->size++;
    return 0;
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
