/* test_data_util.h -- reading a fixture of tests/data/ whole, for the unit
 * tests of the readers (CSV, XLSX, the web upload's check). */
#ifndef TEST_DATA_UTIL_H
#define TEST_DATA_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/* Reads tests/data/<name> into a new NUL-terminated buffer of *len bytes
 * (caller frees); a missing or unreadable file fails the test. */
static inline char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", JUNHENG_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

#endif
