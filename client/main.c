/* main.c -- junheng, the command-line client: global options and dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "i18n.h"
#include "local_time.h"
#include "i18n_init.h"
#include "submission_csv.h"

static void usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "The client of junheng (均衡), which tells a city whether each county meets the\n"
          "national standard for high-quality balanced compulsory education\n"
          "(义务教育优质均衡发展).\n"
          "\n"
          "Commands:\n"
          "  submit FILE...          check and send school submissions (CSV, UTF-8 or GBK, or\n"
          "                          .xlsx with --sheet S; every column in docs/formats.md)\n"
          "  template submissions|registry|county-inputs [--xlsx] [--out FILE]\n"
          "                          the blank file to fill in (Chinese headings, units, an example)\n"
          "  status --county CODE    a county's status page (--json for the JSON object)\n"
          "  status --city CODE      one summary line per county of a city\n"
          "  status --school CODE    one school's own result (a school key: its own school)\n"
          "  watch --city CODE       live table of a city's counties (--county, --province,\n"
          "                          --all; --json for scripts)\n"
          "  report --city CODE      HTML report (--out FILE) or the officials' CSV tables (--csv DIR)\n"
          "  report --self-assessment --county CODE --out FILE.xlsx|.csv\n"
          "                          the county's self-assessment table 自评表 (--city: a workbook)\n"
          "  county submit FILE      check and send the county bureau's inputs (items 2.1–4.1 that\n"
          "                          school data cannot decide, and the vetoes 5.1–5.6)\n"
          "  county template --county CODE --period P [--zh] [--xlsx]\n"
          "                          the blank county-inputs file to fill in\n"
          "  review ACTION ...       the review chain (docs/review.md): approve or return school\n"
          "                          revisions, seal a county's self-assessment, the city's\n"
          "                          findings, return and pass (junheng review --help)\n"
          "  plan --county CODE      the cheapest path (整改方案): least additions per school to pass\n"
          "                          resource allocation and item 2.3 ([--costs F] [--budget Y])\n"
          "  inbox                   what was returned to me (a school or county key), and why\n"
          "  audit [--county CODE]   the audit log of every review action and key change\n"
          "  whatif --county CODE SCHOOL.FIELD=VALUE|+DELTA ... [--changes FILE]\n"
          "                          the status hypothetical changes would give; nothing stored\n"
          "  admin ping|import-counties FILE|import-schools FILE|stats [--json]|rejected\n"
          "  admin set-key|revoke-key|keys|period open|close|reopen|list|package-reopen\n"
          "  admin add-user|lock-user|unlock-user|reset-password|list-users   web users\n"
          "  session login|check|logout   a web user's session (what junheng-web sends)\n"
          "\n"
          "Global options:\n"
          "  --server HOST[:PORT]      daemon host (default 127.0.0.1); endpoints default to\n"
          "                            tcp://HOST:7401 (submit) 7402 (publish) 7403 (snapshot) 7404 (admin);\n"
          "                            PORT moves them to PORT..PORT+3. Several daemons (the active one\n"
          "                            and its standbys): repeat --server, or separate with commas;\n"
          "                            a request unanswered in --timeout goes to the next one\n"
          "  --submit-endpoint EP      override one endpoint (e.g. ipc:///run/junheng/submit);\n"
          "                            EP,EP,... for several daemons\n"
          "  --publish-endpoint EP\n"
          "  --snapshot-endpoint EP\n"
          "  --admin-endpoint EP\n"
          "  --timeout MS              wait this long for a reply before retrying (default 5000)\n"
          "  --retries N               resend at most N times (default 6)\n"
          "  --key FILE                this client's secret key file (NAME.key_secret); default\n"
          "                            $JUNHENG_KEY, else $XDG_CONFIG_HOME/junheng/client.key_secret\n"
          "                            (~/.config/junheng/client.key_secret)\n"
          "  --server-key FILE         the daemon's public key file; default $JUNHENG_SERVER_KEY,\n"
          "                            else $XDG_CONFIG_HOME/junheng/server.key\n"
          "  --plaintext               no CURVE (only for a daemon with allow_plaintext yes)\n"
          "  --tz ZONE                 the time zone of every time shown (reports, status, watch):\n"
          "                            a tz database name such as Asia/Shanghai (the default) or UTC;\n"
          "                            default $JUNHENG_TZ, else Asia/Shanghai\n"
          "  --session TOKEN           act as the web user of this session (junheng session login);\n"
          "                            default $JUNHENG_SESSION\n"
          "  --help                    this text; COMMAND --help for a command's own\n"
          "\n"
          "Every connection is CurveZMQ: encrypted, the client proven by its key and the\n"
          "daemon by its own (docs/security.md).\n"
          "\n"
          "Exit status: 0 all accepted or duplicate, 1 some refused, 2 bad usage or\n"
          "unreadable file or key, 3 daemon unreachable (submissions stay pending).\n"
          "\n"
          "Example:\n"
          "  junheng keygen ~/.config/junheng/client\n"
          "  junheng --server 10.1.2.3 submit 2025-primary-schools.csv\n"),
          out);
}

void client_print_problem(FILE *out, const char *prefix, const char *field, const char *reason)
{
    int col = field && *field ? submission_column_find(field) : -1;
    if (col >= 0)
        fprintf(out, "  %s%s (%s): %s\n", prefix, field, SUBMISSION_COLUMNS_ZH[col], reason ? reason : "");
    else
        fprintf(out, "  %s%s%s%s\n", prefix, field ? field : "", field && *field ? ": " : "", reason ? reason : "");
}

void client_print_problems(FILE *out, const char *prefix, Junheng__Issue **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        client_print_problem(out, prefix, items[i]->field, items[i]->reason);
}

/* Chooses a key file: the option, else the environment variable, else the
 * default file under $XDG_CONFIG_HOME/junheng (or ~/.config/junheng). */
