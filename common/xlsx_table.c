/* xlsx_table.c -- one sheet of an .xlsx workbook into a csv_table. See
 * xlsx_table.h. The archive is opened from memory with libzip; each part is
 * inflated into a buffer that may not grow past XLSX_PART_MAX (the sizes in
 * the zip headers are not trusted); the XML is read by xlsx_xml.c. */
#include "xlsx_table.h"
#include "i18n.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <zip.h>

#include "xlsx_xml.h"
#include "text_buf.h"

static const char XLS_REFUSAL[] = N_("this is an old Excel (.xls) file: save it as .xlsx or CSV");

/* Writes a printf-formatted reason into err. */
static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* See xlsx_table.h. */
table_bytes_kind table_bytes_kind_of(const char *bytes, size_t len)
{
    static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    if (len >= 4 && (memcmp(bytes, "PK\3\4", 4) == 0 || memcmp(bytes, "PK\5\6", 4) == 0))
        return TABLE_BYTES_ZIP;
    if (len >= 8 && memcmp(bytes, ole2, 8) == 0)
        return TABLE_BYTES_XLS;
    return TABLE_BYTES_TEXT;
}

/* ---- the archive ---------------------------------------------------------- */

/* Inflates part `name` of the archive into *out (NUL-terminated, caller
 * frees) and *len. Returns 0, 1 when the part is absent and optional, or -1
 * with the reason in err (absent and required, unreadable, or larger than
 * XLSX_PART_MAX once inflated). */
static int zip_part(zip_t *za, const char *name, int required, char **out, size_t *len, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(za, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required)
            return 1;
        set_err(err, errlen, _("the workbook has no %s"), name);
        return -1;
    }
    zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf) {
        set_err(err, errlen, _("cannot read %s (encrypted, or an unsupported compression)"), name);
        return -1;
    }
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int rc = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            size_t want = cap ? cap * 2 : 65536 * 2;
            if (want > (size_t)XLSX_PART_MAX + 65536 + 1)
                want = (size_t)XLSX_PART_MAX + 65536 + 1;
            char *p = realloc(buf, want);
            if (!p) {
                set_err(err, errlen, _("out of memory"));
                rc = -1;
                break;
            }
            buf = p;
            cap = want;
        }
        zip_int64_t got = zip_fread(zf, buf + n, 65536);
        if (got < 0) {
            set_err(err, errlen, _("%s is damaged: %s"), name, zip_file_strerror(zf));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > XLSX_PART_MAX) {
            set_err(err, errlen, _("%s is larger than %u MiB uncompressed: refused"), name, XLSX_PART_MAX >> 20);
            rc = -1;
            break;
        }
    }
    zip_fclose(zf);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* The archive path of a relationship target of xl/workbook.xml into buf:
 * "worksheets/sheet1.xml" is under xl/, "/xl/..." is from the root. */
static void part_path(const char *target, char *buf, size_t size)
{
    if (target[0] == '/')
        snprintf(buf, size, "%s", target + 1);
    else if (strncmp(target, "../", 3) == 0)
        snprintf(buf, size, "%s", target + 3);
    else
        snprintf(buf, size, "xl/%s", target);
}

/* The index of the sheet `sheet` names among names (NULL: 0; all digits: a
 * 1-based position; else its name, exact, then ignoring ASCII case), or -1
 * with the reason (listing the names) in err. */
static long sheet_index(const xlsx_strings *names, const char *sheet, char *err, size_t errlen)
{
    if (names->n == 0) {
        set_err(err, errlen, _("the workbook has no sheet"));
        return -1;
    }
    if (!sheet)
        return 0;
    if (sheet[0] && strspn(sheet, "0123456789") == strlen(sheet)) {
        unsigned long k = strtoul(sheet, NULL, 10);
        if (k >= 1 && k <= names->n)
            return (long)k - 1;
    } else {
        for (size_t i = 0; i < names->n; i++)
            if (strcmp(names->s[i], sheet) == 0)
                return (long)i;
        for (size_t i = 0; i < names->n; i++)
            if (strcasecmp(names->s[i], sheet) == 0)
                return (long)i;
    }
    char list[256] = "";
    for (size_t i = 0; i < names->n && strlen(list) < sizeof list - 1; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names->s[i]);
    set_err(err, errlen, _("no sheet '%.64s' (the workbook has %zu: %s)"), sheet, names->n, list);
    return -1;
}

