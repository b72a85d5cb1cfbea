/* transport.c -- Lazy Pirate request/reply over DEALER. See transport.h. */
#include "transport.h"
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

void transport_options_default(transport_options *opts)
{
    opts->timeout_ms = 5000;
    opts->retries = 6;
    opts->window = 256;
    opts->verbose = false;
    opts->curve = false;
    opts->public_key[0] = opts->secret_key[0] = opts->server_key[0] = '\0';
    opts->session[0] = '\0';
}

/* A copy of the packed Envelope msg with its session set to token (caller
 * frees), or NULL when it cannot be decoded or memory ran out. */
static uint8_t *stamp_session(const uint8_t *msg, size_t len, const char *token, size_t *out_len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, msg);
    if (!env)
        return NULL;
    char *had = env->session;
    env->session = (char *)token;
    uint8_t *out = NULL;
    if (wire_pack_message(&env->base, &out, out_len) != 0)
        out = NULL;
    env->session = had;
    junheng__envelope__free_unpacked(env, NULL);
    return out;
}

/* Stamps every request with the session (originals kept in orig, to be
 * put back by unstamp). Returns 0, or -1 (nothing left stamped). */
static int stamp_all(transport_request *reqs, size_t n, const char *token, transport_request *orig)
{
    for (size_t i = 0; i < n; i++) {
        orig[i] = reqs[i];
        size_t len = 0;
        uint8_t *stamped = stamp_session(reqs[i].msg, reqs[i].len, token, &len);
        if (!stamped) {
            for (size_t j = 0; j < i; j++) {
                free(reqs[j].msg);
                reqs[j].msg = orig[j].msg;
                reqs[j].len = orig[j].len;
            }
            return -1;
        }
        reqs[i].msg = stamped;
        reqs[i].len = len;
    }
    return 0;
}

/* Frees the stamped messages and puts the caller's back. */
static void unstamp_all(transport_request *reqs, size_t n, const transport_request *orig)
{
    for (size_t i = 0; i < n; i++) {
        free(reqs[i].msg);
        reqs[i].msg = orig[i].msg;
        reqs[i].len = orig[i].len;
    }
}

int transport_secure_socket(void *sock, const transport_options *opts)
{
    if (!opts->curve)
        return 0;
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, opts->server_key, KEY_Z85_LEN) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, opts->public_key, KEY_Z85_LEN) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, opts->secret_key, KEY_Z85_LEN) != 0)
        return -1;
    return 0;
}

void transport_request_clear(transport_request *req)
{
    if (req->reply)
        junheng__reply__free_unpacked(req->reply, NULL);
    free(req->msg);
    memset(req, 0, sizeof *req);
}

size_t transport_endpoint_at(const char *list, size_t i, char *out, size_t size)
{
    const char *starts[TRANSPORT_MAX_SERVERS];
    size_t lens[TRANSPORT_MAX_SERVERS], n = 0;
    const char *p = list;
    while (*p && n < TRANSPORT_MAX_SERVERS) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            starts[n] = p;
            lens[n++] = len;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (size > 0)
        out[0] = '\0';
    if (n > 0 && size > 0) {
        size_t k = i % n;
        snprintf(out, size, "%.*s", (int)lens[k], starts[k]);
    }
    return n;
}