static void key_path(const char *option, const char *env, const char *file, char *out, size_t size)
{
    const char *e = getenv(env), *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (option[0])
        snprintf(out, size, "%s", option);
    else if (e && e[0])
        snprintf(out, size, "%s", e);
    else if (xdg && xdg[0] == '/')
        snprintf(out, size, "%s/junheng/%s", xdg, file);
    else
        snprintf(out, size, "%s/.config/junheng/%s", home ? home : "", file);
}

int client_load_keys(client_options *opts)
{
    transport_options *t = &opts->transport;
    t->curve = false;
    if (opts->plaintext)
        return 0;
    char path[KEY_PATH_MAX], err[KEY_PATH_MAX + 256];
    keypair mine, theirs;
    key_path(opts->key_file, "JUNHENG_KEY", "client.key_secret", path, sizeof path);
    if (keyfile_read(path, true, &mine, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng: no client key: %s\n"
                        "  give --key FILE (make one with: junheng keygen NAME, and have an administrator\n"
                        "  register NAME.key), or --plaintext for a daemon with allow_plaintext yes\n"),
                err);
        return -1;
    }
    key_path(opts->server_key_file, "JUNHENG_SERVER_KEY", "server.key", path, sizeof path);
    if (keyfile_read(path, false, &theirs, err, sizeof err) != 0) {
        key_wipe(&mine, sizeof mine);
        fprintf(stderr, _("junheng: no daemon key: %s\n"
                        "  give --server-key FILE: the daemon's public .key file, from its administrator\n"),
                err);
        return -1;
    }
    memcpy(t->public_key, mine.public_key, sizeof t->public_key);
    memcpy(t->secret_key, mine.secret_key, sizeof t->secret_key);
    memcpy(t->server_key, theirs.public_key, sizeof t->server_key);
    key_wipe(&mine, sizeof mine);
    t->curve = true;
    return 0;
}

/* Takes the value of a global option, or reports it missing. */
static int take_value(int *i, int argc, char **argv, char *dst, size_t size)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, _("junheng: %s needs a value\n"), argv[*i]);
        return -1;
    }
    snprintf(dst, size, "%s", argv[++*i]);
    return 0;
}

