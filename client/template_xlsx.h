/* template_xlsx.h -- a fill-in template (common/table_template.h) as an
 * Excel workbook, with libxlsxwriter: bold grey headings frozen at the top,
 * each heading's note as a cell comment (meaning, unit, bounds), each column
 * formatted for what it holds (codes and lists as text, so a spreadsheet
 * keeps "2.10" and "3714020001" as typed; whole numbers "0"; amounts
 * "#,##0.00"), and the example row(s) with numbers as numbers. */
#ifndef JUNHENG_TEMPLATE_XLSX_H
#define JUNHENG_TEMPLATE_XLSX_H

#include <stddef.h>

#include "table_template.h"

/* Writes t to the workbook at path, on one sheet named sheet_name. Returns
 * 0, or -1 with the reason in err. */
int template_xlsx_write(const table_template *t, const char *path, const char *sheet_name, char *err, size_t errlen);

#endif
