/* service_notify.c -- sd_notify for junhengd. See service_notify.h. */
#include "service_notify.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "log.h"

/* The watchdog: half of WATCHDOG_USEC in ms (0: none), and when the next
 * WATCHDOG=1 is due (monotonic ms; 0: at the next turn). */
static int64_t watchdog_every_ms;
static int64_t watchdog_next_ms;

/* Sends one notification; a failure (a socket gone) is logged once. */
static void notify(const char *text)
{
    static int warned;
    int rc = sd_notify(0, text);
    if (rc < 0 && !warned) {
        warned = 1;
        log_warn("sd_notify: %s", strerror(-rc));
    }
}

void service_notify_status(const char *fmt, ...)
{
    char text[512] = "STATUS=";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + 7, sizeof text - 7, fmt, ap);
    va_end(ap);
    notify(text);
}

void service_notify_ready(const char *status)
{
    char text[600];
    snprintf(text, sizeof text, "READY=1\nSTATUS=%s", status);
    notify(text);
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        watchdog_every_ms = (int64_t)(usec / 2000);
        if (watchdog_every_ms < 1)
            watchdog_every_ms = 1;
        watchdog_next_ms = 0;
        log_info("systemd watchdog: %lld ms; the event loop pings every %lld ms", (long long)(usec / 1000),
                 (long long)watchdog_every_ms);
    }
}

void service_notify_stopping(const char *status)
{
    char text[600];
    snprintf(text, sizeof text, "STOPPING=1\nSTATUS=%s", status);
    notify(text);
}

void service_watchdog_kick(int64_t now)
{
    if (watchdog_every_ms <= 0 || now < watchdog_next_ms)
        return;
    notify("WATCHDOG=1");
    watchdog_next_ms = now + watchdog_every_ms;
}

long service_watchdog_timeout_ms(int64_t now)
{
    if (watchdog_every_ms <= 0)
        return LONG_MAX;
    int64_t left = watchdog_next_ms - now;
    return left < 0 ? 0 : left > LONG_MAX ? LONG_MAX : (long)left;
}
