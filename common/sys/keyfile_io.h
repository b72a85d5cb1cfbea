/* keyfile_io.h -- reading and writing CurveZMQ key files on disk (the text
 * form is common/keys.h: keyfile_parse, keyfile_render). System room
 * (common/sys, library junheng_sys). */
#ifndef JUNHENG_KEYFILE_IO_H
#define JUNHENG_KEYFILE_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

/* Reads a key file. With need_secret the file must hold a secret key and be
 * private to its owner (no group/other permission bits), as ssh insists.
 * Returns 0, or -1 with "PATH: reason" in err. */
int keyfile_read(const char *path, bool need_secret, keypair *out, char *err, size_t errlen);

/* Writes BASE.key (mode 0644) and BASE.key_secret (mode 0600), each created
 * anew (an existing file is never overwritten) and fsynced, stamped with the
 * current UTC time. Returns 0, or -1 with the reason in err (neither file is
 * left behind on failure). */
int keyfile_write_pair(const char *base, const keypair *kp, char *err, size_t errlen);

#endif
