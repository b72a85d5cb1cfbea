/* web_config.h -- the gateway's settings: defaults, then the config file
 * (--config FILE, `key value` lines, common/kv_text.h), then the command
 * line. docs/web.md lists every key. */
#ifndef JUNHENG_WEB_CONFIG_H
#define JUNHENG_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "transport.h"

#define WEB_ENDPOINT_MAX 1024
#define WEB_PATH_MAX 4096

typedef struct {
    char listen[64];                     /* HOST:PORT, numeric (default 127.0.0.1:8080) */
    char server[WEB_ENDPOINT_MAX];       /* the daemon(s): HOST[:PORT], comma-separated (default 127.0.0.1) */
    char key_file[WEB_PATH_MAX];         /* the gateway's own secret key file (NAME.key_secret) */
    char server_key_file[WEB_PATH_MAX];  /* the daemon's public key file */
    bool plaintext;                      /* no CURVE (daemons with allow_plaintext only) */
    char watch[16];                      /* the gateway's subscription: "all" or a province/city/county code */
    int session_idle_s;                  /* a session unused this long ends (default 1800) */
    int login_failures;                  /* failed logins per address or user before a block (default 5) */
    int login_window_s;                  /* ...within this window, and the block's length (default 300) */
    char tls_cert[WEB_PATH_MAX];         /* PEM files for libmicrohttpd's own TLS ("" = plain HTTP) */
    char tls_key[WEB_PATH_MAX];
    bool dev_open;                       /* development only: no login, everything as the gateway's own key */
    /* given (publish_endpoint ...), else derived from server by web_config_finish: */
    char submit_endpoint[WEB_ENDPOINT_MAX];    /* the ingest socket: a school upload's rows */
    char publish_endpoint[WEB_ENDPOINT_MAX];
    char snapshot_endpoint[WEB_ENDPOINT_MAX];
    char admin_endpoint[WEB_ENDPOINT_MAX];
    /* derived by web_config_finish: */
    char query[8], prefix[8];            /* of the subscription (watch_feed.h) */
    transport_options transport;
} web_config;

/* The defaults. */
void web_config_default(web_config *cfg);

/* Reads a config file over cfg. Returns 0, or -1 with the reason in err. */
int web_config_read_file(web_config *cfg, const char *path, char *err, size_t errlen);

/* Sets key to value (the config file's and the command line's keys).
 * Returns 0, or -1 with the reason in err. */
int web_config_set(web_config *cfg, const char *key, const char *value, char *err, size_t errlen);

/* Checks the settings, derives the endpoints and the subscription, and
 * loads the keys (unless plaintext). Returns 0, or -1 with the reason in err. */
int web_config_finish(web_config *cfg, char *err, size_t errlen);

#endif
