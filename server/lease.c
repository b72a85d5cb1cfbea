/* lease.c -- the active daemon's lease. See lease.h. */
#include "lease.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "service_notify.h"
#include "net.h"
#include "store.h"

struct lease {
    const config *cfg;
    store *db;             /* the lock's own connection */
    lease_state state;
    store_call *ping;      /* the round trip in flight, or NULL */
    int64_t ping_sent_ms;
    int64_t next_ms;       /* next round trip (held) or next try (lost) */
    char own_server[300];  /* where this daemon last held the lock ("HOST:PORT") ... */
    int own_pid;           /* ... and its session's backend pid there */
    bool said_own;         /* logged that its own old session still holds it */
};

lease *lease_new(const config *cfg)
{
    lease *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = cfg;
    self->state = LEASE_LOST;
    return self;
}

void lease_destroy(lease **p)
{
    if (!p || !*p)
        return;
    lease *self = *p;
    if (self->ping)
        store_call_abandon(self->db, &self->ping, "stopping");
    store_destroy(&self->db);
    free(self);
    *p = NULL;
}

/* Sleeps ms milliseconds (a signal cuts it short). */
static void pause_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Connects when needed (*reconnected: a new connection was opened) and
 * tries the lock once, unless try_lock is false. Returns STORE_OK with *held
 * set (and, when not held, *holder: the holder's backend pid or 0), or
 * STORE_DOWN / STORE_ERROR. Once held, remembers where and by which session. */
static int lease_try(lease *self, bool try_lock, bool *reconnected, bool *held, int *holder)
{
    *held = false;
    *holder = 0;
    *reconnected = false;
    if (!self->db) {
        self->db = store_new(self->cfg->database, self->cfg->statement_timeout_ms);
        if (!self->db)
            return STORE_DOWN;
        *reconnected = true;
    }
    if (!store_is_up(self->db)) {
        if (store_reconnect(self->db) != STORE_OK)
            return STORE_DOWN;
        *reconnected = true;
    }
    if (!try_lock)
        return STORE_OK;
    int rc = store_lease_try(self->db, LEASE_LOCK_KEY, held, holder);
    if (rc == STORE_OK && *held)
        self->own_pid = store_lease_session(self->db, self->own_server, sizeof self->own_server);
    return rc;
}

/* lease_acquire's log lines, each said once. */
typedef struct {
    bool standby, down;
} acquire_said;

int lease_acquire(lease *self, volatile sig_atomic_t *stop)
{
    acquire_said said = { false, false };
    bool after_loss = false;
    int64_t grace_until = 0;
    while (!*stop) {
        /* The connection died while standing by: most likely a database
         * failover, which the active daemon survives if it takes the lock
         * again on the new server. It gets the first tries there (it tries
         * every standby_poll_ms): a standby that took the lock instead
         * would make it step down, and every client move, for nothing. */
        if (said.standby && self->db && store_is_up(self->db) && !store_check(self->db)) {
            log_info("standby: the database connection was lost; on the next server the active daemon gets "
                     "%d ms to take the lock again first",
                     3 * self->cfg->standby_poll_ms);
            after_loss = true;
        }
        int64_t now = net_now_ms();
        bool held = false, reconnected = false;
        int holder = 0;
        int rc = lease_try(self, now >= grace_until && !after_loss, &reconnected, &held, &holder);
        if (rc == STORE_DOWN && !said.standby) {
            /* never connected: as without a standby, the start fails (the
             * service manager tries again) */
            log_error("database: %s", self->db ? store_last_error(self->db) : "out of memory");
            return -1;
        }
        if (rc == STORE_OK && reconnected && after_loss) {
            grace_until = now + 3 * self->cfg->standby_poll_ms;
            after_loss = false;
            held = false;
            if (grace_until > now) {
                pause_ms(self->cfg->standby_poll_ms);
                continue;
            }
        }
        if (rc == STORE_OK && held) {
            if (said.standby)
                log_info("standby: the lock is free; taking over (loading the state from the database)");
            self->state = LEASE_HELD;
            self->next_ms = net_now_ms() + self->cfg->standby_poll_ms;
            return 0;
        }
        if (rc == STORE_OK && !said.standby && now >= grace_until) {
            log_info("standby: another junhengd holds the lock (advisory lock %d); sockets not bound, trying "
                     "every %d ms",
                     LEASE_LOCK_KEY, self->cfg->standby_poll_ms);
            said.standby = true;
            /* under systemd (Type=notify) a standby is up and well: ready, so
             * that the start does not time out, and its watchdog fed below */
            service_notify_ready("standby: another junhengd holds the lock; taking over when it is freed");
        } else if (rc != STORE_OK && !said.down) {
            log_warn("standby: database unavailable (%s); still waiting for the lock",
                     self->db ? store_last_error(self->db) : "out of memory");
            said.down = true;
        }
        service_watchdog_kick(net_now_ms());
        pause_ms(self->cfg->standby_poll_ms);
    }
    return 1;
}

/* The lock's session is gone (why): nothing is written until it is taken
 * again. */
static void lease_lost(lease *self, int64_t now, const char *why)
{
    char text[256];
    snprintf(text, sizeof text, "%s", why); /* why may be the store's own error text */
    log_error("lease: the session holding the lock was lost (%s); taking no submission in until the lock is "
              "taken again",
              text);
    if (self->ping)
        store_call_abandon(self->db, &self->ping, text);
    else
        store_close(self->db, text);
    self->state = LEASE_LOST;
    self->next_ms = now;
}

/* While held: reads the round trip in flight, gives it up when overdue,
 * sends the next one when due. */
static void lease_check(lease *self, int64_t now)
{
    if (self->ping) {
        if (store_call_ready(self->db, self->ping)) {
            store_answer a;
            int rc = store_call_finish(self->db, &self->ping, &a);
            store_answer_clear(&a);
            if (rc != STORE_OK)
                lease_lost(self, now, store_last_error(self->db));
        } else if (now - self->ping_sent_ms >= self->cfg->lease_timeout_ms) {
            lease_lost(self, now, "no answer to the lease's round trip within lease_timeout_ms");
        }
        return;
    }
    if (!store_check(self->db)) {
        lease_lost(self, now, store_last_error(self->db));
        return;
    }
    if (now < self->next_ms)
        return;
    self->next_ms = now + self->cfg->standby_poll_ms;
    self->ping_sent_ms = now;
    if (store_lease_ping_send(self->db, &self->ping) != STORE_OK)
        lease_lost(self, now, store_last_error(self->db));
}

/* While lost, the lock is held by another session: this daemon's own old
 * one (the same server and backend pid: a backend left hanging, e.g. a
 * stopped server process, after the daemon gave its connection up), which
 * is ended and the lock tried again later; or another daemon's. */
static bool held_by_own_old_session(lease *self, int holder)
{
    char server[sizeof self->own_server];
    store_lease_session(self->db, server, sizeof server);
    if (holder == 0 || holder != self->own_pid || strcmp(server, self->own_server) != 0)
        return false;
    if (!self->said_own)
        log_warn("lease: this daemon's old session (backend %d) still holds the lock; ending it", holder);
    self->said_own = true;
    store_lease_end_session(self->db, holder);
    return true;
}

lease_state lease_tick(lease *self, int64_t now)
{
    if (self->state == LEASE_HELD) {
        lease_check(self, now);
        return self->state;
    }
    if (self->state == LEASE_TAKEN || now < self->next_ms)
        return self->state;
    self->next_ms = now + self->cfg->standby_poll_ms;
    bool held = false, reconnected = false;
    int holder = 0;
    int rc = lease_try(self, true, &reconnected, &held, &holder);
    if (rc == STORE_OK && held) {
        log_info("lease: lock taken again on the read-write server; writing resumes");
        self->state = LEASE_HELD;
        self->said_own = false;
    } else if (rc == STORE_OK && holder != 0 && !held_by_own_old_session(self, holder)) {
        log_error("lease: another junhengd holds the lock now; stepping down (exit %d: restart as a standby)",
                  LEASE_EXIT_STEPPED_DOWN);
        self->state = LEASE_TAKEN;
    }
    return self->state;
}
