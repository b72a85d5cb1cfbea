/* server_metrics.c -- what junhengd tells server/metrics/: every metric,
 * read from the modules' read-only views (the counts stay where the events
 * happen: net_counters, the ingest's stats, the publisher's counts, the
 * admin connection's view), and whether the daemon is ready. See server.h
 * and docs/operations.md ("Metrics and health"), which lists each metric. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "server.h"

static const char *const OUTCOMES[INGEST_OUTCOMES] = { "accepted", "duplicate", "refused", "retry_later" };
static const char *const SOCKETS[NET_SOCKETS] = { "submit", "snapshot", "admin", "publish" };

/* The submit path: answers by kind and outcome, the histograms, the queues. */
static void write_ingest(server *self, metrics_text *t)
{
    const ingest_stats *st = ingest_stats_view(self->in);
    static const char *const names[INGEST_KINDS] = { "junheng_submissions_total", "junheng_county_inputs_total" };
    static const char *const helps[INGEST_KINDS] = {
        "School submissions answered, by outcome (undecodable messages count as refused submissions).",
        "County-inputs messages answered, by outcome.",
    };
    char labels[64];
    for (int k = 0; k < INGEST_KINDS; k++) {
        metrics_text_family(t, names[k], "counter", helps[k]);
        for (int o = 0; o < INGEST_OUTCOMES; o++) {
            snprintf(labels, sizeof labels, "outcome=\"%s\"", OUTCOMES[o]);
            metrics_text_u64(t, names[k], labels, st->answers[k][o]);
        }
    }
    metrics_text_histogram(t, "junheng_ack_latency_seconds",
                           "From a message read to its answer sent, for messages taken into a group commit.",
                           &st->ack_seconds);
    metrics_text_histogram(t, "junheng_group_size", "Messages per group commit sent to PostgreSQL.",
                           &st->group_size);
    metrics_text_histogram(t, "junheng_group_commit_seconds",
                           "From a group commit sent to its results in (COMMIT confirmed or failed).",
                           &st->commit_seconds);
    metrics_text_family(t, "junheng_groups_committed_total", "counter", "Group commits PostgreSQL confirmed.");
    metrics_text_u64(t, "junheng_groups_committed_total", NULL, self->counters.groups_committed);
    metrics_text_family(t, "junheng_group_failures_total", "counter",
                        "Group commits that failed as a whole (every sender told to retry).");
    metrics_text_u64(t, "junheng_group_failures_total", NULL, self->counters.store_failures);
}

/* Requests by socket and role; refusals by key. */
static void write_requests(server *self, metrics_text *t)
{
    char labels[64];
    metrics_text_family(t, "junheng_requests_total", "counter",
                        "Requests read, by socket and by the role of the sender's key (none: no key, plaintext); "
                        "on the publish socket, subscription messages.");
    for (int s = 0; s < NET_SOCKETS; s++)
        for (int r = 0; r < NET_ROLES; r++) {
            snprintf(labels, sizeof labels, "socket=\"%s\",role=\"%s\"", SOCKETS[s],
                     r == ROLE_NONE ? "none" : key_role_name((key_role)r));
            metrics_text_u64(t, "junheng_requests_total", labels, self->counters.requests[s][r]);
        }
    metrics_text_family(t, "junheng_auth_refusals_total", "counter",
                        "Refusals for the key: connection (the handshake) or message (role, scope, revocation).");
    metrics_text_u64(t, "junheng_auth_refusals_total", "stage=\"connection\"", self->counters.zap_denied);
    metrics_text_u64(t, "junheng_auth_refusals_total", "stage=\"message\"", self->counters.auth_refused);
}

/* Publications, subscriptions, the history, the admin queue. */
static void write_outputs(server *self, metrics_text *t, const publish_counts *pc, const admin_view *av)
{
    metrics_text_family(t, "junheng_publications_total", "counter", "County statuses published.");
    metrics_text_u64(t, "junheng_publications_total", NULL, pc->publications);
    metrics_text_family(t, "junheng_heartbeats_total", "counter", "Per-city heartbeats published.");
    metrics_text_u64(t, "junheng_heartbeats_total", NULL, pc->heartbeats);
    metrics_text_family(t, "junheng_subscribers", "gauge",
                        "Connections to the publish socket now (monitors watching, and peers still in the "
                        "handshake).");
    metrics_text_u64(t, "junheng_subscribers", NULL, self->counters.publish_connections);
    metrics_text_family(t, "junheng_subscriptions", "gauge",
                        "Topics subscribed on the publish socket now (applied subscriptions minus unsubscriptions, "
                        "including those of subscribers gone).");
    metrics_text_u64(t, "junheng_subscriptions", NULL, pc->subscriptions);
    metrics_text_family(t, "junheng_queue_depth", "gauge",
                        "Work waiting: messages in the group being filled and in the group in flight, admin "
                        "requests waiting or in flight, status history rows waiting or in flight.");
    metrics_text_u64(t, "junheng_queue_depth", "queue=\"group_filling\"", ingest_group_filling(self->in));
    metrics_text_u64(t, "junheng_queue_depth", "queue=\"group_in_flight\"", ingest_in_flight(self->in));
    metrics_text_u64(t, "junheng_queue_depth", "queue=\"admin\"", av->queued);
    metrics_text_u64(t, "junheng_queue_depth", "queue=\"history\"", pc->history_queued);
    metrics_text_family(t, "junheng_history_rows_total", "counter",
                        "Status history rows stored, or dropped (the database away too long, or refused).");
    metrics_text_u64(t, "junheng_history_rows_total", "result=\"stored\"", pc->history_stored);
    metrics_text_u64(t, "junheng_history_rows_total", "result=\"dropped\"", pc->history_dropped);
    metrics_text_family(t, "junheng_retention_deleted_total", "counter",
                        "Rows the retention deleted (quarantine_retention_days, status_history_retention_days).");
    metrics_text_u64(t, "junheng_retention_deleted_total", "table=\"quarantine\"", av->deleted_quarantine);
    metrics_text_u64(t, "junheng_retention_deleted_total", "table=\"county_status_history\"", av->deleted_history);
    metrics_text_family(t, "junheng_retention_runs_total", "counter", "Retention deletes, by result.");
    metrics_text_u64(t, "junheng_retention_runs_total", "result=\"done\"", av->retention_runs);
    metrics_text_u64(t, "junheng_retention_runs_total", "result=\"failed\"", av->retention_failures);
}

