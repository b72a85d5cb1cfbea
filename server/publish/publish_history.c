/* publish_history.c -- writes the summary of every publication to
 * county_status_history without the event loop ever waiting for it.
 *
 * The history has a PostgreSQL connection of its own, so its statements
 * neither wait behind group commits and admin requests nor hold them up.
 * Rows are queued as publication rounds produce them; whenever the previous
 * statement's result is in, the oldest queued (up to HISTORY_MAX_STATEMENT)
 * go in one INSERT (sent, not awaited). While the database is away or behind
 * rows wait, up to HISTORY_MAX_QUEUED; beyond that the oldest are dropped and
 * counted (the history is derived
 * data: the submissions it summarises are stored, acknowledged and
 * recomputable). Shutdown waits for what is in flight and stores the rest. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "publish_internal.h"

/* Rows kept while the database is unavailable or behind (~4 kB each). */
#define HISTORY_MAX_QUEUED 5000
/* Rows in one statement: bounds the statement's memory (the rows are copied
 * into its parameters and libpq's buffer) and PostgreSQL's work per
 * statement, which shares the cores with the group commits. */
#define HISTORY_MAX_STATEMENT 500

typedef struct {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    uint64_t seq;
    char computed_at[32];
    char *summary;                 /* owned */
} history_row;

struct publish_history {
    store *db;                     /* the history's own connection */
    history_row *queued;           /* waiting to be sent, oldest first */
    size_t n_queued, cap_queued;
    history_row *sent;             /* in the statement in flight */
    size_t n_sent;
    int64_t next_reconnect_ms;
    uint64_t dropped;              /* rows given up (queue full, or refused) */
    uint64_t stored;               /* rows the database confirmed */
};

/* Frees rows[0..n) (their texts). */
static void rows_free(history_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].summary);
}

/* The history of self, created (and connected) on first use; NULL when out
 * of memory. */
static publish_history *history_get(publisher *self)
{
    if (self->history)
        return self->history;
    publish_history *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->db = store_new(self->cfg->database);
    if (!h->db) {
        free(h);
        return NULL;
    }
    if (!store_is_up(h->db))
        log_warn("database (status history connection): %s", store_last_error(h->db));
    self->history = h;
    return h;
}

/* Reads the outcome of the statement in flight (waiting when wait); its rows
 * are then done with: stored, or -- when the database refused or lost them
 * -- put back at the front of the queue (a connection loss) or dropped (a
 * refusal, which would repeat). */
static void history_collect(publish_history *h, bool wait, int timeout_ms)
{
    if (h->n_sent == 0)
        return;
    int rc = store_append_statuses_collect(h->db);
    /* waiting: at most timeout_ms (a server that stopped answering must not
     * hold up a history query or the shutdown) */
    int64_t deadline = net_now_ms() + (timeout_ms > 0 ? timeout_ms : 30000);
    while (wait && rc == STORE_PENDING) {
        int64_t left = deadline - net_now_ms();
        struct pollfd pfd = { store_socket(h->db), POLLIN, 0 };
        if (left <= 0 || pfd.fd < 0) {
            store_close(h->db, "status history: no answer from PostgreSQL");
            rc = STORE_DOWN;
            break;
        }
        poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        rc = store_append_statuses_collect(h->db);
    }
    if (rc == STORE_PENDING)
        return;
    if (rc == STORE_DOWN && h->n_queued + h->n_sent <= HISTORY_MAX_QUEUED) {
        /* not stored: send them again after the reconnection, first */
        history_row *q = realloc(h->queued, (h->n_queued + h->n_sent) * sizeof *q);
        if (q) {
            memmove(q + h->n_sent, q, h->n_queued * sizeof *q);
            memcpy(q, h->sent, h->n_sent * sizeof *q);
            h->queued = q;
            h->n_queued += h->n_sent;
            h->cap_queued = h->n_queued;
            free(h->sent);
            h->sent = NULL;
            h->n_sent = 0;
            log_warn("status history: %s; its rows are kept to be stored again", store_last_error(h->db));
            return;
        }
    }
    if (rc == STORE_OK)
        h->stored += h->n_sent;
    if (rc != STORE_OK) {
        h->dropped += h->n_sent;
        log_warn("status history: %zu rows not stored: %s", h->n_sent, store_last_error(h->db));
    }
    rows_free(h->sent, h->n_sent);
    free(h->sent);
    h->sent = NULL;
    h->n_sent = 0;
}

/* Sends the oldest queued rows (up to HISTORY_MAX_STATEMENT) in one
 * statement when nothing is in flight. */
