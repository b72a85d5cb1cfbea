/* admin_review_checks.c -- the start of each review action (docs/review.md
 * "States" and "Who may do what"): the request's fields, the key's right
 * over the county concerned, the state machine against the review state in
 * memory; then the action's review_apply request is sent
 * (admin_review_send). Each refusal names the request field at fault,
 * in the request's language (English ids, their Chinese in po/zh_CN.po). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "admin_internal.h"
#include "items.h"

/* Refuses the request in flight on field, with a formatted reason. */
static void refusef(admin *self, const char *field, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    admin_refuse(self, &self->cur, field, reason);
}

/* The word of a refusal's argument in the request's language: zh when the
 * answer is being made in Chinese (the catalogue translates the marker
 * below to "zh"), else en (a state's id, a field's id, English words).
 * gettext cannot translate an argument by itself: a state's Chinese name
 * and its id are different arguments. */
static const char *lang_pick(const char *en, const char *zh)
{
    /* TRANSLATORS: not shown: "zh" in a Chinese catalogue, so refusals name states and fields in Chinese */
    return strcmp(_("language of the words in refusals: en"), "zh") == 0 ? zh : en;
}

/* The request in flight. */
static const Junheng__ReviewRequest *req_of(admin *self)
{
    return self->cur.env->review;
}

/* The county of the request (a registered 6-digit code), or NULL (refused). */
static county_record *need_county(admin *self)
{
    const char *code = req_of(self)->county_code;
    county_record *c = code && code_is_digits(code, COUNTY_CODE_LEN) ? registry_county(self->reg, code) : NULL;
    if (!c)
        refusef(self, "county_code", _("'%.16s' is not a registered county code"), code ? code : "");
    return c;
}

/* The period of the request (> 0), or 0 (refused). */
static int32_t need_period(admin *self)
{
    const Junheng__ReviewRequest *r = req_of(self);
    if (r->has_period && r->period >= 1900 && r->period <= 9999)
        return r->period;
    refusef(self, "period", _("a period (the school year's starting year, e.g. 2025) is needed"));
    return 0;
}

/* Whether the text field is given; refuses when not. */
static bool need_text(admin *self, const char *value, const char *field, const char *zh)
{
    if (value && value[0])
        return true;
    refusef(self, field, _("%s is needed"), lang_pick(field, zh));
    return false;
}

/* Whether s is empty or a YYYY-MM-DD date; refuses field when not. */
static bool valid_date(admin *self, const char *s, const char *field)
{
    int y, m, d;
    char extra;
    if (!s || !s[0] || (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 && m >= 1 &&
                        m <= 12 && d >= 1 && d <= 31))
        return true;
    refusef(self, field, _("%s must be a date YYYY-MM-DD, not '%.32s'"), field, s);
    return false;
}

/* The package state of (county, period) now. */
static package_state package_now(admin *self, const char *county, int32_t period)
{
    const package_info *p = review_state_package(self->review, county, period);
    return p ? p->state : PACKAGE_COLLECTING;
}

/* Whether the package of (county, period) is in one of the states of mask
 * (bit s for state s); refuses field "period" when not, naming what would
 * be done (what in English, what_zh in Chinese). */
static bool package_in(admin *self, const char *county, int32_t period, unsigned mask, const char *what,
                       const char *what_zh)
{
    package_state s = package_now(self, county, period);
    if (mask & (1u << s))
        return true;
    refusef(self, "period", _("the package of county %s for %d is %s: it cannot be %s"), county, (int)period,
            lang_pick(package_state_key(s), package_state_zh(s)), lang_pick(what, what_zh));
    return false;
}

/* A review_apply request for the action in flight about (county, period). */
static json_t *request_for(admin *self, const char *county, int32_t period)
{
    const auth_key *k = admin_review_actor(self);
    json_t *r = k ? admin_review_request(self, k, req_of(self)->action) : NULL;
    if (r) {
        json_object_set_new(r, "county_code", json_string(county));
        json_object_set_new(r, "period", json_integer(period));
    } else if (k) {
        refusef(self, "", "server out of memory");
    }
    return r;
}

/* Prepares self->rv_targets for revs (their schools not yet found). */
static int find_targets(admin *self, const int64_t *revs, size_t n)
{
    self->rv_targets = calloc(n, sizeof *self->rv_targets);
    if (!self->rv_targets)
        return -1;
    self->n_rv_targets = n;
    for (size_t i = 0; i < n; i++)
        self->rv_targets[i].revision = revs[i];
    return 0;
}

