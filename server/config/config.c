/* config.c -- junhengd configuration. See config.h. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_paths.h"
#include "file_read.h"
#include "kv_text.h"
#include "log.h"

void config_defaults(config *self)
{
    memset(self, 0, sizeof *self);
    snprintf(self->submit_endpoint, CONFIG_STR, "tcp://127.0.0.1:7401");
    snprintf(self->publish_endpoint, CONFIG_STR, "tcp://127.0.0.1:7402");
    snprintf(self->snapshot_endpoint, CONFIG_STR, "tcp://127.0.0.1:7403");
    snprintf(self->admin_endpoint, CONFIG_STR, "tcp://127.0.0.1:7404");
    self->allow_plaintext = false;
    snprintf(self->secret_key_file, CONFIG_STR, "/etc/junheng/junhengd.key_secret");
    self->log_level = LOG_INFO;
    self->batch_max = 512;
    self->batch_max_ms = 5;
    /* the source tree's from the build tree, else the installed ones */
    snprintf(self->migrations_dir, CONFIG_STR, "%s", data_paths_migrations_dir());
    snprintf(self->rules_file, CONFIG_STR, "%s/national-2017.conf", data_paths_rules_dir());
    self->min_period = 2015;
    self->max_period = 0;
    self->reconnect_ms = 1000;
    self->commit_timeout_ms = 30000;
    self->statement_timeout_ms = 30000;
    self->publish_interval_ms = 20;
    self->max_pending_per_peer = 256;
    self->period_utc_offset_hours = 8;
    self->period_warning_days = 7;
    self->standby_poll_ms = 500;
    self->lease_timeout_ms = 5000;
    self->session_idle_timeout_s = 1800;
    self->session_max_age_s = 43200;
    self->login_max_failures = 5;
    self->login_failure_window_s = 900;
    self->login_lockout_s = 60;
}

/* Parses a whole decimal integer in [lo, hi]. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *s, bool *out)
{
    if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
        *out = false;
        return 0;
    }
    return -1;
}

typedef enum { K_STR, K_INT, K_BOOL, K_LEVEL } key_type;
typedef struct {
    const char *name;
    key_type type;
    size_t offset;
    int lo, hi;
} key_def;

#define STR(k) { #k, K_STR, offsetof(config, k), 0, 0 }
#define INT(k, lo, hi) { #k, K_INT, offsetof(config, k), lo, hi }
static const key_def KEYS[] = {
    STR(database),
    STR(submit_endpoint),
    STR(publish_endpoint),
    STR(snapshot_endpoint),
    STR(admin_endpoint),
    { "allow_plaintext", K_BOOL, offsetof(config, allow_plaintext), 0, 0 },
    STR(secret_key_file),
    STR(admin_public_keys),
    { "log_level", K_LEVEL, offsetof(config, log_level), 0, 0 },
    STR(log_file),
    INT(batch_max, 1, 100000),
    INT(batch_max_ms, 0, 10000),
    STR(migrations_dir),
    STR(rules_file),
    INT(min_period, 1900, 2200),
    INT(max_period, 0, 2200),
    INT(reconnect_ms, 10, 600000),
    INT(commit_timeout_ms, 0, 3600000),
    INT(statement_timeout_ms, 0, 3600000),
    INT(publish_interval_ms, 0, 60000),
    INT(max_pending_per_peer, 1, 1000000),
    INT(period_utc_offset_hours, -12, 14),
    INT(period_warning_days, 0, 366),
    STR(metrics_listen),
    INT(quarantine_retention_days, 0, 36500),
    INT(status_history_retention_days, 0, 36500),
    INT(standby_poll_ms, 10, 60000),
    INT(lease_timeout_ms, 100, 600000),
    INT(session_idle_timeout_s, 1, 86400 * 7),
    INT(session_max_age_s, 1, 86400 * 30),
    INT(login_max_failures, 1, 1000),
    INT(login_failure_window_s, 1, 86400),
    INT(login_lockout_s, 1, 86400),
};
#undef STR
#undef INT

int config_set(config *self, const char *key, const char *value, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        const key_def *k = &KEYS[i];
        if (strcmp(k->name, key) != 0)
            continue;
        char *field = (char *)self + k->offset;
        switch (k->type) {
        case K_STR:
            if (strlen(value) >= CONFIG_STR) {
                snprintf(err, errlen, "%s: value longer than %d bytes", key, CONFIG_STR - 1);
                return -1;
            }
            snprintf(field, CONFIG_STR, "%s", value);
            return 0;
        case K_INT:
            if (parse_int(value, k->lo, k->hi, (int *)field) != 0) {
                snprintf(err, errlen, "%s: '%s' is not a whole number in %d..%d", key, value, k->lo, k->hi);
                return -1;
            }
            return 0;
        case K_BOOL:
            if (parse_bool(value, (bool *)field) != 0) {
                snprintf(err, errlen, "%s: '%s' is not yes or no", key, value);
                return -1;
            }
            return 0;
        case K_LEVEL: {
            int lvl = log_level_parse(value);
            if (lvl < 0) {
                snprintf(err, errlen, "%s: '%s' is not one of debug, info, warn, error", key, value);
                return -1;
            }
            *(int *)field = lvl;
            return 0;
        }
        }
    }
    snprintf(err, errlen, "unknown config key '%s'", key);
    return -1;
}

int config_load_file(config *self, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    if (file_read_all(path, 0, 0, &text, &len, NULL) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    kv_list list;
    char inner[1024];
    size_t line = 0;
    int rc = kv_text_parse(text, &list, inner, sizeof inner, &line) == KV_OK ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < list.n; i++) {
        line = list.items[i].line;
        rc = config_set(self, list.items[i].key, list.items[i].value, inner, sizeof inner);
    }
    if (rc != 0)
        snprintf(err, errlen, "%s:%zu: %s", path, line, inner);
    kv_list_free(&list);
    free(text);
    return rc;
}

int config_read_args(config *self, int argc, char *const argv[], config_actions *actions, char *err,
                     size_t errlen)
{
    memset(actions, 0, sizeof *actions);
    int argi = 1;
    if (argc > 1 && argv[1][0] != '-') {
        if (config_load_file(self, argv[1], err, errlen) != 0)
            return -1;
        argi = 2;
    }
    for (; argi < argc; argi++) {
        const char *a = argv[argi];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            actions->help = true;
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            actions->version = true;
            return 0;
        }
        if (strcmp(a, "--migrate-only") == 0) {
            actions->migrate_only = true;
            continue;
        }
        if (strcmp(a, "--check-config") == 0) {
            actions->check_only = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || argi + 1 >= argc) {
            snprintf(err, errlen, "'%s': expected --KEY VALUE (see --help)", a);
            return -1;
        }
        if (config_set(self, a + 2, argv[argi + 1], err, errlen) != 0)
            return -1;
        argi++;
    }
    return 0;
}

/* Whether an endpoint is loopback or ipc (safe for plaintext). */
static bool endpoint_is_local(const char *ep)
{
    return strncmp(ep, "ipc://", 6) == 0 || strncmp(ep, "inproc://", 9) == 0 ||
           strncmp(ep, "tcp://127.", 10) == 0 || strncmp(ep, "tcp://localhost:", 16) == 0 ||
           strncmp(ep, "tcp://[::1]:", 12) == 0;
}

