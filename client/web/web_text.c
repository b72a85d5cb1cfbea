/* web_text.c -- the pure text pieces of the web gateway (see web_text.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "admin_code.h"
#include "web_text.h"

/* Closes a memory stream and returns its text, or NULL when anything
 * failed (the text freed). */
static char *stream_take(FILE *m, char **buf)
{
    if (fclose(m) != 0) { /* *buf is set only by fclose */
        free(*buf);
        return NULL;
    }
    return *buf;
}

char *web_sse_frame(const char *event, const char *id, const char *data)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    if (id && *id && !strpbrk(id, "\r\n"))
        fprintf(m, "id: %s\n", id);
    if (event && *event && !strpbrk(event, "\r\n"))
        fprintf(m, "event: %s\n", event);
    const char *p = data ? data : "";
    for (;;) {
        size_t n = strcspn(p, "\r\n");
        fprintf(m, "data: %.*s\n", (int)n, p);
        p += n;
        if (!*p)
            break;
        if (p[0] == '\r' && p[1] == '\n')
            p++;
        p++;
    }
    fputc('\n', m);
    return stream_take(m, &buf);
}

/* The value of a hex digit, or -1. */
static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int web_url_decode(const char *text, size_t len, char *out, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)text[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 1 < len ? hex_value((unsigned char)text[i + 1]) : -1;
            int lo = i + 2 < len ? hex_value((unsigned char)text[i + 2]) : -1;
            if (hi < 0 || lo < 0 || hi * 16 + lo == 0)
                return -1;
            c = hi * 16 + lo;
            i += 2;
        }
        if (o + 1 >= size)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

