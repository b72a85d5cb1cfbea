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

/* See cell_text.h. */
int cell_text_fold_fullwidth(const char *s, char *out, size_t size)
{
    size_t o = 0;
    int folded = 0;
    for (const char *p = s; *p;) {
        char c = 0;
        /* U+FF0B ＋, U+FF0D －, U+FF0E ．, U+FF10..U+FF19 ０..９: EF BC 8B..99 but
         * ，(8C: a list separator, or a refused thousands separator) and ／ (8F) */
        if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0x8B &&
            (unsigned char)p[2] <= 0x99 && (unsigned char)p[2] != 0x8C && (unsigned char)p[2] != 0x8F)
            c = (char)((unsigned char)p[2] - 0x8B + '+');
        if (o + 2 > size) {
            if (size > 0)
                out[o < size ? o : size - 1] = '\0';
            return -1;
        }
        if (c) {
            out[o++] = c;
            p += 3;
            folded = 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return folded;
}

/* See cell_text.h. */
int cell_text_wan(const char *s, char *out, size_t size)
{
    static const char *const suffixes[] = { "万元", "万" };
    size_t n = strlen(s), digits = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && strcmp(s + n - k, suffixes[i]) == 0) {
            digits = n - k;
            break;
        }
    }
    char num[64];
    if (digits == 0 || digits >= sizeof num)
        return 0;
    memcpy(num, s, digits);
    num[digits] = '\0';
    if (!cell_text_is_decimal(num) || strpbrk(num, "eE+-"))
        return 0;
    /* shift the decimal point four places right, in text */
    char *dot = strchr(num, '.');
    char whole[64] = "", frac[64] = "";
    if (dot) {
        snprintf(whole, sizeof whole, "%.*s", (int)(dot - num), num);
        snprintf(frac, sizeof frac, "%s", dot + 1);
    } else {
        snprintf(whole, sizeof whole, "%s", num);
    }
    char shifted[80], rest[64] = "";
    size_t fl = strlen(frac);
    snprintf(shifted, sizeof shifted, "%s%.*s%.*s", whole, (int)(fl < 4 ? fl : 4), frac, (int)(fl < 4 ? 4 - fl : 0),
             "0000");
    if (fl > 4)
        snprintf(rest, sizeof rest, ".%s", frac + 4);
    const char *lead = shifted;
    while (lead[0] == '0' && lead[1])
        lead++;
    snprintf(out, size, "%s%s", lead, rest);
    return 1;
}

/* See cell_text.h. */
int cell_text_year_range(const char *s, int32_t *start)
{
    static const char *const seps[] = { "-", "\xEF\xBC\x8D" /* － */, "\xE2\x80\x94" /* — */, "\xE2\x80\x93" /* – */,
                                        "~", "\xEF\xBD\x9E" /* ～ */, "/", "\xE8\x87\xB3" /* 至 */ };
    if (strspn(s, "0123456789") != 4)
        return 0;
    const char *p = s + 4;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t k = strlen(seps[i]);
        if (strncmp(p, seps[i], k) != 0)
            continue;
        size_t d = strspn(p + k, "0123456789");
        const char *end = p + k + d;
        if ((d != 4 && d != 2) || (*end && strcmp(end, "学年") != 0 && strcmp(end, "年") != 0))
            return 0;
        *start = (int32_t)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
        return 1;
    }
    return 0;
}
