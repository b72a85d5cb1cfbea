/* log.c -- levelled, timestamped log lines on stderr. See log.h. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static log_level current_level = LOG_INFO;
static char log_path[PATH_MAX];   /* log_to_file's file, "" for stderr as started */
static const char *const LEVEL_NAMES[] = { "DEBUG", "INFO", "WARN", "ERROR" };

void log_set_level(log_level level)
{
    current_level = level;
}

int log_level_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "debug") == 0)
        return LOG_DEBUG;
    if (strcmp(name, "info") == 0)
        return LOG_INFO;
    if (strcmp(name, "warn") == 0 || strcmp(name, "warning") == 0)
        return LOG_WARN;
    if (strcmp(name, "error") == 0)
        return LOG_ERROR;
    return -1;
}

/* Opens path for appending onto fd 2. Returns 0 or -1 with errno. */
static int point_stderr_at(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    fflush(stderr);
    int rc = dup2(fd, STDERR_FILENO) < 0 ? -1 : 0;
    close(fd);
    return rc;
}

int log_to_file(const char *path)
{
    if (strlen(path) >= sizeof log_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (point_stderr_at(path) != 0)
        return -1;
    snprintf(log_path, sizeof log_path, "%s", path);
    return 0;
}

int log_reopen(void)
{
    if (!log_path[0])
        return 0;
    return point_stderr_at(log_path) == 0 ? 1 : -1;
}

void log_write(log_level level, const char *fmt, ...)
{
    if (level < current_level)
        return;
    struct timespec ts;
    struct tm tm;
    char stamp[32], line[2048];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line so concurrent writers do not interleave within a line. */
    fprintf(stderr, "%s.%03ldZ %-5s %s\n", stamp, ts.tv_nsec / 1000000L, LEVEL_NAMES[level], line);
}