int web_form_get(const char *body, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = body;
    while (p && *p) {
        size_t n = strcspn(p, "&");
        if (n > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=')
            return web_url_decode(p + nlen + 1, n - nlen - 1, out, size);
        p += n;
        if (*p == '&')
            p++;
    }
    return -1;
}

/* Copies a code of min..max digits following prefix in path into arg. */
static bool take_code(const char *path, const char *prefix, size_t min, size_t max, char *arg, size_t size)
{
    size_t plen = strlen(prefix);
    if (strncmp(path, prefix, plen) != 0)
        return false;
    const char *code = path + plen;
    size_t n = strspn(code, "0123456789");
    if (code[n] != '\0' || n < min || n > max || n >= size)
        return false;
    memcpy(arg, code, n + 1);
    return true;
}

/* Whether name is a safe asset name. */
static bool asset_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 48 || strstr(name, "..") || name[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
            return false;
    return true;
}

/* Copies the county code of "/api/county/CODE/plan" into arg. */
static bool take_plan_code(const char *path, char *arg, size_t size)
{
    char head[32];
    size_t n = strlen(path);
    if (n < 5 || n - 5 >= sizeof head || strcmp(path + n - 5, "/plan") != 0)
        return false;
    memcpy(head, path, n - 5);
    head[n - 5] = '\0';
    return take_code(head, "/api/county/", 6, 6, arg, size);
}

/* Reads "/api/county/CODE/TAIL" into arg (the code) and tail (what follows
 * the code's slash, at most tail_size - 1 bytes). */
static bool take_county_tail(const char *path, char *arg, size_t size, char *tail, size_t tail_size)
{
    const char *prefix = "/api/county/";
    size_t plen = strlen(prefix);
    if (strncmp(path, prefix, plen) != 0 || strspn(path + plen, "0123456789") != 6 || path[plen + 6] != '/' ||
        size < 7 || strlen(path + plen + 7) >= tail_size)
        return false;
    memcpy(arg, path + plen, 6);
    arg[6] = '\0';
    strcpy(tail, path + plen + 7);
    return true;
}

/* The county sub-routes: history, downloads, download/KIND (sets out's
 * kind, code and sub). Whether path is one. */
static bool county_sub_route(const char *path, web_route *out)
{
    char tail[48];
    if (!take_county_tail(path, out->arg, sizeof out->arg, tail, sizeof tail))
        return false;
    const char *kind = tail + 9;
    size_t n = strlen(tail) > 9 ? strlen(kind) : 0;
    if (strcmp(tail, "history") == 0)
        out->kind = WEB_ROUTE_API_COUNTY_HISTORY;
    else if (strcmp(tail, "downloads") == 0)
        out->kind = WEB_ROUTE_API_COUNTY_DOWNLOADS;
    else if (strncmp(tail, "download/", 9) == 0 && n > 0 && n < sizeof out->sub &&
             strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789-") == n) {
        out->kind = WEB_ROUTE_API_COUNTY_DOWNLOAD;
        memcpy(out->sub, kind, n + 1);
    }
    return out->kind != WEB_ROUTE_NONE;
}

/* Copies the school code of "/api/school/CODE" + suffix into arg. */
static bool take_school_action(const char *path, const char *suffix, char *arg, size_t size)
{
    char head[48];
    size_t n = strlen(path), k = strlen(suffix);
    if (n < k || n - k >= sizeof head || strcmp(path + n - k, suffix) != 0)
        return false;
    memcpy(head, path, n - k);
    head[n - k] = '\0';
    return take_code(head, "/api/school/", 1, 20, arg, size);
}

void web_route_parse(const char *path, web_route *out)
{
    static const struct {
        const char *path;
        web_route_kind kind;
    } fixed[] = { { "/", WEB_ROUTE_CITY },          { "/city", WEB_ROUTE_CITY },
                  { "/login", WEB_ROUTE_LOGIN },    { "/logout", WEB_ROUTE_LOGOUT },
                  { "/events", WEB_ROUTE_EVENTS },  { "/api/city", WEB_ROUTE_API_CITY },
                  { "/api/me", WEB_ROUTE_API_ME },  { "/api/meta", WEB_ROUTE_API_META },
                  { "/healthz", WEB_ROUTE_HEALTH }, { "/review", WEB_ROUTE_REVIEW_PAGE } };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(path, fixed[i].path) == 0) {
            out->kind = fixed[i].kind;
            return;
        }
    if (take_code(path, "/county/", 6, 6, out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_COUNTY_PAGE;
    else if (take_code(path, "/school/", 1, 20, out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_SCHOOL_PAGE;
    else if (take_code(path, "/api/county/", 6, 6, out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_API_COUNTY;
    else if (take_code(path, "/api/school/", 1, 20, out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_API_SCHOOL;
    else if (take_plan_code(path, out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_API_COUNTY_PLAN;
    else if (take_school_action(path, "/check", out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_API_SCHOOL_CHECK;
    else if (take_school_action(path, "/submit", out->arg, sizeof out->arg))
        out->kind = WEB_ROUTE_API_SCHOOL_SUBMIT;
    else if (strncmp(path, "/api/review/", 12) == 0 && path[12] && strlen(path + 12) < 32 &&
             strspn(path + 12, "abcdefghijklmnopqrstuvwxyz_") == strlen(path + 12)) {
        out->kind = WEB_ROUTE_API_REVIEW;
        snprintf(out->arg, sizeof out->arg, "%s", path + 12);
    } else if (!county_sub_route(path, out) && strncmp(path, "/static/", 8) == 0 && asset_name_ok(path + 8) &&
               strlen(path + 8) < sizeof out->arg) {
        out->kind = WEB_ROUTE_ASSET;
        snprintf(out->arg, sizeof out->arg, "%s", path + 8);
    } else if (out->kind == WEB_ROUTE_NONE)
        out->arg[0] = '\0';
}

bool web_scope_allows(const char *scope, const char *code)
{
    if (!scope || scope[0] == '\0' || strcmp(scope, "all") == 0)
        return true;
    if (!code || strspn(code, "0123456789") != strlen(code) || strlen(code) < 6)
        return false;
    admin_code c;
    const char *prefix = scope;
    if (admin_code_parse(scope, &c) == 0)
        prefix = c.prefix;
    return strncmp(code, prefix, strlen(prefix)) == 0;
}

char *web_cookie(const char *name, const char *value, long max_age_s, bool secure)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fprintf(m, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", name, max_age_s > 0 ? value : "",
            max_age_s > 0 ? max_age_s : 0, secure ? "; Secure" : "");
    return stream_take(m, &buf);
}

bool web_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n == 0 || n != strlen(b))
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

int web_random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    if (bytes > sizeof raw || getrandom(raw, bytes, 0) != (ssize_t)bytes)
        return -1;
    for (size_t i = 0; i < bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    out[2 * bytes] = '\0';
    return 0;
}

char *web_html_escape(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", m); break;
        case '<': fputs("&lt;", m); break;
        case '>': fputs("&gt;", m); break;
        case '"': fputs("&quot;", m); break;
        case '\'': fputs("&#39;", m); break;
        default: fputc(*p, m);
        }
    }
    return stream_take(m, &buf);
}

/* The q of one Accept-Language entry ("en-US;q=0.8", len bytes), 1 when
 * it gives none. */
static double accept_q(const char *entry, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (entry[i] != ';')
            continue;
        size_t v = i + 1;
        while (v < len && (entry[v] == ' ' || entry[v] == '\t'))
            v++;
        if (v + 1 < len && (entry[v] == 'q' || entry[v] == 'Q') && entry[v + 1] == '=')
            return strtod(entry + v + 2, NULL);
    }
    return 1.0;
}

const char *web_accept_language(const char *header)
{
    const char *best = "zh_CN";
    double best_q = 0.0;
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, ","), tag = strcspn(p, ";, \t");
        if (len == 0)
            break;
        const char *lang = NULL;
        if (tag >= 2 && strncasecmp(p, "zh", 2) == 0 && (tag == 2 || p[2] == '-' || p[2] == '_'))
            lang = "zh_CN";
        else if (tag >= 2 && strncasecmp(p, "en", 2) == 0 && (tag == 2 || p[2] == '-' || p[2] == '_'))
            lang = "en";
        double q = accept_q(p, len);
        if (lang && q > best_q) {
            best = lang;
            best_q = q;
        }
        p += len;
    }
    return best;
}
