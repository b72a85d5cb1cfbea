/* test_config.c -- junhengd's configuration reader through config.h
 * (library junheng_config): the defaults, the shipped deploy/junhengd.conf
 * (every key documented there, every line of it and every commented
 * example parses), the command line over the file, unknown keys, bad
 * values, a repeated key, trailing comments and quoted values, and the
 * cross-key checks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#define SHIPPED_CONF JUNHENG_RULES_DIR "/../junhengd.conf"

/* Writes text to a new temporary file; returns its path (static buffer, one
 * at a time). */
static const char *conf_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/junheng-test-config-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    cr_assert_eq(fputs(text, f) >= 0, 1);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* Loads text as a config file over the defaults; returns config_load_file's
 * result, the error in err (the file name replaced by "F"). */
static int load_text(config *cfg, const char *text, char *err, size_t errlen)
{
    config_defaults(cfg);
    const char *path = conf_file(text);
    char raw[1024] = "";
    int rc = config_load_file(cfg, path, raw, sizeof raw);
    unlink(path);
    size_t n = strlen(path);
    snprintf(err, errlen, "%s", strncmp(raw, path, n) == 0 ? raw + n - 1 : raw);
    if (strncmp(raw, path, n) == 0)
        err[0] = 'F';
    return rc;
}

Test(config, defaults)
{
    config c;
    config_defaults(&c);
    cr_assert_str_eq(c.database, "");
    cr_assert_str_eq(c.submit_endpoint, "tcp://127.0.0.1:7401");
    cr_assert_str_eq(c.publish_endpoint, "tcp://127.0.0.1:7402");
    cr_assert_str_eq(c.snapshot_endpoint, "tcp://127.0.0.1:7403");
    cr_assert_str_eq(c.admin_endpoint, "tcp://127.0.0.1:7404");
    cr_assert_not(c.allow_plaintext);
    cr_assert_str_eq(c.secret_key_file, "/etc/junheng/junhengd.key_secret");
    cr_assert_str_eq(c.admin_public_keys, "");
    cr_assert_eq(c.log_level, LOG_INFO);
    cr_assert_eq(c.batch_max, 512);
    cr_assert_eq(c.batch_max_ms, 5);
    cr_assert_eq(c.min_period, 2015);
    cr_assert_eq(c.max_period, 0);
    cr_assert_eq(c.reconnect_ms, 1000);
    cr_assert_eq(c.commit_timeout_ms, 30000);
    cr_assert_eq(c.publish_interval_ms, 20);
    cr_assert_eq(c.max_pending_per_peer, 256);
    cr_assert_not_null(strstr(c.rules_file, "national-2017.conf"));
    char err[256] = "";
    cr_assert_eq(config_check(&c, err, sizeof err), 0, "%s", err);
}

Test(config, shipped_file_holds_the_defaults)
{
    config want, got;
    config_defaults(&want);
    config_defaults(&got);
    char err[1024] = "";
    cr_assert_eq(config_load_file(&got, SHIPPED_CONF, err, sizeof err), 0, "%s", err);
    cr_assert_eq(memcmp(&want, &got, sizeof want), 0, "deploy/junhengd.conf says its values are the defaults");
}

/* Whether the shipped file has a line "KEY ..." or "# KEY ..." (an example). */
static const char *documented(const char *text, const char *key, size_t keylen)
{
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *p = line;
        if (p[0] == '#' && p[1] == ' ')
            p += 2;
        if (strncmp(p, key, keylen) == 0 && p[keylen] == ' ')
            return p;
    }
    return NULL;
}

Test(config, every_key_documented_in_the_shipped_file_and_its_examples_parse)
{
    FILE *f = fopen(SHIPPED_CONF, "r");
    cr_assert_not_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    config c;
    config_defaults(&c);
    static char keys[8192];
    config_describe(&c, keys, sizeof keys); /* every key, one a line */
    int count = 0;
    for (char *line = strtok(keys, "\n"); line; line = strtok(NULL, "\n"), count++) {
        size_t keylen = strcspn(line, " ");
        const char *doc = documented(text, line, keylen);
        cr_assert_not_null(doc, "key %.*s is not in deploy/junhengd.conf", (int)keylen, line);
        /* the line's value, as written (an example may be commented out) */
        char key[64], value[256];
        snprintf(key, sizeof key, "%.*s", (int)keylen, line);
        const char *v = doc + keylen + 1;
        size_t vlen = strcspn(v, "\n");
        snprintf(value, sizeof value, "%.*s", (int)vlen, v);
        if (value[0] == '"' && vlen >= 2 && value[vlen - 1] == '"') {
            memmove(value, value + 1, vlen - 2);
            value[vlen - 2] = '\0';
        }
        char err[256] = "";
        cr_assert_eq(config_set(&c, key, value, err, sizeof err), 0, "%s %s: %s", key, value, err);
    }
    cr_assert_geq(count, 19, "config_describe lists every key");
}

