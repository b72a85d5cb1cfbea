/* admin.h -- the public header of server/admin/ (library junheng_admin):
 * requests on the admin socket (admin keys only): ping, registry imports,
 * stats, the quarantine list and the key registry. The daemon does the
 * database work (on the admin connection, the server's main one); the
 * client only sends the file's bytes. An import updates the registry and
 * the county book (marking counties changed, which the publisher then
 * publishes) once PostgreSQL confirmed its COMMIT; a key change updates the
 * key registry, seen by the very next message.
 *
 * Nothing waits on PostgreSQL: a request's statements are sent without
 * waiting and the event loop polls the admin connection (admin_poll_fd,
 * admin_poll); requests arriving meanwhile wait in a bounded queue. One
 * PostgreSQL leaves unanswered for commit_timeout_ms is answered "retry
 * later" and the connection closed (the loop reopens it). */
#ifndef JUNHENG_ADMIN_H
#define JUNHENG_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "hashmap.h"
#include "net.h"
#include "publish.h"
#include "state.h"
#include "store.h"
#include "users.h"

typedef struct admin admin;

/* What the admin requests work with, all borrowed (they must outlive it). */
typedef struct {
    const config *cfg;            /* admin_public_keys, allow_plaintext, commit_timeout_ms, reconnect_ms */
    store *db;                    /* the admin connection (the main one), used by nothing else */
    registry *reg;                /* imports change it ... */
    county_book *book;            /* ... and the county states */
    auth *keys;                   /* set-key / revoke-key change it */
    const auth_policy *policy;    /* only admin keys */
    const char *curve_public;     /* the daemon's own key (never bindable) */
    void *reply_sock;             /* the admin socket (ROUTER) */
    net_counters *counters;       /* read for stats, auth_refused counted */
    const publisher *pub;         /* read for stats */
    int64_t started_ms;           /* monotonic ms at start (uptime) */
    int64_t revisions_at_start;   /* revisions stored at start: stats adds those committed since */
    review_state *review;         /* the review chain: checked, then changed after each action's COMMIT */
    hashmap *review_actions;      /* action_id -> audit row JSON (owned by the caller): added to */
    const validate_limits *limits; /* the accepted school years: a what-if validates with them */
    user_table *users;            /* the web users: changed by the user commands after their COMMIT */
    sessions *sessions;           /* their sessions: opened at login, ended at logout and lock */
} admin_deps;

/* Creates the admin request handler, with its password worker thread
 * (cfg's login_* keys). NULL after logging why. */
admin *admin_new(const admin_deps *deps);
/* Frees it and nulls *p. */
void admin_destroy(admin **p);

/* Answers one admin request (envelope bytes borrowed): at once, or -- a
 * request for the database -- once PostgreSQL answered. */
void admin_handle(admin *self, const peer_address *peer, const uint8_t *data, size_t len);
/* SIGHUP's key reload: queues an internal request (answered to nobody;
 * logged) that reads the key table on the admin connection, without
 * waiting, and then makes the key registry in memory match it plus the
 * config's admin_public_keys (cfg->admin_public_keys, as the caller last
 * set it). Connections stay open; a key now unknown or revoked is refused
 * at its next message. */
void admin_reload_keys(admin *self);
/* Answers the request in flight when its results are in, gives it up when
 * overdue, starts the next waiting one; while idle, every reconnect_ms,
 * notices a connection the server closed and reopens it. Never waits but
 * for a reconnection (bounded by libpq's connect_timeout). */
void admin_poll(admin *self, int64_t now);
/* The admin connection's socket while a request is in flight (poll it for
 * reading, and for writing when *write), else -1. */
int admin_poll_fd(admin *self, bool *write);
/* The password worker's eventfd: poll it for reading. */
int admin_users_fd(const admin *self);
/* Takes the passwords the worker hashed or checked and goes on with their
 * requests (admin_session.c). Never waits. */
void admin_users_poll(admin *self);
/* Milliseconds until the request in flight is overdue (at most 1000). */
long admin_timeout_ms(const admin *self, int64_t now);

/* What the admin connection does besides requests (server/metrics/ reads
 * it): its state, the queue, and the retention deletes. */
typedef struct {
    bool db_up;                    /* as last seen (an idle one is looked at every reconnect_ms) */
    const char *db_error;          /* its last error (owned by the store) */
    uint64_t db_reconnects;
    uint64_t queued;               /* requests waiting and in flight */
    uint64_t retention_runs;       /* retention deletes done */
    uint64_t retention_failures;   /* retention deletes that failed (tried again later) */
    uint64_t deleted_quarantine;   /* rows the retention deleted */
    uint64_t deleted_history;
} admin_view;
/* Fills *out (read-only: nothing is asked of PostgreSQL). */
void admin_read_view(const admin *self, admin_view *out);

#endif
