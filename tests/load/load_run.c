/* load_run.c -- one load run: building the jobs, running the client and
 * monitor threads, and the figures (throughput, acknowledgement latency,
 * commit-to-monitor latency). See load.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "load.h"
#include "wire.h"

/* splitmix64 step, for the shuffle. */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int load_run_init(load_run *self, const synth *syn, const load_options *opt, int32_t period, size_t first,
                  size_t count)
{
    memset(self, 0, sizeof *self);
    self->syn = syn;
    self->opt = *opt;
    self->period = period;
    if (first > syn->n_schools || count > syn->n_schools - first)
        return -1;
    self->jobs = calloc(count ? count : 1, sizeof *self->jobs);
    self->expected = calloc(syn->n_counties, sizeof *self->expected);
    self->county_pubs = calloc(syn->n_counties, sizeof *self->county_pubs);
    size_t *order = malloc((count ? count : 1) * sizeof *order);
    if (!self->jobs || !self->expected || !self->county_pubs || !order) {
        free(order);
        return -1;
    }
    /* Schools come grouped by county: shuffle so that a run spreads over
     * every county at once, as a national cycle does. */
    for (size_t k = 0; k < count; k++)
        order[k] = first + k;
    uint64_t st = syn->seed ^ ((uint64_t)period << 32) ^ first;
    for (size_t k = count; k > 1; k--) {
        size_t r = (size_t)(mix(&st) % k);
        size_t t = order[k - 1];
        order[k - 1] = order[r];
        order[r] = t;
    }
    int rc = 0;
    for (size_t k = 0; k < count && rc == 0; k++) {
        submission sub;
        uint8_t rid[WIRE_REQUEST_ID_LEN];
        uint8_t *msg = NULL;
        size_t len = 0;
        if (synth_submission(syn, order[k], period, 0, &sub) != 0 || wire_request_id_new(rid) != 0) {
            rc = -1;
            break;
        }
        for (int b = 0; b < 8; b++)
            rid[b] = (uint8_t)(k >> (8 * b));
        wire_uuid_new(sub.submission_id);
        if (wire_envelope_pack_submission(rid, &sub, &msg, &len) != 0)
            rc = -1;
        submission_clear(&sub);
        load_job *j = &self->jobs[k];
        j->county = (uint32_t)syn->school_county[order[k]];
        j->msg = msg;
        j->msg_len = (uint32_t)len;
        self->expected[j->county]++;
        self->n_jobs = k + 1;
    }
    free(order);
    return rc;
}

void load_run_free(load_run *self)
{
    for (size_t k = 0; self->jobs && k < self->n_jobs; k++)
        free(self->jobs[k].msg);
    free(self->jobs);
    for (size_t c = 0; self->county_pubs && c < self->syn->n_counties; c++)
        free(self->county_pubs[c].pubs);
    free(self->county_pubs);
    free(self->expected);
    memset(self, 0, sizeof *self);
}

/* How many counties this run sends to. */
static size_t counties_in_run(const load_run *self)
{
    size_t n = 0;
    for (size_t c = 0; c < self->syn->n_counties; c++)
        n += self->expected[c] > 0;
    return n;
}

