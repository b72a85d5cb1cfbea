/* cmd_watch.c -- `junheng watch`: a live monitor of county statuses
 * (ZeroMQ's Clone pattern, client side). It subscribes to the publish
 * endpoint under its prefix (plus the city heartbeat topic when watching one
 * county), waits until the subscription is live, asks the snapshot endpoint
 * for every county under the prefix, and from then on applies publications
 * in sequence; watch_state.c decides what each message means. Shows a
 * full-screen table on a terminal, one plain line per change otherwise, or
 * one status object per line with --json. See docs/monitoring.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "admin_code.h"
#include "i18n.h"
#include "client.h"
#include "watch_feed.h"
#include "watch_state.h"
#include "watch_view.h"
#include "wire.h"

typedef enum { OUT_TABLE, OUT_PLAIN, OUT_JSON } watch_output;

/* How many verdict flips the table keeps under it. */
#define WATCH_NOTICES 3

typedef struct {
    client_options *opts;
    watch_output output;
    char query[8];            /* what the snapshot request names: county, city (4), province (2) or "all" */
    char prefix[8];           /* what the state covers */
    char scope[96];           /* for people: "city 3714", plus the view when official */
    bool official;            /* --view official: topics "O" + code, snapshots of the official view */
    int32_t period;
    int rcvhwm;
    watch_state *ws;
    void *ctx;
    watch_feed *feed;         /* the sockets (watch_feed.h) */
    char last_code[8];        /* the last county whose change was shown, and its seq */
    uint64_t last_seq;
    bool redraw;
    int64_t last_draw_ms;
    watch_phase noted_phase;  /* for the notes of plain and JSON output */
    char noted_reason[256];
    char notices[WATCH_NOTICES][256]; /* the newest verdict flips, oldest first (table output) */
    int n_notices;
    int exit_code;
} watch_run;

static volatile sig_atomic_t watch_stop, watch_resized;

/* SIGINT/SIGTERM/SIGHUP stop the loop; SIGWINCH asks for a full redraw. */
static void on_signal(int sig)
{
    if (sig == SIGWINCH)
        watch_resized = 1;
    else
        watch_stop = 1;
}

/* `junheng watch --help`. */
static void watch_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] watch (--county CODE | --city CODE | --province CODE | --all)\n"
          "                                      [--period P] [--view live|official] [--json | --plain]\n"
          "\n"
          "Watches county statuses live. Subscribes to the daemon's publications, takes a\n"
          "snapshot of every county in scope, then applies each publication in sequence.\n"
          "A lost publication (a gap in a county's sequence, or a heartbeat ahead of it),\n"
          "a daemon restart (new epoch) or 3 s without a heartbeat makes it take a fresh\n"
          "snapshot, and it says so: silence is never taken for \"nothing changed\".\n"
          "\n"
          "  --county CODE     one county (6 digits, e.g. 371402)\n"
          "  --city CODE       every county of a city (3714 or 371400)\n"
          "  --province CODE   every county of a province (37)\n"
          "  --all             every county the daemon has\n"
          "  --period P        school year (default: each county's newest)\n"
          "  --view V          live (实时, default): every revision as it arrives; official\n"
          "                    (正式): approved revisions, sealed county inputs and the\n"
          "                    city's overrides, which change only at approval, sealing\n"
          "                    and review (docs/review.md). Each view has its own topics\n"
          "                    (the county code; \"O\" + the county code), sequences and\n"
          "                    heartbeats, with the same guarantees\n"
          "  --json            one status object (docs/formats.md) per line for\n"
          "                    every change, for scripts; notes about the connection go to\n"
          "                    stderr\n"
          "  --plain           one line per change even on a terminal (the default when\n"
          "                    stdout is not a terminal)\n"
          "  --rcvhwm N        receive high-water mark of the subscription in messages\n"
          "                    (default 1000); tests use 1 to make a slow monitor lose\n"
          "                    publications\n"
          "\n"
          "On a terminal: a table updating in place, one row per county: name, coverage\n"
          "(schools submitted/registered), per stage (小学 primary, 初中 junior) sections\n"
          "passing/assessed and the difference coefficient (校际差异系数) furthest past its\n"
          "limit, the county's whole verdict (达标 in green, 未达标 in red, 待定 in yellow, with\n"
          "the number of failing ✗ and pending ? items; \"待定 no verdict\" from a daemon that\n"
          "sends none), the time of its last change; a status line with the connection\n"
          "state, epoch and counters. Ctrl-C quits.\n"
          "\n"
          "Reading needs a monitor key whose scope covers what is watched, or an admin key\n"
          "(global --key; docs/security.md). See docs/monitoring.md.\n"
          "\n"
          "Exit status: 0 stopped by a signal, 1 the daemon refused the scope, 2 bad usage,\n"
          "3 cannot connect.\n"
          "\n"
          "Examples:\n"
          "  junheng watch --city 3714\n"
          "  junheng --server 10.1.2.3 watch --province 37 --plain >> status.log\n"
          "  junheng watch --county 371402 --json | jq -c '{seq, verdict}'\n"
          "  junheng watch --city 3714 --view official\n"),
          out);
}

