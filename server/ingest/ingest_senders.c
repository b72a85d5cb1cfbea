/* ingest_senders.c -- how many requests each sender has waiting for an
 * answer (in the group being filled and in the group in flight), for the
 * max_pending_per_peer limit. One hash lookup per request: counting by
 * scanning both groups cost ~1,000 comparisons per submission at 512 a group.
 *
 * A sender is its key (the ZAP User-Id) whatever the connection, or over
 * plaintext its connection (routing id). The table is common/hashmap.h keyed
 * by those bytes, the count stored in the value pointer; a sender whose count
 * drops to 0 is removed, so the table holds only senders with something
 * pending. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "ingest_senders.h"

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

size_t senders_pending(const sender_table *t, const peer_address *peer)
{
    if (!t->counts)
        return 0;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    return (size_t)(uintptr_t)hashmap_get_bytes(t->counts, key, len);
}

int senders_add(sender_table *t, const peer_address *peer)
{
    if (!t->counts && !(t->counts = hashmap_new(NULL)))
        return -1;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    size_t count = (size_t)(uintptr_t)hashmap_get_bytes(t->counts, key, len);
    return hashmap_put_bytes(t->counts, key, len, (void *)(uintptr_t)(count + 1));
}

void senders_remove(sender_table *t, const peer_address *peer)
{
    if (!t->counts)
        return;
    uint8_t key[1 + PEER_ID_MAX];
    size_t len = sender_ident(peer, key);
    size_t count = (size_t)(uintptr_t)hashmap_get_bytes(t->counts, key, len);
    if (count > 1)
        hashmap_put_bytes(t->counts, key, len, (void *)(uintptr_t)(count - 1)); /* replaces: cannot fail */
    else if (count == 1)
        hashmap_remove_bytes(t->counts, key, len);
}

size_t senders_count(const sender_table *t)
{
    return t->counts ? hashmap_size(t->counts) : 0;
}

void senders_free(sender_table *t)
{
    hashmap_destroy(&t->counts);
}
