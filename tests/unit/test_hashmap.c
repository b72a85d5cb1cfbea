/* test_hashmap.c -- FNV-1a test vectors, the probe helpers and the hash
 * table: insertion, replacement, growth, deletion, colliding probe runs and
 * byte keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

Test(fnv1a, known_vectors)
{
    /* the published FNV-1a 64-bit test vectors */
    cr_assert_eq(fnv1a("", 0), 0xcbf29ce484222325ULL);
    cr_assert_eq(fnv1a_str(""), 0xcbf29ce484222325ULL);
    cr_assert_eq(fnv1a_str("a"), 0xaf63dc4c8601ec8cULL);
    cr_assert_eq(fnv1a_str("foobar"), 0x85944171f73967e8ULL);
    cr_assert_eq(fnv1a("foobar", 6), fnv1a_str("foobar"));
    cr_assert_eq(FNV1A_OFFSET_BASIS, 14695981039346656037ULL);
}

Test(fnv1a, bytes_past_nul)
{
    cr_assert_neq(fnv1a("a\0b", 3), fnv1a("a\0c", 3));
    cr_assert_neq(fnv1a("a\0b", 3), fnv1a_str("a"));
}

Test(hash_probe, wraps_and_stays)
{
    cr_assert_lt(hash_probe_home(0xffffffffffffffffULL, 16), 16);
    cr_assert_eq(hash_probe_next(15, 16), 0);
    cr_assert_eq(hash_probe_next(3, 16), 4);
    /* hole 3, entry at 5: home 4 or 5 stays, home 3 or 2 moves */
    cr_assert(hash_probe_stays(3, 5, 4));
    cr_assert(hash_probe_stays(3, 5, 5));
    cr_assert_not(hash_probe_stays(3, 5, 3));
    cr_assert_not(hash_probe_stays(3, 5, 2));
    /* wrapped run: hole 14, entry at 1 */
    cr_assert(hash_probe_stays(14, 1, 15));
    cr_assert(hash_probe_stays(14, 1, 0));
    cr_assert_not(hash_probe_stays(14, 1, 14));
    cr_assert_not(hash_probe_stays(14, 1, 13));
}

Test(hashmap, put_get_replace)
{
    hashmap *m = hashmap_new(NULL);
    cr_assert_not_null(m);
    int a = 1, b = 2;
    cr_assert_null(hashmap_get(m, "370102"));
    cr_assert_eq(hashmap_put(m, "370102", &a), 0);
    cr_assert_eq(hashmap_get(m, "370102"), &a);
    cr_assert(hashmap_contains(m, "370102"));
    cr_assert_not(hashmap_contains(m, "370103"));
    cr_assert_eq(hashmap_put(m, "370102", &b), 0);
    cr_assert_eq(hashmap_get(m, "370102"), &b);
    cr_assert_eq(hashmap_size(m), 1);
    hashmap_destroy(&m);
    cr_assert_null(m);
    hashmap_destroy(&m);
}

/* value_free for the tests: counts calls. */
static int freed;
static void count_free(void *v)
{
    freed++;
    free(v);
}

Test(hashmap, growth_keeps_every_key)
{
    freed = 0;
    hashmap *m = hashmap_new(count_free);
    char key[16];
    enum { N = 20000 };
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "%010d", i * 7);
        int *v = malloc(sizeof *v);
        cr_assert_not_null(v);
        *v = i;
        cr_assert_eq(hashmap_put(m, key, v), 0);
    }
    cr_assert_eq(hashmap_size(m), N);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "%010d", i * 7);
        int *v = hashmap_get(m, key);
        cr_assert_not_null(v, "%s lost after growth", key);
        cr_assert_eq(*v, i);
    }
    snprintf(key, sizeof key, "%010d", 1);
    cr_assert_null(hashmap_get(m, key));
    hashmap_destroy(&m);
    cr_assert_eq(freed, N);
}

