/* metrics.c -- the HTTP endpoint (/metrics, /healthz) on libmicrohttpd,
 * driven by the daemon's event loop: MHD_USE_EPOLL without an internal
 * thread, its epoll descriptor polled by the loop, MHD_run when it wakes or
 * when MHD_get_timeout says so. Nothing here blocks: libmicrohttpd's
 * sockets are non-blocking and an answer is rendered from memory. See
 * metrics.h. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"

#include "listen_addr.h"

/* Connections served at once, and how long an idle one is kept (s). */
#define METRICS_MAX_CONNECTIONS 16
#define METRICS_CONNECTION_TIMEOUT_S 10

struct metrics {
    struct MHD_Daemon *mhd;
    int epoll_fd;
    metrics_source src;
};

int metrics_parse_listen(const char *listen, struct sockaddr_storage *addr, char *err, size_t errlen)
{
    return listen_addr_parse("metrics_listen", listen, addr, err, errlen);
}

/* Queues a response of status with body (copied) and content type. */
static enum MHD_Result answer(struct MHD_Connection *conn, unsigned int status, const char *type, const char *body,
                              size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* GET /metrics: every metric the source writes. */
static enum MHD_Result answer_metrics(metrics *self, struct MHD_Connection *conn)
{
    metrics_text *t = metrics_text_new();
    if (!t)
        return answer(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "out of memory\n", 14);
    self->src.write(self->src.arg, t);
    size_t len;
    bool oom;
    const char *text = metrics_text_data(t, &len, &oom);
    enum MHD_Result rc = oom ? answer(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "out of memory\n", 14)
                             : answer(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, len);
    metrics_text_destroy(&t);
    return rc;
}

/* GET /healthz: "ready", or 503 with why not. */
static enum MHD_Result answer_health(metrics *self, struct MHD_Connection *conn)
{
    char reason[512] = "";
    char body[600];
    bool ready = self->src.ready(self->src.arg, reason, sizeof reason);
    int n = ready ? snprintf(body, sizeof body, "ready\n") : snprintf(body, sizeof body, "not ready: %s\n", reason);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof body ? (size_t)n : sizeof body - 1;
    return answer(conn, ready ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body, len);
}

/* libmicrohttpd's request handler: answers once the request's headers are
 * in (a GET has no body to wait for). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    (void)upload_data;
    metrics *self = cls;
    if (*upload_data_size > 0) {
        *upload_data_size = 0; /* a body: ignored, answered below */
        return MHD_YES;
    }
    (void)con_cls;
    static const char not_found[] = "not found: GET /metrics or /healthz\n";
    static const char not_allowed[] = "method not allowed: GET /metrics or /healthz\n";
    bool known = strcmp(url, "/metrics") == 0 || strcmp(url, "/healthz") == 0;
    if (!known)
        return answer(conn, MHD_HTTP_NOT_FOUND, "text/plain", not_found, sizeof not_found - 1);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", not_allowed, sizeof not_allowed - 1);
    return strcmp(url, "/metrics") == 0 ? answer_metrics(self, conn) : answer_health(self, conn);
}

metrics *metrics_new(const char *listen, const metrics_source *src, char *err, size_t errlen)
{
    struct sockaddr_storage addr;
    if (metrics_parse_listen(listen, &addr, err, errlen) != 0)
        return NULL;
    metrics *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(err, errlen, "metrics_listen: out of memory");
        return NULL;
    }
    self->src = *src;
    unsigned int flags = MHD_USE_EPOLL | (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    uint16_t port = ntohs(addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                                                     : ((struct sockaddr_in *)&addr)->sin_port);
    self->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, self, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
                                 (unsigned int)METRICS_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned int)METRICS_CONNECTION_TIMEOUT_S, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = self->mhd ? MHD_get_daemon_info(self->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (!info || info->epoll_fd < 0) {
        snprintf(err, errlen, "metrics_listen: cannot serve HTTP on %.100s (address in use, or not this host's)",
                 listen);
        metrics_destroy(&self);
        return NULL;
    }
    self->epoll_fd = info->epoll_fd;
    log_info("metrics and health on http://%s/metrics and /healthz", listen);
    return self;
}

void metrics_destroy(metrics **p)
{
    metrics *self = *p;
    if (!self)
        return;
    if (self->mhd)
        MHD_stop_daemon(self->mhd);
    free(self);
    *p = NULL;
}

int metrics_poll_fd(const metrics *self)
{
    return self->epoll_fd;
}

long metrics_timeout_ms(const metrics *self)
{
    MHD_UNSIGNED_LONG_LONG t = 0;
    if (MHD_get_timeout(self->mhd, &t) != MHD_YES || t > 1000)
        return 1000;
    return (long)t;
}

void metrics_run(metrics *self)
{
    MHD_run(self->mhd);
}
