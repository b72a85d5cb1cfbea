/* kv_text.h -- the one reader of `key value` text, used by both config files
 * (junhengd.conf through server/config.c and the rules file through
 * rules_config.c). Text in, a list of (line, key, value) out; no I/O.
 *
 * The format, for both files:
 *  - one `key value` per line; the key is the first run of non-blank
 *    characters, the value the rest of the line with blanks trimmed (it may
 *    be empty, and may hold blanks; the caller decides what it accepts);
 *  - `#` starts a comment anywhere on a line outside a quoted value: whole
 *    lines and trailing comments (`batch_max 512  # per group`) alike;
 *  - a value may be double-quoted ("" is the empty value; "a # b" keeps its
 *    `#`); the quotes are removed, there are no escapes, and only blanks or
 *    a comment may follow the closing quote;
 *  - blank lines and CR of CRLF line ends are ignored;
 *  - a key given twice is an error naming both lines. */
#ifndef JUNHENG_KV_TEXT_H
#define JUNHENG_KV_TEXT_H

#include <stddef.h>

/* Error codes of kv_text_parse (0 is success). */
enum {
    KV_OK = 0,
    KV_ESYNTAX = -1,   /* an unterminated quote, or text after a closing quote */
    KV_EREPEAT = -2,   /* a key given twice */
    KV_ENOMEM = -3
};

typedef struct {
    size_t line;         /* 1-based line number */
    const char *key;
    const char *value;   /* "" when none; quotes removed */
} kv_entry;

/* The entries of a text, in file order. items point into buf (owned). */
typedef struct {
    kv_entry *items;
    size_t n;
    char *buf;
} kv_list;

/* Reads text into *out (zeroed first; free with kv_list_free, also after a
 * failure). Returns KV_OK, or an error code with the reason in err (may be
 * NULL; without the line, e.g. "key min_met given twice (first on line 2)")
 * and its line in *err_line (may be NULL). */
int kv_text_parse(const char *text, kv_list *out, char *err, size_t errlen, size_t *err_line);

/* Frees what kv_text_parse allocated; the list is empty afterwards. */
void kv_list_free(kv_list *self);

#endif
