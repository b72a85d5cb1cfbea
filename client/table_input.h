/* table_input.h -- a table file as the readers take it: a CSV file's bytes
 * as they are; an Excel workbook (.xlsx, known by its content) read here,
 * its first sheet or the one --sheet names, and handed on as CSV text that
 * keeps the sheet's row numbers (common/xlsx_table.h); an old .xls refused
 * with a hint. Used by submit, county submit and admin import-*. */
#ifndef JUNHENG_TABLE_INPUT_H
#define JUNHENG_TABLE_INPUT_H

#include <stddef.h>

/* Reads path for command cmd ("submit", "admin import-schools", ...) with
 * sheet (NULL: the first; only for a workbook). Returns 0 with *bytes (caller
 * frees, NUL-terminated) and *len, or -1 having printed why to stderr. */
int table_input_read(const char *cmd, const char *path, const char *sheet, char **bytes, size_t *len);

#endif
