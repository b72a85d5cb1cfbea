/* cell_text.h -- small helpers on the text of one cell, shared by the
 * readers of school submissions (submission_csv.c) and county inputs
 * (county_inputs_rows.c, county_inputs_csv.c, wire_county.c). No I/O. */
#ifndef JUNHENG_CELL_TEXT_H
#define JUNHENG_CELL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copies s into buf (the caller's, size bytes) for quoting in a message,
 * cut at a UTF-8 character boundary to 40 bytes (size - 4 when buf is
 * smaller than 45) followed by "..." when longer. Returns buf. */
const char *cell_text_shown(const char *s, char *buf, size_t size);

/* Whether s is a plain decimal: [+-] digits [. digits] [e [+-] digits], or
 * with the digits before the point left out (".5"), or after it ("5.");
 * nothing else around it. No inf, nan, hex or thousands separators. */
bool cell_text_is_decimal(const char *s);

#endif
