/* cmd_report.c -- `junheng report`: fetches the status of every county of a
 * city from the snapshot socket and writes the HTML report (report_html.c)
 * and/or the officials' two CSV tables (report_csv.c). See report.h. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "admin_code.h"
#include "client.h"
#include "report.h"
#include "wire.h"

/* `junheng report --help`. */
static void report_usage(FILE *out)
{
    fputs("Usage: junheng [GLOBAL OPTIONS] report --city CODE [--period P] [--view live|official] [--out FILE.html]\n"
          "                                       [--csv DIR]\n"
          "       junheng [GLOBAL OPTIONS] report --self-assessment (--county CODE | --city CODE) [--period P]\n"
          "                                       --out FILE.xlsx|FILE.csv\n"
          "\n"
          "Writes what a city hands on, from the current status of each of its counties:\n"
          "\n"
          "  --city CODE     the city (3714 or 371400; a province 37 also works)\n"
          "  --period P      school year (default: each county's newest)\n"
          "  --out FILE      one self-contained HTML file (no network needed to view or\n"
          "                  print it): per county and stage (小学, 初中) the seven\n"
          "                  difference coefficients (校际差异系数) drawn against their\n"
          "                  limit, the share of sections meeting each standard, the\n"
          "                  failing schools with their shortfalls (整改清单), coverage,\n"
          "                  the government-guarantee items, and each county's whole verdict\n"
          "                  (达标 / 未达标 / 待定 with failing and pending items) with every\n"
          "                  item by part and the vetoes; '-' writes to stdout\n"
          "  --csv DIR       the tables officials exchange, UTF-8 with BOM, into DIR\n"
          "                  (created if missing): " REPORT_CSV_CV " (county × stage ×\n"
          "                  indicator: standard, mean, coefficient, limit),\n"
          "                  " REPORT_CSV_SCHOOLS " (the school sections that pass: the seven\n"
          "                  values, indicators met), " REPORT_CSV_ALL_SCHOOLS " (every\n"
          "                  section: verdict, shortfalls in Chinese), " REPORT_CSV_VERDICT "\n"
          "                  (per county: verdict, items failing, pending, not applicable,\n"
          "                  passing) and " REPORT_CSV_ITEMS " (per county and item:\n"
          "                  outcome, value, threshold, formula, reason)\n"
          "  --view V        live (实时, default: the newest data received) or official (正式:\n"
          "                  approved school revisions, sealed county inputs, the city's\n"
          "                  overrides; docs/review.md); the HTML's title and every CSV\n"
          "                  row (last column 视图 view) say which\n"
          "  --self-assessment  the county's self-assessment table 自评表 as XLSX or CSV\n"
          "                  (junheng report --self-assessment --help)\n"
          "\n"
          "Reading needs a monitor key whose scope covers the city, or an admin key\n"
          "(global --key). See docs/monitoring.md.\n"
          "\n"
          "At least one of --out and --csv. Exit status: 0 written, 1 refused by the\n"
          "daemon, 2 bad usage or cannot write, 3 daemon unreachable.\n"
          "\n"
          "Examples:\n"
          "  junheng report --city 3714 --out dezhou-2025.html\n"
          "  junheng report --city 371400 --period 2025 --csv tables/\n"
          "  junheng report --city 3714 --view official --out dezhou-official.html\n",
          out);
}

/* Asks the snapshot socket for every county under code. Returns the answer
 * (caller json_decrefs) or NULL with *code set to the exit status. */
static json_t *fetch(client_options *opts, const char *city, int32_t period, const char *view, int *code)
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 || client_pack_status_query(rid, city, period, false, view, &msg, &len) != 0) {
        fprintf(stderr, "junheng report: out of memory\n");
        *code = EXIT_USAGE;
        return NULL;
    }
    Junheng__Reply *reply = client_request_one(opts->snapshot_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, "junheng report: no answer from %s\n", opts->snapshot_endpoint);
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        *code = EXIT_UNREACHABLE;
        return NULL;
    }
    json_t *body = NULL;
    if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, "junheng report: %s\n", wire_reply_status_name(reply->status));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        *code = EXIT_REFUSED;
    } else {
        json_error_t jerr;
        body = json_loads(reply->body ? reply->body : "null", 0, &jerr);
        if (json_is_object(body) && !json_object_get(body, "view"))
            json_object_set_new(body, "view", json_string(view)); /* the view asked for, said in every table */
        if (!json_is_array(json_object_get(body, "counties"))) {
            fprintf(stderr, "junheng report: the daemon's answer is not a list of counties\n");
            json_decref(body);
            body = NULL;
            *code = EXIT_REFUSED;
        }
    }
    junheng__reply__free_unpacked(reply, NULL);
    return body;
}

