/* cmd_admin.c -- `junheng admin ...`: requests on the daemon's admin socket. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "file_read.h"
#include "table_input.h"
#include "i18n.h"
#include "review.h"
#include "wire.h"

static void admin_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] admin COMMAND\n"
          "\n"
          "Commands (sent to the daemon's admin socket; the daemon does the database work):\n"
          "  ping                     is the daemon up, and its database?\n"
          "  import-counties FILE     load county names (county_code,name / 县区代码,名称)\n"
          "  import-schools FILE      load the school registry (学校名册; see docs/formats.md);\n"
          "                           all or nothing: any bad row refuses the file, with every\n"
          "                           error by line and column. Re-importing updates rows in\n"
          "                           place; schools of the file's counties missing from the\n"
          "                           file are marked inactive, never deleted.\n"
          "                           FILE: CSV or an .xlsx workbook (--sheet S before FILE:\n"
          "                           the sheet's name or position from 1; default the first)\n"
          "  import-plan FILE         load the city's plan (推进方案; docs/formats.md): per county\n"
          "                           and school year the planned coefficients, shares of\n"
          "                           schools and years of review; all or nothing, every\n"
          "                           error by line and column; each row a new revision, the\n"
          "                           newest in force (--sheet S as for import-schools)\n"
          "  stats [--json]           counters since start and revisions stored\n"
          "  rejected [--since TIME]  quarantined (refused) messages, newest last\n"
          "  set-key ROLE SUBJECT KEY [--review]\n"
          "                           bind a CURVE public key (a NAME.key file, or its 40\n"
          "                           Z85 characters) to a role:\n"
          "                             school  SCHOOL_CODE   submits for that school only\n"
          "                             monitor SCOPE         reads counties under a province (37),\n"
          "                                                   city (3714 or 371400) or county code;\n"
          "                                                   --review: also the city's review of\n"
          "                                                   that scope (findings, overrides,\n"
          "                                                   return, pass, close; docs/review.md)\n"
          "                             county  COUNTY_CODE   a county bureau: sends its county's inputs\n"
          "                                                   and its schools' submissions; reads its county\n"
          "                             admin   NAME          every admin command, any school\n"
          "                           takes effect for the key's next message\n"
          "  revoke-key KEY           the key is refused from now on: new connections at the\n"
          "                           handshake, open ones at their next request; never undone\n"
          "  keys [--json]            the key registry (the config's admin keys included)\n"
          "  period open P --closes DATE\n"
          "                           open school year P for submissions until DATE (its last\n"
          "                           day, China time); after it a school's submission for P\n"
          "                           is refused unless its county reopened P for that school\n"
          "                           (junheng review reopen): then it is taken, marked late\n"
          "  period close P           close P at once\n"
          "  period reopen P --closes DATE   move P's closing date\n"
          "  period list [--json]     the periods and their dates\n"
          "  package-reopen COUNTY P  a county's passed package (市级复核通过) back to collecting\n"
          "  add-user NAME --role ROLE [--scope CODE] [--review] [--password-stdin | --prompt]\n"
          "                           a web user (people log in through junheng-web): ROLE school,\n"
          "                           county, monitor or admin, CODE as set-key's SUBJECT (none for\n"
          "                           admin); the password from stdin, asked without echo, or else\n"
          "                           generated and printed once\n"
          "  reset-password NAME [--password-stdin | --prompt]   a new password (their sessions end)\n"
          "  lock-user NAME           refuse their logins; their sessions end at once\n"
          "  unlock-user NAME         let them log in again\n"
          "  list-users [--json]      the web users (never their passwords)\n"
          "\n"
          "Every admin command needs an admin key (--key; see junheng --help).\n"
          "\n"
          "Exit status: 0 done, 1 refused, 2 bad usage, 3 no answer.\n"
          "\n"
          "Examples:\n"
          "  junheng admin import-schools deploy/demo-data/schools.csv\n"
          "  junheng admin import-plan deploy/demo-data/dezhou-plan.csv\n"
          "  junheng admin set-key monitor 3714 city-reviewer.key --review\n"
          "  junheng admin period open 2025 --closes 2026-03-31\n"),
          out);
}

/* Sends one admin request; prints errors; returns the reply or NULL (and
 * sets *code to the exit code to use). */