static void history_send(publish_history *h, const publisher *self)
{
    if (h->n_sent > 0 || h->n_queued == 0)
        return;
    if (!store_is_up(h->db)) {
        int64_t now = net_now_ms();
        if (now < h->next_reconnect_ms)
            return;
        h->next_reconnect_ms = now + self->cfg->reconnect_ms;
        if (store_reconnect(h->db) != STORE_OK)
            return;
        log_info("status history: database connection restored");
    }
    size_t n = h->n_queued < HISTORY_MAX_STATEMENT ? h->n_queued : HISTORY_MAX_STATEMENT;
    store_status_row *rows = malloc(n * sizeof *rows);
    history_row *sent = malloc(n * sizeof *sent);
    if (!rows || !sent) {
        free(rows);
        free(sent);
        return; /* try again next time */
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = (store_status_row){ h->queued[i].county_code, h->queued[i].period, h->queued[i].seq, self->epoch,
                                      self->rules_version, h->queued[i].computed_at, h->queued[i].summary };
    int rc = store_append_statuses_send(h->db, rows, n);
    free(rows);
    if (rc != STORE_OK) {
        free(sent);
        return; /* kept queued; a lost connection is reopened later */
    }
    memcpy(sent, h->queued, n * sizeof *sent);
    memmove(h->queued, h->queued + n, (h->n_queued - n) * sizeof *h->queued);
    h->n_queued -= n;
    h->sent = sent;
    h->n_sent = n;
}

void publish_history_add(publisher *self, const char *county_code, int32_t period, uint64_t seq,
                         const char *computed_at, char *summary)
{
    publish_history *h = history_get(self);
    if (!h) {
        log_warn("county %s seq %llu not kept in the history: out of memory", county_code, (unsigned long long)seq);
        free(summary);
        return;
    }
    if (h->n_queued >= HISTORY_MAX_QUEUED) {
        /* the database has been away long: the oldest row goes */
        free(h->queued[0].summary);
        memmove(h->queued, h->queued + 1, (h->n_queued - 1) * sizeof *h->queued);
        h->n_queued--;
        if (h->dropped++ % 1000 == 0)
            log_warn("status history: database unavailable, %llu rows dropped so far",
                     (unsigned long long)h->dropped);
    }
    if (h->n_queued == h->cap_queued) {
        size_t cap = h->cap_queued ? h->cap_queued * 2 : 256;
        history_row *q = realloc(h->queued, cap * sizeof *q);
        if (!q) {
            h->dropped++;
            log_warn("county %s seq %llu not kept in the history: out of memory", county_code,
                     (unsigned long long)seq);
            free(summary);
            return;
        }
        h->queued = q;
        h->cap_queued = cap;
    }
    history_row *r = &h->queued[h->n_queued++];
    snprintf(r->county_code, sizeof r->county_code, "%s", county_code);
    r->period = period;
    r->seq = seq;
    snprintf(r->computed_at, sizeof r->computed_at, "%s", computed_at);
    r->summary = summary;
}

void publish_history_flush(publisher *self)
{
    publish_history *h = self->history;
    if (!h)
        return;
    history_collect(h, false, 0);
    history_send(h, self);
}

void publish_history_counts(const publisher *self, uint64_t *queued, uint64_t *stored, uint64_t *dropped)
{
    const publish_history *h = self->history;
    *queued = h ? h->n_queued + h->n_sent : 0;
    *stored = h ? h->stored : 0;
    *dropped = h ? h->dropped : 0;
}

bool publish_history_busy(const publisher *self)
{
    return self->history && (self->history->n_sent > 0 || self->history->n_queued > 0);
}

void publish_history_settle(publisher *self)
{
    publish_history *h = self->history;
    if (!h)
        return;
    history_collect(h, true, self->cfg->commit_timeout_ms);
    while (h->n_queued > 0) {
        size_t before = h->n_queued;
        history_send(h, self);
        history_collect(h, true, self->cfg->commit_timeout_ms);
        if (h->n_queued >= before)
            break; /* nothing went: the database is away */
    }
}

void publish_history_close(publisher *self)
{
    publish_history *h = self->history;
    if (!h)
        return;
    publish_history_settle(self);
    if (h->n_queued > 0)
        log_warn("status history: %zu rows not stored at shutdown (database unavailable)", h->n_queued);
    rows_free(h->queued, h->n_queued);
    free(h->queued);
    rows_free(h->sent, h->n_sent);
    free(h->sent);
    store_destroy(&h->db);
    free(h);
    self->history = NULL;
}
