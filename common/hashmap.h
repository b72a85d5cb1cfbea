/* hashmap.h -- a string-keyed hash table (open addressing, linear probing).
 * Keys are copied; values are caller pointers the map does not own unless a
 * destructor is given to hashmap_new. No deletion (registries only grow). */
#ifndef JUNHENG_HASHMAP_H
#define JUNHENG_HASHMAP_H

#include <stddef.h>

typedef struct hashmap hashmap;

/* Creates an empty map; value_free (may be NULL) is called on every value by
 * hashmap_destroy. Returns NULL when out of memory. */
hashmap *hashmap_new(void (*value_free)(void *value));
/* Frees the map (and its values when value_free was given); nulls *p. */
void hashmap_destroy(hashmap **p);
/* The value for key, or NULL. */
void *hashmap_get(const hashmap *self, const char *key);
/* Inserts or replaces (the old value is freed with value_free). Returns 0 or -1 (OOM). */
int hashmap_put(hashmap *self, const char *key, void *value);
/* Number of keys. */
size_t hashmap_size(const hashmap *self);
/* Calls fn for every entry, in no particular order. */
void hashmap_foreach(const hashmap *self, void (*fn)(void *arg, const char *key, void *value), void *arg);

#endif