/* Takes one --server value, appending it to the list. Returns 0, or -1
 * after saying what is wrong. */
static int take_server(int *i, int argc, char **argv, client_options *opts)
{
    char value[sizeof opts->server];
    if (take_value(i, argc, argv, value, sizeof value) != 0)
        return -1;
    size_t used = strlen(opts->server);
    if (used + 1 + strlen(value) >= sizeof opts->server) {
        fprintf(stderr, _("junheng: --server: too many servers\n"));
        return -1;
    }
    snprintf(opts->server + used, sizeof opts->server - used, "%s%s", used ? "," : "", value);
    return 0;
}

/* Builds each endpoint list not given on the command line from the servers:
 * tcp://HOST:PORT+k for k = 0 submit, 1 publish, 2 snapshot, 3 admin (PORT
 * 7401 unless HOST:PORT or [IPV6]:PORT says). Returns 0, or -1 after saying
 * what is wrong. */
static int server_endpoints(client_options *opts)
{
    char *eps[] = { opts->submit_endpoint, opts->publish_endpoint, opts->snapshot_endpoint, opts->admin_endpoint };
    char one[sizeof opts->server];
    size_t n = transport_endpoint_at(opts->server, 0, one, sizeof one);
    if (n == 0) {
        fprintf(stderr, _("junheng: --server: no host given\n"));
        return -1;
    }
    for (size_t s = 0; s < n; s++) {
        transport_endpoint_at(opts->server, s, one, sizeof one);
        long port;
        if (transport_server_split(one, &port) != 0) {
            fprintf(stderr, _("junheng: --server %s: the port must be a number in 1..65532\n"), one);
            return -1;
        }
        for (int k = 0; k < 4; k++) {
            if (opts->cli_endpoint[k])
                continue;
            size_t used = strlen(eps[k]);
            int w = snprintf(eps[k] + used, ENDPOINT_MAX - used, "%stcp://%s:%ld", used ? "," : "", one, port + k);
            if (w < 0 || (size_t)w >= ENDPOINT_MAX - used) {
                fprintf(stderr, _("junheng: --server: too many servers\n"));
                return -1;
            }
        }
    }
    return 0;
}

/* Takes the number of --timeout or --retries (argv[*i]) into opts.
 * Returns 0, or -1 after saying what is wrong. */
static int take_number(client_options *opts, int *i, int argc, char **argv)
{
    const char *a = argv[*i];
    char num[32] = "";
    int rc = take_value(i, argc, argv, num, sizeof num);
    char *end;
    long v = strtol(num, &end, 10);
    if (rc == 0 && (*end || v < 0 || v > 3600000)) {
        fprintf(stderr, _("junheng: %s: '%s' is not a valid number\n"), a, num);
        rc = -1;
    } else if (a[2] == 't')
        opts->transport.timeout_ms = (int)v;
    else
        opts->transport.retries = (int)v;
    return rc;
}

/* Reads the global options (those before the command) into opts, setting
 * *next to the index of the command. Returns -1 to go on, or the exit status
 * to end with at once (--help, --version, a bad option). */