/* registry_foreach_county callback: marks the targets this county's schools hold. */
static void scan_county(void *arg, county_record *c)
{
    admin *self = arg;
    for (size_t s = 0; s < c->n_schools; s++) {
        school_record *rec = c->schools[s];
        for (size_t j = 0, np = school_record_n_latest(rec); j < np; j++) {
            int32_t period = school_record_latest_period(rec, j);
            int64_t held = 0;
            if (!school_record_has_latest(rec, period, &held))
                continue;
            for (size_t t = 0; t < self->n_rv_targets; t++)
                if (self->rv_targets[t].revision == held && !self->rv_targets[t].rec) {
                    self->rv_targets[t].rec = rec;
                    self->rv_targets[t].period = period;
                }
        }
    }
}

/* Checks revisions revs[0..n) for an approval or a return: each the newest
 * of its school, submitted (not yet reviewed), all of one county and one
 * period, within the key's right. *county / *period get them. Returns 0, or
 * -1 (refused). */
static int check_revisions(admin *self, const int64_t *revs, size_t n, const char *asked, const char *asked_zh,
                           const char **county, int32_t *period)
{
    if (n == 0) {
        refusef(self, "revisions", _("give the revisions (the numbers junheng submit printed)"));
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (revs[i] == revs[j]) {
                refusef(self, "revisions", _("revision %lld is given twice"), (long long)revs[i]);
                return -1;
            }
    if (find_targets(self, revs, n) != 0) {
        refusef(self, "", "server out of memory");
        return -1;
    }
    registry_foreach_county(self->reg, scan_county, self);
    for (size_t i = 0; i < n; i++) {
        const review_target *t = &self->rv_targets[i];
        if (!t->rec) {
            refusef(self, "revisions", _("revision %lld is not the newest revision of any school (a newer one superseded it, or it does not exist)"), (long long)t->revision);
            return -1;
        }
        const char *c = school_record_county(t->rec);
        if (i > 0 && (strcmp(c, *county) != 0 || t->period != *period)) {
            refusef(self, "revisions", _("the revisions of one request belong to one county and one period"));
            return -1;
        }
        *county = c;
        *period = t->period;
        char what[160], what_zh[160];
        snprintf(what, sizeof what, "%s revision %lld of school %s (county %s)", asked, (long long)t->revision,
                 school_record_code(t->rec), c);
        snprintf(what_zh, sizeof what_zh, "%s学校%s（县区%s）的修订%lld", asked_zh, school_record_code(t->rec), c,
                 (long long)t->revision);
        if (!admin_review_allowed(self, REVIEW_RIGHT_COUNTY, c, NULL, what, what_zh))
            return -1;
        revision_review st = review_state_revision(self->review, t->revision);
        if (st != REVIEW_SUBMITTED) {
            refusef(self, "revisions", _("revision %lld was already reviewed: %s"), (long long)t->revision,
                    lang_pick(revision_review_key(st), revision_review_zh(st)));
            return -1;
        }
    }
    return 0;
}

/* approve --all-clean: every newest submitted revision of the county and
 * period becomes a candidate; review_apply keeps those without warnings. */
static void approve_all_clean(admin *self)
{
    county_record *c = need_county(self);
    int32_t period = c ? need_period(self) : 0;
    if (!period || !admin_review_allowed(self, REVIEW_RIGHT_COUNTY, c->info.code, NULL,
                                         "approve the submissions of county", "审核通过本县区的填报"))
        return;
    json_t *candidates = json_array();
    self->rv_targets = calloc(c->n_schools + 1, sizeof *self->rv_targets);
    if (!candidates || !self->rv_targets) {
        json_decref(candidates);
        refusef(self, "", "server out of memory");
        return;
    }
    for (size_t s = 0; s < c->n_schools; s++) {
        int64_t held = 0;
        if (!school_record_active(c->schools[s]) || !school_record_has_latest(c->schools[s], period, &held) ||
            review_state_revision(self->review, held) != REVIEW_SUBMITTED)
            continue;
        self->rv_targets[self->n_rv_targets++] = (review_target){ held, c->schools[s], period };
        json_array_append_new(candidates, json_integer(held));
    }
    if (json_array_size(candidates) == 0) {
        json_decref(candidates);
        refusef(self, "revisions", _("no submitted revision awaits approval in county %s for %d"), c->info.code, (int)period);
        return;
    }
    json_t *r = request_for(self, c->info.code, period);
    if (!r) {
        json_decref(candidates);
        return;
    }
    json_t *detail = json_object_get(r, "detail");
    json_object_set_new(detail, "all_clean", json_true());
    json_object_set_new(detail, "candidates", candidates);
    admin_review_send(self, r);
}

void admin_review_approve(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    if (q->has_all_clean && q->all_clean) {
        approve_all_clean(self);
        return;
    }
    const char *county = NULL;
    int32_t period = 0;
    if (check_revisions(self, q->revisions, q->n_revisions, "approve", "审核通过", &county, &period) != 0)
        return;
    json_t *r = request_for(self, county, period);
    if (!r)
        return;
    json_t *approved = json_array();
    for (size_t i = 0; i < q->n_revisions; i++)
        json_array_append_new(approved, json_integer(q->revisions[i]));
    if (q->n_revisions == 1) {
        json_object_set_new(r, "school_code", json_string(school_record_code(self->rv_targets[0].rec)));
        json_object_set_new(r, "target", json_integer(q->revisions[0]));
    }
    json_object_set_new(json_object_get(r, "detail"), "approved", approved);
    admin_review_send(self, r);
}

void admin_review_return(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    const char *county = NULL;
    int32_t period = 0;
    if (q->n_revisions > 1) {
        refusef(self, "revisions", _("return one revision at a time (each has its own reason)"));
        return;
    }
    if (check_revisions(self, q->revisions, q->n_revisions, "return", "退回", &county, &period) != 0 ||
        !need_text(self, q->reason, "reason", "退回理由") || !valid_date(self, q->deadline, "deadline"))
        return;
    json_t *r = request_for(self, county, period);
    if (!r)
        return;
    json_t *columns = json_array();
    for (size_t i = 0; i < q->n_columns; i++)
        json_array_append_new(columns, json_string(q->columns[i]));
    json_object_set_new(r, "school_code", json_string(school_record_code(self->rv_targets[0].rec)));
    json_object_set_new(r, "target", json_integer(q->revisions[0]));
    json_object_set_new(r, "reason", json_string(q->reason));
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "returned", json_integer(q->revisions[0]));
    json_object_set_new(d, "reason", json_string(q->reason));
    json_object_set_new(d, "columns", columns);
    json_object_set_new(d, "deadline", q->deadline && q->deadline[0] ? json_string(q->deadline) : json_null());
    admin_review_send(self, r);
}

