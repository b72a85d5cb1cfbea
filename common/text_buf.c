/* text_buf.c -- its one job: a growable text. See text_buf.h. */
#include "text_buf.h"

#include <stdlib.h>
#include <string.h>

/* See text_buf.h. */
void text_buf_add(text_buf *self, const char *s, size_t len)
{
    if (self->oom || len == 0)
        return;
    if (self->n + len + 1 > self->cap) {
        size_t cap = self->cap ? self->cap : 64;
        while (cap < self->n + len + 1)
            cap *= 2;
        char *p = realloc(self->p, cap);
        if (!p) {
            self->oom = 1;
            return;
        }
        self->p = p;
        self->cap = cap;
    }
    memcpy(self->p + self->n, s, len);
    self->n += len;
    self->p[self->n] = '\0';
}

/* See text_buf.h. */
void text_buf_add_str(text_buf *self, const char *s)
{
    text_buf_add(self, s, strlen(s));
}