int config_check(const config *self, char *err, size_t errlen)
{
    const char *eps[] = { self->submit_endpoint, self->publish_endpoint, self->snapshot_endpoint,
                          self->admin_endpoint };
    const char *names[] = { "submit_endpoint", "publish_endpoint", "snapshot_endpoint", "admin_endpoint" };
    for (int i = 0; i < 4; i++) {
        if (eps[i][0] == '\0') {
            snprintf(err, errlen, "%s: must not be empty", names[i]);
            return -1;
        }
        if (self->allow_plaintext && !endpoint_is_local(eps[i])) {
            snprintf(err, errlen, "%s: '%s' is not loopback or ipc; plaintext is allowed only on local endpoints",
                     names[i], eps[i]);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(eps[i], eps[j]) == 0) {
                snprintf(err, errlen, "%s and %s are both '%s'", names[j], names[i], eps[i]);
                return -1;
            }
    }
    if (!self->allow_plaintext && self->secret_key_file[0] == '\0') {
        snprintf(err, errlen, "secret_key_file: must be set unless allow_plaintext is yes "
                              "(make one with: junheng keygen /etc/junheng/junhengd)");
        return -1;
    }
    if (self->max_period && self->max_period < self->min_period) {
        snprintf(err, errlen, "max_period %d is before min_period %d", self->max_period, self->min_period);
        return -1;
    }
    return 0;
}

void config_describe(const config *self, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0] && used < size; i++) {
        const key_def *k = &KEYS[i];
        const char *field = (const char *)self + k->offset;
        int n = 0;
        switch (k->type) {
        case K_STR: n = snprintf(buf + used, size - used, "%s \"%s\"\n", k->name, field); break;
        case K_INT: n = snprintf(buf + used, size - used, "%s %d\n", k->name, *(const int *)field); break;
        case K_BOOL: n = snprintf(buf + used, size - used, "%s %s\n", k->name, *(const bool *)field ? "yes" : "no"); break;
        case K_LEVEL: {
            static const char *lv[] = { "debug", "info", "warn", "error" };
            n = snprintf(buf + used, size - used, "%s %s\n", k->name, lv[*(const int *)field]);
            break;
        }
        }
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
