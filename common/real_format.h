/* real_format.h -- a double as the shortest decimal text that reads back to
 * the same double.  The text is exactly what the loop "for p = 1..17:
 * snprintf("%.*g", p, x); stop when strtod() gives x back" produces (the C
 * locale's '.'), plus ".0" when it has neither '.' nor exponent, so that a
 * JSON reader keeps it a real: 4.2 -> "4.2", 1137 -> "1137.0",
 * 0.1 + 0.2 -> "0.30000000000000004", 1e-07 -> "1e-07".
 *
 * For 1e-5 <= |x| < 2^53 the digits are found with exact 128-bit integer
 * arithmetic (no printf, no strtod: ~30x faster); other magnitudes take the
 * printf/strtod loop.  Pure: no I/O, no allocation, no locale. */
#ifndef JUNHENG_REAL_FORMAT_H
#define JUNHENG_REAL_FORMAT_H

#include <stddef.h>

/* Enough for any output: sign, 17 digits, '.', "e-308", ".0", NUL. */
#define REAL_FORMAT_MAX 32

/* Writes the text of a finite x into buf (REAL_FORMAT_MAX bytes) and returns
 * its length. Non-finite x gives "null" (JSON has no NaN or infinity). */
size_t real_format_shortest(double x, char buf[REAL_FORMAT_MAX]);

/* The reference: the printf/strtod loop itself, for any finite x (the slow
 * path above, and the oracle of the tests). Same contract. */
size_t real_format_shortest_slow(double x, char buf[REAL_FORMAT_MAX]);

#endif
