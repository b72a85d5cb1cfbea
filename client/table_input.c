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
int table_input_read(const char *cmd, const char *path, const char *sheet, char **bytes, size_t *len)
{
    char *raw;
    size_t raw_len;
    if (file_read_all(path, 0, 0, &raw, &raw_len, NULL) != 0) {
        fprintf(stderr, "junheng %s: %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    table_bytes_kind kind = table_bytes_kind_of(raw, raw_len);
    if (kind == TABLE_BYTES_TEXT && !sheet) {
        *bytes = raw;
        *len = raw_len;
        return 0;
    }
    if (kind == TABLE_BYTES_TEXT) {
        fprintf(stderr, _("junheng %s: %s: --sheet is for an Excel workbook (.xlsx), and this is not one\n"),
                cmd, path);
        free(raw);
        return -1;
    }
    char err[512];
    csv_table *t = NULL;
    int rc = xlsx_table_parse(raw, raw_len, sheet, &t, err, sizeof err);
    free(raw);
    if (rc != 0) {
        fprintf(stderr, _("junheng %s: %s: not read:\n  %s\n"), cmd, path, err);
        return -1;
    }
    *bytes = csv_table_to_text(t, len);
    csv_table_destroy(&t);
    if (!*bytes) {
        fprintf(stderr, _("junheng %s: %s: out of memory\n"), cmd, path);
        return -1;
    }
    return 0;
}
