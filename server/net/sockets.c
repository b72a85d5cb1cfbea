/* sockets.c -- junhengd's sockets: binding with CURVE, reading ROUTER
 * messages with their sender's identity, and sending replies. See net.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "net.h"
#include "wire.h"

int64_t net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int32_t net_local_date(int offset_hours)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t = ts.tv_sec + (time_t)offset_hours * 3600;
    gmtime_r(&t, &tm);
    return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

void net_utc_now(char *out, size_t size)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Sets one socket option; logs which one failed. Returns 0 or -1. */
static int set_option(void *s, const char *key, int option, const char *name, const void *value, size_t len)
{
    if (zmq_setsockopt(s, option, value, len) == 0)
        return 0;
    log_error("%s: %s: %s", key, name, zmq_strerror(zmq_errno()));
    return -1;
}

/* Sets the options every junheng socket of `type` shares, and CURVE unless
 * plaintext. ZMQ_MAXMSGSIZE (no peer makes the daemon allocate more than
 * WIRE_MAX_MESSAGE) and ZMQ_XPUB_MANUAL (no subscription bypasses the scope
 * filter) are security controls: a socket without them is never used.
 * Returns 0 or -1 after logging why. */
static int set_options(void *s, int type, const char *key, const net_bind_options *opts)
{
    int64_t maxmsg = WIRE_MAX_MESSAGE;
    int linger = 200, one = 1;
    if (set_option(s, key, ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE", &maxmsg, sizeof maxmsg) != 0 ||
        set_option(s, key, ZMQ_LINGER, "ZMQ_LINGER", &linger, sizeof linger) != 0)
        return -1;
    if (type == ZMQ_ROUTER && set_option(s, key, ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY", &one, sizeof one) != 0)
        return -1;
    /* every subscription passes the publisher's scope filter (publish.h) */
    if (type == ZMQ_XPUB && set_option(s, key, ZMQ_XPUB_MANUAL, "ZMQ_XPUB_MANUAL", &one, sizeof one) != 0)
        return -1;
    if (opts->prepare && opts->prepare(s) != 0) /* options must precede zmq_bind */
        return -1;
    if (!opts->plaintext) {
        /* CURVE server: encrypted, and every client key checked by the ZAP
         * handler, which is bound before this socket (auth.h). */
        if (zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
            zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, opts->curve_secret, KEY_Z85_LEN) != 0 ||
            zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, AUTH_ZAP_DOMAIN, strlen(AUTH_ZAP_DOMAIN)) != 0) {
            log_error("%s: cannot enable CURVE: %s (is libzmq built with libsodium?)", key,
                      zmq_strerror(zmq_errno()));
            return -1;
        }
    }
    return 0;
}

void *net_bind(void *zmq_ctx, int type, const char *endpoint, const char *key, const net_bind_options *opts)
{
    void *s = zmq_socket(zmq_ctx, type);
    if (!s) {
        log_error("%s: zmq_socket: %s", key, zmq_strerror(zmq_errno()));
        return NULL;
    }
    if (set_options(s, type, key, opts) != 0) {
        zmq_close(s);
        return NULL;
    }
    if (zmq_bind(s, endpoint) != 0) {
        log_error("%s: cannot bind %s: %s", key, endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    log_info("%s bound to %s (%s)", key, endpoint, opts->plaintext ? "PLAINTEXT" : "CURVE");
    return s;
}

void net_send_reply(void *sock, const peer_address *peer, const uint8_t *data, size_t len)
{
    if (zmq_send(sock, peer->id, peer->id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        (peer->delimiter && zmq_send(sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) ||
        zmq_send(sock, data, len, ZMQ_DONTWAIT) < 0) {
        /* The peer is gone or not reading: it will send again and get
         * "duplicate" with the same revision. */
        log_debug("reply not delivered: %s", zmq_strerror(zmq_errno()));
    }
}

void net_reply(void *sock, const peer_address *peer, const uint8_t *request_id, size_t request_id_len,
               Junheng__ReplyStatus status, int64_t revision, const problem_list *errors,
               const problem_list *warnings, const char *body)
{
    uint8_t *buf;
    size_t len;
    if (wire_reply_pack(request_id, request_id_len, status, revision, errors, warnings, body, &buf, &len) != 0) {
        log_error("out of memory packing a reply");
        return;
    }
    net_send_reply(sock, peer, buf, len);
    free(buf);
}

int router_read(void *sock, peer_address *peer, uint8_t **data, size_t *len)
{
    zmq_msg_t frames[3];
    int n = 0, more = 1, rc = 1;
    memset(peer, 0, sizeof *peer);
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&part);
            for (int i = 0; i < n; i++)
                zmq_msg_close(&frames[i]);
            return zmq_errno() == EAGAIN ? 0 : -1;
        }
        more = zmq_msg_more(&part);
        if (n < 3)
            frames[n++] = part;
        else {
            zmq_msg_close(&part);
            rc = -1; /* more frames than any junheng request has */
        }
    }
    size_t idlen = zmq_msg_size(&frames[0]);
    if (idlen > PEER_ID_MAX)
        idlen = PEER_ID_MAX;
    memcpy(peer->id, zmq_msg_data(&frames[0]), idlen);
    peer->id_len = idlen;
    int body = n - 1;
    /* Who sent it: the ZAP User-Id of the connection (the client's key). */
    const char *uid = zmq_msg_gets(&frames[body], "User-Id");
    if (uid && strlen(uid) <= KEY_Z85_LEN)
        memcpy(peer->user_id, uid, strlen(uid) + 1);
    if (n == 3 && zmq_msg_size(&frames[1]) == 0)
        peer->delimiter = true;
    else if (n != 2)
        rc = -1;
    if (rc == 1) {
        *len = zmq_msg_size(&frames[body]);
        *data = malloc(*len ? *len : 1);
        if (*data)
            memcpy(*data, zmq_msg_data(&frames[body]), *len);
        else
            rc = -1;
    }
    for (int i = 0; i < n; i++)
        zmq_msg_close(&frames[i]);
    return rc;
}

void net_count_request(net_counters *counters, int socket, const auth_key *k)
{
    int role = k && k->role >= ROLE_NONE && k->role < NET_ROLES ? (int)k->role : ROLE_NONE;
    if (socket >= 0 && socket < NET_SOCKETS)
        counters->requests[socket][role]++;
}

void *net_monitor_open(void *zmq_ctx, void *sock, const char *name)
{
    if (zmq_socket_monitor(sock, name, ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED) != 0) {
        log_warn("%s: zmq_socket_monitor: %s", name, zmq_strerror(zmq_errno()));
        return NULL;
    }
    void *pair = zmq_socket(zmq_ctx, ZMQ_PAIR);
    int linger = 0;
    if (!pair || zmq_setsockopt(pair, ZMQ_LINGER, &linger, sizeof linger) != 0 || zmq_connect(pair, name) != 0) {
        log_warn("%s: the monitor's socket: %s", name, zmq_strerror(zmq_errno()));
        if (pair)
            zmq_close(pair);
        zmq_socket_monitor(sock, NULL, 0);
        return NULL;
    }
    return pair;
}

void net_monitor_read(void *monitor, uint64_t *connections)
{
    for (int budget = 0; budget < 256; budget++) {
        /* an event is two frames: 16-bit event and 32-bit value, then the endpoint */
        zmq_msg_t ev, ep;
        zmq_msg_init(&ev);
        if (zmq_msg_recv(&ev, monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&ev);
            return;
        }
        uint16_t event = 0;
        if (zmq_msg_size(&ev) >= sizeof event)
            memcpy(&event, zmq_msg_data(&ev), sizeof event);
        bool more = zmq_msg_more(&ev);
        zmq_msg_close(&ev);
        while (more) {
            zmq_msg_init(&ep);
            if (zmq_msg_recv(&ep, monitor, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&ep);
                break;
            }
            more = zmq_msg_more(&ep);
            zmq_msg_close(&ep);
        }
        if (event == ZMQ_EVENT_ACCEPTED)
            (*connections)++;
        else if (event == ZMQ_EVENT_DISCONNECTED && *connections > 0)
            (*connections)--;
    }
}
