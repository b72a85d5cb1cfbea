/* ingest_stats.c -- what the submit path counts, where it happens, and the
 * read-only views server/metrics/ renders (ingest.h). */
#include <string.h>

#include "ingest_internal.h"

/* Upper bounds of the buckets, in seconds (acknowledgement latency, commit
 * time) and in messages (group size). */
static const double SECONDS_BOUNDS[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                         0.25,  0.5,    1,     2.5,  5,     10,   30 };
static const double SIZE_BOUNDS[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 };

void ingest_stats_init(ingest_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    size_t ns = sizeof SECONDS_BOUNDS / sizeof SECONDS_BOUNDS[0];
    histogram_init(&stats->ack_seconds, SECONDS_BOUNDS, ns);
    histogram_init(&stats->commit_seconds, SECONDS_BOUNDS, ns);
    histogram_init(&stats->group_size, SIZE_BOUNDS, sizeof SIZE_BOUNDS / sizeof SIZE_BOUNDS[0]);
}

void ingest_count_answer(ingest *self, int kind, Junheng__ReplyStatus st)
{
    int outcome;
    switch (st) {
    case JUNHENG__REPLY_STATUS__ACCEPTED: outcome = INGEST_ACCEPTED; break;
    case JUNHENG__REPLY_STATUS__DUPLICATE: outcome = INGEST_DUPLICATE; break;
    case JUNHENG__REPLY_STATUS__REFUSED: outcome = INGEST_REFUSED; break;
    case JUNHENG__REPLY_STATUS__RETRY_LATER: outcome = INGEST_RETRY_LATER; break;
    default: return;
    }
    self->stats.answers[kind][outcome]++;
}

void ingest_count_reply(ingest *self, const pending_request *p, Junheng__ReplyStatus st, int64_t now)
{
    ingest_count_answer(self, p->county ? INGEST_COUNTY_INPUTS : INGEST_SCHOOL, st);
    histogram_observe(&self->stats.ack_seconds, (double)(now - p->received_ms) / 1000.0);
}

const ingest_stats *ingest_stats_view(const ingest *self)
{
    return &self->stats;
}

size_t ingest_group_filling(const ingest *self)
{
    return self->group_len;
}

size_t ingest_in_flight(const ingest *self)
{
    return self->flight->call ? self->flight->sent.len : 0;
}

bool ingest_db_up(ingest *self)
{
    return store_is_up(self->commit_db);
}

uint64_t ingest_db_reconnects(const ingest *self)
{
    return store_reconnects(self->commit_db);
}

const char *ingest_db_error(ingest *self)
{
    return store_last_error(self->commit_db);
}
