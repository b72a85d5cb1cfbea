/* load.h -- junheng-load: the load generator's shared state.
 *
 * One run drives a list of jobs (one pre-encoded submission each) through K
 * client threads, each a DEALER socket keeping up to W requests in flight,
 * either as fast as acknowledgements come back (closed loop) or on a fixed
 * schedule of R submissions per second (open loop: latency is measured from
 * the scheduled time, so a stalled daemon cannot hide its backlog). A monitor
 * thread subscribes to the daemon's PUB socket and records when each county's
 * status reaches it, and with how many schools submitted.
 *
 * Ownership: load_run owns its jobs and the monitor's records; everything is
 * freed by load_run_free(). Threads only write their own jobs' fields. */
#ifndef JUNHENG_LOAD_H
#define JUNHENG_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "keyfile_io.h"
#include "synth.h"

#define LOAD_MAX_KEYS 256

typedef struct {
    const char *submit_endpoint;
    const char *publish_endpoint;   /* NULL: no monitor */
    const char *snapshot_endpoint;  /* NULL: a county whose final publication was dropped is never resynced */
    int clients;                    /* K */
    int window;                     /* W: requests in flight per client */
    double rate;                    /* offered submissions/s; 0 = closed loop */
    int timeout_ms;                 /* give up when nothing is acknowledged this long */
    const char *trace_file;         /* one line per job: due/sent ms, ack latency ms, county, revision */
    bool use_curve;                 /* CURVE client (else plaintext) */
    char server_public[KEY_Z85_LEN + 1];
    keypair keys[LOAD_MAX_KEYS];    /* client i uses keys[i % n_keys]; the monitor keys[0] */
    size_t n_keys;
} load_options;

/* One submission to send. Times are CLOCK_MONOTONIC nanoseconds. */
typedef struct {
    uint32_t county;                /* index in synth.counties */
    uint8_t *msg;                   /* packed Envelope (owned) */
    uint32_t msg_len;
    int64_t t_due;                  /* when it should go (open loop), else 0 */
    int64_t t_sent;                 /* first send */
    int64_t t_ack;
    int64_t revision;
    int status;                     /* Junheng__ReplyStatus, 0 until answered */
    int retries;
} load_job;

/* One publication seen by the monitor. */
typedef struct {
    int64_t t;                      /* when it arrived */
    int32_t period;
    int32_t submitted;              /* coverage.schools_submitted */
} load_pub;

typedef struct {
    load_pub *pubs;
    size_t n, cap;
} load_pub_list;

typedef struct {
    const synth *syn;
    load_options opt;
    int32_t period;
    load_job *jobs;
    size_t n_jobs;
    uint32_t *expected;             /* per county: jobs of this run (its final count) */
    load_pub_list *county_pubs;     /* per county, in arrival order (monitor thread only) */
    size_t publications;            /* all publications received */
    size_t unknown_publications;    /* for counties outside synth */
    atomic_size_t counties_done;    /* counties whose final count has been published */
    atomic_llong t_all_published;   /* when the last of them arrived */
    atomic_bool stop_monitor;
    atomic_bool monitor_ready;
    atomic_bool acks_done;          /* every job answered: the monitor may resync stragglers */
    size_t resynced;                /* counties whose final count came from a snapshot (monitor thread) */
    atomic_size_t answered;
    int64_t t_start;
    int64_t t_start_wall_ms;        /* t_start on the wall clock (Unix ms): the trace's ack times */
    int64_t t_last_ack;
    void *zmq_ctx;
} load_run;

/* Builds the jobs: one submission of `period` for each school in
 * [first, first + count) of syn, in a shuffled order (seeded), packed as
 * Envelopes whose request id begins with the job number. Returns 0 or -1. */
int load_run_init(load_run *self, const synth *syn, const load_options *opt, int32_t period, size_t first,
                  size_t count);

/* Starts the monitor (when a publish endpoint is set), runs every job to an
 * answer and waits (up to timeout) until every county of the run has been
 * published with its final count. Returns 0, or -1 on a socket error or a
 * timeout (the report then says what is missing). */
int load_run_go(load_run *self);

/* Prints the results: human-readable lines, then one `RESULT key=value ...`
 * line for scripts, tagged with `label`. */
void load_run_report(const load_run *self, const char *label, FILE *out);

/* Frees the jobs and the monitor's records. */
void load_run_free(load_run *self);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t load_now_ns(void);

/* load_net.c: a DEALER/SUB socket connected to endpoint with the run's
 * options: a CURVE client with keys[key % n_keys] when use_curve. NULL after
 * printing why. */
void *load_socket(void *ctx, int type, const char *endpoint, const load_options *opt, size_t key);

/* load_net.c: the client thread's and the monitor thread's bodies. */
void *load_client_thread(void *arg);
void *load_monitor_thread(void *arg);

/* Arguments of one client thread. */
typedef struct {
    load_run *run;
    int index;                      /* 0..clients-1: takes jobs index, index+K, ... */
    int rc;
} load_client_arg;

#endif
