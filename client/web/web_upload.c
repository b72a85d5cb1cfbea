/* web_upload.c -- a school's submission file uploaded in the browser:
 *   POST /api/school/CODE/check   the file's bytes as the body (CSV, or an
 *                                 .xlsx workbook; ?sheet=NAME or a position
 *                                 picks a sheet): every row read and checked
 *                                 as `junheng submit` checks it
 *                                 (web_upload_check.h); nothing is sent.
 *   POST /api/school/CODE/submit  the same bytes, read and checked again
 *                                 here (the browser's check is not trusted);
 *                                 any bad row: 422 and nothing is sent;
 *                                 else every row goes on the ingest socket as
 *                                 a Submission with a fresh id, carrying the
 *                                 user's session (the daemon acts as that
 *                                 user, records it on the revision, and
 *                                 checks role and scope itself), and the
 *                                 answer lists each row's revision.
 * Both need the session's CSRF token in the X-CSRF-Token header (the body
 * is the file, not a form) and pass the gateway's scope check first: a
 * school user only its own school, others a school of a county in their
 * scope (asked of the daemon). It runs in the request's own thread. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "submit_request.h"
#include "sys_clock.h"
#include "web_http_internal.h"
#include "web_text.h"
#include "web_upload_check.h"

#define WEB_CSRF_HEADER "X-CSRF-Token"

/* Whether who may upload for school code; when not, *rc is the answer
 * queued. A school user: its own school only. Others: the school's county
 * must be in their scope, as the daemon's status of it says; when the
 * daemon has nothing to show yet (no submissions in the county), the
 * daemon's own check at ingest decides. */
static bool upload_in_scope(web_http *self, struct MHD_Connection *conn, const char *code, const web_session *who,
                            enum MHD_Result *rc)
{
    if (strcmp(who->role, "school") == 0) {
        if (strcmp(who->scope, code) == 0)
            return true;
        *rc = web_answer_error(conn, MHD_HTTP_FORBIDDEN, "school_code", _("outside your scope"));
        return false;
    }
    char *body = NULL;
    web_daemon_refusal no = { 0 };
    web_daemon_result res = web_daemon_status(self->cfg, who->token, NULL, code, &body, &no);
    bool ok = res == WEB_DAEMON_OK ? web_school_in_scope(who, code, body)
                                   : res == WEB_DAEMON_REFUSED && strcmp(no.field, "period") == 0;
    if (!ok)
        *rc = res == WEB_DAEMON_OK
                  ? web_answer_error(conn, MHD_HTTP_FORBIDDEN, "school_code", _("outside your scope"))
                  : web_daemon_answer(self, conn, res, NULL, &no, who);
    free(body);
    return ok;
}

/* A reply's issues as the check's problems: field, Chinese heading, reason. */
static json_t *issues_json(Junheng__Issue **items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        const char *field = items[i]->field ? items[i]->field : "";
        int col = *field ? submission_column_find(field) : -1;
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "field", field, "heading",
                                           col >= 0 ? SUBMISSION_COLUMNS_ZH[col] : "", "reason",
                                           items[i]->reason ? items[i]->reason : ""));
    }
    return a;
}

/* One sent row's outcome: its line, school, submission id, status
 * ("accepted", "duplicate", "refused", or "not answered"), revision and the
 * daemon's errors and warnings. */
static json_t *sent_row_json(const submission_row *row, const transport_request *req)
{
    const Junheng__Reply *r = req->reply;
    bool final = submit_reply_is_final(r);
    json_t *o = json_pack("{s:I, s:s, s:i, s:s, s:s}", "line", (json_int_t)row->line, "school_code",
                          row->sub.school_code, "period", (int)row->sub.period, "submission_id",
                          row->sub.submission_id, "status", final ? wire_reply_status_name(r->status) : "not answered");
    if (!o)
        return NULL;
    bool stored = final && (r->status == JUNHENG__REPLY_STATUS__ACCEPTED || r->status == JUNHENG__REPLY_STATUS__DUPLICATE);
    json_object_set_new(o, "revision", stored ? json_integer((json_int_t)r->revision) : json_null());
    json_object_set_new(o, "errors", issues_json(r ? r->errors : NULL, r ? r->n_errors : 0));
    json_object_set_new(o, "warnings", issues_json(r ? r->warnings : NULL, r ? r->n_warnings : 0));
    return o;
}

/* The HTTP status of a send: 200 when every row was stored (accepted or
 * duplicate), 401 when the daemon ended the user's session, 503 when a row
 * got no answer, else 422 (the daemon refused a row). */
