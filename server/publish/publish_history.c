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
 * recomputable). Shutdown waits for what is in flight and stores the rest.
 *
 * A history query (status --history) is answered on the same connection,
 * after the rows queued before it: it waits in a queue of its own (at most
 * HISTORY_MAX_QUERIES; beyond, "retry later") until those rows are stored
 * or dropped, is then sent before any newer rows, and answered when its
 * result is in -- so the answer holds every publication before the query,
 * and nothing waits. A query, or a row statement, PostgreSQL leaves
 * unanswered for commit_timeout_ms closes the connection (rows go back to
 * the queue); a query then, or while the database is unavailable, is
 * answered "retry later". */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "i18n_init.h"
#include "log.h"
#include "publish_internal.h"

/* Rows kept while the database is unavailable or behind (~4 kB each). */
#define HISTORY_MAX_QUEUED 5000
/* Rows in one statement: bounds the statement's memory (the rows are copied
 * into its parameters and libpq's buffer) and PostgreSQL's work per
 * statement, which shares the cores with the group commits. */
#define HISTORY_MAX_STATEMENT 500
/* History queries waiting (and in flight); one more is answered "retry later". */
#define HISTORY_MAX_QUERIES 32
/* The longest request id kept for a query's reply. */
#define HISTORY_REQUEST_ID_MAX 64

typedef struct {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    status_view view;
    uint64_t seq;
    char computed_at[32];
    char *summary;                 /* owned */
} history_row;

/* One history query waiting for its rows (or in flight). */
typedef struct {
    peer_address peer;
    uint8_t request_id[HISTORY_REQUEST_ID_MAX];
    size_t request_id_len;
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    status_view view;
    char lang[16];                 /* its Envelope.lang: the language of a refusal ("": the daemon's) */
    uint64_t mark;                 /* rows added before it: all done before it is sent */
    int64_t asked_ms;              /* monotonic ms */
} history_query;

struct publish_history {
    store *db;                     /* the history's own connection */
    uint64_t added;                /* rows ever queued (added - waiting - in flight: rows done) */
    int64_t sent_ms;               /* when the row statement in flight was sent */
    history_query queries[HISTORY_MAX_QUERIES]; /* a ring, oldest at q_head */
    size_t q_head, q_len;
    store_call *call;              /* the oldest query, in flight (NULL: none) */
    history_row *queued;           /* waiting to be sent, oldest first */
    size_t n_queued, cap_queued;
    history_row *sent;             /* in the statement in flight */
    size_t n_sent;
    int64_t next_reconnect_ms;
    int64_t next_check_ms;         /* when the idle connection is next looked at (reopened when down) */
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
    h->db = store_new(self->cfg->database, self->cfg->statement_timeout_ms);
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
     * hold up the shutdown); below 0: not at all, the statement is overdue */
    int64_t deadline = net_now_ms() + (timeout_ms > 0 ? timeout_ms : timeout_ms < 0 ? 0 : 30000);
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

/* Whether the history's connection is up, reopening it (every
 * reconnect_ms) when it is not. */
static bool history_connected(publish_history *h, const publisher *self)
{
    if (store_is_up(h->db))
        return true;
    int64_t now = net_now_ms();
    if (now < h->next_reconnect_ms)
        return false;
    h->next_reconnect_ms = now + self->cfg->reconnect_ms;
    if (store_reconnect(h->db) != STORE_OK)
        return false;
    log_info("status history: database connection restored");
    return true;
}

/* Sends the oldest queued rows (up to HISTORY_MAX_STATEMENT) in one
 * statement when nothing is in flight. */
static void history_send(publish_history *h, const publisher *self)
{
    if (h->n_sent > 0 || h->call || h->n_queued == 0)
        return;
    if (!history_connected(h, self))
        return;
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
                                      self->rules_version, h->queued[i].computed_at, h->queued[i].summary,
                                      status_view_key(h->queued[i].view) };
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
    h->sent_ms = net_now_ms();
}

void publish_history_add(publisher *self, const char *county_code, int32_t period, status_view view, uint64_t seq,
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
    h->added++;
    snprintf(r->county_code, sizeof r->county_code, "%s", county_code);
    r->period = period;
    r->view = view;
    r->seq = seq;
    snprintf(r->computed_at, sizeof r->computed_at, "%s", computed_at);
    r->summary = summary;
}

/* Rows done so far: stored or dropped (every row added and no longer
 * waiting or in flight). */
static uint64_t history_done(const publish_history *h)
{
    return h->added - h->n_queued - h->n_sent;
}

/* Answers the oldest query (status, body or one problem) and drops it. */
static void query_answer(publisher *self, publish_history *h, Junheng__ReplyStatus status, const char *body,
                         const char *reason)
{
    history_query *q = &h->queries[h->q_head];
    problem_list errs = { 0 };
    if (reason)
        problem_list_add(&errs, "", "%s", reason);
    net_reply(self->snapshot_sock, &q->peer, q->request_id, q->request_id_len, status, 0, reason ? &errs : NULL,
              NULL, body);
    problem_list_clear(&errs);
    h->q_head = (h->q_head + 1) % HISTORY_MAX_QUERIES;
    h->q_len--;
}

/* Answers the oldest query "retry later", saying why in the query's
 * language: why is an English message id (N_) or a text no catalogue
 * holds (PostgreSQL's, shown as it is). */
