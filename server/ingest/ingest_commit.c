/* ingest_commit.c -- the second half of the submit path: a group is sent to
 * PostgreSQL as one pipelined transaction and left in flight on the group
 * commits' own connection, while the event loop goes on taking in the next
 * group; when its results are in, every sender is answered -- only after a
 * confirmed COMMIT -- and the county states are updated. See ingest.h.
 *
 * One group is in flight at a time. The next group is sent as soon as the
 * one in flight is finished and it is due (batch_max submissions, or
 * batch_max_ms after its first one), before the finished one is answered, so
 * PostgreSQL writes one group while the daemon answers the previous one and
 * takes in the next. While the group being filled is full and one is in
 * flight, the submit socket is not read (ZeroMQ queues, the senders wait).
 *
 * The group commits have a connection of their own (ingest->commit_db):
 * admin requests use the server's main connection and the status history
 * its own meanwhile, which a pipeline in flight would otherwise block. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"
#include "i18n.h"
#include "log.h"

ingest *ingest_new(const ingest_deps *deps)
{
    ingest *self = calloc(1, sizeof *self);
    if (!self) {
        log_error("out of memory at start");
        return NULL;
    }
    self->cfg = deps->cfg;
    self->limits = *deps->limits;
    self->reg = deps->reg;
    self->book = deps->book;
    self->policy = deps->policy;
    self->review = deps->review;
    self->submit_sock = deps->reply_sock;
    self->counters = deps->counters;
    ingest_stats_init(&self->stats);
    self->flight = calloc(1, sizeof *self->flight);
    self->commit_db = store_new(self->cfg->database, self->cfg->statement_timeout_ms);
    if (!self->flight || !self->commit_db) {
        log_error("out of memory at start");
        ingest_destroy(&self);
        return NULL;
    }
    if (!store_is_up(self->commit_db)) {
        log_error("database (group commit connection): %s", store_last_error(self->commit_db));
        ingest_destroy(&self);
        return NULL;
    }
    return self;
}

/* Frees a batch's requests (without answering them) and its arrays. */
static void batch_free(ingest_batch *b)
{
    for (size_t i = 0; i < b->len; i++)
        ingest_pending_release(&b->reqs[i]);
    free(b->reqs);
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* Applies one committed submission to the in-memory state. */
static void ingest_apply(ingest *self, pending_request *p)
{
    if (p->item.kind == STORE_ITEM_COUNTY_INPUTS) {
        /* merged in revision order; a revision already merged changes nothing */
        if (county_book_county_inputs(self->book, p->cin.county_code, p->cin.period, p->item.revision,
                                      &p->cin.inputs, true) != 0)
            log_error("out of memory applying county-inputs revision %lld", (long long)p->item.revision);
        return;
    }
    school_record *rec = registry_school(self->reg, p->sub.school_code);
    if (!rec)
        return;
    int newer = school_record_set_latest(rec, p->sub.period, p->item.revision, &p->sub);
    if (newer < 0 || (newer > 0 && county_book_school_submitted(self->book, rec, p->sub.period, &p->sub) != 0))
        log_error("out of memory applying revision %lld", (long long)p->item.revision);
}

/* A duplicate whose original revision is newer than the one held in memory
 * was committed by a group whose COMMIT confirmation was lost (the sender got
 * "retry later"): apply the stored revision now, so the county state never
 * misses a committed submission. Reads it on the commit connection, which
 * must be idle (batch_answer's caller sees to it). */
static void ingest_apply_unseen(ingest *self, pending_request *p)
{
    submission stored;
    if (store_fetch_revision(self->commit_db, p->item.revision, &stored) != STORE_OK) {
        log_warn("revision %lld of %s could not be read back: %s", (long long)p->item.revision, p->sub.school_code,
                 store_last_error(self->commit_db));
        return;
    }
    /* The stored row is the truth: a submission id reused for another school
     * or period changes nothing but the reply ("duplicate"). */
    school_record *rec = registry_school(self->reg, stored.school_code);
    int64_t held = 0;
    if (rec && (!school_record_has_latest(rec, stored.period, &held) || held < p->item.revision)) {
        int newer = school_record_set_latest(rec, stored.period, p->item.revision, &stored);
        if (newer < 0 ||
            (newer > 0 && county_book_school_submitted(self->book, rec, stored.period, &stored) != 0))
            log_error("out of memory applying revision %lld", (long long)p->item.revision);
        else if (newer > 0)
            log_info("revision %lld of %s applied on resend (its commit was not confirmed earlier)",
                     (long long)p->item.revision, stored.school_code);
    }
    submission_clear(&stored);
}

/* Whether answering the batch may read from the commit connection: a
 * duplicate newer than the revision held in memory is read back. */
static bool batch_needs_store(ingest *self, const ingest_batch *b, int rc)
{
    if (rc != STORE_OK)
        return false;
    for (size_t i = 0; i < b->len; i++) {
        const pending_request *p = &b->reqs[i];
        if (p->item.kind != STORE_ITEM_SUBMISSION || !b->items[i].duplicate || b->items[i].failed)
            continue;
        school_record *rec = registry_school(self->reg, p->sub.school_code);
        int64_t held = 0;
        if (!rec || !school_record_has_latest(rec, p->sub.period, &held) || held < b->items[i].revision)
            return true;
    }
    return false;
}

/* Answers every request of a finished batch (rc: what the commit returned;
 * items carry each row's result when rc is STORE_OK), applies the committed
 * submissions to memory and empties the batch (its arrays are kept). */
static void batch_answer(ingest *self, ingest_batch *b, int rc)
{
    if (rc == STORE_OK)
        self->counters->groups_committed++;
    else {
        self->counters->store_failures++;
        log_error("group of %zu not committed: %s", b->len, store_last_error(self->commit_db));
    }
    int64_t now = net_now_ms();
    for (size_t i = 0; i < b->len; i++) {
        pending_request *p = &b->reqs[i];
        Junheng__ReplyStatus st;
        int64_t revision = 0;
        problem_list extra = { 0 };
        const problem_list *errors = &p->errors;
        if (rc != STORE_OK) {
            st = JUNHENG__REPLY_STATUS__RETRY_LATER;
            self->counters->retry_later++;
        } else if (b->items[i].failed) {
            /* The database refused this one row: it is not stored; the sender
             * hears why. The group's other rows are committed. */
            st = JUNHENG__REPLY_STATUS__REFUSED;
            problem_list_add(&extra, "", "the database refused this submission: %s", b->items[i].error);
            errors = &extra;
            self->counters->refused++;
            log_warn("row refused by the database: %s", b->items[i].error);
        } else if (p->item.kind == STORE_ITEM_QUARANTINE) {
            st = JUNHENG__REPLY_STATUS__REFUSED;
            self->counters->refused++;
            char buf[512];
            problem_list_format(&p->errors, buf, sizeof buf);
            log_info("refused %s from %s: %s", p->school_code[0] ? p->school_code : "(no school)", p->peer_text, buf);
        } else {
            p->item.revision = b->items[i].revision;
            revision = b->items[i].revision;
            if (b->items[i].duplicate && p->item.kind == STORE_ITEM_COUNTY_INPUTS) {
                /* the same submission id carries the same inputs: one whose
                 * commit was never confirmed is merged now, others change nothing */
                st = JUNHENG__REPLY_STATUS__DUPLICATE;
                self->counters->duplicate++;
                ingest_apply(self, p);
            } else if (b->items[i].duplicate) {
                st = JUNHENG__REPLY_STATUS__DUPLICATE;
                self->counters->duplicate++;
                /* Only a duplicate newer than what memory holds can be one
                 * whose commit was never confirmed: read it back. */
                school_record *rec = registry_school(self->reg, p->sub.school_code);
                int64_t held = 0;
                if (!rec || !school_record_has_latest(rec, p->sub.period, &held) || held < p->item.revision)
                    ingest_apply_unseen(self, p);
            } else {
                st = JUNHENG__REPLY_STATUS__ACCEPTED;
                if (p->item.kind == STORE_ITEM_COUNTY_INPUTS)
                    self->counters->county_inputs_accepted++;
                else
                    self->counters->accepted++;
                ingest_apply(self, p);
            }
        }
        net_reply(self->submit_sock, &p->peer, p->request_id, p->request_id_len, st, revision, errors,
                     &p->warnings, NULL);
        ingest_count_reply(self, p, st, now);
        problem_list_clear(&extra);
        senders_remove(&self->flight->senders, &p->peer);
        ingest_pending_release(p);
    }
    b->len = 0;
}

void ingest_set_fenced(ingest *self, bool fenced)
{
    self->fenced = fenced;
}

/* Answers every request of the group being filled "retry later" without
 * sending it (fenced: another daemon may be the writer now) and empties the
 * group; the senders resend, here once the lease is held again, or to the
 * daemon that holds it. */
static void group_answer_fenced(ingest *self)
{
    problem_list why = { 0 };
    /* in the daemon's language: the group's requests are not kept with theirs */
    problem_list_add(&why, "", "%s", _("this daemon is re-taking its database lease; retry later"));
    for (size_t i = 0; i < self->group_len; i++) {
        pending_request *p = &self->group[i];
        net_reply(self->submit_sock, &p->peer, p->request_id, p->request_id_len, JUNHENG__REPLY_STATUS__RETRY_LATER,
                  0, &why, NULL, NULL);
        self->counters->retry_later++;
        senders_remove(&self->flight->senders, &p->peer);
        ingest_pending_release(p);
    }
    problem_list_clear(&why);
    self->group_len = 0;
}

/* Sends the group being filled as the group in flight (the connection must
 * be free). Its requests move to flight->sent; the group being filled gets
 * the spare arrays. When nothing could be sent, every sender of the group is
 * answered "retry later" at once. */
static void flight_send(ingest *self)
{
    struct ingest_flight *f = self->flight;
    if (f->call || self->group_len == 0)
        return;
    if (self->fenced) {
        group_answer_fenced(self);
        return;
    }
    ingest_batch *b = &f->sent;
    pending_request *spare = b->reqs;
    size_t spare_cap = b->cap;
    b->reqs = self->group;
    b->cap = self->group_cap;
    b->len = self->group_len;
    self->group = spare;
    self->group_cap = spare_cap;
    self->group_len = 0;
    int rc = STORE_DOWN;
    if (b->items_cap < b->len) {
        store_item *items = realloc(b->items, b->len * sizeof *items);
        if (items) {
            b->items = items;
            b->items_cap = b->len;
        }
    }
    if (b->items_cap >= b->len) {
        for (size_t i = 0; i < b->len; i++) {
            /* Re-derive the pointers into the request itself: the group may
             * have moved (realloc) since the item was prepared. The requests
             * stay where they are until the group is finished. */
            pending_request *p = &b->reqs[i];
            b->items[i] = p->item;
            if (p->item.kind == STORE_ITEM_SUBMISSION) {
                b->items[i].submission_id = p->sub.submission_id;
                b->items[i].school_code = p->sub.school_code;
                b->items[i].submitted_by = p->peer.user_id[0] ? p->peer.user_id : NULL;
                b->items[i].web_user = p->peer.user[0] ? p->peer.user : NULL;
            } else if (p->item.kind == STORE_ITEM_COUNTY_INPUTS) {
                b->items[i].submission_id = p->cin_submission_id;
                b->items[i].county_code = p->cin.county_code;
                b->items[i].submitted_by = p->peer.user_id[0] ? p->peer.user_id : NULL;
                b->items[i].web_user = p->peer.user[0] ? p->peer.user : NULL;
            } else {
                b->items[i].peer = p->peer_text;
                b->items[i].school_code = p->school_code[0] ? p->school_code : NULL;
            }
        }
        rc = store_group_send(self->commit_db, b->items, b->len, &f->call);
        f->sent_ms = net_now_ms();
        if (rc == STORE_OK)
            histogram_observe(&self->stats.group_size, (double)b->len);
    } else {
        log_error("out of memory sending a group of %zu", b->len);
    }
    if (rc != STORE_OK)
        batch_answer(self, b, rc);
}

/* Whether the group being filled should be sent now: full, past its
 * deadline, or the daemon is stopping. */
static bool group_due(const ingest *self)
{
    return self->group_len > 0 && (self->group_len >= (size_t)self->cfg->batch_max || self->draining ||
                                   net_now_ms() >= self->group_deadline_ms);
}

/* Finishes the group in flight (waiting for its results if they are not all
 * in), sends the next group if it is due, and answers the finished one --
 * while PostgreSQL already writes the next, unless answering needs the
 * commit connection (a duplicate to read back). */
static void flight_complete(ingest *self)
{
    struct ingest_flight *f = self->flight;
    int rc = store_group_finish(self->commit_db, &f->call);
    histogram_observe(&self->stats.commit_seconds, (double)(net_now_ms() - f->sent_ms) / 1000.0);
    ingest_batch finished = f->sent;
    f->sent = f->done;     /* the spare arrays (empty) */
    f->done = finished;
    if (batch_needs_store(self, &f->done, rc)) {
        batch_answer(self, &f->done, rc);
        if (group_due(self))
            flight_send(self);
    } else {
        if (group_due(self))
            flight_send(self);
        batch_answer(self, &f->done, rc);
    }
}

void ingest_flush(ingest *self)
{
    if (!self->flight->call)
        flight_send(self);
}

void ingest_flush_due(ingest *self, int64_t now)
{
    if (self->group_len > 0 && (self->group_len >= (size_t)self->cfg->batch_max || now >= self->group_deadline_ms))
        ingest_flush(self);
}

bool ingest_group_full(const ingest *self)
{
    return self->group_len >= (size_t)self->cfg->batch_max;
}

void ingest_poll(ingest *self)
{
    struct ingest_flight *f = self->flight;
    if (f->call && store_group_ready(self->commit_db, f->call))
        flight_complete(self);
}

bool ingest_accepting(const ingest *self)
{
    return self->group_len < (size_t)self->cfg->batch_max || !self->flight->call;
}

int ingest_poll_fd(ingest *self)
{
    return self->flight->call ? store_socket(self->commit_db) : -1;
}

long ingest_timeout_ms(const ingest *self, int64_t now)
{
    if (self->flight->call || self->group_len == 0)
        return 1000; /* the commit connection's socket wakes the loop */
    return self->group_deadline_ms > now ? (long)(self->group_deadline_ms - now) : 0;
}

/* Gives up the group in flight when PostgreSQL has left it unanswered for
 * commit_timeout_ms: its senders are answered "retry later" (a commit that
 * did happen is found as "duplicate" when they resend) and the connection
 * is closed, to be reopened. */
static void flight_abandon(ingest *self)
{
    struct ingest_flight *f = self->flight;
    char why[96];
    snprintf(why, sizeof why, "no answer from PostgreSQL in %d ms", self->cfg->commit_timeout_ms);
    log_error("group of %zu given up: %s; connection closed, senders told to retry", f->sent.len, why);
    int rc = store_group_abandon(self->commit_db, &f->call, why);
    ingest_batch finished = f->sent;
    f->sent = f->done;
    f->done = finished;
    batch_answer(self, &f->done, rc);
}

/* Whether the group in flight has waited past commit_timeout_ms. */
static bool flight_overdue(const ingest *self, int64_t now)
{
    const struct ingest_flight *f = self->flight;
    return f->call && self->cfg->commit_timeout_ms > 0 && now - f->sent_ms >= self->cfg->commit_timeout_ms;
}

void ingest_reconnect(ingest *self, int64_t now)
{
    struct ingest_flight *f = self->flight;
    if (flight_overdue(self, now) && !store_group_ready(self->commit_db, f->call))
        flight_abandon(self);
    if (f->call || now < f->next_reconnect_ms)
        return;
    f->next_reconnect_ms = now + self->cfg->reconnect_ms;
    /* an idle connection the server closed is seen now, not at the next group */
    if (store_check(self->commit_db))
        return;
    if (store_reconnect(self->commit_db) == STORE_OK)
        log_info("database connection restored (group commits)");
    else
        log_warn("database unavailable for group commits: %s", store_last_error(self->commit_db));
}

/* Waits (at most until commit_timeout_ms after it was sent) for the group in
 * flight's results; gives it up when they do not come. */
static void flight_wait(ingest *self)
{
    struct ingest_flight *f = self->flight;
    while (f->call && !store_group_ready(self->commit_db, f->call)) {
        int64_t now = net_now_ms();
        if (flight_overdue(self, now)) {
            flight_abandon(self);
            return;
        }
        struct pollfd pfd = { store_socket(self->commit_db), POLLIN, 0 };
        long wait = self->cfg->commit_timeout_ms > 0 ? (long)(f->sent_ms + self->cfg->commit_timeout_ms - now) : 1000;
        if (pfd.fd < 0 || poll(&pfd, 1, (int)(wait > 1000 ? 1000 : wait < 1 ? 1 : wait)) < 0)
            break; /* finishing reads the error */
    }
}

void ingest_drain(ingest *self)
{
    self->draining = true;
    while (self->flight->call || self->group_len > 0) {
        if (self->flight->call) {
            flight_wait(self);
            if (self->flight->call)
                flight_complete(self);
        } else {
            flight_send(self);
            if (!self->flight->call && !store_is_up(self->commit_db))
                break; /* nothing can be committed: the rest was answered "retry later" */
        }
    }
}

void ingest_destroy(ingest **p)
{
    ingest *self = *p;
    if (!self)
        return;
    struct ingest_flight *f = self->flight;
    if (f && f->call) /* answered: its commit may have happened */
        batch_answer(self, &f->sent, store_group_finish(self->commit_db, &f->call));
    for (size_t i = 0; i < self->group_len; i++)
        ingest_pending_release(&self->group[i]);
    free(self->group);
    self->group = NULL;
    self->group_len = self->group_cap = 0;
    if (f) {
        batch_free(&f->sent);
        batch_free(&f->done);
        senders_free(&f->senders);
        free(f);
        self->flight = NULL;
    }
    store_destroy(&self->commit_db);
    free(self);
    *p = NULL;
}
