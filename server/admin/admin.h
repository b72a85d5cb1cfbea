/* admin.h -- the public header of server/admin/ (library junheng_admin):
 * requests on the admin socket (admin keys only): ping, registry imports,
 * stats, the quarantine list and the key registry. The daemon does the
 * database work (on the main connection); the client only sends the file's
 * bytes. An import updates the registry and the county book (marking
 * counties changed, which the publisher then publishes); a key change
 * updates the key registry, seen by the very next message. */
#ifndef JUNHENG_ADMIN_H
#define JUNHENG_ADMIN_H

#include <stdint.h>

#include "config.h"
#include "net.h"
#include "publish.h"
#include "state.h"
#include "store.h"

typedef struct admin admin;

/* What the admin requests work with, all borrowed (they must outlive it). */
typedef struct {
    const config *cfg;            /* admin_public_keys, allow_plaintext */
    store *db;                    /* the main connection */
    registry *reg;                /* imports change it ... */
    county_book *book;            /* ... and the county states */
    auth *keys;                   /* set-key / revoke-key change it */
    const auth_policy *policy;    /* only admin keys */
    const char *curve_public;     /* the daemon's own key (never bindable) */
    void *reply_sock;             /* the admin socket (ROUTER) */
    net_counters *counters;       /* read for stats, auth_refused counted */
    const publisher *pub;         /* read for stats */
    int64_t started_ms;           /* monotonic ms at start (uptime) */
} admin_deps;

/* Creates the admin request handler. NULL when out of memory. */
admin *admin_new(const admin_deps *deps);
/* Frees it and nulls *p. */
void admin_destroy(admin **p);

/* Answers one admin request (envelope bytes borrowed). */
void admin_handle(admin *self, const peer_address *peer, const uint8_t *data, size_t len);

#endif
