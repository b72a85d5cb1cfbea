/* web_main.c -- junheng-web: the browser gateway. Reads its settings,
 * starts the HTTP server (web_http.c), and runs the live subscription on
 * the main thread (watch_feed.h: the same guarantees as `junheng watch`),
 * putting every county row that changes and every change of the feed's
 * state into the hub that the browsers' /events streams read. See
 * docs/web.md. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "i18n.h"
#include "i18n_init.h"
#include "wire.h"
#include "local_time.h"
#include "watch_feed.h"
#include "web_config.h"
#include "web_http.h"
#include "web_hub.h"
#include "web_row.h"
#include "web_skim.h"

#define WEB_TICK_MS 5000 /* every parked /events stream is woken this often */
/* Publications the subscription may hold while its thread is behind (a
 * county's is ~50 kB: ~200 MB at most). `junheng watch` keeps 1,000; the
 * gateway rides out ~15 s without CPU under a national load (~250 a second
 * on the benchmark) instead of ~4 s before a lost publication forces a
 * resync. */
#define WEB_FEED_RCVHWM 4000

static volatile sig_atomic_t web_stop;

/* SIGINT/SIGTERM stop the gateway. */
static void on_signal(int sig)
{
    (void)sig;
    web_stop = 1;
}

/* `junheng-web --help`. */
static void usage(FILE *out)
{
    fputs(_("Usage: junheng-web [--config FILE] [--listen HOST:PORT] [--server HOST[:PORT][,...]]\n"
            "                   [--key FILE] [--server-key FILE] [--plaintext] [--watch all|CODE]\n"
            "                   [--dev-open]\n"
            "\n"
            "The browser gateway of junheng: a web server that is itself a client of the\n"
            "daemon. It keeps one live subscription (snapshot on join, per-county\n"
            "sequences, heartbeats, resync on a gap, an epoch change or silence, as\n"
            "`junheng watch` does) and fans it out to every browser by Server-Sent Events,\n"
            "and asks the daemon for county and school pages with the user's session.\n"
            "\n"
            "  --config FILE      settings, one `key value` a line (docs/web.md lists them)\n"
            "  --listen H:P       where to serve HTTP (default 127.0.0.1:8080: this machine\n"
            "                     only; put a TLS reverse proxy in front, or give tls_cert\n"
            "                     and tls_key in the config)\n"
            "  --server LIST      the daemon(s), HOST[:PORT] comma-separated (default\n"
            "                     127.0.0.1, port 7401 as for the junheng client)\n"
            "  --key FILE         the gateway's own secret key (junheng keygen web; an\n"
            "                     administrator registers web.key as a monitor)\n"
            "  --server-key FILE  the daemon's public key\n"
            "  --plaintext        no CURVE (daemons with allow_plaintext yes only)\n"
            "  --watch all|CODE   what the live subscription covers (default all)\n"
            "  --publish-endpoint, --snapshot-endpoint, --admin-endpoint EP\n"
            "                     one endpoint (list) each, instead of those --server implies\n"
            "  --dev-open         DEVELOPMENT ONLY: no login; every browser sees what the\n"
            "                     gateway's own key may see. Refused unless listening on a\n"
            "                     loopback address\n"
            "\n"
            "Pages: / (the city: every county live), /county/CODE, /school/CODE, /login.\n"
            "JSON: /api/city, /api/county/CODE, /api/school/CODE, /api/me; /events (SSE);\n"
            "/healthz.\n"),
          out);
    fputs(_("Upload: POST /api/school/CODE/check and /api/school/CODE/submit take a school's\n"
            "CSV or XLSX file, check every row, then send it on the daemon's ingest socket\n"
            "(--submit-endpoint EP instead of the one --server implies).\n"),
          out);
}

/* Reads the command line over the config file into cfg. Returns -1 to go
 * on, or the exit status. */
static int parse_args(web_config *cfg, int argc, char **argv)
{
    static const struct {
        const char *opt, *key;
    } valued[] = { { "--listen", "listen" }, { "--server", "server" }, { "--key", "key" },
                   { "--server-key", "server_key" }, { "--watch", "watch" },
                   { "--publish-endpoint", "publish_endpoint" }, { "--snapshot-endpoint", "snapshot_endpoint" },
                   { "--admin-endpoint", "admin_endpoint" }, { "--submit-endpoint", "submit_endpoint" } };
    char err[512] = "";
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc && web_config_read_file(cfg, argv[++i], err, sizeof err)) {
            fprintf(stderr, "junheng-web: %s\n", err);
            return 2;
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool done = false;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !done; k++)
            if (strcmp(a, valued[k].opt) == 0 && i + 1 < argc) {
                if (web_config_set(cfg, valued[k].key, argv[++i], err, sizeof err) != 0) {
                    fprintf(stderr, "junheng-web: %s\n", err);
                    return 2;
                }
                done = true;
            }
        if (done)
            continue;
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            i++;
        } else if (strcmp(a, "--plaintext") == 0) {
            cfg->plaintext = true;
        } else if (strcmp(a, "--dev-open") == 0) {
            cfg->dev_open = true;
        } else {
            fprintf(stderr, _("junheng-web: unexpected '%s' (see junheng-web --help)\n"), a);
            return 2;
        }
    }
    if (cfg->dev_open && strncmp(cfg->listen, "127.", 4) != 0 && strncmp(cfg->listen, "[::1]", 5) != 0) {
        fprintf(stderr, _("junheng-web: --dev-open serves everyone without a login: only on a loopback address\n"));
        return 2;
    }
    if (web_config_finish(cfg, err, sizeof err) != 0) {
        fprintf(stderr, "junheng-web: %s\n", err);
        return 2;
    }
    return -1;
}

