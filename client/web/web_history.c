/* web_history.c -- GET /api/county/CODE/history: the county's stored
 * history for the county page's chart (assets/history.js), as the daemon
 * answers StatusQuery.history (proto/README.md): a list, oldest first, of
 * compact entries with the whole verdict and per stage the seven difference
 * coefficients and their limit. The gateway checks the user's scope first;
 * the daemon, asked with the user's session, checks again. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "web_daemon.h"
#include "web_http_internal.h"
#include "web_text.h"

enum MHD_Result web_route_county_history(web_http *self, struct MHD_Connection *conn, const char *code,
                                         const web_session *who)
{
    if (strcmp(who->role, "school") == 0 || !web_scope_allows(who->scope, code))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "county_code", _("outside your scope"));
    char *body = NULL;
    web_daemon_refusal no = { 0 };
    web_daemon_result res = web_daemon_history(self->cfg, who->token, code, &body, &no);
    if (res == WEB_DAEMON_OK && body[0] != '[')
        res = WEB_DAEMON_BAD_ANSWER;
    enum MHD_Result rc = web_daemon_answer(self, conn, res, body, &no, who);
    free(body);
    return rc;
}