/* A note about the connection (plain: stdout; JSON: stderr; table: the
 * status line shows it instead). */
static void watch_note(watch_run *run)
{
    watch_phase ph = watch_state_phase(run->ws);
    const char *reason = watch_state_reason(run->ws);
    if (ph == run->noted_phase && strcmp(reason, run->noted_reason) == 0)
        return;
    run->noted_phase = ph;
    snprintf(run->noted_reason, sizeof run->noted_reason, "%s", reason);
    if (run->output == OUT_TABLE)
        return;
    FILE *out = run->output == OUT_JSON ? stderr : stdout;
    char when[32];
    watch_format_time(when, sizeof when, watch_wall_ms(), true);
    if (ph == WATCH_LIVE)
        fprintf(out, "%s -- live: %zu counties under '%s', epoch %s, view %s\n", when, watch_state_count(run->ws),
                run->prefix, watch_state_epoch(run->ws), run->official ? "正式 official" : "实时 live");
    else if (ph == WATCH_SYNCING)
        fprintf(out, "%s -- %s: %s\n", when, watch_state_counters(run->ws)->snapshots ? "resync" : "snapshot",
                reason);
    fflush(out);
}

/* watch_state's on_change: prints the change (plain, JSON) or asks for a redraw. */
static void on_change(void *arg, const watch_row *row, json_t *status, const char *text)
{
    watch_run *run = arg;
    snprintf(run->last_code, sizeof run->last_code, "%s", row->code);
    run->last_seq = row->seq;
    if (run->output == OUT_JSON) {
        char *dumped = text ? NULL : json_dumps(status, JSON_COMPACT);
        const char *t = text ? text : dumped;
        if (t) {
            fputs(t, stdout);
            fputc('\n', stdout);
        }
        free(dumped);
        fflush(stdout);
    } else if (run->output == OUT_PLAIN) {
        watch_view_line(stdout, row, watch_wall_ms());
        if (row->visible_change && row->verdict_flip_ms == row->changed_ms && row->prev_verdict[0]) {
            char flip[256];
            watch_view_flip(flip, sizeof flip, row, watch_wall_ms());
            puts(flip);
        }
        fflush(stdout);
    } else if (row->visible_change && row->verdict_flip_ms == row->changed_ms && row->prev_verdict[0]) {
        if (run->n_notices == WATCH_NOTICES) {
            memmove(run->notices[0], run->notices[1], sizeof run->notices[0] * (WATCH_NOTICES - 1));
            run->n_notices--;
        }
        watch_view_flip(run->notices[run->n_notices++], sizeof run->notices[0], row, watch_wall_ms());
    }
    run->redraw = true;
}

/* Draws the table (at most ten times a second, and every half second for the clocks). */
static void watch_draw(watch_run *run, int64_t now)
{
    if (run->output != OUT_TABLE || (!run->redraw && !watch_resized && now - run->last_draw_ms < 500) ||
        now - run->last_draw_ms < 100)
        return;
    struct winsize wsz;
    watch_view_info info = { .scope = run->scope, .endpoint = run->opts->publish_endpoint, .period = run->period,
                             .rows = 24, .cols = 80, .color = getenv("NO_COLOR") == NULL, .mono_ms = now,
                             .wall_ms = watch_wall_ms(), .last_lag_ms = watch_feed_last_lag_ms(run->feed),
                             .last_code = run->last_code, .last_seq = run->last_seq,
                             .snapshot_in_flight = watch_feed_in_flight(run->feed),
                             .snapshot_failures = watch_feed_failures(run->feed) };
    const char *notices[WATCH_NOTICES];
    for (int k = 0; k < run->n_notices; k++)
        notices[k] = run->notices[k];
    info.notices = notices;
    info.n_notices = run->n_notices;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &wsz) == 0 && wsz.ws_row > 0) {
        info.rows = wsz.ws_row;
        info.cols = wsz.ws_col;
    }
    if (watch_resized)
        fputs("\033[2J", stdout);
    watch_resized = 0;
    watch_view_table(stdout, run->ws, &info);
    run->redraw = false;
    run->last_draw_ms = now;
}

/* The event loop: until a signal (or a refusal) stops it. */
static void watch_loop(watch_run *run)
{
    while (!watch_stop) {
        watch_feed_result r = watch_feed_step(run->feed, 100);
        if (r == WATCH_FEED_FAILED)
            break;
        if (r == WATCH_FEED_REFUSED) {
            const Junheng__Reply *no = watch_feed_refusal(run->feed);
            fprintf(stderr, _("junheng watch: the daemon refused the snapshot of '%s':\n"), run->query);
            client_print_problems(stderr, "", no->errors, no->n_errors);
            run->exit_code = EXIT_REFUSED;
            break;
        }
        if (r == WATCH_FEED_CHANGED)
            run->redraw = true;
        watch_note(run);
        watch_draw(run, watch_mono_ms());
        if (ferror(stdout))
            break; /* the reader went away */
    }
}

