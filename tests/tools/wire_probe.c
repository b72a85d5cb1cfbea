/* wire_probe.c -- a test peer that speaks junheng's wire protocol directly,
 * for what the real client never does: resend a fixed submission id, send
 * garbage, multi-frame, empty or oversized messages, and drive a bounded
 * load while recording exactly which submissions were acknowledged.
 *
 *   wire_probe submit EP CSV ROW SUBMISSION_ID      one row, fixed id; prints "STATUS REVISION"
 *   wire_probe garbage EP                           random bytes; prints the reply status or "no-reply"
 *   wire_probe frames EP N                          one message of N frames
 *   wire_probe empty EP                             one empty frame
 *   wire_probe oversize EP BYTES                    one frame of BYTES bytes
 *   wire_probe load EP CSV COUNT WINDOW ACKFILE      COUNT submissions cycling over the CSV rows,
 *                                                   new ids; ACKFILE gets "id revision status" per ack
 *   wire_probe truncated EP CSV                     a valid submission envelope cut in half
 *   wire_probe raw ipc://PATH BYTES                 connects a plain Unix socket (no ZMTP, no CURVE),
 *                                                   writes BYTES random bytes, closes; prints "sent N"
 *   wire_probe twice EP CSV ROW GOFILE              sends ROW (new id) and prints the reply; waits
 *                                                   (up to 20 s) until GOFILE exists; sends it again
 *                                                   (new id) on the same connection; prints the reply
 *   wire_probe subscribe EP TOPIC MS                subscribes to TOPIC for MS ms; prints each topic
 *                                                   received, one per line
 *   wire_probe view EP COUNTY VIEW                  one StatusQuery of COUNTY with view VIEW (any text,
 *                                                   unchecked); prints the reply as submit does
 *   wire_probe county EP COUNTY PERIOD ID ROWS       one CountyInputs message (submission id ID) whose
 *                                                   rows are the lines "item|field|value|evidence" of
 *                                                   the file ROWS, sent as written (unchecked: the
 *                                                   daemon's checks are under test); prints the reply
 *   wire_probe flood EP CSV ROW COUNT WINDOW         COUNT submissions of one row (new ids), WINDOW in
 *                                                   flight, never backing off; prints
 *                                                   "accepted N retry-later M other K"
 *
 * CURVE: with JUNHENG_KEY (a .key_secret file) and JUNHENG_SERVER_KEY (the
 * daemon's .key) in the environment the probe is a CURVE client with those
 * keys, as the junheng client is; without them it speaks plaintext.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <zmq.h>

#include "keyfile_io.h"
#include "submission_csv.h"
#include "wire.h"

/* Makes s a CURVE client when JUNHENG_KEY and JUNHENG_SERVER_KEY are set. */
static void secure(void *s)
{
    const char *mine = getenv("JUNHENG_KEY"), *theirs = getenv("JUNHENG_SERVER_KEY");
    if (!mine || !*mine || !theirs || !*theirs)
        return;
    keypair me, server;
    char err[512];
    if (keyfile_read(mine, true, &me, err, sizeof err) != 0 || keyfile_read(theirs, false, &server, err, sizeof err) != 0) {
        fprintf(stderr, "wire_probe: %s\n", err);
        exit(2);
    }
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, server.public_key, KEY_Z85_LEN);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, me.public_key, KEY_Z85_LEN);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, me.secret_key, KEY_Z85_LEN);
}

static void *dealer(void *ctx, const char *ep)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0, sndtimeo = 2000; /* a refused handshake leaves nothing to send to */
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &sndtimeo, sizeof sndtimeo);
    secure(s);
    if (zmq_connect(s, ep) != 0) {
        fprintf(stderr, "connect %s: %s\n", ep, zmq_strerror(zmq_errno()));
        exit(2);
    }
    return s;
}

/* Waits up to ms for one reply; prints its status; returns it (or NULL). */
static Junheng__Reply *await_reply(void *s, int ms)
{
    zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
    if (zmq_poll(&it, 1, ms) <= 0)
        return NULL;
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, s, 0) < 0)
        return NULL;
    Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
    zmq_msg_close(&m);
    return r;
}

static void print_reply(Junheng__Reply *r)
{
    if (!r) {
        puts("no-reply");
        return;
    }
    printf("%s %lld", wire_reply_status_name(r->status), (long long)r->revision);
    for (size_t i = 0; i < r->n_errors; i++)
        printf(" | %s: %s", r->errors[i]->field, r->errors[i]->reason);
    putchar('\n');
    junheng__reply__free_unpacked(r, NULL);
}

