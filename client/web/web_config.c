/* web_config.c -- the gateway's settings (see web_config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_code.h"
#include "file_read.h"
#include "i18n.h"
#include "keyfile_io.h"
#include "kv_text.h"
#include "web_config.h"

void web_config_default(web_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
    snprintf(cfg->server, sizeof cfg->server, "127.0.0.1");
    snprintf(cfg->watch, sizeof cfg->watch, "all");
    cfg->session_idle_s = 1800;
    cfg->login_failures = 5;
    cfg->login_window_s = 300;
    transport_options_default(&cfg->transport);
    cfg->transport.timeout_ms = 2500;
    cfg->transport.retries = 1;
}

/* Reads a yes/no value. Returns 0 or -1. */
static int yes_no(const char *value, bool *out)
{
    if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
        *out = true;
    else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

/* Reads a whole number in lo..hi. Returns 0 or -1. */
static int number(const char *value, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* Copies value into dst (size bytes). Returns 0, or -1 when too long. */
static int text(const char *value, char *dst, size_t size)
{
    if (strlen(value) >= size)
        return -1;
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

int web_config_set(web_config *cfg, const char *key, const char *value, char *err, size_t errlen)
{
    int rc;
    if (strcmp(key, "listen") == 0)
        rc = text(value, cfg->listen, sizeof cfg->listen);
    else if (strcmp(key, "server") == 0)
        rc = text(value, cfg->server, sizeof cfg->server);
    else if (strcmp(key, "key") == 0)
        rc = text(value, cfg->key_file, sizeof cfg->key_file);
    else if (strcmp(key, "server_key") == 0)
        rc = text(value, cfg->server_key_file, sizeof cfg->server_key_file);
    else if (strcmp(key, "plaintext") == 0)
        rc = yes_no(value, &cfg->plaintext);
    else if (strcmp(key, "watch") == 0)
        rc = text(value, cfg->watch, sizeof cfg->watch);
    else if (strcmp(key, "session_idle") == 0)
        rc = number(value, 60, 7 * 86400, &cfg->session_idle_s);
    else if (strcmp(key, "login_failures") == 0)
        rc = number(value, 1, 1000, &cfg->login_failures);
    else if (strcmp(key, "login_window") == 0)
        rc = number(value, 1, 86400, &cfg->login_window_s);
    else if (strcmp(key, "tls_cert") == 0)
        rc = text(value, cfg->tls_cert, sizeof cfg->tls_cert);
    else if (strcmp(key, "tls_key") == 0)
        rc = text(value, cfg->tls_key, sizeof cfg->tls_key);
    else if (strcmp(key, "dev_open") == 0)
        rc = yes_no(value, &cfg->dev_open);
    else if (strcmp(key, "submit_endpoint") == 0)
        rc = text(value, cfg->submit_endpoint, sizeof cfg->submit_endpoint);
    else if (strcmp(key, "publish_endpoint") == 0)
        rc = text(value, cfg->publish_endpoint, sizeof cfg->publish_endpoint);
    else if (strcmp(key, "snapshot_endpoint") == 0)
        rc = text(value, cfg->snapshot_endpoint, sizeof cfg->snapshot_endpoint);
    else if (strcmp(key, "admin_endpoint") == 0)
        rc = text(value, cfg->admin_endpoint, sizeof cfg->admin_endpoint);
    else if (strcmp(key, "timeout") == 0)
        rc = number(value, 100, 600000, &cfg->transport.timeout_ms);
    else {
        snprintf(err, errlen, _("unknown setting '%s' (see junheng-web --help)"), key);
        return -1;
    }
    if (rc != 0)
        snprintf(err, errlen, _("%s: '%s' is not a valid value"), key, value);
    return rc;
}

int web_config_read_file(web_config *cfg, const char *path, char *err, size_t errlen)
{
    char *textbuf = NULL, reason[256];
    size_t len = 0, line = 0;
    if (file_read_all(path, 1 << 20, 0, &textbuf, &len, NULL) != 0) {
        snprintf(err, errlen, _("%s: cannot be read"), path);
        return -1;
    }
    kv_list kv;
    int rc = kv_text_parse(textbuf, &kv, reason, sizeof reason, &line);
    if (rc != KV_OK)
        snprintf(err, errlen, "%s:%zu: %s", path, line, reason);
    for (size_t i = 0; rc == KV_OK && i < kv.n; i++)
        if (web_config_set(cfg, kv.items[i].key, kv.items[i].value, reason, sizeof reason) != 0) {
            snprintf(err, errlen, "%s:%zu: %s", path, kv.items[i].line, reason);
            rc = -1;
        }
    kv_list_free(&kv);
    free(textbuf);
    return rc == KV_OK ? 0 : -1;
}

/* Builds the endpoint lists not given (publish_endpoint etc.) from the
 * servers: tcp://HOST:PORT+k for k = 0 submit, 1 publish, 2 snapshot, 3
 * admin (PORT 7401 unless HOST:PORT says), as the command-line client does.
 * Returns 0 or -1. */
static int server_endpoints(web_config *cfg, char *err, size_t errlen)
{
    char *eps[] = { cfg->submit_endpoint, cfg->publish_endpoint, cfg->snapshot_endpoint, cfg->admin_endpoint };
    bool given[4] = { eps[0][0] != '\0', eps[1][0] != '\0', eps[2][0] != '\0', eps[3][0] != '\0' };
    char one[WEB_ENDPOINT_MAX];
    size_t n = transport_endpoint_at(cfg->server, 0, one, sizeof one);
    if (n == 0) {
        snprintf(err, errlen, _("server: no host given"));
        return -1;
    }
    for (size_t s = 0; s < n; s++) {
        transport_endpoint_at(cfg->server, s, one, sizeof one);
        long port;
        if (transport_server_split(one, &port) != 0) {
            snprintf(err, errlen, _("server %s: the port must be a number in 1..65532"), one);
            return -1;
        }
        for (int k = 0; k < 4; k++) {
            if (given[k])
                continue;
            size_t used = strlen(eps[k]);
            int w = snprintf(eps[k] + used, WEB_ENDPOINT_MAX - used, "%stcp://%s:%ld", used ? "," : "", one,
                             port + k);
            if (w < 0 || (size_t)w >= WEB_ENDPOINT_MAX - used) {
                snprintf(err, errlen, _("server: too many servers"));
                return -1;
            }
        }
    }
    return 0;
}

/* Loads the gateway's keypair and the daemon's public key. Returns 0 or -1. */
static int load_keys(web_config *cfg, char *err, size_t errlen)
{
    transport_options *t = &cfg->transport;
    t->curve = false;
    if (cfg->plaintext)
        return 0;
    if (!cfg->key_file[0] || !cfg->server_key_file[0]) {
        snprintf(err, errlen, _("give key and server_key (the gateway's own .key_secret and the daemon's .key), "
                                "or plaintext yes for a daemon with allow_plaintext yes"));
        return -1;
    }
    keypair mine, theirs;
    if (keyfile_read(cfg->key_file, true, &mine, err, errlen) != 0)
        return -1;
    if (keyfile_read(cfg->server_key_file, false, &theirs, err, errlen) != 0) {
        key_wipe(&mine, sizeof mine);
        return -1;
    }
    memcpy(t->public_key, mine.public_key, sizeof t->public_key);
    memcpy(t->secret_key, mine.secret_key, sizeof t->secret_key);
    memcpy(t->server_key, theirs.public_key, sizeof t->server_key);
    key_wipe(&mine, sizeof mine);
    t->curve = true;
    return 0;
}

int web_config_finish(web_config *cfg, char *err, size_t errlen)
{
    if (strcmp(cfg->watch, "all") == 0) {
        cfg->prefix[0] = '\0';
        snprintf(cfg->query, sizeof cfg->query, "all");
    } else {
        admin_code c;
        if (admin_code_parse(cfg->watch, &c) != 0) {
            snprintf(err, errlen, _("watch: '%s' is not all or a province, city or county code"), cfg->watch);
            return -1;
        }
        snprintf(cfg->prefix, sizeof cfg->prefix, "%s", c.prefix);
        snprintf(cfg->query, sizeof cfg->query, "%s", c.prefix);
    }
    if ((cfg->tls_cert[0] != '\0') != (cfg->tls_key[0] != '\0')) {
        snprintf(err, errlen, _("give both tls_cert and tls_key, or neither"));
        return -1;
    }
    if (server_endpoints(cfg, err, errlen) != 0)
        return -1;
    return load_keys(cfg, err, errlen);
}
