/* cell_text.h -- small helpers on the text of one cell, shared by the
 * readers of school submissions (submission_csv.c) and county inputs
 * (county_inputs_rows.c, county_inputs_csv.c, wire_county.c). No I/O. */
#ifndef JUNHENG_CELL_TEXT_H
#define JUNHENG_CELL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies s into buf (the caller's, size bytes) for quoting in a message,
 * cut at a UTF-8 character boundary to 40 bytes (size - 4 when buf is
 * smaller than 45) followed by "..." when longer. Returns buf. */
const char *cell_text_shown(const char *s, char *buf, size_t size);

/* Whether s is a plain decimal: [+-] digits [. digits] [e [+-] digits], or
 * with the digits before the point left out (".5"), or after it ("5.");
 * nothing else around it. No inf, nan, hex or thousands separators. */
bool cell_text_is_decimal(const char *s);

/* Copies s into out (size bytes) with full-width digits and signs
 * (０-９ ． － ＋) folded to ASCII, so that "１０４２" reads as "1042".
 * Returns 1 when anything was folded, 0 when out is s unchanged, -1 when
 * out is too small (out then holds s cut). */
int cell_text_fold_fullwidth(const char *s, char *out, size_t size);

/* Whether s is a decimal followed by 万 or 万元 ("222.39万"): then the same
 * value written out in units ("2223900", shifted in decimal, no rounding)
 * goes into out (size bytes) and 1 is returned; else 0. */
int cell_text_wan(const char *s, char *out, size_t size);

/* Whether s names a school year by both its years ("2025-2026",
 * "2025－2026", "2025—2026", "2025~2026", "2025/2026", "2025至2026",
 * "2025-26"): then *start is its starting year and 1 is returned; else 0. */
int cell_text_year_range(const char *s, int32_t *start);

#endif