static submission_file *load_csv(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char buf[1 << 24];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    submission_file *sf = NULL;
    problem_list errs = { 0 };
    if (submission_file_read(buf, n, &sf, &errs) != 0) {
        fprintf(stderr, "%s: unreadable\n", path);
        exit(2);
    }
    problem_list_clear(&errs);
    return sf;
}

/* Sends one submission; returns 0, or -1 when it could not be sent (no
 * connection: e.g. the handshake was refused). */
static int send_submission(void *s, submission *sub, uint8_t rid[16])
{
    uint8_t *msg;
    size_t len;
    wire_request_id_new(rid);
    if (wire_envelope_pack_submission(rid, sub, &msg, &len) != 0)
        exit(2);
    int rc = zmq_send(s, msg, len, 0);
    free(msg);
    return rc < 0 ? -1 : 0;
}

/* Sends one CountyInputs message built from the "item|field|value|evidence"
 * lines of rows_path, unchecked, and prints the reply. Returns 0 or 2. */
static int run_county(void *s, const char *county, int32_t period, const char *id, const char *rows_path)
{
    FILE *f = fopen(rows_path, "r");
    if (!f) {
        perror(rows_path);
        return 2;
    }
    static char lines[256][1024];
    static Junheng__CountyInputRow rows[256];
    Junheng__CountyInputRow *ptrs[256];
    size_t n = 0;
    while (n < 256 && fgets(lines[n], sizeof lines[n], f)) {
        lines[n][strcspn(lines[n], "\r\n")] = '\0';
        if (!lines[n][0])
            continue;
        char *cells[4] = { lines[n], "", "", "" };
        for (int c = 1; c < 4; c++) {
            char *bar = strchr(cells[c - 1], '|');
            if (!bar)
                break;
            *bar = '\0';
            cells[c] = bar + 1;
        }
        junheng__county_input_row__init(&rows[n]);
        rows[n].item = cells[0];
        rows[n].field = cells[1];
        rows[n].value = cells[2];
        rows[n].evidence = cells[3][0] ? cells[3] : NULL;
        ptrs[n] = &rows[n];
        n++;
    }
    fclose(f);
    Junheng__CountyInputs ci = JUNHENG__COUNTY_INPUTS__INIT;
    ci.submission_id = (char *)id;
    ci.county_code = (char *)county;
    ci.has_period = 1;
    ci.period = period;
    ci.n_rows = n;
    ci.rows = ptrs;
    uint8_t rid[16];
    wire_request_id_new(rid);
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    env.has_version = 1;
    env.version = WIRE_PROTOCOL_VERSION;
    env.has_request_id = 1;
    env.request_id.data = rid;
    env.request_id.len = sizeof rid;
    env.body_case = JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS;
    env.county_inputs = &ci;
    size_t len = junheng__envelope__get_packed_size(&env);
    uint8_t *msg = malloc(len ? len : 1);
    if (!msg)
        return 2;
    junheng__envelope__pack(&env, msg);
    int rc = zmq_send(s, msg, len, 0);
    free(msg);
    if (rc < 0)
        puts("no-reply");
    else
        print_reply(await_reply(s, 5000));
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bounded load: COUNT submissions, WINDOW in flight, each ack recorded. Stops
 * when all are answered or nothing is answered for 5 s (daemon gone). */
static int run_load(void *s, const char *csv, long count, long window, const char *ackfile)
{
    submission_file *sf = load_csv(csv);
    FILE *acks = fopen(ackfile, "w");
    if (!acks || sf->n_rows == 0)
        return 2;
    typedef struct { uint8_t rid[16]; char id[SUBMISSION_ID_LEN + 1]; } sent_t;
    sent_t *sent = calloc((size_t)count, sizeof *sent);
    long next = 0, answered = 0, in_flight = 0;
    int64_t last = now_ms();
    while (answered < count && now_ms() - last < 5000) {
        while (next < count && in_flight < window) {
            submission *sub = &sf->rows[next % (long)sf->n_rows].sub;
            wire_uuid_new(sub->submission_id);
            memcpy(sent[next].id, sub->submission_id, sizeof sent[next].id);
            send_submission(s, sub, sent[next].rid);
            next++;
            in_flight++;
        }
        Junheng__Reply *r = await_reply(s, 200);
        if (!r)
            continue;
        last = now_ms();
        for (long i = 0; i < next; i++)
            if (r->request_id.len == 16 && memcmp(sent[i].rid, r->request_id.data, 16) == 0) {
                fprintf(acks, "%s %lld %s\n", sent[i].id, (long long)r->revision, wire_reply_status_name(r->status));
                fflush(acks);
                break;
            }
        answered++;
        in_flight--;
        junheng__reply__free_unpacked(r, NULL);
    }
    fclose(acks);
    printf("sent %ld answered %ld\n", next, answered);
    free(sent);
    submission_file_destroy(&sf);
    return 0;
}

/* Flood: one row sent COUNT times with new ids, WINDOW in flight, resending
 * nothing; counts the answers. Stops when every one is answered or nothing
 * comes for 5 s. */
static int run_flood(void *s, const char *csv, size_t row, long count, long window)
{
    submission_file *sf = load_csv(csv);
    if (row >= sf->n_rows)
        return 2;
    submission *sub = &sf->rows[row].sub;
    long sent = 0, answered = 0, accepted = 0, retry = 0, other = 0;
    int64_t last = now_ms();
    while (answered < count && now_ms() - last < 5000) {
        while (sent < count && sent - answered < window) {
            uint8_t rid[16];
            wire_uuid_new(sub->submission_id);
            send_submission(s, sub, rid);
            sent++;
        }
        Junheng__Reply *r = await_reply(s, 200);
        if (!r)
            continue;
        last = now_ms();
        answered++;
        if (r->status == JUNHENG__REPLY_STATUS__ACCEPTED)
            accepted++;
        else if (r->status == JUNHENG__REPLY_STATUS__RETRY_LATER)
            retry++;
        else
            other++;
        junheng__reply__free_unpacked(r, NULL);
    }
    printf("accepted %ld retry-later %ld other %ld\n", accepted, retry, other);
    submission_file_destroy(&sf);
    return 0;
}

/* Subscribes to topic for ms milliseconds; prints every topic received. */
static int run_subscribe(void *ctx, const char *ep, const char *topic, long ms)
{
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    int linger = 0;
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    secure(sub);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
    if (zmq_connect(sub, ep) != 0)
        return 2;
    int64_t end = now_ms() + ms;
    while (now_ms() < end) {
        zmq_pollitem_t it = { sub, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 50) <= 0)
            continue;
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sub, 0) >= 0) {
            printf("%.*s\n", (int)zmq_msg_size(&m), (const char *)zmq_msg_data(&m));
            while (zmq_msg_more(&m)) {
                zmq_msg_close(&m);
                zmq_msg_init(&m);
                zmq_msg_recv(&m, sub, 0);
            }
        }
        zmq_msg_close(&m);
        fflush(stdout);
    }
    zmq_close(sub);
    return 0;
}