/* Finds the chosen sheet's part and the shared strings' part through the
 * workbook and its relationships; reads the shared strings into sst.
 * Returns 0 with the sheet's archive path in sheet_path, or -1 with the
 * reason in err. */
static int locate_sheet(zip_t *za, const char *sheet, char *sheet_path, size_t size, xlsx_strings *sst, char *err,
                        size_t errlen)
{
    xlsx_strings names = { 0 }, rel_of = { 0 }, ids = { 0 }, types = { 0 }, targets = { 0 };
    char *xml = NULL;
    size_t len = 0;
    int rc = -1;
    if (zip_part(za, "xl/workbook.xml", 1, &xml, &len, err, errlen) != 0 ||
        xlsx_read_workbook(xml, len, &names, &rel_of, err, errlen) != 0)
        goto out;
    long k = sheet_index(&names, sheet, err, errlen);
    free(xml);
    xml = NULL;
    if (k < 0 || zip_part(za, "xl/_rels/workbook.xml.rels", 1, &xml, &len, err, errlen) != 0 ||
        xlsx_read_rels(xml, len, &ids, &types, &targets, err, errlen) != 0)
        goto out;
    sheet_path[0] = '\0';
    char strings_path[512] = "xl/sharedStrings.xml";
    for (size_t i = 0; i < ids.n; i++) {
        size_t tl = strlen(types.s[i]);
        if (strcmp(ids.s[i], rel_of.s[k]) == 0)
            part_path(targets.s[i], sheet_path, size);
        if (tl >= 14 && strcmp(types.s[i] + tl - 14, "/sharedStrings") == 0)
            part_path(targets.s[i], strings_path, sizeof strings_path);
    }
    if (!sheet_path[0]) {
        set_err(err, errlen, _("sheet '%.64s' has no part in the workbook"), names.s[k]);
        goto out;
    }
    free(xml);
    xml = NULL;
    int got = zip_part(za, strings_path, 0, &xml, &len, err, errlen);
    if (got < 0 || (got == 0 && xlsx_read_shared_strings(xml, len, XLSX_CELLS_MAX, sst, err, errlen) != 0))
        goto out;
    rc = 0;
out:
    free(xml);
    xlsx_strings_clear(&names);
    xlsx_strings_clear(&rel_of);
    xlsx_strings_clear(&ids);
    xlsx_strings_clear(&types);
    xlsx_strings_clear(&targets);
    return rc;
}

/* Reads the cells of the chosen sheet. Returns 0, or -1 with the reason in err. */
static int read_cells(const char *bytes, size_t len, const char *sheet, xlsx_sheet *out, char *err, size_t errlen)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &zerr);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    if (!za) {
        set_err(err, errlen, _("a damaged ZIP file, not readable as an Excel workbook (%s)"), zip_error_strerror(&zerr));
        if (src)
            zip_source_free(src);
        zip_error_fini(&zerr);
        return -1;
    }
    zip_error_fini(&zerr);
    int rc = -1;
    if (zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE) < 0) {
        set_err(err, errlen, _("this is a ZIP file but not an Excel workbook (.xlsx): save it as .xlsx or CSV"));
        zip_discard(za);
        return -1;
    }
    xlsx_strings sst = { 0 };
    char path[512];
    char *xml = NULL;
    size_t xml_len = 0;
    if (locate_sheet(za, sheet, path, sizeof path, &sst, err, errlen) == 0 &&
        zip_part(za, path, 1, &xml, &xml_len, err, errlen) == 0)
        rc = xlsx_read_sheet(xml, xml_len, &sst, XLSX_CELLS_MAX, out, err, errlen);
    free(xml);
    xlsx_strings_clear(&sst);
    zip_discard(za);
    return rc;
}

