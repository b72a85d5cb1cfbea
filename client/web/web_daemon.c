/* web_daemon.c -- the gateway's requests to junhengd (see web_daemon.h). */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "web_daemon.h"
#include "wire.h"

/* Sends env (its version and request id filled here) to endpoint with the
 * given transport options and returns the reply (caller frees), or NULL. */
static Junheng__Reply *call_with(const transport_options *opts, const char *endpoint, Junheng__Envelope *env)
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    if (wire_request_id_new(rid) != 0)
        return NULL;
    env->has_version = 1;
    env->version = WIRE_PROTOCOL_VERSION;
    env->has_request_id = 1;
    env->request_id.data = rid;
    env->request_id.len = WIRE_REQUEST_ID_LEN;
    transport_request req = { 0 };
    memcpy(req.request_id, rid, WIRE_REQUEST_ID_LEN);
    if (wire_pack_message(&env->base, &req.msg, &req.len) != 0)
        return NULL;
    transport_exchange(endpoint, &req, 1, opts);
    Junheng__Reply *reply = req.reply;
    req.reply = NULL;
    transport_request_clear(&req);
    return reply;
}

/* Sends env with the gateway's own timeout and retries (see call_with). */
static Junheng__Reply *call(const web_config *cfg, const char *endpoint, Junheng__Envelope *env)
{
    return call_with(&cfg->transport, endpoint, env);
}

/* The result of a reply; a refusal's first error goes into no. */
static web_daemon_result result_of(const Junheng__Reply *r, web_daemon_refusal *no)
{
    if (!r || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER)
        return WEB_DAEMON_UNREACHABLE;
    if (r->status == JUNHENG__REPLY_STATUS__OK)
        return WEB_DAEMON_OK;
    if (no) {
        const Junheng__Issue *e = r->n_errors ? r->errors[0] : NULL;
        snprintf(no->field, sizeof no->field, "%s", e && e->field ? e->field : "");
        snprintf(no->reason, sizeof no->reason, "%s", e && e->reason ? e->reason : _("refused"));
    }
    return WEB_DAEMON_REFUSED;
}

/* Copies the string member key of o into dst; -1 when absent. */
static int member(json_t *o, const char *key, char *dst, size_t size)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v || strlen(v) >= size)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* Reads an RFC 3339 UTC time ("2026-12-06T01:00:00Z", fraction and offset
 * allowed) into Unix milliseconds. Returns 0 or -1. */
static int rfc3339_ms(const char *text, int64_t *out)
{
    struct tm tm = { 0 };
    int off_h = 0, off_m = 0;
    char sign = 'Z';
    int used = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &used) != 6 || used == 0)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const char *rest = text + used;
    if (*rest == '.')
        rest += 1 + strspn(rest + 1, "0123456789");
    if ((*rest == '+' || *rest == '-') && sscanf(rest + 1, "%2d:%2d", &off_h, &off_m) == 2)
        sign = *rest;
    else if (*rest != 'Z' && *rest != '\0')
        return -1;
    int64_t t = (int64_t)timegm(&tm) - (sign == '+' ? 1 : sign == '-' ? -1 : 0) * (off_h * 3600 + off_m * 60);
    *out = t * 1000;
    return 0;
}

int web_daemon_read_login(const char *body, web_session *s)
{
    json_t *o = json_loads(body ? body : "", 0, NULL);
    int rc = -1;
    const char *exp = json_string_value(json_object_get(o, "expires_at"));
    json_t *scope = json_object_get(o, "scope");
    if (json_is_object(o) && member(o, "session", s->token, sizeof s->token) == 0 && s->token[0] &&
        member(o, "user", s->user, sizeof s->user) == 0 && member(o, "role", s->role, sizeof s->role) == 0 &&
        (json_is_null(scope) || !scope || member(o, "scope", s->scope, sizeof s->scope) == 0) && exp &&
        rfc3339_ms(exp, &s->expires_ms) == 0) {
        s->may_review = json_is_true(json_object_get(o, "may_review"));
        rc = 0;
    }
    json_decref(o);
    return rc;
}

/* One SessionRequest; lang (Envelope.lang, may be NULL) is the language
 * of the daemon's refusal. */
static Junheng__Reply *session_call(const web_config *cfg, const char *action, const char *user,
                                    const char *password, const char *address, const char *token, const char *lang)
{
    Junheng__SessionRequest q = JUNHENG__SESSION_REQUEST__INIT;
    q.action = (char *)action;
    q.user = (char *)user;
    q.password = (char *)password;
    q.client_address = (char *)address;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    env.session = token && *token ? (char *)token : NULL;
    env.lang = (char *)lang;
    env.body_case = JUNHENG__ENVELOPE__BODY_SESSION_REQUEST;
    env.session_request = &q;
    if (strcmp(action, "login") != 0)
        return call(cfg, cfg->admin_endpoint, &env);
    /* A login waits for the daemon's Argon2id check, queued behind any other
     * logins on one worker thread: a resend would only queue a second check,
     * so it gets one long wait (4x the timeout, at least 10 s) and no retry. */
    transport_options login = cfg->transport;
    login.timeout_ms = login.timeout_ms * 4 > 10000 ? login.timeout_ms * 4 : 10000;
    login.retries = 0;
    return call_with(&login, cfg->admin_endpoint, &env);
}

web_daemon_result web_daemon_login(const web_config *cfg, const char *user, const char *password,
                                   const char *client_address, const char *lang, web_session *s,
                                   web_daemon_refusal *no)
{
    Junheng__Reply *r = session_call(cfg, "login", user, password, client_address, NULL, lang);
    web_daemon_result res = result_of(r, no);
    if (res == WEB_DAEMON_OK && web_daemon_read_login(r->body, s) != 0)
        res = WEB_DAEMON_BAD_ANSWER;
    if (r)
        junheng__reply__free_unpacked(r, NULL);
    return res;
}

void web_daemon_logout(const web_config *cfg, const char *token)
{
    if (!token || !*token)
        return;
    Junheng__Reply *r = session_call(cfg, "logout", NULL, NULL, NULL, token, NULL);
    if (r)
        junheng__reply__free_unpacked(r, NULL);
}

/* One StatusQuery as the session's user: the current status, or with
 * history the county's stored history. */
static web_daemon_result status_query(const web_config *cfg, const char *token, const char *county,
                                      const char *school, bool history, char **body, web_daemon_refusal *no)
{
    Junheng__StatusQuery q = JUNHENG__STATUS_QUERY__INIT;
    q.county_code = (char *)county;
    q.school_code = (char *)school;
    q.has_history = history;
    q.history = history;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    env.session = token && *token ? (char *)token : NULL;
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    Junheng__Reply *r = call(cfg, cfg->snapshot_endpoint, &env);
    web_daemon_result res = result_of(r, no);
    *body = NULL;
    if (res == WEB_DAEMON_OK) {
        *body = strdup(r->body ? r->body : "null");
        if (!*body)
            res = WEB_DAEMON_UNREACHABLE;
    }
    if (r)
        junheng__reply__free_unpacked(r, NULL);
    return res;
}

web_daemon_result web_daemon_status(const web_config *cfg, const char *token, const char *county,
                                    const char *school, char **body, web_daemon_refusal *no)
{
    return status_query(cfg, token, county, school, false, body, no);
}

web_daemon_result web_daemon_history(const web_config *cfg, const char *token, const char *county, char **body,
                                     web_daemon_refusal *no)
{
    return status_query(cfg, token, county, NULL, true, body, no);
}
