/* server.h -- junhengd: the modules it is made of and its one event loop.
 *
 * The server holds the module pointers and the resources they share, and
 * creates every module with its dependencies (startup.c):
 *
 *   net/      sockets, the key registry, the per-message policy, ZAP
 *   store/    every word said to PostgreSQL (the only library with libpq)
 *   state/    the registry of counties and schools, the county book
 *   ingest/   the submit path: groups, commits, answers (owns its groups)
 *   publish/  publication rounds, heartbeats, history, snapshots,
 *             the subscription filter
 *   users/    web users, login rate limits, the password worker thread
 *   admin/    admin requests, the retention deletes, web users' logins
 *   metrics/  /metrics and /healthz over HTTP (server_metrics.c feeds it)
 *
 * One thread: zmq_poll over the ZAP handler, the submit, snapshot and admin
 * ROUTER sockets, the publish XPUB socket (subscriptions) and, while a group
 * commit or an admin request is in flight, its PostgreSQL connection's
 * socket, and the metrics endpoint's epoll descriptor when metrics_listen
 * is set (server.c): nothing in the loop waits on PostgreSQL. Data
 * flows one way: the ingest changes the registry and the county book; the
 * publisher reads the book; the loop alternates them. */
#ifndef JUNHENG_SERVER_H
#define JUNHENG_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "admin.h"
#include "hashmap.h"
#include "config.h"
#include "ingest.h"
#include "lease.h"
#include "metrics.h"
#include "net.h"
#include "publish.h"
#include "state.h"
#include "store.h"

typedef struct server {
    config cfg;
    validate_limits limits;
    rules_config rules;
    char epoch[40];                /* this run's id: sequences restart with it */
    void *zmq_ctx;
    void *zap_sock;                /* ZAP handler (REP), bound before any CURVE socket */
    void *submit_sock;
    void *publish_sock;            /* XPUB in manual mode: subscriptions pass publish_subscriptions */
    void *snapshot_sock;
    void *admin_sock;
    void *publish_monitor;         /* PAIR: the publish socket's connections (the subscribers); NULL: not watched */
    auth *keys;                    /* the key registry (auth.h) */
    auth_policy policy;            /* keys + allow_plaintext, for every module's checks */
    char curve_public[KEY_Z85_LEN + 1];   /* the daemon's keypair (secret_key_file) */
    char curve_secret[KEY_Z85_LEN + 1];
    store *db;                     /* the main connection: loading at start, then admin requests */
    registry *reg;
    county_book *book;
    review_state *review;          /* the review chain in memory (review_load.c loads it) */
    hashmap *review_actions;       /* action_id -> the audit row JSON text (owned): a resend's answer */
    user_table *users;             /* the web users (admin_users.c changes them) */
    sessions *sessions;            /* their sessions, in memory only (auth_peer reads them) */
    ingest *in;
    publisher *pub;
    admin *adm;
    metrics *mon;                  /* /metrics and /healthz (NULL: metrics_listen empty) */
    net_counters counters;
    int64_t started_ms;
    int64_t revisions_at_start;    /* revisions stored at start (admin stats adds those committed since) */
    volatile sig_atomic_t *stop_requested;
    bool draining;                 /* stop requested: no new submissions */
    /* SIGHUP (reload.c): set by main.c after server_start; NULL: none */
    volatile sig_atomic_t *reload_requested;
    int argc;                      /* the command line, read again for admin_public_keys */
    char *const *argv;
    lease *lease;                  /* the active daemon's lock (lease.h): nothing is written without it */
    bool stepped_down;             /* another daemon took the lock: exit LEASE_EXIT_STEPPED_DOWN */
    struct review_seal_load *seals; /* review_load.c: the newest seals being rebuilt at start (owned) */
    size_t n_seals;
} server;

/* startup.c: takes the lease (waiting as a standby while another daemon
 * holds it), opens the database (migrating), loads the key registry, the
 * registry and newest revisions, binds every socket and creates the
 * modules. Returns 0, 1 when a stop was requested while standing by, or -1
 * after logging why (then call server_stop). */
int server_start(server *self, const config *cfg, volatile sig_atomic_t *stop_flag);
/* review_load.c: loads the review chain (review_state, the action ids,
 * the approved revisions into the county book) -- before county_book_load.
 * Returns 0, or -1 after logging why. */
int review_load(server *self);
/* review_load.c: merges one county-inputs revision into the inputs of the
 * seals that folded it in (called for every revision, in order, at load). */
void review_load_county_inputs(server *self, const char *county_code, int32_t period, int64_t revision,
                               const county_inputs *rev);
/* review_load.c: gives every sealed package its sealed inputs
 * (county_book_official_inputs) -- after the county inputs are loaded --
 * and frees what the loading kept. Returns 0, or -1 (out of memory). */
int review_load_seals(server *self);
/* review_load.c: frees the review state, the action ids and what a failed
 * start left of the seals being loaded. */
void review_load_free(server *self);

/* server.c: runs the event loop until a stop is requested; then drains the
 * group in flight, publishes what changed and returns 0 (or -1 on a fatal
 * socket error, or when it stepped down: then stepped_down is set). */
int server_run(server *self);
/* server_metrics.c: starts /metrics and /healthz on metrics_listen (nothing
 * when it is empty). Returns 0, or -1 after logging why. */
int server_metrics_start(server *self);
/* server_metrics.c: whether the daemon is ready (its state loaded, not
 * stopping, every database connection up); when not, why in reason. */
bool server_ready(server *self, char *reason, size_t size);

/* reload.c: SIGHUP: reopens log_file, reads admin_public_keys again from
 * the config (argc/argv) and queues the key registry's reload on the admin
 * connection (never waits). */
void server_reload(server *self);
/* startup.c: destroys the modules, closes sockets and frees everything the
 * server holds. */
void server_stop(server *self);

#ifndef JUNHENGD_VERSION
#define JUNHENGD_VERSION "0.1.0"
#endif

#endif
