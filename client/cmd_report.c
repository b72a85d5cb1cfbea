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
#include "admin_names.h"
#include "client.h"
#include "i18n.h"
#include "local_time.h"
#include "report.h"
#include "wire.h"

/* `junheng report --help`. */
static void report_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] report (--city CODE | --county CODE) [--period P]\n"
            "                                       [--view live|official] [--out FILE.html]\n"
            "                                       [--csv DIR [--encoding utf-8|gbk]]\n"
            "       junheng [GLOBAL OPTIONS] report --self-assessment (--county CODE | --city CODE) [--period P]\n"
            "                                       --out FILE.xlsx|FILE.csv\n"
            "\n"
            "Writes what a city hands on, from the current status of each of its counties:\n"
            "\n"
            "  --city CODE     the city (3714 or 371400; a province 37 also works), named\n"
            "                  in the title (德州市) from the built-in table of docs/formats.md\n"
            "  --county CODE   one county (371425) instead of a whole city\n"
            "  --period P      school year (default: each county's newest)\n"
            "  --out FILE      one self-contained HTML file (no network needed to view or\n"
            "                  print it): per county and stage (小学, 初中) the seven\n"
            "                  difference coefficients (校际差异系数) drawn against their\n"
            "                  limit, the share of sections meeting each standard, the\n"
            "                  failing schools with their shortfalls in Chinese (整改清单:\n"
            "                  需增加体育运动场馆面积 2,923 平方米), coverage with the missing\n"
            "                  schools by name, the government-guarantee items, and each\n"
            "                  county's whole verdict (达标 / 未达标 / 待定 with failing and\n"
            "                  pending items) with every item by part and the vetoes. The\n"
            "                  header says the area, school year, view and when it was made\n"
            "                  (in the --tz time zone, named once); the footer where the\n"
            "                  numbers came from (endpoint, epoch, rules version). '-' writes\n"
            "                  to stdout\n"
            "  --csv DIR       the tables officials exchange into DIR (created if missing):\n"
            "                  校际差异系数表.csv (county × stage × indicator: standard,\n"
            "                  mean, coefficient, limit), 达标学校名单.csv (the school\n"
            "                  sections that pass: the seven values, indicators met),\n"
            "                  参评学校一览.csv (every section: verdict, shortfalls in\n"
            "                  Chinese), 县域评估结论.csv (per county: verdict, items\n"
            "                  failing, pending, not applicable, passing), 评估指标结果.csv\n"
            "                  (per county and item: outcome, value, threshold, formula,\n"
            "                  reason) and 县区汇总表.csv (per county: verdict, coverage,\n"
            "                  per stage the sections passing and the worst coefficient\n"
            "                  against its limit, the failing and pending items)\n"
            "  --encoding E    the CSV tables' encoding: utf-8 (default, with a BOM so that\n"
            "                  Excel reads the Chinese) or gbk (for an older Excel; a\n"
            "                  character GBK cannot hold is an error naming it)\n"
            "  --view V        live (实时, default: the newest data received) or official (正式:\n"
            "                  approved school revisions, sealed county inputs, the city's\n"
            "                  overrides; docs/review.md); the HTML's header and every CSV\n"
            "                  row (last column 视图 view) say which\n"
            "  --self-assessment  the county's self-assessment table 自评表 as XLSX or CSV\n"
            "                  (junheng report --self-assessment --help)\n"
            "\n"
            "Reading needs a monitor key whose scope covers the area, or an admin key\n"
            "(global --key). See docs/monitoring.md.\n"
            "\n"
            "At least one of --out and --csv. Exit status: 0 written, 1 refused by the\n"
            "daemon, 2 bad usage or cannot write, 3 daemon unreachable.\n"
            "\n"
            "Examples:\n"
            "  junheng report --city 3714 --out dezhou-2025.html\n"
            "  junheng report --city 371400 --period 2025 --csv tables/\n"
            "  junheng report --county 371425 --csv tables/ --encoding gbk\n"
            "  junheng --tz Asia/Shanghai report --city 3714 --view official --out dezhou-official.html\n"),
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
        if (json_is_object(body) && json_is_object(json_object_get(body, "county")))
            body = report_county_answer(body, city);
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
    const char *city, *county, *out_path, *csv_dir, *view;
    int32_t period;
    csv_encoding encoding;
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
        else if (strcmp(arg, "--county") == 0 && i + 1 < argc)
            a->county = argv[++i];
        else if (strcmp(arg, "--encoding") == 0 && i + 1 < argc) {
            if (csv_encoding_parse(argv[++i], &a->encoding) != 0) {
                fprintf(stderr, _("junheng report: --encoding '%s': give utf-8 or gbk\n"), argv[i]);
                return EXIT_USAGE;
            }
        }
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
            fprintf(stderr, _("junheng report: unexpected '%s' (see junheng report --help)\n"), arg);
            return EXIT_USAGE;
        }
    }
    return -1;
}

