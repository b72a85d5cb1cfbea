/* whatif_bench.c -- the latency of a what-if (docs/whatif.md) through the
 * real daemon, against a plain status query of the same county in the same
 * run (the baseline). Driven by tests/bench/whatif.sh.
 *
 *   whatif_bench prepare --county CODE --schools N --out DIR
 *       DIR/counties.csv and DIR/schools.csv: one synthetic county
 *       (tests/load/synth.h) of N schools, renamed to CODE (school codes
 *       CODE + 4 digits)
 *   whatif_bench submit --submit EP --county CODE --schools N
 *       every school's submission (the same synthetic data), waiting for
 *       each acknowledgement
 *   whatif_bench measure --snapshot EP --admin EP --county CODE --requests R
 *       R status queries, R what-ifs (one school's sports_area_m2 +100) and
 *       R what-ifs with with_schools, one at a time on one connection each,
 *       after 20 of each unmeasured; prints p50 and p99 in ms of each, the
 *       ratios to the status query, and one RESULT line
 *
 * CURVE with JUNHENG_KEY and JUNHENG_SERVER_KEY as for wire_probe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "keyfile_io.h"
#include "synth.h"
#include "wire.h"

#define SEED 20250901u

typedef struct {
    const char *county, *out, *submit, *snapshot, *admin;
    size_t schools, requests;
} args;

/* Monotonic milliseconds. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A DEALER connected to ep, a CURVE client when the key variables are set. */
static void *dealer(void *ctx, const char *ep)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    const char *mine = getenv("JUNHENG_KEY"), *theirs = getenv("JUNHENG_SERVER_KEY");
    if (mine && *mine && theirs && *theirs) {
        keypair me, server;
        char err[512];
        if (keyfile_read(mine, true, &me, err, sizeof err) != 0 ||
            keyfile_read(theirs, false, &server, err, sizeof err) != 0) {
            fprintf(stderr, "whatif_bench: %s\n", err);
            exit(2);
        }
        zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, server.public_key, KEY_Z85_LEN);
        zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, me.public_key, KEY_Z85_LEN);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, me.secret_key, KEY_Z85_LEN);
    }
    if (zmq_connect(s, ep) != 0) {
        fprintf(stderr, "whatif_bench: connect %s: %s\n", ep, zmq_strerror(zmq_errno()));
        exit(2);
    }
    return s;
}

/* Sends msg and waits (10 s at most) for its reply; exits on none or on a refusal. */
static void exchange(void *s, const uint8_t *msg, size_t len, const char *what)
{
    if (zmq_send(s, msg, len, 0) < 0) {
        fprintf(stderr, "whatif_bench: %s not sent\n", what);
        exit(2);
    }
    zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_poll(&it, 1, 10000) <= 0 || zmq_msg_recv(&m, s, 0) < 0) {
        fprintf(stderr, "whatif_bench: no answer to %s\n", what);
        exit(2);
    }
    Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
    zmq_msg_close(&m);
    if (!r || r->status == JUNHENG__REPLY_STATUS__REFUSED || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER ||
        r->status == JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN) {
        fprintf(stderr, "whatif_bench: %s answered %s%s%s\n", what, r ? wire_reply_status_name(r->status) : "garbage",
                r && r->n_errors ? ": " : "", r && r->n_errors ? r->errors[0]->reason : "");
        exit(2);
    }
    junheng__reply__free_unpacked(r, NULL);
}

/* The synthetic county, renamed to a->county with school codes CODE + 4 digits. */
static synth *county_of(const args *a)
{
    synth *syn = a->schools >= 1 && a->schools <= 9999 ? synth_new(SEED, 1, a->schools) : NULL;
    if (!syn) {
        fprintf(stderr, "whatif_bench: --schools 1..9999\n");
        exit(2);
    }
    snprintf(syn->counties[0].info.code, sizeof syn->counties[0].info.code, "%s", a->county);
    for (size_t i = 0; i < syn->n_schools; i++) {
        snprintf(syn->schools[i].county_code, sizeof syn->schools[i].county_code, "%s", a->county);
        snprintf(syn->schools[i].school_code, sizeof syn->schools[i].school_code, "%.6s%04u", a->county, (unsigned)((i + 1) % 10000));
    }
    return syn;
}

static int prepare(const args *a)
{
    synth *syn = county_of(a);
    char path[4096];
    snprintf(path, sizeof path, "%s/counties.csv", a->out);
    FILE *f = fopen(path, "w");
    int rc = f && synth_write_counties(syn, f) == 0 ? 0 : 2;
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/schools.csv", a->out);
    f = rc == 0 ? fopen(path, "w") : NULL;
    rc = f && synth_write_schools(syn, 0, 1, f) == 0 ? 0 : 2;
    if (f)
        fclose(f);
    synth_destroy(&syn);
    return rc;
}

static int submit(void *ctx, const args *a)
{
    synth *syn = county_of(a);
    void *s = dealer(ctx, a->submit);
    for (size_t i = 0; i < syn->n_schools; i++) {
        submission sub;
        uint8_t rid[WIRE_REQUEST_ID_LEN], *msg;
        size_t len;
        if (synth_submission(syn, i, 2025, 0, &sub) != 0 || wire_request_id_new(rid) != 0)
            return 2;
        wire_uuid_new(sub.submission_id);
        if (wire_envelope_pack_submission(rid, &sub, &msg, &len) != 0)
            return 2;
        exchange(s, msg, len, "a submission");
        free(msg);
        submission_clear(&sub);
    }
    zmq_close(s);
    synth_destroy(&syn);
    return 0;
}

