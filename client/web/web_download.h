/* web_download.h -- what the county page offers to download (GET
 * /api/county/CODE/download/KIND, web_download.c): the HTML report, the
 * official CSV tables and the 自评表 XLSX, each with its KIND id, its
 * Content-Type and its file name ("371425-自评表-2025.xlsx"), and the
 * Content-Disposition header that names it (RFC 6266 with RFC 5987's
 * filename* for the Chinese name, an ASCII filename beside it). Pure text,
 * unit-tested; nothing here makes a file. */
#ifndef JUNHENG_WEB_DOWNLOAD_H
#define JUNHENG_WEB_DOWNLOAD_H

#include <stddef.h>

typedef enum { WEB_DL_HTML = 0, WEB_DL_CSV, WEB_DL_XLSX } web_download_format;

typedef struct {
    const char *kind;          /* the URL's KIND: "report-html", "csv-cv", "selfassess-xlsx" */
    web_download_format format;
    const char *name_zh;       /* the file name's Chinese part: 均衡报告, 校际差异系数表, 自评表 */
    const char *label_en;      /* what it is, in English, for the page */
    const char *csv_table;     /* WEB_DL_CSV: the table's name in report.h (REPORT_CSV_CV, ...); else NULL */
    const char *type;          /* Content-Type */
    const char *ext;           /* "html", "csv", "xlsx" */
} web_download_kind;

/* Every download, in the order the page lists them. */
extern const web_download_kind WEB_DOWNLOADS[];
extern const size_t WEB_DOWNLOADS_COUNT;

/* The download of id kind, or NULL when there is none. */
const web_download_kind *web_download_find(const char *kind);

/* The file name "CODE-NAME_ZH-PERIOD.EXT" ("CODE-NAME_ZH.EXT" when period
 * is NULL or empty) into buf; with ascii the KIND instead of the Chinese
 * name ("371425-selfassess-xlsx-2025.xlsx"). */
void web_download_file_name(const web_download_kind *k, const char *code, const char *period, int ascii, char *buf,
                            size_t size);

/* The Content-Disposition value for the download of county code and
 * period: attachment; filename="ASCII NAME"; filename*=UTF-8''PERCENT-ENCODED
 * NAME. Characters outside RFC 5987's attr-char are %XX-encoded; the code
 * and period keep only digits. Returns a malloc'd string (caller frees), or
 * NULL when out of memory. */
char *web_download_disposition(const web_download_kind *k, const char *code, const char *period);

/* The list for the page as JSON text: [{"kind", "name_zh", "label_en",
 * "ext", "href"}...] for county code ("href": its download URL). Returns a
 * malloc'd string (caller frees), or NULL when out of memory. */
char *web_download_list_json(const char *code);

#endif
