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
    store_call *call;      /* in flight: the round trip (held) or a try (lost), or NULL */
    int64_t call_sent_ms;
    int64_t next_ms;       /* next round trip (held) or next try (lost) */
    char own_server[300];  /* where this daemon last held the lock ("HOST:PORT") ... */
    int own_pid;           /* ... and its session's backend pid there */
    int tried_own_pid;     /* the own old session's pid named in the try in flight (0: another server) */
    bool said_own;         /* logged that its own old session still holds it */
    bool took_over;        /* lease_counts */
    uint64_t lost, regained;
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
    if (self->call)
        store_call_abandon(self->db, &self->call, "stopping");
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
            self->took_over = said.standby;
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

/* The lock's session is gone (why): no group is sent until it is taken
 * again. */
static void lease_lost(lease *self, int64_t now, const char *why)
{
    char text[256];
    snprintf(text, sizeof text, "%s", why); /* why may be the store's own error text */
    log_error("lease: the session holding the lock was lost (%s); submissions answered \"retry later\" until the "
              "lock is taken again",
              text);
    if (self->call)
        store_call_abandon(self->db, &self->call, text);
    else
        store_close(self->db, text);
    self->state = LEASE_LOST;
    self->lost++;
    self->next_ms = now;
}

/* Whether the call in flight is finished (*rc and *a set: clear a), given up
 * as overdue (*rc STORE_DOWN, the connection closed), or still pending. */
static bool call_done(lease *self, int64_t now, int *rc, store_answer *a)
{
    memset(a, 0, sizeof *a);
    if (store_call_ready(self->db, self->call)) {
        *rc = store_call_finish(self->db, &self->call, a);
        return true;
    }
    if (now - self->call_sent_ms < self->cfg->lease_timeout_ms)
        return false;
    store_call_abandon(self->db, &self->call, "no answer within lease_timeout_ms");
    *rc = STORE_DOWN;
    return true;
}

/* While held: reads the round trip in flight, gives it up when overdue,
 * sends the next one when due. */
static void lease_check(lease *self, int64_t now)
{
    if (self->call) {
        int rc;
        store_answer a;
        if (call_done(self, now, &rc, &a) && rc != STORE_OK)
            lease_lost(self, now, store_last_error(self->db));
        store_answer_clear(&a);
        return;
    }
    if (!store_check(self->db)) {
        lease_lost(self, now, store_last_error(self->db));
        return;
    }
    if (now < self->next_ms)
        return;
    self->next_ms = now + self->cfg->standby_poll_ms;
    self->call_sent_ms = now;
    if (store_lease_ping_send(self->db, &self->call) != STORE_OK)
        lease_lost(self, now, store_last_error(self->db));
}

/* While lost: the outcome of a try. Held: writing resumes here. Held by this
 * daemon's own old session (ended by the try): tried again later. Held by
 * another daemon: step down. */
static void lease_tried(lease *self, int rc, const store_answer *a)
{
    if (rc != STORE_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", store_last_error(self->db));
        if (rc == STORE_DOWN)
            store_close(self->db, why); /* e.g. a standby in recovery: reconnect elsewhere */
        return;
    }
    if (a->found) {
        log_info("lease: lock taken again on the read-write server; writing resumes");
        self->own_pid = store_lease_session(self->db, self->own_server, sizeof self->own_server);
        self->state = LEASE_HELD;
        self->regained++;
        self->said_own = false;
    } else if (a->lease_holder != 0 && a->lease_holder == self->tried_own_pid) {
        if (!self->said_own)
            log_warn("lease: this daemon's old session (backend %d) still holds the lock; ending it",
                     a->lease_holder);
        self->said_own = true;
    } else if (a->lease_holder != 0) {
        log_error("lease: another junhengd holds the lock now; stepping down (exit %d: restart as a standby)",
                  LEASE_EXIT_STEPPED_DOWN);
        self->state = LEASE_TAKEN;
    }
}

lease_state lease_tick(lease *self, int64_t now)
{
    if (self->state == LEASE_HELD) {
        lease_check(self, now);
        return self->state;
    }
    if (self->state == LEASE_TAKEN)
        return self->state;
    if (self->call) {
        int rc;
        store_answer a;
        if (call_done(self, now, &rc, &a))
            lease_tried(self, rc, &a);
        store_answer_clear(&a);
        return self->state;
    }
    if (now < self->next_ms)
        return self->state;
    self->next_ms = now + self->cfg->standby_poll_ms;
    bool held = false, reconnected = false;
    int holder = 0;
    if (lease_try(self, false, &reconnected, &held, &holder) != STORE_OK)
        return self->state;
    /* this daemon's own old session can only be on the server it held the lock on */
    char server[sizeof self->own_server];
    store_lease_session(self->db, server, sizeof server);
    self->tried_own_pid = strcmp(server, self->own_server) == 0 ? self->own_pid : 0;
    self->call_sent_ms = now;
    store_lease_try_send(self->db, LEASE_LOCK_KEY, self->tried_own_pid, &self->call);
    return self->state;
}

void lease_read_counts(const lease *self, lease_counts *out)
{
    out->state = self->state;
    out->took_over = self->took_over;
    out->lost = self->lost;
    out->regained = self->regained;
}

bool lease_not_held(const lease *self)
{
    return self->state != LEASE_HELD;
}
