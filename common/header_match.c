/* header_match.c -- its one job: recognising a column heading forgivingly
 * (a unit in brackets, the nearest known heading). See header_match.h. */
#include "header_match.h"
#include "i18n.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The bracket pairs a unit may be written in. */
static const struct {
    const char *open, *close;
} BRACKETS[] = {
    { "\xEF\xBC\x88", "\xEF\xBC\x89" }, /* （ ） */
    { "(", ")" },
    { "\xE3\x80\x90", "\xE3\x80\x91" }, /* 【 】 */
    { "[", "]" },
};

/* Copies s[0..n) into out (size bytes), trimming ASCII and ideographic
 * blanks at both ends. */
static void copy_trimmed(const char *s, size_t n, char *out, size_t size)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n >= 3 && strncmp(s, "\xE3\x80\x80", 3) == 0)
        s += 3, n -= 3;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n >= 3 && strncmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
        n -= 3;
    if (size == 0)
        return;
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* See header_match.h. */
int header_unit_split(const char *heading, char *base, size_t base_size, char *unit, size_t unit_size)
{
    size_t len = strlen(heading);
    while (len > 0 && (heading[len - 1] == ' ' || heading[len - 1] == '\t'))
        len--;
    for (size_t b = 0; b < sizeof BRACKETS / sizeof BRACKETS[0]; b++) {
        size_t cl = strlen(BRACKETS[b].close);
        if (len < cl || strncmp(heading + len - cl, BRACKETS[b].close, cl) != 0)
            continue;
        /* the last opening bracket of the same kind before the close */
        const char *open = NULL;
        for (const char *p = heading; p < heading + len - cl; p++)
            if (strncmp(p, BRACKETS[b].open, strlen(BRACKETS[b].open)) == 0)
                open = p;
        if (!open || open == heading)
            continue;
        size_t ol = strlen(BRACKETS[b].open);
        copy_trimmed(heading, (size_t)(open - heading), base, base_size);
        copy_trimmed(open + ol, (size_t)(heading + len - cl - (open + ol)), unit, unit_size);
        return 1;
    }
    copy_trimmed(heading, len, base, base_size);
    if (unit_size > 0)
        unit[0] = '\0';
    return 0;
}

/* See header_match.h. */
const char *header_without_unit(const char *heading, char *buf, size_t size)
{
    char unit[128];
    size_t need = strlen(heading) + 1;
    if (size < need || !header_unit_split(heading, buf, size, unit, sizeof unit) || !buf[0])
        return NULL;
    return buf;
}

/* The words that name each field unit in a heading. */
static const struct {
    const char *unit, *zh;
    const char *words[6];
} UNIT_WORDS[] = {
    { "m²", "平方米", { "平方米", "平米", "m²", "m2", "㎡", NULL } },
    { "yuan", "元", { "元", "yuan", "人民币元", NULL } },
    { "students", "人", { "人", "名", "students", NULL } },
    { "teachers", "人", { "人", "名", "teachers", NULL } },
    { "rooms", "间", { "间", "个", "rooms", NULL } },
};

/* See header_match.h. */
const char *header_unit_zh(const char *field_unit)
{
    for (size_t i = 0; i < sizeof UNIT_WORDS / sizeof UNIT_WORDS[0]; i++)
        if (strcmp(UNIT_WORDS[i].unit, field_unit) == 0)
            return UNIT_WORDS[i].zh;
    return field_unit;
}

/* See header_match.h. */
int header_unit_check(const char *field_unit, const char *unit_text, char *why, size_t why_size)
{
    for (size_t i = 0; i < sizeof UNIT_WORDS / sizeof UNIT_WORDS[0]; i++) {
        if (strcmp(UNIT_WORDS[i].unit, field_unit) != 0)
            continue;
        for (size_t w = 0; UNIT_WORDS[i].words[w]; w++)
            if (strcasecmp(unit_text, UNIT_WORDS[i].words[w]) == 0)
                return 0;
    }
    snprintf(why, why_size, _("the unit '%s' is not this column's (%s)"), unit_text,
             _(field_unit));
    return -1;
}

/* Decodes s into code points (at most cap; the rest ignored). A byte that
 * is not valid UTF-8 counts as one code point. Returns how many. */
static size_t code_points(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < cap) {
        uint32_t c = *p;
        size_t k = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (k > 1) {
            c &= 0x3F >> (k - 1);
            for (size_t i = 1; i < k; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    k = 1;
                    c = *p;
                    break;
                }
                c = (c << 6) | (p[i] & 0x3F);
            }
        }
        /* ASCII compared case-insensitively, as the headings are */
        out[n++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        p += k;
    }
    return n;
}

#define NAME_MAX_CHARS 64

/* Edit distance (insert, delete, substitute: 1 each) between a and b. */
static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t row[NAME_MAX_CHARS + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* See header_match.h. */
const char *header_nearest(const char *heading, const char *const *names, size_t n)
{
    uint32_t h[NAME_MAX_CHARS], c[NAME_MAX_CHARS];
    size_t nh = code_points(heading, h, NAME_MAX_CHARS);
    if (nh == 0)
        return NULL;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t nc = code_points(names[i], c, NAME_MAX_CHARS);
        size_t longer = nh > nc ? nh : nc;
        size_t limit = longer / 3;
        limit = limit < 1 ? 1 : limit > 4 ? 4 : limit;
        size_t d = edit_distance(h, nh, c, nc);
        if (d > limit || d > best_d)
            continue;
        tie = (d == best_d && best && strcmp(best, names[i]) != 0);
        if (d < best_d)
            tie = false;
        best_d = d;
        best = names[i];
    }
    return tie ? NULL : best;
}