/* ---- cells to a table ------------------------------------------------------ */

/* Orders cells by row, then column (then text, so that a repeated reference
 * always keeps the same one). */
static int cell_cmp(const void *a, const void *b)
{
    const xlsx_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* Sorts the cells and drops repeated positions. */
static void cells_sort(xlsx_sheet *s)
{
    qsort(s->cells, s->n_cells, sizeof *s->cells, cell_cmp);
    size_t k = 0;
    for (size_t i = 0; i < s->n_cells; i++) {
        if (k > 0 && s->cells[k - 1].row == s->cells[i].row && s->cells[k - 1].col == s->cells[i].col) {
            free(s->cells[i].text);
            continue;
        }
        s->cells[k++] = s->cells[i];
    }
    s->n_cells = k;
}

/* The cell at (row, col) among the first n sorted cells, or NULL. */
static const xlsx_cell *cell_at(const xlsx_cell *cells, size_t n, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const xlsx_cell *c = &cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && cells[lo].row == row && cells[lo].col == col) ? &cells[lo] : NULL;
}

/* Drops a title row above the header: a first row whose only cell is merged
 * across several columns of that row ("XX县学校基本情况统计表"), when the next
 * row has at least two cells. The cells are sorted. */
static void title_drop(xlsx_sheet *s)
{
    if (s->n_cells < 3 || s->cells[1].row == s->cells[0].row || s->cells[2].row != s->cells[1].row)
        return;
    const xlsx_cell *c = &s->cells[0];
    for (size_t m = 0; m < s->n_merges; m++) {
        const xlsx_range *r = &s->merges[m];
        if (r->row1 == c->row && r->row2 == c->row && r->col1 == c->col && r->col2 > r->col1) {
            s->text_bytes -= strlen(c->text) + 1;
            free(s->cells[0].text);
            memmove(s->cells, s->cells + 1, (s->n_cells - 1) * sizeof *s->cells);
            s->n_cells--;
            return;
        }
    }
}

/* Gives every empty cell of each merged range (clamped to the sheet's used
 * extent) the value of the range's top-left cell, then sorts again. Returns
 * 0, or -1 with the reason in err (the cell bound, out of memory). */
static int merges_apply(xlsx_sheet *s, char *err, size_t errlen)
{
    uint32_t max_row = 0, max_col = 0;
    for (size_t i = 0; i < s->n_cells; i++) {
        if (s->cells[i].row > max_row)
            max_row = s->cells[i].row;
        if (s->cells[i].col > max_col)
            max_col = s->cells[i].col;
    }
    size_t sorted = s->n_cells;
    uint64_t work = 0; /* cells of every range: overlapping ranges must not make this quadratic */
    for (size_t m = 0; m < s->n_merges; m++) {
        xlsx_range r = s->merges[m];
        const xlsx_cell *top = cell_at(s->cells, sorted, r.row1, r.col1);
        if (!top)
            continue;
        uint32_t row2 = r.row2 < max_row ? r.row2 : max_row, col2 = r.col2 < max_col ? r.col2 : max_col;
        uint64_t area = (uint64_t)(row2 - r.row1 + 1) * (col2 - r.col1 + 1);
        work += area;
        if (area > XLSX_CELLS_MAX - s->n_cells || work > XLSX_CELLS_MAX) {
            set_err(err, errlen, _("more than %u cells once merged ranges are filled"), XLSX_CELLS_MAX);
            return -1;
        }
        for (uint32_t row = r.row1; row <= row2; row++)
            for (uint32_t col = r.col1; col <= col2; col++) {
                if (cell_at(s->cells, sorted, row, col))
                    continue;
                if (s->n_cells == s->cap_cells) {
                    size_t cap = s->cap_cells ? s->cap_cells * 2 : 256;
                    xlsx_cell *p = realloc(s->cells, cap * sizeof *p);
                    if (!p)
                        goto oom;
                    s->cells = p;
                    s->cap_cells = cap;
                    top = cell_at(s->cells, sorted, r.row1, r.col1);
                }
                size_t n = strlen(top->text) + 1;
                s->text_bytes += n;
                if (s->text_bytes > XLSX_TEXT_MAX) {
                    set_err(err, errlen, _("more than %u MiB of text once merged ranges are filled"), XLSX_TEXT_MAX >> 20);
                    return -1;
                }
                char *text = malloc(n);
                if (!text)
                    goto oom;
                memcpy(text, top->text, n);
                s->cells[s->n_cells++] = (xlsx_cell){ row, col, text };
            }
    }
    cells_sort(s);
    return 0;
oom:
    set_err(err, errlen, _("out of memory"));
    return -1;
}