static unsigned sent_status(const transport_request *reqs, size_t n)
{
    unsigned status = MHD_HTTP_OK;
    for (size_t i = 0; i < n; i++) {
        const Junheng__Reply *r = reqs[i].reply;
        if (r && r->n_errors && r->errors[0]->field && strcmp(r->errors[0]->field, "session") == 0)
            return MHD_HTTP_UNAUTHORIZED;
        if (!submit_reply_is_final(r))
            status = MHD_HTTP_SERVICE_UNAVAILABLE;
        else if (r->status == JUNHENG__REPLY_STATUS__REFUSED && status == MHD_HTTP_OK)
            status = 422;
    }
    return status;
}

/* Answers the outcome of the sent rows of f ({"sent": true, "ok": bool,
 * "rows": [...]}); a session the daemon ended ends here too. */
static enum MHD_Result answer_sent(web_http *self, struct MHD_Connection *conn, const submission_file *f,
                                   const transport_request *reqs, const web_session *who)
{
    unsigned status = sent_status(reqs, f->n_rows);
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < f->n_rows; i++)
        json_array_append_new(rows, sent_row_json(&f->rows[i], &reqs[i]));
    json_t *o = rows ? json_pack("{s:b, s:b, s:o}", "sent", 1, "ok", status == MHD_HTTP_OK, "rows", rows) : NULL;
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (status == MHD_HTTP_UNAUTHORIZED && !self->cfg->dev_open)
        web_sessions_remove(self->sessions, who->id);
    enum MHD_Result rc = text ? web_answer_json(conn, status, text) : MHD_NO;
    free(text);
    return rc;
}

/* Sends every row of the checked upload u as who, and answers. */
static enum MHD_Result send_rows(web_http *self, struct MHD_Connection *conn, web_upload *u, const web_session *who)
{
    transport_options t = self->cfg->transport;
    size_t token_len = strlen(who->token), n = u->file->n_rows;
    if (token_len >= sizeof t.session)
        return web_answer_error(conn, MHD_HTTP_UNAUTHORIZED, "session", _("the session token is too long"));
    memcpy(t.session, who->token, token_len + 1);
    transport_request *reqs = calloc(n, sizeof *reqs);
    bool made = reqs != NULL;
    for (size_t i = 0; made && i < n; i++)
        made = submit_request_make(&u->file->rows[i].sub, &reqs[i]) == 0;
    enum MHD_Result rc;
    if (!made)
        rc = web_answer_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "", _("out of memory; nothing was sent"));
    else if (transport_exchange(self->cfg->submit_endpoint, reqs, n, &t) < 0)
        rc = web_answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "", _("the daemon did not answer"));
    else
        rc = answer_sent(self, conn, u->file, reqs, who);
    for (size_t i = 0; reqs && i < n; i++)
        transport_request_clear(&reqs[i]);
    free(reqs);
    return rc;
}

/* Checks the bytes (both languages) and answers the check: 200, or 422
 * when send is true and something is wrong (nothing was sent). */
static enum MHD_Result answer_check(struct MHD_Connection *conn, const char *code, const char *body, size_t len,
                                    const char *sheet, const validate_limits *limits, bool send)
{
    bool ok = false;
    char *text = web_upload_check(body, len, sheet, code, limits, &ok);
    if (!text)
        return MHD_NO;
    enum MHD_Result rc = web_answer_json(conn, send && !ok ? 422 : MHD_HTTP_OK, text);
    free(text);
    return rc;
}

enum MHD_Result web_route_school_upload(web_http *self, struct MHD_Connection *conn, bool send, const char *code,
                                        const char *body, size_t len, const web_session *who)
{
    const char *csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, WEB_CSRF_HEADER);
    if (!csrf || !web_secret_equal(csrf, who->csrf))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "csrf", _("the form's token does not match this session"));
    enum MHD_Result rc = MHD_NO;
    if (!upload_in_scope(self, conn, code, who, &rc))
        return rc;
    if (len == 0)
        return web_answer_error(conn, MHD_HTTP_BAD_REQUEST, "file", _("no file was uploaded"));
    const char *sheet = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "sheet");
    if (sheet && !*sheet)
        sheet = NULL;
    validate_limits limits;
    validate_limits_default(&limits);
    if (!send)
        return answer_check(conn, code, body, len, sheet, &limits, false);
    web_upload u;
    if (web_upload_read(&u, body, len, sheet, code, &limits) != 0)
        return MHD_NO;
    if (!web_upload_ok(&u)) {
        web_upload_clear(&u);
        return answer_check(conn, code, body, len, sheet, &limits, true);
    }
    rc = send_rows(self, conn, &u, who);
    web_upload_clear(&u);
    return rc;
}
