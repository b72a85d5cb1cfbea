/* load_main.c -- junheng-load: the load generator's command line.
 *
 *   junheng-load registry OUTDIR        counties.csv and schools-NNN.csv (each under
 *                                       the daemon's 1 MB message limit, whole counties)
 *   junheng-load copy FILE              the run's submission rows in COPY text format
 *                                       (submission_id, school_code, period, payload,
 *                                       warnings): the baseline's input
 *   junheng-load run --submit EP [--publish EP] ...
 *                                       drives the submissions; prints the figures
 *   junheng-load ready --admin EP --since-ns NS
 *                                       pings until the daemon answers; prints the time
 *                                       since NS (CLOCK_REALTIME, `date +%s%N`)
 *
 * Common options: --seed S (20250901), --counties N (2850), --schools N
 * (200000), --period P (2025), --first I (0) and --count N (all schools).
 * CURVE: --key FILE[,FILE...] (.key_secret files, one per client in turn)
 * and --server-key FILE (the daemon's .key), or JUNHENG_KEY and
 * JUNHENG_SERVER_KEY as for wire_probe; without them, plaintext.
 * See --help and docs/benchmarks.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "load.h"
#include "wire.h"

typedef struct {
    const char *key_files;
    const char *server_key_file;
    uint64_t seed;
    size_t counties, schools, first, count;
    int32_t period;
    const char *label;
    const char *admin_endpoint;
    long long since_ns;
    load_options opt;
} cli;

/* Prints the usage text to out. */
static void usage(FILE *out)
{
    fputs("Usage: junheng-load MODE [OPTIONS]\n"
          "\n"
          "Modes:\n"
          "  registry OUTDIR     write counties.csv and schools-NNN.csv of the synthetic registry\n"
          "  copy FILE           write the run's submission rows as COPY text (the baseline)\n"
          "  run                 send the run's submissions and report throughput and latencies\n"
          "  ready               ping --admin until the daemon answers; report ms since --since-ns\n"
          "\n"
          "Registry and submissions (deterministic):\n"
          "  --seed S            seed (default 20250901)\n"
          "  --counties N        counties (default 2850)\n"
          "  --schools N         schools (default 200000)\n"
          "  --period P          school year of the submissions (default 2025)\n"
          "  --first I --count N the schools of this run (default all, in a shuffled order)\n"
          "\n"
          "run:\n"
          "  --submit EP         the daemon's submit endpoint (required)\n"
          "  --publish EP        its publish endpoint: measure commit -> monitor latency\n"
          "  --snapshot EP       its snapshot endpoint: a county whose final publication the PUB\n"
          "                      dropped (a slow monitor) is read there, as a monitor resyncs\n"
          "  --clients K         concurrent clients, one DEALER socket each (default 4)\n"
          "  --window W          requests in flight per client (default 64)\n"
          "  --rate R            offered submissions/s (open loop); 0 = as fast as acks (default 0)\n"
          "  --timeout-ms T      give up after T ms without progress (default 60000)\n"
          "  --label L           name of the run in the RESULT line (default run)\n"
          "  --trace FILE        one line per submission: due ms, ack latency ms, county, revision,\n"
          "                      ack time (Unix ms)\n"
          "\n"
          "CURVE (run, ready):\n"
          "  --key FILE[,FILE..] secret key files (junheng keygen); client i uses file i mod n, the\n"
          "                      monitor the first. Keys that submit for many schools are admin\n"
          "                      keys (junheng admin set-key admin NAME FILE.key). Default $JUNHENG_KEY\n"
          "  --server-key FILE   the daemon's public key file. Default $JUNHENG_SERVER_KEY\n"
          "                      Without keys: plaintext (a daemon with allow_plaintext yes)\n"
          "\n"
          "ready:\n"
          "  --admin EP --since-ns NS [--timeout-ms T]\n",
          out);
}

/* Parses an unsigned decimal; -1 when malformed. */
static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

/* Reads the options after the mode; positional arguments go to *pos.
 * Returns 0 or -1 after printing why. */