void admin_review_reopen(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    const char *code = q->school_code ? q->school_code : "";
    school_record *rec = code_is_digits(code, SCHOOL_CODE_LEN) ? registry_school(self->reg, code) : NULL;
    if (!rec) {
        refusef(self, "school_code", _("'%.16s' is not a registered school"), code);
        return;
    }
    int32_t period = need_period(self);
    char what[96], what_zh[96];
    snprintf(what, sizeof what, "reopen period %d for school %s", (int)period, code);
    snprintf(what_zh, sizeof what_zh, "为学校%s重新开放%d学年的填报", code, (int)period);
    if (!period || !admin_review_allowed(self, REVIEW_RIGHT_COUNTY, school_record_county(rec), NULL, what, what_zh) ||
        !need_text(self, q->reason, "reason", "重新开放的理由"))
        return;
    period_admission a =
        review_state_admit(self->review, period, code, net_local_date(self->cfg->period_utc_offset_hours));
    if (a != PERIOD_ADMIT_CLOSED) {
        refusef(self, "period", a == PERIOD_ADMIT_LATE ? _("period %d is already reopened for school %s")
                                                        : _("period %d is not closed (nothing to reopen for school %s)"),
                (int)period, code);
        return;
    }
    json_t *r = request_for(self, school_record_county(rec), period);
    if (!r)
        return;
    json_object_set_new(r, "school_code", json_string(code));
    json_object_set_new(r, "reason", json_string(q->reason));
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "reopened", json_string(code));
    json_object_set_new(d, "reason", json_string(q->reason));
    admin_review_send(self, r);
}

/* The schools of a seal (every active school of the county with its
 * approved revision, or 0) into schools[] (subs decoded, caller clears) and
 * a JSON list. Returns how many, or -1 when out of memory. */
static long seal_schools(county_record *c, int32_t period, seal_school *schools, submission *subs, json_t *list)
{
    size_t n = 0;
    for (size_t s = 0; s < c->n_schools; s++) {
        school_record *rec = c->schools[s];
        if (!school_record_active(rec))
            continue;
        int64_t rev = 0;
        int got = school_record_approved(rec, period, &rev, &subs[n]);
        if (got < 0)
            return -1;
        schools[n] = (seal_school){ school_record_code(rec), got ? rev : 0, got ? &subs[n] : NULL };
        json_array_append_new(list, json_pack("{s:s, s:I}", "school_code", school_record_code(rec), "revision",
                                              (json_int_t)(got ? rev : 0)));
        n++;
    }
    return (long)n;
}

