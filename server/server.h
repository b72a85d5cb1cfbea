/* server.h -- junhengd's state and its one event loop.
 *
 * One thread: zmq_poll over the ZAP handler (auth.h), the submit, snapshot
 * and admin ROUTER sockets, the publish XPUB socket (subscriptions) and,
 * while a group commit is in flight, its PostgreSQL connection's socket;
 * with a deadline for the group being filled and a timer for database
 * reconnection. Everything the loop touches lives in `server`. */
#ifndef JUNHENG_SERVER_H
#define JUNHENG_SERVER_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "config.h"
#include "county_book.h"
#include "problems.h"
#include "registry.h"
#include "store.h"
#include "validate.h"
#include "wire.h"

#define PEER_ID_MAX 256

/* Where a reply goes: the ROUTER routing id and whether the request came
 * with an empty delimiter frame (REQ sockets); and who sent it: the ZAP
 * User-Id of the connection (the sender's CURVE public key, Z85), "" over
 * plaintext. */
typedef struct peer_address {
    uint8_t id[PEER_ID_MAX];
    size_t id_len;
    bool delimiter;
    char user_id[KEY_Z85_LEN + 1];
} peer_address;

/* One request waiting for the group commit. */
typedef struct {
    peer_address peer;
    uint8_t request_id[16];
    size_t request_id_len;
    Junheng__ReplyStatus refusal;  /* REFUSED for a quarantine item */
    submission sub;                /* valid submissions only */
    uint8_t *payload;              /* packed Submission (owned) */
    size_t payload_len;
    uint8_t *raw;                  /* the raw message, quarantine only (owned) */
    size_t raw_len;
    problem_list errors;
    problem_list warnings;
    char *warnings_json;           /* owned */
    char *errors_json;             /* owned */
    char peer_text[2 * 32 + 1];    /* the sender's key (Z85), or over plaintext the hex of the routing id */
    char school_code[SCHOOL_CODE_LEN + 1];
    store_item item;
} pending_request;

typedef struct {
    uint64_t received;
    uint64_t accepted;
    uint64_t duplicate;
    uint64_t refused;
    uint64_t retry_later;
    uint64_t groups_committed;
    uint64_t store_failures;
    uint64_t zap_denied;           /* connections refused by the ZAP handler */
    uint64_t auth_refused;         /* messages refused for their key's role, scope or revocation */
} server_counters;

typedef struct publish_history publish_history;

typedef struct server {
    config cfg;
    validate_limits limits;
    void *zmq_ctx;
    void *zap_sock;                /* ZAP handler (REP), bound before any CURVE socket */
    auth *keys;                    /* the key registry (auth.h) */
    char curve_public[KEY_Z85_LEN + 1];   /* the daemon's keypair (secret_key_file) */
    char curve_secret[KEY_Z85_LEN + 1];
    void *submit_sock;
    void *publish_sock;            /* XPUB in manual mode: subscriptions pass auth_subscriptions */
    void *snapshot_sock;
    void *admin_sock;
    store *db;
    store *commit_db;              /* ingest_commit.c: the group commits' own connection */
    struct publish_history *history; /* publish_history.c: the status history's writer (NULL until used) */
    struct ingest_flight *flight;  /* ingest_commit.c: the group in flight and the reused buffers */
    registry *reg;
    rules_config rules;
    county_book *book;
    char epoch[40];                /* this run's id: sequences restart with it */
    int64_t next_publish_ms;       /* coalescing: end of the open window (0: none open) */
    uint64_t publications;
    int64_t next_heartbeat_ms;     /* publish.c: when the next per-city heartbeats are due */
    uint64_t heartbeats;
    pending_request *group;        /* the group being filled */
    size_t group_len;
    size_t group_cap;
    int64_t group_deadline_ms;     /* commit no later than this (monotonic ms) */
    int64_t next_reconnect_ms;
    int64_t started_ms;
    server_counters counters;
    volatile sig_atomic_t *stop_requested;
    bool draining;                 /* stop requested: no new submissions */
} server;

/* Monotonic milliseconds. */
int64_t server_now_ms(void);

/* Opens the database (migrating), loads the registry and newest revisions,
 * binds every socket. Returns 0, or -1 after logging why. */
int server_start(server *self, const config *cfg, volatile sig_atomic_t *stop_flag);
/* Runs the event loop until a stop is requested; then drains the group in
 * flight and returns 0 (or -1 on a fatal socket error). */
int server_run(server *self);
/* Closes sockets and frees everything the server holds. */
void server_stop(server *self);

/* ingest.c: handles one message from the submit socket (raw bytes borrowed). */
void ingest_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len);
/* ingest_commit.c: opens the group commits' connection (commit_db) and the
 * group buffers. Returns 0, or -1 after logging why. */
int ingest_open(server *self);
/* ingest_commit.c: sends the group being filled to PostgreSQL without
 * waiting, unless a group is still in flight (then it goes as soon as that
 * one is finished). */
void ingest_flush(server *self);
/* ingest_commit.c: when the group in flight has all its results, finishes
 * it: sends the next group if it is due, answers every sender (only after a
 * confirmed COMMIT) and updates the county states. Never waits. */
