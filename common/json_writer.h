/* json_writer.h -- compact JSON text written straight into a growing buffer,
 * with no intermediate tree: the county status is published for every change
 * and has to be cheap (docs/benchmarks.md).  The text is byte for byte what
 * jansson's json_dumps(JSON_COMPACT) writes for the same values in the same
 * order (strings escaped alike, UTF-8 kept), except reals, which are written
 * in the shortest text that reads back to the same double (real_format.h).
 *
 *     json_writer w;
 *     json_writer_init(&w);
 *     json_writer_object_begin(&w);
 *     json_writer_key(&w, "seq");  json_writer_int(&w, 17);
 *     json_writer_object_end(&w);
 *     char *text = json_writer_take(&w);   // {"seq":17}, or NULL when out of memory
 *
 * The writer does not check the document's shape (a key in an array, a
 * missing end): the caller writes what it means.  The first allocation
 * failure sticks; json_writer_take() then returns NULL.  Pure: no I/O. */
#ifndef JUNHENG_JSON_WRITER_H
#define JUNHENG_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_WRITER_MAX_DEPTH 32

typedef struct {
    char *buf;
    size_t len, cap;
    bool oom;
    int depth;
    bool after_key;                              /* the next value follows a key: no comma */
    bool has_items[JSON_WRITER_MAX_DEPTH + 1];   /* per open container: something written */
} json_writer;

/* An empty writer (no allocation yet). */
void json_writer_init(json_writer *self);

/* Makes room for about `bytes` of text up front (a size hint: the buffer
 * still grows as needed). Returns 0, or -1 when out of memory (sticky). */
int json_writer_reserve(json_writer *self, size_t bytes);

/* The text written so far, NUL-terminated; ownership passes to the caller
 * (free()), the writer is empty again. NULL when an allocation failed (the
 * writer is then empty too). */
char *json_writer_take(json_writer *self);

/* Frees the buffer and empties the writer (after an error, or to drop a
 * document). */
void json_writer_release(json_writer *self);

/* The text so far (not NUL-terminated while writing) and its length. */
const char *json_writer_text(const json_writer *self, size_t *len);

void json_writer_object_begin(json_writer *self);
void json_writer_object_end(json_writer *self);
void json_writer_array_begin(json_writer *self);
void json_writer_array_end(json_writer *self);

/* An object key (escaped as a string); the next value is its value. */
void json_writer_key(json_writer *self, const char *key);

/* A string: UTF-8 as is; text that is not valid UTF-8 (a name cut
 * mid-character by a fixed-size field) has each byte >= 0x80 written as '?'.
 * NULL writes null. */
void json_writer_string(json_writer *self, const char *s);
void json_writer_int(json_writer *self, int64_t v);
/* A real in its shortest round-trip text; NaN and ±inf write null. */
void json_writer_real(json_writer *self, double x);
void json_writer_bool(json_writer *self, bool v);
void json_writer_null(json_writer *self);
/* A value already rendered as JSON text (copied as is). */
void json_writer_raw(json_writer *self, const char *json, size_t len);

/* A key and its value in one call: an integer, a string (NULL: null), a
 * string that is null when NULL or "" (text), a boolean. */
void json_writer_kv_int(json_writer *self, const char *key, int64_t v);
void json_writer_kv_str(json_writer *self, const char *key, const char *s);
void json_writer_kv_text(json_writer *self, const char *key, const char *s);
void json_writer_kv_bool(json_writer *self, const char *key, bool v);

/* Whether s (NUL-terminated) is valid UTF-8 as jansson checks it: no overlong
 * forms, no surrogates, nothing above U+10FFFF. */
bool json_writer_utf8_valid(const char *s);

#endif
