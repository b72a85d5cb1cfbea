/* cell_text.c -- its one job: the text helpers every cell reader shares
 * (quoting a cell in a message, the plain-decimal syntax). See cell_text.h. */
#include "cell_text.h"

#include <stdio.h>
#include <string.h>

/* See cell_text.h; the result is buf. */
const char *cell_text_shown(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s), max = size > 44 ? 40 : size - 4;
    if (n <= max) {
        snprintf(buf, size, "%s", s);
        return buf;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    snprintf(buf, size, "%.*s...", (int)max, s);
    return buf;
}

/* See cell_text.h. */
bool cell_text_is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = strspn(p, "0123456789");
    p += int_digits;
    size_t frac_digits = 0;
    if (*p == '.') {
        p++;
        frac_digits = strspn(p, "0123456789");
        p += frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t exp_digits = strspn(p, "0123456789");
        if (exp_digits == 0)
            return false;
        p += exp_digits;
    }
    return *p == '\0';
}
