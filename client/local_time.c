/* local_time.c -- see local_time.h. */
#define _GNU_SOURCE /* timegm, tm_gmtoff */
#include "local_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

static char ZONE[128] = LOCAL_TIME_DEFAULT_ZONE;

/* Whether the tz database has name (a file under $TZDIR or
 * /usr/share/zoneinfo); a name climbing out of it (..) never does. */
static int zone_file_exists(const char *name)
{
    if (name[0] == '/' || strstr(name, ".."))
        return 0;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    return access(path, R_OK) == 0;
}

int local_time_set_zone(const char *zone, char *err, size_t errlen)
{
    const char *env = getenv("JUNHENG_TZ");
    const char *name = zone && *zone ? zone : env && *env ? env : LOCAL_TIME_DEFAULT_ZONE;
    const char *tz = name;
    if (strlen(name) >= sizeof ZONE) {
        snprintf(err, errlen, _("time zone '%.40s...' is too long"), name);
        return -1;
    }
    if (strcmp(name, "UTC") == 0)
        tz = "UTC0";
    else if (!zone_file_exists(name)) {
        if (strcmp(name, LOCAL_TIME_DEFAULT_ZONE) != 0) {
            snprintf(err, errlen, _("unknown time zone '%s': give a tz database name such as Asia/Shanghai or UTC"),
                     name);
            return -1;
        }
        tz = "CST-8"; /* no tzdata installed: China has kept UTC+8 without daylight saving since 1991 */
    }
    snprintf(ZONE, sizeof ZONE, "%s", name);
    if (setenv("TZ", tz, 1) != 0) {
        snprintf(err, errlen, _("cannot set the time zone: out of memory"));
        return -1;
    }
    tzset();
    return 0;
}

const char *local_time_zone(void)
{
    return ZONE;
}

void local_time_format(time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (size == 0)
        return;
    buf[0] = '\0';
    if (localtime_r(&t, &tm))
        strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

void local_time_zone_label(time_t t, char *buf, size_t size)
{
    struct tm tm;
    long off = localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
    char sign = off < 0 ? '-' : '+';
    long a = off < 0 ? -off : off;
    if (a % 3600 == 0)
        snprintf(buf, size, "%s, UTC%c%ld", ZONE, sign, a / 3600);
    else
        snprintf(buf, size, "%s, UTC%c%ld:%02ld", ZONE, sign, a / 3600, a % 3600 / 60);
}

int local_time_from_utc_text(const char *iso, char *buf, size_t size)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (end && *end == '.')
        for (end++; *end >= '0' && *end <= '9'; end++)
            ;
    if (!end || (strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0)) {
        snprintf(buf, size, "%s", iso ? iso : "");
        return -1;
    }
    local_time_format(timegm(&tm), buf, size);
    return 0;
}
