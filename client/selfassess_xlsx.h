/* selfassess_xlsx.h -- the self-assessment table (selfassess_table.h) as a
 * real XLSX workbook (libxlsxwriter), made to be printed and stamped: A4
 * landscape, fit to the page width, the title row (county, school year,
 * verdict) merged across the columns, the heading row frozen and repeated on
 * every printed page, set column widths, wrapped text, thin borders.
 *
 * One county: one sheet. A city: a summary sheet 汇总 (one row per county:
 * code, name, verdict 达标/未达标/待定, items failing, pending, coverage),
 * then one sheet per county. */
#ifndef JUNHENG_SELFASSESS_XLSX_H
#define JUNHENG_SELFASSESS_XLSX_H

#include <stddef.h>

#include "selfassess_table.h"

/* The headings of the summary sheet. */
#define SELFASSESS_SUMMARY_COLUMNS 6
extern const char *const SELFASSESS_SUMMARY_HEADINGS[SELFASSESS_SUMMARY_COLUMNS];

/* Writes the workbook to path: with summary_title non-NULL a summary sheet
 * of that title first, then one sheet per table. Returns 0, or -1 with the
 * reason in err. */
int selfassess_xlsx_write(const char *path, const char *summary_title, selfassess_table *const *tables, size_t n,
                          char *err, size_t errlen);

#endif
