/* selfassess_xlsx.c -- the self-assessment workbook. See selfassess_xlsx.h. */
#include "selfassess_xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

const char *const SELFASSESS_SUMMARY_HEADINGS[SELFASSESS_SUMMARY_COLUMNS] = {
    "县区代码", "县区名称", "结论", "未达标项数", "待补充项数", "填报学校（已报/登记）"
};

/* Column widths of the item sheet (in Excel's character units), in
 * SELFASSESS_COLUMNS order; the summary sheet's below. */
static const double ITEM_WIDTHS[SA_COL_COUNT] = { 6, 30, 30, 24, 36, 30, 9, 24, 14 };
static const double SUMMARY_WIDTHS[SELFASSESS_SUMMARY_COLUMNS] = { 11, 16, 10, 11, 11, 20 };

/* The formats every sheet uses. */
typedef struct {
    lxw_format *title, *heading, *cell, *centre;
} sheet_formats;

/* Makes the formats. Returns 0, or -1 when the workbook could not. */
static int formats_new(lxw_workbook *wb, sheet_formats *f)
{
    f->title = workbook_add_format(wb);
    f->heading = workbook_add_format(wb);
    f->cell = workbook_add_format(wb);
    f->centre = workbook_add_format(wb);
    if (!f->title || !f->heading || !f->cell || !f->centre)
        return -1;
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->title);
    lxw_format *boxed[] = { f->heading, f->cell, f->centre };
    for (int i = 0; i < 3; i++) {
        format_set_border(boxed[i], LXW_BORDER_THIN);
        format_set_text_wrap(boxed[i]);
        format_set_align(boxed[i], LXW_ALIGN_VERTICAL_TOP);
    }
    format_set_bold(f->heading);
    format_set_bg_color(f->heading, 0xD9D9D9);
    format_set_align(f->heading, LXW_ALIGN_CENTER);
    format_set_align(f->centre, LXW_ALIGN_CENTER);
    return 0;
}

/* The page setup of every sheet: A4 landscape, fit to the page width,
 * rows 0–1 (title, headings) frozen and repeated on every printed page. */
static void page_setup(lxw_worksheet *ws, const char *title, int columns, sheet_formats *f)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 1);
    worksheet_freeze_panes(ws, 2, 0);
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
    worksheet_set_row(ws, 0, 36, NULL);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(columns - 1), title, f->title);
}

/* One county's sheet. Returns 0, or -1 when a cell could not be written. */
static int county_sheet(lxw_workbook *wb, const selfassess_table *t, sheet_formats *f)
{
    char name[128];
    selfassess_sheet_name(t, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return -1;
    page_setup(ws, t->title, SA_COL_COUNT, f);
    lxw_error rc = LXW_NO_ERROR;
    for (int c = 0; c < SA_COL_COUNT && !rc; c++) {
        rc = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, ITEM_WIDTHS[c], NULL);
        if (!rc)
            rc = worksheet_write_string(ws, 1, (lxw_col_t)c, SELFASSESS_COLUMNS[c], f->heading);
    }
    for (size_t r = 0; r < t->n_rows && !rc; r++)
        for (int c = 0; c < SA_COL_COUNT && !rc; c++) {
            lxw_format *fm = c == SA_COL_NUMBER || c == SA_COL_PASS ? f->centre : f->cell;
            rc = worksheet_write_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)c, t->rows[r].cell[c], fm);
        }
    return rc ? -1 : 0;
}

/* The summary sheet: one row per county. Returns 0 or -1. */
static int summary_sheet(lxw_workbook *wb, const char *title, selfassess_table *const *tables, size_t n,
                         sheet_formats *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
    if (!ws)
        return -1;
    page_setup(ws, title, SELFASSESS_SUMMARY_COLUMNS, f);
    lxw_error rc = LXW_NO_ERROR;
    for (int c = 0; c < SELFASSESS_SUMMARY_COLUMNS && !rc; c++) {
        rc = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, SUMMARY_WIDTHS[c], NULL);
        if (!rc)
            rc = worksheet_write_string(ws, 1, (lxw_col_t)c, SELFASSESS_SUMMARY_HEADINGS[c], f->heading);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const selfassess_table *t = tables[i];
        lxw_row_t row = (lxw_row_t)(i + 2);
        char cover[48];
        snprintf(cover, sizeof cover, "%lld/%lld", t->schools_submitted, t->schools_registered);
        rc = worksheet_write_string(ws, row, 0, t->county_code, f->centre);
        if (!rc)
            rc = worksheet_write_string(ws, row, 1, t->county_name, f->cell);
        if (!rc)
            rc = worksheet_write_string(ws, row, 2, t->verdict_zh, f->centre);
        if (!rc)
            rc = worksheet_write_number(ws, row, 3, (double)t->items_failing, f->centre);
        if (!rc)
            rc = worksheet_write_number(ws, row, 4, (double)t->items_pending, f->centre);
        if (!rc)
            rc = worksheet_write_string(ws, row, 5, cover, f->centre);
    }
    return rc ? -1 : 0;
}

int selfassess_xlsx_write(const char *path, const char *summary_title, selfassess_table *const *tables, size_t n,
                          char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errlen, "%s: cannot start the workbook", path);
        return -1;
    }
    sheet_formats f;
    int rc = formats_new(wb, &f);
    if (rc == 0 && summary_title)
        rc = summary_sheet(wb, summary_title, tables, n, &f);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = county_sheet(wb, tables[i], &f);
    if (rc != 0)
        snprintf(err, errlen, "%s: a sheet could not be written", path);
    lxw_error closed = workbook_close(wb);
    if (rc == 0 && closed != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: %s", path, lxw_strerror(closed));
        rc = -1;
    }
    return rc;
}
