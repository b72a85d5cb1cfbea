/* table_input.c -- a table file (CSV or .xlsx) read for the readers. See
 * table_input.h. */
#include "table_input.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "file_read.h"
#include "xlsx_table.h"

/* See table_input.h. */
table_input_result table_input_convert(const char *raw, size_t raw_len, const char *sheet, char **bytes, size_t *len,
                                       char *err, size_t errlen)
{
    table_bytes_kind kind = table_bytes_kind_of(raw, raw_len);
    if (kind == TABLE_BYTES_TEXT && sheet)
        return TABLE_INPUT_SHEET_OF_TEXT;
    if (kind == TABLE_BYTES_TEXT) {
        *bytes = malloc(raw_len + 1);
        if (!*bytes)
            return TABLE_INPUT_NO_MEMORY;
        memcpy(*bytes, raw, raw_len);
        (*bytes)[raw_len] = '\0';
        *len = raw_len;
        return TABLE_INPUT_OK;
    }
    csv_table *t = NULL;
    if (xlsx_table_parse(raw, raw_len, sheet, &t, err, errlen) != 0)
        return TABLE_INPUT_NOT_READ;
    *bytes = csv_table_to_text(t, len);
    csv_table_destroy(&t);
    return *bytes ? TABLE_INPUT_OK : TABLE_INPUT_NO_MEMORY;
}

/* See table_input.h. */
int table_input_read(const char *cmd, const char *path, const char *sheet, char **bytes, size_t *len)
{
    char *raw;
    size_t raw_len;
    if (file_read_all(path, 0, 0, &raw, &raw_len, NULL) != 0) {
        fprintf(stderr, "junheng %s: %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    if (table_bytes_kind_of(raw, raw_len) == TABLE_BYTES_TEXT && !sheet) {
        *bytes = raw; /* as it is: no copy */
        *len = raw_len;
        return 0;
    }
    char err[512];
    table_input_result rc = table_input_convert(raw, raw_len, sheet, bytes, len, err, sizeof err);
    free(raw);
    switch (rc) {
    case TABLE_INPUT_OK: return 0;
    case TABLE_INPUT_SHEET_OF_TEXT:
        fprintf(stderr, _("junheng %s: %s: --sheet is for an Excel workbook (.xlsx), and this is not one\n"),
                cmd, path);
        return -1;
    case TABLE_INPUT_NOT_READ: fprintf(stderr, _("junheng %s: %s: not read:\n  %s\n"), cmd, path, err); return -1;
    default: fprintf(stderr, _("junheng %s: %s: out of memory\n"), cmd, path); return -1;
    }
}