static void query_retry_later(publisher *self, publish_history *h, const char *why)
{
    char reason[600];
    locale_t lang = i18n_use(h->queries[h->q_head].lang);
    snprintf(reason, sizeof reason, _("%.500s; retry later"), _(why));
    i18n_restore(lang);
    query_answer(self, h, JUNHENG__REPLY_STATUS__RETRY_LATER, NULL, reason);
}

/* The query in flight: answered when its result is in, given up (the
 * connection closed) when PostgreSQL leaves it unanswered too long. */
static void query_poll(publisher *self, publish_history *h, int64_t now)
{
    int timeout = self->cfg->commit_timeout_ms;
    if (store_call_ready(h->db, h->call)) {
        store_answer answer;
        int rc = store_call_finish(h->db, &h->call, &answer);
        if (rc == STORE_OK)
            query_answer(self, h, JUNHENG__REPLY_STATUS__OK, answer.text, NULL);
        else if (rc == STORE_DOWN)
            query_retry_later(self, h, store_last_error(h->db));
        else
            query_answer(self, h, JUNHENG__REPLY_STATUS__REFUSED, NULL, store_last_error(h->db));
        store_answer_clear(&answer);
    } else if (timeout > 0 && now - h->queries[h->q_head].asked_ms >= timeout) {
        char why[96];
        snprintf(why, sizeof why, "no answer from PostgreSQL in %d ms", timeout);
        log_warn("status history query given up: %s; connection closed", why);
        store_call_abandon(h->db, &h->call, why);
        query_retry_later(self, h, why);
    }
}

/* Moves the history on, never waiting: the query in flight, then the rows'
 * statement (given up when overdue), then whatever is next -- the oldest
 * query once every row queued before it is done, else the next rows.
 * Queries that waited too long, or cannot be sent (the database
 * unavailable), are answered "retry later". */
static void history_step(publisher *self, publish_history *h)
{
    int64_t now = net_now_ms();
    int timeout = self->cfg->commit_timeout_ms;
    if (h->call)
        query_poll(self, h, now);
    history_collect(h, false, 0);
    if (h->n_sent > 0 && timeout > 0 && now - h->sent_ms >= timeout)
        history_collect(h, true, -1); /* overdue: the connection closed, the rows queued again */
    if (!h->call && h->n_sent == 0 && now >= h->next_check_ms) {
        /* idle, every reconnect_ms: a connection the server closed is seen
         * (the daemon's health says so), one that is down reopened */
        h->next_check_ms = now + self->cfg->reconnect_ms;
        if (!store_check(h->db))
            history_connected(h, self);
    }
    while (!h->call && h->q_len > 0) {
        history_query *q = &h->queries[h->q_head];
        if (timeout > 0 && now - q->asked_ms >= timeout) {
            query_retry_later(self, h, N_("the status history is slow to answer"));
        } else if (h->n_sent == 0 && !history_connected(h, self)) {
            query_retry_later(self, h, store_last_error(h->db));
        } else if (h->n_sent == 0 && history_done(h) >= q->mark) {
            int rc = store_history_send(h->db, q->county_code, q->period, status_view_key(q->view), 1000, &h->call);
            if (rc != STORE_OK)
                query_retry_later(self, h, store_last_error(h->db));
        } else {
            break; /* its rows first */
        }
    }
    history_send(h, self);
}

void publish_history_flush(publisher *self)
{
    if (self->history)
        history_step(self, self->history);
}

void publish_history_query(publisher *self, const peer_address *peer, const uint8_t *request_id,
                           size_t request_id_len, const char *county_code, int32_t period, status_view view,
                           const char *lang)
{
    publish_history *h = history_get(self);
    const char *why = !h ? _("server out of memory") : h->q_len == HISTORY_MAX_QUERIES
                          ? _("too many history queries wait for the database: retry later") : NULL;
    if (why) {
        problem_list errs = { 0 };
        problem_list_add(&errs, "", "%s", why);
        net_reply(self->snapshot_sock, peer, request_id, request_id_len, JUNHENG__REPLY_STATUS__RETRY_LATER, 0,
                  &errs, NULL, NULL);
        problem_list_clear(&errs);
        return;
    }
    history_query *q = &h->queries[(h->q_head + h->q_len) % HISTORY_MAX_QUERIES];
    memset(q, 0, sizeof *q);
    q->peer = *peer;
    q->request_id_len = request_id_len < HISTORY_REQUEST_ID_MAX ? request_id_len : HISTORY_REQUEST_ID_MAX;
    if (request_id)
        memcpy(q->request_id, request_id, q->request_id_len);
    snprintf(q->county_code, sizeof q->county_code, "%s", county_code);
    q->period = period;
    q->view = view;
    snprintf(q->lang, sizeof q->lang, "%s", lang ? lang : "");
    q->mark = h->added;
    q->asked_ms = net_now_ms();
    h->q_len++;
    history_step(self, h);
}

/* At shutdown: the query in flight given up, every query answered "retry
 * later". */
static void history_queries_close(publisher *self, publish_history *h)
{
    if (h->call)
        store_call_abandon(h->db, &h->call, "the daemon is stopping");
    while (h->q_len > 0)
        query_retry_later(self, h, N_("the daemon is stopping"));
}

void publish_history_db(const publisher *self, int *state, uint64_t *reconnects)
{
    const publish_history *h = self->history;
    *state = h ? store_is_up(h->db) : -1;
    *reconnects = h ? store_reconnects(h->db) : 0;
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
    const publish_history *h = self->history;
    return h && (h->n_sent > 0 || h->n_queued > 0 || h->q_len > 0);
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
    history_queries_close(self, h);
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