static Junheng__Reply *admin_call(client_options *opts, const char *command, const char *const *args, size_t n_args,
                                  const uint8_t *file, size_t file_len, int *code)
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 ||
        wire_envelope_pack_admin(rid, command, args, n_args, file, file_len, &msg, &len) != 0) {
        fprintf(stderr, "junheng admin: out of memory\n");
        *code = EXIT_USAGE;
        return NULL;
    }
    transport_options t = opts->transport;
    Junheng__Reply *reply = client_request_one(opts->admin_endpoint, msg, len, rid, &t);
    free(msg);
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, "junheng admin %s: no answer from %s%s%s\n", command, opts->admin_endpoint,
                reply && reply->n_errors ? ": " : "", reply && reply->n_errors ? reply->errors[0]->reason : "");
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        *code = EXIT_UNREACHABLE;
        return NULL;
    }
    if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, "junheng admin %s: %s\n", command, wire_reply_status_name(reply->status));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        junheng__reply__free_unpacked(reply, NULL);
        *code = EXIT_REFUSED;
        return NULL;
    }
    *code = EXIT_OK;
    return reply;
}

/* Prints a JSON object's members as "key: value" lines. */
static void print_object(const char *body)
{
    json_t *o = json_loads(body, 0, NULL);
    if (!o || !json_is_object(o)) {
        puts(body);
        json_decref(o);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        char *text = json_dumps(v, JSON_ENCODE_ANY);
        printf("%-18s %s\n", key, text ? text : "?");
        free(text);
    }
    json_decref(o);
}

/* Reads a public key argument: a key file, else 40 Z85 characters. Returns
 * 0 with out, or -1 after saying why. */
static int key_argument(const char *cmd, const char *arg, char out[KEY_Z85_LEN + 1])
{
    keypair kp;
    char err[4400];
    if (access(arg, F_OK) != 0 && key_z85_valid(arg)) {
        snprintf(out, KEY_Z85_LEN + 1, "%s", arg);
        return 0;
    }
    if (keyfile_read(arg, false, &kp, err, sizeof err) != 0) {
        fprintf(stderr, "junheng admin %s: %s\n", cmd, access(arg, F_OK) == 0 ? err : "not a key file or Z85 key");
        return -1;
    }
    memcpy(out, kp.public_key, KEY_Z85_LEN + 1);
    key_wipe(&kp, sizeof kp);
    return 0;
}

/* Prints the key registry, one key per line. */
static void print_keys(const char *body)
{
    json_t *arr = json_loads(body, 0, NULL);
    size_t i;
    json_t *k;
    if (!arr || !json_is_array(arr)) {
        puts(body);
        json_decref(arr);
        return;
    }
    json_array_foreach(arr, i, k)
    {
        const char *revoked = json_string_value(json_object_get(k, "revoked_at"));
        const char *source = json_string_value(json_object_get(k, "source"));
        printf("%s %-7s %-12s %s\n", json_string_value(json_object_get(k, "public_key")),
               json_string_value(json_object_get(k, "role")), json_string_value(json_object_get(k, "subject")),
               revoked ? "revoked" : source ? "active (config)" : "active");
    }
    if (json_array_size(arr) == 0)
        puts("no keys");
    json_decref(arr);
}

/* A string member of o, or fallback when absent or not a string. */
static const char *text_or(json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : fallback;
}

/* Prints the quarantine list as one block per message. */
static void print_rejected(const char *body)
{
    json_t *arr = json_loads(body, 0, NULL);
    size_t i;
    json_t *q;
    if (!arr || !json_is_array(arr)) {
        puts(body);
        json_decref(arr);
        return;
    }
    json_array_foreach(arr, i, q)
    {
        printf("#%lld %s %s %s (%lld bytes from %s)\n", (long long)json_integer_value(json_object_get(q, "id")),
               text_or(q, "received_at", "?"), text_or(q, "school_code", "-"), text_or(q, "reason", "?"),
               (long long)json_integer_value(json_object_get(q, "raw_bytes")), text_or(q, "peer", "-"));
        size_t j;
        json_t *e;
        json_array_foreach(json_object_get(q, "errors"), j, e)
        {
            client_print_problem(stdout, "", text_or(e, "field", ""), text_or(e, "reason", ""));
        }
    }
    if (json_array_size(arr) == 0)
        puts("no rejected messages");
    json_decref(arr);
}

/* Frees reply (may be NULL) and passes code through. */
static int admin_done(Junheng__Reply *reply, int code)
{
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    return code;
}

/* `admin import-counties|import-schools [--sheet S] FILE`: sends the file
 * whole (a workbook's sheet as CSV text) and prints the daemon's summary.
 * Returns the exit status. */
