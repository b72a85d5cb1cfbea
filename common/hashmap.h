/* hashmap.h -- the one hash of the project (FNV-1a, 64-bit) and the one
 * general hash table: keys are strings or byte strings, open addressing with
 * linear probing, backward-shift deletion.
 *
 * Keys are copied; values are caller pointers the map does not own unless a
 * destructor is given to hashmap_new. A NULL value cannot be told from a
 * missing key by hashmap_get (use hashmap_contains).
 *
 * The probe helpers (hash_probe_*) are for the few specialised tables that
 * keep their own compact slots for memory (server/registry.c's school index,
 * the group builder's UUID index): they share the hash and the probing rule
 * with this table instead of copying them. */
#ifndef JUNHENG_HASHMAP_H
#define JUNHENG_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FNV1A_OFFSET_BASIS 14695981039346656037ULL
#define FNV1A_PRIME 1099511628211ULL

/* FNV-1a (64-bit) of len bytes. */
uint64_t fnv1a(const void *data, size_t len);
/* FNV-1a (64-bit) of a NUL-terminated string (without the terminator). */
uint64_t fnv1a_str(const char *s);

/* Linear probing in a table of cap slots (cap a power of two): the home slot
 * of hash h, and the slot after i. */
static inline size_t hash_probe_home(uint64_t h, size_t cap)
{
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}
static inline size_t hash_probe_next(size_t i, size_t cap)
{
    return (i + 1) & (cap - 1);
}
/* Backward-shift deletion: whether the entry at slot j, whose home slot is
 * home, must stay where it is when slot hole (before j in the probe run) is
 * emptied; when false it moves into the hole. */
bool hash_probe_stays(size_t hole, size_t j, size_t home);

typedef struct hashmap hashmap;

/* Creates an empty map; value_free (may be NULL) is called on every value by
 * hashmap_destroy and on values replaced or removed. Returns NULL when out of
 * memory. */
hashmap *hashmap_new(void (*value_free)(void *value));
/* Frees the map (and its values when value_free was given); nulls *p. */
void hashmap_destroy(hashmap **p);
/* The value for key, or NULL. */
void *hashmap_get(const hashmap *self, const char *key);
/* Whether key is in the map. */
bool hashmap_contains(const hashmap *self, const char *key);
/* Inserts or replaces (the old value is freed with value_free). Returns 0 or
 * -1 (OOM; only an insertion can fail, a replacement cannot). */
int hashmap_put(hashmap *self, const char *key, void *value);
/* Removes key (its value is freed with value_free). Returns 1 if it was there, else 0. */
int hashmap_remove(hashmap *self, const char *key);
/* The same three for a key of len bytes (may hold NUL bytes). */
void *hashmap_get_bytes(const hashmap *self, const void *key, size_t len);
int hashmap_put_bytes(hashmap *self, const void *key, size_t len, void *value);
int hashmap_remove_bytes(hashmap *self, const void *key, size_t len);
/* Number of keys. */
size_t hashmap_size(const hashmap *self);
/* Calls fn for every entry, in no particular order (keys are NUL-terminated
 * copies; a byte key may hold NUL bytes before its end). The map must not be
 * changed by fn. */
void hashmap_foreach(const hashmap *self, void (*fn)(void *arg, const char *key, void *value), void *arg);

#endif
