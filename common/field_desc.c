/* field_desc.c -- the functions behind field tables. See field_desc.h. */
#include "field_desc.h"

#include <stdlib.h>

/* See field_desc.h. The caller owns the copy. */
void *field_copy_elements(const void *src, size_t n, size_t size, int *oom)
{
    if (!src || n == 0)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    memcpy(p, src, n * size);
    return p;
}

/* See field_desc.h. */
bool field_all_equal(const field_desc *table, size_t n_fields, const void *a, const void *b)
{
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        if (!field_is_list(f)) {
            if (memcmp((const char *)a + f->offset, (const char *)b + f->offset, field_elem_size(f)) != 0)
                return false;
            continue;
        }
        size_t na, nb;
        const void *xa = field_list(f, a, &na), *xb = field_list(f, b, &nb);
        if (na != nb || (na > 0 && memcmp(xa, xb, na * field_elem_size(f)) != 0))
            return false;
    }
    return true;
}
