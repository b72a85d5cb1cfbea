/* report.h -- `junheng report`: the documents a city hands on, made from the
 * status JSON (docs/formats.md §5) of every county under it, as the
 * snapshot socket answers it ({"prefix", "counties": [status...]}).
 *
 *   report_html.c  one self-contained HTML file (inline CSS and SVG, no
 *                  script, nothing fetched): per county the seven difference
 *                  coefficients per stage drawn against their limit, the share
 *                  of sections meeting each standard, the failing schools with
 *                  their shortfalls, coverage, the guarantee items
 *   report_csv.c   the tables officials exchange, UTF-8 with BOM (or GBK):
 *                  校际差异系数表, 达标学校名单, 参评学校一览, 县域评估结论, 评估指标结果,
 *                  县区汇总表 (report_csv_summary.c)
 *   report_text.c  the words both share (shortfall sentences, the area's title)
 *
 * Indicator and stage names come from common/indicators.h, Chinese next to
 * the English id. Nothing here talks to the daemon. */
#ifndef JUNHENG_REPORT_H
#define JUNHENG_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "admin_code.h"
#include "csv_out.h"
#include "status_read.h"

/* What a report is about, for its header (what an official needs) and its
 * footer (where it came from). */
typedef struct {
    const char *title;         /* the area: "德州市 (3714)", "德州市陵城区 (371403)" (report_area_title) */
    const char *generated_at;  /* local time, "2026-11-23 18:40" (local_time.h) */
    const char *zone;          /* the zone of every time shown, "Asia/Shanghai, UTC+8" */
    const char *source;        /* the snapshot endpoint it came from (footer only) */
} report_meta;

/* Writes the HTML report of answer to out. Returns 0, or -1 when writing
 * failed (errno set by stdio). */
int report_html(FILE *out, json_t *answer, const report_meta *meta);

/* File names of the CSV tables inside the --csv directory. */
#define REPORT_CSV_CV "校际差异系数表.csv"
#define REPORT_CSV_SCHOOLS "达标学校名单.csv"       /* the school sections that pass */
#define REPORT_CSV_ALL_SCHOOLS "参评学校一览.csv"   /* every school section, with its shortfalls */
#define REPORT_CSV_VERDICT "县域评估结论.csv"   /* one row per county: the whole verdict */
#define REPORT_CSV_ITEMS "评估指标结果.csv"     /* one row per county and item (1.1–5.6+) */
#define REPORT_CSV_SUMMARY "县区汇总表.csv"    /* one row per county: verdict, coverage, stages, items */

/* Writes the six CSV tables into dir (which must exist), in enc (UTF-8 with
 * a BOM, or GBK). Returns 0, or -1 with the file and reason in err (a
 * character GBK cannot hold is named). */
int report_csv(const char *dir, json_t *answer, csv_encoding enc, char *err, size_t errlen);

/* Writes one of those tables, named by its file name (REPORT_CSV_CV, ...),
 * to out in enc. Returns 0, or -1 with the reason in err (an unknown name
 * included). */
int report_csv_table(FILE *out, json_t *answer, const char *name, csv_encoding enc, char *err, size_t errlen);

/* One county's status (the daemon's answer to a county code) as the answer
 * the writers read, {"prefix": code, "epoch", "view", "counties": [status]}.
 * Takes status's reference; returns the new object (caller json_decrefs),
 * NULL when out of memory. */
json_t *report_county_answer(json_t *status, const char *code);

/* report_text.c: the words the HTML and the CSV tables share. */

/* One shortfall as a Chinese sentence, "生均体育运动场馆面积(sports_area)
 * 6.10/7.50 (81.3%)：需增加体育运动场馆面积 1,137 平方米", into buf. */
void report_shortfall_text(const status_shortfall *sf, char *buf, size_t size);

/* A section's shortfalls, report_shortfall_text's sentences joined by "; ".
 * Returns a malloc'd string (caller frees; "" for none) or NULL when out of
 * memory. */
char *report_shortfalls_text(const status_section *sec);

/* A county's items whose outcome is `outcome` ("fail", "pending") as
 * "1.2 name；2.8 name". Returns a malloc'd string (caller frees) or NULL
 * when out of memory. */
char *report_items_text(const status_county *s, const char *outcome);

/* The area a report is about: "德州市 (3714)" (the built-in names of
 * admin_names.h), "德州市陵城区 (371403)" for a county named county_name,
 * or just the code when nothing names it, into buf. */
void report_area_title(const admin_code *area, const char *county_name, char *buf, size_t size);

/* The Chinese name of a stage key ("primary" → "小学"). */
const char *report_stage_zh(const char *key);

#endif