static int admin_import(client_options *opts, int argc, char **argv)
{
    const char *cmd = argv[1], *sheet = NULL;
    int code = EXIT_OK;
    if (argc == 5 && strcmp(argv[2], "--sheet") == 0) {
        sheet = argv[3];
        argv += 2;
        argc -= 2;
    }
    if (argc != 3) {
        fprintf(stderr, "junheng admin %s: needs exactly one FILE\n", cmd);
        return EXIT_USAGE;
    }
    char *bytes, what[64];
    size_t len;
    snprintf(what, sizeof what, "admin %s", cmd);
    if (table_input_read(what, argv[2], sheet, &bytes, &len) != 0)
        return EXIT_USAGE;
    if (len + 4096 > WIRE_MAX_MESSAGE) {
        /* The daemon drops a message over ZMQ_MAXMSGSIZE without a word:
         * say so here instead of waiting for an answer that cannot come. */
        fprintf(stderr, "junheng admin %s: %s is %zu bytes; one request holds at most %d: split the file by county\n",
                cmd, argv[2], len, WIRE_MAX_MESSAGE - 4096);
        free(bytes);
        return EXIT_USAGE;
    }
    /* import-plan names the file in its revisions and audit row */
    const char *base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
    const char *args[] = { base };
    bool named = strcmp(cmd, "import-plan") == 0;
    Junheng__Reply *reply = admin_call(opts, cmd, named ? args : NULL, named ? 1 : 0, (const uint8_t *)bytes, len,
                                       &code);
    free(bytes);
    if (reply)
        print_object(reply->body ? reply->body : "{}");
    return admin_done(reply, code);
}

/* A command with no arguments but an optional --json (ping, stats, keys):
 * prints the reply's body as it is with --json, else through print (empty
 * standing for a missing body). Returns the exit status. */
static int admin_query(client_options *opts, int argc, char **argv, const char *empty, void (*print)(const char *))
{
    const char *cmd = argv[1];
    int code = EXIT_OK;
    bool json = argc > 2 && strcmp(argv[2], "--json") == 0;
    if (argc > 2 + (json ? 1 : 0)) {
        fprintf(stderr, "junheng admin %s: unexpected '%s'\n", cmd, argv[argc - 1]);
        return EXIT_USAGE;
    }
    Junheng__Reply *reply = admin_call(opts, cmd, NULL, 0, NULL, 0, &code);
    if (reply && json)
        puts(reply->body ? reply->body : empty);
    else if (reply)
        print(reply->body ? reply->body : empty);
    return admin_done(reply, code);
}

/* `admin rejected [--since TIME] [--json]`: the quarantine list. Returns the
 * exit status. */
