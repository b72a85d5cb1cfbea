/* selfassess_table.h -- the county's self-assessment table (自评表): one
 * in-memory table built from a county's status JSON (read by status_read.h),
 * one row per item of the standard (the resource items 1.1–1.7 one row per
 * stage, 小学 then 初中), then the vetoes 5.1–5.6 and the province's vetoes.
 * Both writers render this same table -- selfassess_csv_write (CSV, UTF-8
 * with BOM) and selfassess_xlsx.h (a printable XLSX workbook) -- so the two
 * files hold the same cells by construction.
 *
 * Layout shared by both: row 0 the title (county, code, school year,
 * verdict), row 1 the column headings, then the item rows.
 *
 * Ownership: a table owns every string it holds; free it with
 * selfassess_table_destroy(). No sockets; the CSV writer writes to a FILE. */
#ifndef JUNHENG_SELFASSESS_TABLE_H
#define JUNHENG_SELFASSESS_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "status_read.h"

typedef enum {
    SA_COL_NUMBER = 0, /* 序号 */
    SA_COL_CONTENT,    /* 评估内容: part and item name (and stage) */
    SA_COL_STANDARD,   /* 指标及标准 */
    SA_COL_FORMULA,    /* 计算口径 */
    SA_COL_RAW,        /* 原始数据 */
    SA_COL_RESULT,     /* 县自评结果 */
    SA_COL_PASS,       /* 是否达标: 达标 / 未达标 / 不适用 / 待补充 */
    SA_COL_EVIDENCE,   /* 佐证材料 */
    SA_COL_SOURCE,     /* 数据来源 */
    SA_COL_COUNT
} selfassess_column;

/* The column headings, in order. */
extern const char *const SELFASSESS_COLUMNS[SA_COL_COUNT];

typedef struct {
    char *cell[SA_COL_COUNT]; /* owned, never NULL */
} selfassess_row;

typedef struct {
    char *title;              /* "临邑县（371424）2025—2026学年 义务教育优质均衡发展 自评表 结论：待定 …" */
    char *county_code, *county_name, *period;
    char *verdict_zh;         /* 达标 / 未达标 / 待定 */
    char *verdict_text;       /* status_verdict_text */
    long long items_failing, items_pending; /* failing items and vetoes present; pending items and vetoes */
    long long schools_submitted, schools_registered;
    selfassess_row *rows;
    size_t n_rows, cap_rows;
} selfassess_table;

/* Builds the table of one county status. Items the status does not carry
 * (a daemon without the whole verdict) get a row marked 待补充 with the
 * reason. Returns a new table (caller frees with selfassess_table_destroy),
 * or NULL when out of memory. */
selfassess_table *selfassess_table_build(const status_county *status);

/* Frees the table and nulls *p. */
void selfassess_table_destroy(selfassess_table **p);

/* A sheet name for the table: "371424 临邑县", cut to Excel's 31 characters
 * and free of []:*?/\ ; into buf. */
void selfassess_sheet_name(const selfassess_table *self, char *buf, size_t size);

/* Writes the table as CSV: UTF-8 BOM, the title row, the headings, the
 * rows; CRLF line ends, RFC 4180 quoting. Returns 0, or -1 on a write error. */
int selfassess_csv_write(FILE *out, const selfassess_table *self);

#endif
