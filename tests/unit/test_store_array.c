/* test_store_array.c -- the store's PostgreSQL binary arrays (store_array.h,
 * library junheng_store), byte for byte against the array wire format of
 * PostgreSQL's array_send: ndim, flags, element OID, per dimension length
 * and lower bound, per element a length (-1 for NULL) and the data, all
 * integers big-endian. No PostgreSQL needed. Also the UUID text parser and
 * the big-endian readers of binary results. */
#include <criterion/criterion.h>
#include <string.h>

#include "store_array.h"

/* Appends a big-endian 32-bit integer to an expected byte string. */
static size_t be32(uint8_t *out, size_t at, uint32_t v)
{
    out[at] = (uint8_t)(v >> 24);
    out[at + 1] = (uint8_t)(v >> 16);
    out[at + 2] = (uint8_t)(v >> 8);
    out[at + 3] = (uint8_t)v;
    return at + 4;
}

/* The 20-byte header of a one-dimensional array. */
static size_t header(uint8_t *out, uint32_t flags, uint32_t oid, uint32_t n)
{
    size_t at = be32(out, 0, 1);
    at = be32(out, at, flags);
    at = be32(out, at, oid);
    at = be32(out, at, n);
    return be32(out, at, 1);
}

/* Checks the finished array against the expected bytes, showing the first
 * difference. */
static void expect_bytes(const pgarray *a, const uint8_t *want, size_t want_len)
{
    cr_assert_eq(a->len, want_len, "length %zu, expected %zu", a->len, want_len);
    for (size_t i = 0; i < want_len; i++)
        cr_assert_eq(a->buf[i], want[i], "byte %zu is 0x%02x, expected 0x%02x", i, a->buf[i], want[i]);
}

Test(store_array, text_elements_and_a_null)
{
    pgarray a = { 0 };
    pgarray_begin(&a, PG_OID_TEXT);
    pgarray_add_text(&a, "ab");
    pgarray_add_text(&a, NULL);
    pgarray_add_text(&a, "");
    pgarray_add_text(&a, "学");
    cr_assert_eq(pgarray_finish(&a), 0);
    uint8_t want[128];
    size_t at = header(want, 1, 25, 4);
    at = be32(want, at, 2);
    memcpy(want + at, "ab", 2);
    at += 2;
    at = be32(want, at, 0xFFFFFFFFu); /* NULL: length -1, no data */
    at = be32(want, at, 0);           /* the empty string is not NULL */
    at = be32(want, at, 3);
    memcpy(want + at, "学", 3);
    at += 3;
    expect_bytes(&a, want, at);
    pgarray_free(&a);
    cr_assert_null(a.buf);
    cr_assert_eq(a.len, 0);
}

Test(store_array, int4_elements_big_endian_no_nulls)
{
    pgarray a = { 0 };
    pgarray_begin(&a, PG_OID_INT4);
    pgarray_add_int4(&a, 1);
    pgarray_add_int4(&a, -2);
    pgarray_add_int4(&a, 0x12345678);
    cr_assert_eq(pgarray_finish(&a), 0);
    uint8_t want[128];
    size_t at = header(want, 0, 23, 3);
    at = be32(want, at, 4);
    at = be32(want, at, 1);
    at = be32(want, at, 4);
    at = be32(want, at, 0xFFFFFFFEu);
    at = be32(want, at, 4);
    at = be32(want, at, 0x12345678u);
    expect_bytes(&a, want, at);
    pgarray_free(&a);
}

