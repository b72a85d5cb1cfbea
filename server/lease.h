/* lease.h -- the active daemon's lease: only the junhengd that holds a
 * PostgreSQL session advisory lock (key LEASE_LOCK_KEY) writes; a second
 * junhengd started with the same database waits for it as a standby.
 *
 * The lock is held on a small connection of its own (never the admin or
 * commit connection, which the daemon closes on a timeout): PostgreSQL
 * releases it when that session ends -- the daemon died, or the server that
 * holds the session died -- and a standby polling every standby_poll_ms
 * takes it. The active daemon proves its session alive with a round trip
 * every standby_poll_ms (unanswered for lease_timeout_ms: lost). A daemon
 * that loses its session sends no group until it has taken the lock again
 * on the read-write server: submissions are answered "retry later"
 * (ingest_set_fenced; reads are still served); when its own old session
 * still holds the lock
 * there (a backend left hanging) that backend is ended; when another daemon
 * holds it, it steps down. */
#ifndef JUNHENG_LEASE_H
#define JUNHENG_LEASE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* The advisory lock's key (pg_try_advisory_lock(bigint)); migrations use
 * 7401001. */
#define LEASE_LOCK_KEY 7401002

/* junhengd's exit status when it steps down (another daemon took the lock
 * while this one had lost its session): the service manager restarts it,
 * and it comes back as a standby (EX_TEMPFAIL). */
#define LEASE_EXIT_STEPPED_DOWN 75

typedef enum {
    LEASE_HELD,    /* this daemon holds the lock: it may write */
    LEASE_LOST,    /* its session was lost: write nothing until re-acquired */
    LEASE_TAKEN    /* another daemon holds the lock: step down */
} lease_state;

typedef struct lease lease;

/* Creates the lease for cfg's database (the config must outlive it); no
 * connection yet. NULL when out of memory. */
lease *lease_new(const config *cfg);
/* Closes its connection (releasing the lock), frees it, sets *p to NULL. */
void lease_destroy(lease **p);
/* At start: takes the lock, waiting as a standby (logged) while another
 * daemon holds it, trying every standby_poll_ms (through database outages
 * too, once it has reached the database). Returns 0 when held, 1 when *stop
 * was set meanwhile, -1 (logged) when the database cannot be reached at
 * all. */
int lease_acquire(lease *self, volatile sig_atomic_t *stop);
/* Each turn of the event loop (never waits long: a round trip is sent and
 * read later; re-taking the lock after a loss is one short statement every
 * standby_poll_ms). Returns the lease's state now. */
lease_state lease_tick(lease *self, int64_t now_ms);

/* Whether the lease is not held now (its session lost, or taken by another
 * daemon): nothing is written. */
bool lease_not_held(const lease *self);

/* What the lease went through since start, for the metrics. */
typedef struct {
    lease_state state;
    bool took_over;          /* this daemon waited as a standby, then took the lock (a daemon failover) */
    uint64_t lost;           /* times its session was lost (a database failover or outage) */
    uint64_t regained;       /* times it took the lock again after a loss, and resumed writing */
} lease_counts;
/* Fills *out. */
void lease_read_counts(const lease *self, lease_counts *out);

#endif
