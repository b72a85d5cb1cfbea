/* auth_zap.c -- the ZAP handler (RFC 27). It runs in the daemon's one event
 * loop. See auth.h. (The publish socket's subscription filter, which runs
 * there too, is server/publish/subscriptions.c.)
 *
 * Why in the event loop and not a thread of its own: the handler reads the
 * key registry, which admin requests change (set-key, revoke-key). In the
 * loop, a revocation is seen by the very next handshake with no lock and no
 * copy; a handshake waits at most one loop turn (a group commit, a few ms).
 * libzmq's I/O threads keep the ZAP exchange asynchronous, so a slow turn
 * delays handshakes but never blocks traffic on connections already made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "auth.h"
#include "log.h"
#include "net.h"

void *auth_zap_bind(void *zmq_ctx)
{
    void *s = zmq_socket(zmq_ctx, ZMQ_REP);
    if (!s) {
        log_error("ZAP handler: zmq_socket: %s", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 0;
    if (zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger) != 0) {
        log_error("ZAP handler: ZMQ_LINGER: %s", zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    if (zmq_bind(s, AUTH_ZAP_ENDPOINT) != 0) {
        log_error("ZAP handler: cannot bind %s: %s", AUTH_ZAP_ENDPOINT, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    return s;
}

#define ZAP_FRAMES 7   /* version, request id, domain, address, routing id, mechanism, credentials */

/* Sends one ZAP reply: version, request id, status code and text, user id,
 * empty metadata. */
static void zap_reply(void *sock, const zmq_msg_t *request_id, const char *code, const char *text, const char *user)
{
    zmq_send(sock, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(sock, request_id ? zmq_msg_data((zmq_msg_t *)request_id) : "",
             request_id ? zmq_msg_size((zmq_msg_t *)request_id) : 0, ZMQ_SNDMORE);
    zmq_send(sock, code, strlen(code), ZMQ_SNDMORE);
    zmq_send(sock, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(sock, user, strlen(user), ZMQ_SNDMORE);
    zmq_send(sock, "", 0, 0);
}

/* Copies a frame as text (at most size-1 bytes, non-printables as '?'). */
static void frame_text(zmq_msg_t *m, char *out, size_t size)
{
    size_t n = zmq_msg_size(m);
    if (n >= size)
        n = size - 1;
    const unsigned char *p = zmq_msg_data(m);
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
    out[n] = '\0';
}

/* Logs a refused handshake, at most 10 lines a second (a flood of bad
 * handshakes must not flood the log); the rest are counted. */
static void log_denied(uint64_t *denied, const char *address, const char *what)
{
    static int64_t window_ms;
    static unsigned in_window, suppressed;
    int64_t now = net_now_ms();
    if (now - window_ms >= 1000) {
        if (suppressed)
            log_warn("ZAP: %u more connections refused in the last second", suppressed);
        window_ms = now;
        in_window = suppressed = 0;
    }
    (*denied)++;
    if (in_window++ < 10)
        log_warn("ZAP: connection from %s refused: %s", address[0] ? address : "(local)", what);
    else
        suppressed++;
}

/* Answers one ZAP request (already received in f[0..n)). */
static void zap_answer(void *zap_sock, const auth *keys, uint64_t *denied, zmq_msg_t *f, int n)
{
    char version[8] = "", mechanism[16] = "", address[64] = "";
    if (n > 0)
        frame_text(&f[0], version, sizeof version);
    if (n < 6 || strcmp(version, "1.0") != 0) {
        zap_reply(zap_sock, n > 1 ? &f[1] : NULL, "500", "malformed ZAP request", "");
        log_error("ZAP: malformed request (%d frames, version '%s')", n, version);
        return;
    }
    frame_text(&f[3], address, sizeof address);
    frame_text(&f[5], mechanism, sizeof mechanism);
    if (strcmp(mechanism, "CURVE") != 0 || n < 7 || zmq_msg_size(&f[6]) != 32) {
        zap_reply(zap_sock, &f[1], "400", "CURVE required", "");
        log_denied(denied, address, "not a CURVE handshake");
        return;
    }
    char z85[KEY_Z85_LEN + 1];
    if (!zmq_z85_encode(z85, zmq_msg_data(&f[6]), 32)) {
        zap_reply(zap_sock, &f[1], "500", "cannot encode key", "");
        return;
    }
    const auth_key *k = auth_lookup(keys, z85);
    if (!k || k->revoked) {
        char what[128];
        snprintf(what, sizeof what, "key %s %s", z85, k ? "was revoked" : "is not registered");
        zap_reply(zap_sock, &f[1], "400", k ? "key revoked" : "unknown key", "");
        log_denied(denied, address, what);
        return;
    }
    /* The User-Id every message of this connection will carry. */
    zap_reply(zap_sock, &f[1], "200", "OK", z85);
    log_debug("ZAP: %s key %s (%s) admitted from %s", key_role_name(k->role), z85, k->subject,
              address[0] ? address : "(local)");
}

void auth_zap_handle(void *zap_sock, const auth *keys, uint64_t *denied)
{
    for (int budget = 0; budget < 256; budget++) {
        zmq_msg_t f[ZAP_FRAMES];
        int n = 0, more = 1;
        while (more) {
            zmq_msg_t part;
            zmq_msg_init(&part);
            if (zmq_msg_recv(&part, zap_sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
                zmq_msg_close(&part);
                for (int i = 0; i < n; i++)
                    zmq_msg_close(&f[i]);
                return; /* nothing waiting */
            }
            more = zmq_msg_more(&part);
            if (n < ZAP_FRAMES)
                f[n++] = part;
            else
                zmq_msg_close(&part);
        }
        zap_answer(zap_sock, keys, denied, f, n);
        for (int i = 0; i < n; i++)
            zmq_msg_close(&f[i]);
    }
}
