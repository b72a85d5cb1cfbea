/* keys.c -- CurveZMQ key files (ZPL text, czmq zcert compatible). See keys.h. */
#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
