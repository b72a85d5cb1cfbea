/* template_xlsx.c -- a template as a workbook. See template_xlsx.h. */
#include "template_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* Whether s is wholly a decimal number (then *v is its value). */
static int is_number(const char *s, double *v)
{
    if (!s[0] || strspn(s, "0123456789.-") != strlen(s))
        return 0;
    char *end = NULL;
    *v = strtod(s, &end);
    return end && *end == '\0';
}

/* Writes one example cell in its column's format: text as text, a number as
 * a number (in a numeric or general column). Returns libxlsxwriter's result. */
static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, template_format f,
                           lxw_format *fmt)
{
    double v;
    if (!s[0])
        return LXW_NO_ERROR;
    if (f != TEMPLATE_TEXT && is_number(s, &v))
        return worksheet_write_number(ws, row, col, v, fmt);
    return worksheet_write_string(ws, row, col, s, fmt);
}

/* See template_xlsx.h. */
int template_xlsx_write(const table_template *t, const char *path, const char *sheet_name, char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet_name) : NULL;
    if (!ws) {
        snprintf(err, errlen, "%s: cannot create the workbook", path);
        if (wb)
            workbook_close(wb);
        return -1;
    }
    lxw_format *heading = workbook_add_format(wb), *fmt[4];
    for (int i = 0; i < 4; i++)
        fmt[i] = workbook_add_format(wb);
    format_set_bold(heading);
    format_set_text_wrap(heading);
    format_set_bg_color(heading, 0xD9D9D9);
    format_set_align(heading, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(fmt[TEMPLATE_TEXT], "@");
    format_set_num_format(fmt[TEMPLATE_INTEGER], "0");
    format_set_num_format(fmt[TEMPLATE_DECIMAL], "#,##0.00");
    lxw_error rc = LXW_NO_ERROR;
    lxw_comment_options note = { .width = 320, .height = 140 };
    for (size_t j = 0; j < t->n_cols && rc == LXW_NO_ERROR; j++) {
        const template_column *c = &t->cols[j];
        lxw_col_t col = (lxw_col_t)j;
        rc = worksheet_set_column(ws, col, col, c->width, fmt[c->format]);
        if (rc == LXW_NO_ERROR)
            rc = worksheet_write_string(ws, 0, col, c->heading, heading);
        if (rc == LXW_NO_ERROR && c->note && c->note[0])
            rc = worksheet_write_comment_opt(ws, 0, col, c->note, &note);
        for (size_t r = 0; r < t->n_rows && rc == LXW_NO_ERROR; r++)
            rc = write_cell(ws, (lxw_row_t)(r + 1), col, t->rows[r][j], c->format, fmt[c->format]);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error closed = workbook_close(wb);
    if (rc == LXW_NO_ERROR)
        rc = closed;
    if (rc != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: %s", path, lxw_strerror(rc));
        return -1;
    }
    return 0;
}
