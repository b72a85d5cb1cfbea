/* review_tables.c -- the review chain's queries as tables (review.h):
 * submissions, pending, package, the problem list and the inbox; the labels
 * through gettext (i18n.h), states, actions and items in Chinese with their
 * English ids beside in either language. The shapes are docs/review.md's "Answers". */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "review.h"

/* Prints o's state as "已退回整改 returned": its own state_zh when it has
 * one (a package's returned is not a revision's), else review_state_zh. */
static void print_own_state(json_t *o)
{
    const char *zh = review_text(o, "state_zh", NULL);
    if (zh)
        printf("%s %s", zh, review_text(o, "state", "-"));
    else
        review_print_state(stdout, review_text(o, "state", NULL));
}

/* The integer member key of o. */
static long long num(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* One school revision: number, school, state, when, and why it was returned. */
static void print_submission_row(json_t *r)
{
    printf(_("  revision %-6lld %s %s  "), num(r, "revision"), review_text(r, "school_code", "-"),
           review_text(r, "school_name", ""));
    review_print_state(stdout, review_text(r, "state", NULL));
    printf(_("  received %s"), review_text(r, "received_at", "-"));
    if (json_is_true(json_object_get(r, "late")))
        fputs(_("  late"), stdout);
    if (json_object_get(r, "newest") && !json_is_true(json_object_get(r, "newest")))
        fputs(_("  (superseded by a newer revision)"), stdout);
    size_t warnings = json_array_size(json_object_get(r, "warnings"));
    if (warnings)
        printf(_("  warnings: %zu"), warnings);
    putchar('\n');
    if (json_is_string(json_object_get(r, "reason"))) {
        printf(_("      reason returned: %s\n      columns: "), review_text(r, "reason", ""));
        review_print_columns(stdout, json_object_get(r, "columns"));
        printf(_("\n      deadline: %s\n"), review_text(r, "deadline", "-"));
    }
}

void review_print_submissions(const char *action, json_t *body)
{
    if (!json_is_array(body)) {
        review_print_generic(action, body);
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(body, i, r)
        print_submission_row(r);
    printf(_("revisions: %zu\n"), json_array_size(body));
}

/* One problem of the city's list. */
static void print_problem_row(json_t *p)
{
    printf(_("  problem %-4lld "), num(p, "id"));
    review_print_item(stdout, review_text(p, "item", NULL));
    fputs("  ", stdout);
    review_print_state(stdout, review_text(p, "state", NULL));
    if (json_is_string(json_object_get(p, "county_code")))
        printf(_("  county %s period %lld"), review_text(p, "county_code", ""), num(p, "period"));
    printf(_("\n      finding: %s\n      deadline: %s  raised %s by %s\n"),
           review_text(p, "finding", "-"), review_text(p, "deadline", "-"), review_text(p, "raised_at", "-"),
           review_text(p, "raised_by", "-"));
    if (json_is_string(json_object_get(p, "evidence")))
        printf(_("      evidence: %s (%s)\n"), review_text(p, "evidence", ""), review_text(p, "answered_at", "-"));
    if (json_is_string(json_object_get(p, "closed_at")))
        printf(_("      closed at %s\n"), review_text(p, "closed_at", ""));
}

void review_print_problems(const char *action, json_t *body)
{
    if (json_is_object(body)) { /* a new finding: an action's answer */
        review_print_action(action, body);
        return;
    }
    if (!json_is_array(body)) {
        review_print_generic(action, body);
        return;
    }
    size_t i, open = 0;
    json_t *p;
    json_array_foreach(body, i, p)
    {
        print_problem_row(p);
        open += strcmp(review_text(p, "state", ""), "closed") != 0;
    }
    printf(_("problem list: %zu problems, %zu not closed\n"), json_array_size(body), open);
}

/* The package's seal: its schools, county inputs, problems and overrides. */
static void print_seal(json_t *body)
{
    json_t *schools = json_object_get(body, "schools"), *s;
    size_t i, none = 0;
    json_array_foreach(schools, i, s)
        none += num(s, "revision") == 0;
    printf(_("  seal %lld  sealed at %s  county inputs revision %lld\n"), num(body, "seal"),
           review_text(body, "sealed_at", "-"), num(body, "inputs_revision"));
    printf(_("  schools: %zu (%zu without an approved revision)\n"), json_array_size(schools), none);
    json_t *pr = json_object_get(body, "problems");
    if (json_is_object(pr))
        printf(_("  problems: %lld open, %lld rectified, %lld closed\n"), num(pr, "open"),
               num(pr, "rectified"), num(pr, "closed"));
    json_t *o;
    json_array_foreach(json_object_get(body, "overrides"), i, o)
    {
        fputs(_("  city override: "), stdout);
        review_print_item(stdout, review_text(o, "item", NULL));
        printf(_(" %s = %s  reason: %s (%s)\n"), review_text(o, "field", "-"), review_text(o, "value", "-"),
               review_text(o, "reason", "-"), review_text(o, "at", "-"));
    }
}

/* The result of --verify: identical, or where the recomputation differs. */
static void print_verify(json_t *v)
{
    if (!v)
        return;
    if (json_is_string(v) && strcmp(json_string_value(v), "identical") == 0) {
        printf("  %s: 一致 identical %s\n", _("verify"),
               _("(the seal recomputed from its revisions is the same, byte for byte)"));
        return;
    }
    if (json_is_object(v)) {
        printf(_("  verify: differs at byte %lld\n    stored:     %s\n    recomputed: %s\n"),
               num(v, "differs_at"), review_text(v, "stored", ""), review_text(v, "recomputed", ""));
        return;
    }
    printf(_("  verify: %s\n"), json_is_string(v) ? json_string_value(v) : "?");
}

void review_print_package(const char *action, json_t *body)
{
    if (json_is_object(body) && json_is_string(json_object_get(body, "action"))) {
        review_print_action(action, body); /* seal, pass */
        return;
    }
    if (!json_is_object(body)) {
        review_print_generic(action, body);
        return;
    }
    printf(_("county %s  period %lld  "), review_text(body, "county_code", "-"), num(body, "period"));
    print_own_state(body);
    putchar('\n');
    if (num(body, "seal") == 0)
        puts(_("  never sealed"));
    else
        print_seal(body);
    print_verify(json_object_get(body, "verify"));
}

/* One list of schools of the pending answer, under its title. */
static void print_school_list(const char *title, json_t *list)
{
    size_t i;
    json_t *s;
    printf("%s: %zu\n", title, json_array_size(list));
    json_array_foreach(list, i, s)
    {
        printf("  %s %s", review_text(s, "school_code", "-"), review_text(s, "name", ""));
        if (json_object_get(s, "revision"))
            printf(_("  revision %lld"), num(s, "revision"));
        if (json_is_string(json_object_get(s, "received_at")))
            printf(_("  received %s"), review_text(s, "received_at", ""));
        if (num(s, "warnings"))
            printf(_("  warnings: %lld"), num(s, "warnings"));
        if (json_is_true(json_object_get(s, "late")))
            fputs(_("  late"), stdout);
        if (json_is_string(json_object_get(s, "reason")))
            printf(_("  reason: %s  deadline %s"), review_text(s, "reason", ""), review_text(s, "deadline", "-"));
        putchar('\n');
    }
}

void review_print_pending(const char *action, json_t *body)
{
    if (!json_is_object(body)) {
        review_print_generic(action, body);
        return;
    }
    printf(_("county %s  period %lld  registered %lld  approved %lld\n"),
           review_text(body, "county_code", "-"), num(body, "period"), num(body, "registered"), num(body, "approved"));
    json_t *dates = json_object_get(body, "dates");
    if (json_is_object(dates))
        printf(_("closes %s%s\n"), review_text(dates, "closes", "-"),
               json_is_true(json_object_get(dates, "closed")) ? _("  closed") : "");
    else
        puts(_("no closing date (submissions are taken at any time)"));
    print_school_list("未填报 not_submitted", json_object_get(body, "not_submitted"));
    print_school_list("待审核 awaiting_approval", json_object_get(body, "awaiting_approval"));
    print_school_list("已退回 returned", json_object_get(body, "returned"));
}

void review_print_inbox(const char *action, json_t *body)
{
    if (!json_is_object(body)) {
        review_print_generic(action, body);
        return;
    }
    size_t i;
    json_t *e;
    printf(_("inbox of %s %s\n"), review_text(body, "role", "-"), review_text(body, "subject", "-"));
    json_t *returned = json_object_get(body, "returned"), *problems = json_object_get(body, "problems");
    json_t *packages = json_object_get(body, "packages");
    printf(_("returned revisions: %zu\n"), json_array_size(returned));
    json_array_foreach(returned, i, e)
        print_submission_row(e);
    printf(_("problems: %zu\n"), json_array_size(problems));
    json_array_foreach(problems, i, e)
        print_problem_row(e);
    printf(_("packages: %zu\n"), json_array_size(packages));
    json_array_foreach(packages, i, e)
    {
        printf(_("  county %s  period %lld  "), review_text(e, "county_code", "-"), num(e, "period"));
        print_own_state(e);
        printf(_("  seal %lld\n"), num(e, "seal"));
    }
    if (!json_array_size(returned) && !json_array_size(problems) && !json_array_size(packages))
        puts(_("nothing waits for you"));
}
