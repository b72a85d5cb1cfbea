/* file_read.h -- the one whole-file reader: a file into a malloc'd,
 * NUL-terminated buffer with its length. Part of the system room
 * (common/sys, library junheng_sys): the only place a whole file is read. */
#ifndef JUNHENG_FILE_READ_H
#define JUNHENG_FILE_READ_H

#include <stddef.h>
#include <sys/types.h>

/* flags of file_read_all */
#define FILE_READ_REGULAR 1u   /* refuse anything but a regular file (no FIFO that could block) */

/* Reads the whole file at path (at most max_len bytes; 0: no limit) into
 * *out (caller frees; NUL-terminated, the terminator not counted in *len).
 * When mode is not NULL it receives the file's st_mode (from the same open
 * file). Returns 0, or -1 with errno set (EFBIG: longer than max_len;
 * EINVAL: not a regular file, with FILE_READ_REGULAR; ENOMEM; or the
 * open/read error), *out untouched. */
int file_read_all(const char *path, size_t max_len, unsigned flags, char **out, size_t *len, mode_t *mode);

#endif
