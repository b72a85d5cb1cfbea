/* json_writer.c -- compact JSON text without a tree. See json_writer.h. */
#include "json_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_format.h"

void json_writer_init(json_writer *self)
{
    memset(self, 0, sizeof *self);
}

void json_writer_release(json_writer *self)
{
    free(self->buf);
    json_writer_init(self);
}

char *json_writer_take(json_writer *self)
{
    char *text = NULL;
    if (!self->oom && self->buf) {
        self->buf[self->len] = '\0';
        text = self->buf;
        self->buf = NULL;
    }
    json_writer_release(self);
    return text;
}

const char *json_writer_text(const json_writer *self, size_t *len)
{
    *len = self->len;
    return self->buf ? self->buf : "";
}

/* Makes room for n more bytes and the final NUL; false (sticky) when out of memory. */
static bool reserve(json_writer *self, size_t n)
{
    if (self->oom)
        return false;
    if (self->len + n + 1 <= self->cap)
        return true;
    size_t cap = self->cap ? self->cap : 4096;
    while (self->len + n + 1 > cap) {
        if (cap > SIZE_MAX / 2) {
            self->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *b = realloc(self->buf, cap);
    if (!b) {
        self->oom = true;
        return false;
    }
    self->buf = b;
    self->cap = cap;
    return true;
}

int json_writer_reserve(json_writer *self, size_t bytes)
{
    return reserve(self, bytes) ? 0 : -1;
}

/* Appends n bytes (the common case inline, growth in reserve()). */
static inline void put(json_writer *self, const char *s, size_t n)
{
    if (self->len + n < self->cap || reserve(self, n)) {
        memcpy(self->buf + self->len, s, n);
        self->len += n;
    }
}

/* Starts a value: the comma that separates it from the one before. */
static void value_begin(json_writer *self)
{
    if (self->after_key) {
        self->after_key = false;
        return;
    }
    if (self->has_items[self->depth])
        put(self, ",", 1);
    self->has_items[self->depth] = true;
}

/* Opens a container. */
static void open_container(json_writer *self, char c)
{
    value_begin(self);
    put(self, &c, 1);
    if (self->depth < JSON_WRITER_MAX_DEPTH)
        self->depth++;
    else
        self->oom = true; /* deeper than any document here: refuse rather than miswrite */
    self->has_items[self->depth] = false;
}

/* Closes a container. */
static void close_(json_writer *self, char c)
{
    put(self, &c, 1);
    if (self->depth > 0)
        self->depth--;
}

void json_writer_object_begin(json_writer *self)
{
    open_container(self, '{');
}

void json_writer_object_end(json_writer *self)
{
    close_(self, '}');
}

void json_writer_array_begin(json_writer *self)
{
    open_container(self, '[');
}

void json_writer_array_end(json_writer *self)
{
    close_(self, ']');
}

/* The length of the UTF-8 sequence at s (1-4), or 0 when it is not valid:
 * the checks of jansson's utf8.c (no overlong forms, no surrogates, at most
 * U+10FFFF). */
static int utf8_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    int n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0; /* overlong */
    if (c == 0xED && s[1] >= 0xA0)
        return 0; /* surrogate */
    if (c == 0xF0 && s[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && s[1] >= 0x90)
        return 0; /* above U+10FFFF */
    return n;
}

bool json_writer_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_sequence(p);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

/* Writes s as a quoted, escaped JSON string (jansson's escapes: \" \\ \b \f
 * \n \r \t, other control characters as \u00XX). */
static void put_string(json_writer *self, const char *s)
{
    int valid = -1; /* UTF-8 validity, checked once at the first byte >= 0x80 */
    put(self, "\"", 1);
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            continue;
        if (c >= 0x80) {
            if (valid < 0)
                valid = json_writer_utf8_valid(s);
            if (valid)
                continue;
        }
        put(self, run, (size_t)(p - run));
        run = p + 1;
        if (c == 0)
            break;
        char esc[8];
        const char *t = esc;
        size_t n = 2;
        switch (c) {
        case '"': t = "\\\""; break;
        case '\\': t = "\\\\"; break;
        case '\b': t = "\\b"; break;
        case '\f': t = "\\f"; break;
        case '\n': t = "\\n"; break;
        case '\r': t = "\\r"; break;
        case '\t': t = "\\t"; break;
        default:
            if (c >= 0x80) {
                t = "?";
                n = 1;
            } else {
                snprintf(esc, sizeof esc, "\\u%04X", c);
                n = 6;
            }
        }
        put(self, t, n);
    }
    put(self, "\"", 1);
}

void json_writer_key(json_writer *self, const char *key)
{
    value_begin(self);
    put_string(self, key);
    put(self, ":", 1);
    self->after_key = true;
}

void json_writer_string(json_writer *self, const char *s)
{
    if (!s) {
        json_writer_null(self);
        return;
    }
    value_begin(self);
    put_string(self, s);
}

void json_writer_int(json_writer *self, int64_t v)
{
    char num[24];
    char *end = num + sizeof num, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    value_begin(self);
    put(self, p, (size_t)(end - p));
}

void json_writer_real(json_writer *self, double x)
{
    char num[REAL_FORMAT_MAX];
    size_t n = real_format_shortest(x, num);
    value_begin(self);
    put(self, num, n);
}

void json_writer_bool(json_writer *self, bool v)
{
    value_begin(self);
    put(self, v ? "true" : "false", v ? 4 : 5);
}

void json_writer_null(json_writer *self)
{
    value_begin(self);
    put(self, "null", 4);
}

void json_writer_raw(json_writer *self, const char *json, size_t len)
{
    value_begin(self);
    put(self, json, len);
}

/* See json_writer.h. */
void json_writer_kv_int(json_writer *self, const char *key, int64_t v)
{
    json_writer_key(self, key);
    json_writer_int(self, v);
}

void json_writer_kv_str(json_writer *self, const char *key, const char *s)
{
    json_writer_key(self, key);
    json_writer_string(self, s);
}

void json_writer_kv_text(json_writer *self, const char *key, const char *s)
{
    json_writer_kv_str(self, key, s && s[0] ? s : NULL);
}

void json_writer_kv_bool(json_writer *self, const char *key, bool v)
{
    json_writer_key(self, key);
    json_writer_bool(self, v);
}
