/* revision_pack.h -- the compact form in which the registry holds each
 * school's newest revision (server/state/registry.c): every field of a submission,
 * exactly, in ~100 bytes instead of a 344-byte struct and its arrays.
 *
 * Integers are varints (zigzag); a double is a varint when it is a whole
 * number or a whole number of hundredths that converts back to the very same
 * double, else its 8 bytes; a lower-case UUID is 16 bytes; the school code
 * and period are left out when they are the holder's. Only this file reads
 * and writes the form: it is never stored or sent. */
#ifndef JUNHENG_REVISION_PACK_H
#define JUNHENG_REVISION_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "submission.h"

/* An upper bound of revision_pack's output for sub, in bytes. */
size_t revision_pack_bound(const submission *sub);

/* Writes sub into out (at least revision_pack_bound(sub) bytes); school_code
 * and period are the holder's (written only when sub differs). Returns the
 * number of bytes written. */
size_t revision_pack(const submission *sub, const char *school_code, int32_t period, uint8_t *out);

/* Decodes bytes written by revision_pack (with the same school_code and
 * period) into *out, which the caller then owns (free with
 * submission_clear()). Returns 0, or -1 when out of memory or the bytes are
 * malformed (*out is then zeroed). */
int revision_unpack(const uint8_t *data, size_t len, const char *school_code, int32_t period, submission *out);

#endif
