/* ingest_senders.c -- how many requests each sender has waiting for an
 * answer (in the group being filled and in the group in flight), for the
 * max_pending_per_peer limit. One hash lookup per request: counting by
 * scanning both groups cost ~1,000 comparisons per submission at 512 a group.
 *
 * A sender is its key (the ZAP User-Id) whatever the connection, or over
 * plaintext its connection (routing id). Open addressing with linear
 * probing; a sender whose count drops to 0 is removed (backward-shift
 * deletion), so the table holds only senders with something pending. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"

/* One sender with requests pending. key is owned by the table. */
struct sender_slot {
    uint64_t hash;
    uint8_t *key;          /* NULL: empty slot */
    size_t len;
    size_t count;
};

/* Writes the sender's identity into buf (1 + PEER_ID_MAX bytes): 'k' and
 * the key, or 'r' and the routing id. Returns its length. */
static size_t sender_ident(const peer_address *peer, uint8_t *buf)
{
    if (peer->user_id[0]) {
        size_t n = strlen(peer->user_id);
        buf[0] = 'k';
        memcpy(buf + 1, peer->user_id, n);
        return n + 1;
    }
    buf[0] = 'r';
    memcpy(buf + 1, peer->id, peer->id_len);
    return peer->id_len + 1;
}

/* FNV-1a of the identity. */
static uint64_t ident_hash(const uint8_t *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ key[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* The slot of this identity, or the empty slot where it would go. */
static struct sender_slot *find(const sender_table *t, const uint8_t *key, size_t len, uint64_t h)
{
    size_t mask = t->cap - 1, i = (size_t)h & mask;
    while (t->slots[i].key &&
           (t->slots[i].hash != h || t->slots[i].len != len || memcmp(t->slots[i].key, key, len) != 0))
        i = (i + 1) & mask;
    return &t->slots[i];
}

/* Doubles the table (16 slots at first). Returns 0 or -1 (out of memory). */
static int grow(sender_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 16;
    struct sender_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        const struct sender_slot *s = &t->slots[i];
        if (!s->key)
            continue;
        size_t j = (size_t)s->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

size_t senders_pending(const sender_table *t, const peer_address *peer)
{
    if (t->used == 0)
        return 0;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    const struct sender_slot *s = find(t, key, len, ident_hash(key, len));
    return s->key ? s->count : 0;
}

int senders_add(sender_table *t, const peer_address *peer)
{
    if ((t->used + 1) * 2 > t->cap && grow(t) != 0)
        return -1;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    uint64_t h = ident_hash(key, len);
    struct sender_slot *s = find(t, key, len, h);
    if (!s->key) {
        s->key = malloc(len);
        if (!s->key)
            return -1;
        memcpy(s->key, key, len);
        s->len = len;
        s->hash = h;
        s->count = 0;
        t->used++;
    }
    s->count++;
    return 0;
}

void senders_remove(sender_table *t, const peer_address *peer)
{
    if (t->used == 0)
        return;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    struct sender_slot *s = find(t, key, len, ident_hash(key, len));
    if (!s->key || --s->count > 0)
        return;
    /* backward-shift deletion: pull later slots of the probe run into the
     * hole so that every lookup still finds its key */
    free(s->key);
    t->used--;
    size_t mask = t->cap - 1, hole = (size_t)(s - t->slots), j = hole;
    t->slots[hole].key = NULL;
    for (;;) {
        j = (j + 1) & mask;
        if (!t->slots[j].key)
            break;
        size_t home = (size_t)t->slots[j].hash & mask;
        /* the entry at j may move to the hole when its home is not in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays)
            continue;
        t->slots[hole] = t->slots[j];
        t->slots[j].key = NULL;
        hole = j;
    }
}

void senders_free(sender_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].key);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
