/* load_net.c -- junheng-load's sockets: the client threads (DEALER, W
 * requests in flight each) and the monitor thread (SUB to every county).
 * See load.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "hashmap.h"
#include "load.h"
#include "wire.h"

int64_t load_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Creates a socket of `type` connected to endpoint; a CURVE client with key
 * number `key` when the options say so. Returns the socket (caller closes)
 * or NULL. */
void *load_socket(void *ctx, int type, const char *endpoint, const load_options *opt, size_t key)
{
    void *s = zmq_socket(ctx, type);
    if (!s) {
        fprintf(stderr, "junheng-load: zmq_socket: %s\n", zmq_strerror(zmq_errno()));
        return NULL;
    }
    int linger = 0, ivl = 10, hwm = 0;
    int64_t maxmsg = -1;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    const keypair *kp = opt->n_keys ? &opt->keys[key % opt->n_keys] : NULL;
    if (opt->use_curve &&
        (!kp || zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, opt->server_public, KEY_Z85_LEN) != 0 ||
         zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, kp->public_key, KEY_Z85_LEN) != 0 ||
         zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, kp->secret_key, KEY_Z85_LEN) != 0)) {
        fprintf(stderr, "junheng-load: CURVE keys refused: %s\n", zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    if (type == ZMQ_SUB)
        zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect(s, endpoint) != 0) {
        fprintf(stderr, "junheng-load: connect %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* The job number a request id starts with (little-endian 64 bits). */
static uint64_t job_of(const uint8_t *rid)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | rid[i];
    return v;
}

/* A job to resend after RETRY_LATER, no sooner than `at`. */
typedef struct {
    size_t job;
    int64_t at;
} resend;

/* Reads every reply waiting on s; records each answer. Returns the number of
 * jobs finished, or -1 for a reply that names no job of this thread. */
static long drain_replies(load_client_arg *a, void *s, size_t *in_flight, resend *queue, size_t *n_queue)
{
    load_run *run = a->run;
    long finished = 0;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return errno == EAGAIN || zmq_errno() == EAGAIN ? finished : -1;
        }
        int64_t now = load_now_ns();
        Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
        zmq_msg_close(&m);
        if (!r || !r->has_request_id || r->request_id.len != WIRE_REQUEST_ID_LEN) {
            fprintf(stderr, "junheng-load: a reply without a request id (status %s)\n",
                    r ? wire_reply_status_name(r->status) : "undecodable");
            if (r)
                junheng__reply__free_unpacked(r, NULL);
            continue;
        }
        uint64_t k = job_of(r->request_id.data);
        if (k >= run->n_jobs || k % (uint64_t)run->opt.clients != (uint64_t)a->index) {
            junheng__reply__free_unpacked(r, NULL);
            return -1;
        }
        load_job *j = &run->jobs[k];
        (*in_flight)--;
        if (r->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
            /* the daemon could not take it now (its database, or too many
             * in flight): send the same submission again shortly */
            j->retries++;
            queue[(*n_queue)++] = (resend){ (size_t)k, now + 20 * 1000000LL };
        } else {
            j->t_ack = now;
            j->status = r->status;
            j->revision = r->revision;
            if (r->status != JUNHENG__REPLY_STATUS__ACCEPTED && r->status != JUNHENG__REPLY_STATUS__DUPLICATE &&
                j->retries == 0 && r->n_errors > 0)
                fprintf(stderr, "junheng-load: job %llu %s: %s: %s\n", (unsigned long long)k,
                        wire_reply_status_name(r->status), r->errors[0]->field, r->errors[0]->reason);
            finished++;
            atomic_fetch_add(&run->answered, 1);
        }
        junheng__reply__free_unpacked(r, NULL);
    }
}

/* Sends one job's envelope (never blocks: the socket has no send limit). */
static int send_job(void *s, load_job *j, int64_t now)
{
    if (zmq_send(s, j->msg, j->msg_len, ZMQ_DONTWAIT) < 0)
        return -1;
    if (!j->t_sent)
        j->t_sent = now;
    return 0;
}

