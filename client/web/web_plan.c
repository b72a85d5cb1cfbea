/* web_plan.c -- GET /api/county/CODE/plan: the cheapest path (整改方案) of a
 * county for the county page. The same pipeline as `junheng plan --json`
 * (docs/plan.md), with the client's own code: the county's schools fetched
 * by a what-if with with_schools (plan_verify.c, plan_fetch.c), planned by
 * common/rectify.h (GLPK), checked by a second what-if carrying the plan's
 * additions, and answered as plan_to_json's object (plan_out.c). Every
 * what-if carries the user's session. It runs in the request's own thread
 * (the gateway is thread-per-connection), never on the event fan-out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "data_paths.h"
#include "file_read.h"
#include "i18n.h"
#include "plan_cli.h"
#include "web_http_internal.h"
#include "web_text.h"

/* The unit costs: the shipped costs file, else the built-in defaults (the
 * same values), as `junheng plan` without --costs. 0, or -1 when the
 * shipped file is there but wrong. */
static int shipped_costs(plan_costs *costs)
{
    plan_costs_default(costs);
    char *text = NULL, err[256];
    size_t len = 0;
    if (file_read_all(data_paths_plan_costs(), 1 << 20, FILE_READ_REGULAR, &text, &len, NULL) != 0)
        return 0;
    int rc = plan_costs_parse(costs, text, err, sizeof err);
    free(text);
    if (rc != PLAN_OK)
        fprintf(stderr, _("junheng-web: costs file %s: %s\n"), data_paths_plan_costs(), err);
    return rc == PLAN_OK ? 0 : -1;
}

/* The answer to a what-if reply that is not OK: 503 without an answer, else
 * the refusal's first problem (401 for the session, else 403 or 422). */
static enum MHD_Result whatif_refused(struct MHD_Connection *conn, const Junheng__Reply *r)
{
    if (!r || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER)
        return web_answer_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "", _("the daemon did not answer"));
    const Junheng__Issue *e = r->n_errors ? r->errors[0] : NULL;
    const char *field = e && e->field ? e->field : "";
    unsigned status = strcmp(field, "session") == 0 ? MHD_HTTP_UNAUTHORIZED
                      : strcmp(field, "county_code") == 0 || strcmp(field, "scope") == 0 ? MHD_HTTP_FORBIDDEN
                                                                                          : 422;
    return web_answer_error(conn, status, field, e && e->reason ? e->reason : _("refused"));
}

/* Plans the fetched county d, checks the plan and answers its JSON. */
static enum MHD_Result plan_answer(struct MHD_Connection *conn, client_options *opts, const plan_county_data *d)
{
    plan_costs costs;
    rules_config rules;
    rules_config_default(&rules);
    if (shipped_costs(&costs) != 0)
        return web_answer_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "costs", _("the costs file is not valid"));
    plan_request req = { &rules, &costs, &d->county, d->period, d->entries, d->n, 0, 0 };
    plan_result *res = NULL;
    if (plan_solve_county(&req, &res) != PLAN_OK)
        return web_answer_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "", _("the planner failed"));
    plan_check check;
    plan_verify(opts, d, res, &rules, &check);
    plan_view v = { d, res, &costs, &rules, 0, &check };
    json_t *j = plan_to_json(&v);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    plan_result_destroy(&res);
    enum MHD_Result rc = text ? web_answer_json(conn, MHD_HTTP_OK, text) : MHD_NO;
    free(text);
    return rc;
}

enum MHD_Result web_route_county_plan(web_http *self, struct MHD_Connection *conn, const char *code,
                                      const web_session *who)
{
    if (!web_scope_allows(who->scope, code))
        return web_answer_error(conn, MHD_HTTP_FORBIDDEN, "county_code", _("outside your scope"));
    client_options opts;
    memset(&opts, 0, sizeof opts);
    snprintf(opts.admin_endpoint, sizeof opts.admin_endpoint, "%s", self->cfg->admin_endpoint);
    snprintf(opts.snapshot_endpoint, sizeof opts.snapshot_endpoint, "%s", self->cfg->snapshot_endpoint);
    opts.transport = self->cfg->transport;
    size_t token_len = strlen(who->token);
    if (token_len >= sizeof opts.transport.session)
        return web_answer_error(conn, MHD_HTTP_UNAUTHORIZED, "session", _("the session token is too long"));
    memcpy(opts.transport.session, who->token, token_len + 1);
    Junheng__Reply *reply = plan_whatif(&opts, code, 0, true, NULL, 0);
    if (!reply || reply->status != JUNHENG__REPLY_STATUS__OK) {
        enum MHD_Result rc = whatif_refused(conn, reply);
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        return rc;
    }
    json_t *answer = json_loads(reply->body ? reply->body : "", 0, NULL);
    junheng__reply__free_unpacked(reply, NULL);
    plan_county_data d;
    memset(&d, 0, sizeof d);
    char err[256] = "";
    if (!answer || plan_county_from_json(answer, &d, err, sizeof err) != 0) {
        json_decref(answer);
        plan_county_data_clear(&d);
        return web_answer_error(conn, 422, "", err[0] ? err : _("the what-if answer is not JSON"));
    }
    json_decref(answer);
    enum MHD_Result rc = plan_answer(conn, &opts, &d);
    plan_county_data_clear(&d);
    return rc;
}
