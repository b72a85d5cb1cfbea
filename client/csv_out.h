/* csv_out.h -- writing CSV fields (RFC 4180, CRLF line ends), shared by the
 * officials' CSV tables (report_csv.c), the self-assessment table
 * (selfassess_table.c) and the templates (cmd_template.c); and saving a CSV
 * text in the encoding asked for (--encoding): UTF-8 with its BOM, or GBK
 * for an older Excel (glibc's iconv; a character GBK cannot hold is an
 * error naming it, never a silent '?'). */
#ifndef JUNHENG_CSV_OUT_H
#define JUNHENG_CSV_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { CSV_UTF8 = 0, CSV_GBK } csv_encoding;

/* Writes one field, quoted (inner quotes doubled) when it holds a comma,
 * quote or line break, then "," or, for the last field of a row, CRLF. */
void csv_out_field(FILE *f, const char *s, bool last);

/* Reads --encoding's text: "utf-8" (or "utf8") or "gbk", any case.
 * Returns 0, or -1 when it is neither. */
int csv_encoding_parse(const char *text, csv_encoding *out);

/* The name of an encoding as --help says it ("utf-8", "gbk"). */
const char *csv_encoding_name(csv_encoding enc);

/* Writes a CSV text (UTF-8, with or without a leading BOM) to f: in UTF-8
 * with a BOM (added when missing), or in GBK without one. Returns 0, or -1
 * with the reason in err: a character GBK cannot hold (named, with its code
 * point and line), or a write error. */
int csv_out_write(FILE *f, const char *text, size_t len, csv_encoding enc, char *err, size_t errlen);

#endif
