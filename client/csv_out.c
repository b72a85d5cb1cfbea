/* csv_out.c -- see csv_out.h. */
#include "csv_out.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

void csv_out_field(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

int csv_encoding_parse(const char *text, csv_encoding *out)
{
    if (strcasecmp(text, "utf-8") == 0 || strcasecmp(text, "utf8") == 0)
        *out = CSV_UTF8;
    else if (strcasecmp(text, "gbk") == 0)
        *out = CSV_GBK;
    else
        return -1;
    return 0;
}

const char *csv_encoding_name(csv_encoding enc)
{
    return enc == CSV_GBK ? "gbk" : "utf-8";
}

/* Says which character at p (UTF-8, within text) GBK cannot hold: the
 * character, its code point and its line. */
static void unencodable(const char *text, const char *p, size_t left, char *err, size_t errlen)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
    if (n > left)
        n = left;
    unsigned long cp = n == 1 ? u[0] : u[0] & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (u[i] & 0x3F);
    size_t line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    snprintf(err, errlen, _("line %zu: '%.*s' (U+%04lX) cannot be written in GBK; write the file with --encoding utf-8"),
             line, (int)n, p, cp);
}

/* Converts text to GBK and writes it to f. Returns 0, or -1 with err. */
static int write_gbk(FILE *f, const char *text, size_t len, char *err, size_t errlen)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1) {
        snprintf(err, errlen, _("GBK conversion is unavailable: %s"), strerror(errno));
        return -1;
    }
    char buf[4096];
    char *in = (char *)text;
    size_t left = len;
    int rc = 0;
    while (rc == 0 && left > 0) {
        char *out = buf;
        size_t room = sizeof buf;
        size_t r = iconv(cd, &in, &left, &out, &room);
        if (out > buf && fwrite(buf, 1, (size_t)(out - buf), f) != (size_t)(out - buf)) {
            snprintf(err, errlen, "%s", strerror(errno));
            rc = -1;
        } else if (r == (size_t)-1 && errno != E2BIG) {
            unencodable(text, in, left, err, errlen);
            rc = -1;
        }
    }
    iconv_close(cd);
    return rc;
}

int csv_out_write(FILE *f, const char *text, size_t len, csv_encoding enc, char *err, size_t errlen)
{
    static const char BOM[] = "\xEF\xBB\xBF";
    bool has_bom = len >= 3 && memcmp(text, BOM, 3) == 0;
    if (enc == CSV_GBK)
        return has_bom ? write_gbk(f, text + 3, len - 3, err, errlen) : write_gbk(f, text, len, err, errlen);
    if ((!has_bom && fwrite(BOM, 1, 3, f) != 3) || fwrite(text, 1, len, f) != len) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}
