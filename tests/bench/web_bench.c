/* web_bench.c -- the client side of tests/bench/web.sh (docs/benchmarks.md
 * "Web gateway"): plain sockets, HTTP/1.1 requests, no library.
 *
 *   web_bench sse HOST PORT N     N live /events streams (one thread, epoll);
 *                                 prints "ready" once every stream has its
 *                                 first (city) event, then reads until
 *                                 SIGUSR1/SIGTERM and prints a RESULT line:
 *                                 events, events lost (a gap in a county's
 *                                 seq; a later "city" event is a resync: the
 *                                 stream fell behind), streams closed, the
 *                                 fewest and most events a stream read, and
 *                                 the latency from the daemon's
 *                                 publication (the row's published_at_ms) to
 *                                 the moment a stream read the event, and,
 *                                 with WEB_BENCH_TRACE=FILE (junheng-load's
 *                                 --trace of the load), from each commit to
 *                                 the first event showing it on each stream.
 *   web_bench get HOST PORT PATH R  R requests one after another, each on a
 *                                 new connection; p50/p99/max answer time.
 *
 * WEB_BENCH_COOKIE=NAME=VALUE sends that cookie (a logged-in session).
 * Results go to stdout as `RESULT key=value ...`; errors to stderr. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HIST_MS 120000 /* latencies above two minutes count as the last bin */

static volatile sig_atomic_t bench_stop;

/* SIGUSR1/SIGTERM: stop reading and report. */
static void on_stop(int sig)
{
    (void)sig;
    bench_stop = 1;
}

/* Wall clock, Unix milliseconds (the daemon's published_at_ms clock). */
static int64_t wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Monotonic clock, microseconds. */
static int64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* A blocking TCP connection to host:port, or -1. */
static int dial(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Writes all of text to fd. Returns 0 or -1. */
static int send_all(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* --- sse ------------------------------------------------------------------- */

typedef struct {
    int fd;
    char buf[1 << 16];
    size_t len;
    int body;            /* 0: in the headers, 1: in the (chunked) body */
    size_t chunk_left;   /* bytes of the current chunk still to come */
    char *ev;            /* the SSE text after de-chunking, not yet parsed */
    size_t ev_len, ev_cap;
    uint64_t last_id;
    struct {
        char code[8];
        long long seq;
    } seen[64];          /* the last seq of each county the stream showed */
    int n_seen;
    uint64_t events;
    int cities;          /* "city" events seen (the first is the join) */
    int closed;
    struct shown {
        uint8_t county;  /* index in seen[] */
        uint32_t submitted;
        int64_t at_ms;   /* wall clock when the stream read it */
    } *shown;            /* every county event read, for the commit -> event latency */
    size_t n_shown, cap_shown;
} stream;

typedef struct {
    uint64_t *hist;      /* latency in ms -> count */
    uint64_t events, lost, resyncs, no_time, negative;
    int64_t max_ms;
} sse_totals;

/* Notes that stream s read the event of its county index ci showing
 * `submitted` schools at now (ms). */
static void shown_add(stream *s, int ci, const char *data, size_t len, int64_t now)
{
    const char *k = memmem(data, len, "\"submitted\":", 12);
    if (!k || ci < 0)
        return;
    if (s->n_shown == s->cap_shown) {
        size_t cap = s->cap_shown ? 2 * s->cap_shown : 64;
        struct shown *grown = realloc(s->shown, cap * sizeof *grown);
        if (!grown)
            return;
        s->shown = grown;
        s->cap_shown = cap;
    }
    s->shown[s->n_shown++] = (struct shown){ (uint8_t)ci, (uint32_t)strtoul(k + 12, NULL, 10), now };
}

/* A county event's "code" and "seq" against the last the stream saw of
 * that county: a jump is a publication lost on the way. Returns the
 * county's index in s->seen (-1: none). */
static int seq_check(stream *s, const char *data, size_t len, sse_totals *t)
{
    const char *c = memmem(data, len, "\"code\":\"", 8), *q = memmem(data, len, "\"seq\":", 6);
    if (!c || !q)
        return -1;
    char code[8] = "";
    sscanf(c + 8, "%7[0-9]", code);
    long long seq = strtoll(q + 6, NULL, 10);
    for (int i = 0; i < s->n_seen; i++)
        if (strcmp(s->seen[i].code, code) == 0) {
            if (seq > s->seen[i].seq + 1)
                t->lost += (uint64_t)(seq - s->seen[i].seq - 1);
            s->seen[i].seq = seq;
            return i;
        }
    if (s->n_seen < (int)(sizeof s->seen / sizeof s->seen[0])) {
        snprintf(s->seen[s->n_seen].code, sizeof s->seen[0].code, "%s", code);
        s->seen[s->n_seen++].seq = seq;
        return s->n_seen - 1;
    }
    return -1;
}

/* One whole SSE event (its lines in text[0..len)) of stream s. */
static void sse_event(stream *s, const char *text, size_t len, int64_t now, sse_totals *t)
{
    char type[16] = "message";
    uint64_t id = 0;
    const char *data = NULL;
    size_t data_len = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 7 && memcmp(p, "event: ", 7) == 0 && n - 7 < sizeof type)
            memcpy(type, p + 7, n - 7), type[n - 7] = '\0';
        else if (n > 4 && memcmp(p, "id: ", 4) == 0)
            id = strtoull(p + 4, NULL, 10);
        else if (n > 6 && memcmp(p, "data: ", 6) == 0)
            data = p + 6, data_len = n - 6;
        p += n + 1;
    }
    if (!data && id == 0)
        return; /* a comment (keep-alive) or the retry line */
    if (strcmp(type, "city") == 0) {
        if (s->cities++ > 0)
            t->resyncs++; /* the hub's only lossy path: this stream fell behind its ring */
        s->last_id = id;
        return;
    }
    s->last_id = id;
    if (strcmp(type, "county") != 0 || !data)
        return;
    t->events++;
    s->events++;
    shown_add(s, seq_check(s, data, data_len, t), data, data_len, now);
    const char *key = memmem(data, data_len, "\"published_at_ms\":", 18);
    long long pub = key ? strtoll(key + 18, NULL, 10) : 0;
    if (pub <= 0) {
        t->no_time++;
        return;
    }
    int64_t ms = now - pub;
    if (ms < 0) {
        t->negative++;
        ms = 0;
    }
    if (ms > t->max_ms)
        t->max_ms = ms;
    t->hist[ms < HIST_MS ? ms : HIST_MS - 1]++;
}

