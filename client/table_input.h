/* table_input.h -- a table file as the readers take it: a CSV file's bytes
 * as they are; an Excel workbook (.xlsx, known by its content) read here,
 * its first sheet or the one --sheet names, and handed on as CSV text that
 * keeps the sheet's row numbers (common/xlsx_table.h); an old .xls refused
 * with a hint. Used by submit, county submit and admin import-*, and by the
 * web gateway's school upload (table_input_convert, on the uploaded bytes). */
#ifndef JUNHENG_TABLE_INPUT_H
#define JUNHENG_TABLE_INPUT_H

#include <stddef.h>

/* Reads path for command cmd ("submit", "admin import-schools", ...) with
 * sheet (NULL: the first; only for a workbook). Returns 0 with *bytes (caller
 * frees, NUL-terminated) and *len, or -1 having printed why to stderr. */
int table_input_read(const char *cmd, const char *path, const char *sheet, char **bytes, size_t *len);

/* What table_input_convert came to. */
typedef enum {
    TABLE_INPUT_OK = 0,
    TABLE_INPUT_NOT_READ,      /* a workbook that could not be read: err says why (Chinese, then English) */
    TABLE_INPUT_SHEET_OF_TEXT, /* a sheet was named, but the bytes are not a workbook */
    TABLE_INPUT_NO_MEMORY
} table_input_result;

/* The table in raw (raw_len bytes, a file's content) as the readers take it:
 * CSV text copied as it is, a workbook's sheet (NULL: the first) as CSV
 * text. On TABLE_INPUT_OK, *bytes is a new NUL-terminated string (caller
 * frees) of *len bytes. No I/O. */
table_input_result table_input_convert(const char *raw, size_t raw_len, const char *sheet, char **bytes, size_t *len,
                                       char *err, size_t errlen);

#endif
