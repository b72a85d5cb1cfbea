/* spool.c -- the client's durable spool of unanswered submissions. See
 * spool.h. */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "wire.h"

#define SPOOL_MAGIC "junheng-spool 1\n"
#define SPOOL_SUFFIX ".jhs"
#define SPOOL_HEADER_MAX 1024

struct spool {
    char *dir;
};

int spool_default_dir(char *out, size_t size)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(out, size, "%s/junheng/spool", xdg);
    else if (home && home[0])
        n = snprintf(out, size, "%s/.local/share/junheng/spool", home);
    else
        return -1;
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int spool_new(const char *dir, spool **out, char *err, size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (make_dirs(dir) != 0 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "spool %s: %s", dir, errno ? strerror(errno) : "not a directory");
        return -1;
    }
    spool *self = calloc(1, sizeof *self);
    if (self)
        self->dir = strdup(dir);
    if (!self || !self->dir) {
        free(self);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *out = self;
    return 0;
}

void spool_destroy(spool **p)
{
    if (!p || !*p)
        return;
    free((*p)->dir);
    free(*p);
    *p = NULL;
}

const char *spool_dir(const spool *self)
{
    return self->dir;
}

/* Writes all of buf to fd. */
static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Fsyncs a directory, so the renames into it survive a crash. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Removes the characters that would break a header line. */
static void header_clean(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int spool_put(spool *self, const spool_entry *entries, size_t n, char *err, size_t errlen)
{
    char tmp[4200], final[4200];
    for (size_t i = 0; i < n; i++) {
        const spool_entry *e = &entries[i];
        if (!wire_uuid_valid(e->submission_id)) {
            snprintf(err, errlen, "spool: '%s' is not a submission id", e->submission_id);
            return -1;
        }
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp", self->dir, e->submission_id);
        snprintf(final, sizeof final, "%s/%s" SPOOL_SUFFIX, self->dir, e->submission_id);
        char header[SPOOL_HEADER_MAX], origin[sizeof e->origin], school[sizeof e->school_code];
        snprintf(origin, sizeof origin, "%s", e->origin);
        snprintf(school, sizeof school, "%s", e->school_code);
        header_clean(origin);
        header_clean(school);
        int hl = snprintf(header, sizeof header, SPOOL_MAGIC "school %s\norigin %s\n\n", school, origin);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || hl < 0 || (size_t)hl >= sizeof header || write_all(fd, header, (size_t)hl) != 0 ||
            write_all(fd, e->msg, e->len) != 0 || fsync(fd) != 0) {
            snprintf(err, errlen, "spool %s: %s", tmp, strerror(errno));
            if (fd >= 0)
                close(fd);
            unlink(tmp);
            return -1;
        }
        close(fd);
        if (rename(tmp, final) != 0) {
            snprintf(err, errlen, "spool %s: %s", final, strerror(errno));
            unlink(tmp);
            return -1;
        }
    }
    if (n > 0 && sync_dir(self->dir) != 0) {
        snprintf(err, errlen, "spool %s: fsync: %s", self->dir, strerror(errno));
        return -1;
    }
    return 0;
}

int spool_remove(spool *self, const char *submission_id)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s" SPOOL_SUFFIX, self->dir, submission_id);
    /* No fsync: should the removal be lost in a crash, the submission is
     * sent again and answered "duplicate". */
    if (unlink(path) != 0 && errno != ENOENT)
        return -1;
    return 0;
}

