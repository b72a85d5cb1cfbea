/* web_review_form.c -- the review desk's requests (web_review_form.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "web_review_form.h"
#include "web_text.h"

static const char *const QUERIES[] = { "inbox", "submissions", "pending", "findings", "audit", "package" };
static const char *const ACTIONS[] = { "approve", "return", "return_package", "seal", "finding",
                                       "override", "pass", "answer", "close" };

int web_review_kind(const char *name)
{
    for (size_t i = 0; name && i < sizeof QUERIES / sizeof QUERIES[0]; i++)
        if (strcmp(name, QUERIES[i]) == 0)
            return 1;
    for (size_t i = 0; name && i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (strcmp(name, ACTIONS[i]) == 0)
            return 2;
    return 0;
}

int web_review_lookup_body(void *ctx, const char *name, char *out, size_t size)
{
    return web_form_get(ctx ? ctx : "", name, out, size);
}

/* Whether s is n digits (n 0: one or more). */
static bool all_digits(const char *s, size_t n)
{
    size_t k = strspn(s, "0123456789");
    return k == strlen(s) && (n ? k == n : k > 0);
}

/* Reads a positive number (< 2^53). Returns it, or -1. */
static int64_t positive(const char *s)
{
    if (!all_digits(s, 0) || strlen(s) > 15)
        return -1;
    long long v = strtoll(s, NULL, 10);
    return v > 0 ? (int64_t)v : -1;
}

/* Splits "881, 882 883" into f->revisions. Returns 0, or -1. */
static int take_revisions(web_review_form *f, const char *text)
{
    Junheng__ReviewRequest *r = &f->req;
    const char *p = text;
    while (*p) {
        p += strspn(p, ", \t\r\n");
        size_t n = strcspn(p, ", \t\r\n");
        if (n == 0)
            break;
        char one[24];
        if (n >= sizeof one || r->n_revisions >= WEB_REVIEW_MAX_IDS)
            return -1;
        memcpy(one, p, n);
        one[n] = '\0';
        int64_t v = positive(one);
        if (v < 0)
            return -1;
        f->revisions[r->n_revisions++] = v;
        p += n;
    }
    r->revisions = r->n_revisions ? f->revisions : NULL;
    return r->n_revisions ? 0 : -1;
}

/* Splits "a,b c" into f->columns (each a column id: letters, digits, '_'). Returns 0, or -1. */
static int take_columns(web_review_form *f)
{
    Junheng__ReviewRequest *r = &f->req;
    for (char *save = NULL, *t = strtok_r(f->columns_text, ", \t\r\n", &save); t;
         t = strtok_r(NULL, ", \t\r\n", &save)) {
        for (const char *c = t; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '_')
                return -1;
        if (r->n_columns >= WEB_REVIEW_MAX_COLUMNS)
            return -1;
        f->columns[r->n_columns++] = t;
    }
    r->columns = r->n_columns ? f->columns : NULL;
    return 0;
}

/* Whether s is shaped YYYY-MM-DD (the daemon checks the calendar). */
static bool date_shaped(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789") == 4 &&
           strspn(s + 5, "0123456789") == 2 && strspn(s + 8, "0123456789") == 2;
}

/* The text fields: form name, buffer, request member. Empty ones stay
 * unset. Returns 0, or -1 with *field one that is too long. */
static int take_texts(web_review_form *f, web_review_lookup lookup, void *ctx, const char **field)
{
    Junheng__ReviewRequest *r = &f->req;
    struct { const char *name; char *buf; size_t size; char **member; } t[] = {
        { "county", f->county, sizeof f->county, &r->county_code },
        { "school", f->school, sizeof f->school, &r->school_code },
        { "deadline", f->deadline, sizeof f->deadline, &r->deadline },
        { "state", f->state, sizeof f->state, &r->state },
        { "since", f->since, sizeof f->since, &r->since },
        { "reason", f->reason, sizeof f->reason, &r->reason },
        { "finding", f->finding, sizeof f->finding, &r->finding },
        { "evidence", f->evidence, sizeof f->evidence, &r->evidence },
        { "item", f->item, sizeof f->item, &r->item },
        { "field", f->field, sizeof f->field, &r->field },
        { "action_id", f->action_id, sizeof f->action_id, &r->action_id },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char probe[4096];
        if (lookup(ctx, t[i].name, t[i].buf, t[i].size) == 0) {
            if (t[i].buf[0])
                *t[i].member = t[i].buf;
        } else if (lookup(ctx, t[i].name, probe, sizeof probe) == 0) {
            *field = t[i].name; /* there, but too long */
            return -1;
        }
    }
    return 0;
}

