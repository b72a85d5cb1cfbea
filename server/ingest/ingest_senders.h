/* ingest_senders.h -- the ingest's second public header, for its own files
 * and the unit tests only (the daemon's other modules include ingest.h):
 * how many requests each sender has waiting for an answer (in the group
 * being filled and in the group in flight), for the max_pending_per_peer
 * limit; ingest_senders.c.
 *
 * A sender is its key (the ZAP User-Id) whatever the connection, or over
 * plaintext its connection (routing id). A sender whose count drops to 0 is
 * removed, so the table holds only senders with something pending. */
#ifndef JUNHENG_INGEST_SENDERS_H
#define JUNHENG_INGEST_SENDERS_H

#include <stddef.h>

#include "net.h"

/* Requests waiting for an answer, per sender (a hashmap made on first use;
 * zero-initialised is empty). The table owns its hashmap: senders_free(). */
typedef struct {
    struct hashmap *counts;      /* sender identity -> pending count; NULL until the first add */
} sender_table;

/* How many requests of this sender wait for an answer. */
size_t senders_pending(const sender_table *t, const peer_address *peer);
/* Counts one more request of this sender. Returns 0, or -1 when out of
 * memory (nothing counted). */
int senders_add(sender_table *t, const peer_address *peer);
/* One request of this sender was answered. */
void senders_remove(sender_table *t, const peer_address *peer);
/* How many senders have something pending. */
size_t senders_count(const sender_table *t);
/* Frees the table and empties it. */
void senders_free(sender_table *t);

#endif
