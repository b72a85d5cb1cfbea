/* web_http_internal.h -- what web_http.c and web_routes.c share: the
 * server's state and the answers every route uses. Private to client/web. */
#ifndef JUNHENG_WEB_HTTP_INTERNAL_H
#define JUNHENG_WEB_HTTP_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "web_config.h"
#include "web_daemon.h"
#include "web_http.h"
#include "web_hub.h"
#include "web_session.h"

#define WEB_SESSION_COOKIE "jh_session"
#define WEB_LOGIN_COOKIE "jh_login"   /* the login form's own CSRF token (double-submit) */

struct web_http {
    const web_config *cfg;
    web_hub *hub;
    web_sessions *sessions;
    web_limiter *limiter;
    struct MHD_Daemon *mhd;
    bool tls;
    char *cert, *key;              /* PEM text for libmicrohttpd's TLS */
    web_session dev_session;       /* dev_open: everyone is this monitor */
};

/* Queues an answer of status with body (copied), type and an optional Set-Cookie. */
enum MHD_Result web_answer(struct MHD_Connection *conn, unsigned int status, const char *type, const char *body,
                           size_t len, const char *cookie);
/* Queues a 200 answer of a file to save: body (copied) of type, with the
 * Content-Disposition value disposition. */
enum MHD_Result web_answer_attachment(struct MHD_Connection *conn, const char *type, const char *body, size_t len,
                                      const char *disposition);
/* Queues a JSON answer. */
enum MHD_Result web_answer_json(struct MHD_Connection *conn, unsigned int status, const char *json);
/* Queues {"field": field, "error": reason} with status. */
enum MHD_Result web_answer_error(struct MHD_Connection *conn, unsigned int status, const char *field,
                                 const char *reason);
/* Queues a 303 redirect to `to`, with up to two Set-Cookie values (NULL: none). */
enum MHD_Result web_redirect(struct MHD_Connection *conn, const char *to, const char *cookie, const char *cookie2);
/* The session of the request's cookie (every request in dev_open). */
bool web_current_session(web_http *self, struct MHD_Connection *conn, web_session *out);
/* The browser's address as text. */
void web_client_address(struct MHD_Connection *conn, char *out, size_t size);

/* web_routes.c */
enum MHD_Result web_route_login(web_http *self, struct MHD_Connection *conn, const char *method, const char *body);
enum MHD_Result web_route_logout(web_http *self, struct MHD_Connection *conn, const char *body,
                                 const web_session *who);
enum MHD_Result web_route_county(web_http *self, struct MHD_Connection *conn, const char *code,
                                 const web_session *who);
enum MHD_Result web_route_school(web_http *self, struct MHD_Connection *conn, const char *code,
                                 const web_session *who);
/* A daemon call's outcome: the body on OK, else the error (401 when the
 * daemon ended the session, which ends the gateway's too; 403; 503). */
enum MHD_Result web_daemon_answer(web_http *self, struct MHD_Connection *conn, web_daemon_result res,
                                  const char *body, const web_daemon_refusal *no, const web_session *who);
enum MHD_Result web_route_me(web_http *self, struct MHD_Connection *conn, const web_session *who);
enum MHD_Result web_route_meta(struct MHD_Connection *conn);
enum MHD_Result web_route_health(web_http *self, struct MHD_Connection *conn);

/* web_plan.c: GET /api/county/CODE/plan, the cheapest path as `junheng plan
 * --json` prints it (scope-checked; the what-ifs carry the user's session). */
enum MHD_Result web_route_county_plan(web_http *self, struct MHD_Connection *conn, const char *code,
                                      const web_session *who);

/* web_review.c: the review desk, GET /review and GET|POST /api/review/NAME
 * (each a ReviewRequest carrying the user's session; see docs/web.md). */
enum MHD_Result web_route_review_page(web_http *self, struct MHD_Connection *conn, const char *method,
                                      const web_session *who);
enum MHD_Result web_route_review(web_http *self, struct MHD_Connection *conn, const char *name, const char *method,
                                 const char *body, const web_session *who);

/* web_history.c: GET /api/county/CODE/history, the county's stored history
 * (oldest first) asked with the user's session (scope-checked). */
enum MHD_Result web_route_county_history(web_http *self, struct MHD_Connection *conn, const char *code,
                                         const web_session *who);

/* web_download.c: GET /api/county/CODE/downloads (the list) and
 * /api/county/CODE/download/KIND (the file: the HTML report, the official
 * CSV tables, the 自评表 XLSX), made from the status fetched with the user's
 * session; scope-checked, a school user gets 403. */
enum MHD_Result web_route_county_downloads(struct MHD_Connection *conn, const char *code, const web_session *who);
enum MHD_Result web_route_county_download(web_http *self, struct MHD_Connection *conn, const char *code,
                                          const char *kind, const web_session *who);

/* web_upload.c: POST /api/school/CODE/check (send false) and
 * /api/school/CODE/submit (send true): the school's file in the body (len
 * bytes), checked row by row; sent on the ingest socket with the user's
 * session only when every row is clean (CSRF-checked, scope-checked). */
enum MHD_Result web_route_school_upload(web_http *self, struct MHD_Connection *conn, bool send, const char *code,
                                        const char *body, size_t len, const web_session *who);
/* web_routes.c: whether the school of a status answer (body) is within the
 * user's scope (a school user: its own school only). */
bool web_school_in_scope(const web_session *who, const char *code, const char *body);
/* web_routes.c: a daemon call's outcome answered: the body on OK, else an
 * error (a session the daemon ended ends here too: 401). */
enum MHD_Result web_daemon_answer(web_http *self, struct MHD_Connection *conn, web_daemon_result res,
                                  const char *body, const web_daemon_refusal *no, const web_session *who);

#endif