/* Parses the scope options into query, prefix and scope. Returns 0 or -1. */
static int watch_scope(watch_run *run, const char *kind, const char *code)
{
    admin_code c;
    if (admin_code_parse(code, &c) == 0 && strcmp(kind, admin_kind_name(c.kind)) == 0 &&
        (c.kind != ADMIN_COUNTY || strlen(code) == 6)) {
        snprintf(run->prefix, sizeof run->prefix, "%s", c.prefix);
    } else {
        fprintf(stderr, _("junheng watch: --%s '%s' is not a %s code (see junheng watch --help)\n"), kind, code,
                strcmp(kind, "county") == 0 ? "6-digit county" : strcmp(kind, "city") == 0 ? "4-digit city"
                                                                                           : "2-digit province");
        return -1;
    }
    snprintf(run->query, sizeof run->query, "%s", run->prefix);
    snprintf(run->scope, sizeof run->scope, "%s %s", kind, run->prefix);
    return 0;
}

/* `junheng watch`: parses the options, runs the monitor until a signal (or a
 * refusal) and returns the exit status. */
/* Reads the arguments of `junheng watch` into run (scope, period, output,
 * rcvhwm). Returns -1 to go on, or the exit status to end with at once
 * (--help, a bad argument, not exactly one scope). */
static int parse_watch_args(watch_run *run, int argc, char **argv)
{
    int scopes = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            watch_usage(stdout);
            return EXIT_OK;
        } else if ((strcmp(a, "--county") == 0 || strcmp(a, "--city") == 0 || strcmp(a, "--province") == 0) &&
                   i + 1 < argc) {
            scopes++;
            if (watch_scope(run, a + 2, argv[++i]) != 0)
                return EXIT_USAGE;
        } else if (strcmp(a, "--all") == 0) {
            scopes++;
            run->prefix[0] = '\0';
            snprintf(run->query, sizeof run->query, "all");
            snprintf(run->scope, sizeof run->scope, "all counties");
        } else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng watch: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            run->period = (int32_t)p;
        } else if (strcmp(a, "--view") == 0 && i + 1 < argc) {
            const char *view;
            if (client_parse_view("watch", argv[++i], &view) != 0)
                return EXIT_USAGE;
            run->official = strcmp(view, "official") == 0;
        } else if (strcmp(a, "--json") == 0) {
            run->output = OUT_JSON;
        } else if (strcmp(a, "--plain") == 0) {
            if (run->output != OUT_JSON)
                run->output = OUT_PLAIN;
        } else if (strcmp(a, "--rcvhwm") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 10000000) {
                fprintf(stderr, _("junheng watch: --rcvhwm '%s' is not a number of messages\n"), argv[i]);
                return EXIT_USAGE;
            }
            run->rcvhwm = (int)v;
        } else {
            fprintf(stderr, _("junheng watch: unexpected '%s' (see junheng watch --help)\n"), a);
            return EXIT_USAGE;
        }
    }
    if (scopes != 1) {
        fprintf(stderr, _("junheng watch: give exactly one of --county, --city, --province or --all\n"));
        return EXIT_USAGE;
    }
    if (run->official) {
        size_t n = strlen(run->scope);
        snprintf(run->scope + n, sizeof run->scope - n, " · 正式 official");
    }
    return -1;
}

/* Routes the signals that stop the watch or redraw it to on_signal, and
 * ignores SIGPIPE. */
static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int cmd_watch(client_options *opts, int argc, char **argv)
{
    watch_run run = { .opts = opts, .output = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_PLAIN,
                      .rcvhwm = WATCH_DEFAULT_RCVHWM, .noted_phase = WATCH_CONNECTING };
    int rc = parse_watch_args(&run, argc, argv);
    if (rc >= 0)
        return rc;
    run.ws = watch_state_new(run.prefix, run.period);
    run.ctx = run.ws ? zmq_ctx_new() : NULL;
    watch_feed_options fo = { .publish_endpoint = opts->publish_endpoint,
                              .snapshot_endpoint = opts->snapshot_endpoint, .transport = &opts->transport,
                              .query = run.query, .prefix = run.prefix, .official = run.official,
                              .period = run.period, .rcvhwm = run.rcvhwm };
    run.feed = run.ctx ? watch_feed_new(run.ctx, run.ws, &fo) : NULL;
    if (!run.feed) {
        fprintf(stderr, "junheng watch: out of memory\n");
        if (run.ctx)
            zmq_ctx_term(run.ctx);
        watch_state_destroy(&run.ws);
        return EXIT_USAGE;
    }
    watch_state_on_change(run.ws, on_change, &run);
    install_signals();
    watch_stop = watch_resized = 0;
    if (watch_feed_connect(run.feed) != 0) {
        fprintf(stderr, "junheng watch: cannot connect to %s: %s\n", opts->publish_endpoint,
                zmq_strerror(zmq_errno()));
        run.exit_code = EXIT_UNREACHABLE;
    } else {
        if (run.output == OUT_TABLE)
            watch_view_enter(stdout);
        watch_loop(&run);
        if (run.output == OUT_TABLE)
            watch_view_leave(stdout);
    }
    watch_feed_destroy(&run.feed);
    zmq_ctx_term(run.ctx);
    watch_state_destroy(&run.ws);
    return run.exit_code;
}
