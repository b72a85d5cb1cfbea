/* csv_table.c -- spreadsheet CSV bytes to rows of trimmed UTF-8 strings.
 * See csv_table.h.
 *
 * Encoding: a UTF-8 BOM is stripped; bytes that are valid UTF-8 are kept as
 * they are; anything else is converted from GB18030 (a superset of GBK, which
 * Excel in China saves by default) with glibc iconv.  A UTF-16 BOM or a NUL
 * byte is refused with a hint, since those files would otherwise decode into
 * garbage.
 *
 * Quoting: libcsv in strict mode, RFC 4180 as spreadsheets write it: a '"'
 * inside an unquoted cell, text after a closing quote, or a quoted cell left
 * open at the end of the file is a file-level error with its line number
 * (lenient parsing would shift cells into the wrong columns or swallow every
 * following row).  Spaces around a quoted cell are allowed.  Line endings LF,
 * CRLF or CR. */
#include "csv_table.h"
#include "i18n.h"
#include "xlsx_table.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes a printf-formatted reason into err (when err is non-NULL). */
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

/* Returns the length of the valid UTF-8 sequence starting at s (at most n
 * bytes available), or 0 when the bytes there are not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* Whether bytes[0..len) is entirely valid UTF-8. */
static int is_valid_utf8(const unsigned char *bytes, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t k = utf8_seq_len(bytes + i, len - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* Converts GB18030 bytes to a NUL-terminated UTF-8 string with iconv.
 * Returns 0 and *out (caller frees), or -1 with a reason in err. */
static int gb18030_to_utf8(const char *bytes, size_t len, char **out, size_t *out_len, char *err, size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        set_err(err, errlen, _("the file is not UTF-8, and GBK conversion is unavailable: %s"), strerror(errno));
        return -1;
    }
    size_t cap = len * 2 + 16; /* a GBK character (2 bytes) becomes at most 3 UTF-8 bytes */
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    char *in = (char *)bytes;
    size_t in_left = len;
    char *op = buf;
    size_t out_left = cap - 1;
    int rc = 0;
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &op, &out_left) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - buf);
            char *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                set_err(err, errlen, _("out of memory"));
                rc = -1;
                break;
            }
            buf = nb;
            cap *= 2;
            op = buf + used;
            out_left = cap - 1 - used;
            continue;
        }
        set_err(err, errlen,
                _("the file is neither UTF-8 nor GBK: undecodable bytes at offset %zu; save it as CSV UTF-8 or GBK"),
                (size_t)(in - bytes));
        rc = -1;
        break;
    }
    iconv_close(cd);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    *op = '\0';
    *out = buf;
    if (out_len)
        *out_len = (size_t)(op - buf);
    return 0;
}

/* See csv_table.h. *out is owned by the caller (free()). */
int text_to_utf8(const char *bytes, size_t len, char **out, size_t *out_len, int *was_gbk, char *err,
                 size_t errlen)
{
    const unsigned char *b = (const unsigned char *)bytes;
    *out = NULL;
    if (was_gbk)
        *was_gbk = 0;
    if (!bytes && len > 0) {
        set_err(err, errlen, _("no input"));
        return -1;
    }
    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        set_err(err, errlen, _("the file is UTF-16 (Unicode text); save it as CSV UTF-8 or CSV (GBK)"));
        return -1;
    }
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        b += 3;
        len -= 3;
    }
    const void *nul = len ? memchr(b, '\0', len) : NULL;
    if (nul) {
        set_err(err, errlen, _("the file contains a NUL byte at offset %zu; it is not a text CSV file"),
                (size_t)((const unsigned char *)nul - b));
        return -1;
    }
    if (is_valid_utf8(b, len)) {
        char *s = malloc(len + 1);
        if (!s) {
            set_err(err, errlen, _("out of memory"));
            return -1;
        }
        if (len)
            memcpy(s, b, len);
        s[len] = '\0';
        *out = s;
        if (out_len)
            *out_len = len;
        return 0;
    }
    if (gb18030_to_utf8((const char *)b, len, out, out_len, err, errlen) != 0)
        return -1;
    if (was_gbk)
        *was_gbk = 1;
    return 0;
}

/* ---- CSV records --------------------------------------------------------- */

/* The state the libcsv callbacks build the table in. */
typedef struct {
    csv_table *t;
    char **cur;          /* fields of the record being read */
    size_t n_cur, cap_cur;
    size_t rows_cap;
    size_t record_line;  /* line where the current record started */
    size_t n_ended;      /* records ended so far, blank ones included */
    int have_header;
    int oom;
} builder;

/* Length of the whitespace character at s (ASCII space/tab/CR/LF, U+00A0
 * no-break space, U+3000 ideographic space), or 0. */
