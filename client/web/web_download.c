/* web_download.c -- the county page's downloads (web_download.h): GET
 * /api/county/CODE/downloads lists them, GET /api/county/CODE/download/KIND
 * makes one from the county's status, fetched with the user's session (the
 * daemon checks role and scope again), by the client's own writers -- the
 * same files `junheng report --county CODE --out F.html`, `--csv DIR` and
 * `report --self-assessment --out F.xlsx` write: report_html.c,
 * report_csv.c (one table per KIND, UTF-8 with BOM), selfassess_xlsx.c
 * (written to a private temporary file, read back, removed). A school user
 * gets 403, as for anything outside the user's scope. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin_code.h"
#include "file_read.h"
#include "i18n.h"
#include "local_time.h"
#include "report.h"
#include "selfassess_table.h"
#include "selfassess_xlsx.h"
#include "web_download.h"
#include "web_http_internal.h"
#include "web_text.h"

#define WEB_DOWNLOAD_MAX (64u << 20) /* the largest file made */

/* A file being made: its bytes (malloc'd) and what went wrong. */
typedef struct {
    char *data;
    size_t len;
    char err[512];
} made_file;

/* Whether who may download county code's files. */
static bool may_download(const web_session *who, const char *code)
{
    return strcmp(who->role, "school") != 0 && web_scope_allows(who->scope, code);
}

enum MHD_Result web_route_county_downloads(struct MHD_Connection *conn, const char *code, const web_session *who)
{
    if (!may_download(who, code))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "county_code", _("outside your scope"));
    char *text = web_download_list_json(code);
    enum MHD_Result rc = text ? web_answer_json(conn, MHD_HTTP_OK, text) : MHD_NO;
    free(text);
    return rc;
}

/* The HTML report of answer (one county), as `junheng report --county`
 * writes it; made now, in the gateway's time zone. Returns 0 or -1. */
static int make_html(web_http *self, const char *code, json_t *answer, made_file *f)
{
    admin_code area;
    char when[40], zone[96], title[512];
    time_t now = time(NULL);
    if (admin_code_parse(code, &area) != 0) {
        snprintf(f->err, sizeof f->err, "%s", _("not a county code"));
        return -1;
    }
    local_time_format(now, when, sizeof when);
    local_time_zone_label(now, zone, sizeof zone);
    json_t *first = json_array_get(json_object_get(answer, "counties"), 0);
    report_area_title(&area, json_string_value(json_object_get(json_object_get(first, "county"), "name")), title,
                      sizeof title);
    report_meta meta = { title, when, zone, self->cfg->snapshot_endpoint };
    FILE *m = open_memstream(&f->data, &f->len);
    int rc = m && report_html(m, answer, &meta) == 0 ? 0 : -1;
    if ((m && fclose(m) != 0) || rc != 0) {
        snprintf(f->err, sizeof f->err, "%s", _("the report could not be written"));
        return -1;
    }
    return 0;
}

/* One official CSV table of answer in enc (UTF-8 with BOM, or GBK: a
 * character GBK cannot hold is an error naming it). Returns 0 or -1. */
static int make_csv(const web_download_kind *k, json_t *answer, csv_encoding enc, made_file *f)
{
    FILE *m = open_memstream(&f->data, &f->len);
    int rc = m ? report_csv_table(m, answer, k->csv_table, enc, f->err, sizeof f->err) : -1;
    if ((m && fclose(m) != 0) || !m)
        rc = -1;
    return rc;
}

/* The 自评表 workbook of answer's county, through a private temporary file
 * (libxlsxwriter writes to a path). Returns 0 or -1. */
