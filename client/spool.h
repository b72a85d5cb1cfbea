/* spool.h -- the client's on-disk spool: every submission is written here
 * (and fsynced) before it is sent, and removed only once the daemon has
 * answered it for good (accepted, duplicate or refused). A submission whose
 * answer never came stays, with its id, and `junheng submit --flush` sends it
 * again: the daemon stores a submission id once, so sending twice is safe and
 * forgetting is not. A county's inputs revision (junheng county submit) is
 * spooled the same way, its county code in the "school" header line.
 *
 * Layout: one file per submission, DIR/<submission_id>.jhs, written as
 * DIR/.<id>.tmp, fsynced, renamed, then DIR fsynced. A file is a few text
 * header lines, an empty line, and the Envelope exactly as sent:
 *
 *     junheng-spool 1
 *     school 3714250001
 *     origin submissions-2025.csv:17
 *
 *     <Envelope bytes>
 *
 * Ownership: a spool owns its directory path; entries returned by
 * spool_list are owned by the caller (spool_entries_free). */
#ifndef JUNHENG_SPOOL_H
#define JUNHENG_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "submission.h"

typedef struct spool spool;

/* One spooled submission. */
typedef struct {
    char submission_id[SUBMISSION_ID_LEN + 1];
    char school_code[SCHOOL_CODE_LEN + 1];
    char origin[512];       /* "FILE:LINE" where the row came from */
    uint8_t *msg;           /* the packed Envelope (owned) */
    size_t len;
} spool_entry;

/* The default spool directory: $XDG_DATA_HOME/junheng/spool, else
 * ~/.local/share/junheng/spool. Returns 0, or -1 when neither is known. */
int spool_default_dir(char *out, size_t size);

/* Opens (creating, mode 0700, with its parents) the spool directory.
 * Returns 0 and *out, or -1 with err. */
int spool_new(const char *dir, spool **out, char *err, size_t errlen);
/* Frees the spool handle (not the files); nulls *p. */
void spool_destroy(spool **p);
/* The directory. */
const char *spool_dir(const spool *self);

/* Writes entries durably (each file fsynced, renamed into place, directory
 * fsynced) before the caller sends any of them. Returns 0, or -1 with err
 * (entries already written stay: they are sent by the next --flush). */
int spool_put(spool *self, const spool_entry *entries, size_t n, char *err, size_t errlen);

/* Removes the entry of a submission that was answered for good. Returns 0
 * (also when it was already gone), -1 on another error. */
int spool_remove(spool *self, const char *submission_id);

/* Reads every pending entry, oldest first. Files that cannot be read are
 * reported on stderr and left in place. Returns 0 with *out (caller frees
 * with spool_entries_free) and *n, or -1 with err. */
int spool_list(spool *self, spool_entry **out, size_t *n, char *err, size_t errlen);

/* Frees the messages of n entries and the array. */
void spool_entries_free(spool_entry *entries, size_t n);

#endif