/* Renders the seal's status and sends it with the revisions it counts. */
static void seal_send(admin *self, county_record *c, int32_t period, seal_school *schools, submission *subs)
{
    json_t *list = json_array();
    long n = list ? seal_schools(c, period, schools, subs, list) : -1;
    county_entry *e = county_book_entry(self->book, c->info.code, period);
    if (e && e->inputs && n >= 0) {
        if (county_inputs_copy(&self->rv_inputs, e->inputs) == 0)
            self->rv_has_inputs = true;
        else
            n = -1;
    }
    int64_t inputs_revision = self->rv_has_inputs ? e->inputs_revision : 0;
    char sealed_at[32];
    net_utc_now(sealed_at, sizeof sealed_at);
    char *status = n >= 0 ? county_book_render_seal(self->book, c->info.code, period, schools, (size_t)n,
                                                    self->rv_has_inputs ? &self->rv_inputs : NULL, inputs_revision,
                                                    sealed_at)
                          : NULL;
    for (long i = 0; i < n; i++)
        if (schools[i].sub)
            submission_clear(&subs[i]);
    json_t *r = status ? request_for(self, c->info.code, period) : NULL;
    if (!r) {
        if (!status)
            refusef(self, "", "server out of memory");
        json_decref(list);
        free(status);
        return;
    }
    json_object_set_new(r, "status_json", json_string(status));
    free(status);
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "sealed_at", json_string(sealed_at));
    json_object_set_new(d, "inputs_revision", json_integer(inputs_revision));
    json_object_set_new(d, "schools", list);
    json_object_set_new(d, "state", json_string("sealed"));
    admin_review_send(self, r);
}

void admin_review_seal(admin *self)
{
    county_record *c = need_county(self);
    int32_t period = c ? need_period(self) : 0;
    if (!period ||
        !admin_review_allowed(self, REVIEW_RIGHT_COUNTY, c->info.code, NULL, "seal the package of county",
                              "对县区材料进行自评封存") ||
        !package_in(self, c->info.code, period,
                    1u << PACKAGE_COLLECTING | 1u << PACKAGE_SEALED | 1u << PACKAGE_RETURNED, "sealed", "自评封存"))
        return;
    seal_school *schools = calloc(c->n_schools + 1, sizeof *schools);
    submission *subs = calloc(c->n_schools + 1, sizeof *subs);
    if (!schools || !subs)
        refusef(self, "", "server out of memory");
    else
        seal_send(self, c, period, schools, subs);
    free(schools);
    free(subs);
}

/* The item of the request (its number), or NULL (refused). */
static const char *need_item(admin *self)
{
    const char *text = req_of(self)->item ? req_of(self)->item : "";
    const item_def *it = item_find(text);
    if (!it)
        refusef(self, "item", _("'%.16s' is not an item number (2.8) or id"), text);
    return it ? it->number : NULL;
}

/* The county, period and city right of a city step; 0 when refused. */
static int32_t city_step(admin *self, county_record **c, const char *asked, const char *asked_zh)
{
    *c = need_county(self);
    int32_t period = *c ? need_period(self) : 0;
    if (!period || !admin_review_allowed(self, REVIEW_RIGHT_CITY, (*c)->info.code, NULL, asked, asked_zh))
        return 0;
    return period;
}

void admin_review_finding(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    county_record *c;
    int32_t period = city_step(self, &c, "record a finding on county", "记录复核问题");
    const char *item = period ? need_item(self) : NULL;
    if (!item || !need_text(self, q->finding, "finding", "问题描述") || !valid_date(self, q->deadline, "deadline") ||
        !package_in(self, c->info.code, period, 1u << PACKAGE_SEALED | 1u << PACKAGE_CITY_REVIEWING,
                    "given a finding (seal it first)", "记录复核问题（请先自评封存）"))
        return;
    json_t *r = request_for(self, c->info.code, period);
    if (!r)
        return;
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "item", json_string(item));
    json_object_set_new(d, "finding", json_string(q->finding));
    json_object_set_new(d, "deadline", q->deadline && q->deadline[0] ? json_string(q->deadline) : json_null());
    json_object_set_new(d, "state", json_string("city_reviewing"));
    admin_review_send(self, r);
}