static int make_xlsx(json_t *answer, made_file *f)
{
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        snprintf(f->err, sizeof f->err, "%s", _("out of memory"));
        return -1;
    }
    selfassess_table *table = set.n_counties ? selfassess_table_build(&set.counties[0]) : NULL;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/junheng-web-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
    int fd = table ? mkstemps(path, 5) : -1;
    int rc = -1;
    if (fd < 0)
        snprintf(f->err, sizeof f->err, "%s", table ? strerror(errno) : _("out of memory"));
    else {
        close(fd);
        rc = selfassess_xlsx_write(path, NULL, &table, 1, f->err, sizeof f->err);
        if (rc == 0 && file_read_all(path, WEB_DOWNLOAD_MAX, FILE_READ_REGULAR, &f->data, &f->len, NULL) != 0) {
            snprintf(f->err, sizeof f->err, "%s", strerror(errno));
            rc = -1;
        }
        unlink(path);
    }
    selfassess_table_destroy(&table);
    status_set_free(&set);
    return rc;
}

/* Fetches county code's status with who's session and makes k's file of
 * it. Returns 0 with the file in f; else -1 with *res the daemon's outcome
 * (its refusal in no) or, when the daemon answered, f->err the reason. */
static int fetch_and_make(web_http *self, const web_download_kind *k, csv_encoding enc, const char *code,
                          const web_session *who, web_daemon_result *res, web_daemon_refusal *no, char *period,
                          size_t period_size, made_file *f)
{
    char *body = NULL;
    *res = web_daemon_status(self->cfg, who->token, code, NULL, &body, no);
    if (*res != WEB_DAEMON_OK)
        return -1;
    json_t *status = json_loads(body, 0, NULL);
    free(body);
    if (!json_is_object(json_object_get(status, "county"))) {
        json_decref(status);
        *res = WEB_DAEMON_BAD_ANSWER;
        return -1;
    }
    json_t *p = json_object_get(status, "period"); /* "2025" (a number from an older daemon) */
    if (json_is_integer(p))
        snprintf(period, period_size, "%lld", (long long)json_integer_value(p));
    else
        snprintf(period, period_size, "%s", json_is_string(p) ? json_string_value(p) : "");
    json_t *answer = report_county_answer(status, code); /* takes status */
    int rc = -1;
    if (!answer)
        snprintf(f->err, sizeof f->err, "%s", _("out of memory"));
    else if (k->format == WEB_DL_HTML)
        rc = make_html(self, code, answer, f);
    else if (k->format == WEB_DL_CSV)
        rc = make_csv(k, answer, enc, f);
    else
        rc = make_xlsx(answer, f);
    json_decref(answer);
    return rc;
}

enum MHD_Result web_route_county_download(web_http *self, struct MHD_Connection *conn, const char *code,
                                          const char *kind, const web_session *who)
{
    if (!may_download(who, code))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "county_code", _("outside your scope"));
    const web_download_kind *k = web_download_find(kind);
    if (!k)
        return web_answer_error(conn, MHD_HTTP_NOT_FOUND, "kind", _("no such download"));
    /* ?encoding=gbk: a CSV table for spreadsheets that do not read UTF-8
     * (as junheng report --encoding gbk) */
    const char *encoding = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "encoding");
    csv_encoding enc = CSV_UTF8;
    if (encoding && (k->format != WEB_DL_CSV || csv_encoding_parse(encoding, &enc) != 0))
        return web_answer_error(conn, MHD_HTTP_BAD_REQUEST, "encoding",
                                _("encoding: utf-8 or gbk, and for the CSV tables only"));
    made_file f = { 0 };
    web_daemon_result res = WEB_DAEMON_OK;
    web_daemon_refusal no = { 0 };
    char period[16] = "";
    enum MHD_Result rc;
    if (fetch_and_make(self, k, enc, code, who, &res, &no, period, sizeof period, &f) == 0) {
        char *disposition = web_download_disposition(k, code, period);
        const char *type = enc == CSV_GBK ? "text/csv; charset=GBK" : k->type;
        rc = disposition ? web_answer_attachment(conn, type, f.data, f.len, disposition) : MHD_NO;
        free(disposition);
    } else if (res != WEB_DAEMON_OK)
        rc = web_daemon_answer(self, conn, res, NULL, &no, who);
    else {
        fprintf(stderr, _("junheng-web: %s of %s: %s\n"), k->kind, code, f.err);
        rc = web_answer_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "", f.err);
    }
    free(f.data);
    return rc;
}
