/* config.h -- junhengd's configuration: defaults, the config file
 * (redis.conf style: `key value` lines, # comments) and `--key value`
 * command-line overrides. deploy/junhengd.conf documents every key. */
#ifndef JUNHENG_CONFIG_H
#define JUNHENG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_STR 512

typedef struct {
    char database[CONFIG_STR];          /* libpq conninfo; "" = PG* environment */
    char submit_endpoint[CONFIG_STR];
    char publish_endpoint[CONFIG_STR];
    char snapshot_endpoint[CONFIG_STR];
    char admin_endpoint[CONFIG_STR];
    bool allow_plaintext;               /* NULL mechanism (no CURVE): local endpoints only */
    char secret_key_file[CONFIG_STR];   /* the daemon's CURVE keypair (NAME.key_secret) */
    char admin_public_keys[CONFIG_STR]; /* bootstrap admin keys: Z85 keys or .key files, blank/comma separated */
    int log_level;                      /* log_level from log.h */
    char log_file[CONFIG_STR];          /* "" = stderr; else appended to, reopened on SIGHUP */
    int batch_max;                      /* commit after this many submissions ... */
    int batch_max_ms;                   /* ... or this many ms after the first, whichever first */
    char migrations_dir[CONFIG_STR];
    char rules_file[CONFIG_STR];
    int min_period;                     /* oldest school year accepted */
    int max_period;                     /* newest school year accepted; 0 = this year + 1 */
    int reconnect_ms;                   /* pause between database reconnection attempts */
    int commit_timeout_ms;              /* a group commit unanswered this long: connection given up (0: never) */
    int statement_timeout_ms;           /* PostgreSQL's statement_timeout on every connection (0: none) */
    int publish_interval_ms;            /* coalescing window for county status publications */
    int max_pending_per_peer;           /* submissions one key (identity) may have waiting in a batch */
    int period_utc_offset_hours;        /* the review chain's dates (period closing) are in UTC+this */
    int period_warning_days;            /* statuses say closing_soon this many days before a period closes */
    char metrics_listen[CONFIG_STR];    /* HOST:PORT of /metrics and /healthz (HTTP); "" = off */
    int quarantine_retention_days;      /* quarantined messages older than this are deleted (0: kept) */
    int status_history_retention_days;  /* status history older than this is deleted (0: kept) */
    int standby_poll_ms;                /* HA: how often a standby (or a daemon that lost its lease) tries the lock */
    int lease_timeout_ms;               /* HA: the lease's round trip unanswered this long: the lease is lost */
    int session_idle_timeout_s;         /* web users: a session unused this long ends */
    int session_max_age_s;              /* web users: a session ends this long after its login, used or not */
    int login_max_failures;             /* web users: wrong passwords (per user, per address) before refusing */
    int login_failure_window_s;         /* ... counted within this window */
    int login_lockout_s;                /* ... then refused this long, doubled at each further failure */
} config;

/* Fills every key with its default. */
void config_defaults(config *self);

/* Sets one key from its text value. Returns 0, or -1 with a reason naming the
 * key in err (unknown key, bad value). */
int config_set(config *self, const char *key, const char *value, char *err, size_t errlen);

/* Reads a config file (common/kv_text.h format: `#` comments anywhere outside
 * a quoted value, a repeated key is an error). Returns 0, or -1 with
 * "FILE:LINE: reason" in err. */
int config_load_file(config *self, const char *path, char *err, size_t errlen);

/* What junhengd's command line asks for besides the configuration. */
typedef struct {
    bool help;           /* --help or -h */
    bool version;        /* --version */
    bool migrate_only;   /* --migrate-only */
    bool check_only;     /* --check-config */
} config_actions;

/* Reads junhengd's command line, [CONFIG_FILE] [--KEY VALUE ...] with the
 * flags above (argv[0] is the program), onto self (which holds the defaults):
 * the file first, then every --KEY VALUE over it, so the command line wins.
 * Stops at --help or --version. Does not run config_check. Returns 0, or -1
 * with err: the file's "FILE:LINE: reason", config_set's reason, or
 * "'ARG': expected --KEY VALUE (see --help)". */
int config_read_args(config *self, int argc, char *const argv[], config_actions *actions, char *err,
                     size_t errlen);

/* Checks cross-key rules after everything is set. Returns 0 or -1 with err. */
int config_check(const config *self, char *err, size_t errlen);

/* Writes every key and its current value, one per line, to buf (for --help
 * and `admin stats`). */
void config_describe(const config *self, char *buf, size_t size);

#endif