/* The options of `junheng report` (the strings point into argv). */
typedef struct {
    const char *city, *out_path, *csv_dir, *view;
    int32_t period;
} report_args;

/* Reads the options into a. Returns -1 to go on, or the exit status to end
 * with at once (--help, a bad option). */
static int parse_report_args(report_args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0) {
            report_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "--city") == 0 && i + 1 < argc)
            a->city = argv[++i];
        else if (strcmp(arg, "--out") == 0 && i + 1 < argc)
            a->out_path = argv[++i];
        else if (strcmp(arg, "--csv") == 0 && i + 1 < argc)
            a->csv_dir = argv[++i];
        else if (strcmp(arg, "--view") == 0 && i + 1 < argc) {
            if (client_parse_view("report", argv[++i], &a->view) != 0)
                return EXIT_USAGE;
        } else if (strcmp(arg, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, "junheng report: --period '%s' is not a school year like 2025\n", argv[i]);
                return EXIT_USAGE;
            }
            a->period = (int32_t)p;
        } else {
            fprintf(stderr, "junheng report: unexpected '%s' (see junheng report --help)\n", arg);
            return EXIT_USAGE;
        }
    }
    return -1;
}

/* `junheng report`: parses the options, fetches the city's statuses once and
 * writes what was asked for. Returns the exit status. */
int cmd_report(client_options *opts, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--self-assessment") == 0)
            return cmd_report_self_assessment(opts, argc, argv);
    report_args a = { .view = "live" };
    int rc = parse_report_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    const char *city = a.city, *out_path = a.out_path, *csv_dir = a.csv_dir;
    admin_code area;
    if (admin_code_parse(city, &area) != 0 || area.kind == ADMIN_COUNTY) {
        fprintf(stderr, "junheng report: --city needs a city code such as 3714 or 371400 (see --help)\n");
        return EXIT_USAGE;
    }
    if (!out_path && !csv_dir) {
        fprintf(stderr, "junheng report: give --out FILE.html and/or --csv DIR\n");
        return EXIT_USAGE;
    }
    int code = EXIT_OK;
    json_t *answer = fetch(opts, city, a.period, a.view, &code);
    if (!answer)
        return code;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    char city4[8];
    snprintf(city4, sizeof city4, "%s", area.prefix);
    report_meta meta = { city4, when, opts->snapshot_endpoint };
    if (out_path) {
        bool to_stdout = strcmp(out_path, "-") == 0;
        FILE *f = to_stdout ? stdout : fopen(out_path, "wb");
        if (!f || report_html(f, answer, &meta) != 0 || (!to_stdout && fclose(f) != 0)) {
            fprintf(stderr, "junheng report: %s: %s\n", out_path, strerror(errno));
            code = EXIT_USAGE;
        } else if (!to_stdout) {
            fprintf(stderr, "junheng report: wrote %s (%zu counties)\n", out_path,
                    json_array_size(json_object_get(answer, "counties")));
        }
    }
    if (csv_dir && code == EXIT_OK) {
        char err[512];
        if (mkdir(csv_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "junheng report: %s: %s\n", csv_dir, strerror(errno));
            code = EXIT_USAGE;
        } else if (report_csv(csv_dir, answer, err, sizeof err) != 0) {
            fprintf(stderr, "junheng report: %s\n", err);
            code = EXIT_USAGE;
        } else {
            fprintf(stderr, "junheng report: wrote %s/%s, %s, %s, %s and %s\n", csv_dir, REPORT_CSV_CV,
                    REPORT_CSV_SCHOOLS, REPORT_CSV_ALL_SCHOOLS, REPORT_CSV_VERDICT, REPORT_CSV_ITEMS);
        }
    }
    json_decref(answer);
    return code;
}