void ingest_poll(server *self);
/* ingest_commit.c: whether the submit socket may be read (false while the
 * group being filled is full and another is in flight). */
bool ingest_accepting(const server *self);
/* ingest_commit.c: the commit connection's socket while a group is in
 * flight (poll it for reading), else -1. */
int ingest_poll_fd(server *self);
/* ingest_commit.c: milliseconds until the group being filled is due (1000
 * when there is none, or while a group is in flight). */
long ingest_timeout_ms(const server *self, int64_t now);
/* ingest_commit.c: reconnects the commit connection when it is down, every
 * reconnect_ms. */
void ingest_reconnect(server *self, int64_t now);
/* ingest_commit.c: at stop: finishes the group in flight, then commits and
 * answers the group being filled (waiting for PostgreSQL). */
void ingest_drain(server *self);
/* ingest_commit.c: answers a group still in flight, frees the groups'
 * buffers and closes the commit connection. */
void ingest_release(server *self);

/* publish.c: publishes every county changed since the last publication
 * (one message per county, with its final state) and stores their summaries
 * in the history. publish_tick does the same in slices (below). */
void publish_changed(server *self);
/* publish.c: renders the status of an entry as JSON (caller frees) with the
 * county's current sequence. NULL when out of memory. */
char *publish_render(server *self, county_entry *e, uint64_t seq);

/* publish.c: the PUB socket's high-water mark, in messages per subscriber
 * (see proto/README.md), and the heartbeat period. */
#define PUBLISH_SNDHWM 256
#define HEARTBEAT_INTERVAL_MS 1000
/* publish.c: the most a publication round renders before the event loop
 * turns again (at least one county a turn); the rest follows at once. */
#define PUBLISH_ROUND_BUDGET_MS 5
/* publish_history.c: the status history's writer (its own connection; the
 * loop never waits for it). publish_history_add queues one publication's
 * summary (taken: freed by the history); _flush reads the outcome of the
 * statement in flight and sends what is queued, never waiting; _busy says
 * whether rows wait or are in flight (the loop then wakes every
 * PUBLISH_HISTORY_POLL_MS); _settle stores what is queued and in flight,
 * waiting (before the history is read); _close settles and frees everything
 * (at shutdown). */
#define PUBLISH_HISTORY_POLL_MS 10
void publish_history_add(server *self, const char *county_code, int32_t period, uint64_t seq,
                         const char *computed_at, char *summary);
void publish_history_flush(server *self);
bool publish_history_busy(const server *self);
/* publish_history.c: rows waiting or in flight, stored and dropped since start (admin stats). */
void publish_history_counts(const server *self, uint64_t *queued, uint64_t *stored, uint64_t *dropped);
void publish_history_settle(server *self);
void publish_history_close(server *self);
/* publish.c: sets the PUB socket's options; call before zmq_bind (a bound
 * socket's connections take the options it had at bind). Returns 0 or -1. */
int publish_prepare_socket(void *sock);
/* publish.c: sends [topic][data] on PUB without ever blocking. Returns 0, or
 * -1 when the socket refused it (never because a subscriber is slow). */
int publish_send(server *self, const char *topic, const uint8_t *data, size_t len);
/* publish.c: milliseconds until publish_tick has work (a coalescing window
 * closing, heartbeats due); 0 when it has work now. */
long publish_timeout_ms(server *self, int64_t now);
/* publish.c: the loop's timer: publishes changed counties when their
 * coalescing window (publish_interval_ms from the first change) has closed,
 * and the per-city heartbeats once a second. */
void publish_tick(server *self);
/* publish.c: wall-clock Unix milliseconds (for published_at_ms, sent_at_ms). */
int64_t publish_wall_ms(void);

/* heartbeat.c: publishes one heartbeat per city: epoch and the current
 * sequence of each of its registered counties. */
void heartbeat_publish(server *self);

/* snapshot.c: answers one status query (envelope bytes borrowed). */
void snapshot_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len);

/* admin.c: answers one admin request (envelope bytes borrowed). */
void admin_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len);

/* sockets.c: creates a socket of `type` (CURVE server unless plaintext),
 * sets the options every junheng socket shares, and binds it. Returns the
 * socket or NULL after logging why. */
void *server_bind(server *self, int type, const char *endpoint, const char *key);
/* sockets.c: reads one whole multipart message from a ROUTER socket without
 * blocking. Returns 1 with the peer address (and User-Id) and a malloc'd
 * payload (caller frees), 0 when nothing is waiting, -1 for a malformed
 * message (consumed and dropped; peer->id_len is set when it could be read). */
int router_read(void *sock, peer_address *peer, uint8_t **data, size_t *len);

/* sockets.c: sends a packed reply to peer on sock, never blocking. */
void server_send_reply(server *self, void *sock, const peer_address *peer, const uint8_t *data, size_t len);
/* sockets.c: packs and sends a reply with just a status, errors and body. */
void server_reply(server *self, void *sock, const peer_address *peer, const uint8_t *request_id,
                  size_t request_id_len, Junheng__ReplyStatus status, int64_t revision, const problem_list *errors,
                  const problem_list *warnings, const char *body);

#endif