static int parse_cli(int argc, char **argv, cli *c, const char **pos)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n = 0;
        if (a[0] != '-') {
            if (*pos) {
                fprintf(stderr, "junheng-load: unexpected argument '%s'\n", a);
                return -1;
            }
            *pos = a;
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (!v) {
            fprintf(stderr, "junheng-load: %s needs a value\n", a);
            return -1;
        }
        i++;
        int bad = 0;
        if (strcmp(a, "--seed") == 0)
            bad = parse_size(v, &n) || ((c->seed = n), 0);
        else if (strcmp(a, "--counties") == 0)
            bad = parse_size(v, &c->counties);
        else if (strcmp(a, "--schools") == 0)
            bad = parse_size(v, &c->schools);
        else if (strcmp(a, "--first") == 0)
            bad = parse_size(v, &c->first);
        else if (strcmp(a, "--count") == 0)
            bad = parse_size(v, &c->count);
        else if (strcmp(a, "--period") == 0)
            bad = parse_size(v, &n) || n < 2000 || n > 2100 || ((c->period = (int32_t)n), 0);
        else if (strcmp(a, "--submit") == 0)
            c->opt.submit_endpoint = v;
        else if (strcmp(a, "--publish") == 0)
            c->opt.publish_endpoint = v;
        else if (strcmp(a, "--snapshot") == 0)
            c->opt.snapshot_endpoint = v;
        else if (strcmp(a, "--admin") == 0)
            c->admin_endpoint = v;
        else if (strcmp(a, "--label") == 0)
            c->label = v;
        else if (strcmp(a, "--trace") == 0)
            c->opt.trace_file = v;
        else if (strcmp(a, "--clients") == 0)
            bad = parse_size(v, &n) || n < 1 || n > 256 || ((c->opt.clients = (int)n), 0);
        else if (strcmp(a, "--window") == 0)
            bad = parse_size(v, &n) || n < 1 || n > 100000 || ((c->opt.window = (int)n), 0);
        else if (strcmp(a, "--rate") == 0)
            bad = parse_size(v, &n) || ((c->opt.rate = (double)n), 0);
        else if (strcmp(a, "--timeout-ms") == 0)
            bad = parse_size(v, &n) || n < 1 || n > 3600000 || ((c->opt.timeout_ms = (int)n), 0);
        else if (strcmp(a, "--since-ns") == 0)
            bad = parse_size(v, &n) || ((c->since_ns = (long long)n), 0);
        else if (strcmp(a, "--key") == 0)
            c->key_files = v;
        else if (strcmp(a, "--server-key") == 0)
            c->server_key_file = v;
        else {
            fprintf(stderr, "junheng-load: unknown option %s (see --help)\n", a);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "junheng-load: bad value for %s: '%s'\n", a, v);
            return -1;
        }
    }
    return 0;
}

/* Reads the CURVE keys named by --key/--server-key (or the environment)
 * into the options. Returns 0 (no keys: plaintext) or -1 after printing why. */
static int load_keys(cli *c)
{
    const char *list = c->key_files ? c->key_files : getenv("JUNHENG_KEY");
    const char *server = c->server_key_file ? c->server_key_file : getenv("JUNHENG_SERVER_KEY");
    if (!list || !*list) {
        if (server && *server && c->server_key_file) {
            fprintf(stderr, "junheng-load: --server-key needs --key too\n");
            return -1;
        }
        return 0;
    }
    if (!server || !*server) {
        fprintf(stderr, "junheng-load: --key needs --server-key (the daemon's .key file)\n");
        return -1;
    }
    char err[512], path[4096];
    keypair srv;
    if (keyfile_read(server, false, &srv, err, sizeof err) != 0) {
        fprintf(stderr, "junheng-load: %s\n", err);
        return -1;
    }
    memcpy(c->opt.server_public, srv.public_key, sizeof c->opt.server_public);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        if (n >= sizeof path || c->opt.n_keys == LOAD_MAX_KEYS) {
            fprintf(stderr, "junheng-load: --key: at most %d files of at most %zu bytes each\n", LOAD_MAX_KEYS,
                    sizeof path - 1);
            return -1;
        }
        memcpy(path, p, n);
        path[n] = '\0';
        if (keyfile_read(path, true, &c->opt.keys[c->opt.n_keys], err, sizeof err) != 0) {
            fprintf(stderr, "junheng-load: %s\n", err);
            return -1;
        }
        c->opt.n_keys++;
        p += n + (p[n] == ',');
    }
    c->opt.use_curve = true;
    return 0;
}

/* registry OUTDIR: the county list and the schools in files of whole
 * counties, each under 900 kB (the daemon takes messages up to 1 MB). */
static int mode_registry(const synth *syn, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/counties.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f || synth_write_counties(syn, f) != 0 || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    size_t files = 0;
    for (size_t c = 0; c < syn->n_counties;) {
        /* about 70 bytes a school row; 800 kB leaves room */
        size_t n = 0, rows = 0;
        while (c + n < syn->n_counties && (rows + syn->counties[c + n].n_schools) * 80 < 800000) {
            rows += syn->counties[c + n].n_schools;
            n++;
        }
        if (n == 0)
            n = 1;
        snprintf(path, sizeof path, "%s/schools-%03zu.csv", dir, ++files);
        f = fopen(path, "w");
        if (!f || synth_write_schools(syn, c, n, f) != 0 || fclose(f) != 0) {
            perror(path);
            return 1;
        }
        c += n;
    }
    printf("%zu counties, %zu schools in %zu files under %s\n", syn->n_counties, syn->n_schools, files, dir);
    return 0;
}

