/* cmd_selfassess.c -- `junheng report --self-assessment`: fetches a county's
 * (or every county of a city's) status from the snapshot socket, builds the
 * self-assessment table (selfassess_table.h) and writes it as XLSX
 * (selfassess_xlsx.h) or CSV, chosen by the --out file's extension. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin_code.h"
#include "client.h"
#include "csv_out.h"
#include "i18n.h"
#include "selfassess_table.h"
#include "selfassess_xlsx.h"
#include "wire.h"

/* `junheng report --self-assessment --help`. */
static void selfassess_usage(FILE *out)
{
    fputs("Usage: junheng [GLOBAL OPTIONS] report --self-assessment --county CODE [--period P] --out FILE.xlsx|FILE.csv\n"
          "                                       [--encoding utf-8|gbk]\n"
          "       junheng [GLOBAL OPTIONS] report --self-assessment --city CODE [--period P] --out FILE.xlsx\n"
          "\n"
          "Writes the county's self-assessment table (自评表) from its current status: one row\n"
          "per item of the standard (the resource items 1.1–1.7 one row per stage, 小学 then\n"
          "初中), then the vetoes (否决项 5.1–5.6 and any the province adds), with the columns\n"
          "  序号, 评估内容, 指标及标准, 计算口径, 原始数据, 县自评结果, 是否达标, 佐证材料, 数据来源\n"
          "under a title row naming the county, the school year and its verdict (达标 / 未达标 /\n"
          "待定, with the failing and pending items).\n"
          "\n"
          "  --county CODE   the county (6 digits)\n"
          "  --city CODE     a city-wide workbook: a summary sheet 汇总 (per county: code, name,\n"
          "                  verdict, items failing, pending, coverage), then one sheet per county\n"
          "  --period P      school year by its starting year (default: the newest with data)\n"
          "  --out FILE      .xlsx: a workbook to print and stamp (A4 landscape, fit to the page\n"
          "                  width, heading row frozen and repeated on every page, wrapped text);\n"
          "                  .csv: the same cells as CSV, UTF-8 with BOM (one county only)\n"
          "  --encoding E    the CSV's encoding: utf-8 (default) or gbk, for an older Excel\n"
          "\n"
          "An item the status does not carry yet (a daemon without the whole verdict) is\n"
          "listed as 待补充 with the reason. Exit status: 0 written, 1 refused by the daemon,\n"
          "2 bad usage or cannot write, 3 daemon unreachable.\n"
          "\n"
          "Examples:\n"
          "  junheng report --self-assessment --county 371424 --out 临邑县-自评表.xlsx\n"
          "  junheng report --self-assessment --city 3714 --period 2025 --out 德州市-自评表.xlsx\n",
          out);
}

/* Asks the snapshot socket for code's status. Returns the JSON answer
 * (caller json_decrefs) or NULL with *code set to the exit status. */
static json_t *fetch_status(client_options *opts, const char *area, int32_t period, int *code)
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 || wire_envelope_pack_status_query(rid, area, period, 0, &msg, &len) != 0) {
        fprintf(stderr, "junheng report: out of memory\n");
        *code = EXIT_USAGE;
        return NULL;
    }
    Junheng__Reply *reply = client_request_one(opts->snapshot_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    json_t *body = NULL;
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, "junheng report: no answer from %s\n", opts->snapshot_endpoint);
        *code = EXIT_UNREACHABLE;
    } else if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, "junheng report: %s\n", wire_reply_status_name(reply->status));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        *code = EXIT_REFUSED;
    } else if (!(body = json_loads(reply->body ? reply->body : "null", 0, NULL)) || !json_is_object(body)) {
        fprintf(stderr, "junheng report: the daemon's answer is not a status\n");
        json_decref(body);
        body = NULL;
        *code = EXIT_REFUSED;
    }
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    return body;
}

/* Builds one table per county of the set. Returns 0, or -1 (OOM; built ones
 * stay in tables for the caller to free). */
static int build_tables(const status_set *set, selfassess_table **tables)
{
    for (size_t i = 0; i < set->n_counties; i++)
        if (!(tables[i] = selfassess_table_build(&set->counties[i])))
            return -1;
    return 0;
}

/* Writes one county's table as CSV in enc to path. Returns the exit status. */
static int write_csv(const selfassess_table *table, const char *path, csv_encoding enc)
{
    char *text = NULL, err[512] = "cannot write";
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    int bad = !m || selfassess_csv_write(m, table) != 0;
    if (m && fclose(m) != 0)
        bad = 1;
    FILE *f = bad ? NULL : fopen(path, "wb");
    bad = bad || !f || csv_out_write(f, text, len, enc, err, sizeof err) != 0;
    if (f && fclose(f) != 0)
        bad = 1;
    if (bad) {
        fprintf(stderr, "junheng report: %s: %s\n", path, err);
        free(text);
        return EXIT_USAGE;
    }
    free(text);
    return EXIT_OK;
}

