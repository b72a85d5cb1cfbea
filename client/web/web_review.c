/* web_review.c -- the review desk (docs/web.md "Review desk"): GET /review
 * (review.html with review.js), GET /api/review/QUERY (inbox, submissions,
 * pending, findings, audit, package) and POST /api/review/ACTION (approve,
 * return, return_package, seal, finding, override, pass, answer, close).
 * Each is one ReviewRequest sent with the user's session (the daemon acts
 * as that user: it checks role, scope and the review right, and records
 * the person in the audit), packed by the CLI's own review_send.c. An
 * action carries the session's CSRF token and the action id the browser
 * made for the form: a resend after a network error carries the same id,
 * and the daemon applies it at most once. The gateway checks the county
 * against the user's scope first (403), and answers the daemon's refusals
 * as {"field", "error"} in the language of Envelope.lang. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "review_send.h"
#include "web_assets.h"
#include "web_http_internal.h"
#include "web_review_form.h"
#include "web_text.h"

/* The lookup of a GET request's query string (ctx: the connection). */
static int lookup_query(void *ctx, const char *name, char *out, size_t size)
{
    const char *v = MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
    if (!v || strlen(v) >= size)
        return -1;
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

/* Whether the role may use the desk (a school's user has its own page). */
static bool desk_role(const web_session *who)
{
    return strcmp(who->role, "county") == 0 || strcmp(who->role, "monitor") == 0 || strcmp(who->role, "admin") == 0;
}

enum MHD_Result web_route_review_page(web_http *self, struct MHD_Connection *conn, const char *method,
                                      const web_session *who)
{
    (void)self;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return web_answer_error(conn, 405, "", "GET");
    if (!desk_role(who)) {
        char page[512];
        snprintf(page, sizeof page,
                 "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>403</title>"
                 "<p id=\"forbidden\">无权使用审核台。%s <a href=\"/\">返回</a></p></html>",
                 _("The review desk is for county users and city reviewers."));
        return web_answer(conn, MHD_HTTP_FORBIDDEN, "text/html; charset=utf-8", page, strlen(page), NULL);
    }
    const web_asset *a = web_asset_find("review.html");
    if (!a)
        return web_answer_error(conn, MHD_HTTP_NOT_FOUND, "", _("not found"));
    return web_answer(conn, MHD_HTTP_OK, a->type, (const char *)a->data, a->len, NULL);
}

/* Answers {"field", "error", "errors": [...], "action_id"} with status. */
static enum MHD_Result refusal(struct MHD_Connection *conn, unsigned status, const Junheng__Reply *r,
                               const char *field, const char *reason, const char *action_id)
{
    json_t *errors = json_array();
    for (size_t i = 0; r && errors && i < r->n_errors; i++)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", r->errors[i]->field ? r->errors[i]->field : "",
                                                "error", r->errors[i]->reason ? r->errors[i]->reason : ""));
    json_t *o = errors ? json_pack("{s:s, s:s, s:o, s:s?}", "field", field, "error", reason, "errors", errors,
                                   "action_id", action_id && *action_id ? action_id : NULL)
                       : NULL;
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    enum MHD_Result rc = text ? web_answer_json(conn, status, text) : MHD_NO;
    free(text);
    return rc;
}

/* Answers the daemon's reply to a review request: its JSON body when done
 * (or a duplicate: the original's answer), else the refusal -- 401 when
 * the session has ended (the gateway's session of who ends too), 403 for a
 * right the user lacks, 422 for the rest; 503 when nothing answered. */
static enum MHD_Result review_answer(web_http *self, struct MHD_Connection *conn, const Junheng__Reply *r,
                                     const web_review_form *f, const web_session *who)
{
    if (!r || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER ||
        r->status == JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN)
        return refusal(conn, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "",
                       _("the daemon did not answer; send the form again (it is applied at most once)"),
                       f->action_id);
    if (r->status == JUNHENG__REPLY_STATUS__OK || r->status == JUNHENG__REPLY_STATUS__DUPLICATE)
        return web_answer_json(conn, MHD_HTTP_OK, r->body && *r->body ? r->body : "{}");
    const Junheng__Issue *e = r->n_errors ? r->errors[0] : NULL;
    const char *field = e && e->field ? e->field : "";
    const char *reason = e && e->reason ? e->reason : _("refused");
    bool ended = strcmp(field, "session") == 0;
    if (ended && !self->cfg->dev_open)
        web_sessions_remove(self->sessions, who->id);
    unsigned status = ended ? MHD_HTTP_UNAUTHORIZED : strcmp(field, "key") == 0 ? MHD_HTTP_FORBIDDEN : 422;
    return refusal(conn, status, r, field, reason, NULL);
}

/* Reads, checks and sends one review request of name (kind 1 query, 2 action). */
static enum MHD_Result review_request(web_http *self, struct MHD_Connection *conn, const char *name, int kind,
                                      const char *body, const web_session *who)
{
    web_review_form *f = malloc(sizeof *f);
    if (!f)
        return MHD_NO;
    const char *field, *reason;
    enum MHD_Result rc;
    int bad = kind == 1 ? web_review_form_read(f, name, lookup_query, conn, &field, &reason)
                        : web_review_form_read(f, name, web_review_lookup_body, (void *)body, &field, &reason);
    if (bad != 0)
        rc = refusal(conn, MHD_HTTP_BAD_REQUEST, NULL, field, _(reason), NULL);
    else if (f->county[0] && !web_scope_allows(who->scope, f->county))
        rc = refusal(conn, MHD_HTTP_FORBIDDEN, NULL, "county_code", _("outside your scope"), NULL);
    else {
        const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
        bool oom = false;
        Junheng__Reply *r = review_send(self->cfg->admin_endpoint, &f->req, web_review_lang(accept), who->token,
                                        &self->cfg->transport, &oom);
        rc = oom ? MHD_NO : review_answer(self, conn, r, f, who);
        if (r)
            junheng__reply__free_unpacked(r, NULL);
    }
    free(f);
    return rc;
}

enum MHD_Result web_route_review(web_http *self, struct MHD_Connection *conn, const char *name, const char *method,
                                 const char *body, const web_session *who)
{
    int kind = web_review_kind(name);
    if (kind == 0)
        return web_answer_error(conn, MHD_HTTP_NOT_FOUND, "", _("not found"));
    bool get = strcmp(method, "GET") == 0;
    if ((kind == 1 && !get) || (kind == 2 && strcmp(method, "POST") != 0))
        return web_answer_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "", kind == 1 ? "GET" : "POST");
    if (!desk_role(who))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "role", _("the review desk is for county users and city reviewers"));
    char csrf[WEB_SESSION_ID_HEX + 1] = "";
    if (kind == 2 && (web_form_get(body, "csrf", csrf, sizeof csrf) != 0 || !web_secret_equal(csrf, who->csrf)))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "csrf", _("the form's token does not match this session"));
    return review_request(self, conn, name, kind, body, who);
}
