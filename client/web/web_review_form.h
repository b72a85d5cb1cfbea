/* web_review_form.h -- the review desk's requests read into a
 * ReviewRequest (no I/O; unit-tested): the fields of a POST form or of a
 * GET query string, their shapes checked (codes, dates, numbers, the action
 * id), and the language of the daemon's messages from Accept-Language.
 * The daemon checks everything else (rights, states, what is required). */
#ifndef JUNHENG_WEB_REVIEW_FORM_H
#define JUNHENG_WEB_REVIEW_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define WEB_REVIEW_MAX_IDS 200      /* revisions of one approve */
#define WEB_REVIEW_MAX_COLUMNS 64

/* Looks name up in a request; copies its decoded value into out (size
 * bytes). Returns 0, or -1 when absent (or too long). */
typedef int (*web_review_lookup)(void *ctx, const char *name, char *out, size_t size);

/* One request's fields; req points into the buffers (f must outlive it). */
typedef struct {
    Junheng__ReviewRequest req;
    char action[24];
    char action_id[40];
    char county[8], school[12], deadline[12], state[12], since[40];
    char reason[1024], finding[1024], evidence[2048];
    char item[32], field[64], value[16];
    char columns_text[1024];
    char *columns[WEB_REVIEW_MAX_COLUMNS];
    int64_t revisions[WEB_REVIEW_MAX_IDS];
} web_review_form;

/* What a name in /api/review/NAME is: 1 a query (GET), 2 an action (POST),
 * 0 neither. */
int web_review_kind(const char *name);

/* Reads the request of name (web_review_kind not 0) from lookup into f.
 * An action needs action_id (a UUID made by the browser, the same on a
 * resend). Returns 0, or -1 with *field the form field at fault and *reason
 * why (English, static; translate with _()). */
int web_review_form_read(web_review_form *f, const char *name, web_review_lookup lookup, void *ctx,
                         const char **field, const char **reason);

/* The lookup of an application/x-www-form-urlencoded body (ctx: the body text). */
int web_review_lookup_body(void *ctx, const char *name, char *out, size_t size);

/* The language the daemon writes its messages in for an Accept-Language
 * header (NULL: none): "en" when English comes before Chinese, else "zh_CN". */
const char *web_review_lang(const char *accept_language);

#endif
