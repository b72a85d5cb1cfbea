/* keys.h -- CurveZMQ key files: reading, writing and checking the text form
 * of junheng's public and secret keys. No sockets and no cryptography here
 * (zmq_curve_keypair makes the keys; this file only stores them).
 *
 * A key file is ZPL text, the format of czmq's zcert (so czmq tools read
 * it too):
 *
 *     #   ****  junheng CURVE public key  ****
 *     metadata
 *         name = "school-3714250001"
 *         created = "2025-09-01T08:00:00Z"
 *     curve
 *         public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *
 * NAME.key holds the public key (give it to the administrator); NAME.key_secret
 * holds the same plus `secret-key = "..."` and is created with mode 0600.
 * Keys are Z85 text, 40 characters each (32 bytes). A file holding nothing
 * but a 40-character Z85 key is read as a public key too.
 *
 * Text only, no I/O: reading and writing the files is common/sys/keyfile_io.h. */
#ifndef JUNHENG_KEYS_H
#define JUNHENG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define KEY_Z85_LEN 40
#define KEY_NAME_MAX 64
#define KEY_FILE_MAX 4096   /* a key file is a few hundred bytes; more is not a key file */

/* A public key, and its secret key when known ("" otherwise). */
typedef struct {
    char public_key[KEY_Z85_LEN + 1];
    char secret_key[KEY_Z85_LEN + 1];
    char name[KEY_NAME_MAX];   /* metadata name, "" when absent */
} keypair;

/* Whether s is exactly 40 characters of the Z85 alphabet (a CURVE key). */
bool key_z85_valid(const char *s);

/* Parses the text of a key file into *out (zeroed first). Returns 0 when a
 * valid public key was found (and, if present, a valid secret key), or -1
 * with the reason in err. */
int keyfile_parse(const char *text, size_t len, keypair *out, char *err, size_t errlen);

/* Renders a key file's text (public only, or with the secret key). Returns
 * the text (caller frees; secret text should be wiped with key_wipe before
 * freeing), or NULL when out of memory. `created` is an ISO time or NULL. */
char *keyfile_render(const keypair *kp, bool with_secret, const char *created);

/* Overwrites n bytes with zeros in a way the compiler keeps. */
void key_wipe(void *p, size_t n);

#endif