/* copy FILE: the same rows the daemon stores, in COPY text format. */
static int mode_copy(const synth *syn, const cli *c, const char *file)
{
    FILE *f = fopen(file, "w");
    if (!f) {
        perror(file);
        return 1;
    }
    static const char HEX[] = "0123456789abcdef";
    int rc = 0;
    for (size_t k = c->first; k < c->first + c->count && rc == 0; k++) {
        submission sub;
        uint8_t *payload = NULL;
        size_t len = 0;
        if (synth_submission(syn, k, c->period, 0, &sub) != 0) {
            rc = 1;
            break;
        }
        wire_uuid_new(sub.submission_id);
        if (wire_submission_pack(&sub, &payload, &len) != 0)
            rc = 1;
        fprintf(f, "%s\t%s\t%d\t\\\\x", sub.submission_id, sub.school_code, (int)sub.period);
        for (size_t b = 0; rc == 0 && b < len; b++) {
            fputc(HEX[payload[b] >> 4], f);
            fputc(HEX[payload[b] & 15], f);
        }
        fputs("\t[]\n", f);
        free(payload);
        submission_clear(&sub);
    }
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "junheng-load: cannot write %s\n", file);
        return 1;
    }
    return 0;
}

/* ready: pings the admin socket until the daemon answers OK. */
static int mode_ready(const cli *c)
{
    if (!c->admin_endpoint || !c->since_ns) {
        fprintf(stderr, "junheng-load ready: --admin and --since-ns are required\n");
        return 2;
    }
    void *ctx = zmq_ctx_new();
    int rc = 1;
    int64_t deadline = load_now_ns() + (int64_t)c->opt.timeout_ms * 1000000;
    while (ctx && rc != 0 && load_now_ns() < deadline) {
        void *s = load_socket(ctx, ZMQ_DEALER, c->admin_endpoint, &c->opt, 0);
        uint8_t rid[WIRE_REQUEST_ID_LEN], *msg = NULL;
        size_t len = 0;
        if (!s || wire_request_id_new(rid) != 0 || wire_envelope_pack_admin(rid, "ping", NULL, 0, NULL, 0, &msg, &len))
            break;
        zmq_send(s, msg, len, 0);
        free(msg);
        zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 50) > 0) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, s, 0) >= 0) {
                Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
                if (r && r->status == JUNHENG__REPLY_STATUS__OK)
                    rc = 0;
                if (r)
                    junheng__reply__free_unpacked(r, NULL);
            }
            zmq_msg_close(&m);
        }
        zmq_close(s);
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    if (rc == 0)
        printf("RESULT label=ready ready_ms=%.1f\n", (double)(now - c->since_ns) / 1e6);
    else
        fprintf(stderr, "junheng-load ready: no answer from %s\n", c->admin_endpoint);
    if (ctx)
        zmq_ctx_term(ctx);
    return rc;
}

/* run: the load itself. */
static int mode_run(const synth *syn, cli *c)
{
    if (!c->opt.submit_endpoint) {
        fprintf(stderr, "junheng-load run: --submit is required\n");
        return 2;
    }
    load_run run;
    if (load_run_init(&run, syn, &c->opt, c->period, c->first, c->count) != 0) {
        fprintf(stderr, "junheng-load: out of memory building the submissions\n");
        load_run_free(&run);
        return 1;
    }
    int rc = load_run_go(&run);
    load_run_report(&run, c->label, stdout);
    load_run_free(&run);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *mode = argv[1], *pos = NULL;
    cli c = { .seed = 20250901, .counties = 2850, .schools = 200000, .period = 2025, .label = "run",
              .count = (size_t)-1,
              .opt = { .clients = 4, .window = 64, .timeout_ms = 60000 } };
    if (parse_cli(argc, argv, &c, &pos) != 0)
        return 2;
    if ((strcmp(mode, "run") == 0 || strcmp(mode, "ready") == 0) && load_keys(&c) != 0)
        return 2;
    if (strcmp(mode, "ready") == 0)
        return mode_ready(&c);
    synth *syn = synth_new(c.seed, c.counties, c.schools);
    if (!syn) {
        fprintf(stderr, "junheng-load: cannot build %zu schools over %zu counties\n", c.schools, c.counties);
        return 1;
    }
    if (c.first > syn->n_schools)
        c.first = syn->n_schools;
    if (c.count > syn->n_schools - c.first)
        c.count = syn->n_schools - c.first;
    int rc = 2;
    if (strcmp(mode, "registry") == 0 && pos)
        rc = mode_registry(syn, pos);
    else if (strcmp(mode, "copy") == 0 && pos)
        rc = mode_copy(syn, &c, pos);
    else if (strcmp(mode, "run") == 0 && !pos)
        rc = mode_run(syn, &c);
    else
        usage(stderr);
    synth_destroy(&syn);
    return rc;
}
