/* file_read.c -- whole-file reads. See file_read.h. */
#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads fd to its end into a malloc'd NUL-terminated buffer (at most max_len
 * bytes, 0: no limit). Returns the buffer (caller frees) with *len, or NULL
 * with errno set. */
static char *read_to_end(int fd, size_t max_len, size_t *len)
{
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (max_len && n > max_len) {
            free(buf);
            errno = EFBIG;
            return NULL;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int file_read_all(const char *path, size_t max_len, unsigned flags, char **out, size_t *len, mode_t *mode)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | ((flags & FILE_READ_REGULAR) ? O_NONBLOCK : 0));
    if (fd < 0)
        return -1;
    if (mode || (flags & FILE_READ_REGULAR)) {
        struct stat st;
        int e = fstat(fd, &st) != 0 ? errno : (flags & FILE_READ_REGULAR) && !S_ISREG(st.st_mode) ? EINVAL : 0;
        if (e) {
            close(fd);
            errno = e;
            return -1;
        }
        if (mode)
            *mode = st.st_mode;
    }
    size_t n = 0;
    char *buf = read_to_end(fd, max_len, &n);
    int e = errno;
    close(fd);
    if (!buf) {
        errno = e;
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}
