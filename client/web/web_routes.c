/* web_routes.c -- the routes that talk to the daemon or change a session:
 * login and logout (CSRF-checked, rate-limited), and the JSON endpoints
 * /api/county/CODE, /api/school/CODE (the gateway checks the user's scope
 * first; the daemon, asked with the user's session, checks again), /api/me,
 * /api/meta and /healthz. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "header_match.h"
#include "i18n.h"
#include "i18n_init.h"
#include "indicators.h"
#include "plan.h"
#include "watch_feed.h"
#include "web_assets.h"
#include "web_daemon.h"
#include "web_http_internal.h"
#include "web_text.h"

/* Replaces each "{{name}}" of tmpl with the escaped value. Returns a
 * malloc'd text, or NULL. */
static char *fill(const char *tmpl, const char *const *names, const char *const *values, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    const char *p = tmpl;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            fputs(p, m);
            break;
        }
        fwrite(p, 1, (size_t)(open - p), m);
        const char *close = strstr(open, "}}");
        size_t k = n;
        for (size_t i = 0; close && i < n; i++)
            if ((size_t)(close - open - 2) == strlen(names[i]) && strncmp(open + 2, names[i], strlen(names[i])) == 0)
                k = i;
        if (k == n) {
            fputs("{{", m);
            p = open + 2;
            continue;
        }
        char *esc = web_html_escape(values[k]);
        fputs(esc ? esc : "", m);
        free(esc);
        p = close + 2;
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The login form with a fresh CSRF token (also set as a cookie), the user
 * name typed and an error (may be ""). */
static enum MHD_Result login_form(web_http *self, struct MHD_Connection *conn, unsigned status, const char *user,
                                  const char *error)
{
    char csrf[WEB_SESSION_ID_HEX + 1];
    const web_asset *a = web_asset_find("login.html");
    if (!a || web_random_hex(csrf, WEB_SESSION_ID_HEX / 2) != 0)
        return MHD_NO;
    const char *names[] = { "csrf", "user", "error" };
    const char *values[] = { csrf, user, error };
    char *page = fill((const char *)a->data, names, values, 3);
    char *cookie = web_cookie(WEB_LOGIN_COOKIE, csrf, 3600, self->tls);
    enum MHD_Result rc = page && cookie ? web_answer(conn, status, a->type, page, strlen(page), cookie) : MHD_NO;
    free(page);
    free(cookie);
    return rc;
}

/* Counts a failed login against the address and the user name. */
static void login_failed(web_http *self, const char *addr_key, const char *user_key)
{
    int64_t now = watch_wall_ms();
    web_limiter_failed(self->limiter, addr_key, now);
    web_limiter_failed(self->limiter, user_key, now);
}

/* The login form again with the gateway's own refusal: the message id
 * fmt (one %ld: arg) in lang, the browser's language. */
static enum MHD_Result login_refused(web_http *self, struct MHD_Connection *conn, unsigned status, const char *user,
                                     const char *lang, const char *fmt, long arg)
{
    char msg[256];
    locale_t prev = i18n_use(lang);
    if (strstr(fmt, "%ld"))
        snprintf(msg, sizeof msg, _(fmt), arg);
    else
        snprintf(msg, sizeof msg, "%s", _(fmt));
    i18n_restore(prev);
    return login_form(self, conn, status, user, msg);
}