/* Checks the area asked for (--city or --county, one of them) into *area.
 * Returns 0, or -1 after saying why. */
static int report_area(const report_args *a, admin_code *area)
{
    if ((a->city != NULL) == (a->county != NULL)) {
        fprintf(stderr, _("junheng report: give --city CODE or --county CODE (see --help)\n"));
        return -1;
    }
    if (a->city && (admin_code_parse(a->city, area) != 0 || area->kind == ADMIN_COUNTY)) {
        fprintf(stderr, "%s", _("junheng report: --city needs a city code such as 3714 or 371400 (see --help)\n"));
        return -1;
    }
    if (a->county && (admin_code_parse(a->county, area) != 0 || area->kind != ADMIN_COUNTY)) {
        fprintf(stderr, _("junheng report: --county needs a 6-digit county code such as 371425 (see --help)\n"));
        return -1;
    }
    return 0;
}

/* Writes the CSV tables into dir (created if missing). Returns the exit status. */
static int write_tables(const char *dir, json_t *answer, csv_encoding enc)
{
    char err[1024];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "junheng report: %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    if (report_csv(dir, answer, enc, err, sizeof err) != 0) {
        fprintf(stderr, "junheng report: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, _("junheng report: wrote %s/%s, %s, %s, %s, %s and %s (%s)\n"), dir, REPORT_CSV_CV,
            REPORT_CSV_SCHOOLS, REPORT_CSV_ALL_SCHOOLS, REPORT_CSV_VERDICT, REPORT_CSV_ITEMS, REPORT_CSV_SUMMARY,
            csv_encoding_name(enc));
    return EXIT_OK;
}

/* Writes the HTML report to path ('-': stdout). Returns the exit status. */
static int write_html(const char *path, json_t *answer, const report_meta *meta)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f || report_html(f, answer, meta) != 0 || (!to_stdout && fclose(f) != 0)) {
        fprintf(stderr, "junheng report: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    if (!to_stdout)
        fprintf(stderr, "junheng report: wrote %s (%zu counties)\n", path,
                json_array_size(json_object_get(answer, "counties")));
    return EXIT_OK;
}

/* `junheng report`: parses the options, fetches the area's statuses once and
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
    admin_code area;
    if (report_area(&a, &area) != 0)
        return EXIT_USAGE;
    if (!a.out_path && !a.csv_dir) {
        fprintf(stderr, "junheng report: give --out FILE.html and/or --csv DIR\n");
        return EXIT_USAGE;
    }
    int code = EXIT_OK;
    json_t *answer = fetch(opts, a.city ? a.city : a.county, a.period, a.view, &code);
    if (!answer)
        return code;
    time_t now = time(NULL);
    char when[40], zone[96], title[512];
    local_time_format(now, when, sizeof when);
    local_time_zone_label(now, zone, sizeof zone);
    json_t *first = json_array_get(json_object_get(answer, "counties"), 0);
    report_area_title(&area, json_string_value(json_object_get(json_object_get(first, "county"), "name")), title,
                      sizeof title);
    report_meta meta = { title, when, zone, opts->snapshot_endpoint };
    if (a.out_path)
        code = write_html(a.out_path, answer, &meta);
    if (a.csv_dir && code == EXIT_OK)
        code = write_tables(a.csv_dir, answer, a.encoding);
    json_decref(answer);
    return code;
}
