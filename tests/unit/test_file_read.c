/* test_file_read.c -- the one whole-file reader (common/sys/file_read.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"

/* Writes n bytes to a fresh temporary file; returns its path (static buffer). */
static const char *temp_file(const void *bytes, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/junheng-test-read-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, bytes, n), (ssize_t)n);
    close(fd);
    return path;
}

Test(file_read, whole_file_nul_terminated)
{
    const char *path = temp_file("a\0b\nc", 5);
    char *buf = NULL;
    size_t len = 0;
    mode_t mode = 0;
    cr_assert_eq(file_read_all(path, 0, FILE_READ_REGULAR, &buf, &len, &mode), 0);
    cr_assert_eq(len, 5);
    cr_assert_eq(memcmp(buf, "a\0b\nc", 5), 0);
    cr_assert_eq(buf[5], '\0');
    cr_assert(S_ISREG(mode));
    free(buf);
    unlink(path);
}

Test(file_read, large_file_grows_the_buffer)
{
    size_t n = 100000;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    const char *path = temp_file(big, n);
    char *buf = NULL;
    size_t len = 0;
    cr_assert_eq(file_read_all(path, 0, 0, &buf, &len, NULL), 0);
    cr_assert_eq(len, n);
    cr_assert_eq(memcmp(buf, big, n), 0);
    cr_assert_eq(buf[n], '\0');
    free(buf);
    cr_assert_eq(file_read_all(path, n, 0, &buf, &len, NULL), 0, "exactly max_len is allowed");
    free(buf);
    buf = NULL;
    cr_assert_eq(file_read_all(path, n - 1, 0, &buf, &len, NULL), -1);
    cr_assert_eq(errno, EFBIG);
    cr_assert_null(buf);
    free(big);
    unlink(path);
}

Test(file_read, empty_missing_and_not_regular)
{
    const char *path = temp_file("", 0);
    char *buf = NULL;
    size_t len = 7;
    cr_assert_eq(file_read_all(path, 0, 0, &buf, &len, NULL), 0);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(buf, "");
    free(buf);
    unlink(path);
    buf = NULL;
    cr_assert_eq(file_read_all("/nonexistent/junheng", 0, 0, &buf, &len, NULL), -1);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(file_read_all("/tmp", 0, FILE_READ_REGULAR, &buf, &len, NULL), -1);
    cr_assert_eq(errno, EINVAL);
    cr_assert_null(buf);
}
