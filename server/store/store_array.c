/* store_array.c -- PostgreSQL arrays in binary wire format, so that a whole
 * group of rows travels as a few array parameters of one statement
 * (INSERT ... SELECT FROM unnest(...)) instead of one round trip per row.
 * See store_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Makes room for n more bytes. Returns 0 or -1 (sets oom). */
static int pgarray_reserve(pgarray *a, size_t n)
{
    if (a->oom)
        return -1;
    if (a->len + n <= a->cap)
        return 0;
    size_t cap = a->cap ? a->cap * 2 : 256;
    while (cap < a->len + n)
        cap *= 2;
    uint8_t *b = realloc(a->buf, cap);
    if (!b) {
        a->oom = true;
        return -1;
    }
    a->buf = b;
    a->cap = cap;
    return 0;
}

/* Appends a big-endian 32-bit integer. */
static void put_be32(pgarray *a, uint32_t v)
{
    if (pgarray_reserve(a, 4) != 0)
        return;
    a->buf[a->len++] = (uint8_t)(v >> 24);
    a->buf[a->len++] = (uint8_t)(v >> 16);
    a->buf[a->len++] = (uint8_t)(v >> 8);
    a->buf[a->len++] = (uint8_t)v;
}

void pgarray_begin(pgarray *a, uint32_t elem_oid)
{
    a->len = 0;
    a->oom = false;
    a->count = 0;
    a->has_null = false;
    put_be32(a, 1);          /* dimensions */
    put_be32(a, 0);          /* has nulls: informational, set in pgarray_finish */
    put_be32(a, elem_oid);
    put_be32(a, 0);          /* length of the dimension, set in pgarray_finish */
    put_be32(a, 1);          /* lower bound */
}

void pgarray_add(pgarray *a, const void *data, size_t len)
{
    if (!data) {
        put_be32(a, 0xFFFFFFFFu);
        a->has_null = true;
    } else {
        put_be32(a, (uint32_t)len);
        if (pgarray_reserve(a, len) == 0) {
            if (len)
                memcpy(a->buf + a->len, data, len);
            a->len += len;
        }
    }
    a->count++;
}

void pgarray_add_text(pgarray *a, const char *s)
{
    pgarray_add(a, s, s ? strlen(s) : 0);
}

void pgarray_add_int4(pgarray *a, int32_t v)
{
    uint8_t b[4] = { (uint8_t)((uint32_t)v >> 24), (uint8_t)((uint32_t)v >> 16), (uint8_t)((uint32_t)v >> 8),
                     (uint8_t)v };
    pgarray_add(a, b, 4);
}

void pgarray_add_bool(pgarray *a, bool v)
{
    uint8_t b = v ? 1 : 0;
    pgarray_add(a, &b, 1);
}

int pgarray_finish(pgarray *a)
{
    if (a->oom || a->len < 20)
        return -1;
    if (a->count == 0) {
        /* an empty array has no dimensions: the 12-byte header only */
        a->buf[3] = 0;
        a->len = 12;
        return 0;
    }
    uint32_t fields[2] = { a->has_null ? 1u : 0u, (uint32_t)a->count };
    size_t where[2] = { 4, 12 };
    for (int i = 0; i < 2; i++) {
        a->buf[where[i]] = (uint8_t)(fields[i] >> 24);
        a->buf[where[i] + 1] = (uint8_t)(fields[i] >> 16);
        a->buf[where[i] + 2] = (uint8_t)(fields[i] >> 8);
        a->buf[where[i] + 3] = (uint8_t)fields[i];
    }
    return 0;
}

void pgarray_free(pgarray *a)
{
    free(a->buf);
    memset(a, 0, sizeof *a);
}

/* Value of one hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int store_uuid_parse(const char *text, uint8_t out[16])
{
    if (!text || strlen(text) != 36)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return -1;
            continue;
        }
        int v = hexval(text[i]);
        if (v < 0)
            return -1;
        if (j % 2 == 0)
            out[j / 2] = (uint8_t)(v << 4);
        else
            out[j / 2] |= (uint8_t)v;
        j++;
    }
    return 0;
}

int64_t store_be64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | (uint8_t)p[i];
    return (int64_t)v;
}

int32_t store_be32(const char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | (uint8_t)p[i];
    return (int32_t)v;
}
