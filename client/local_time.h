/* local_time.h -- the one time zone of every time the client shows (the
 * report, status and watch): global --tz ZONE, else $JUNHENG_TZ, else
 * Asia/Shanghai. Times are shown as local times; a document names the zone
 * once ("2026-12-05 14:03 (Asia/Shanghai, UTC+8)"), never UTC beside local.
 * The daemon's own times (computed_at) are UTC and converted here. */
#ifndef JUNHENG_LOCAL_TIME_H
#define JUNHENG_LOCAL_TIME_H

#include <stddef.h>
#include <time.h>

#define LOCAL_TIME_DEFAULT_ZONE "Asia/Shanghai"

/* Chooses the zone: zone when not NULL or empty, else $JUNHENG_TZ, else the
 * default; a zone is an IANA name with a tz database file (Asia/Shanghai,
 * Europe/Berlin) or UTC. Sets TZ for this process, so localtime_r follows.
 * Returns 0, or -1 with the reason in err (the zone unknown). */
int local_time_set_zone(const char *zone, char *err, size_t errlen);

/* The zone chosen ("Asia/Shanghai"). Static storage. */
const char *local_time_zone(void);

/* t as local "2026-12-05 14:03" into buf. */
void local_time_format(time_t t, char *buf, size_t size);

/* The zone as a reader needs it, "Asia/Shanghai, UTC+8" (UTC+5:30 with
 * minutes), at time t, into buf. */
void local_time_zone_label(time_t t, char *buf, size_t size);

/* A daemon time "2026-12-05T06:03:00Z" (ISO 8601 UTC) as local
 * "2026-12-05 14:03" into buf. Returns 0, or -1 when iso is not such a time
 * (then buf holds iso as it is). */
int local_time_from_utc_text(const char *iso, char *buf, size_t size);

#endif