/* Appends n bytes of SSE text to s->ev and handles each whole event in it. */
static int sse_text(stream *s, const char *p, size_t n, int64_t now, sse_totals *t)
{
    if (s->ev_len + n > s->ev_cap) {
        size_t cap = (s->ev_len + n) * 2;
        char *grown = realloc(s->ev, cap);
        if (!grown)
            return -1;
        s->ev = grown;
        s->ev_cap = cap;
    }
    memcpy(s->ev + s->ev_len, p, n);
    size_t start = 0, from = s->ev_len ? s->ev_len - 1 : 0; /* what was scanned before holds no "\n\n" */
    s->ev_len += n;
    for (;;) {
        char *end = memmem(s->ev + from, s->ev_len - from, "\n\n", 2);
        if (!end)
            break;
        sse_event(s, s->ev + start, (size_t)(end - (s->ev + start)) + 1, now, t);
        start = from = (size_t)(end - s->ev) + 2;
    }
    memmove(s->ev, s->ev + start, s->ev_len - start);
    s->ev_len -= start;
    return 0;
}

/* Consumes what s->buf holds: the headers, then chunked transfer coding. */
static int sse_consume(stream *s, int64_t now, sse_totals *t)
{
    size_t off = 0;
    if (!s->body) {
        char *end = memmem(s->buf, s->len, "\r\n\r\n", 4);
        if (!end)
            return 0;
        if (s->len < 12 || memcmp(s->buf + 9, "200", 3) != 0) {
            fprintf(stderr, "web_bench: /events answered %.12s\n", s->buf);
            return -1;
        }
        s->body = 1;
        off = (size_t)(end - s->buf) + 4;
    }
    for (;;) {
        if (s->chunk_left > 0) {
            size_t n = s->len - off < s->chunk_left ? s->len - off : s->chunk_left;
            if (n == 0)
                break;
            if (sse_text(s, s->buf + off, n, now, t) != 0)
                return -1;
            off += n;
            s->chunk_left -= n;
            continue;
        }
        /* "\r\n" ending the previous chunk, then "SIZE\r\n" */
        char *crlf = memmem(s->buf + off, s->len - off, "\r\n", 2);
        if (!crlf)
            break;
        if (crlf == s->buf + off) {
            off += 2;
            continue;
        }
        s->chunk_left = strtoul(s->buf + off, NULL, 16);
        off = (size_t)(crlf - s->buf) + 2;
        if (s->chunk_left == 0) {
            s->closed = 1;
            break;
        }
    }
    memmove(s->buf, s->buf + off, s->len - off);
    s->len -= off;
    return 0;
}

