/* log.h -- one line per event on stderr: "2026-11-23T18:40:01.123Z INFO message".
 * The only I/O is the write to stderr (which log_to_file may point at a
 * file, reopened by log_reopen); the level is process-wide. */
#ifndef JUNHENG_LOG_H
#define JUNHENG_LOG_H

typedef enum { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Sets the lowest level that is written (default LOG_INFO). */
void log_set_level(log_level level);
/* Parses "debug", "info", "warn"/"warning", "error"; returns -1 if unknown. */
int log_level_parse(const char *name);
/* Points stderr (fd 2) at path, appending (created mode 0640 when missing),
 * and remembers path for log_reopen. Returns 0, or -1 with errno (stderr
 * unchanged). */
int log_to_file(const char *path);
/* Opens the log_to_file path again (after logrotate moved the file away; a
 * new one is created). Returns 1 reopened, 0 when logging to stderr as
 * started, -1 with errno (the old file kept). */
int log_reopen(void);
/* Writes one log line if level is enabled. */
void log_write(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)

#endif
