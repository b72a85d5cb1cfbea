/* field_desc.c -- the table walks over a record's fields. See field_desc.h. */
#include "field_desc.h"

#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>

/* Sets a list field's array and count in a record. */
static void set_list(const field_desc *f, void *record, void *array, size_t n)
{
    memcpy((char *)record + f->offset, &array, sizeof array);
    memcpy((char *)record + f->n_offset, &n, sizeof n);
}

/* See field_desc.h. */
void field_lists_free(const field_desc *table, size_t n_fields, void *record)
{
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        if (!field_is_list(f))
            continue;
        size_t n;
        free(field_list(f, record, &n));
        set_list(f, record, NULL, 0);
    }
}

/* Copies n elements of `size` bytes into a fresh array; NULL for none (or
 * when out of memory: *oom is then set). */
static void *copy_elements(const void *src, size_t n, size_t size, int *oom)
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

/* See field_desc.h. dst's arrays are src's on entry (a shallow copy). */
int field_lists_dup(const field_desc *table, size_t n_fields, void *dst, const void *src)
{
    int oom = 0;
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        if (!field_is_list(f))
            continue;
        size_t n;
        const void *a = field_list(f, src, &n);
        void *copy = copy_elements(a, n, field_elem_size(f), &oom);
        memcpy((char *)dst + f->offset, &copy, sizeof copy);
    }
    if (oom) {
        field_lists_free(table, n_fields, dst);
        return -1;
    }
    return 0;
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

/* See field_desc.h. */
bool field_any_set(const field_desc *table, size_t n_fields, const void *record)
{
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        const char *v = (const char *)record + f->offset;
        if (f->type == FIELD_COUNT) {
            int64_t x;
            memcpy(&x, v, sizeof x);
            if (x != 0)
                return true;
        } else if (f->type == FIELD_AMOUNT) {
            double x;
            memcpy(&x, v, sizeof x);
            if (x != 0)
                return true;
        } else {
            size_t n;
            field_list(f, record, &n);
            if (n > 0)
                return true;
        }
    }
    return false;
}

/* See field_desc.h. The message's lists borrow record's arrays. */
void field_to_pb(const field_desc *table, size_t n_fields, const void *record, void *pb)
{
    char *m = pb;
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        if (field_is_list(f)) {
            size_t n;
            void *a = field_list(f, record, &n);
            memcpy(m + f->pb_offset, &a, sizeof a);
            memcpy(m + f->pb_n_offset, &n, sizeof n);
        } else {
            protobuf_c_boolean has = 1;
            memcpy(m + f->pb_n_offset, &has, sizeof has);
            memcpy(m + f->pb_offset, (const char *)record + f->offset, field_elem_size(f));
        }
    }
}

/* See field_desc.h. record owns the copied lists. */
void field_from_pb(const field_desc *table, size_t n_fields, const void *pb, void *record, int *oom)
{
    const char *m = pb;
    for (size_t i = 0; i < n_fields; i++) {
        const field_desc *f = &table[i];
        if (field_is_list(f)) {
            const void *a;
            size_t n;
            memcpy(&a, m + f->pb_offset, sizeof a);
            memcpy(&n, m + f->pb_n_offset, sizeof n);
            void *copy = copy_elements(a, n, field_elem_size(f), oom);
            set_list(f, record, copy, copy ? n : 0);
            continue;
        }
        protobuf_c_boolean has;
        memcpy(&has, m + f->pb_n_offset, sizeof has);
        if (has)
            memcpy((char *)record + f->offset, m + f->pb_offset, field_elem_size(f));
        else
            memset((char *)record + f->offset, 0, field_elem_size(f));
    }
}
