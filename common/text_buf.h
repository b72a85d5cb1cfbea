/* text_buf.h -- a growable NUL-terminated text: the one string builder the
 * readers of common/ append to (the XLSX reader's cell text, a sheet written
 * back as CSV). Pure: no I/O.
 *
 * Ownership: the buffer owns p; free it with free(p) (or keep it: a caller
 * may take p as its result). A failed allocation sets oom and later appends
 * do nothing. */
#ifndef JUNHENG_TEXT_BUF_H
#define JUNHENG_TEXT_BUF_H

#include <stddef.h>

typedef struct {
    char *p;       /* the text, NUL-terminated once anything was added (NULL before) */
    size_t n;      /* its length in bytes */
    size_t cap;    /* bytes allocated */
    int oom;       /* an append ran out of memory */
} text_buf;

/* Appends len bytes of s (doubling the allocation as needed). */
void text_buf_add(text_buf *self, const char *s, size_t len);

/* Appends the NUL-terminated s. */
void text_buf_add_str(text_buf *self, const char *s);

#endif