/* Checks the shapes of the coded fields. Returns 0, or -1 with *field and *reason. */
static int check_shapes(const web_review_form *f, const char **field, const char **reason)
{
    if (f->county[0] && !all_digits(f->county, 6))
        return *field = "county", *reason = N_("a county code is 6 digits"), -1;
    if (f->school[0] && !all_digits(f->school, 10))
        return *field = "school", *reason = N_("a school code is 10 digits"), -1;
    if (f->deadline[0] && !date_shaped(f->deadline))
        return *field = "deadline", *reason = N_("a deadline is a date YYYY-MM-DD"), -1;
    if (f->action_id[0] && !wire_uuid_valid(f->action_id))
        return *field = "action_id", *reason = N_("the action id is not a UUID"), -1;
    return 0;
}

/* The numeric and yes/no fields: period, seal, problem, revisions, all_clean, verify. */
static int take_numbers(web_review_form *f, web_review_lookup lookup, void *ctx, const char **field,
                        const char **reason)
{
    Junheng__ReviewRequest *r = &f->req;
    char text[2048];
    if (lookup(ctx, "period", text, sizeof text) == 0 && text[0]) {
        if (!all_digits(text, 4))
            return *field = "period", *reason = N_("a period is a school year like 2025"), -1;
        r->has_period = 1, r->period = atoi(text);
    }
    if (lookup(ctx, "seal", text, sizeof text) == 0 && text[0]) {
        if ((r->seal = positive(text)) < 0)
            return *field = "seal", *reason = N_("a seal is a positive number"), -1;
        r->has_seal = 1;
    }
    if (lookup(ctx, "problem", text, sizeof text) == 0 && text[0]) {
        if ((r->problem_id = positive(text)) < 0)
            return *field = "problem", *reason = N_("a problem is a positive number"), -1;
        r->has_problem_id = 1;
    }
    if (lookup(ctx, "revisions", text, sizeof text) == 0 && text[0] && take_revisions(f, text) != 0)
        return *field = "revisions", *reason = N_("revisions are positive numbers separated by commas"), -1;
    if (lookup(ctx, "all_clean", text, sizeof text) == 0 && (strcmp(text, "1") == 0 || strcmp(text, "on") == 0))
        r->has_all_clean = 1, r->all_clean = 1;
    if (lookup(ctx, "verify", text, sizeof text) == 0 && (strcmp(text, "1") == 0 || strcmp(text, "on") == 0))
        r->has_verify = 1, r->verify = 1;
    return 0;
}

int web_review_form_read(web_review_form *f, const char *name, web_review_lookup lookup, void *ctx,
                         const char **field, const char **reason)
{
    memset(f, 0, sizeof *f);
    junheng__review_request__init(&f->req);
    *field = "", *reason = "";
    int kind = web_review_kind(name);
    if (kind == 0)
        return *field = "action", *reason = N_("not an action of the review desk"), -1;
    snprintf(f->action, sizeof f->action, "%s", name);
    f->req.action = f->action;
    if (take_texts(f, lookup, ctx, field) != 0)
        return *reason = N_("the value is too long or not valid text"), -1;
    if (check_shapes(f, field, reason) != 0 || take_numbers(f, lookup, ctx, field, reason) != 0)
        return -1;
    if (lookup(ctx, "value", f->value, sizeof f->value) == 0) /* "" withdraws an override */
        f->req.value = f->value;
    if (lookup(ctx, "columns", f->columns_text, sizeof f->columns_text) == 0 && take_columns(f) != 0)
        return *field = "columns", *reason = N_("columns are column ids separated by commas"), -1;
    if (kind == 2 && !f->action_id[0])
        return *field = "action_id", *reason = N_("the form carries no action id; reload the page"), -1;
    if (kind == 1)
        f->req.action_id = NULL;
    return 0;
}

const char *web_review_lang(const char *accept_language)
{
    const char *p = accept_language ? accept_language : "";
    while (*p) {
        p += strspn(p, " ,");
        if (strncasecmp(p, "zh", 2) == 0)
            return "zh_CN";
        if (strncasecmp(p, "en", 2) == 0)
            return "en";
        p += strcspn(p, ",");
    }
    return "zh_CN";
}
