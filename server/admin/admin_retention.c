/* admin_retention.c -- retention: quarantined messages and status history
 * older than quarantine_retention_days / status_history_retention_days are
 * deleted by the daemon, on the admin connection while it is idle (no
 * request in flight or waiting: requests never wait behind it for long),
 * shortly after start and then once an hour, a bounded number of rows at a
 * time (store_retention_send; statement_timeout applies). Its statement is
 * sent without waiting and read when in, like a request's; one PostgreSQL
 * leaves unanswered for commit_timeout_ms is given up like a request (the
 * connection closed and reopened). Also the read-only view of the admin
 * connection for the metrics. See admin_internal.h. */
#include "admin_internal.h"
#include "log.h"

/* The second half: counts what was deleted and sets the next run. */
static void retention_finish(admin *self, int rc, const store_answer *answer)
{
    int64_t now = net_now_ms();
    if (rc != STORE_OK) {
        self->retention_failures++;
        self->next_retention_ms = now + self->cfg->reconnect_ms * 60;
        log_warn("retention: %s; tried again later", store_last_error(self->db));
        return;
    }
    self->retention_runs++;
    self->deleted_quarantine += answer->deleted_quarantine;
    self->deleted_history += answer->deleted_history;
    bool more = answer->deleted_quarantine >= ADMIN_RETENTION_ROWS || answer->deleted_history >= ADMIN_RETENTION_ROWS;
    self->next_retention_ms = now + (more ? ADMIN_RETENTION_AGAIN_MS : ADMIN_RETENTION_EVERY_MS);
    if (answer->deleted_quarantine || answer->deleted_history)
        log_info("retention: %zu quarantined messages and %zu status history rows deleted%s",
                 answer->deleted_quarantine, answer->deleted_history, more ? " (more to delete)" : "");
}

void admin_retention_start(admin *self, int64_t now)
{
    const config *cfg = self->cfg;
    if (self->call || self->q_len > 0 || now < self->next_retention_ms ||
        (cfg->quarantine_retention_days <= 0 && cfg->status_history_retention_days <= 0))
        return;
    if (!store_is_up(self->db)) {
        self->next_retention_ms = now + cfg->reconnect_ms; /* after the reconnection */
        return;
    }
    store_call *call = NULL;
    int rc = store_retention_send(self->db, cfg->quarantine_retention_days, cfg->status_history_retention_days,
                                  ADMIN_RETENTION_ROWS, &call);
    if (rc != STORE_OK || !call) {
        self->retention_failures++;
        self->next_retention_ms = now + cfg->reconnect_ms * 60;
        log_warn("retention: %s; tried again later", store_last_error(self->db));
        return;
    }
    self->call = call;
    self->finish = retention_finish;
    self->retention = true;
    self->sent_ms = now;
}

void admin_retention_given_up(admin *self, int64_t now)
{
    self->retention_failures++;
    self->next_retention_ms = now + self->cfg->reconnect_ms * 60;
}

void admin_read_view(const admin *self, admin_view *out)
{
    out->db_up = store_is_up(self->db);
    out->db_error = store_last_error(self->db);
    out->db_reconnects = store_reconnects(self->db);
    out->queued = self->q_len + (self->call && !self->retention ? 1 : 0);
    out->retention_runs = self->retention_runs;
    out->retention_failures = self->retention_failures;
    out->deleted_quarantine = self->deleted_quarantine;
    out->deleted_history = self->deleted_history;
}
