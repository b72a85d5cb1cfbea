/* web_skim.c -- a county status without the parts a row never reads (see
 * web_skim.h): a recursive copy of the JSON text that leaves out the
 * members named in a list, at any depth. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "web_skim.h"

#define SKIM_MAX_DEPTH 64

typedef struct {
    const char *p;
    char *out;          /* NULL while skipping a value */
    size_t len;
    const char *const *drop;
} skim;

/* Emits n bytes from s (nothing while skipping). */
static void emit(skim *k, const char *s, size_t n)
{
    if (k->out) {
        memcpy(k->out + k->len, s, n);
        k->len += n;
    }
}

static void skip_space(skim *k)
{
    while (*k->p == ' ' || *k->p == '\n' || *k->p == '\r' || *k->p == '\t')
        k->p++;
}

/* The string at k->p, quotes included: its length, or 0 when unterminated. */
static size_t string_span(const char *p)
{
    size_t i = 1;
    for (; p[i] && p[i] != '"'; i++)
        if (p[i] == '\\' && p[i + 1])
            i++;
    return p[i] == '"' ? i + 1 : 0;
}

/* Whether the key (quotes included, n bytes) is one to drop. */
static bool dropped(const skim *k, const char *key, size_t n)
{
    for (const char *const *d = k->drop; *d; d++)
        if (strlen(*d) == n - 2 && memcmp(*d, key + 1, n - 2) == 0)
            return true;
    return false;
}

static bool value(skim *k, int depth);

/* An object's members, the dropped ones left out. */
static bool object(skim *k, int depth)
{
    emit(k, "{", 1);
    k->p++;
    bool first = true;
    for (;;) {
        skip_space(k);
        if (*k->p == '}')
            break;
        size_t n = *k->p == '"' ? string_span(k->p) : 0;
        if (!n)
            return false;
        const char *key = k->p;
        k->p += n;
        skip_space(k);
        if (*k->p++ != ':')
            return false;
        skip_space(k);
        char *out = k->out;
        bool keep = !dropped(k, key, n);
        if (keep) {
            if (!first)
                emit(k, ",", 1);
            emit(k, key, n);
            emit(k, ":", 1);
            first = false;
        } else
            k->out = NULL;
        bool ok = value(k, depth + 1);
        k->out = out;
        if (!ok)
            return false;
        skip_space(k);
        if (*k->p == ',')
            k->p++;
        else if (*k->p != '}')
            return false;
    }
    emit(k, "}", 1);
    k->p++;
    return true;
}

/* An array's values. */
static bool array(skim *k, int depth)
{
    emit(k, "[", 1);
    k->p++;
    for (bool first = true;; first = false) {
        skip_space(k);
        if (*k->p == ']')
            break;
        if (!first)
            emit(k, ",", 1);
        if (!value(k, depth + 1))
            return false;
        skip_space(k);
        if (*k->p == ',')
            k->p++;
        else if (*k->p != ']')
            return false;
    }
    emit(k, "]", 1);
    k->p++;
    return true;
}

/* One value at k->p, copied (or skipped); false when the text is not JSON
 * as far as this reader can tell, or nested too deep. */
static bool value(skim *k, int depth)
{
    if (depth > SKIM_MAX_DEPTH)
        return false;
    if (*k->p == '{')
        return object(k, depth);
    if (*k->p == '[')
        return array(k, depth);
    size_t n = *k->p == '"' ? string_span(k->p) : strcspn(k->p, ",]} \n\r\t");
    if (!n)
        return false;
    emit(k, k->p, n);
    k->p += n;
    return true;
}

char *web_skim_json(const char *text, const char *const *drop)
{
    skim k = { .p = text, .out = malloc(strlen(text) + 1), .drop = drop };
    if (!k.out)
        return NULL;
    skip_space(&k);
    if (!value(&k, 0)) {
        free(k.out);
        return NULL;
    }
    skip_space(&k);
    if (*k.p) {
        free(k.out);
        return NULL;
    }
    k.out[k.len] = '\0';
    return k.out;
}

char *web_skim_status(const char *status_json, void *arg)
{
    (void)arg;
    /* what a row (watch_row_from_status, web_row_json) never reads: each
     * item's facts and inputs, the per-school sections, the guarantee items
     * -- half of a county's status */
    static const char *const drop[] = { "facts", "inputs", "sections", "guarantee", NULL };
    return web_skim_json(status_json, drop);
}
