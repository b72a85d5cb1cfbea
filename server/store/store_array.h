/* store_array.h -- the store's second public header, for its own files and
 * the unit tests only (the daemon's other modules include store.h): the pure
 * helpers of store_array.c, which need neither libpq nor a server.
 *
 * A pgarray is a one-dimensional PostgreSQL array in binary wire format
 * (array_send/array_recv), built element by element, so that a whole group
 * of rows travels as one parameter (unnest($1::uuid[], ...)) instead of one
 * round trip per row. Its bytes, all integers big-endian:
 *
 *   int32 ndim (1; 0 for an empty array, which then ends here)
 *   int32 flags (1 when an element is NULL, else 0)
 *   int32 element type OID
 *   per dimension: int32 length, int32 lower bound (1)
 *   per element: int32 length (-1 for NULL, then no data), the data
 *
 * The array owns its buffer: pgarray_free(). */
#ifndef JUNHENG_STORE_ARRAY_H
#define JUNHENG_STORE_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    size_t count;          /* elements added */
    bool has_null;
    bool oom;              /* an append failed: the array is unusable */
} pgarray;

/* Element type OIDs (pg_type.h) used with pgarray. */
#define PG_OID_BOOL 16
#define PG_OID_BYTEA 17
#define PG_OID_INT4 23
#define PG_OID_TEXT 25
#define PG_OID_UUID 2950

/* Starts (or restarts, keeping the buffer) an array of elem_oid. A new
 * array starts zeroed ({ 0 }). */
void pgarray_begin(pgarray *a, uint32_t elem_oid);
/* Appends one element's binary form (NULL data: a NULL element). */
void pgarray_add(pgarray *a, const void *data, size_t len);
/* Appends a text element (NULL: a NULL element). */
void pgarray_add_text(pgarray *a, const char *s);
/* Appends an int4 / bool element. */
void pgarray_add_int4(pgarray *a, int32_t v);
void pgarray_add_bool(pgarray *a, bool v);
/* Completes the header: a->buf[0..a->len) is then the array's wire form.
 * Returns 0, or -1 when an append ran out of memory. */
int pgarray_finish(pgarray *a);
/* Frees the buffer and zeroes the array. */
void pgarray_free(pgarray *a);

/* Parses a canonical UUID text (8-4-4-4-12 hex) into its 16 bytes.
 * Returns 0 or -1. */
int store_uuid_parse(const char *text, uint8_t out[16]);
/* Big-endian integers of a binary-format result. */
int64_t store_be64(const char *p);
int32_t store_be32(const char *p);

#endif
