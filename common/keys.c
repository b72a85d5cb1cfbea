/* keys.c -- CurveZMQ key files (ZPL text, czmq zcert compatible). See keys.h. */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char Z85_ALPHABET[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

void key_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

bool key_z85_valid(const char *s)
{
    if (!s)
        return false;
    size_t i = 0;
    for (; s[i]; i++)
        if (i >= KEY_Z85_LEN || !strchr(Z85_ALPHABET, s[i]))
            return false;
    return i == KEY_Z85_LEN;
}

/* If line (trimmed) is `name = value` or `name = "value"`, copies the value
 * (at most size-1 bytes) into out and returns 1; else 0. */
static int zpl_value(const char *line, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (strncmp(line, name, n) != 0)
        return 0;
    const char *p = line + n;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '=')
        return 0;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *end;
    if (*p == '"' || *p == '\'') {
        char q = *p++;
        end = strchr(p, q);
        if (!end)
            return 0;
    } else {
        end = p + strcspn(p, " \t#");
    }
    size_t len = (size_t)(end - p);
    if (len >= size)
        len = size - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

int keyfile_parse(const char *text, size_t len, keypair *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len > KEY_FILE_MAX) {
        snprintf(err, errlen, "not a key file (%zu bytes; a key file is a few hundred)", len);
        return -1;
    }
    char buf[KEY_FILE_MAX + 1];
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (strlen(buf) != len) {
        snprintf(err, errlen, "not a key file (binary content)");
        key_wipe(buf, sizeof buf);
        return -1;
    }
    char value[128];
    bool saw_public = false, saw_secret = false;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '#')
            continue;
        if (zpl_value(line, "public-key", value, sizeof value)) {
            if (!key_z85_valid(value)) {
                snprintf(err, errlen, "public-key is not 40 characters of Z85");
                key_wipe(buf, sizeof buf);
                return -1;
            }
            memcpy(out->public_key, value, KEY_Z85_LEN + 1);
            saw_public = true;
        } else if (zpl_value(line, "secret-key", value, sizeof value)) {
            bool ok = key_z85_valid(value);
            if (ok)
                memcpy(out->secret_key, value, KEY_Z85_LEN + 1);
            key_wipe(value, sizeof value);
            if (!ok) {
                snprintf(err, errlen, "secret-key is not 40 characters of Z85");
                key_wipe(buf, sizeof buf);
                key_wipe(out, sizeof *out);
                return -1;
            }
            saw_secret = true;
        } else if (zpl_value(line, "name", value, sizeof value)) {
            value[sizeof out->name - 1] = '\0';
            memcpy(out->name, value, sizeof out->name);
        }
    }
    key_wipe(buf, sizeof buf);
    if (!saw_public) {
        /* A bare key: the whole file is one Z85 key (blanks around it allowed). */
        size_t a = 0, b = len;
        while (a < b && strchr(" \t\r\n", text[a]))
            a++;
        while (b > a && strchr(" \t\r\n", text[b - 1]))
            b--;
        if (b - a == KEY_Z85_LEN) {
            memcpy(value, text + a, KEY_Z85_LEN);
            value[KEY_Z85_LEN] = '\0';
            if (key_z85_valid(value)) {
                memcpy(out->public_key, value, KEY_Z85_LEN + 1);
                saw_public = true;
            }
        }
    }
    if (!saw_public) {
        snprintf(err, errlen, "no public-key in the file (not a junheng/czmq key file)");
        key_wipe(out, sizeof *out);
        return -1;
    }
    (void)saw_secret;
    return 0;
}

int keyfile_read(const char *path, bool need_secret, keypair *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (need_secret && (st.st_mode & 077)) {
        snprintf(err, errlen, "%s: a secret key file must be private (mode %04o); run: chmod 600 %s", path,
                 (unsigned)(st.st_mode & 07777), path);
        close(fd);
        return -1;
    }
    char buf[KEY_FILE_MAX + 1];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) > 0)
        len += (size_t)n;
    close(fd);
    char inner[256];
    int rc = keyfile_parse(buf, len, out, inner, sizeof inner);
    key_wipe(buf, sizeof buf);
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

char *keyfile_render(const keypair *kp, bool with_secret, const char *created)
{
    char name[KEY_NAME_MAX];
    snprintf(name, sizeof name, "%s", kp->name);
    for (char *p = name; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '_';
    size_t size = 1024;
    char *text = malloc(size);
    if (!text)
        return NULL;
    int n = snprintf(text, size,
                     "#   ****  junheng CURVE %s  ****\n"
                     "#   %s\n"
                     "#   ZPL text (czmq zcert format); keys are Z85. See docs/security.md.\n"
                     "\n"
                     "metadata\n"
                     "    name = \"%s\"\n"
                     "    created = \"%s\"\n"
                     "curve\n"
                     "    public-key = \"%s\"\n"
                     "%s%s%s",
                     with_secret ? "SECRET key: keep private" : "public key",
                     with_secret ? "Never copy or send this file. Its public half is the .key file."
                                 : "Give this file to the junheng administrator (junheng admin set-key).",
                     name, created ? created : "", kp->public_key, with_secret ? "    secret-key = \"" : "",
                     with_secret ? kp->secret_key : "", with_secret ? "\"\n" : "");
    if (n < 0 || (size_t)n >= size) {
        key_wipe(text, size);
        free(text);
        return NULL;
    }
    return text;
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