/* The last row of the header starting at row `first`: the lowest row a
 * merged range starting in that row reaches down to (first when none), at
 * most XLSX_HEADER_ROWS rows in all. */
static uint32_t header_last_row(const xlsx_sheet *s, uint32_t first)
{
    uint32_t last = first;
    for (size_t m = 0; m < s->n_merges; m++)
        if (s->merges[m].row1 == first && s->merges[m].row2 > last)
            last = s->merges[m].row2;
    return last - first >= XLSX_HEADER_ROWS ? first + XLSX_HEADER_ROWS - 1 : last;
}

/* Builds the header from the cells of rows [*i, row last]: each column's
 * distinct texts, top to bottom, joined by '_' (one pass over the cells).
 * Advances *i past them. Returns 0, or -1 when out of memory. */
static int header_build(const xlsx_sheet *s, size_t *i, uint32_t last, csv_table *t)
{
    size_t begin = *i, end = *i;
    uint32_t width = 0;
    for (; end < s->n_cells && s->cells[end].row <= last; end++)
        if (s->cells[end].col > width)
            width = s->cells[end].col;
    *i = end;
    t->header = calloc(width, sizeof *t->header);
    const char **prev = calloc(width, sizeof *prev);
    int rc = t->header && prev ? 0 : -1;
    if (rc == 0)
        t->n_cols = width;
    for (size_t k = begin; k < end && rc == 0; k++) {
        const xlsx_cell *c = &s->cells[k];
        size_t j = c->col - 1, old = t->header[j] ? strlen(t->header[j]) : 0, add = strlen(c->text);
        if (prev[j] && strcmp(prev[j], c->text) == 0)
            continue; /* a merged cell filled down */
        char *h = realloc(t->header[j], old + add + 2);
        if (!h) {
            rc = -1;
            break;
        }
        if (old)
            h[old++] = '_';
        memcpy(h + old, c->text, add + 1);
        t->header[j] = h;
        prev[j] = c->text;
    }
    for (uint32_t j = 0; j < width && rc == 0; j++)
        if (!t->header[j] && !(t->header[j] = strdup("")))
            rc = -1;
    free(prev);
    return rc;
}

/* Builds one data row from the cells of row s->cells[*i].row; advances *i.
 * Returns 0, or -1 when out of memory. */
static int row_build(const xlsx_sheet *s, size_t *i, csv_row *out)
{
    size_t begin = *i, end = *i;
    uint32_t row = s->cells[begin].row;
    while (end < s->n_cells && s->cells[end].row == row)
        end++;
    *i = end;
    uint32_t width = s->cells[end - 1].col;
    out->line = row;
    out->n_fields = width;
    out->fields = calloc(width, sizeof *out->fields);
    if (!out->fields)
        return -1;
    for (size_t k = begin; k < end; k++) {
        out->fields[s->cells[k].col - 1] = s->cells[k].text;
        s->cells[k].text = NULL; /* moved */
    }
    for (uint32_t c = 0; c < width; c++)
        if (!out->fields[c] && !(out->fields[c] = strdup("")))
            return -1;
    return 0;
}

/* The table of the sorted, merged cells of s. Returns 0, or -1 with the
 * reason in err. The cells' texts are moved into the table. */
