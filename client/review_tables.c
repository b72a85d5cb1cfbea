/* review_tables.c -- the review chain's queries as tables (review.h):
 * submissions, pending, package, the problem list and the inbox, in Chinese
 * with the English ids beside. The shapes are docs/review.md's "Answers". */
#include <stdlib.h>
#include <string.h>

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
    printf("  修订 revision %-6lld %s %s  ", num(r, "revision"), review_text(r, "school_code", "-"),
           review_text(r, "school_name", ""));
    review_print_state(stdout, review_text(r, "state", NULL));
    printf("  收到 received %s", review_text(r, "received_at", "-"));
    if (json_is_true(json_object_get(r, "late")))
        fputs("  逾期 late", stdout);
    if (json_object_get(r, "newest") && !json_is_true(json_object_get(r, "newest")))
        fputs("  (已有更新的修订 superseded)", stdout);
    size_t warnings = json_array_size(json_object_get(r, "warnings"));
    if (warnings)
        printf("  %zu 条警告 warning%s", warnings, warnings == 1 ? "" : "s");
    putchar('\n');
    if (json_is_string(json_object_get(r, "reason"))) {
        printf("      退回原因 reason: %s\n      相关列 columns: ", review_text(r, "reason", ""));
        review_print_columns(stdout, json_object_get(r, "columns"));
        printf("\n      整改期限 deadline: %s\n", review_text(r, "deadline", "-"));
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
    printf("%zu 个修订 revision%s\n", json_array_size(body), json_array_size(body) == 1 ? "" : "s");
}

/* One problem of the city's list. */
static void print_problem_row(json_t *p)
{
    printf("  问题 problem %-4lld ", num(p, "id"));
    review_print_item(stdout, review_text(p, "item", NULL));
    fputs("  ", stdout);
    review_print_state(stdout, review_text(p, "state", NULL));
    if (json_is_string(json_object_get(p, "county_code")))
        printf("  county %s %lld学年", review_text(p, "county_code", ""), num(p, "period"));
    printf("\n      问题 finding: %s\n      整改期限 deadline: %s  提出 raised %s by %s\n",
           review_text(p, "finding", "-"), review_text(p, "deadline", "-"), review_text(p, "raised_at", "-"),
           review_text(p, "raised_by", "-"));
    if (json_is_string(json_object_get(p, "evidence")))
        printf("      佐证材料 evidence: %s (%s)\n", review_text(p, "evidence", ""), review_text(p, "answered_at", "-"));
    if (json_is_string(json_object_get(p, "closed_at")))
        printf("      销号 closed at %s\n", review_text(p, "closed_at", ""));
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
    printf("问题清单 problem list: %zu 个问题 problem%s, %zu 未销号 not closed\n", json_array_size(body),
           json_array_size(body) == 1 ? "" : "s", open);
}

/* The package's seal: its schools, county inputs, problems and overrides. */
static void print_seal(json_t *body)
{
    json_t *schools = json_object_get(body, "schools"), *s;
    size_t i, none = 0;
    json_array_foreach(schools, i, s)
        none += num(s, "revision") == 0;
    printf("  自评批次 seal %lld  自评时间 sealed at %s  县级填报修订 county inputs revision %lld\n", num(body, "seal"),
           review_text(body, "sealed_at", "-"), num(body, "inputs_revision"));
    printf("  学校 schools: %zu (%zu 无已通过修订 without an approved revision)\n", json_array_size(schools), none);
    json_t *pr = json_object_get(body, "problems");
    if (json_is_object(pr))
        printf("  问题 problems: %lld 待整改 open, %lld 已整改 rectified, %lld 已销号 closed\n", num(pr, "open"),
               num(pr, "rectified"), num(pr, "closed"));
    json_t *o;
    json_array_foreach(json_object_get(body, "overrides"), i, o)
    {
        fputs("  市级改判 override: ", stdout);
        review_print_item(stdout, review_text(o, "item", NULL));
        printf(" %s = %s  原因 reason: %s (%s)\n", review_text(o, "field", "-"), review_text(o, "value", "-"),
               review_text(o, "reason", "-"), review_text(o, "at", "-"));
    }
}

/* The result of --verify: identical, or where the recomputation differs. */
static void print_verify(json_t *v)
{
    if (!v)
        return;
    if (json_is_string(v) && strcmp(json_string_value(v), "identical") == 0) {
        puts("  复核重算 verify: 一致 identical (the seal recomputed from its revisions is the same, byte for byte)");
        return;
    }
    if (json_is_object(v)) {
        printf("  复核重算 verify: 不一致 differs at byte %lld\n    stored:     %s\n    recomputed: %s\n",
               num(v, "differs_at"), review_text(v, "stored", ""), review_text(v, "recomputed", ""));
        return;
    }
    printf("  复核重算 verify: %s\n", json_is_string(v) ? json_string_value(v) : "?");
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
    printf("县区 county %s  %lld学年 period  ", review_text(body, "county_code", "-"), num(body, "period"));
    print_own_state(body);
    putchar('\n');
    if (num(body, "seal") == 0)
        puts("  尚未自评 never sealed");
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
            printf("  修订 revision %lld", num(s, "revision"));
        if (json_is_string(json_object_get(s, "received_at")))
            printf("  收到 received %s", review_text(s, "received_at", ""));
        if (num(s, "warnings"))
            printf("  %lld 条警告 warnings", num(s, "warnings"));
        if (json_is_true(json_object_get(s, "late")))
            fputs("  逾期 late", stdout);
        if (json_is_string(json_object_get(s, "reason")))
            printf("  原因 reason: %s  期限 deadline %s", review_text(s, "reason", ""), review_text(s, "deadline", "-"));
        putchar('\n');
    }
}

void review_print_pending(const char *action, json_t *body)
{
    if (!json_is_object(body)) {
        review_print_generic(action, body);
        return;
    }
    printf("县区 county %s  %lld学年 period  在册 registered %lld  已通过 approved %lld\n",
           review_text(body, "county_code", "-"), num(body, "period"), num(body, "registered"), num(body, "approved"));
    json_t *dates = json_object_get(body, "dates");
    if (json_is_object(dates))
        printf("填报截止 closes %s%s\n", review_text(dates, "closes", "-"),
               json_is_true(json_object_get(dates, "closed")) ? "  已截止 closed" : "");
    else
        puts("填报期未设定 no closing date (submissions are taken at any time)");
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
    printf("%s %s 的待办 inbox\n", review_text(body, "role", "-"), review_text(body, "subject", "-"));
    json_t *returned = json_object_get(body, "returned"), *problems = json_object_get(body, "problems");
    json_t *packages = json_object_get(body, "packages");
    printf("退回的修订 returned revisions: %zu\n", json_array_size(returned));
    json_array_foreach(returned, i, e)
        print_submission_row(e);
    printf("问题 problems: %zu\n", json_array_size(problems));
    json_array_foreach(problems, i, e)
        print_problem_row(e);
    printf("自评包 packages: %zu\n", json_array_size(packages));
    json_array_foreach(packages, i, e)
    {
        printf("  县区 county %s  %lld学年  ", review_text(e, "county_code", "-"), num(e, "period"));
        print_own_state(e);
        printf("  自评批次 seal %lld\n", num(e, "seal"));
    }
    if (!json_array_size(returned) && !json_array_size(problems) && !json_array_size(packages))
        puts("没有待办事项 nothing waits for you");
}
