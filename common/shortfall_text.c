/* shortfall_text.c -- a shortfall as the Chinese sentence officials write.
 * See shortfall_text.h. */
#include "shortfall_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "header_match.h"

const char *shortfall_grouped(double x, char *buf, size_t size)
{
    char digits[48];
    snprintf(digits, sizeof digits, "%.0f", x);
    size_t n = strlen(digits), o = 0, lead = digits[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > lead && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    if (size > 0)
        buf[o < size ? o : size - 1] = '\0';
    return buf;
}

double shortfall_whole_amount(double needed)
{
    if (!(needed > 0))
        return 0;
    return ceil(needed - 1e-9);
}

const char *shortfall_need_zh(const indicator_def *def, double needed, char *buf, size_t size)
{
    char amount[64];
    shortfall_grouped(shortfall_whole_amount(needed), amount, sizeof amount);
    snprintf(buf, size, "需增加%s %s %s", def->resource_zh, amount, header_unit_zh(def->resource_unit));
    return buf;
}