void *load_client_thread(void *arg)
{
    load_client_arg *a = arg;
    load_run *run = a->run;
    const size_t K = (size_t)run->opt.clients, W = (size_t)run->opt.window;
    a->rc = -1;
    void *s = load_socket(run->zmq_ctx, ZMQ_DEALER, run->opt.submit_endpoint, &run->opt, (size_t)a->index);
    if (!s)
        return NULL;
    size_t mine = run->n_jobs > (size_t)a->index ? (run->n_jobs - (size_t)a->index + K - 1) / K : 0;
    size_t next = (size_t)a->index, done = 0, in_flight = 0, n_queue = 0;
    resend *queue = calloc(W + 1, sizeof *queue);
    int64_t last_progress = load_now_ns();
    while (queue && done < mine) {
        int64_t now = load_now_ns();
        for (size_t q = 0; q < n_queue && in_flight < W;) {
            if (queue[q].at > now) {
                q++;
                continue;
            }
            if (send_job(s, &run->jobs[queue[q].job], now) != 0)
                goto out;
            in_flight++;
            queue[q] = queue[--n_queue];
        }
        while (next < run->n_jobs && in_flight + n_queue < W) {
            load_job *j = &run->jobs[next];
            if (j->t_due > now)
                break;
            if (send_job(s, j, now) != 0)
                goto out;
            in_flight++;
            next += K;
        }
        long wait_ms = 100;
        if (next < run->n_jobs && in_flight + n_queue < W) {
            int64_t due = run->jobs[next].t_due - now;
            wait_ms = due <= 0 ? 0 : due / 1000000 + (due % 1000000 ? 1 : 0);
        }
        if (n_queue > 0 && wait_ms > 20)
            wait_ms = 20;
        zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, wait_ms > 100 ? 100 : wait_ms) < 0 && zmq_errno() != EINTR)
            goto out;
        if (it.revents & ZMQ_POLLIN) {
            long n = drain_replies(a, s, &in_flight, queue, &n_queue);
            if (n < 0)
                goto out;
            if (n > 0) {
                done += (size_t)n;
                last_progress = load_now_ns();
            }
        }
        if (in_flight > 0 && load_now_ns() - last_progress > (int64_t)run->opt.timeout_ms * 1000000) {
            fprintf(stderr, "junheng-load: client %d: no answer for %d ms (%zu in flight, %zu of %zu done)\n",
                    a->index, run->opt.timeout_ms, in_flight, done, mine);
            goto out;
        }
    }
    a->rc = queue ? 0 : -1;
out:
    free(queue);
    zmq_close(s);
    return NULL;
}

/* Appends one publication to a county's list. Returns 0 or -1 (OOM). */
static int pub_append(load_pub_list *l, const load_pub *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        load_pub *np = realloc(l->pubs, cap * sizeof *np);
        if (!np)
            return -1;
        l->pubs = np;
        l->cap = cap;
    }
    l->pubs[l->n++] = *p;
    return 0;
}

/* The value of coverage.schools_submitted in a status JSON text, or -1. */
static int32_t submitted_count(const char *json, size_t len)
{
    static const char KEY[] = "\"schools_submitted\":";
    const char *p = memmem(json, len, KEY, sizeof KEY - 1);
    if (!p)
        return -1;
    return (int32_t)strtol(p + sizeof KEY - 1, NULL, 10);
}

/* Marks county c done when its count has reached the run's final one. */
static void county_reached(load_run *run, bool *done, size_t c, int32_t period, int32_t submitted, int64_t t)
{
    if (period == run->period && run->expected[c] > 0 && !done[c] && submitted >= (int32_t)run->expected[c]) {
        done[c] = true;
        atomic_store(&run->t_all_published, (long long)t);
        atomic_fetch_add(&run->counties_done, 1);
    }
}

/* Handles one [county code][CountyStatusUpdate] publication. */
static void on_publication(load_run *run, hashmap *index, zmq_msg_t *topic, zmq_msg_t *body, bool *done,
                           uint64_t *last_seq, bool *stale, bool *any_stale)
{
    int64_t t = load_now_ns();
    run->publications++;
    char code[COUNTY_CODE_LEN + 1] = "";
    size_t tl = zmq_msg_size(topic);
    if (tl == COUNTY_CODE_LEN)
        memcpy(code, zmq_msg_data(topic), tl);
    void *hit = code[0] ? hashmap_get(index, code) : NULL;
    if (!hit && tl == COUNTY_CODE_LEN && memcmp(code + 4, "00", 2) == 0) {
        /* a city's heartbeat: a county whose sequence is past the last
         * publication seen lost one (the PUB dropped it) */
        Junheng__Heartbeat *hb = junheng__heartbeat__unpack(NULL, zmq_msg_size(body), zmq_msg_data(body));
        for (size_t k = 0; hb && k < hb->n_counties; k++) {
            const Junheng__CountySeq *cs = hb->counties[k];
            void *h = cs->county_code ? hashmap_get(index, cs->county_code) : NULL;
            size_t c = h ? (size_t)((uintptr_t)h - 1) : 0;
            if (h && cs->seq > last_seq[c] && run->expected[c] > 0 && !done[c]) {
                stale[c] = true;
                *any_stale = true;
            }
        }
        if (hb)
            junheng__heartbeat__free_unpacked(hb, NULL);
        return;
    }
    if (!hit) {
        run->unknown_publications++;
        return;
    }
    size_t c = (size_t)((uintptr_t)hit - 1);
    Junheng__CountyStatusUpdate *up =
        junheng__county_status_update__unpack(NULL, zmq_msg_size(body), zmq_msg_data(body));
    if (!up)
        return;
    load_pub p = { t, up->has_period ? up->period : 0,
                   up->status_json ? submitted_count(up->status_json, strlen(up->status_json)) : -1 };
    if (up->has_seq && up->seq > last_seq[c])
        last_seq[c] = up->seq;
    junheng__county_status_update__free_unpacked(up, NULL);
    if (pub_append(&run->county_pubs[c], &p) != 0)
        return;
    county_reached(run, done, c, p.period, p.submitted, t);
}

