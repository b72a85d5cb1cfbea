/* server.c -- junhengd's one event loop. See server.h.
 *
 * Each turn: the ingest is polled (a group commit whose results are in is
 * answered and the next group sent) and the admin requests (an answer in,
 * one overdue, the admin connection reopened), then zmq_poll sleeps until a
 * socket has work or the nearest deadline (the group being filled, a
 * coalescing window, heartbeats, an admin request overdue). After the handshakes and subscriptions, the
 * submit socket is read into the group being filled, then one publication
 * slice of at most PUBLISH_ROUND_BUDGET_MS runs, the ingest is polled
 * again, and status queries and admin requests are taken in. Nothing here
 * waits on PostgreSQL: group commits, admin requests and the history's
 * statements and queries are sent and their results read when in. A long publication round is so
 * cut into slices with the ingest polled between every two: the publisher
 * never calls the ingest, and acknowledgements never wait behind a whole
 * round. */
#include "server.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <zmq.h>

#include "log.h"
#include "service_notify.h"

/* A ROUTER socket's message handler: the module and its handle function. */
typedef struct {
    void *sock;
    int counted_as;                /* NET_SOCKET_*: the requests counter */
    void *module;
    void (*handle)(void *module, const peer_address *peer, const uint8_t *data, size_t len);
} server_route;

/* Adapters from the modules' typed handlers to server_route. */
static void route_ingest(void *m, const peer_address *peer, const uint8_t *data, size_t len)
{
    ingest_handle(m, peer, data, len);
}

static void route_snapshot(void *m, const peer_address *peer, const uint8_t *data, size_t len)
{
    snapshot_handle(m, peer, data, len);
    /* a city's snapshot renders every county: heartbeats stay on time */
    publish_heartbeat_if_due(m);
}

static void route_admin(void *m, const peer_address *peer, const uint8_t *data, size_t len)
{
    admin_handle(m, peer, data, len);
}

/* Answers a malformed multipart message with a refusal. */
static void refuse_malformed(server *self, void *sock, const peer_address *peer)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "a request is one frame (after the routing id and an optional empty delimiter)");
    net_reply(sock, peer, NULL, 0, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
    self->counters.refused++;
}

/* Drains up to `budget` messages from one ROUTER socket into its handler. */
static void server_drain(server *self, const server_route *r, int budget)
{
    bool submit = r->sock == self->submit_sock;
    for (int i = 0; i < budget; i++) {
        /* a full group waits for the one in flight: the rest stays queued */
        if (submit && !ingest_accepting(self->in))
            return;
        peer_address peer;
        uint8_t *data = NULL;
        size_t len = 0;
        int rc = router_read(r->sock, &peer, &data, &len);
        if (rc == 0)
            return;
        if (rc < 0) {
            if (peer.id_len)
                refuse_malformed(self, r->sock, &peer);
            continue;
        }
        net_count_request(&self->counters, r->counted_as,
                          peer.user_id[0] ? auth_lookup(self->keys, peer.user_id) : NULL);
        r->handle(r->module, &peer, data, len);
        free(data);
        if (submit && ingest_group_full(self->in))
            ingest_flush(self->in);
    }
}

/* Positions in the poll items (server_wait): the four ROUTER / XPUB
 * sockets always, then those present of the commit connection, the admin
 * connection, the ZAP handler, the publish socket's monitor and the metrics
 * endpoint. */
enum { POLL_SUBMIT, POLL_SNAPSHOT, POLL_ADMIN, POLL_PUBLISH, POLL_PASSWORDS, POLL_FIXED, POLL_MAX = POLL_FIXED + 5 };

/* What one wait woke for: the items and where the optional ones are (-1:
 * not polled). */
typedef struct {
    zmq_pollitem_t items[POLL_MAX];
    int n, commit_db, admin_db, zap, monitor, metrics;
} server_poll;

/* Waits for the sockets (the submit socket only while the ingest accepts,
 * the commit connection while a group is in flight, the admin connection
 * while an admin request is) or the nearest deadline. Returns zmq_poll's
 * result; p describes what woke. */
static int server_wait(server *self, server_poll *p)
{
    int64_t now = net_now_ms();
    long timeout = ingest_timeout_ms(self->in, now);
    long until_publish = publish_timeout_ms(self->pub, now);
    long until_admin = admin_timeout_ms(self->adm, now);
    if (until_publish < timeout)
        timeout = until_publish;
    if (until_admin < timeout)
        timeout = until_admin;
    long until_metrics = self->mon ? metrics_timeout_ms(self->mon) : timeout;
    if (until_metrics < timeout)
        timeout = until_metrics;
    if (service_watchdog_timeout_ms(now) < timeout)
        timeout = service_watchdog_timeout_ms(now);
    zmq_pollitem_t fixed[POLL_FIXED] = {
        [POLL_SUBMIT] = { self->submit_sock, 0, ingest_accepting(self->in) ? ZMQ_POLLIN : 0, 0 },
        [POLL_SNAPSHOT] = { self->snapshot_sock, 0, ZMQ_POLLIN, 0 },
        [POLL_ADMIN] = { self->admin_sock, 0, ZMQ_POLLIN, 0 },
        [POLL_PUBLISH] = { self->publish_sock, 0, ZMQ_POLLIN, 0 },
        /* the password worker's results (admin_users_poll) */
        [POLL_PASSWORDS] = { NULL, admin_users_fd(self->adm), ZMQ_POLLIN, 0 },
    };
    for (int i = 0; i < POLL_FIXED; i++)
        p->items[i] = fixed[i];
    p->n = POLL_FIXED;
    p->commit_db = p->admin_db = p->zap = p->monitor = p->metrics = -1;
    int fd = ingest_poll_fd(self->in);
    if (fd >= 0) {
        p->commit_db = p->n;
        p->items[p->n++] = (zmq_pollitem_t){ NULL, fd, ZMQ_POLLIN, 0 };
    }
    bool write = false;
    fd = admin_poll_fd(self->adm, &write);
    if (fd >= 0) {
        p->admin_db = p->n;
        p->items[p->n++] = (zmq_pollitem_t){ NULL, fd, (short)(ZMQ_POLLIN | (write ? ZMQ_POLLOUT : 0)), 0 };
    }
    if (self->zap_sock) {
        p->zap = p->n;
        p->items[p->n++] = (zmq_pollitem_t){ self->zap_sock, 0, ZMQ_POLLIN, 0 };
    }
    if (self->publish_monitor) {
        p->monitor = p->n;
        p->items[p->n++] = (zmq_pollitem_t){ self->publish_monitor, 0, ZMQ_POLLIN, 0 };
    }
    if (self->mon) {
        p->metrics = p->n;
        p->items[p->n++] = (zmq_pollitem_t){ NULL, metrics_poll_fd(self->mon), ZMQ_POLLIN, 0 };
    }
    return zmq_poll(p->items, p->n, timeout);
}

