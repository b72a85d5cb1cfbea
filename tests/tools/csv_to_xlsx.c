/* csv_to_xlsx.c -- test tool: a CSV file (any encoding the readers take)
 * written as an Excel workbook by libxlsxwriter, the way a clerk's
 * spreadsheet holds it: every cell that is a plain decimal number (no
 * leading zero) as a number, the rest as text. With --cover, a first sheet
 * "说明" of instructions comes before the data sheet (then --sheet 2 or the
 * data sheet's name reads it).
 *
 *   csv_to_xlsx [--cover] [--name SHEET] IN.csv OUT.xlsx */
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

int main(int argc, char **argv)
{
    int cover = 0, a = 1;
    const char *name = "数据";
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "--cover") == 0)
            cover = 1;
        else if (strcmp(argv[a], "--name") == 0 && a + 1 < argc)
            name = argv[++a];
        else
            break;
    }
    if (argc - a != 2) {
        fprintf(stderr, "usage: csv_to_xlsx [--cover] [--name SHEET] IN.csv OUT.xlsx\n");
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
    write_row(ws, 0, t->header, t->n_cols);
    for (size_t i = 0; i < t->n_rows; i++)
        write_row(ws, (lxw_row_t)(t->rows[i].line - 1), t->rows[i].fields, t->rows[i].n_fields);
    csv_table_destroy(&t);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "csv_to_xlsx: %s: cannot write\n", argv[a + 1]);
        return 1;
    }
    return 0;
}