/* Sleeps ms milliseconds. */
static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int load_run_go(load_run *self)
{
    self->zmq_ctx = zmq_ctx_new();
    if (!self->zmq_ctx)
        return -1;
    int rc = 0;
    pthread_t monitor;
    bool monitoring = self->opt.publish_endpoint != NULL;
    if (monitoring) {
        if (pthread_create(&monitor, NULL, load_monitor_thread, self) != 0) {
            zmq_ctx_term(self->zmq_ctx);
            return -1;
        }
        while (!atomic_load(&self->monitor_ready))
            sleep_ms(5);
        sleep_ms(300); /* the subscription reaches the PUB socket */
    }
    int K = self->opt.clients;
    pthread_t *th = calloc((size_t)K, sizeof *th);
    load_client_arg *args = calloc((size_t)K, sizeof *args);
    if (!th || !args)
        rc = -1;
    self->t_start = load_now_ns();
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    self->t_start_wall_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    for (size_t k = 0; rc == 0 && self->opt.rate > 0 && k < self->n_jobs; k++)
        self->jobs[k].t_due = self->t_start + (int64_t)((double)k * 1e9 / self->opt.rate);
    int started = 0;
    for (int i = 0; rc == 0 && i < K; i++) {
        args[i] = (load_client_arg){ self, i, 0 };
        if (pthread_create(&th[i], NULL, load_client_thread, &args[i]) != 0)
            rc = -1;
        else
            started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        if (args[i].rc != 0)
            rc = -1;
    }
    for (size_t k = 0; k < self->n_jobs; k++)
        if (self->jobs[k].t_ack > self->t_last_ack)
            self->t_last_ack = self->jobs[k].t_ack;
    atomic_store(&self->acks_done, true);
    if (monitoring) {
        /* every county of the run published with its final count */
        size_t want = counties_in_run(self);
        int64_t deadline = load_now_ns() + (int64_t)self->opt.timeout_ms * 1000000;
        while (rc == 0 && atomic_load(&self->counties_done) < want && load_now_ns() < deadline)
            sleep_ms(2);
        if (atomic_load(&self->counties_done) < want) {
            fprintf(stderr, "junheng-load: %zu of %zu counties published with their final count\n",
                    atomic_load(&self->counties_done), want);
            rc = -1;
        }
        atomic_store(&self->stop_monitor, true);
        pthread_join(monitor, NULL);
    }
    free(th);
    free(args);
    zmq_ctx_term(self->zmq_ctx);
    self->zmq_ctx = NULL;
    return rc;
}

/* qsort order of int64_t values. */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of sorted v[0..n) (nearest rank), in ms. */
static double quantile_ms(const int64_t *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(q * (double)n + 0.999999);
    if (i > 0)
        i--;
    if (i >= n)
        i = n - 1;
    return (double)v[i] / 1e6;
}

/* Orders a county's accepted jobs by revision (the commit order). */
static const load_run *sort_run;
static int cmp_revision(const void *a, const void *b)
{
    int64_t x = sort_run->jobs[*(const size_t *)a].revision, y = sort_run->jobs[*(const size_t *)b].revision;
    return x < y ? -1 : x > y;
}

/* Commit-to-monitor latencies: in each county the k-th accepted submission
 * (in commit order) is reflected by the first publication of the period
 * that counts k schools submitted (each school submits once per run, so
 * the count rises by one per commit). The commit is marked by the
 * acknowledgement's arrival, which follows it. Returns the number of
 * latencies written to out (sorted); *unmatched gets the rest. */
static size_t publish_latencies(const load_run *self, int64_t *out, size_t *unmatched, size_t *early)
{
    const synth *syn = self->syn;
    size_t n = 0, *start = calloc(syn->n_counties + 1, sizeof *start);
    size_t *idx = malloc((self->n_jobs ? self->n_jobs : 1) * sizeof *idx);
    *unmatched = *early = 0;
    if (!start || !idx) {
        free(start);
        free(idx);
        return 0;
    }
    for (size_t k = 0; k < self->n_jobs; k++)
        if (self->jobs[k].status == JUNHENG__REPLY_STATUS__ACCEPTED)
            start[self->jobs[k].county + 1]++;
    for (size_t c = 0; c < syn->n_counties; c++)
        start[c + 1] += start[c];
    size_t *fill = calloc(syn->n_counties, sizeof *fill);
    for (size_t k = 0; fill && k < self->n_jobs; k++)
        if (self->jobs[k].status == JUNHENG__REPLY_STATUS__ACCEPTED) {
            size_t c = self->jobs[k].county;
            idx[start[c] + fill[c]++] = k;
        }
    sort_run = self;
    for (size_t c = 0; fill && c < syn->n_counties; c++) {
        size_t m = start[c + 1] - start[c];
        if (m == 0)
            continue;
        qsort(idx + start[c], m, sizeof *idx, cmp_revision);
        const load_pub_list *pl = &self->county_pubs[c];
        size_t p = 0;
        for (size_t k = 0; k < m; k++) {
            const load_job *j = &self->jobs[idx[start[c] + k]];
            while (p < pl->n && (pl->pubs[p].period != self->period || pl->pubs[p].submitted < (int32_t)(k + 1)))
                p++;
            if (p == pl->n) {
                (*unmatched)++;
                continue;
            }
            int64_t d = pl->pubs[p].t - j->t_ack;
            if (d < 0) {
                (*early)++;
                d = 0;
            }
            out[n++] = d;
        }
    }
    free(fill);
    free(start);
    free(idx);
    qsort(out, n, sizeof *out, cmp_i64);
    return n;
}