Test(hashmap, remove_keeps_probe_runs)
{
    freed = 0;
    hashmap *m = hashmap_new(count_free);
    char key[16];
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "k%d", i);
        int *v = malloc(sizeof *v);
        *v = i;
        cr_assert_eq(hashmap_put(m, key, v), 0);
    }
    /* remove every third key: the rest must still be found across the holes */
    for (int i = 0; i < N; i += 3) {
        snprintf(key, sizeof key, "k%d", i);
        cr_assert_eq(hashmap_remove(m, key), 1);
        cr_assert_eq(hashmap_remove(m, key), 0, "removed twice");
    }
    cr_assert_eq(freed, (N + 2) / 3);
    cr_assert_eq(hashmap_size(m), N - (N + 2) / 3);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "k%d", i);
        int *v = hashmap_get(m, key);
        if (i % 3 == 0) {
            cr_assert_null(v, "%s still there", key);
        } else {
            cr_assert_not_null(v, "%s lost after removals", key);
            cr_assert_eq(*v, i);
        }
    }
    hashmap_destroy(&m);
    cr_assert_eq(freed, N);
}

/* Finds n keys whose home slot in a 64-slot table is the same, so they form
 * one colliding probe run in a fresh map. */
static void colliding_keys(char keys[][16], int n)
{
    size_t want = hash_probe_home(fnv1a_str("c0"), 64);
    int found = 0;
    for (int i = 0; found < n; i++) {
        char k[16];
        snprintf(k, sizeof k, "c%d", i);
        if (hash_probe_home(fnv1a_str(k), 64) == want)
            memcpy(keys[found++], k, sizeof k);
    }
}

Test(hashmap, collisions_and_removal_inside_a_run)
{
    char keys[6][16];
    colliding_keys(keys, 6);
    hashmap *m = hashmap_new(NULL);
    int vals[6];
    for (int i = 0; i < 6; i++) {
        vals[i] = i;
        cr_assert_eq(hashmap_put(m, keys[i], &vals[i]), 0);
    }
    for (int i = 0; i < 6; i++)
        cr_assert_eq(hashmap_get(m, keys[i]), &vals[i]);
    cr_assert_eq(hashmap_remove(m, keys[1]), 1);
    cr_assert_eq(hashmap_remove(m, keys[4]), 1);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(hashmap_get(m, keys[i]), i == 1 || i == 4 ? NULL : &vals[i]);
    cr_assert_eq(hashmap_put(m, keys[1], &vals[1]), 0);
    cr_assert_eq(hashmap_get(m, keys[1]), &vals[1]);
    cr_assert_eq(hashmap_size(m), 5);
    hashmap_destroy(&m);
}

Test(hashmap, byte_keys_with_nul)
{
    hashmap *m = hashmap_new(NULL);
    int a = 1, b = 2;
    cr_assert_eq(hashmap_put_bytes(m, "r\0\1", 3, &a), 0);
    cr_assert_eq(hashmap_put_bytes(m, "r\0\2", 3, &b), 0);
    cr_assert_eq(hashmap_get_bytes(m, "r\0\1", 3), &a);
    cr_assert_eq(hashmap_get_bytes(m, "r\0\2", 3), &b);
    cr_assert_null(hashmap_get(m, "r"), "a string key is its bytes without the NUL");
    cr_assert_eq(hashmap_remove_bytes(m, "r\0\1", 3), 1);
    cr_assert_null(hashmap_get_bytes(m, "r\0\1", 3));
    cr_assert_eq(hashmap_get_bytes(m, "r\0\2", 3), &b);
    hashmap_destroy(&m);
}

/* foreach callback: sums the int values. */
static void sum_values(void *arg, const char *key, void *value)
{
    (void)key;
    *(int *)arg += *(int *)value;
}

Test(hashmap, foreach_visits_each_once)
{
    hashmap *m = hashmap_new(NULL);
    int v[100], sum = 0;
    char key[8];
    for (int i = 0; i < 100; i++) {
        v[i] = i;
        snprintf(key, sizeof key, "%d", i);
        hashmap_put(m, key, &v[i]);
    }
    hashmap_foreach(m, sum_values, &sum);
    cr_assert_eq(sum, 4950);
    hashmap_destroy(&m);
}