Test(store_array, bytea_and_bool_elements)
{
    pgarray a = { 0 };
    const uint8_t blob[] = { 0x00, 0xFF, 0x10 };
    pgarray_begin(&a, PG_OID_BYTEA);
    pgarray_add(&a, blob, sizeof blob);
    pgarray_add(&a, blob, 0);   /* an empty bytea */
    pgarray_add(&a, NULL, 0);   /* NULL */
    cr_assert_eq(pgarray_finish(&a), 0);
    uint8_t want[128];
    size_t at = header(want, 1, 17, 3);
    at = be32(want, at, 3);
    memcpy(want + at, blob, 3);
    at += 3;
    at = be32(want, at, 0);
    at = be32(want, at, 0xFFFFFFFFu);
    expect_bytes(&a, want, at);

    pgarray_begin(&a, PG_OID_BOOL);
    pgarray_add_bool(&a, true);
    pgarray_add_bool(&a, false);
    cr_assert_eq(pgarray_finish(&a), 0);
    at = header(want, 0, 16, 2);
    at = be32(want, at, 1);
    want[at++] = 1;
    at = be32(want, at, 1);
    want[at++] = 0;
    expect_bytes(&a, want, at);
    pgarray_free(&a);
}

Test(store_array, empty_array_is_the_12_byte_header)
{
    pgarray a = { 0 };
    pgarray_begin(&a, PG_OID_UUID);
    cr_assert_eq(pgarray_finish(&a), 0);
    uint8_t want[12];
    size_t at = be32(want, 0, 0); /* no dimensions */
    at = be32(want, at, 0);
    at = be32(want, at, 2950);
    expect_bytes(&a, want, at);
    pgarray_free(&a);
}

Test(store_array, restart_keeps_nothing_of_the_last_array)
{
    pgarray a = { 0 };
    pgarray_begin(&a, PG_OID_TEXT);
    pgarray_add_text(&a, NULL);
    pgarray_add_text(&a, "x");
    cr_assert_eq(pgarray_finish(&a), 0);
    pgarray_begin(&a, PG_OID_TEXT);
    pgarray_add_text(&a, "y");
    cr_assert_eq(pgarray_finish(&a), 0);
    uint8_t want[64];
    size_t at = header(want, 0, 25, 1); /* no NULL in this one */
    at = be32(want, at, 1);
    want[at++] = 'y';
    expect_bytes(&a, want, at);
    pgarray_free(&a);
}

Test(store_array, many_elements_grow_the_buffer)
{
    pgarray a = { 0 };
    pgarray_begin(&a, PG_OID_INT4);
    for (int i = 0; i < 10000; i++)
        pgarray_add_int4(&a, i);
    cr_assert_eq(pgarray_finish(&a), 0);
    cr_assert_eq(a.len, 20 + 10000 * 8);
    cr_assert_eq(store_be32((const char *)a.buf + 12), 10000, "the dimension's length");
    for (int i = 0; i < 10000; i += 999) {
        cr_assert_eq(store_be32((const char *)a.buf + 20 + 8 * i), 4);
        cr_assert_eq(store_be32((const char *)a.buf + 24 + 8 * i), i);
    }
    pgarray_free(&a);
}

Test(store_array, uuid_text_to_16_bytes)
{
    uint8_t u[16];
    cr_assert_eq(store_uuid_parse("0123abcd-EF01-4567-89ab-cdef01234567", u), 0);
    const uint8_t want[16] = { 0x01, 0x23, 0xab, 0xcd, 0xef, 0x01, 0x45, 0x67,
                               0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67 };
    cr_assert_arr_eq(u, want, 16);
    cr_assert_eq(store_uuid_parse("0123abcd-ef01-4567-89ab-cdef0123456", u), -1, "too short");
    cr_assert_eq(store_uuid_parse("0123abcd-ef01-4567-89ab-cdef012345678", u), -1, "too long");
    cr_assert_eq(store_uuid_parse("0123abcdXef01-4567-89ab-cdef01234567", u), -1, "no dash");
    cr_assert_eq(store_uuid_parse("0123abcg-ef01-4567-89ab-cdef01234567", u), -1, "not hex");
    cr_assert_eq(store_uuid_parse(NULL, u), -1);
}

Test(store_array, big_endian_readers)
{
    const char b8[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, (char)0x08 };
    cr_assert_eq(store_be64(b8), 0x0102030405060708LL);
    const char neg[8] = { (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
                          (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFE };
    cr_assert_eq(store_be64(neg), -2);
    const char b4[4] = { (char)0x80, 0x00, 0x00, 0x01 };
    cr_assert_eq(store_be32(b4), (int32_t)0x80000001u);
}
