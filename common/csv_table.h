/* csv_table.h -- reading a spreadsheet-saved CSV file into rows of UTF-8
 * strings: encoding detection (UTF-8 with or without BOM, else GBK via iconv)
 * and RFC 4180 quoting (libcsv). No file I/O: callers pass the bytes. */
#ifndef JUNHENG_CSV_TABLE_H
#define JUNHENG_CSV_TABLE_H

#include <stddef.h>

typedef struct {
    char **fields;     /* UTF-8, NUL-terminated, surrounding spaces trimmed */
    size_t n_fields;
    size_t line;       /* 1-based physical line where the record starts (header is line 1) */
} csv_row;

typedef struct {
    char **header;     /* first record */
    size_t n_cols;
    csv_row *rows;     /* data records; blank lines skipped */
    size_t n_rows;
    int was_gbk;       /* 1 when the input was converted from GBK */
} csv_table;

/* Converts `bytes` to a NUL-terminated UTF-8 string: strips a UTF-8 BOM, keeps
 * valid UTF-8 as is, otherwise converts from GBK (GB18030) with iconv.
 * On success returns 0 and *out (caller frees). On failure returns -1 and writes
 * a reason into err. */
int text_to_utf8(const char *bytes, size_t len, char **out, size_t *out_len, int *was_gbk, char *err,
                 size_t errlen);

/* Parses CSV bytes (any supported encoding). Returns 0 and *out (owned by the
 * caller, free with csv_table_destroy), or -1 with a reason in err. Bytes
 * that are a ZIP archive are read as an .xlsx workbook's first sheet
 * (xlsx_table.h); an old .xls is refused with a hint. */
int csv_table_parse(const char *bytes, size_t len, csv_table **out, char *err, size_t errlen);

/* Frees the table and sets *p to NULL. */
void csv_table_destroy(csv_table **p);

#endif
