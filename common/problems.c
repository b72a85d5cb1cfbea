/* problems.c -- {field, reason} problem lists. See problems.h. */
#include "problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Replaces every byte that is not part of a valid UTF-8 sequence with '?', in
 * place, so that problems built from hostile input are always printable and
 * storable as JSON. */
static void utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >= 0xC2 && *p <= 0xDF) ? 2 : (*p & 0xF0) == 0xE0 ? 3
              : (*p >= 0xF0 && *p <= 0xF4) ? 4 : 0;
        int ok = n > 0;
        for (int i = 1; ok && i < n; i++)
            ok = (p[i] & 0xC0) == 0x80;
        /* Overlong forms, UTF-16 surrogates and code points above U+10FFFF
         * are invalid too (RFC 3629); jansson and PostgreSQL refuse them. */
        if (ok && n == 3)
            ok = !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
        if (ok && n == 4)
            ok = !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
        if (!ok) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

int problem_list_add(problem_list *self, const char *field, const char *fmt, ...)
{
    if (self->count == self->capacity) {
        size_t cap = self->capacity ? self->capacity * 2 : 8;
        problem *p = realloc(self->items, cap * sizeof *p);
        if (!p) {
            self->oom = 1;
            return -1;
        }
        self->items = p;
        self->capacity = cap;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *f = strdup(field ? field : "");
    char *r = strdup(buf);
    if (!f || !r) {
        free(f);
        free(r);
        self->oom = 1;
        return -1;
    }
    utf8_sanitize(f);
    utf8_sanitize(r);
    self->items[self->count].field = f;
    self->items[self->count].reason = r;
    self->count++;
    return 0;
}

int problem_list_has_field(const problem_list *self, const char *field)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp(self->items[i].field, field) == 0)
            return 1;
    return 0;
}

void problem_list_clear(problem_list *self)
{
    for (size_t i = 0; i < self->count; i++) {
        free(self->items[i].field);
        free(self->items[i].reason);
    }
    free(self->items);
    memset(self, 0, sizeof *self);
}

void problem_list_format(const problem_list *self, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < self->count && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s%s%s", i ? "; " : "", self->items[i].field,
                         self->items[i].field[0] ? ": " : "", self->items[i].reason);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

char *problem_list_to_json(const problem_list *self)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    for (size_t i = 0; i < self->count; i++) {
        json_t *o = json_pack("{s:s, s:s}", "field", self->items[i].field, "reason", self->items[i].reason);
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}