static size_t space_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 1 && (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n'))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

/* Whether the k bytes ending at s+n form a whitespace character (see space_len). */
static size_t trailing_space_len(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (space_len(s + n - k, k) == k)
            return k;
    return 0;
}

/* Returns a trimmed, NUL-terminated copy of s[0..n) (caller frees), or NULL. */
static char *trimmed_copy(const char *s, size_t n)
{
    if (!s)
        n = 0;
    size_t k;
    while (n > 0 && (k = space_len(s, n)) > 0) {
        s += k;
        n -= k;
    }
    while (n > 0 && (k = trailing_space_len(s, n)) > 0)
        n -= k;
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    if (n)
        memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

/* libcsv field callback: appends one trimmed field to the current record. */
static void on_field(void *s, size_t len, void *data)
{
    builder *b = data;
    if (b->oom)
        return;
    if (b->n_cur == b->cap_cur) {
        size_t cap = b->cap_cur ? b->cap_cur * 2 : 16;
        char **p = realloc(b->cur, cap * sizeof *p);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->cur = p;
        b->cap_cur = cap;
    }
    char *f = trimmed_copy(s, len);
    if (!f) {
        b->oom = 1;
        return;
    }
    b->cur[b->n_cur++] = f;
}

/* Frees n strings and the array holding them. */
static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* libcsv record callback: moves the current record into the table as the
 * header or a data row; records whose fields are all empty are dropped. */
static void on_record(int c, void *data)
{
    (void)c;
    builder *b = data;
    b->n_ended++;
    int blank = 1;
    for (size_t i = 0; i < b->n_cur && blank; i++)
        if (b->cur[i][0] != '\0')
            blank = 0;
    if (b->oom || blank) {
        free_strings(b->cur, b->n_cur);
        goto reset;
    }
    if (!b->have_header) {
        b->t->header = b->cur;
        b->t->n_cols = b->n_cur;
        b->have_header = 1;
        goto reset;
    }
    if (b->t->n_rows == b->rows_cap) {
        size_t cap = b->rows_cap ? b->rows_cap * 2 : 64;
        csv_row *p = realloc(b->t->rows, cap * sizeof *p);
        if (!p) {
            b->oom = 1;
            free_strings(b->cur, b->n_cur);
            goto reset;
        }
        b->t->rows = p;
        b->rows_cap = cap;
    }
    b->t->rows[b->t->n_rows++] = (csv_row){ .fields = b->cur, .n_fields = b->n_cur, .line = b->record_line };
reset:
    b->cur = NULL;
    b->n_cur = 0;
    b->cap_cur = 0;
}

/* See csv_table.h. The table is owned by the caller (csv_table_destroy). */
int csv_table_parse(const char *bytes, size_t len, csv_table **out, char *err, size_t errlen)
{
    *out = NULL;
    if (table_bytes_kind_of(bytes, len) != TABLE_BYTES_TEXT) /* an .xlsx (its first sheet), or an .xls refused */
        return xlsx_table_parse(bytes, len, NULL, out, err, errlen);
    char *text = NULL;
    size_t text_len = 0;
    int was_gbk = 0;
    if (text_to_utf8(bytes, len, &text, &text_len, &was_gbk, err, errlen) != 0)
        return -1;
    csv_table *t = calloc(1, sizeof *t);
    if (!t) {
        free(text);
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    t->was_gbk = was_gbk;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(text);
        free(t);
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    builder b = { .t = t, .record_line = 1 };
    /* Fed one byte at a time so that each record knows the physical line it
     * starts on: a record starts at the first byte that is not a space, tab or
     * line ending after the previous record ended. */
    size_t line = 1;
    int in_record = 0;
    for (size_t i = 0; i < text_len && !b.oom; i++) {
        char ch = text[i];
        if (!in_record && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
            in_record = 1;
            b.record_line = line;
        }
        size_t ended = b.n_ended;
        if (csv_parse(&p, &ch, 1, on_field, on_record, &b) != 1) {
            if (csv_error(&p) == CSV_EPARSE)
                set_err(err, errlen,
                        _("malformed quoting on line %zu: a cell holding '\"' must be enclosed in quotes, with the "
                        "'\"' doubled, and nothing may follow its closing quote"),
                        line);
            else
                set_err(err, errlen, _("CSV error on line %zu: %s"), line, csv_strerror(csv_error(&p)));
            goto fail;
        }
        if (b.n_ended != ended)
            in_record = 0;
        if (ch == '\n' || (ch == '\r' && (i + 1 >= text_len || text[i + 1] != '\n')))
            line++;
    }
    if (!b.oom && csv_fini(&p, on_field, on_record, &b) != 0) {
        set_err(err, errlen, _("a quoted cell in the record starting on line %zu is never closed (missing '\"')"), b.record_line);
        goto fail;
    }
    if (b.oom) {
        set_err(err, errlen, _("out of memory"));
        goto fail;
    }
    if (!b.have_header) {
        set_err(err, errlen, _("the file is empty: no header row"));
        goto fail;
    }
    csv_free(&p);
    free(text);
    *out = t;
    return 0;
fail:
    csv_free(&p);
    free_strings(b.cur, b.n_cur);
    free(text);
    csv_table_destroy(&t);
    return -1;
}

/* See csv_table.h. */
void csv_table_destroy(csv_table **p)
{
    if (!p || !*p)
        return;
    csv_table *t = *p;
    free_strings(t->header, t->n_cols);
    for (size_t i = 0; i < t->n_rows; i++)
        free_strings(t->rows[i].fields, t->rows[i].n_fields);
    free(t->rows);
    free(t);
    *p = NULL;
}
