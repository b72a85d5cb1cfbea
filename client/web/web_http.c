/* web_http.c -- the gateway's HTTP server: connections, dispatch, the
 * /events stream and the answers every route shares (see web_http.h). The
 * login, logout and JSON endpoints are in web_routes.c. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "listen_addr.h"
#include "watch_feed.h"
#include "web_assets.h"
#include "web_http_internal.h"
#include "web_text.h"

#define WEB_MAX_BODY 16384            /* the largest form accepted */
#define WEB_HTTP_WORKERS 16           /* libmicrohttpd's threads: they serve every connection */
#define WEB_MAX_UPLOAD (2u << 20)      /* the largest school file a logged-in user uploads (web_upload.c) */
#define WEB_STREAM_KEEPALIVE_MS 15000  /* a comment this often on a quiet /events stream */
#define WEB_STREAM_BLOCK 16384         /* the most of a stream handed to libmicrohttpd at once */

/* Reads "HOST:PORT" (numeric IPv4, or [IPv6]) into addr. Returns 0 or -1. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr)
{
    char err[256];
    return listen_addr_parse("listen", listen, addr, err, sizeof err);
}

/* The headers every answer carries: no framing, no sniffing, only our own
 * scripts and styles. */
static void common_headers(struct MHD_Response *r, const char *type, bool cache)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache ? "private, max-age=300" : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
}

enum MHD_Result web_answer(struct MHD_Connection *conn, unsigned int status, const char *type, const char *body,
                           size_t len, const char *cookie)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    common_headers(r, type, false);
    if (cookie)
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result web_answer_attachment(struct MHD_Connection *conn, const char *type, const char *body, size_t len,
                                      const char *disposition)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    common_headers(r, type, false);
    MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result web_answer_json(struct MHD_Connection *conn, unsigned int status, const char *json)
{
    return web_answer(conn, status, "application/json; charset=utf-8", json, strlen(json), NULL);
}

enum MHD_Result web_answer_error(struct MHD_Connection *conn, unsigned int status, const char *field,
                                 const char *reason)
{
    json_t *o = json_pack("{s:s, s:s}", "field", field ? field : "", "error", reason ? reason : "");
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    enum MHD_Result rc = web_answer_json(conn, status, text ? text : "{\"error\":\"out of memory\"}");
    free(text);
    return rc;
}

enum MHD_Result web_redirect(struct MHD_Connection *conn, const char *to, const char *cookie, const char *cookie2)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, "text/plain; charset=utf-8", false);
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
    if (cookie)
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    if (cookie2)
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie2);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_SEE_OTHER, r);
    MHD_destroy_response(r);
    return rc;
}

/* An asset, as it is compiled in. */
static enum MHD_Result answer_asset(struct MHD_Connection *conn, const char *name)
{
    const web_asset *a = web_asset_find(name);
    if (!a)
        return web_answer(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n", 10, NULL);
    struct MHD_Response *r = MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, a->type, strstr(name, ".html") == NULL);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

bool web_current_session(web_http *self, struct MHD_Connection *conn, web_session *out)
{
    if (self->cfg->dev_open) {
        *out = self->dev_session;
        return true;
    }
    const char *id = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_SESSION_COOKIE);
    return id && web_sessions_get(self->sessions, id, watch_wall_ms(), out);
}

void web_client_address(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "unknown");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, (socklen_t)size);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out, (socklen_t)size);
}

/* --- /events ---------------------------------------------------------------- */

/* A live stream. It has no thread of its own: libmicrohttpd's workers
 * (epoll) serve every connection, and a stream with nothing to send is
 * suspended (MHD_suspend_connection) and parked in the hub, which resumes it
 * when an event of its scope arrives, at the keep-alive tick, or when the
 * gateway stops. A slow browser only fills its own socket: its cursor stays
 * behind, and once the hub's ring has left it behind it gets a fresh "city"
 * event (a resync) instead of what it missed. */
typedef struct {
    web_http *http;
    struct MHD_Connection *conn;
    web_hub_waiter waiter;     /* parked in the hub while suspended */
    char session_id[WEB_SESSION_ID_HEX + 1];
    char scope[24];
    uint64_t cursor;
    int64_t sent_ms;           /* when something was last handed out (keep-alive) */
    char *pending;             /* SSE text not yet handed to libmicrohttpd */
    size_t off, len;
} event_stream;

/* The hub's wake-up of a parked (so suspended) stream: resume it. */
static void stream_wake(void *arg)
{
    event_stream *s = arg;
    MHD_resume_connection(s->conn);
}

/* The next text for the stream: events, a keep-alive comment when it has
 * been quiet WEB_STREAM_KEEPALIVE_MS, or "" after suspending and parking
 * it (nothing yet). NULL: the stream ends. */
