/* kv_text.c -- `key value` lines with comments and quoted values. See
 * kv_text.h. */
#include "kv_text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

static int fail(char *err, size_t errlen, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Writes the formatted reason into err (if any) and returns code. */
static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Whether c is a blank (space, tab, CR). */
static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line (NUL-terminated, modified in place) into key and value.
 * Returns 1 with *key and *value set, 0 for a blank or comment line, or
 * KV_ESYNTAX with the reason in err. */
static int split_line(char *line, char **key, char **value, char *err, size_t errlen)
{
    char *p = line;
    while (blank(*p))
        p++;
    if (*p == '\0' || *p == '#')
        return 0;
    *key = p;
    while (*p && !blank(*p) && *p != '#')
        p++;
    char *key_end = p;
    while (blank(*p))
        p++;
    if (*p == '"') {
        char *close = strchr(p + 1, '"');
        if (!close)
            return fail(err, errlen, KV_ESYNTAX, "key %.*s: unterminated quoted value", (int)(key_end - *key), *key);
        char *after = close + 1;
        while (blank(*after))
            after++;
        if (*after && *after != '#')
            return fail(err, errlen, KV_ESYNTAX, "key %.*s: text after the closing quote", (int)(key_end - *key),
                        *key);
        *close = '\0';
        *value = p + 1;
    } else {
        char *hash = strchr(p, '#');
        if (hash)
            *hash = '\0';
        char *end = p + strlen(p);
        while (end > p && blank(end[-1]))
            *--end = '\0';
        *value = p;
    }
    *key_end = '\0';
    return 1;
}

/* Appends an entry to self, growing items. Returns 0 or -1 (OOM). */
static int list_add(kv_list *self, size_t *cap, size_t line, const char *key, const char *value)
{
    if (self->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        kv_entry *items = realloc(self->items, nc * sizeof *items);
        if (!items)
            return -1;
        self->items = items;
        *cap = nc;
    }
    self->items[self->n++] = (kv_entry){ line, key, value };
    return 0;
}

/* Reads the lines of self->buf into self->items; seen maps key -> line. */
static int read_lines(kv_list *self, hashmap *seen, char *err, size_t errlen, size_t *err_line)
{
    size_t cap = 0, lineno = 0;
    for (char *p = self->buf; *p;) {
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        char *next = eol ? eol + 1 : p + strlen(p);
        lineno++;
        *err_line = lineno;
        char *key = NULL, *value = NULL;
        int rc = split_line(p, &key, &value, err, errlen);
        p = next;
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        size_t first = (size_t)(uintptr_t)hashmap_get(seen, key);
        if (first)
            return fail(err, errlen, KV_EREPEAT, "key %s given twice (first on line %zu)", key, first);
        if (hashmap_put(seen, key, (void *)(uintptr_t)lineno) != 0 || list_add(self, &cap, lineno, key, value) != 0)
            return fail(err, errlen, KV_ENOMEM, "out of memory");
    }
    return KV_OK;
}

int kv_text_parse(const char *text, kv_list *out, char *err, size_t errlen, size_t *err_line)
{
    memset(out, 0, sizeof *out);
    size_t line = 0;
    if (!err_line)
        err_line = &line;
    *err_line = 0;
    out->buf = strdup(text ? text : "");
    hashmap *seen = hashmap_new(NULL);
    int rc = out->buf && seen ? read_lines(out, seen, err, errlen, err_line)
                              : fail(err, errlen, KV_ENOMEM, "out of memory");
    hashmap_destroy(&seen);
    if (rc == KV_OK && err && errlen)
        err[0] = '\0';
    return rc;
}

void kv_list_free(kv_list *self)
{
    free(self->items);
    free(self->buf);
    memset(self, 0, sizeof *self);
}
