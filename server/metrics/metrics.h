/* metrics.h -- the public header of server/metrics/ (library
 * junheng_metrics): the daemon's HTTP endpoint for monitoring, on
 * metrics_listen (GNU libmicrohttpd):
 *
 *   GET /metrics   200, the Prometheus text format (version 0.0.4)
 *   GET /healthz   200 "ready", or 503 "not ready: REASON"
 *   anything else  404 (a method but GET or HEAD: 405)
 *
 * It runs in the daemon's one event loop, without a thread of its own:
 * libmicrohttpd is started with its epoll set (MHD_USE_EPOLL, no internal
 * thread), whose descriptor the loop polls (metrics_poll_fd) with the
 * timeout libmicrohttpd asks for (metrics_timeout_ms), calling metrics_run
 * when it wakes; every socket is non-blocking, so nothing here waits. What
 * is measured belongs to the modules that count it: the daemon gives a
 * source that writes their read-only views (metrics_text_*) and says
 * whether it is ready. */
#ifndef JUNHENG_METRICS_H
#define JUNHENG_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "histogram.h"

/* The exposition being written (a growing buffer, owned by the endpoint). */
typedef struct metrics_text metrics_text;

/* Creates an empty exposition. NULL when out of memory. */
metrics_text *metrics_text_new(void);
/* Frees it and nulls *p. */
void metrics_text_destroy(metrics_text **p);
/* The text written so far (owned by t; valid until the next write), its
 * length, and whether memory ran out while writing (the text is then
 * incomplete). */
const char *metrics_text_data(const metrics_text *t, size_t *len, bool *oom);
/* Writes the HELP and TYPE lines of a family (type: "counter", "gauge",
 * "histogram"). */
void metrics_text_family(metrics_text *t, const char *name, const char *type, const char *help);
/* Writes one sample: `name{labels} value`, labels (may be NULL or "") as
 * `key="value",...`, written as given. */
void metrics_text_u64(metrics_text *t, const char *name, const char *labels, uint64_t value);
void metrics_text_double(metrics_text *t, const char *name, const char *labels, double value);
/* Writes a whole histogram family: HELP, TYPE, the cumulative buckets (le,
 * then +Inf), _sum and _count. */
void metrics_text_histogram(metrics_text *t, const char *name, const char *help, const histogram *h);

/* What the daemon gives the endpoint: write every metric into out, and
 * whether it is ready (false with the reason, e.g. "database down
 * (reconnecting)"). Called in the loop, on a request. */
typedef struct {
    void *arg;
    void (*write)(void *arg, metrics_text *out);
    bool (*ready)(void *arg, char *reason, size_t size);
} metrics_source;

typedef struct metrics metrics;

/* Reads metrics_listen, "HOST:PORT" with a numeric address ("127.0.0.1:9464",
 * "[::1]:9464"; an address is never assumed), into *addr. Returns 0, or -1
 * with the reason in err. */
int metrics_parse_listen(const char *listen, struct sockaddr_storage *addr, char *err, size_t errlen);

/* Starts the endpoint on listen with source src (copied). Returns NULL with
 * the reason in err (a bad address, the port taken, out of memory). */
metrics *metrics_new(const char *listen, const metrics_source *src, char *err, size_t errlen);
/* Closes every connection and the listening socket, frees the endpoint and
 * nulls *p. */
void metrics_destroy(metrics **p);
/* The descriptor to poll for reading (libmicrohttpd's epoll set). */
int metrics_poll_fd(const metrics *self);
/* Milliseconds until metrics_run is due even without the descriptor
 * waking (0: now; at most 1000). */
long metrics_timeout_ms(const metrics *self);
/* Accepts, reads and answers whatever is ready, never waiting. */
void metrics_run(metrics *self);

#endif
