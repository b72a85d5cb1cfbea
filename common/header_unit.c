/* header_unit.c -- a heading without its trailing unit. See header_unit.h. */
#include "header_unit.h"

#include <string.h>

static const char FW_OPEN[] = "（", FW_CLOSE[] = "）";

/* See header_unit.h. */
const char *header_without_unit(const char *header, char *buf, size_t size)
{
    size_t n = strlen(header);
    while (n > 0 && header[n - 1] == ' ')
        n--;
    size_t close_len;
    if (n >= 1 && header[n - 1] == ')')
        close_len = 1;
    else if (n >= sizeof FW_CLOSE - 1 && memcmp(header + n - (sizeof FW_CLOSE - 1), FW_CLOSE, sizeof FW_CLOSE - 1) == 0)
        close_len = sizeof FW_CLOSE - 1;
    else
        return NULL;
    /* the last opening bracket before the closing one */
    size_t open = (size_t)-1;
    for (size_t i = 0; i + close_len < n; i++)
        if (header[i] == '(' || (i + sizeof FW_OPEN - 1 <= n && memcmp(header + i, FW_OPEN, sizeof FW_OPEN - 1) == 0))
            open = i;
    if (open == (size_t)-1)
        return NULL;
    size_t keep = open;
    while (keep > 0 && header[keep - 1] == ' ')
        keep--;
    if (keep == 0 || keep >= size)
        return NULL;
    memcpy(buf, header, keep);
    buf[keep] = '\0';
    return buf;
}
