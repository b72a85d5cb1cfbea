/* xlsx_table.h -- one sheet of an Excel workbook (.xlsx, Office Open XML)
 * read into the same csv_table the CSV reader gives, so that every reader of
 * tables (submissions, the registry, county inputs) takes either. No file
 * I/O: callers pass the bytes. Built on libzip (the archive, opened from
 * memory) and libxml2's streaming reader (the XML parts).
 *
 * What is read (docs/formats.md, "Excel workbooks"):
 *   - the first sheet in the workbook's order, or the one named by `sheet`:
 *     its name, or its 1-based position when it is all digits;
 *   - shared strings (rich-text runs joined, phonetic runs left out), inline
 *     strings, formula results as saved, numbers as the shortest decimal
 *     text that reads back to the same double ("1042", "222.39"), booleans
 *     as TRUE/FALSE, error values as their text (#DIV/0!); dates are
 *     numbers (their serial day), as the file holds them;
 *   - cell references with gaps: a skipped column or row is blank; a line
 *     break or tab inside a cell reads as a space; cells are trimmed;
 *   - a title row above the header (a first row whose only cell is merged
 *     across columns, with at least two cells in the next row) is skipped;
 *   - merged cells: the value of a merged range applies to every cell of the
 *     range. A header merged down over several rows (a two-row header with
 *     "小学" over "在校生数") is one header: each column's heading is the
 *     distinct texts of those rows joined by '_' ("小学_在校生数").
 * csv_row.line is the sheet's row number, as the spreadsheet shows it.
 *
 * Bounds: each XML part read (workbook, relationships, shared strings, the
 * sheet) at most XLSX_PART_MAX bytes once uncompressed (counted while
 * inflating, never taken from the zip headers); at most XLSX_CELLS_MAX
 * cells in the table (row widths summed, merged fills included) and as many
 * cells in merged ranges; at most XLSX_TEXT_MAX bytes of cell text (a long
 * shared string used in many cells counts each time); a header of at most
 * XLSX_HEADER_ROWS rows. Beyond any of these the file is refused (a longer
 * merged header is cut). */
#ifndef JUNHENG_XLSX_TABLE_H
#define JUNHENG_XLSX_TABLE_H

#include <stddef.h>

#include "csv_table.h"

#define XLSX_PART_MAX (64u * 1024u * 1024u)
#define XLSX_CELLS_MAX 2000000u
#define XLSX_TEXT_MAX (128u * 1024u * 1024u)
#define XLSX_HEADER_ROWS 10u

/* What a file's first bytes say it is. */
typedef enum {
    TABLE_BYTES_TEXT, /* anything else: read as CSV text */
    TABLE_BYTES_ZIP,  /* PK\3\4 or an empty archive's PK\5\6: an .xlsx when it holds xl/workbook.xml */
    TABLE_BYTES_XLS   /* an OLE2 compound file (D0 CF 11 E0): the old .xls */
} table_bytes_kind;

/* The kind of `bytes` by their content (the magic numbers above). */
table_bytes_kind table_bytes_kind_of(const char *bytes, size_t len);

/* Reads sheet `sheet` (NULL: the first) of the workbook in bytes. Returns 0
 * and *out (caller frees with csv_table_destroy), or -1 with a reason
 * (Chinese, then English) in err: not an .xlsx (an .xls, another ZIP), no
 * such sheet (the names there are listed), a bound exceeded, broken XML. */
int xlsx_table_parse(const char *bytes, size_t len, const char *sheet, csv_table **out, char *err, size_t errlen);

/* The table as CSV text that csv_table_parse reads back to the same table:
 * header and rows at their own line numbers (blank lines in between), cells
 * quoted where needed. Returns a new NUL-terminated string (caller frees;
 * its length in *len when len is non-NULL), or NULL when out of memory. */
char *csv_table_to_text(const csv_table *t, size_t *len);

#endif
