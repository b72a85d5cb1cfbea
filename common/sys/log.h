/* log.h -- one line per event on stderr: "2026-11-23T18:40:01.123Z INFO message".
 * The only I/O is the write to stderr; the level is process-wide. */
#ifndef JUNHENG_LOG_H
#define JUNHENG_LOG_H

typedef enum { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Sets the lowest level that is written (default LOG_INFO). */
void log_set_level(log_level level);
/* Parses "debug", "info", "warn"/"warning", "error"; returns -1 if unknown. */
int log_level_parse(const char *name);
/* Writes one log line if level is enabled. */
void log_write(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)

#endif
