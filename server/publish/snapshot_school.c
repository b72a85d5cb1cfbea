/* snapshot_school.c -- a status query for one school (StatusQuery.school_code,
 * `junheng status --school`): the school's own result in its county's
 * current status, in the view asked for (docs/formats.md "A school's own
 * status", rendered by common/school_result.c). The answer holds that one
 * school only.
 *
 * Scope (auth_may_query_school): a school key reads its own school, a county
 * key its county's schools, a monitor the schools inside its scope, an admin
 * any school. An empty school_code from a school key means its own school.
 * Read from memory like every snapshot answer: the school's newest and
 * approved revisions the registry holds, their review state, the period's
 * dates, and the county's verdict as the county's status shows it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "publish_internal.h"
#include "school_result.h"

/* Answers a query with status and one problem (field, reason). */
static void school_refuse(publisher *self, const peer_address *peer, const Junheng__Envelope *env,
                          Junheng__ReplyStatus status, const char *field, const char *reason)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, field, "%s", reason);
    net_reply(self->snapshot_sock, peer, env->has_request_id ? env->request_id.data : NULL,
              env->has_request_id ? env->request_id.len : 0, status, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
}

/* The revisions of rec for period the daemon holds (the newest and the
 * approved one), with their review state, into out (2 long); which the view
 * counts is marked. Returns how many. */
static size_t school_revisions(const review_state *rs, const school_record *rec, int32_t period, status_view view,
                               school_result_revision out[2])
{
    int64_t newest = 0, approved = 0;
    bool has_newest = school_record_has_latest(rec, period, &newest);
    bool has_approved = school_record_has_approved(rec, period, &approved);
    size_t n = 0;
    if (has_newest) {
        revision_review st = rs ? review_state_revision(rs, newest) : REVIEW_SUBMITTED;
        if (has_approved && approved == newest)
            st = REVIEW_APPROVED;
        out[n++] = (school_result_revision){ newest, revision_review_key(st), revision_review_zh(st), true,
                                             view == VIEW_LIVE || (has_approved && approved == newest) };
    }
    if (has_approved && (!has_newest || approved != newest))
        out[n++] = (school_result_revision){ approved, revision_review_key(REVIEW_APPROVED),
                                             revision_review_zh(REVIEW_APPROVED), false, view == VIEW_OFFICIAL };
    return n;
}

/* The period's dates and whether the school's submission is taken now. */
static void period_state(publisher *self, const review_state *rs, const char *school_code, int32_t period,
                         school_result_ctx *ctx)
{
    const period_info *pi = rs ? review_state_period(rs, period) : NULL;
    if (!pi)
        return;
    int32_t today = publish_today(self);
    ctx->has_period = true;
    ctx->closes_on = pi->closes_on;
    ctx->closed = pi->closed || (pi->closes_on > 0 && today > pi->closes_on);
    period_admission a = review_state_admit(rs, period, school_code, today);
    ctx->admission = a == PERIOD_ADMIT_OPEN ? "open" : a == PERIOD_ADMIT_LATE ? "late" : "closed";
}

/* Renders the school's answer: its submission in the view, its county's
 * verdict (read from the county's status, rendered as a county query would
 * be). Returns JSON text (caller frees) or NULL when out of memory. */
static char *render_school(publisher *self, const school_record *rec, const county_record *c, county_entry *e,
                           status_view view)
{
    char *county_json = publish_render(self, e, view, county_book_current_seq(self->book, c->info.code, view));
    json_t *county = county_json ? json_loads(county_json, 0, NULL) : NULL;
    free(county_json);
    if (!county)
        return NULL;
    const review_state *rs = county_book_review(self->book);
    school_result_revision revs[2];
    school_result_ctx ctx = {
        .view = status_view_key(view),
        .computed_at = json_string_value(json_object_get(county, "computed_at")),
        .county_verdict = json_string_value(json_object_get(county, "verdict")),
        .county_verdict_zh = json_string_value(json_object_get(county, "verdict_zh")),
        .county_verdict_reason = json_string_value(json_object_get(county, "verdict_reason")),
        .county_verdict_reason_en = json_string_value(json_object_get(county, "verdict_reason_en")),
        .revisions = revs,
        .n_revisions = school_revisions(rs, rec, e->period, view, revs),
    };
    period_state(self, rs, school_record_code(rec), e->period, &ctx);
    submission sub;
    int found = view == VIEW_OFFICIAL ? school_record_approved(rec, e->period, NULL, &sub)
                                      : school_record_latest(rec, e->period, NULL, &sub);
    char *body = NULL;
    if (found >= 0) {
        school_info info;
        school_record_info(rec, &info);
        body = school_result_render(county_book_rules(self->book), &c->info, &info, found == 1 ? &sub : NULL,
                                    e->period, &ctx);
    }
    if (found == 1)
        submission_clear(&sub);
    json_decref(county);
    return body;
}

/* The school a query names: its code, or for a school key asking with an
 * empty code, the key's own. NULL (with why) when neither. */
static const char *asked_school(publisher *self, const peer_address *peer, const char *code, char *why,
                                size_t whylen)
{
    if (*code)
        return code;
    const auth_key *k = auth_peer(self->policy, peer, why, whylen);
    if (k && k->role == ROLE_SCHOOL)
        return k->subject;
    if (k)
        snprintf(why, whylen, "%s",
                 _("no school, county or city given: give --school CODE, --county CODE or --city CODE "
                   "(only a school key reads its own school without one)"));
    return NULL;
}

void snapshot_school(publisher *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__StatusQuery *q = env->status_query;
    char why[320];
    const char *code = asked_school(self, peer, q->school_code, why, sizeof why);
    if (!code || !auth_may_query_school(self->policy, peer, code, NULL, why, sizeof why)) {
        school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "school_code", why);
        return;
    }
    school_record *rec = code_is_digits(code, SCHOOL_CODE_LEN) ? registry_school(self->reg, code) : NULL;
    county_record *c = rec ? registry_county(self->reg, school_record_county(rec)) : NULL;
    if (!c) {
        snprintf(why, sizeof why, _("%.16s is not a registered school"), code);
        school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "school_code", why);
        return;
    }
    if (!auth_may_query_school(self->policy, peer, code, c->info.code, why, sizeof why)) {
        school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "school_code", why);
        return;
    }
    status_view view = VIEW_LIVE;
    if (q->view && q->view[0] && strcmp(q->view, "live") != 0) {
        if (strcmp(q->view, "official") != 0) {
            snprintf(why, sizeof why, _("unknown view '%.20s': live or official"), q->view);
            school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "view", why);
            return;
        }
        view = VIEW_OFFICIAL;
    }
    county_entry *e = county_book_entry(self->book, c->info.code, q->has_period ? q->period : 0);
    if (!e) {
        school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "period",
                      _("no submissions yet for any period"));
        return;
    }
    char *body = render_school(self, rec, c, e, view);
    if (!body)
        school_refuse(self, peer, env, JUNHENG__REPLY_STATUS__RETRY_LATER, "", _("server out of memory"));
    else
        net_reply(self->snapshot_sock, peer, env->request_id.data, env->request_id.len, JUNHENG__REPLY_STATUS__OK,
                  0, NULL, NULL, body);
    free(body);
}
