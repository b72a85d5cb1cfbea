/* subscriptions.c -- the scope filter of the publish socket. The XPUB
 * socket is in manual mode (ZMQ_XPUB_MANUAL, set by net_bind): no
 * subscription reaches it unless applied here, for the pipe it came from,
 * and only as far as the subscriber's key allows. Runs in the daemon's one
 * event loop (an admin's revocation is seen by the next subscription). See
 * publish.h and auth.h. */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "log.h"
#include "publish_internal.h"

/* The official view's topic a subscription was narrowed to ("O" and the
 * key's scope): valid until the next call (the event loop is one thread). */
static char official_narrowed[COUNTY_CODE_LEN + 2];

/* What a subscription to `topic` becomes for key k (publish.h). */
int publish_allowed_topic(const auth_key *k, const char *topic, size_t len, const char **out, size_t *out_len)
{
    *out = topic;
    *out_len = len;
    if (len > 0 && topic[0] == 'O') {
        /* the official view (docs/review.md): "O" + a county code or prefix,
         * under the same scope as the live view's topics */
        if (len > 1 && (topic[1] < '0' || topic[1] > '9'))
            return 1;
        const char *inner;
        size_t inner_len;
        if (!publish_allowed_topic(k, topic + 1, len - 1, &inner, &inner_len))
            return 0;
        if (inner != topic + 1) {
            snprintf(official_narrowed, sizeof official_narrowed, "O%.*s", (int)inner_len, inner);
            *out = official_narrowed;
            *out_len = inner_len + 1;
        }
        return 1;
    }
    if (len > 0 && (topic[0] < '0' || topic[0] > '9'))
        return 1; /* not a county code: heartbeats and the like are for every key */
    if (!k)
        return 0;
    if (k->role == ROLE_ADMIN)
        return 1;
    if (k->role != ROLE_MONITOR && k->role != ROLE_COUNTY)
        return 0; /* a county key reads its own county like a monitor of it */
    size_t sn = strlen(k->subject);
    if (len >= sn && memcmp(topic, k->subject, sn) == 0)
        return 1; /* inside the scope */
    if (len == 6 && sn == 6 && memcmp(topic, k->subject, 4) == 0 && memcmp(topic + 4, "00", 2) == 0)
        return 1; /* a county monitor's own city heartbeat (topic NNNN00, heartbeat.c) */
    if (len < sn && memcmp(topic, k->subject, len) == 0) {
        *out = k->subject; /* wider than the scope: narrowed to it */
        *out_len = sn;
        return 1;
    }
    return 0;
}

void publish_subscriptions(publisher *self)
{
    for (int budget = 0; budget < 256; budget++) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, self->publish_sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return;
        }
        size_t len = zmq_msg_size(&m);
        const char *data = zmq_msg_data(&m);
        if (len == 0 || (data[0] != 0 && data[0] != 1) || zmq_msg_more(&m)) {
            zmq_msg_close(&m); /* not a subscription message */
            continue;
        }
        peer_address who;
        memset(&who, 0, sizeof who);
        const char *uid = zmq_msg_gets(&m, "User-Id");
        if (uid)
            snprintf(who.user_id, sizeof who.user_id, "%s", uid);
        char why[256];
        const auth_key *k = auth_peer(self->policy, &who, why, sizeof why);
        const char *topic;
        size_t tlen;
        bool subscribe = data[0] == 1;
        net_count_request(self->counters, NET_SOCKET_PUBLISH, k);
        if (!subscribe && self->subscriptions > 0)
            self->subscriptions--; /* an unsubscription, or libzmq's for a subscriber gone */
        if (publish_allowed_topic(k, data + 1, len - 1, &topic, &tlen)) {
            /* Manual mode: this applies to the pipe the message came from. */
            int opt = subscribe ? ZMQ_SUBSCRIBE : ZMQ_UNSUBSCRIBE;
            if (zmq_setsockopt(self->publish_sock, opt, topic, tlen) != 0)
                log_error("subscription to '%.*s' not applied: %s", (int)tlen, topic, zmq_strerror(zmq_errno()));
            else if (subscribe)
                self->subscriptions++;
            bool official = topic == official_narrowed;
            if (k && (k->role == ROLE_MONITOR || k->role == ROLE_COUNTY) &&
                ((tlen == 6 && topic == k->subject) || (official && tlen == 7))) {
                /* "everything", narrowed to one county: with its city's heartbeat
                 * (the official view's: "O" + NNNN00) */
                char city[8];
                snprintf(city, sizeof city, "%s%.4s00", official ? "O" : "", k->subject);
                if (zmq_setsockopt(self->publish_sock, opt, city, strlen(city)) != 0)
                    log_error("subscription to '%s' not applied: %s", city, zmq_strerror(zmq_errno()));
                else if (subscribe)
                    self->subscriptions++;
            }
            if (tlen != len - 1)
                log_debug("a subscription by %s narrowed to its scope %.*s", who.user_id, (int)tlen, topic);
        } else if (subscribe) {
            char shown[20];
            size_t sl = len - 1 < sizeof shown - 1 ? len - 1 : sizeof shown - 1;
            for (size_t i = 0; i < sl; i++)
                shown[i] = data[1 + i] >= 0x20 && data[1 + i] < 0x7f ? data[1 + i] : '?';
            shown[sl] = '\0';
            self->counters->auth_refused++;
            log_info("subscription to '%s' by %s refused: %s", shown, who.user_id[0] ? who.user_id : "(no key)",
                     k ? (k->role == ROLE_MONITOR || k->role == ROLE_COUNTY ? "outside the key's scope"
                                                                       : "not a monitor, county or admin key")
                       : why);
        }
        zmq_msg_close(&m);
    }
}