/* Reads one spool file into e. Returns 0, or -1 with a reason in why. */
static int spool_read_one(const char *path, const char *id, spool_entry *e, char *why, size_t whylen)
{
    memset(e, 0, sizeof *e);
    char *text = NULL;
    size_t len = 0;
    if (file_read_all(path, 4 * WIRE_MAX_MESSAGE, 0, &text, &len, NULL) != 0) {
        if (errno == EFBIG || errno == ENOMEM)
            snprintf(why, whylen, "unreadable (too large or out of memory)");
        else
            snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    uint8_t *buf = (uint8_t *)text;
    const char *magic = SPOOL_MAGIC;
    size_t ml = strlen(magic);
    uint8_t *sep = NULL;
    for (size_t i = 0; i + 1 < len && i < SPOOL_HEADER_MAX; i++)
        if (buf[i] == '\n' && buf[i + 1] == '\n') {
            sep = buf + i;
            break;
        }
    if (len < ml || memcmp(buf, magic, ml) != 0 || !sep) {
        snprintf(why, whylen, "not a junheng spool file");
        free(buf);
        return -1;
    }
    *sep = '\0';
    char *save = NULL;
    for (char *line = strtok_r((char *)buf + ml, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "school ", 7) == 0)
            snprintf(e->school_code, sizeof e->school_code, "%s", line + 7);
        else if (strncmp(line, "origin ", 7) == 0)
            snprintf(e->origin, sizeof e->origin, "%s", line + 7);
    }
    size_t off = (size_t)(sep - buf) + 2;
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len - off, buf + off);
    /* A school submission, or a county's inputs revision (junheng county submit). */
    const char *sid = !env ? NULL
                      : env->body_case == JUNHENG__ENVELOPE__BODY_SUBMISSION    ? env->submission->submission_id
                      : env->body_case == JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS ? env->county_inputs->submission_id
                                                                                : NULL;
    int ok = sid && strcmp(sid, id) == 0;
    if (env)
        junheng__envelope__free_unpacked(env, NULL);
    if (!ok) {
        snprintf(why, whylen, "its message is not the submission %s", id);
        free(buf);
        return -1;
    }
    e->len = len - off;
    e->msg = malloc(e->len ? e->len : 1);
    if (!e->msg) {
        snprintf(why, whylen, "out of memory");
        free(buf);
        return -1;
    }
    memcpy(e->msg, buf + off, e->len);
    snprintf(e->submission_id, sizeof e->submission_id, "%s", id);
    free(buf);
    return 0;
}

typedef struct {
    char id[SUBMISSION_ID_LEN + 1];
    struct timespec mtime;
} spool_name;

/* qsort order of spool files: oldest first, then by id. */
static int by_mtime(const void *a, const void *b)
{
    const spool_name *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->id, y->id);
}

int spool_list(spool *self, spool_entry **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(self->dir);
    if (!d) {
        snprintf(err, errlen, "spool %s: %s", self->dir, strerror(errno));
        return -1;
    }
    spool_name *names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    char path[4200];
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name), sl = strlen(SPOOL_SUFFIX);
        if (l != SUBMISSION_ID_LEN + sl || strcmp(de->d_name + SUBMISSION_ID_LEN, SPOOL_SUFFIX) != 0)
            continue;
        if (count == cap) {
            size_t nc = cap ? cap * 2 : 64;
            spool_name *nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = nc;
        }
        memcpy(names[count].id, de->d_name, SUBMISSION_ID_LEN);
        names[count].id[SUBMISSION_ID_LEN] = '\0';
        snprintf(path, sizeof path, "%s/%s", self->dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue; /* removed meanwhile (answered by another junheng) */
        names[count].mtime = st.st_mtim;
        if (wire_uuid_valid(names[count].id))
            count++;
    }
    closedir(d);
    spool_entry *entries = count ? calloc(count, sizeof *entries) : NULL;
    if (rc != 0 || (count && !entries)) {
        free(names);
        free(entries);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (count > 1)
        qsort(names, count, sizeof *names, by_mtime); /* qsort(NULL, 0) is undefined */
    size_t got = 0;
    for (size_t i = 0; i < count; i++) {
        char why[256];
        snprintf(path, sizeof path, "%s/%s" SPOOL_SUFFIX, self->dir, names[i].id);
        if (spool_read_one(path, names[i].id, &entries[got], why, sizeof why) == 0)
            got++;
        else if (access(path, F_OK) == 0)
            fprintf(stderr, "junheng: spool file %s left in place: %s\n", path, why);
    }
    free(names);
    *out = entries;
    *n = got;
    return 0;
}

void spool_entries_free(spool_entry *entries, size_t n)
{
    for (size_t i = 0; entries && i < n; i++)
        free(entries[i].msg);
    free(entries);
}
