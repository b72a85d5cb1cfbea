/* sockets.c -- junhengd's sockets: binding with CURVE, reading ROUTER
 * messages with their sender's identity, and sending replies. See server.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "log.h"
#include "server.h"
#include "wire.h"

void *server_bind(server *self, int type, const char *endpoint, const char *key)
{
    void *s = zmq_socket(self->zmq_ctx, type);
    if (!s) {
        log_error("%s: zmq_socket: %s", key, zmq_strerror(zmq_errno()));
        return NULL;
    }
    int64_t maxmsg = WIRE_MAX_MESSAGE;
    int linger = 200, one = 1;
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    if (type == ZMQ_ROUTER)
        zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    if (type == ZMQ_XPUB)
        zmq_setsockopt(s, ZMQ_XPUB_MANUAL, &one, sizeof one); /* every subscription passes auth_subscriptions */
    if (type == ZMQ_XPUB && publish_prepare_socket(s) != 0) { /* SNDHWM: options must precede zmq_bind */
        zmq_close(s);
        return NULL;
    }
    if (!self->cfg.allow_plaintext) {
        /* CURVE server: encrypted, and every client key checked by the ZAP
         * handler, which is bound before this socket (auth.h). */
        if (zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
            zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, self->curve_secret, KEY_Z85_LEN) != 0 ||
            zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, AUTH_ZAP_DOMAIN, strlen(AUTH_ZAP_DOMAIN)) != 0) {
            log_error("%s: cannot enable CURVE: %s (is libzmq built with libsodium?)", key,
                      zmq_strerror(zmq_errno()));
            zmq_close(s);
            return NULL;
        }
    }
    if (zmq_bind(s, endpoint) != 0) {
        log_error("%s: cannot bind %s: %s", key, endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    log_info("%s bound to %s (%s)", key, endpoint, self->cfg.allow_plaintext ? "PLAINTEXT" : "CURVE");
    return s;
}

void server_send_reply(server *self, void *sock, const peer_address *peer, const uint8_t *data, size_t len)
{
    (void)self;
    if (zmq_send(sock, peer->id, peer->id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        (peer->delimiter && zmq_send(sock, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) ||
        zmq_send(sock, data, len, ZMQ_DONTWAIT) < 0) {
        /* The peer is gone or not reading: it will send again and get
         * "duplicate" with the same revision. */
        log_debug("reply not delivered: %s", zmq_strerror(zmq_errno()));
    }
}

void server_reply(server *self, void *sock, const peer_address *peer, const uint8_t *request_id,
                  size_t request_id_len, Junheng__ReplyStatus status, int64_t revision, const problem_list *errors,
                  const problem_list *warnings, const char *body)
{
    uint8_t *buf;
    size_t len;
    if (wire_reply_pack(request_id, request_id_len, status, revision, errors, warnings, body, &buf, &len) != 0) {
        log_error("out of memory packing a reply");
        return;
    }
    server_send_reply(self, sock, peer, buf, len);
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
