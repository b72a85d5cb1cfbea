/* keyfile_io.c -- key files on disk: read (with the owner-only check for
 * secret keys) and written anew. See keyfile_io.h. */
#include "keyfile_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_read.h"

int keyfile_read(const char *path, bool need_secret, keypair *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *buf = NULL;
    size_t len = 0;
    mode_t mode = 0;
    if (file_read_all(path, KEY_FILE_MAX, FILE_READ_REGULAR, &buf, &len, &mode) != 0) {
        if (errno == EINVAL)
            snprintf(err, errlen, "%s: not a regular file", path);
        else if (errno == EFBIG)
            snprintf(err, errlen, "%s: not a key file (more than %d bytes; a key file is a few hundred)", path,
                     KEY_FILE_MAX);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (need_secret && (mode & 077)) {
        snprintf(err, errlen, "%s: a secret key file must be private (mode %04o); run: chmod 600 %s", path,
                 (unsigned)(mode & 07777), path);
        key_wipe(buf, len);
        free(buf);
        return -1;
    }
    char inner[256];
    int rc = keyfile_parse(buf, len, out, inner, sizeof inner);
    key_wipe(buf, len);
    free(buf);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", path, inner);
        return -1;
    }
    if (need_secret && !out->secret_key[0]) {
        snprintf(err, errlen, "%s: holds no secret-key (give the .key_secret file, not the public .key)", path);
        key_wipe(out, sizeof *out);
        return -1;
    }
    return 0;
}

/* Creates path (never overwriting), writes text, fsyncs. Returns 0 or -1
 * with err. */
static int write_new_file(const char *path, const char *text, mode_t mode, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, errno == EEXIST ? "already exists (not overwritten)" : strerror(errno));
        return -1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n <= 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        off += (size_t)n;
    }
    /* umask may have widened nothing, but make the mode exact. */
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int keyfile_write_pair(const char *base, const keypair *kp, char *err, size_t errlen)
{
    char pub_path[4096], sec_path[4096];
    if (snprintf(pub_path, sizeof pub_path, "%s.key", base) >= (int)sizeof pub_path ||
        snprintf(sec_path, sizeof sec_path, "%s.key_secret", base) >= (int)sizeof sec_path) {
        snprintf(err, errlen, "%s: path too long", base);
        return -1;
    }
    char created[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char *pub = keyfile_render(kp, false, created);
    char *sec = keyfile_render(kp, true, created);
    int rc = -1;
    if (!pub || !sec)
        snprintf(err, errlen, "out of memory");
    else if (write_new_file(sec_path, sec, 0600, err, errlen) == 0) {
        if (write_new_file(pub_path, pub, 0644, err, errlen) == 0)
            rc = 0;
        else
            unlink(sec_path);
    }
    free(pub);
    if (sec) {
        key_wipe(sec, strlen(sec));
        free(sec);
    }
    return rc;
}