/* Raises the descriptor limit to the hard limit; returns the soft limit. */
static rlim_t raise_nofile(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return 0;
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
    return r.rlim_cur;
}

/* Reads every ready stream once. */
static void sse_poll(int ep, stream *ss, int timeout_ms, sse_totals *t)
{
    struct epoll_event evs[256];
    int n = epoll_wait(ep, evs, 256, timeout_ms);
    int64_t now = wall_ms();
    for (int i = 0; i < n; i++) {
        stream *s = &ss[evs[i].data.u32];
        ssize_t got = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (got > 0)
            s->len += (size_t)got;
        if (got <= 0 || sse_consume(s, now, t) != 0 || s->closed) {
            s->closed = 1;
            epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
            close(s->fd);
        }
    }
}

/* The q-quantile of the histogram, in ms. */
static int64_t hist_q(const uint64_t *h, uint64_t total, double q)
{
    uint64_t want = (uint64_t)((double)(total - 1) * q) + 1, seen = 0;
    for (int64_t ms = 0; ms < HIST_MS; ms++) {
        seen += h[ms];
        if (seen >= want)
            return ms;
    }
    return HIST_MS - 1;
}

/* One acknowledged commit of junheng-load's trace. */
typedef struct {
    char code[8];
    int64_t at_ms;
} trace_ack;

/* Orders acknowledgements by county, then time (qsort). */
static int cmp_ack(const void *a, const void *b)
{
    const trace_ack *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->at_ms > y->at_ms) - (x->at_ms < y->at_ms);
}

/* The acknowledgements of the trace file, sorted; *n of them. NULL when
 * the file cannot be read. */
static trace_ack *trace_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    trace_ack *acks = NULL;
    size_t cap = 0;
    char line[256];
    *n = 0;
    while (f && fgets(line, sizeof line, f)) {
        trace_ack a;
        long long wall = 0;
        if (line[0] == '#' || sscanf(line, "%*f %*f %7s %*d %lld", a.code, &wall) != 2 || wall <= 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 4096;
            trace_ack *grown = realloc(acks, cap * sizeof *grown);
            if (!grown)
                break;
            acks = grown;
        }
        a.at_ms = wall;
        acks[(*n)++] = a;
    }
    if (f)
        fclose(f);
    if (acks)
        qsort(acks, *n, sizeof *acks, cmp_ack);
    return acks;
}

/* The commit -> event latency of one county ci of stream s, whose
 * acknowledgements are acks[0..m) in time order: the k-th against the first
 * event of the stream showing k or more schools submitted (each school
 * submits once in a phase, so the county's k-th commit is its k-th school).
 * Adds to hist; counts commits no event showed in *unmatched. */
static void commit_county(const stream *s, int ci, const trace_ack *acks, size_t m, sse_totals *t,
                          uint64_t *unmatched)
{
    size_t e = 0;
    for (size_t k = 1; k <= m; k++) {
        while (e < s->n_shown && (s->shown[e].county != ci || s->shown[e].submitted < k))
            e++;
        if (e == s->n_shown) {
            *unmatched += m - k + 1;
            return;
        }
        int64_t ms = s->shown[e].at_ms - acks[k - 1].at_ms;
        ms = ms < 0 ? 0 : ms;
        t->max_ms = ms > t->max_ms ? ms : t->max_ms;
        t->hist[ms < HIST_MS ? ms : HIST_MS - 1]++;
    }
}

