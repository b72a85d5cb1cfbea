/* csv_out.h -- writing CSV fields (RFC 4180, CRLF line ends), shared by the
 * officials' CSV tables (report_csv.c) and the self-assessment table
 * (selfassess_table.c). */
#ifndef JUNHENG_CSV_OUT_H
#define JUNHENG_CSV_OUT_H

#include <stdbool.h>
#include <stdio.h>

/* Writes one field, quoted (inner quotes doubled) when it holds a comma,
 * quote or line break, then "," or, for the last field of a row, CRLF. */
void csv_out_field(FILE *f, const char *s, bool last);

#endif
