/* web_text.h -- the pure text pieces of the web gateway (no I/O, no
 * sockets), each unit-tested: Server-Sent Events framing, form and URL
 * decoding, routing, scope checks, cookies and constant-time comparison.
 * Returned strings are malloc'd (the caller frees) unless said otherwise. */
#ifndef JUNHENG_WEB_TEXT_H
#define JUNHENG_WEB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* One SSE event: "id: ID\nevent: EVENT\ndata: LINE\n...\n\n", each line of
 * data its own "data:" line (CR and LF both end a line), id and event left
 * out when NULL or empty. NULL when out of memory. */
char *web_sse_frame(const char *event, const char *id, const char *data);

/* Decodes %XX and '+' of application/x-www-form-urlencoded text of len
 * bytes into out (size bytes, NUL-terminated). Returns 0, or -1 when it does
 * not fit, a %XX is malformed or decodes to NUL. */
int web_url_decode(const char *text, size_t len, char *out, size_t size);

/* Finds name in a form body ("a=1&b=2") and decodes its value into out.
 * Returns 0, or -1 when absent or undecodable. */
int web_form_get(const char *body, const char *name, char *out, size_t size);

/* What a request path asks for. */
typedef enum {
    WEB_ROUTE_NONE = 0,       /* not found */
    WEB_ROUTE_CITY,           /* /  (also /city) */
    WEB_ROUTE_COUNTY_PAGE,    /* /county/CODE */
    WEB_ROUTE_SCHOOL_PAGE,    /* /school/CODE */
    WEB_ROUTE_LOGIN,          /* /login (GET the form, POST the credentials) */
    WEB_ROUTE_LOGOUT,         /* /logout (POST) */
    WEB_ROUTE_EVENTS,         /* /events: the SSE stream */
    WEB_ROUTE_API_CITY,       /* /api/city */
    WEB_ROUTE_API_COUNTY,     /* /api/county/CODE */
    WEB_ROUTE_API_SCHOOL,     /* /api/school/CODE */
    WEB_ROUTE_API_ME,         /* /api/me: who is logged in, the CSRF token */
    WEB_ROUTE_API_META,       /* /api/meta: indicator names and units */
    WEB_ROUTE_API_COUNTY_PLAN, /* /api/county/CODE/plan: the cheapest path (web_plan.c) */
    WEB_ROUTE_REVIEW_PAGE,    /* /review: the review desk (web_review.c) */
    WEB_ROUTE_API_REVIEW,     /* /api/review/NAME: a review query (GET) or action (POST) */
    WEB_ROUTE_API_COUNTY_HISTORY,   /* /api/county/CODE/history (web_history.c) */
    WEB_ROUTE_API_COUNTY_DOWNLOADS, /* /api/county/CODE/downloads: what may be downloaded (web_download.c) */
    WEB_ROUTE_API_COUNTY_DOWNLOAD,  /* /api/county/CODE/download/KIND: one file (web_download.c) */
    WEB_ROUTE_API_SCHOOL_CHECK,  /* /api/school/CODE/check: an upload checked (web_upload.c) */
    WEB_ROUTE_API_SCHOOL_SUBMIT, /* /api/school/CODE/submit: an upload sent (web_upload.c) */
    WEB_ROUTE_ASSET,          /* /static/NAME */
    WEB_ROUTE_HEALTH          /* /healthz */
} web_route_kind;

typedef struct {
    web_route_kind kind;
    char arg[64];             /* the CODE, asset NAME or review NAME */
    char sub[32];             /* the KIND of a download: letters, digits and '-' */
} web_route;

/* Reads a path (no query string) into *out. A county code must be 6
 * digits, a school code 1..20 digits, an asset name letters, digits, '-',
 * '_' and '.' without "..", a review NAME 1..31 lower-case letters and '_':
 * anything else is WEB_ROUTE_NONE. */
void web_route_parse(const char *path, web_route *out);

/* Whether a user whose scope is scope ("" or "all": everything; a 2-, 4- or
 * 6-digit code, or a city/province code written with trailing zeros:
 * "371400", "370000") may see the county (or any code starting with a
 * county) code. */
bool web_scope_allows(const char *scope, const char *code);

/* The Set-Cookie value for name=value: Path=/; HttpOnly; SameSite=Strict;
 * Max-Age=max_age_s (0: deletes it); "; Secure" when secure. */
char *web_cookie(const char *name, const char *value, long max_age_s, bool secure);

/* Compares two NUL-terminated strings in time independent of where they
 * differ (of the same length). An empty string matches nothing. */
bool web_secret_equal(const char *a, const char *b);

/* Fills out with 2*bytes hex digits of fresh randomness (getrandom) and a
 * NUL; out must hold 2*bytes+1. Returns 0, or -1. */
int web_random_hex(char *out, size_t bytes);

/* The language the daemon should answer a browser in, from its
 * Accept-Language header (NULL: none): "zh_CN" or "en", whichever of
 * Chinese (zh, zh-CN, zh-Hans, ...) and English (en, en-US, ...) it
 * prefers (the higher q; the first on a tie); "zh_CN" when it names
 * neither. A static string (Envelope.lang). */
const char *web_accept_language(const char *header);

/* HTML-escapes text (& < > " ') into a malloc'd string; NULL when out of memory. */
char *web_html_escape(const char *text);

#endif
