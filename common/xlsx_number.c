/* xlsx_number.c -- a number cell's text as the readers take it. See
 * xlsx_xml.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_format.h"
#include "xlsx_xml.h"

/* Rewrites shortest text with an exponent ("2.13702001e+09", "1.5e-05") as
 * plain decimal ("2137020010", "0.000015") in out (XLSX_NUMBER_TEXT_MAX bytes)
 * when the exponent is within 20; else copies it. */
static void plain_decimal(const char *s, char *out)
{
    const char *e = strchr(s, 'e');
    long exp10 = e ? strtol(e + 1, NULL, 10) : 0;
    if (!e || exp10 > 20 || exp10 < -20) {
        snprintf(out, XLSX_NUMBER_TEXT_MAX, "%s", s);
        return;
    }
    char digits[REAL_FORMAT_MAX];
    size_t nd = 0, o = 0;
    long point = -1; /* digits before the decimal point in the mantissa */
    if (*s == '-')
        out[o++] = *s++;
    for (const char *p = s; p < e; p++) {
        if (*p == '.')
            point = (long)nd;
        else
            digits[nd++] = *p;
    }
    point = (point < 0 ? (long)nd : point) + exp10;
    if (point <= 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (long i = 0; i < -point; i++)
            out[o++] = '0';
        point = 0;
    }
    for (size_t i = 0; i < nd || (long)i < point; i++) {
        if ((long)i == point && i > 0 && i < nd)
            out[o++] = '.';
        out[o++] = i < nd ? digits[i] : '0';
    }
    out[o] = '\0';
}

/* See xlsx_xml.h. */
const char *xlsx_number_text(const char *v, char *buf)
{
    char *end = NULL, shortest[REAL_FORMAT_MAX];
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(x))
        return v;
    size_t n = real_format_shortest(x, shortest);
    if (n >= 2 && strcmp(shortest + n - 2, ".0") == 0)
        shortest[n - 2] = '\0';
    plain_decimal(shortest, buf);
    return buf;
}
