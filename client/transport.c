/* transport.c -- Lazy Pirate request/reply over DEALER. See transport.h. */
#include "transport.h"

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

int transport_exchange(const char *endpoint, transport_request *reqs, size_t n, const transport_options *opts)
{
    if (n == 0)
        return 0;
    void *ctx = zmq_ctx_new();
    request_state *state = calloc(n, sizeof *state);
    int64_t *not_before = calloc(n, sizeof *not_before);
    void *sock = ctx ? open_dealer(ctx, endpoint, opts) : NULL;
    if (!ctx || !state || !not_before || !sock) {
        free(state);
        free(not_before);
        if (sock)
            zmq_close(sock);
        if (ctx)
            zmq_ctx_term(ctx);
        return -1;
    }
    size_t done = 0, in_flight = 0;
    int64_t last_progress = now_ms();
    int round = 0;
    while (done < n) {
        int64_t now = now_ms();
        /* Fill the window with requests whose backoff has passed. A send that
         * cannot go out (no usable connection: e.g. the handshake was refused)
         * counts as no progress, like a missing reply. */
        bool blocked = false;
        for (size_t i = 0; i < n && in_flight < (size_t)opts->window; i++) {
            if (state[i] != R_WAITING || not_before[i] > now)
                continue;
            if (zmq_send(sock, reqs[i].msg, reqs[i].len, ZMQ_DONTWAIT) < 0) {
                blocked = true;
                break;
            }
            state[i] = R_IN_FLIGHT;
            reqs[i].attempts++;
            in_flight++;
        }
        zmq_pollitem_t item = { sock, 0, ZMQ_POLLIN, 0 };
        int rc = zmq_poll(&item, 1, in_flight ? 100 : 50);
        if (rc > 0) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            while (zmq_msg_recv(&msg, sock, ZMQ_DONTWAIT) >= 0) {
                Junheng__Reply *reply = junheng__reply__unpack(NULL, zmq_msg_size(&msg), zmq_msg_data(&msg));
                size_t i = n;
                if (reply && reply->has_request_id && reply->request_id.len == WIRE_REQUEST_ID_LEN)
                    for (i = 0; i < n; i++)
                        if (memcmp(reqs[i].request_id, reply->request_id.data, WIRE_REQUEST_ID_LEN) == 0)
                            break;
                if (i < n && state[i] == R_IN_FLIGHT) {
                    in_flight--;
                    last_progress = now_ms();
                    round = 0; /* the daemon answers again: back to short pauses */
                    if (reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER && reqs[i].attempts <= opts->retries) {
                        int backoff = 250 << (reqs[i].attempts < 6 ? reqs[i].attempts : 6);
                        not_before[i] = now_ms() + (backoff > 8000 ? 8000 : backoff);
                        state[i] = R_WAITING;
                        if (reqs[i].reply)
                            junheng__reply__free_unpacked(reqs[i].reply, NULL);
                        reqs[i].reply = reply; /* kept in case it stays the last word */
                    } else {
                        if (reqs[i].reply)
                            junheng__reply__free_unpacked(reqs[i].reply, NULL);
                        reqs[i].reply = reply;
                        state[i] = R_DONE;
                        done++;
                    }
                } else if (reply) {
                    junheng__reply__free_unpacked(reply, NULL); /* stale or unknown */
                }
                zmq_msg_close(&msg);
                zmq_msg_init(&msg);
            }
            zmq_msg_close(&msg);
        }
        /* Lazy Pirate: nothing answered in time -> fresh socket, resend. */
        if ((in_flight > 0 || blocked) && now_ms() - last_progress > opts->timeout_ms) {
            round++;
            size_t given_up = 0;
            int64_t t = now_ms();
            for (size_t i = 0; i < n; i++) {
                if (blocked && state[i] == R_WAITING && not_before[i] <= t)
                    reqs[i].attempts++; /* a try that could not even be sent */
                else if (state[i] != R_IN_FLIGHT)
                    continue;
                if (reqs[i].attempts > opts->retries) {
                    state[i] = R_DONE; /* no final reply: reply stays NULL or RETRY_LATER */
                    done++;
                    given_up++;
                } else {
                    state[i] = R_WAITING;
                    int backoff = 250 << (round < 5 ? round : 5);
                    not_before[i] = now_ms() + backoff;
                }
            }
            in_flight = 0;
            if (opts->verbose && done < n)
                fprintf(stderr, "junheng: no reply from %s within %d ms; retrying on a fresh connection\n", endpoint,
                        opts->timeout_ms);
            (void)given_up;
            zmq_close(sock);
            sock = open_dealer(ctx, endpoint, opts);
            last_progress = now_ms();
            if (!sock)
                break;
        }
    }
    int unanswered = 0;
    for (size_t i = 0; i < n; i++)
        if (!reqs[i].reply || reqs[i].reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER)
            unanswered++;
    if (sock)
        zmq_close(sock);
    zmq_ctx_term(ctx);
    free(state);
    free(not_before);
    return unanswered;
}