static int table_build(xlsx_sheet *s, csv_table *t, char *err, size_t errlen)
{
    if (s->n_cells == 0) {
        set_err(err, errlen, _("the sheet is empty: no header row"));
        return -1;
    }
    size_t i = 0, n_rows = 0, dense = 0;
    uint32_t last = header_last_row(s, s->cells[0].row);
    for (size_t k = 0; k < s->n_cells; k++)
        if (s->cells[k].row > last && (k + 1 == s->n_cells || s->cells[k + 1].row != s->cells[k].row)) {
            n_rows++;
            dense += s->cells[k].col;
        }
    if (dense > XLSX_CELLS_MAX) {
        set_err(err, errlen, _("the sheet has more than %u cells"), XLSX_CELLS_MAX);
        return -1;
    }
    if (header_build(s, &i, last, t) != 0)
        goto oom;
    t->rows = n_rows ? calloc(n_rows, sizeof *t->rows) : NULL;
    if (n_rows && !t->rows)
        goto oom;
    while (i < s->n_cells)
        if (row_build(s, &i, &t->rows[t->n_rows++]) != 0)
            goto oom;
    return 0;
oom:
    set_err(err, errlen, _("out of memory"));
    return -1;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2's one-time set-up, done once before any thread parses. */
static void xml_init(void)
{
    xmlInitParser();
}

/* See xlsx_table.h. The table is owned by the caller (csv_table_destroy). */
int xlsx_table_parse(const char *bytes, size_t len, const char *sheet, csv_table **out, char *err, size_t errlen)
{
    *out = NULL;
    table_bytes_kind kind = table_bytes_kind_of(bytes, len);
    if (kind != TABLE_BYTES_ZIP) {
        set_err(err, errlen, "%s",
                kind == TABLE_BYTES_XLS ? _(XLS_REFUSAL) : _("not an Excel workbook (.xlsx)"));
        return -1;
    }
    pthread_once(&xml_once, xml_init);
    xlsx_sheet s = { 0 };
    csv_table *t = NULL;
    int rc = read_cells(bytes, len, sheet, &s, err, errlen);
    if (rc == 0) {
        cells_sort(&s);
        title_drop(&s);
        rc = merges_apply(&s, err, errlen);
    }
    if (rc == 0 && !(t = calloc(1, sizeof *t))) {
        set_err(err, errlen, _("out of memory"));
        rc = -1;
    }
    if (rc == 0 && table_build(&s, t, err, errlen) != 0)
        rc = -1;
    xlsx_sheet_clear(&s);
    if (rc != 0) {
        csv_table_destroy(&t);
        return -1;
    }
    *out = t;
    return 0;
}

/* Appends one record: cells separated by commas, quoted when they hold a
 * comma, a quote, a line break or surrounding space. */
static void out_record(text_buf *o, char *const *fields, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        const char *f = fields[j];
        size_t len = strlen(f);
        if (j)
            text_buf_add(o, ",", 1);
        int quote = strpbrk(f, ",\"\r\n") != NULL || (len && (f[0] == ' ' || f[len - 1] == ' '));
        if (!quote) {
            text_buf_add(o, f, len);
            continue;
        }
        text_buf_add(o, "\"", 1);
        for (const char *q; (q = strchr(f, '"')); f = q + 1) {
            text_buf_add(o, f, (size_t)(q - f) + 1);
            text_buf_add(o, "\"", 1);
        }
        text_buf_add(o, f, strlen(f));
        text_buf_add(o, "\"", 1);
    }
    text_buf_add(o, "\n", 1);
}

/* See xlsx_table.h. */
char *csv_table_to_text(const csv_table *t, size_t *len)
{
    text_buf o = { 0 };
    out_record(&o, t->header, t->n_cols);
    size_t line = 2;
    for (size_t i = 0; i < t->n_rows; i++) {
        for (; line < t->rows[i].line; line++)
            text_buf_add(&o, "\n", 1);
        out_record(&o, t->rows[i].fields, t->rows[i].n_fields);
        line++;
    }
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    if (len)
        *len = o.n;
    return o.p;
}
