/* report.h -- `junheng report`: the documents a city hands on, made from the
 * status JSON (docs/formats.md §5) of every county under it, as the
 * snapshot socket answers it ({"prefix", "counties": [status...]}).
 *
 *   report_html.c  one self-contained HTML file (inline CSS and SVG, no
 *                  script, nothing fetched): per county the seven difference
 *                  coefficients per stage drawn against their limit, the share
 *                  of sections meeting each standard, the failing schools with
 *                  their shortfalls, coverage, the guarantee items
 *   report_csv.c   the tables officials exchange, UTF-8 with BOM:
 *                  校际差异系数表, 达标学校名单, 参评学校一览, 县域评估结论, 评估指标结果
 *
 * Indicator and stage names come from common/indicators.h, Chinese next to
 * the English id. Nothing here talks to the daemon. */
#ifndef JUNHENG_REPORT_H
#define JUNHENG_REPORT_H

#include <jansson.h>
#include <stdio.h>

/* What a report is about, for its title. */
typedef struct {
    const char *city;          /* the city (or prefix) asked for, e.g. "3714" */
    const char *generated_at;  /* local time, "2026-11-23 18:40" */
    const char *source;        /* the snapshot endpoint it came from */
} report_meta;

/* Writes the HTML report of answer to out. Returns 0, or -1 when writing
 * failed (errno set by stdio). */
int report_html(FILE *out, json_t *answer, const report_meta *meta);

/* File names of the two CSV tables inside the --csv directory. */
#define REPORT_CSV_CV "校际差异系数表.csv"
#define REPORT_CSV_SCHOOLS "达标学校名单.csv"       /* the school sections that pass */
#define REPORT_CSV_ALL_SCHOOLS "参评学校一览.csv"   /* every school section, with its shortfalls */
#define REPORT_CSV_VERDICT "县域评估结论.csv"   /* one row per county: the whole verdict */
#define REPORT_CSV_ITEMS "评估指标结果.csv"     /* one row per county and item (1.1–5.6+) */

/* Writes the five CSV tables into dir (which must exist). Returns 0, or -1 with
 * the file and reason in err. */
int report_csv(const char *dir, json_t *answer, char *err, size_t errlen);

/* The status JSON is read by client/status_read.h. The Chinese name of a stage key ("primary" → "小学"). */
const char *report_stage_zh(const char *key);

#endif