/* What on_change needs: the hub, and the feed (set once it runs) for the
 * publication's time. */
typedef struct {
    web_hub *hub;
    watch_feed *feed;
} change_target;

/* watch_state's on_change: the county's new row goes to the hub. */
static void on_change(void *arg, const watch_row *row, json_t *status, const char *text)
{
    (void)text;
    change_target *to = arg;
    int64_t published = to->feed ? watch_feed_applying_published_at_ms(to->feed) : 0;
    char *json = web_row_json(row, status, watch_mono_ms(), watch_wall_ms(), published);
    if (published > 0)
        web_hub_note_lag(to->hub, watch_wall_ms() - published);
    if (!json || web_hub_put_row(to->hub, row->code, json) != 0)
        fprintf(stderr, _("junheng-web: out of memory; county %s not updated\n"), row->code);
    free(json);
}

/* Puts the feed's state into the hub when it differs from what was put last
 * (*last: malloc'd, replaced). */
static void note_state(web_hub *hub, watch_state *ws, watch_feed *feed, char **last)
{
    char *now = web_state_json(ws, watch_feed_failures(feed), watch_mono_ms());
    if (!now)
        return;
    if (*last && strcmp(*last, now) == 0) {
        free(now);
        return;
    }
    web_hub_put_state(hub, now);
    free(*last);
    *last = now;
}

/* The feed loop: until a signal. Returns the exit status. */
static int run_feed(const web_config *cfg, change_target *to, watch_state *ws, void *ctx)
{
    web_hub *hub = to->hub;
    watch_feed_options fo = { .publish_endpoint = cfg->publish_endpoint, .snapshot_endpoint = cfg->snapshot_endpoint,
                              .transport = &cfg->transport, .query = cfg->query, .prefix = cfg->prefix,
                              .rcvhwm = WEB_FEED_RCVHWM };
    watch_feed *feed = watch_feed_new(ctx, ws, &fo);
    if (!feed || watch_feed_connect(feed) != 0) {
        fprintf(stderr, _("junheng-web: cannot subscribe to %s\n"), cfg->publish_endpoint);
        watch_feed_destroy(&feed);
        return 3;
    }
    to->feed = feed;
    char *last = NULL;
    int rc = 0;
    int64_t ticked = watch_mono_ms();
    while (!web_stop) {
        watch_feed_result r = watch_feed_step(feed, 100);
        if (r == WATCH_FEED_FAILED) {
            rc = 3;
            break;
        }
        if (r == WATCH_FEED_REFUSED) {
            const Junheng__Reply *no = watch_feed_refusal(feed);
            fprintf(stderr, _("junheng-web: the daemon refused the gateway's subscription to '%s': %s\n"), cfg->query,
                    no->n_errors && no->errors[0]->reason ? no->errors[0]->reason : "");
            rc = 1;
            break;
        }
        note_state(hub, ws, feed, &last);
        if (watch_mono_ms() - ticked >= WEB_TICK_MS) { /* quiet streams: keep-alive, ended sessions */
            web_hub_wake_all(hub);
            ticked = watch_mono_ms();
        }
    }
    free(last);
    to->feed = NULL;
    watch_feed_destroy(&feed);
    return rc;
}

int main(int argc, char **argv)
{
    i18n_init(); /* --help and the gateway's messages follow LANG, like the client's */
    /* the upload check reads in both languages from any HTTP thread: make
     * both message locales now, in this one thread */
    i18n_restore(i18n_use("zh_CN"));
    i18n_restore(i18n_use("en"));
    /* the pages are Chinese first: every request that names no language of
     * its own (status queries, uploads) asks the daemon for Chinese; login
     * and the review desk name the browser's (Accept-Language) */
    wire_set_lang("zh_CN");
    web_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return 2;
    web_config_default(cfg);
    int rc = parse_args(cfg, argc, argv);
    if (rc >= 0) {
        free(cfg);
        return rc;
    }
    char tz_err[256];
    if (local_time_set_zone(NULL, tz_err, sizeof tz_err) != 0) { /* the downloaded report's times: JUNHENG_TZ */
        fprintf(stderr, "junheng-web: %s\n", tz_err);
        free(cfg);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    web_hub *hub = web_hub_new();
    watch_state *ws = watch_state_new(cfg->prefix, 0);
    void *ctx = ws && hub ? zmq_ctx_new() : NULL;
    char err[512] = "";
    web_http *http = ctx ? web_http_start(cfg, hub, err, sizeof err) : NULL;
    if (!http) {
        fprintf(stderr, "junheng-web: %s\n", err[0] ? err : _("out of memory"));
        rc = 2;
    } else {
        change_target to = { .hub = hub, .feed = NULL };
        watch_state_on_change(ws, on_change, &to);
        watch_state_filter(ws, web_skim_status, NULL); /* half the parsing per publication */
        fprintf(stderr, _("junheng-web: serving http%s://%s/ for %s (daemon %s)%s\n"), cfg->tls_cert[0] ? "s" : "",
                cfg->listen, cfg->query, cfg->server, cfg->dev_open ? _(" -- DEVELOPMENT MODE, NO LOGIN") : "");
        rc = run_feed(cfg, &to, ws, ctx);
    }
    if (hub)
        web_hub_close(hub);
    web_http_stop(&http);
    if (ctx)
        zmq_ctx_term(ctx);
    watch_state_destroy(&ws);
    web_hub_destroy(&hub);
    memset(cfg, 0, sizeof *cfg); /* the secret key */
    free(cfg);
    return rc;
}
