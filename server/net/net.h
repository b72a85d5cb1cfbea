/* net.h -- the public header of server/net/ (library junheng_net): the
 * daemon's ZeroMQ plumbing and who may use it.
 *
 *   - sockets.c: creating and binding a socket (CURVE server unless
 *     plaintext, every option checked), reading one ROUTER request with its
 *     sender's identity, sending replies without ever blocking;
 *   - auth.h / auth.c: the key registry in memory and the per-message policy
 *     (auth_may_submit, auth_may_query, auth_may_admin);
 *   - auth_zap.c: the ZAP handler that admits connections.
 *
 * It knows nothing of submissions, counties or the database: the modules
 * above it (ingest, publish, admin) get their sockets, the policy and the
 * shared counters from the server at creation. */
#ifndef JUNHENG_NET_H
#define JUNHENG_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "junheng.pb-c.h"
#include "problems.h"
#include "sessions.h"

#define PEER_ID_MAX 256

/* Where a reply goes: the ROUTER routing id and whether the request came
 * with an empty delimiter frame (REQ sockets); and who sent it: the ZAP
 * User-Id of the connection (the sender's CURVE public key, Z85), "" over
 * plaintext. A request sent with a web user's session (Envelope.session,
 * bound by auth_peer_session) also carries the session's token and the
 * user's name: it then acts as that user. */
typedef struct peer_address {
    uint8_t id[PEER_ID_MAX];
    size_t id_len;
    bool delimiter;
    char user_id[KEY_Z85_LEN + 1];
    char session[SESSION_TOKEN_LEN + 1];  /* "": no session */
    char user[SESSION_USER_MAX];          /* the session's user ("": none) */
} peer_address;

/* The sockets requests are counted by (net_counters.requests). */
enum { NET_SOCKET_SUBMIT, NET_SOCKET_SNAPSHOT, NET_SOCKET_ADMIN, NET_SOCKET_PUBLISH, NET_SOCKETS };
#define NET_ROLES (ROLE_COUNTY + 1)

/* What the daemon counts (admin stats, metrics). Owned by the server; every
 * module that counts gets a pointer at creation. Single-threaded. */
typedef struct net_counters {
    uint64_t received;
    uint64_t accepted;             /* school submissions committed as new revisions */
    uint64_t county_inputs_accepted; /* county-inputs messages committed as new revisions */
    uint64_t duplicate;
    uint64_t refused;
    uint64_t retry_later;
    uint64_t groups_committed;
    uint64_t store_failures;
    uint64_t zap_denied;           /* connections refused by the ZAP handler */
    uint64_t auth_refused;         /* messages refused for their key's role, scope or revocation */
    /* requests read from each socket (subscription messages on the publish
     * socket), by the role of the sender's key (ROLE_NONE: no key known,
     * plaintext) */
    uint64_t requests[NET_SOCKETS][NET_ROLES];
    uint64_t publish_connections;  /* connections to the publish socket now: the subscribers */
} net_counters;

/* sockets.c: counts one request on socket (NET_SOCKET_*) from the key k
 * (NULL: no key known). */
void net_count_request(net_counters *counters, int socket, const auth_key *k);

/* Monotonic milliseconds. */
int64_t net_now_ms(void);
/* Today's date in UTC+offset_hours as YYYYMMDD (the review chain's periods
 * close on a date in the city's time zone). */
int32_t net_local_date(int offset_hours);
/* The wall clock now as RFC 3339 UTC to the second ("2026-03-20T02:15:09Z")
 * into out (at least 21 bytes). */
void net_utc_now(char *out, size_t size);

/* How a socket is bound: CURVE server with the daemon's secret key (Z85),
 * or plaintext; prepare (may be NULL) sets further options before the bind
 * (a bound socket's connections take the options it had at bind). */
typedef struct {
    bool plaintext;
    const char *curve_secret;
    int (*prepare)(void *sock);
} net_bind_options;

/* sockets.c: creates a socket of `type` (CURVE server unless plaintext),
 * sets the options every junheng socket shares (each checked: a socket
 * whose option failed is closed, never used), and binds it. `key` names the
 * endpoint in the log. Returns the socket or NULL after logging why. */
void *net_bind(void *zmq_ctx, int type, const char *endpoint, const char *key, const net_bind_options *opts);

/* sockets.c: watches sock's connections (zmq_socket_monitor: accepted and
 * disconnected) through a PAIR socket on inproc endpoint `name`, which it
 * returns: poll it for reading, and close it with the other sockets (before
 * the context is terminated). NULL after logging why. */
void *net_monitor_open(void *zmq_ctx, void *sock, const char *name);
/* sockets.c: reads every event waiting on a monitor, never blocking, and
 * keeps *connections (accepted minus disconnected) up to date. */
void net_monitor_read(void *monitor, uint64_t *connections);

/* sockets.c: reads one whole multipart message from a ROUTER socket without
 * blocking. Returns 1 with the peer address (and User-Id) and a malloc'd
 * payload (caller frees), 0 when nothing is waiting, -1 for a malformed
 * message (consumed and dropped; peer->id_len is set when it could be read). */
int router_read(void *sock, peer_address *peer, uint8_t **data, size_t *len);

/* sockets.c: sends a packed reply to peer on sock, never blocking. */
void net_send_reply(void *sock, const peer_address *peer, const uint8_t *data, size_t len);
/* sockets.c: packs and sends a reply with just a status, errors and body. */
void net_reply(void *sock, const peer_address *peer, const uint8_t *request_id, size_t request_id_len,
               Junheng__ReplyStatus status, int64_t revision, const problem_list *errors,
               const problem_list *warnings, const char *body);

#endif
