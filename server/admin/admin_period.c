/* admin_period.c -- the admin commands of the review chain (docs/review.md
 * "Periods"): period-open P DATE, period-close P, period-reopen P DATE,
 * periods, and package-reopen COUNTY P (a passed package back to
 * collecting). Admin keys only (AdminRequest); each change is a review
 * action with its audit row (review_apply), without an action id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "i18n.h"

/* The period of args[0] (a 4-digit year), or 0 (refused). */
static int32_t arg_period(admin *self, const char *what)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    int y = 0;
    char extra;
    if (req->n_args < 1 || sscanf(req->args[0], "%4d%c", &y, &extra) != 1 || y < 1900) {
        admin_refuse(self, &self->cur, "period", what);
        return 0;
    }
    return y;
}

/* args[1] as a YYYY-MM-DD date, or NULL (refused). */
static const char *arg_date(admin *self, const char *what)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    int y, m, d;
    char extra;
    if (req->n_args < 2 || strlen(req->args[1]) != 10 ||
        sscanf(req->args[1], "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
        admin_refuse(self, &self->cur, "closes", what);
        return NULL;
    }
    return req->args[1];
}

/* Sends a period event: closes ("" keeps none), closed. */
static void period_send(admin *self, const char *action, int32_t period, const char *closes, bool closed)
{
    const auth_key *k = admin_review_actor(self);
    json_t *r = k ? admin_review_request(self, k, action) : NULL;
    if (!r) {
        if (k)
            admin_refuse(self, &self->cur, "", "server out of memory");
        return;
    }
    json_object_set_new(r, "period", json_integer(period));
    json_t *d = json_object_get(r, "detail");
    json_object_set_new(d, "closes", closes && closes[0] ? json_string(closes) : json_null());
    json_object_set_new(d, "closed", json_boolean(closed));
    admin_review_send(self, r);
}

/* The date of a period as YYYY-MM-DD into buf ("" when none). */
static void closes_text(const period_info *p, char *buf, size_t size)
{
    if (p && p->closes_on)
        snprintf(buf, size, "%04d-%02d-%02d", (int)(p->closes_on / 10000), (int)(p->closes_on / 100 % 100),
                 (int)(p->closes_on % 100));
    else if (size)
        buf[0] = '\0';
}

void admin_period_open(admin *self)
{
    int32_t period = arg_period(self, "period-open needs PERIOD DATE (2025 2026-03-31)");
    const char *closes = period ? arg_date(self, "period-open needs the closing date YYYY-MM-DD") : NULL;
    if (!closes)
        return;
    if (review_state_period(self->review, period)) {
        admin_refuse(self, &self->cur, "period",
                     _("this period was opened before: period-reopen moves its date"));
        return;
    }
    period_send(self, "period_open", period, closes, false);
}

void admin_period_close(admin *self)
{
    int32_t period = arg_period(self, "period-close needs PERIOD");
    if (!period)
        return;
    const period_info *p = review_state_period(self->review, period);
    if (!p || p->closed) {
        admin_refuse(self, &self->cur, "period",
                     p ? _("this period is closed already") : _("this period was never opened"));
        return;
    }
    char closes[16];
    closes_text(p, closes, sizeof closes);
    period_send(self, "period_close", period, closes, true);
}

void admin_period_reopen(admin *self)
{
    int32_t period = arg_period(self, "period-reopen needs PERIOD DATE (2025 2026-04-15)");
    const char *closes = period ? arg_date(self, "period-reopen needs the new closing date YYYY-MM-DD") : NULL;
    if (!closes)
        return;
    if (!review_state_period(self->review, period)) {
        admin_refuse(self, &self->cur, "period", _("this period was never opened: period-open"));
        return;
    }
    period_send(self, "period_reopen", period, closes, false);
}

/* periods: from memory, as the database holds them. */
void admin_periods(admin *self)
{
    const period_info *all;
    size_t n = review_state_periods(self->review, &all);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        char closes[16];
        closes_text(&all[i], closes, sizeof closes);
        json_array_append_new(list, json_pack("{s:i, s:s?, s:b}", "period", (int)all[i].period, "closes",
                                              closes[0] ? closes : NULL, "closed", all[i].closed));
    }
    admin_reply_json(self, &self->cur, list);
}

/* package-reopen COUNTY PERIOD: a passed package back to collecting. */
void admin_package_reopen(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    const char *county = req->n_args == 2 ? req->args[0] : "";
    int y = 0;
    char extra;
    if (!code_is_digits(county, COUNTY_CODE_LEN) || !registry_county(self->reg, county) ||
        sscanf(req->args[1], "%4d%c", &y, &extra) != 1) {
        admin_refuse(self, &self->cur, "args", "package-reopen needs COUNTY PERIOD (a registered county, a year)");
        return;
    }
    const package_info *p = review_state_package(self->review, county, y);
    if (!p || p->state != PACKAGE_CITY_PASSED) {
        admin_refuse(self, &self->cur, "period",
                     _("only a package the city passed is reopened"));
        return;
    }
    const auth_key *k = admin_review_actor(self);
    json_t *r = k ? admin_review_request(self, k, "package_reopen") : NULL;
    if (!r)
        return;
    json_object_set_new(r, "county_code", json_string(county));
    json_object_set_new(r, "period", json_integer(y));
    json_object_set_new(json_object_get(r, "detail"), "state", json_string("collecting"));
    admin_review_send(self, r);
}