/* Writes the file(s) of the set. Returns the exit status. */
static int write_out(const status_set *set, const char *area, const char *out_path, bool city, csv_encoding enc)
{
    size_t n = set->n_counties;
    selfassess_table **tables = calloc(n ? n : 1, sizeof *tables);
    int code = EXIT_OK;
    char err[4400] = "";
    size_t plen = strlen(out_path);
    bool csv = plen > 4 && strcasecmp(out_path + plen - 4, ".csv") == 0;
    if (!tables || build_tables(set, tables) != 0) {
        fprintf(stderr, "junheng report: out of memory\n");
        code = EXIT_USAGE;
    } else if (csv) {
        code = write_csv(tables[0], out_path, enc);
    } else {
        char title[256];
        snprintf(title, sizeof title, "%s 县域义务教育优质均衡发展 自评汇总（%zu 个县区）", area, n);
        if (selfassess_xlsx_write(out_path, city ? title : NULL, tables, n, err, sizeof err) != 0) {
            fprintf(stderr, "junheng report: %s\n", err);
            code = EXIT_USAGE;
        }
    }
    if (code == EXIT_OK)
        fprintf(stderr, "junheng report: wrote %s (%zu count%s)\n", out_path, n, n == 1 ? "y" : "ies");
    for (size_t i = 0; tables && i < n; i++)
        selfassess_table_destroy(&tables[i]);
    free(tables);
    return code;
}

/* Checks the options of --self-assessment. Returns 0 or prints why and -1. */
static int check_options(const char *county, const char *city, const char *out_path)
{
    admin_code area;
    if ((county == NULL) == (city == NULL)) {
        fprintf(stderr, "junheng report: --self-assessment needs exactly one of --county CODE or --city CODE\n");
        return -1;
    }
    if (county && (admin_code_parse(county, &area) != 0 || area.kind != ADMIN_COUNTY)) {
        fprintf(stderr, "junheng report: --county needs a 6-digit county code such as 371424\n");
        return -1;
    }
    if (city && (admin_code_parse(city, &area) != 0 || area.kind == ADMIN_COUNTY)) {
        fprintf(stderr, "junheng report: --city needs a city code such as 3714 or 371400\n");
        return -1;
    }
    size_t n = out_path ? strlen(out_path) : 0;
    bool xlsx = n > 5 && strcasecmp(out_path + n - 5, ".xlsx") == 0;
    bool csv = n > 4 && strcasecmp(out_path + n - 4, ".csv") == 0;
    if (!xlsx && !csv) {
        fprintf(stderr, "junheng report: --self-assessment needs --out FILE.xlsx or FILE.csv\n");
        return -1;
    }
    if (city && csv) {
        fprintf(stderr, "junheng report: a city-wide self-assessment is a workbook: --out FILE.xlsx\n");
        return -1;
    }
    return 0;
}

int cmd_report_self_assessment(client_options *opts, int argc, char **argv)
{
    const char *county = NULL, *city = NULL, *out_path = NULL;
    int32_t period = 0;
    csv_encoding enc = CSV_UTF8;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            selfassess_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--self-assessment") == 0)
            continue;
        else if (strcmp(a, "--county") == 0 && i + 1 < argc)
            county = argv[++i];
        else if (strcmp(a, "--city") == 0 && i + 1 < argc)
            city = argv[++i];
        else if (strcmp(a, "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else if (strcmp(a, "--encoding") == 0 && i + 1 < argc) {
            if (csv_encoding_parse(argv[++i], &enc) != 0) {
                fprintf(stderr, _("junheng report: --encoding '%s': give utf-8 or gbk\n"), argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, "junheng report: --period '%s' is not a school year like 2025\n", argv[i]);
                return EXIT_USAGE;
            }
            period = (int32_t)p;
        } else {
            fprintf(stderr, "junheng report: unexpected '%s' (see junheng report --self-assessment --help)\n", a);
            return EXIT_USAGE;
        }
    }
    if (check_options(county, city, out_path) != 0)
        return EXIT_USAGE;
    int code = EXIT_OK;
    json_t *answer = fetch_status(opts, county ? county : city, period, &code);
    if (!answer)
        return code;
    json_t *wrapped = county ? json_pack("{s:s, s:[O]}", "prefix", county, "counties", answer) : json_incref(answer);
    status_set set;
    if (!wrapped || status_set_read(&set, wrapped) != 0) {
        fprintf(stderr, "junheng report: out of memory\n");
        code = EXIT_USAGE;
    } else {
        if (set.n_counties == 0) {
            fprintf(stderr, "junheng report: no county under %s has a status yet\n", county ? county : city);
            code = EXIT_REFUSED;
        } else
            code = write_out(&set, county ? county : city, out_path, city != NULL, enc);
        status_set_free(&set);
    }
    json_decref(wrapped);
    json_decref(answer);
    return code;
}