static char *stream_next(event_stream *s)
{
    web_hub *hub = s->http->hub;
    char *text = web_hub_poll(hub, &s->cursor, s->scope, NULL);
    if (!text || *text)
        return text;
    free(text);
    if (watch_mono_ms() - s->sent_ms >= WEB_STREAM_KEEPALIVE_MS)
        return strdup(": keep-alive\n\n");
    MHD_suspend_connection(s->conn); /* before parking: the hub's wake-up resumes it */
    text = web_hub_poll(hub, &s->cursor, s->scope, &s->waiter);
    if (!text || *text) { /* came meanwhile (not parked), or the hub closed */
        web_hub_unpark(hub, &s->waiter);
        MHD_resume_connection(s->conn);
    }
    return text;
}

/* libmicrohttpd asks for more of the stream: hands out what is pending,
 * else what the hub has (0 bytes while the stream is suspended). The stream
 * ends when the hub closes or the session ends. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    event_stream *s = cls;
    if (s->off == s->len) {
        web_session now;
        free(s->pending);
        s->pending = NULL;
        s->off = s->len = 0;
        if (!s->http->cfg->dev_open && !web_sessions_get(s->http->sessions, s->session_id, watch_wall_ms(), &now))
            return MHD_CONTENT_READER_END_OF_STREAM;
        char *text = stream_next(s);
        if (!text)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (!*text) {
            free(text);
            return 0; /* suspended until the hub resumes it */
        }
        s->pending = text;
        s->len = strlen(text);
        s->sent_ms = watch_mono_ms();
    }
    size_t n = s->len - s->off < max ? s->len - s->off : max;
    memcpy(buf, s->pending + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

/* The stream is over (the browser left, or it ended). */
static void stream_free(void *cls)
{
    event_stream *s = cls;
    web_hub_unpark(s->http->hub, &s->waiter);
    web_hub_reader_count(s->http->hub, -1);
    free(s->pending);
    free(s);
}

/* GET /events: the live feed, filtered by the user's scope. */
static enum MHD_Result answer_events(web_http *self, struct MHD_Connection *conn, const web_session *who)
{
    event_stream *s = calloc(1, sizeof *s);
    if (!s)
        return MHD_NO;
    s->http = self;
    s->conn = conn;
    s->waiter.wake = stream_wake;
    s->waiter.arg = s;
    snprintf(s->session_id, sizeof s->session_id, "%s", who->id);
    snprintf(s->scope, sizeof s->scope, "%s", who->scope);
    s->cursor = WEB_HUB_JOINED;
    s->sent_ms = watch_mono_ms();
    s->pending = strdup("retry: 2000\n\n");
    s->len = s->pending ? strlen(s->pending) : 0;
    web_hub_reader_count(self->hub, 1);
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, WEB_STREAM_BLOCK, stream_read, s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    common_headers(r, "text/event-stream; charset=utf-8", false);
    MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* nginx: pass each event on at once */
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

/* --- dispatch ------------------------------------------------------------------ */

/* A request's body so far (POST forms). */
typedef struct {
    char *body;
    size_t len;
    size_t max;                /* the most body taken: WEB_MAX_BODY, or WEB_MAX_UPLOAD */
    bool too_big;
} request_ctx;

/* Collects the body of a POST; true while more is coming. */
static bool collect_body(request_ctx *rq, const char *data, size_t *size)
{
    if (*size == 0)
        return false;
    if (!rq->too_big && rq->len + *size <= rq->max) {
        char *grown = realloc(rq->body, rq->len + *size + 1);
        if (grown) {
            memcpy(grown + rq->len, data, *size);
            rq->len += *size;
            grown[rq->len] = '\0';
            rq->body = grown;
        } else
            rq->too_big = true;
    } else
        rq->too_big = true;
    *size = 0;
    return true;
}

/* A page outside the user's scope: 403 with a short page. */
static enum MHD_Result outside_scope(struct MHD_Connection *conn)
{
    char page[512];
    snprintf(page, sizeof page,
             "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>403</title>"
             "<p id=\"forbidden\">无权查看此页面。%s <a href=\"/\">返回</a></p></html>",
             _("This page is outside your scope."));
    return web_answer(conn, MHD_HTTP_FORBIDDEN, "text/html; charset=utf-8", page, strlen(page), NULL);
}

/* A route that needs a logged-in user, with one. */
static enum MHD_Result dispatch_user(web_http *self, struct MHD_Connection *conn, const web_route *rt,
                                     const char *method, const request_ctx *rq, const web_session *who)
{
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    switch (rt->kind) {
    case WEB_ROUTE_CITY: return get ? answer_asset(conn, "city.html") : web_answer_error(conn, 405, "", "GET");
    case WEB_ROUTE_COUNTY_PAGE:
        if (!web_scope_allows(who->scope, rt->arg) || strcmp(who->role, "school") == 0)
            return outside_scope(conn);
        return get ? answer_asset(conn, "county.html") : web_answer_error(conn, 405, "", "GET");
    case WEB_ROUTE_SCHOOL_PAGE:
        if (strcmp(who->role, "school") == 0 && strcmp(who->scope, rt->arg) != 0) /* others: /api/school checks */
            return outside_scope(conn);
        return get ? answer_asset(conn, "school.html") : web_answer_error(conn, 405, "", "GET");
    case WEB_ROUTE_EVENTS: return answer_events(self, conn, who);
    case WEB_ROUTE_LOGOUT: return web_route_logout(self, conn, rq->body ? rq->body : "", who);
    case WEB_ROUTE_API_CITY: {
        char *city = web_hub_city_json(self->hub, who->scope);
        enum MHD_Result rc = city ? web_answer_json(conn, MHD_HTTP_OK, city) : MHD_NO;
        free(city);
        return rc;
    }
    case WEB_ROUTE_API_COUNTY: return web_route_county(self, conn, rt->arg, who);
    case WEB_ROUTE_API_SCHOOL: return web_route_school(self, conn, rt->arg, who);
    case WEB_ROUTE_API_COUNTY_PLAN: return web_route_county_plan(self, conn, rt->arg, who);
    case WEB_ROUTE_API_SCHOOL_CHECK:
    case WEB_ROUTE_API_SCHOOL_SUBMIT:
        if (strcmp(method, "POST") != 0)
            return web_answer_error(conn, 405, "", "POST");
        return web_route_school_upload(self, conn, rt->kind == WEB_ROUTE_API_SCHOOL_SUBMIT, rt->arg,
                                       rq->body ? rq->body : "", rq->len, who);
    case WEB_ROUTE_API_ME: return web_route_me(self, conn, who);
    case WEB_ROUTE_REVIEW_PAGE: return web_route_review_page(self, conn, method, who);
    case WEB_ROUTE_API_REVIEW: return web_route_review(self, conn, rt->arg, method, rq->body ? rq->body : "", who);
    case WEB_ROUTE_API_COUNTY_HISTORY: return web_route_county_history(self, conn, rt->arg, who);
    case WEB_ROUTE_API_COUNTY_DOWNLOADS: return web_route_county_downloads(conn, rt->arg, who);
    case WEB_ROUTE_API_COUNTY_DOWNLOAD: return web_route_county_download(self, conn, rt->arg, rt->sub, who);
    default: return web_answer_error(conn, MHD_HTTP_NOT_FOUND, "", _("not found"));
    }
}

/* Whether the request may bring a file's body (WEB_MAX_UPLOAD): a school
 * upload's route, from a logged-in user. Everything else keeps to a form's. */
static bool upload_allowed(web_http *self, struct MHD_Connection *conn, const char *url)
{
    web_route rt;
    web_session who;
    web_route_parse(url, &rt);
    return (rt.kind == WEB_ROUTE_API_SCHOOL_CHECK || rt.kind == WEB_ROUTE_API_SCHOOL_SUBMIT) &&
           web_current_session(self, conn, &who);
}

/* libmicrohttpd's access handler: every request comes here, the body of a
 * POST in pieces first. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    web_http *self = cls;
    request_ctx *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        *con_cls = rq;
        if (rq)
            rq->max = upload_allowed(self, conn, url) ? WEB_MAX_UPLOAD : WEB_MAX_BODY;
        return rq ? MHD_YES : MHD_NO;
    }
    if (collect_body(rq, upload, upload_size))
        return MHD_YES;
    if (rq->too_big)
        return web_answer_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, "",
                                rq->max > WEB_MAX_BODY ? _("the file is too large (at most 2 MiB)")
                                                       : _("the form is too large"));
    web_route rt;
    web_route_parse(url, &rt);
    if (rt.kind == WEB_ROUTE_NONE)
        return web_answer_error(conn, MHD_HTTP_NOT_FOUND, "", _("not found"));
    if (rt.kind == WEB_ROUTE_ASSET)
        return answer_asset(conn, rt.arg);
    if (rt.kind == WEB_ROUTE_HEALTH)
        return web_route_health(self, conn);
    if (rt.kind == WEB_ROUTE_API_META)
        return web_route_meta(conn);
    if (rt.kind == WEB_ROUTE_LOGIN)
        return web_route_login(self, conn, method, rq->body ? rq->body : "");
    web_session who;
    if (!web_current_session(self, conn, &who)) {
        bool page = rt.kind == WEB_ROUTE_CITY || rt.kind == WEB_ROUTE_COUNTY_PAGE || rt.kind == WEB_ROUTE_SCHOOL_PAGE ||
                    rt.kind == WEB_ROUTE_REVIEW_PAGE;
        return page ? web_redirect(conn, "/login", NULL, NULL)
                    : web_answer_error(conn, MHD_HTTP_UNAUTHORIZED, "session", _("log in first"));
    }
    return dispatch_user(self, conn, &rt, method, rq, &who);
}

/* A request is over: frees its body. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    request_ctx *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

/* Reads a PEM file into a malloc'd string, or NULL. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = f ? open_memstream(&buf, &len) : NULL;
    if (m) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            fwrite(chunk, 1, n, m);
        if (fclose(m) != 0) {
            free(buf);
            buf = NULL;
        }
    }
    if (f)
        fclose(f);
    return buf;
}

/* Starts libmicrohttpd on addr (TLS when the config names a certificate). */
static int start_mhd(web_http *self, struct sockaddr_storage *addr, char *err, size_t errlen)
{
    /* WEB_HTTP_WORKERS threads, each polling its share of the connections
     * (epoll where there is one): a live stream costs a connection, not a
     * thread; a request that waits for the daemon holds its worker. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
    if (addr->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (self->tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, errlen, _("this libmicrohttpd has no TLS: use a reverse proxy (docs/web.md)"));
            return -1;
        }
        self->cert = read_pem(self->cfg->tls_cert);
        self->key = read_pem(self->cfg->tls_key);
        if (!self->cert || !self->key) {
            snprintf(err, errlen, _("tls_cert/tls_key: cannot read %s or %s"), self->cfg->tls_cert,
                     self->cfg->tls_key);
            return -1;
        }
        flags |= MHD_USE_TLS;
    }
    uint16_t port = ntohs(addr->ss_family == AF_INET6 ? ((struct sockaddr_in6 *)addr)->sin6_port
                                                      : ((struct sockaddr_in *)addr)->sin_port);
    if (self->tls)
        self->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, self, MHD_OPTION_SOCK_ADDR, addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, self, MHD_OPTION_CONNECTION_LIMIT,
                                     2000u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_THREAD_POOL_SIZE,
                                     (unsigned)WEB_HTTP_WORKERS, MHD_OPTION_HTTPS_MEM_CERT, self->cert,
                                     MHD_OPTION_HTTPS_MEM_KEY, self->key, MHD_OPTION_END);
    else
        self->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, self, MHD_OPTION_SOCK_ADDR, addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, self, MHD_OPTION_CONNECTION_LIMIT,
                                     2000u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_THREAD_POOL_SIZE,
                                     (unsigned)WEB_HTTP_WORKERS, MHD_OPTION_END);
    if (!self->mhd) {
        snprintf(err, errlen, _("cannot listen on %s (in use, or not an address of this machine?)"),
                 self->cfg->listen);
        return -1;
    }
    return 0;
}

web_http *web_http_start(const web_config *cfg, web_hub *hub, char *err, size_t errlen)
{
    struct sockaddr_storage addr;
    if (parse_listen(cfg->listen, &addr) != 0) {
        snprintf(err, errlen, _("listen: '%s' is not HOST:PORT with a numeric host (127.0.0.1:8080, [::1]:8080)"),
                 cfg->listen);
        return NULL;
    }
    web_http *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    self->cfg = cfg;
    self->hub = hub;
    self->tls = cfg->tls_cert[0] != '\0';
    self->sessions = web_sessions_new(4096, (int64_t)cfg->session_idle_s * 1000);
    self->limiter = web_limiter_new(cfg->login_failures, (int64_t)cfg->login_window_s * 1000);
    snprintf(self->dev_session.user, sizeof self->dev_session.user, "dev");
    snprintf(self->dev_session.role, sizeof self->dev_session.role, "monitor");
    snprintf(self->dev_session.scope, sizeof self->dev_session.scope, "%s", cfg->prefix);
    if (!self->sessions || !self->limiter || web_random_hex(self->dev_session.csrf, WEB_SESSION_ID_HEX / 2) != 0 ||
        start_mhd(self, &addr, err, errlen) != 0) {
        if (!err[0])
            snprintf(err, errlen, _("out of memory"));
        web_http_stop(&self);
        return NULL;
    }
    return self;
}

void web_http_stop(web_http **p)
{
    if (!p || !*p)
        return;
    web_http *self = *p;
    if (self->mhd)
        MHD_stop_daemon(self->mhd);
    web_sessions_destroy(&self->sessions);
    web_limiter_destroy(&self->limiter);
    free(self->cert);
    if (self->key)
        memset(self->key, 0, strlen(self->key));
    free(self->key);
    free(self);
    *p = NULL;
}