/* Whether item i (an index of p, or -1) woke with one of events. */
static bool woke(const server_poll *p, int i, short events)
{
    return i >= 0 && (p->items[i].revents & events);
}

/* One turn of the loop. Returns 0, or -1 on a fatal socket error or when
 * this daemon steps down (another one took the lease). */
static int server_turn(server *self)
{
    /* the lease first: no group is sent without it ("retry later") */
    lease_state held = lease_tick(self->lease, net_now_ms());
    if (held == LEASE_TAKEN) {
        self->stepped_down = true;
        return -1;
    }
    ingest_set_fenced(self->in, held == LEASE_LOST);
    /* results that arrived while the previous turn worked (or while the
     * group was being sent) are read before sleeping */
    ingest_poll(self->in);
    int64_t now = net_now_ms();
    service_watchdog_kick(now);
    ingest_reconnect(self->in, now);
    admin_poll(self->adm, now);
    server_poll p;
    if (server_wait(self, &p) < 0) {
        if (zmq_errno() == EINTR)
            return 0;
        log_error("zmq_poll: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    /* Handshakes first: a waiting client is admitted (or refused) before the
     * loop turns to committing. */
    if (woke(&p, p.zap, ZMQ_POLLIN))
        auth_zap_handle(self->zap_sock, self->keys, &self->counters.zap_denied);
    if (woke(&p, POLL_PUBLISH, ZMQ_POLLIN))
        publish_subscriptions(self->pub);
    if (woke(&p, p.monitor, ZMQ_POLLIN))
        net_monitor_read(self->publish_monitor, &self->counters.publish_connections);
    /* the group in flight first: answering it frees its senders' places and
     * lets the next group go to PostgreSQL */
    if (woke(&p, p.commit_db, ZMQ_POLLIN | ZMQ_POLLERR))
        ingest_poll(self->in);
    if (woke(&p, POLL_SUBMIT, ZMQ_POLLIN))
        server_drain(self, &(server_route){ self->submit_sock, NET_SOCKET_SUBMIT, self->in, route_ingest },
                     self->cfg.batch_max);
    ingest_flush_due(self->in, net_now_ms());
    /* one publication slice, then the ingest again: the loop alternates
     * them, and the rest of a round cut short is due at once */
    publish_tick(self->pub);
    ingest_poll(self->in);
    ingest_flush_due(self->in, net_now_ms());
    if (woke(&p, POLL_SNAPSHOT, ZMQ_POLLIN))
        server_drain(self, &(server_route){ self->snapshot_sock, NET_SOCKET_SNAPSHOT, self->pub, route_snapshot }, 64);
    if (woke(&p, p.admin_db, ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR))
        admin_poll(self->adm, net_now_ms());
    if (woke(&p, POLL_PASSWORDS, ZMQ_POLLIN))
        admin_users_poll(self->adm);
    if (woke(&p, POLL_ADMIN, ZMQ_POLLIN))
        server_drain(self, &(server_route){ self->admin_sock, NET_SOCKET_ADMIN, self->adm, route_admin }, 16);
    /* /metrics and /healthz: answered from memory, never waiting */
    if (self->mon && (woke(&p, p.metrics, ZMQ_POLLIN) || metrics_timeout_ms(self->mon) == 0))
        metrics_run(self->mon);
    return 0;
}

int server_run(server *self)
{
    while (!self->draining) {
        if (*self->stop_requested) {
            log_info("stop requested: finishing the group in flight");
            service_notify_stopping("stopping: finishing the group in flight");
            self->draining = true;
            break;
        }
        if (self->reload_requested && *self->reload_requested) {
            *self->reload_requested = 0;
            server_reload(self);
        }
        if (server_turn(self) != 0)
            return -1;
    }
    /* Drain: finish the group in flight, commit and ack what was already
     * taken in; new work stays queued in the clients, which resend it to the
     * next daemon. Then publish what the last groups changed. */
    ingest_drain(self->in);
    publish_changed(self->pub);
    log_info("stopped: %llu accepted, %llu duplicate, %llu refused, %llu retry-later",
             (unsigned long long)self->counters.accepted, (unsigned long long)self->counters.duplicate,
             (unsigned long long)self->counters.refused, (unsigned long long)self->counters.retry_later);
    return 0;
}