/* Raw bytes straight into an ipc:// endpoint, below ZeroMQ. */
/* One StatusQuery with a view the client would refuse to send. */
static int run_view(void *s, const char *county, const char *view)
{
    Junheng__StatusQuery q = JUNHENG__STATUS_QUERY__INIT;
    q.county_code = (char *)county;
    q.view = (char *)view;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    wire_request_id_new(rid);
    env.has_version = 1;
    env.version = WIRE_PROTOCOL_VERSION;
    env.has_request_id = 1;
    env.request_id.data = rid;
    env.request_id.len = sizeof rid;
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    size_t len = junheng__envelope__get_packed_size(&env);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return 2;
    junheng__envelope__pack(&env, buf);
    int rc = zmq_send(s, buf, len, 0) < 0 ? 2 : 0;
    free(buf);
    if (rc == 0)
        print_reply(await_reply(s, 5000));
    return rc;
}

static int run_raw(const char *ep, long n)
{
    if (strncmp(ep, "ipc://", 6) != 0)
        return 2;
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", ep + 6);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("raw connect");
        return 2;
    }
    long sent = 0;
    unsigned char buf[4096];
    srand((unsigned)time(NULL));
    while (sent < n) {
        size_t k = (size_t)(n - sent) < sizeof buf ? (size_t)(n - sent) : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = (unsigned char)rand();
        ssize_t w = write(fd, buf, k);
        if (w <= 0)
            break; /* the daemon hung up on us: fine */
        sent += w;
    }
    close(fd);
    printf("sent %ld\n", sent);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: see the comment at the top of wire_probe.c\n");
        return 2;
    }
    void *ctx = zmq_ctx_new();
    if (strcmp(argv[1], "raw") == 0 && argc == 4) {
        signal(SIGPIPE, SIG_IGN);
        zmq_ctx_term(ctx);
        return run_raw(argv[2], atol(argv[3]));
    }
    void *s = strcmp(argv[1], "subscribe") == 0 ? NULL : dealer(ctx, argv[2]);
    const char *mode = argv[1];
    int rc = 0;
    if (strcmp(mode, "submit") == 0 && argc == 6) {
        submission_file *sf = load_csv(argv[3]);
        size_t row = (size_t)atol(argv[4]);
        if (row >= sf->n_rows)
            return 2;
        submission *sub = &sf->rows[row].sub;
        snprintf(sub->submission_id, sizeof sub->submission_id, "%s", argv[5]);
        uint8_t rid[16];
        if (send_submission(s, sub, rid) == 0)
            print_reply(await_reply(s, 5000));
        else
            puts("no-reply");
        submission_file_destroy(&sf);
    } else if (strcmp(mode, "county") == 0 && argc == 7) {
        rc = run_county(s, argv[3], (int32_t)atoi(argv[4]), argv[5], argv[6]);
    } else if (strcmp(mode, "garbage") == 0) {
        unsigned char junk[300];
        srand((unsigned)time(NULL));
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (unsigned char)rand();
        junk[0] = 0x0f; /* field 1 with wire type 7: never valid protobuf */
        zmq_send(s, junk, sizeof junk, 0);
        print_reply(await_reply(s, 3000));
    } else if (strcmp(mode, "frames") == 0 && argc == 4) {
        int n = atoi(argv[3]);
        for (int i = 0; i < n; i++)
            zmq_send(s, "x", 1, i + 1 < n ? ZMQ_SNDMORE : 0);
        print_reply(await_reply(s, 3000));
    } else if (strcmp(mode, "empty") == 0) {
        zmq_send(s, "", 0, 0);
        print_reply(await_reply(s, 3000));
    } else if (strcmp(mode, "oversize") == 0 && argc == 4) {
        size_t n = (size_t)atol(argv[3]);
        char *big = calloc(1, n);
        zmq_send(s, big, n, 0);
        free(big);
        print_reply(await_reply(s, 3000));
    } else if (strcmp(mode, "load") == 0 && argc == 7) {
        rc = run_load(s, argv[3], atol(argv[4]), atol(argv[5]), argv[6]);
    } else if (strcmp(mode, "flood") == 0 && argc == 7) {
        rc = run_flood(s, argv[3], (size_t)atol(argv[4]), atol(argv[5]), atol(argv[6]));
    } else if (strcmp(mode, "view") == 0 && argc == 5) {
        rc = run_view(s, argv[3], argv[4]);
    } else if (strcmp(mode, "subscribe") == 0 && argc == 5) {
        rc = run_subscribe(ctx, argv[2], argv[3], atol(argv[4]));
    } else if (strcmp(mode, "twice") == 0 && argc == 6) {
        submission_file *sf = load_csv(argv[3]);
        size_t row = (size_t)atol(argv[4]);
        if (row >= sf->n_rows)
            return 2;
        submission *sub = &sf->rows[row].sub;
        uint8_t rid[16];
        wire_uuid_new(sub->submission_id);
        send_submission(s, sub, rid);
        print_reply(await_reply(s, 5000));
        fflush(stdout);
        int64_t until = now_ms() + 20000;
        FILE *go = NULL;
        while (!(go = fopen(argv[5], "r")) && now_ms() < until) {
            struct timespec ts = { 0, 20000000 };
            nanosleep(&ts, NULL);
        }
        if (go)
            fclose(go);
        wire_uuid_new(sub->submission_id);
        send_submission(s, sub, rid);
        print_reply(await_reply(s, 5000));
        submission_file_destroy(&sf);
    } else if (strcmp(mode, "truncated") == 0 && argc == 4) {
        submission_file *sf = load_csv(argv[3]);
        uint8_t rid[16], *msg;
        size_t len;
        wire_request_id_new(rid);
        wire_uuid_new(sf->rows[0].sub.submission_id);
        if (wire_envelope_pack_submission(rid, &sf->rows[0].sub, &msg, &len) != 0)
            return 2;
        zmq_send(s, msg, len / 2, 0);
        free(msg);
        print_reply(await_reply(s, 3000));
        submission_file_destroy(&sf);
    } else {
        fprintf(stderr, "wire_probe: bad arguments\n");
        rc = 2;
    }
    if (s)
        zmq_close(s);
    zmq_ctx_term(ctx);
    return rc;
}