static int admin_rejected(client_options *opts, int argc, char **argv)
{
    int code = EXIT_OK;
    const char *since = "";
    bool json = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
            since = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else {
            fprintf(stderr, "junheng admin rejected: unexpected '%s'\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    const char *args[] = { since };
    Junheng__Reply *reply = admin_call(opts, argv[1], args, 1, NULL, 0, &code);
    if (reply && json)
        puts(reply->body ? reply->body : "[]");
    else if (reply)
        print_rejected(reply->body ? reply->body : "[]");
    return admin_done(reply, code);
}

/* `admin set-key ROLE SUBJECT KEY [--review]` and `admin revoke-key KEY`.
 * --review (monitor keys) travels as a fourth argument "review". Returns the
 * exit status. */
static int admin_key_change(client_options *opts, int argc, char **argv)
{
    const char *cmd = argv[1];
    int code = EXIT_OK;
    bool set = cmd[0] == 's';
    bool review = set && argc == 6 && strcmp(argv[5], "--review") == 0;
    if (argc != (set ? 5 : 3) + (review ? 1 : 0)) {
        fprintf(stderr, "junheng admin %s: needs %s\n", cmd, set ? "ROLE SUBJECT KEY [--review]" : "KEY");
        return EXIT_USAGE;
    }
    char key[KEY_Z85_LEN + 1];
    if (key_argument(cmd, argv[set ? 4 : 2], key) != 0)
        return EXIT_USAGE;
    const char *args[] = { set ? argv[2] : key, argv[3], key, "review" };
    Junheng__Reply *reply = admin_call(opts, cmd, args, set ? (review ? 4 : 3) : 1, NULL, 0, &code);
    if (reply)
        print_object(reply->body ? reply->body : "{}");
    return admin_done(reply, code);
}

/* Whether s is a school year (4 digits) and, when date is not NULL, date a
 * date YYYY-MM-DD. Prints why not. */
static bool period_args_ok(const char *cmd, const char *p, const char *date)
{
    bool ok = strlen(p) == 4 && strspn(p, "0123456789") == 4;
    if (ok && date)
        ok = strlen(date) == 10 && strspn(date, "0123456789") == 4 && date[4] == '-' && date[7] == '-';
    if (!ok)
        fprintf(stderr, "junheng admin %s: give a school year like 2025%s\n", cmd,
                date ? " and --closes YYYY-MM-DD" : "");
    return ok;
}

/* `admin period open P --closes DATE | close P | reopen P --closes DATE |
 * list [--json]`: AdminRequest period-open P DATE, period-close P,
 * period-reopen P DATE, periods (docs/review.md, "Periods"). Returns the exit
 * status. */
static int admin_period(client_options *opts, int argc, char **argv)
{
    const char *sub = argc > 2 ? argv[2] : "";
    int code = EXIT_OK;
    bool json = argc > 0 && strcmp(argv[argc - 1], "--json") == 0;
    int n = argc - (json ? 1 : 0);
    const char *args[2] = { n > 3 ? argv[3] : "", n > 5 ? argv[5] : "" };
    char cmd[32];
    snprintf(cmd, sizeof cmd, "period-%s", sub);
    if (strcmp(sub, "list") == 0 && n == 3)
        snprintf(cmd, sizeof cmd, "periods");
    else if (strcmp(sub, "close") == 0 && n == 4) {
        if (!period_args_ok("period close", args[0], NULL))
            return EXIT_USAGE;
    } else if ((strcmp(sub, "open") == 0 || strcmp(sub, "reopen") == 0) && n == 6 &&
               strcmp(argv[4], "--closes") == 0) {
        if (!period_args_ok(cmd, args[0], args[1]))
            return EXIT_USAGE;
    } else {
        fprintf(stderr, "junheng admin period: give open P --closes DATE, close P, reopen P --closes DATE or list "
                        "(see junheng admin --help)\n");
        return EXIT_USAGE;
    }
    size_t n_args = strcmp(cmd, "periods") == 0 ? 0 : strcmp(cmd, "period-close") == 0 ? 1 : 2;
    Junheng__Reply *reply = admin_call(opts, cmd, args, n_args, NULL, 0, &code);
    if (reply && json)
        puts(reply->body ? reply->body : "{}");
    else if (reply) {
        json_t *body = json_loads(reply->body ? reply->body : "{}", JSON_DECODE_ANY, NULL);
        if (body)
            review_print_periods(cmd, body);
        else
            puts(reply->body ? reply->body : "");
        json_decref(body);
    }
    return admin_done(reply, code);
}

/* `admin package-reopen COUNTY P`: a passed package back to collecting.
 * Returns the exit status. */
static int admin_package_reopen(client_options *opts, int argc, char **argv)
{
    int code = EXIT_OK;
    if (argc != 4 || strlen(argv[2]) != 6 || strspn(argv[2], "0123456789") != 6 ||
        !period_args_ok("package-reopen", argv[3], NULL)) {
        fprintf(stderr, "junheng admin package-reopen: needs COUNTY (6 digits) and P (a school year)\n");
        return EXIT_USAGE;
    }
    const char *args[] = { argv[2], argv[3] };
    Junheng__Reply *reply = admin_call(opts, argv[1], args, 2, NULL, 0, &code);
    if (reply)
        print_object(reply->body ? reply->body : "{}");
    return admin_done(reply, code);
}

int cmd_admin(client_options *opts, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        admin_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "import-counties") == 0 || strcmp(cmd, "import-schools") == 0 ||
        strcmp(cmd, "import-plan") == 0)
        return admin_import(opts, argc, argv);
    if (strcmp(cmd, "ping") == 0 || strcmp(cmd, "stats") == 0)
        return admin_query(opts, argc, argv, "{}", print_object);
    if (strcmp(cmd, "rejected") == 0)
        return admin_rejected(opts, argc, argv);
    if (strcmp(cmd, "set-key") == 0 || strcmp(cmd, "revoke-key") == 0)
        return admin_key_change(opts, argc, argv);
    if (strcmp(cmd, "keys") == 0)
        return admin_query(opts, argc, argv, "[]", print_keys);
    if (strcmp(cmd, "period") == 0)
        return admin_period(opts, argc, argv);
    if (strcmp(cmd, "package-reopen") == 0)
        return admin_package_reopen(opts, argc, argv);
    if (strcmp(cmd, "add-user") == 0 || strcmp(cmd, "lock-user") == 0 || strcmp(cmd, "unlock-user") == 0 ||
        strcmp(cmd, "reset-password") == 0 || strcmp(cmd, "list-users") == 0)
        return cmd_admin_users(opts, argc, argv);
    fprintf(stderr, "junheng admin: unknown command '%s' (see junheng admin --help)\n", cmd);
    return EXIT_USAGE;
}