/* Logs in with the daemon and, on success, opens a gateway session. */
static enum MHD_Result login_post(web_http *self, struct MHD_Connection *conn, const char *body)
{
    char user[64] = "", password[256] = "", csrf[WEB_SESSION_ID_HEX + 1] = "", addr[64], akey[80], ukey[96];
    const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_LOGIN_COOKIE);
    web_form_get(body, "user", user, sizeof user);
    web_form_get(body, "password", password, sizeof password);
    /* the browser's language (Chinese unless it prefers English): the
     * gateway's own refusals below and the daemon's */
    const char *lang = web_accept_language(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                                        MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
    if (web_form_get(body, "csrf", csrf, sizeof csrf) != 0 || !cookie || !web_secret_equal(csrf, cookie))
        return login_refused(self, conn, MHD_HTTP_FORBIDDEN, user, lang, N_("The form has expired; please log in again."), 0);
    web_client_address(conn, addr, sizeof addr);
    snprintf(akey, sizeof akey, "addr:%s", addr);
    snprintf(ukey, sizeof ukey, "user:%s", user);
    long wait_s = 0;
    int64_t now = watch_wall_ms();
    if (!web_limiter_allows(self->limiter, akey, now, &wait_s) ||
        !web_limiter_allows(self->limiter, ukey, now, &wait_s))
        return login_refused(self, conn, MHD_HTTP_TOO_MANY_REQUESTS, user, lang,
                             N_("Too many failed logins; try again in %ld s."), wait_s);
    web_session s = { 0 }, made;
    web_daemon_refusal no = { 0 };
    web_daemon_result res = web_daemon_login(self->cfg, user, password, addr, lang, &s, &no);
    memset(password, 0, sizeof password);
    if (res == WEB_DAEMON_REFUSED) {
        login_failed(self, akey, ukey);
        unsigned status = strcmp(no.field, "user") == 0 ? MHD_HTTP_TOO_MANY_REQUESTS : MHD_HTTP_UNAUTHORIZED;
        return login_form(self, conn, status, user, no.reason);
    }
    if (res != WEB_DAEMON_OK)
        return login_refused(self, conn, MHD_HTTP_SERVICE_UNAVAILABLE, user, lang,
                             N_("The daemon did not answer; try again shortly."), 0);
    web_limiter_succeeded(self->limiter, akey);
    web_limiter_succeeded(self->limiter, ukey);
    if (web_sessions_add(self->sessions, &s, now, &made) != 0)
        return MHD_NO;
    long max_age = self->cfg->session_idle_s;
    if (s.expires_ms && (s.expires_ms - now) / 1000 < max_age)
        max_age = (long)((s.expires_ms - now) / 1000);
    char *set = web_cookie(WEB_SESSION_COOKIE, made.id, max_age > 0 ? max_age : 1, self->tls);
    char *clear = web_cookie(WEB_LOGIN_COOKIE, "", 0, self->tls);
    char home[64] = "/"; /* a school's user goes to the school's own page */
    if (strcmp(s.role, "school") == 0 && s.scope[0] && strspn(s.scope, "0123456789") == strlen(s.scope))
        snprintf(home, sizeof home, "/school/%s", s.scope);
    enum MHD_Result rc = set && clear ? web_redirect(conn, home, set, clear) : MHD_NO;
    free(set);
    free(clear);
    return rc;
}

enum MHD_Result web_route_login(web_http *self, struct MHD_Connection *conn, const char *method, const char *body)
{
    if (self->cfg->dev_open)
        return web_redirect(conn, "/", NULL, NULL);
    if (strcmp(method, "POST") == 0)
        return login_post(self, conn, body);
    return login_form(self, conn, MHD_HTTP_OK, "", "");
}

enum MHD_Result web_route_logout(web_http *self, struct MHD_Connection *conn, const char *body,
                                 const web_session *who)
{
    char csrf[WEB_SESSION_ID_HEX + 1] = "";
    if (web_form_get(body, "csrf", csrf, sizeof csrf) != 0 || !web_secret_equal(csrf, who->csrf))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "csrf", _("the form's token does not match this session"));
    if (self->cfg->dev_open)
        return web_redirect(conn, "/", NULL, NULL);
    web_daemon_logout(self->cfg, who->token);
    web_sessions_remove(self->sessions, who->id);
    char *clear = web_cookie(WEB_SESSION_COOKIE, "", 0, self->tls);
    enum MHD_Result rc = clear ? web_redirect(conn, "/login", clear, NULL) : MHD_NO;
    free(clear);
    return rc;
}

/* Answers a daemon call's outcome: the body on OK, else an error. When the
 * daemon says the user's session has ended (expired, locked, or the daemon
 * restarted), the gateway's session of who ends too: the browser logs in
 * again. */
enum MHD_Result web_daemon_answer(web_http *self, struct MHD_Connection *conn, web_daemon_result res,
                                  const char *body, const web_daemon_refusal *no, const web_session *who)
{
    if (res == WEB_DAEMON_OK)
        return web_answer_json(conn, MHD_HTTP_OK, body);
    bool ended = res == WEB_DAEMON_REFUSED && strcmp(no->field, "session") == 0;
    if (ended && !self->cfg->dev_open)
        web_sessions_remove(self->sessions, who->id);
    if (res == WEB_DAEMON_REFUSED)
        return web_answer_error(conn, ended ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_FORBIDDEN, no->field, no->reason);
    return web_answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "", _("the daemon did not answer"));
}