static int parse_global_options(client_options *opts, int argc, char **argv, int *next)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            puts("junheng 0.1.0");
            return EXIT_OK;
        } else if (strcmp(a, "--server") == 0)
            rc = take_server(&i, argc, argv, opts);
        else if (strcmp(a, "--submit-endpoint") == 0)
            rc = take_value(&i, argc, argv, opts->submit_endpoint, ENDPOINT_MAX);
        else if (strcmp(a, "--publish-endpoint") == 0)
            rc = take_value(&i, argc, argv, opts->publish_endpoint, ENDPOINT_MAX);
        else if (strcmp(a, "--snapshot-endpoint") == 0)
            rc = take_value(&i, argc, argv, opts->snapshot_endpoint, ENDPOINT_MAX);
        else if (strcmp(a, "--admin-endpoint") == 0)
            rc = take_value(&i, argc, argv, opts->admin_endpoint, ENDPOINT_MAX);
        else if (strcmp(a, "--key") == 0)
            rc = take_value(&i, argc, argv, opts->key_file, sizeof opts->key_file);
        else if (strcmp(a, "--server-key") == 0)
            rc = take_value(&i, argc, argv, opts->server_key_file, sizeof opts->server_key_file);
        else if (strcmp(a, "--plaintext") == 0)
            opts->plaintext = true;
        else if (strcmp(a, "--tz") == 0)
            rc = take_value(&i, argc, argv, opts->tz, sizeof opts->tz);
        else if (strcmp(a, "--session") == 0)
            rc = take_value(&i, argc, argv, opts->transport.session, sizeof opts->transport.session);
        else if (strcmp(a, "--timeout") == 0 || strcmp(a, "--retries") == 0)
            rc = take_number(opts, &i, argc, argv);
        else {
            fprintf(stderr, _("junheng: unknown option '%s' (see junheng --help)\n"), a);
            return EXIT_USAGE;
        }
        if (rc != 0)
            return EXIT_USAGE;
    }
    *next = i;
    return -1;
}

/* Runs the command sub_argv[0] (with its own arguments), loading the keys
 * first unless it needs none. Returns the exit status. */
static int dispatch(client_options *opts, int sub_argc, char **sub_argv)
{
    const char *cmd = sub_argv[0];
    const char *session = getenv("JUNHENG_SESSION");
    if (!opts->transport.session[0] && session)
        snprintf(opts->transport.session, sizeof opts->transport.session, "%s", session);
    if (strcmp(cmd, "keygen") == 0)
        return cmd_keygen(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "template") == 0) /* writes a file here: needs no keys */
        return cmd_template(sub_argc, sub_argv);
    /* Any --help, and `county template` (which writes a file here), need no keys. */
    bool help = strcmp(cmd, "county") == 0 && (sub_argc < 2 || strcmp(sub_argv[1], "template") == 0);
    help = help || (strcmp(cmd, "review") == 0 && sub_argc < 2);
    for (int k = 1; k < sub_argc; k++)
        help = help || strcmp(sub_argv[k], "--help") == 0;
    if (!help && client_load_keys(opts) != 0)
        return EXIT_USAGE;
    if (strcmp(cmd, "submit") == 0)
        return cmd_submit(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "admin") == 0)
        return cmd_admin(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "session") == 0)
        return cmd_session(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "status") == 0)
        return cmd_status(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "watch") == 0)
        return cmd_watch(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "county") == 0)
        return cmd_county(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "review") == 0)
        return cmd_review(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "inbox") == 0)
        return cmd_inbox(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "whatif") == 0)
        return cmd_whatif(opts, sub_argc, sub_argv);
    if (strcmp(cmd, "plan") == 0)
        return cmd_plan(opts, sub_argc, sub_argv);
    fprintf(stderr, _("junheng: unknown command '%s' (see junheng --help)\n"), cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    i18n_init(); /* without a catalogue the messages stay English */
    wire_set_lang(i18n_language());
    client_options opts;
    memset(&opts, 0, sizeof opts);
    transport_options_default(&opts.transport);
    int i = 1;
    int rc = parse_global_options(&opts, argc, argv, &i);
    if (rc >= 0)
        return rc;
    char *eps[] = { opts.submit_endpoint, opts.publish_endpoint, opts.snapshot_endpoint, opts.admin_endpoint };
    for (int k = 0; k < 4; k++)
        opts.cli_endpoint[k] = eps[k][0] != '\0';
    if (!opts.server[0])
        snprintf(opts.server, sizeof opts.server, "127.0.0.1");
    if (server_endpoints(&opts) != 0)
        return EXIT_USAGE;
    char tz_err[256];
    if (local_time_set_zone(opts.tz, tz_err, sizeof tz_err) != 0) {
        fprintf(stderr, "junheng: %s\n", tz_err);
        return EXIT_USAGE;
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return dispatch(&opts, argc - i, argv + i);
}
