/* transport.h -- the client's request/reply exchange with junhengd over a
 * DEALER socket: a window of requests in flight, replies matched by request
 * id, and the Lazy Pirate retry (no reply in time: close the socket, open a
 * fresh one, send the unanswered requests again, with backoff). "Retry later"
 * replies are sent again the same way. Stale replies to an earlier socket
 * are never seen; duplicate replies are ignored by request id.
 *
 * An endpoint may be a list, comma-separated, one endpoint per daemon (the
 * active one and its standbys): the fresh socket of each retry connects to
 * the next one in turn (Lazy Pirate across servers), resending what is
 * unanswered with the same ids. */
#ifndef JUNHENG_TRANSPORT_H
#define JUNHENG_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyfile_io.h"
#include "wire.h"

typedef struct {
    int timeout_ms;     /* wait this long for a reply before retrying */
    int retries;        /* resend at most this many times */
    int window;         /* requests in flight at once */
    bool verbose;       /* say on stderr when retrying */
    bool curve;         /* CURVE with the keys below (false: plaintext, allow_plaintext daemons only) */
    char public_key[KEY_Z85_LEN + 1];   /* this client's keypair (Z85) */
    char secret_key[KEY_Z85_LEN + 1];
    char server_key[KEY_Z85_LEN + 1];   /* the daemon's public key: a daemon without its secret half
                                           cannot complete the handshake, so cannot forge a reply */
    char session[80];   /* a web user's session token (--session): every request acts as that user;
                           "": none */
} transport_options;

void transport_options_default(transport_options *opts);

/* Makes a socket a CURVE client with the keys of opts (nothing when
 * opts->curve is false). Call before zmq_connect; every socket that talks to
 * junhengd (DEALER, SUB) needs it. Returns 0, or -1 with zmq_errno(). */
int transport_secure_socket(void *sock, const transport_options *opts);

/* One request. The caller fills request_id and msg (owned by the caller);
 * the exchange fills reply (owned by the request: free with
 * transport_request_clear). */
typedef struct {
    uint8_t request_id[WIRE_REQUEST_ID_LEN];
    uint8_t *msg;
    size_t len;
    Junheng__Reply *reply;   /* the final reply, or NULL if none came */
    int attempts;
} transport_request;

/* Frees the reply and the message; zeroes the request. */
void transport_request_clear(transport_request *req);

/* The most endpoints one list may hold. */
#define TRANSPORT_MAX_SERVERS 8
/* Copies endpoint i of a comma-separated list (i wraps round the list) into
 * out (size bytes). Returns how many endpoints the list holds (at most
 * TRANSPORT_MAX_SERVERS; 0 when it is empty). */
size_t transport_endpoint_at(const char *list, size_t i, char *out, size_t size);
/* Splits one --server entry, HOST, HOST:PORT or [IPV6]:PORT, in place: host
 * is left in `one`, *port is PORT (7401 when absent). Returns 0, or -1 when
 * PORT is not a number in 1..65532 (one unchanged). */
int transport_server_split(char *one, long *port);
/* Connects sock to every endpoint of a comma-separated list (a SUB hears
 * whichever daemon publishes). Returns 0, or -1 with zmq_errno(). */
int transport_connect_all(void *sock, const char *list);

/* Sends every request to endpoint (a list: see above) and waits for their replies.
 * With opts->session, each request is sent with Envelope.session set to it. Returns the
 * number of requests left without a final reply (0 = all answered), or -1 when
 * the socket could not be set up. A reply of RETRY_LATER is final only once
 * the retries are spent. */
int transport_exchange(const char *endpoint, transport_request *reqs, size_t n, const transport_options *opts);

#endif