Test(config, describe_reads_back)
{
    config c, back;
    config_defaults(&c);
    char err[512] = "";
    cr_assert_eq(config_set(&c, "database", "host=/tmp/pg dbname=j # x", err, sizeof err), 0);
    cr_assert_eq(config_set(&c, "log_level", "warn", err, sizeof err), 0);
    cr_assert_eq(config_set(&c, "allow_plaintext", "yes", err, sizeof err), 0);
    cr_assert_eq(config_set(&c, "max_period", "2030", err, sizeof err), 0);
    static char text[8192];
    config_describe(&c, text, sizeof text);
    cr_assert_eq(load_text(&back, text, err, sizeof err), 0, "%s\n%s", err, text);
    cr_assert_eq(memcmp(&c, &back, sizeof c), 0, "%s", text);
}

Test(config, command_line_wins_over_the_file)
{
    const char *path = conf_file("batch_max 100\nlog_level debug\ndatabase \"dbname=file\"\n");
    char *argv[] = { "junhengd", (char *)path, "--batch_max", "7", "--check-config", "--database", "dbname=cli",
                     "--migrate-only" };
    config c;
    config_defaults(&c);
    config_actions act;
    char err[1024] = "";
    int rc = config_read_args(&c, 8, argv, &act, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(c.batch_max, 7, "the command line wins");
    cr_assert_str_eq(c.database, "dbname=cli");
    cr_assert_eq(c.log_level, LOG_DEBUG, "the file's other keys stay");
    cr_assert_eq(c.batch_max_ms, 5, "keys given nowhere keep their defaults");
    cr_assert(act.check_only);
    cr_assert(act.migrate_only);
    cr_assert_not(act.help);
}

Test(config, command_line_without_a_file_and_its_errors)
{
    config c;
    config_actions act;
    char err[1024];
    char *ok[] = { "junhengd", "--publish_interval_ms", "0", "--allow_plaintext", "yes" };
    config_defaults(&c);
    cr_assert_eq(config_read_args(&c, 5, ok, &act, err, sizeof err), 0, "%s", err);
    cr_assert_eq(c.publish_interval_ms, 0);
    cr_assert(c.allow_plaintext);

    char *missing[] = { "junhengd", "--batch_max" };
    cr_assert_eq(config_read_args(&c, 2, missing, &act, err, sizeof err), -1);
    cr_assert_str_eq(err, "'--batch_max': expected --KEY VALUE (see --help)");
    char *stray[] = { "junhengd", "--batch_max", "3", "stray", "x" };
    cr_assert_eq(config_read_args(&c, 5, stray, &act, err, sizeof err), -1);
    cr_assert_str_eq(err, "'stray': expected --KEY VALUE (see --help)");
    char *unknown[] = { "junhengd", "--batchmax", "3" };
    cr_assert_eq(config_read_args(&c, 3, unknown, &act, err, sizeof err), -1);
    cr_assert_str_eq(err, "unknown config key 'batchmax'");
    char *nofile[] = { "junhengd", "/nonexistent/junhengd.conf" };
    cr_assert_eq(config_read_args(&c, 2, nofile, &act, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "/nonexistent/junhengd.conf"), "%s", err);
    char *help[] = { "junhengd", "--help", "--not-a-key" };
    cr_assert_eq(config_read_args(&c, 3, help, &act, err, sizeof err), 0, "--help stops the reading");
    cr_assert(act.help);
    char *version[] = { "junhengd", "--version" };
    cr_assert_eq(config_read_args(&c, 2, version, &act, err, sizeof err), 0);
    cr_assert(act.version);
    cr_assert_not(act.help);
}

Test(config, unknown_key_in_the_file_names_its_line)
{
    config c;
    char err[1024];
    cr_assert_eq(load_text(&c, "# junhengd\nbatch_max 10\n\nbatch_maxx 11\n", err, sizeof err), -1);
    cr_assert_str_eq(err, "F:4: unknown config key 'batch_maxx'");
}

Test(config, repeated_key_is_an_error)
{
    config c;
    char err[1024];
    cr_assert_eq(load_text(&c, "batch_max 10\nlog_level info\nbatch_max 11\n", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "F:3: "), "%s", err);
    cr_assert_not_null(strstr(err, "batch_max given twice (first on line 1)"), "%s", err);
}

Test(config, trailing_comments_and_quoted_values)
{
    config c;
    char err[1024] = "";
    cr_assert_eq(load_text(&c,
                           "batch_max 10   # per group\n"
                           "database \"host=/tmp/a # b\"  # quoted: the # is kept\n"
                           "admin_public_keys \"\"\n"
                           "secret_key_file /etc/j/k.key_secret#no blank before it\r\n"
                           "   log_level   warn   \n",
                           err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(c.batch_max, 10);
    cr_assert_str_eq(c.database, "host=/tmp/a # b");
    cr_assert_str_eq(c.admin_public_keys, "");
    cr_assert_str_eq(c.secret_key_file, "/etc/j/k.key_secret");
    cr_assert_eq(c.log_level, LOG_WARN);
    cr_assert_eq(load_text(&c, "database \"unterminated\n", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "F:1: "), "%s", err);
}

/* config_set's verdict on one value, the reason in err. */
static int set1(const char *key, const char *value, char *err, size_t errlen)
{
    config c;
    config_defaults(&c);
    err[0] = '\0';
    return config_set(&c, key, value, err, errlen);
}

Test(config, bad_values_name_the_key)
{
    char err[1024];
    const char *bad[][2] = {
        { "batch_max", "0" },          { "batch_max", "100001" },   { "batch_max", "12abc" },
        { "batch_max", "" },           { "batch_max", "1e3" },      { "batch_max_ms", "-1" },
        { "min_period", "1899" },      { "max_period", "2201" },    { "reconnect_ms", "9" },
        { "commit_timeout_ms", "x" },  { "publish_interval_ms", "60001" },
        { "max_pending_per_peer", "0" }, { "allow_plaintext", "maybe" }, { "allow_plaintext", "" },
        { "log_level", "loud" },       { "batch_max", "99999999999999999999" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(set1(bad[i][0], bad[i][1], err, sizeof err), -1, "%s '%s' accepted", bad[i][0], bad[i][1]);
        cr_assert_eq(strncmp(err, bad[i][0], strlen(bad[i][0])), 0, "%s", err);
    }
    cr_assert_str_eq((set1("batch_max", "0", err, sizeof err), err), "batch_max: '0' is not a whole number in 1..100000");
    char long_value[CONFIG_STR + 1];
    memset(long_value, 'x', CONFIG_STR);
    long_value[CONFIG_STR] = '\0';
    cr_assert_eq(set1("database", long_value, err, sizeof err), -1);
    long_value[CONFIG_STR - 1] = '\0';
    cr_assert_eq(set1("database", long_value, err, sizeof err), 0, "511 bytes fit");
    const char *good[][2] = {
        { "batch_max", "1" },         { "batch_max", "100000" }, { "batch_max_ms", "0" },
        { "allow_plaintext", "true" }, { "allow_plaintext", "0" }, { "log_level", "error" },
        { "max_period", "0" },        { "commit_timeout_ms", "0" },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_assert_eq(set1(good[i][0], good[i][1], err, sizeof err), 0, "%s '%s': %s", good[i][0], good[i][1], err);
}

Test(config, cross_key_checks)
{
    config c;
    char err[1024];
    config_defaults(&c);
    c.allow_plaintext = true;
    cr_assert_eq(config_check(&c, err, sizeof err), 0, "%s", err);
    snprintf(c.publish_endpoint, CONFIG_STR, "tcp://0.0.0.0:7402");
    cr_assert_eq(config_check(&c, err, sizeof err), -1, "plaintext on a public endpoint");
    cr_assert_not_null(strstr(err, "publish_endpoint"), "%s", err);
    c.allow_plaintext = false;
    cr_assert_eq(config_check(&c, err, sizeof err), 0, "%s", err);
    snprintf(c.admin_endpoint, CONFIG_STR, "%s", c.submit_endpoint);
    cr_assert_eq(config_check(&c, err, sizeof err), -1);
    cr_assert_str_eq(err, "submit_endpoint and admin_endpoint are both 'tcp://127.0.0.1:7401'");
    config_defaults(&c);
    c.secret_key_file[0] = '\0';
    cr_assert_eq(config_check(&c, err, sizeof err), -1);
    config_defaults(&c);
    c.min_period = 2020;
    c.max_period = 2019;
    cr_assert_eq(config_check(&c, err, sizeof err), -1);
    cr_assert_str_eq(err, "max_period 2019 is before min_period 2020");
}