void admin_review_override(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    county_record *c;
    int32_t period = city_step(self, &c, "override an item of county", "改判指标");
    const char *item = period ? need_item(self) : NULL;
    const char *value = q->value ? q->value : "";
    if (!item || !need_text(self, q->field, "field", "字段") || !need_text(self, q->reason, "reason", "改判理由"))
        return;
    if (value[0] && strcmp(value, "yes") != 0 && strcmp(value, "no") != 0 && strcmp(value, "present") != 0 &&
        strcmp(value, "absent") != 0) {
        refusef(self, "value", _("value is yes, no, present or absent (\"\" withdraws the override)"));
        return;
    }
    if (strlen(q->field) >= sizeof(((city_override *)0)->field)) {
        refusef(self, "field", _("the field id is too long"));
        return;
    }
    if (!package_in(self, c->info.code, period, 1u << PACKAGE_SEALED | 1u << PACKAGE_CITY_REVIEWING, "overruled",
                    "改判"))
        return;
    json_t *r = request_for(self, c->info.code, period);
    if (!r)
        return;
    json_object_set_new(r, "reason", json_string(q->reason));
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "item", json_string(item));
    json_object_set_new(d, "field", json_string(q->field));
    json_object_set_new(d, "value", json_string(value));
    json_object_set_new(d, "reason", json_string(q->reason));
    json_object_set_new(d, "state", json_string("city_reviewing"));
    admin_review_send(self, r);
}

/* return_package (needs an open problem) and pass (needs none open or
 * awaiting closing). */
void admin_review_package_step(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    bool pass = strcmp(q->action, "pass") == 0;
    county_record *c;
    int32_t period = city_step(self, &c, pass ? "pass the package of county" : "return the package of county",
                               pass ? "通过县区材料的复核" : "退回县区材料");
    if (!period || (!pass && !need_text(self, q->reason, "reason", "退回理由")) ||
        !package_in(self, c->info.code, period, 1u << PACKAGE_SEALED | 1u << PACKAGE_CITY_REVIEWING,
                    pass ? "passed" : "returned", pass ? "通过复核" : "退回"))
        return;
    const package_info *p = review_state_package(self->review, c->info.code, period);
    uint32_t open = p ? p->problems_open : 0, rectified = p ? p->problems_rectified : 0;
    if (!pass && open == 0) {
        refusef(self, "period", _("returning a package needs an open problem (record a finding first)"));
        return;
    }
    if (pass && open + rectified > 0) {
        refusef(self, "period", _("%u problems are not closed (%u open, %u rectified awaiting closing)"), open + rectified, open, rectified);
        return;
    }
    json_t *r = request_for(self, c->info.code, period);
    if (!r)
        return;
    json_t *d = json_object_get(r, "detail");
    if (!pass) {
        json_object_set_new(r, "reason", json_string(q->reason));
        json_object_set_new(d, "reason", json_string(q->reason));
    }
    json_object_set_new(d, "state", json_string(pass ? "city_passed" : "returned"));
    admin_review_send(self, r);
}

/* answer (the county: open -> rectified, with evidence) and close (the
 * city: rectified -> closed). */
void admin_review_problem(admin *self)
{
    const Junheng__ReviewRequest *q = req_of(self);
    bool answer = strcmp(q->action, "answer") == 0;
    const problem_info *p = q->has_problem_id ? review_state_problem(self->review, q->problem_id) : NULL;
    if (!p) {
        refusef(self, "problem_id", _("there is no problem %lld"), (long long)q->problem_id);
        return;
    }
    char what[96], what_zh[96];
    snprintf(what, sizeof what, "%s problem %lld of county %s", answer ? "answer" : "close", (long long)p->id,
             p->county_code);
    snprintf(what_zh, sizeof what_zh, "%s县区%s的问题%lld", answer ? "答复" : "销号", p->county_code,
             (long long)p->id);
    if (!admin_review_allowed(self, answer ? REVIEW_RIGHT_COUNTY : REVIEW_RIGHT_CITY, p->county_code, NULL, what,
                              what_zh) ||
        (answer && !need_text(self, q->evidence, "evidence", "佐证材料")))
        return;
    problem_state need = answer ? PROBLEM_OPEN : PROBLEM_RECTIFIED;
    if (p->state != need) {
        refusef(self, "problem_id", _("problem %lld is %s: only %s"), (long long)p->id,
                lang_pick(problem_state_key(p->state), problem_state_zh(p->state)),
                answer ? _("an open problem is answered") : _("a rectified problem is closed"));
        return;
    }
    json_t *r = request_for(self, p->county_code, p->period);
    if (!r)
        return;
    json_object_set_new(r, "target", json_integer(p->id));
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "problem", json_integer(p->id));
    if (answer)
        json_object_set_new(d, "evidence", json_string(q->evidence));
    json_object_set_new(d, "state", json_string(answer ? "rectified" : "closed"));
    admin_review_send(self, r);
}
