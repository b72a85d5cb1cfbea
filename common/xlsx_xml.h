/* xlsx_xml.h -- the XML parts of an .xlsx workbook, read with libxml2's
 * streaming reader (xmlTextReader over memory): the sheet list, the
 * relationships, the shared strings and one sheet's cells and merged
 * ranges. Internal to xlsx_table.c (see xlsx_table.h for what is read).
 * Every part is refused when it has a DTD (no entities are ever expanded)
 * or is not well-formed; element names are compared without their prefix. */
#ifndef JUNHENG_XLSX_XML_H
#define JUNHENG_XLSX_XML_H

#include <stddef.h>
#include <stdint.h>

/* A list of owned strings. */
typedef struct {
    char **s;
    size_t n, cap;
} xlsx_strings;

/* One cell: 1-based row and column, its text (owned, may be ""). */
typedef struct {
    uint32_t row, col;
    char *text;
} xlsx_cell;

/* A merged range, 1-based and inclusive. */
typedef struct {
    uint32_t row1, col1, row2, col2;
} xlsx_range;

typedef struct {
    xlsx_cell *cells;
    size_t n_cells, cap_cells;
    size_t text_bytes;      /* of every cell's text, bounded by XLSX_TEXT_MAX */
    xlsx_range *merges;
    size_t n_merges, cap_merges;
} xlsx_sheet;

#define XLSX_MAX_ROW 1048576u
#define XLSX_MAX_COL 16384u

/* Appends a copy of s (len bytes). Returns 0, or -1 when out of memory. */
int xlsx_strings_add(xlsx_strings *self, const char *s, size_t len);
void xlsx_strings_clear(xlsx_strings *self);

/* xl/workbook.xml: the sheets' names and relationship ids, in order. */
int xlsx_read_workbook(const char *xml, size_t len, xlsx_strings *names, xlsx_strings *rel_ids, char *err,
                       size_t errlen);

/* A .rels part: each relationship's Id, Type and Target, in order. */
int xlsx_read_rels(const char *xml, size_t len, xlsx_strings *ids, xlsx_strings *types, xlsx_strings *targets,
                   char *err, size_t errlen);

/* xl/sharedStrings.xml: every <si> string in order (at most max_strings). */
int xlsx_read_shared_strings(const char *xml, size_t len, size_t max_strings, xlsx_strings *out, char *err,
                             size_t errlen);

/* A worksheet: its non-empty cells (at most max_cells) and merged ranges,
 * shared strings resolved through sst. The caller clears *out with
 * xlsx_sheet_clear whatever the result. */
int xlsx_read_sheet(const char *xml, size_t len, const xlsx_strings *sst, size_t max_cells, xlsx_sheet *out,
                    char *err, size_t errlen);
void xlsx_sheet_clear(xlsx_sheet *self);

/* The size of a number cell's text: sign, 17 digits, 20 zeros, "0.", NUL. */
#define XLSX_NUMBER_TEXT_MAX 64

/* A number's text (v, as a <v> element holds it) as the shortest decimal
 * that reads back to the same double, without an exponent within 20 places
 * ("1042", not "1042.0"; "2137020010", not "2.13702001e+09"); text that is
 * not a finite number is kept. Writes into buf (XLSX_NUMBER_TEXT_MAX bytes)
 * and returns it, or returns v. */
const char *xlsx_number_text(const char *v, char *buf);

/* Parses a cell reference "AB12" (column letters, then a row number; '$'
 * signs allowed). Returns 0 with *row and *col (1-based), or -1 when
 * malformed or beyond XLSX_MAX_ROW / XLSX_MAX_COL. */
int xlsx_parse_ref(const char *ref, uint32_t *row, uint32_t *col);

#endif