/* The database connections: up, and reconnections. */
static void write_database(server *self, metrics_text *t, const publish_counts *pc, const admin_view *av)
{
    metrics_text_family(t, "junheng_database_up", "gauge",
                        "Whether each PostgreSQL connection is up (main: admin requests and retention; commit: "
                        "group commits; history: the status history, once first used).");
    metrics_text_u64(t, "junheng_database_up", "connection=\"main\"", av->db_up);
    metrics_text_u64(t, "junheng_database_up", "connection=\"commit\"", ingest_db_up(self->in));
    if (pc->history_db >= 0)
        metrics_text_u64(t, "junheng_database_up", "connection=\"history\"", (uint64_t)pc->history_db);
    metrics_text_family(t, "junheng_database_reconnects_total", "counter",
                        "Connections opened again after one was lost (each may land on another server of the "
                        "conninfo after a failover).");
    metrics_text_u64(t, "junheng_database_reconnects_total", "connection=\"main\"", av->db_reconnects);
    metrics_text_u64(t, "junheng_database_reconnects_total", "connection=\"commit\"",
                      ingest_db_reconnects(self->in));
    metrics_text_u64(t, "junheng_database_reconnects_total", "connection=\"history\"", pc->history_reconnects);
    if (!self->lease)
        return;
    lease_counts lc;
    lease_read_counts(self->lease, &lc);
    metrics_text_family(t, "junheng_lease_held", "gauge",
                        "Whether this daemon holds the active daemon's lock (1) or lost its session (0: submissions "
                        "answered retry later until it takes the lock again).");
    metrics_text_u64(t, "junheng_lease_held", NULL, lc.state == LEASE_HELD);
    metrics_text_family(t, "junheng_failovers_total", "counter",
                        "Failovers this daemon went through: kind=\"database\", its lock's session lost (a database "
                        "failover or outage) and the lock taken again; kind=\"daemon\", it waited as a standby "
                        "and took over from the active daemon.");
    metrics_text_u64(t, "junheng_failovers_total", "kind=\"database\"", lc.regained);
    metrics_text_u64(t, "junheng_failovers_total", "kind=\"daemon\"", lc.took_over);
    metrics_text_family(t, "junheng_lease_lost_total", "counter", "Times the lock's session was lost.");
    metrics_text_u64(t, "junheng_lease_lost_total", NULL, lc.lost);
}

/* metrics_source.write: every metric. */
static void write_all(void *arg, metrics_text *t)
{
    server *self = arg;
    publish_counts pc;
    publisher_counts(self->pub, &pc);
    admin_view av;
    admin_read_view(self->adm, &av);
    metrics_text_family(t, "junheng_build_info", "gauge", "The daemon's version and rules (always 1).");
    char labels[256];
    snprintf(labels, sizeof labels, "version=\"%s\",rules=\"%.64s\"", JUNHENGD_VERSION, self->rules.version);
    metrics_text_u64(t, "junheng_build_info", labels, 1);
    metrics_text_family(t, "junheng_uptime_seconds", "gauge", "Seconds since the daemon started.");
    metrics_text_double(t, "junheng_uptime_seconds", NULL, (double)(net_now_ms() - self->started_ms) / 1000.0);
    char reason[8];
    metrics_text_family(t, "junheng_ready", "gauge", "Whether /healthz answers ready (1) or not (0).");
    metrics_text_u64(t, "junheng_ready", NULL, server_ready(self, reason, sizeof reason));
    write_ingest(self, t);
    write_requests(self, t);
    write_outputs(self, t, &pc, &av);
    write_database(self, t, &pc, &av);
}

bool server_ready(server *self, char *reason, size_t size)
{
    admin_view av;
    admin_read_view(self->adm, &av);
    publish_counts pc;
    publisher_counts(self->pub, &pc);
    if (self->draining)
        snprintf(reason, size, "stopping");
    else if (!av.db_up)
        snprintf(reason, size, "database down (reconnecting): %s", av.db_error);
    else if (!ingest_db_up(self->in))
        snprintf(reason, size, "database down for group commits (reconnecting): %s", ingest_db_error(self->in));
    else if (pc.history_db == 0)
        snprintf(reason, size, "database down for the status history (reconnecting)");
    else if (self->lease && lease_not_held(self->lease))
        snprintf(reason, size, "the active daemon's lock was lost with its session (retaking it): submissions "
                               "answered retry later");
    else
        return true;
    return false;
}

/* metrics_source.ready. */
static bool ready(void *arg, char *reason, size_t size)
{
    return server_ready(arg, reason, size);
}

int server_metrics_start(server *self)
{
    if (self->cfg.metrics_listen[0] == '\0')
        return 0;
    char err[256];
    metrics_source src = { self, write_all, ready };
    self->mon = metrics_new(self->cfg.metrics_listen, &src, err, sizeof err);
    if (!self->mon) {
        log_error("%s", err);
        return -1;
    }
    return 0;
}