/* The counties still short of their final count once every job is answered
 * and nothing has arrived for a while: the PUB dropped their last
 * publication (a slow subscriber loses messages at the high-water mark), so,
 * as a monitor does after a gap, ask the snapshot socket for their current
 * status (stale: only the counties flagged there, whose flags are cleared;
 * NULL: every county short of its count). Returns how many were resynced. */
static size_t resync_stragglers(load_run *run, bool *done, bool *stale)
{
    const synth *syn = run->syn;
    void *s = load_socket(run->zmq_ctx, ZMQ_DEALER, run->opt.snapshot_endpoint, &run->opt, 0);
    if (!s)
        return 0;
    size_t n = 0;
    for (size_t c = 0; c < syn->n_counties; c++) {
        if (run->expected[c] == 0 || done[c] || (stale && !stale[c]))
            continue;
        if (stale)
            stale[c] = false;
        uint8_t rid[WIRE_REQUEST_ID_LEN], *msg = NULL;
        size_t len = 0;
        if (wire_request_id_new(rid) != 0 ||
            wire_envelope_pack_status_query(rid, syn->counties[c].info.code, run->period, 0, &msg, &len) != 0)
            break;
        zmq_send(s, msg, len, 0);
        free(msg);
        zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 5000) <= 0)
            break;
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s, 0) >= 0) {
            Junheng__Reply *r = junheng__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
            if (r && r->status == JUNHENG__REPLY_STATUS__OK && r->body) {
                size_t before = atomic_load(&run->counties_done);
                county_reached(run, done, c, run->period, submitted_count(r->body, strlen(r->body)), load_now_ns());
                n += atomic_load(&run->counties_done) - before;
            }
            if (r)
                junheng__reply__free_unpacked(r, NULL);
        }
        zmq_msg_close(&m);
    }
    zmq_close(s);
    return n;
}

void *load_monitor_thread(void *arg)
{
    load_run *run = arg;
    const synth *syn = run->syn;
    hashmap *index = hashmap_new(NULL);
    bool *done = calloc(syn->n_counties, sizeof *done);
    bool *stale = calloc(syn->n_counties, sizeof *stale);
    uint64_t *last_seq = calloc(syn->n_counties, sizeof *last_seq);
    bool any_stale = false;
    void *s = index && done && stale && last_seq ? load_socket(run->zmq_ctx, ZMQ_SUB, run->opt.publish_endpoint, &run->opt, 0) : NULL;
    for (size_t c = 0; s && c < syn->n_counties; c++)
        if (hashmap_put(index, syn->counties[c].info.code, (void *)(uintptr_t)(c + 1)) != 0) {
            zmq_close(s);
            s = NULL;
        }
    atomic_store(&run->monitor_ready, true);
    size_t want = 0;
    for (size_t c = 0; c < syn->n_counties; c++)
        want += run->expected[c] > 0;
    /* progress: when a county last reached its final count */
    int64_t quiet_since = load_now_ns();
    size_t done_seen = 0;
    while (s && !atomic_load(&run->stop_monitor)) {
        size_t done_now = atomic_load(&run->counties_done);
        if (done_now != done_seen) {
            done_seen = done_now;
            quiet_since = load_now_ns();
        }
        /* 3 s without a county reaching its final count after the last
         * answer (heartbeats keep arriving, so silence is not the sign) */
        if (run->opt.snapshot_endpoint && atomic_load(&run->acks_done) && done_now < want &&
            load_now_ns() - quiet_since > 3000000000LL) {
            run->resynced += resync_stragglers(run, done, NULL);
            quiet_since = load_now_ns();
        }
        /* a gap named by a heartbeat, once every job is answered (a query
         * cuts the daemon's coalescing short: not while it is measured) */
        if (any_stale && run->opt.snapshot_endpoint && atomic_load(&run->acks_done)) {
            any_stale = false;
            run->resynced += resync_stragglers(run, done, stale);
        }
        zmq_pollitem_t it = { s, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&it, 1, 50) <= 0)
            continue;
        for (;;) {
            /* one whole message: [county code][update]; anything else
             * (heartbeats, other shapes) is read whole and skipped */
            zmq_msg_t parts[2];
            int n = 0, more = 1, shape_ok = 1, empty = 0;
            while (more) {
                zmq_msg_t m;
                zmq_msg_init(&m);
                if (zmq_msg_recv(&m, s, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
                    zmq_msg_close(&m);
                    empty = n == 0;
                    shape_ok = 0;
                    break;
                }
                more = zmq_msg_more(&m);
                if (n < 2)
                    parts[n++] = m;
                else {
                    zmq_msg_close(&m);
                    shape_ok = 0;
                }
            }
            if (shape_ok && n == 2)
                on_publication(run, index, &parts[0], &parts[1], done, last_seq, stale, &any_stale);
            for (int i = 0; i < n; i++)
                zmq_msg_close(&parts[i]);
            if (empty)
                break;
        }
    }
    if (s)
        zmq_close(s);
    hashmap_destroy(&index);
    free(done);
    free(stale);
    free(last_seq);
    return NULL;
}
