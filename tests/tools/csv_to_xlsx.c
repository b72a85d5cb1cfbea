/* csv_to_xlsx.c -- test tool: a CSV file (any encoding the readers take)
 * written as an Excel workbook by libxlsxwriter, the way a clerk's
 * spreadsheet holds it: every cell that is a plain decimal number (no
 * leading zero) as a number, the rest as text. With --cover, a first sheet
 * "说明" of instructions comes before the data sheet (then --sheet 2 or the
 * data sheet's name reads it). With --merged-header, the header of a
 * Chinese submission CSV is written over two rows the way a clerk lays it
 * out: 小学 and 初中 merged across their eight columns above the field names,
 * every other heading merged down over both rows, units in brackets
 * (docs/formats.md "Merged cells"); tests/data/xlsx/submission_merged_lxw.xlsx
 * is submission_zh_bom.csv so written:
 *
 *   csv_to_xlsx [--cover] [--merged-header] [--name SHEET] IN.csv OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "csv_table.h"
#include "file_read.h"

/* Whether s is written as a number (then *v): digits with at most one '.',
 * an optional '-', no leading zero, at most 15 digits. */
static int as_number(const char *s, double *v)
{
    const char *p = s[0] == '-' ? s + 1 : s;
    size_t n = strlen(p);
    if (n == 0 || n > 16 || strspn(p, "0123456789.") != n || p[0] == '.' || p[n - 1] == '.' ||
        strchr(p, '.') != strrchr(p, '.') || (p[0] == '0' && n > 1 && p[1] != '.'))
        return 0;
    *v = strtod(s, NULL);
    return 1;
}

/* Writes one row of cells at row r. */
static void write_row(lxw_worksheet *ws, lxw_row_t r, char **cells, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double v;
        if (!cells[j][0])
            continue;
        if (as_number(cells[j], &v))
            worksheet_write_number(ws, r, (lxw_col_t)j, v, NULL);
        else
            worksheet_write_string(ws, r, (lxw_col_t)j, cells[j], NULL);
    }
}

/* The unit a heading is written with, in brackets, or "". */
static const char *unit_of(const char *label)
{
    if (strcmp(label, "体育运动场馆面积") == 0)
        return "（平方米）";
    if (strcmp(label, "教学仪器设备值") == 0)
        return "(元)";
    if (strcmp(label, "在校生数") == 0)
        return "（人）";
    return "";
}

/* The stage a heading of column j starts with (columns 3-18 of the
 * submission: 小学…, 初中…), its field label after the separators into
 * label; NULL for another column. */
static const char *stage_of(const char *h, size_t j, char *label, size_t size)
{
    static const char *const STAGES[] = { "小学", "初中" };
    for (int s = 0; s < 2; s++) {
        size_t n = strlen(STAGES[s]);
        if (j < 2 || j >= 18 || strncmp(h, STAGES[s], n) != 0)
            continue;
        const char *p = h + n;
        while (*p == '_' || *p == '-' || *p == ' ' || strncmp(p, "：", strlen("：")) == 0)
            p += *p == '_' || *p == '-' || *p == ' ' ? 1 : strlen("：");
        snprintf(label, size, "%s", p);
        return STAGES[s];
    }
    return NULL;
}

/* Writes the header over rows 0 and 1: stage headings merged across their
 * eight columns above the labels, the rest merged down; units in brackets. */
static void write_merged_header(lxw_worksheet *ws, char **head, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        char label[256], text[300];
        const char *stage = stage_of(head[j], j, label, sizeof label);
        lxw_col_t c = (lxw_col_t)j;
        if (stage) {
            if ((j - 2) % 8 == 0)
                worksheet_merge_range(ws, 0, c, 0, (lxw_col_t)(j + 7), stage, NULL);
            snprintf(text, sizeof text, "%s%s", label, unit_of(label));
            worksheet_write_string(ws, 1, c, text, NULL);
        } else {
            snprintf(text, sizeof text, "%s%s", head[j], unit_of(head[j]));
            worksheet_merge_range(ws, 0, c, 1, c, text, NULL);
        }
    }
}

int main(int argc, char **argv)
{
    int cover = 0, merged = 0, a = 1;
    const char *name = "数据";
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "--cover") == 0)
            cover = 1;
        else if (strcmp(argv[a], "--merged-header") == 0)
            merged = 1;
        else if (strcmp(argv[a], "--name") == 0 && a + 1 < argc)
            name = argv[++a];
        else
            break;
    }
    if (argc - a != 2) {
        fprintf(stderr, "usage: csv_to_xlsx [--cover] [--merged-header] [--name SHEET] IN.csv OUT.xlsx\n");
        return 2;
    }
    char *bytes, err[256];
    size_t len;
    csv_table *t = NULL;
    if (file_read_all(argv[a], 0, 0, &bytes, &len, NULL) != 0 || csv_table_parse(bytes, len, &t, err, sizeof err) != 0) {
        fprintf(stderr, "csv_to_xlsx: %s: cannot read\n", argv[a]);
        return 1;
    }
    free(bytes);
    lxw_workbook *wb = workbook_new(argv[a + 1]);
    if (cover) {
        lxw_worksheet *c = workbook_add_worksheet(wb, "说明");
        worksheet_write_string(c, 0, 0, "填报说明：数据在下一张表", NULL);
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (merged)
        write_merged_header(ws, t->header, t->n_cols);
    else
        write_row(ws, 0, t->header, t->n_cols);
    for (size_t i = 0; i < t->n_rows; i++)
        write_row(ws, (lxw_row_t)(t->rows[i].line - 1 + merged), t->rows[i].fields, t->rows[i].n_fields);
    csv_table_destroy(&t);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "csv_to_xlsx: %s: cannot write\n", argv[a + 1]);
        return 1;
    }
    return 0;
}