/* Fills t (hist, max_ms) with the commit -> event latency of every stream
 * (trace: junheng-load's --trace of the load). Returns the commits timed,
 * with *unmatched those some stream never showed; -1 when the trace cannot
 * be read. */
static long long commit_latency(const char *trace, const stream *ss, int n, sse_totals *t, uint64_t *unmatched)
{
    size_t n_acks;
    trace_ack *acks = trace_read(trace, &n_acks);
    if (!acks)
        return -1;
    long long timed = 0;
    for (int i = 0; i < n; i++)
        for (int ci = 0; ci < ss[i].n_seen; ci++) {
            trace_ack key = { .at_ms = INT64_MIN };
            snprintf(key.code, sizeof key.code, "%s", ss[i].seen[ci].code);
            size_t lo = 0, hi = n_acks;
            while (lo < hi) { /* the county's first acknowledgement */
                size_t mid = (lo + hi) / 2;
                if (cmp_ack(&acks[mid], &key) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t m = 0;
            while (lo + m < n_acks && strcmp(acks[lo + m].code, key.code) == 0)
                m++;
            commit_county(&ss[i], ci, acks + lo, m, t, unmatched);
            timed += (long long)m;
        }
    free(acks);
    return timed - (long long)*unmatched;
}

/* Prints " commit_p50_ms=... commit_p99_ms=... commit_max_ms=...
 * commit_timed=... commit_unmatched=..." for the trace (nothing without
 * one). */
static void print_commit_latency(const char *trace, const stream *ss, int n)
{
    sse_totals c = { .hist = trace && *trace ? calloc(HIST_MS, sizeof(uint64_t)) : NULL };
    uint64_t unmatched = 0;
    long long timed = c.hist ? commit_latency(trace, ss, n, &c, &unmatched) : -1;
    if (timed > 0)
        printf(" commit_p50_ms=%lld commit_p99_ms=%lld commit_max_ms=%lld", (long long)hist_q(c.hist, (uint64_t)timed, 0.5),
               (long long)hist_q(c.hist, (uint64_t)timed, 0.99), (long long)c.max_ms);
    if (timed >= 0)
        printf(" commit_timed=%lld commit_unmatched=%llu", timed, (unsigned long long)unmatched);
    free(c.hist);
}

/* `web_bench sse HOST PORT N`. */
static int run_sse(const char *host, int port, int n, const char *cookie)
{
    rlim_t lim = raise_nofile();
    if (lim < (rlim_t)n + 16) {
        fprintf(stderr, "web_bench: %d streams need %d descriptors; the limit is %llu\n", n, n + 16,
                (unsigned long long)lim);
        return 1;
    }
    stream *ss = calloc((size_t)n, sizeof *ss);
    sse_totals t = { .hist = calloc(HIST_MS, sizeof(uint64_t)) };
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!ss || !t.hist || ep < 0)
        return 1;
    char req[512];
    snprintf(req, sizeof req, "GET /events HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n%s%s%s\r\n", host,
             port, *cookie ? "Cookie: " : "", cookie, *cookie ? "\r\n" : "");
    for (int i = 0; i < n; i++) {
        ss[i].fd = dial(host, port);
        if (ss[i].fd < 0 || send_all(ss[i].fd, req) != 0) {
            fprintf(stderr, "web_bench: stream %d: cannot connect: %s\n", i, strerror(errno));
            return 1;
        }
        struct epoll_event e = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, ss[i].fd, &e);
    }
    int64_t start = mono_us();
    for (;;) { /* every stream has joined (its first "city" event) */
        int joined = 0, closed = 0;
        for (int i = 0; i < n; i++)
            joined += ss[i].cities > 0, closed += ss[i].closed;
        if (joined == n)
            break;
        if (closed || mono_us() - start > 120 * 1000000LL) {
            fprintf(stderr, "web_bench: %d of %d streams joined, %d closed\n", joined, n, closed);
            return 1;
        }
        sse_poll(ep, ss, 100, &t);
    }
    printf("ready %d streams in %.1f s\n", n, (double)(mono_us() - start) / 1e6);
    fflush(stdout);
    memset(t.hist, 0, HIST_MS * sizeof(uint64_t));
    t.events = t.lost = t.resyncs = t.no_time = t.negative = 0;
    t.max_ms = 0;
    for (int i = 0; i < n; i++)
        ss[i].events = ss[i].n_shown = 0;
    while (!bench_stop)
        sse_poll(ep, ss, 200, &t);
    int closed = 0;
    uint64_t least = UINT64_MAX, most = 0;
    for (int i = 0; i < n; i++) {
        closed += ss[i].closed;
        least = ss[i].events < least ? ss[i].events : least;
        most = ss[i].events > most ? ss[i].events : most;
    }
    uint64_t timed = 0;
    for (int64_t ms = 0; ms < HIST_MS; ms++)
        timed += t.hist[ms];
    printf("RESULT streams=%d events=%llu timed=%llu lost=%llu resyncs=%llu closed=%d untimed=%llu "
           "p50_ms=%lld p99_ms=%lld max_ms=%lld per_stream_min=%llu per_stream_max=%llu",
           n, (unsigned long long)t.events, (unsigned long long)timed, (unsigned long long)t.lost,
           (unsigned long long)t.resyncs, closed, (unsigned long long)t.no_time,
           (long long)(timed ? hist_q(t.hist, timed, 0.5) : -1), (long long)(timed ? hist_q(t.hist, timed, 0.99) : -1),
           (long long)t.max_ms, (unsigned long long)least, (unsigned long long)most);
    print_commit_latency(getenv("WEB_BENCH_TRACE"), ss, n);
    putchar('\n');
    return 0;
}