/* Writes one line per job to the trace file: when it was due (or sent), ms
 * after the start; its acknowledgement latency in ms; its county; its
 * revision; when the acknowledgement arrived, Unix ms (0: never). For
 * plotting stalls, and for tests/bench/web_bench's commit -> browser
 * latency. Returns 0 or -1. */
static int write_trace(const load_run *self)
{
    FILE *f = fopen(self->opt.trace_file, "w");
    if (!f)
        return -1;
    fprintf(f, "# due_ms ack_latency_ms county revision ack_wall_ms\n");
    for (size_t k = 0; k < self->n_jobs; k++) {
        const load_job *j = &self->jobs[k];
        int64_t from = j->t_due ? j->t_due : j->t_sent;
        fprintf(f, "%.3f %.3f %s %lld %lld\n", (double)(from - self->t_start) / 1e6,
                j->t_ack ? (double)(j->t_ack - from) / 1e6 : -1.0, self->syn->counties[j->county].info.code,
                (long long)j->revision,
                j->t_ack ? (long long)(self->t_start_wall_ms + (j->t_ack - self->t_start) / 1000000) : 0LL);
    }
    return fclose(f) == 0 ? 0 : -1;
}

void load_run_report(const load_run *self, const char *label, FILE *out)
{
    if (self->opt.trace_file && write_trace(self) != 0)
        fprintf(out, "junheng-load: cannot write %s\n", self->opt.trace_file);
    size_t n = self->n_jobs, counts[8] = { 0 }, retries = 0, answered = 0;
    int64_t *lat = malloc((n ? n : 1) * sizeof *lat);
    int64_t *pub = malloc((n ? n : 1) * sizeof *pub);
    if (!lat || !pub) {
        fprintf(out, "junheng-load: out of memory for the report\n");
        free(lat);
        free(pub);
        return;
    }
    int64_t t_last_sent = self->t_start;
    /* latencies of what was due after the first second, apart: a new
     * school year's first second builds every county state it touches */
    int64_t *warm = malloc((n ? n : 1) * sizeof *warm);
    size_t n_warm = 0;
    for (size_t k = 0; k < n; k++) {
        const load_job *j = &self->jobs[k];
        retries += (size_t)j->retries;
        if (j->t_sent > t_last_sent)
            t_last_sent = j->t_sent;
        if (j->status <= 0 || j->status >= 8)
            continue;
        counts[j->status]++;
        int64_t from = j->t_due ? j->t_due : j->t_sent;
        lat[answered++] = j->t_ack - from;
        if (warm && from >= self->t_start + 1000000000LL)
            warm[n_warm++] = j->t_ack - from;
    }
    qsort(lat, answered, sizeof *lat, cmp_i64);
    if (warm)
        qsort(warm, n_warm, sizeof *warm, cmp_i64);
    size_t unmatched = 0, early = 0;
    size_t np = self->opt.publish_endpoint ? publish_latencies(self, pub, &unmatched, &early) : 0;
    double acks_s = (double)(self->t_last_ack - self->t_start) / 1e9;
    int64_t t_pub = atomic_load(&self->t_all_published);
    int64_t t_end = t_pub > self->t_last_ack ? t_pub : self->t_last_ack;
    double e2e_s = (double)(t_end - self->t_start) / 1e9;
    double sent_s = (double)(t_last_sent - self->t_start) / 1e9;

    fprintf(out, "== %s: %zu submissions, %d clients x %d in flight, %s\n", label, n, self->opt.clients,
            self->opt.window, self->opt.use_curve ? "CURVE" : "plaintext");
    if (self->opt.rate > 0)
        fprintf(out, "   offered %.0f/s, sent at %.0f/s\n", self->opt.rate, sent_s > 0 ? (double)n / sent_s : 0);
    fprintf(out, "   answers: %zu accepted, %zu duplicate, %zu refused, %zu resent after retry-later\n",
            counts[JUNHENG__REPLY_STATUS__ACCEPTED], counts[JUNHENG__REPLY_STATUS__DUPLICATE],
            counts[JUNHENG__REPLY_STATUS__REFUSED], retries);
    fprintf(out, "   all acknowledged in %.3f s (%.0f/s); every county published with its final count after %.3f s "
                 "(%.0f/s)\n",
            acks_s, acks_s > 0 ? (double)n / acks_s : 0, e2e_s, e2e_s > 0 ? (double)n / e2e_s : 0);
    fprintf(out, "   ack latency ms: p50 %.2f  p99 %.2f  max %.2f;  after the first second: p50 %.2f  p99 %.2f\n",
            quantile_ms(lat, answered, 0.5), quantile_ms(lat, answered, 0.99),
            answered ? (double)lat[answered - 1] / 1e6 : 0, quantile_ms(warm, n_warm, 0.5),
            quantile_ms(warm, n_warm, 0.99));
    if (self->opt.publish_endpoint)
        fprintf(out,
                "   commit -> monitor ms: p50 %.2f  p99 %.2f  max %.2f  (%zu matched, %zu unmatched, %zu before "
                "the ack; %zu publications; %zu counties resynced by snapshot after a dropped publication)\n",
                quantile_ms(pub, np, 0.5), quantile_ms(pub, np, 0.99), np ? (double)pub[np - 1] / 1e6 : 0, np,
                unmatched, early, self->publications, self->resynced);
    fprintf(out,
            "RESULT label=%s n=%zu accepted=%zu refused=%zu retries=%zu acks_s=%.3f acks_rate=%.0f e2e_s=%.3f "
            "e2e_rate=%.0f ack_p50_ms=%.3f ack_p99_ms=%.3f ack_max_ms=%.3f pub_p50_ms=%.3f pub_p99_ms=%.3f "
            "pub_max_ms=%.3f pub_matched=%zu publications=%zu ack_warm_p50_ms=%.3f ack_warm_p99_ms=%.3f resynced=%zu\n",
            label, n, counts[JUNHENG__REPLY_STATUS__ACCEPTED], counts[JUNHENG__REPLY_STATUS__REFUSED], retries, acks_s,
            acks_s > 0 ? (double)n / acks_s : 0, e2e_s, e2e_s > 0 ? (double)n / e2e_s : 0,
            quantile_ms(lat, answered, 0.5), quantile_ms(lat, answered, 0.99),
            answered ? (double)lat[answered - 1] / 1e6 : 0, quantile_ms(pub, np, 0.5), quantile_ms(pub, np, 0.99),
            np ? (double)pub[np - 1] / 1e6 : 0, np, self->publications, quantile_ms(warm, n_warm, 0.5),
            quantile_ms(warm, n_warm, 0.99), self->resynced);
    free(warm);
    free(lat);
    free(pub);
}
