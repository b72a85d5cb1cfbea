/* service_notify.h -- junhengd telling systemd how it is (sd_notify,
 * libsystemd): READY=1 once the state is loaded and the sockets bound,
 * STATUS= lines, WATCHDOG=1 from the event loop every half of
 * WATCHDOG_USEC, STOPPING=1 when a stop is requested. Without systemd (no
 * NOTIFY_SOCKET, no WATCHDOG_USEC) every call does nothing. Process-wide,
 * one thread (the loop's). */
#ifndef JUNHENG_SERVICE_NOTIFY_H
#define JUNHENG_SERVICE_NOTIFY_H

#include <stdint.h>

/* Sends STATUS=text (printf format). */
void service_notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Sends READY=1 with STATUS=text, and starts the watchdog when systemd asks
 * for one (sd_watchdog_enabled). */
void service_notify_ready(const char *status);
/* Sends STOPPING=1 with STATUS=text. */
void service_notify_stopping(const char *status);
/* From every turn of the event loop: WATCHDOG=1 when half the watchdog
 * interval has passed since the last (now: monotonic ms). */
void service_watchdog_kick(int64_t now);
/* Milliseconds until the next WATCHDOG=1 is due (LONG_MAX without a
 * watchdog): the loop sleeps no longer. */
long service_watchdog_timeout_ms(int64_t now);

#endif