/* --- get ------------------------------------------------------------------- */

/* One request on a new connection; its answer time in us, or -1. */
static int64_t one_get(const char *host, int port, const char *path, const char *cookie, size_t *bytes)
{
    char req[768], buf[65536];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n%s%s%s\r\n", path, host, port,
             *cookie ? "Cookie: " : "", cookie, *cookie ? "\r\n" : "");
    int64_t t0 = mono_us();
    int fd = dial(host, port);
    if (fd < 0 || send_all(fd, req) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t total = 0;
    int ok = -1;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (ok < 0 && total == 0)
            ok = n >= 12 && memcmp(buf + 9, "200", 3) == 0;
        total += (size_t)n;
    }
    int64_t dt = mono_us() - t0;
    close(fd);
    *bytes = total;
    return ok == 1 ? dt : -1;
}

/* Compares two int64_t for qsort. */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* `web_bench get HOST PORT PATH R`. */
static int run_get(const char *host, int port, const char *path, int r, const char *cookie)
{
    int64_t *us = calloc((size_t)r, sizeof *us);
    if (!us)
        return 1;
    size_t bytes = 0;
    for (int i = 0; i < r; i++) {
        us[i] = one_get(host, port, path, cookie, &bytes);
        if (us[i] < 0) {
            fprintf(stderr, "web_bench: GET %s failed (request %d)\n", path, i + 1);
            return 1;
        }
    }
    qsort(us, (size_t)r, sizeof *us, cmp_i64);
    printf("RESULT path=%s n=%d bytes=%zu p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", path, r, bytes,
           (double)us[(r - 1) / 2] / 1000, (double)us[(int)((r - 1) * 0.99)] / 1000, (double)us[r - 1] / 1000);
    free(us);
    return 0;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    const char *cookie = getenv("WEB_BENCH_COOKIE"); /* "name=value": the session */
    if (!cookie)
        cookie = "";
    if (argc == 5 && strcmp(argv[1], "sse") == 0)
        return run_sse(argv[2], atoi(argv[3]), atoi(argv[4]), cookie);
    if (argc == 6 && strcmp(argv[1], "get") == 0)
        return run_get(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]), cookie);
    fprintf(stderr, "usage: [WEB_BENCH_COOKIE=NAME=VALUE] web_bench sse HOST PORT N | ... get HOST PORT PATH R\n");
    return 2;
}