int transport_connect_all(void *sock, const char *list)
{
    char ep[1024];
    size_t n = transport_endpoint_at(list, 0, ep, sizeof ep);
    for (size_t i = 0; i < n; i++) {
        transport_endpoint_at(list, i, ep, sizeof ep);
        if (zmq_connect(sock, ep) != 0)
            return -1;
    }
    return n > 0 ? 0 : -1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Opens a fresh DEALER (a CURVE client when opts->curve) connected to
 * endpoint. */
static void *open_dealer(void *ctx, const char *endpoint, const transport_options *opts)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    if (!s)
        return NULL;
    int linger = 0;
    int64_t maxmsg = WIRE_MAX_MESSAGE * 16; /* status replies can be large */
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    if (transport_secure_socket(s, opts) != 0 || zmq_connect(s, endpoint) != 0) {
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* State of one request inside an exchange. */
typedef enum { R_WAITING = 0, R_IN_FLIGHT, R_DONE } request_state;

/* The bookkeeping of one transport_exchange: the caller's requests, the
 * state and backoff deadline of each, and the socket in use. The arrays are
 * owned by the exchange (exchange_free); reqs and endpoints are the caller's. */
typedef struct {
    const char *endpoints;         /* the caller's list */
    size_t n_endpoints, server;    /* how many, and the one in use */
    char endpoint[1024];           /* the one in use */
    transport_request *reqs;
    size_t n;
    const transport_options *opts;
    void *ctx;
    void *sock;
    request_state *state;
    int64_t *not_before;
    size_t done, in_flight;
    int64_t last_progress;
    int round;
} exchange;

/* Releases what exchange_open acquired (the socket, the context, the arrays). */
static void exchange_free(exchange *x)
{
    free(x->state);
    free(x->not_before);
    if (x->sock)
        zmq_close(x->sock);
    if (x->ctx)
        zmq_ctx_term(x->ctx);
}

/* Sets up x for n requests to the first of endpoint's list: context, arrays and a first DEALER.
 * Returns 0, or -1 (with everything released) when any of them fails. */
static int exchange_open(exchange *x, const char *endpoint, transport_request *reqs, size_t n,
                         const transport_options *opts)
{
    memset(x, 0, sizeof *x);
    x->endpoints = endpoint;
    x->n_endpoints = transport_endpoint_at(endpoint, 0, x->endpoint, sizeof x->endpoint);
    x->reqs = reqs;
    x->n = n;
    x->opts = opts;
    x->ctx = zmq_ctx_new();
    x->state = calloc(n, sizeof *x->state);
    x->not_before = calloc(n, sizeof *x->not_before);
    x->sock = x->ctx ? open_dealer(x->ctx, x->endpoint, opts) : NULL;
    if (!x->ctx || !x->state || !x->not_before || !x->sock) {
        exchange_free(x);
        return -1;
    }
    x->last_progress = now_ms();
    return 0;
}

/* Fills the window with requests whose backoff has passed. Returns true when
 * a send could not go out (no usable connection: e.g. the handshake was
 * refused), which counts as no progress, like a missing reply. */
static bool exchange_send_ready(exchange *x, int64_t now)
{
    for (size_t i = 0; i < x->n && x->in_flight < (size_t)x->opts->window; i++) {
        if (x->state[i] != R_WAITING || x->not_before[i] > now)
            continue;
        if (zmq_send(x->sock, x->reqs[i].msg, x->reqs[i].len, ZMQ_DONTWAIT) < 0)
            return true;
        x->state[i] = R_IN_FLIGHT;
        x->reqs[i].attempts++;
        x->in_flight++;
    }
    return false;
}

/* Files one received reply (ownership passes here; NULL when it did not
 * parse): a RETRY_LATER with tries left puts its request back to wait with a
 * backoff, any other answer completes it; stale or unknown replies are freed. */
static void exchange_take_reply(exchange *x, Junheng__Reply *reply)
{
    size_t i = x->n;
    if (reply && reply->has_request_id && reply->request_id.len == WIRE_REQUEST_ID_LEN)
        for (i = 0; i < x->n; i++)
            if (memcmp(x->reqs[i].request_id, reply->request_id.data, WIRE_REQUEST_ID_LEN) == 0)
                break;
    if (i >= x->n || x->state[i] != R_IN_FLIGHT) {
        if (reply)
            junheng__reply__free_unpacked(reply, NULL); /* stale or unknown */
        return;
    }
    transport_request *req = &x->reqs[i];
    x->in_flight--;
    x->last_progress = now_ms();
    x->round = 0; /* the daemon answers again: back to short pauses */
    if (req->reply)
        junheng__reply__free_unpacked(req->reply, NULL);
    req->reply = reply; /* a RETRY_LATER is kept in case it stays the last word */
    if (reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER && req->attempts <= x->opts->retries) {
        int backoff = 250 << (req->attempts < 6 ? req->attempts : 6);
        x->not_before[i] = now_ms() + (backoff > 8000 ? 8000 : backoff);
        x->state[i] = R_WAITING;
    } else {
        x->state[i] = R_DONE;
        x->done++;
    }
}

/* Receives every reply waiting on the socket and files each. */
static void exchange_drain_replies(exchange *x)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    while (zmq_msg_recv(&msg, x->sock, ZMQ_DONTWAIT) >= 0) {
        exchange_take_reply(x, junheng__reply__unpack(NULL, zmq_msg_size(&msg), zmq_msg_data(&msg)));
        zmq_msg_close(&msg);
        zmq_msg_init(&msg);
    }
    zmq_msg_close(&msg);
}

/* Lazy Pirate: nothing answered in time -> requests out of tries are given
 * up (their reply stays NULL or RETRY_LATER), the others wait a growing
 * backoff, and a fresh socket to the next server of the list replaces the
 * old one. blocked says the last
 * send could not go out. Returns -1 when no fresh socket could be opened. */
static int exchange_reconnect(exchange *x, bool blocked)
{
    x->round++;
    int64_t t = now_ms();
    for (size_t i = 0; i < x->n; i++) {
        if (blocked && x->state[i] == R_WAITING && x->not_before[i] <= t)
            x->reqs[i].attempts++; /* a try that could not even be sent */
        else if (x->state[i] != R_IN_FLIGHT)
            continue;
        if (x->reqs[i].attempts > x->opts->retries) {
            x->state[i] = R_DONE; /* no final reply: reply stays NULL or RETRY_LATER */
            x->done++;
        } else {
            x->state[i] = R_WAITING;
            int backoff = 250 << (x->round < 5 ? x->round : 5);
            x->not_before[i] = now_ms() + backoff;
        }
    }
    x->in_flight = 0;
    char previous[sizeof x->endpoint];
    memcpy(previous, x->endpoint, sizeof previous);
    /* across servers: the next one of the list (the same one when alone) */
    if (x->n_endpoints > 1)
        transport_endpoint_at(x->endpoints, ++x->server, x->endpoint, sizeof x->endpoint);
    if (x->opts->verbose && x->done < x->n)
        fprintf(stderr, "junheng: no reply from %s within %d ms; retrying on a fresh connection to %s\n",
                previous, x->opts->timeout_ms, x->endpoint);
    zmq_close(x->sock);
    x->sock = open_dealer(x->ctx, x->endpoint, x->opts);
    x->last_progress = now_ms();
    return x->sock ? 0 : -1;
}

static int exchange_run(const char *endpoint, transport_request *reqs, size_t n, const transport_options *opts);

int transport_exchange(const char *endpoint, transport_request *reqs, size_t n, const transport_options *opts)
{
    if (n == 0)
        return 0;
    if (!opts->session[0])
        return exchange_run(endpoint, reqs, n, opts);
    transport_request *orig = malloc(n * sizeof *orig);
    if (!orig || stamp_all(reqs, n, opts->session, orig) != 0) {
        free(orig);
        return -1;
    }
    int rc = exchange_run(endpoint, reqs, n, opts);
    unstamp_all(reqs, n, orig);
    free(orig);
    return rc;
}

/* transport_exchange with the messages as they are. */
static int exchange_run(const char *endpoint, transport_request *reqs, size_t n, const transport_options *opts)
{
    exchange x;
    if (exchange_open(&x, endpoint, reqs, n, opts) != 0)
        return -1;
    while (x.done < n) {
        bool blocked = exchange_send_ready(&x, now_ms());
        zmq_pollitem_t item = { x.sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, x.in_flight ? 100 : 50) > 0)
            exchange_drain_replies(&x);
        if ((x.in_flight > 0 || blocked) && now_ms() - x.last_progress > opts->timeout_ms &&
            exchange_reconnect(&x, blocked) != 0)
            break;
    }
    int unanswered = 0;
    for (size_t i = 0; i < n; i++)
        if (!reqs[i].reply || reqs[i].reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER)
            unanswered++;
    exchange_free(&x);
    return unanswered;
}

/* See client.h (moved here from main.c so that the gateway, which links
 * transport.c, can run the planner's what-if calls too). */
Junheng__Reply *client_request_one(const char *endpoint, const uint8_t *msg, size_t len, const uint8_t *rid,
                                   const transport_options *opts)
{
    transport_request req = { 0 };
    memcpy(req.request_id, rid, WIRE_REQUEST_ID_LEN);
    req.msg = (uint8_t *)msg;
    req.len = len;
    transport_exchange(endpoint, &req, 1, opts);
    Junheng__Reply *reply = req.reply;
    return reply;
}

int transport_server_split(char *one, long *port)
{
    *port = 7401;
    char *colon = strrchr(one, ':');
    bool v6 = one[0] == '[';
    if (colon && (!v6 || colon[-1] == ']') && (v6 || strchr(one, ':') == colon)) {
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (*end || p < 1 || p > 65532)
            return -1;
        *port = p;
        *colon = '\0';
    }
    return 0;
}