enum MHD_Result web_route_county(web_http *self, struct MHD_Connection *conn, const char *code,
                                 const web_session *who)
{
    if (!web_scope_allows(who->scope, code))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "county_code", _("outside your scope"));
    char *body = NULL;
    web_daemon_refusal no = { 0 };
    web_daemon_result res = web_daemon_status(self->cfg, who->token, code, NULL, &body, &no);
    enum MHD_Result rc = web_daemon_answer(self, conn, res, body, &no, who);
    free(body);
    return rc;
}

/* Whether the school answer (its county) is within the user's scope: a
 * school user's scope is the school's own code. */
bool web_school_in_scope(const web_session *who, const char *code, const char *body)
{
    if (strcmp(who->role, "school") == 0)
        return strcmp(who->scope, code) == 0;
    json_t *o = json_loads(body, 0, NULL);
    const char *county = json_string_value(json_object_get(o, "county_code"));
    if (!county)
        county = json_string_value(json_object_get(json_object_get(o, "county"), "code"));
    bool ok = county && web_scope_allows(who->scope, county);
    json_decref(o);
    return ok || !who->scope[0];
}

enum MHD_Result web_route_school(web_http *self, struct MHD_Connection *conn, const char *code,
                                 const web_session *who)
{
    if (strcmp(who->role, "school") == 0 && strcmp(who->scope, code) != 0)
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "school_code", _("outside your scope"));
    char *body = NULL;
    web_daemon_refusal no = { 0 };
    web_daemon_result res = web_daemon_status(self->cfg, who->token, NULL, code, &body, &no);
    enum MHD_Result rc;
    if (res == WEB_DAEMON_OK && !web_school_in_scope(who, code, body))
        rc = web_answer_error(conn, MHD_HTTP_FORBIDDEN, "school_code", _("outside your scope"));
    else
        rc = web_daemon_answer(self, conn, res, body, &no, who);
    free(body);
    return rc;
}

enum MHD_Result web_route_me(web_http *self, struct MHD_Connection *conn, const web_session *who)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "user", who->user, "role", who->role, "scope", who->scope,
                          "may_review", who->may_review, "csrf", who->csrf, "dev_open", self->cfg->dev_open);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    enum MHD_Result rc = text ? web_answer_json(conn, MHD_HTTP_OK, text) : MHD_NO;
    free(text);
    return rc;
}

enum MHD_Result web_route_meta(struct MHD_Connection *conn)
{
    json_t *list = json_array();
    for (int i = 0; list && i < IND_COUNT; i++) {
        const indicator_def *d = &INDICATORS[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id", d->key, "name_zh", d->name_zh,
                                              "unit", d->unit, "resource_zh", d->resource_zh, "resource_unit_zh",
                                              header_unit_zh(d->resource_unit), "whole_units", d->whole_units));
    }
    json_t *figures = json_object();
    for (int f = 0; figures && f < PLAN_FIGURE_COUNT; f++)
        json_object_set_new(figures, PLAN_FIGURES[f].key, json_string(PLAN_FIGURES[f].zh));
    json_t *o = list && figures ? json_pack("{s:o, s:o}", "indicators", list, "plan_figures", figures) : NULL;
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    enum MHD_Result rc = text ? web_answer_json(conn, MHD_HTTP_OK, text) : MHD_NO;
    free(text);
    return rc;
}

enum MHD_Result web_route_health(web_http *self, struct MHD_Connection *conn)
{
    char text[384];
    web_hub_stats st;
    web_hub_get_stats(self->hub, &st);
    snprintf(text, sizeof text,
             "{\"ok\":true,\"streams\":%d,\"sessions\":%zu,\"events\":%llu,\"stream_resyncs\":%llu,"
             "\"feed_lock_wait_ms\":%.1f,\"feed_lock_wait_max_ms\":%.1f,\"feed_lag_mean_ms\":%.1f,"
             "\"feed_lag_max_ms\":%llu}",
             st.readers, web_sessions_count(self->sessions), (unsigned long long)st.events,
             (unsigned long long)st.resyncs, (double)st.put_wait_us / 1000, (double)st.put_wait_max_us / 1000,
             st.lag_n ? (double)st.lag_sum_ms / (double)st.lag_n : 0.0, (unsigned long long)st.lag_max_ms);
    return web_answer_json(conn, MHD_HTTP_OK, text);
}
