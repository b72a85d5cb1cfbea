/* web_download_text.c -- the county page's downloads: their ids, types and
 * file names, and the Content-Disposition that names them (see
 * web_download.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "web_download.h"

#define TYPE_CSV "text/csv; charset=utf-8"

const web_download_kind WEB_DOWNLOADS[] = {
    { "report-html", WEB_DL_HTML, "均衡报告", "report (HTML, printable)", NULL, "text/html; charset=utf-8", "html" },
    { "selfassess-xlsx", WEB_DL_XLSX, "自评表", "self-assessment table (XLSX)", NULL,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
    { "csv-cv", WEB_DL_CSV, "校际差异系数表", "difference coefficients (CSV)", REPORT_CSV_CV, TYPE_CSV, "csv" },
    { "csv-schools", WEB_DL_CSV, "达标学校名单", "passing school sections (CSV)", REPORT_CSV_SCHOOLS, TYPE_CSV,
      "csv" },
    { "csv-all-schools", WEB_DL_CSV, "参评学校一览", "every school section (CSV)", REPORT_CSV_ALL_SCHOOLS, TYPE_CSV,
      "csv" },
    { "csv-verdict", WEB_DL_CSV, "县域评估结论", "county verdict (CSV)", REPORT_CSV_VERDICT, TYPE_CSV, "csv" },
    { "csv-items", WEB_DL_CSV, "评估指标结果", "items and vetoes (CSV)", REPORT_CSV_ITEMS, TYPE_CSV, "csv" },
    { "csv-summary", WEB_DL_CSV, "县区汇总表", "county summary (CSV)", REPORT_CSV_SUMMARY, TYPE_CSV, "csv" },
};
const size_t WEB_DOWNLOADS_COUNT = sizeof WEB_DOWNLOADS / sizeof WEB_DOWNLOADS[0];

const web_download_kind *web_download_find(const char *kind)
{
    for (size_t i = 0; kind && i < WEB_DOWNLOADS_COUNT; i++)
        if (strcmp(WEB_DOWNLOADS[i].kind, kind) == 0)
            return &WEB_DOWNLOADS[i];
    return NULL;
}

/* Copies the digits of text (at most size - 1) into buf. */
static void digits_only(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n + 1 < size; p++)
        if (*p >= '0' && *p <= '9')
            buf[n++] = *p;
    buf[n] = '\0';
}

void web_download_file_name(const web_download_kind *k, const char *code, const char *period, int ascii, char *buf,
                            size_t size)
{
    char c[16], p[16];
    digits_only(code, c, sizeof c);
    digits_only(period, p, sizeof p);
    snprintf(buf, size, "%s-%s%s%s.%s", c, ascii ? k->kind : k->name_zh, p[0] ? "-" : "", p, k->ext);
}

/* Whether c is an attr-char of RFC 5987 (sent as itself). */
static int attr_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c);
}

char *web_download_disposition(const web_download_kind *k, const char *code, const char *period)
{
    char ascii[128], utf8[256];
    web_download_file_name(k, code, period, 1, ascii, sizeof ascii);
    web_download_file_name(k, code, period, 0, utf8, sizeof utf8);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fprintf(m, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
    for (const unsigned char *s = (const unsigned char *)utf8; *s; s++) {
        if (*s && attr_char(*s))
            fputc(*s, m);
        else
            fprintf(m, "%%%02X", *s);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *web_download_list_json(const char *code)
{
    char c[16], href[96];
    digits_only(code, c, sizeof c);
    json_t *list = json_array();
    for (size_t i = 0; list && i < WEB_DOWNLOADS_COUNT; i++) {
        const web_download_kind *k = &WEB_DOWNLOADS[i];
        snprintf(href, sizeof href, "/api/county/%s/download/%s", c, k->kind);
        if (json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", k->kind, "name_zh",
                                                  k->name_zh, "label_en", k->label_en, "ext", k->ext, "href",
                                                  href)) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    char *text = list ? json_dumps(list, JSON_COMPACT) : NULL;
    json_decref(list);
    return text;
}
