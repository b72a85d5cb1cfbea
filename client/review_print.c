/* review_print.c -- the review chain's answers as text (review.h): states
 * and actions in Chinese with the English ids beside. Whatever a printer does
 * not recognise it prints with the generic printer, so no answer is hidden. */
#include <stdlib.h>
#include <string.h>

#include "review.h"

/* An English id and its Chinese name. */
typedef struct {
    const char *id, *zh;
} zh_name;

static const zh_name STATES[] = {
    { "submitted", "待审核" }, { "approved", "已通过" }, { "returned", "已退回" },
    { "collecting", "收集中" }, { "sealed", "已自评" }, { "city_reviewing", "市级复核中" },
    { "city_passed", "市级复核通过" }, { "open", "待整改" }, { "rectified", "已整改" },
    { "closed", "已销号" }, { "not_submitted", "未填报" }, { "late", "逾期" },
};

static const zh_name ACTIONS_ZH[] = {
    { "approve", "审核通过" }, { "return", "退回" }, { "reopen", "延期补报" }, { "seal", "县级自评" },
    { "finding", "市级问题" }, { "override", "市级改判" }, { "return_package", "退回整改" },
    { "pass", "市级复核通过" }, { "answer", "整改答复" }, { "close", "销号" },
    { "period_open", "开放填报" }, { "period_close", "截止填报" }, { "period_reopen", "延长填报" },
    { "package_reopen", "重开自评" }, { "set_key", "设置密钥" }, { "revoke_key", "吊销密钥" },
    { "import_counties", "导入县区" }, { "import_schools", "导入学校名册" },
};

/* The Chinese of id in names (n of them), or "". */
static const char *lookup(const zh_name *names, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (strcmp(names[i].id, id) == 0)
            return names[i].zh;
    return "";
}

const char *review_state_zh(const char *state)
{
    return lookup(STATES, sizeof STATES / sizeof STATES[0], state);
}

const char *review_action_zh(const char *action)
{
    return lookup(ACTIONS_ZH, sizeof ACTIONS_ZH / sizeof ACTIONS_ZH[0], action);
}

/* A member of o as text: strings as they are, other values as JSON, "-" when
 * absent or null. Returns a string the caller frees. */
static char *member_text(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return strdup("-");
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Prints value as one line's worth: strings as they are, others as JSON. */
static void print_value(json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *zh = review_state_zh(s);
        printf("%s%s%s", *zh ? zh : "", *zh ? " " : "", s);
        return;
    }
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    fputs(t ? t : "?", stdout);
    free(t);
}

/* One object as "key=value" pairs on one line, after indent. */
static void print_row(const char *indent, json_t *o)
{
    const char *key;
    json_t *v;
    fputs(indent, stdout);
    json_object_foreach(o, key, v)
    {
        printf(" %s=", key);
        print_value(v);
    }
    putchar('\n');
}

void review_print_generic(const char *action, json_t *body)
{
    (void)action;
    size_t i;
    json_t *e;
    if (json_is_array(body)) {
        json_array_foreach(body, i, e)
        {
            if (json_is_object(e))
                print_row(" ", e);
            else
                print_value(e), putchar('\n');
        }
        if (json_array_size(body) == 0)
            puts("(none)");
        return;
    }
    if (!json_is_object(body)) {
        print_value(body);
        putchar('\n');
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0))) {
            printf("%s:\n", key);
            json_array_foreach(v, i, e)
                print_row("  ", e);
        } else {
            printf("%-20s ", key);
            print_value(v);
            putchar('\n');
        }
    }
}

void review_print_submissions(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_action(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_package(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_problems(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_pending(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_inbox(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

void review_print_periods(const char *action, json_t *body)
{
    review_print_generic(action, body);
}

/* One audit row: when, who, what, where, on what, why. */
static void print_audit_row(json_t *r)
{
    char *at = member_text(r, "at"), *role = member_text(r, "actor_role"), *subject = member_text(r, "actor_subject");
    char *act = member_text(r, "action"), *county = member_text(r, "county_code"), *school = member_text(r, "school_code");
    char *period = member_text(r, "period"), *target = member_text(r, "target"), *reason = member_text(r, "reason");
    printf("#%lld %s %s %s %s %s county %s school %s period %s target %s%s%s\n",
           (long long)json_integer_value(json_object_get(r, "id")), at, role, subject, review_action_zh(act), act,
           county, school, period, target, strcmp(reason, "-") ? " reason: " : "", strcmp(reason, "-") ? reason : "");
    free(at), free(role), free(subject), free(act), free(county), free(school), free(period), free(target);
    free(reason);
}

void review_print_audit(const char *action, json_t *body)
{
    json_t *rows = json_is_array(body) ? body : json_object_get(body, "rows");
    if (!json_is_array(rows)) {
        review_print_generic(action, body);
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        print_audit_row(r);
    printf("%zu action%s\n", json_array_size(rows), json_array_size(rows) == 1 ? "" : "s");
}