/* qsort order of doubles. */
static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Sends msg n times after 20 unmeasured; fills p50 and p99 (ms). */
static void timed(void *s, const uint8_t *msg, size_t len, size_t n, const char *what, double *p50, double *p99)
{
    double *t = malloc(n * sizeof *t);
    if (!t)
        exit(2);
    for (int i = 0; i < 20; i++)
        exchange(s, msg, len, what);
    for (size_t i = 0; i < n; i++) {
        double t0 = now_ms();
        exchange(s, msg, len, what);
        t[i] = now_ms() - t0;
    }
    qsort(t, n, sizeof *t, cmp_double);
    *p50 = t[n / 2];
    *p99 = t[(size_t)((double)(n - 1) * 0.99)];
    free(t);
}

/* Packs a what-if of the county: its first school's sports ground +100 m². */
static int pack_whatif(const char *county, bool with_schools, uint8_t **msg, size_t *len)
{
    char school[16];
    snprintf(school, sizeof school, "%.6s0001", county);
    Junheng__WhatIfChange c = JUNHENG__WHAT_IF_CHANGE__INIT;
    c.school_code = school;
    c.field = "sports_area_m2";
    c.value = "+100";
    Junheng__WhatIfChange *list[1] = { &c };
    Junheng__WhatIfRequest q = JUNHENG__WHAT_IF_REQUEST__INIT;
    q.county_code = (char *)county;
    q.n_changes = 1;
    q.changes = list;
    q.has_with_schools = with_schools;
    q.with_schools = with_schools;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    wire_request_id_new(rid);
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    env.has_version = 1;
    env.version = WIRE_PROTOCOL_VERSION;
    env.has_request_id = 1;
    env.request_id.data = rid;
    env.request_id.len = sizeof rid;
    env.body_case = JUNHENG__ENVELOPE__BODY_WHATIF;
    env.whatif = &q;
    return wire_pack_message(&env.base, msg, len);
}

static int measure(void *ctx, const args *a)
{
    void *snap = dealer(ctx, a->snapshot), *adm = dealer(ctx, a->admin);
    uint8_t rid[WIRE_REQUEST_ID_LEN], *q, *w, *ws;
    size_t ql, wl, wsl;
    wire_request_id_new(rid);
    if (wire_envelope_pack_status_query(rid, a->county, 0, false, &q, &ql) != 0 ||
        pack_whatif(a->county, false, &w, &wl) != 0 || pack_whatif(a->county, true, &ws, &wsl) != 0)
        return 2;
    double s50, s99, w50, w99, x50, x99;
    timed(snap, q, ql, a->requests, "a status query", &s50, &s99);
    timed(adm, w, wl, a->requests, "a what-if", &w50, &w99);
    timed(adm, ws, wsl, a->requests, "a what-if with schools", &x50, &x99);
    printf("county %s, %zu schools, %zu requests each, one at a time:\n", a->county, a->schools, a->requests);
    printf("  status query (baseline)   p50 %7.3f ms   p99 %7.3f ms\n", s50, s99);
    printf("  what-if                   p50 %7.3f ms   p99 %7.3f ms   (%.2fx / %.2fx the status query)\n", w50, w99,
           w50 / s50, w99 / s99);
    printf("  what-if with_schools      p50 %7.3f ms   p99 %7.3f ms   (%.2fx / %.2fx)\n", x50, x99, x50 / s50,
           x99 / s99);
    printf("RESULT schools=%zu status_p50_ms=%.3f status_p99_ms=%.3f whatif_p50_ms=%.3f whatif_p99_ms=%.3f "
           "whatif_schools_p50_ms=%.3f whatif_schools_p99_ms=%.3f\n",
           a->schools, s50, s99, w50, w99, x50, x99);
    free(q);
    free(w);
    free(ws);
    zmq_close(snap);
    zmq_close(adm);
    return 0;
}

int main(int argc, char **argv)
{
    args a = { .requests = 500 };
    if (argc < 2) {
        fprintf(stderr, "usage: whatif_bench prepare|submit|measure OPTIONS (see the source's header)\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--county") == 0)
            a.county = v;
        else if (strcmp(k, "--schools") == 0)
            a.schools = strtoul(v, NULL, 10);
        else if (strcmp(k, "--out") == 0)
            a.out = v;
        else if (strcmp(k, "--submit") == 0)
            a.submit = v;
        else if (strcmp(k, "--snapshot") == 0)
            a.snapshot = v;
        else if (strcmp(k, "--admin") == 0)
            a.admin = v;
        else if (strcmp(k, "--requests") == 0)
            a.requests = strtoul(v, NULL, 10);
        else {
            fprintf(stderr, "whatif_bench: unknown option %s\n", k);
            return 2;
        }
    }
    if (!a.county || strlen(a.county) != 6 || a.requests < 1) {
        fprintf(stderr, "whatif_bench: --county CODE (6 digits) needed\n");
        return 2;
    }
    void *ctx = zmq_ctx_new();
    int rc = 2;
    if (strcmp(argv[1], "prepare") == 0 && a.out)
        rc = prepare(&a);
    else if (strcmp(argv[1], "submit") == 0 && a.submit)
        rc = submit(ctx, &a);
    else if (strcmp(argv[1], "measure") == 0 && a.snapshot && a.admin)
        rc = measure(ctx, &a);
    else
        fprintf(stderr, "whatif_bench: unknown mode or missing option\n");
    zmq_ctx_term(ctx);
    return rc;
}
