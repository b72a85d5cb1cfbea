/* review_print.c -- the review chain's answers as text (review.h): the
 * action answers, the audit log and the periods, with states, actions, items
 * and columns in Chinese and their English ids beside (in either language),
 * the labels through gettext (i18n.h). The query tables are
 * in review_tables.c. Whatever a printer does not recognise it prints with
 * the generic printer, so no answer is hidden. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "items.h"
#include "review.h"
#include "submission_csv.h"

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
    { "import_counties", "导入县区" }, { "import_schools", "导入学校名册" }, { "import_plan", "导入推进方案" },
};

/* The labels of an action answer's own keys (docs/review.md, "Answers"),
 * in English for gettext (the .zh member holds the msgid). */
static const zh_name LABELS[] = {
    { "approved", N_("approved revision") }, { "returned", N_("returned revision") },
    { "reopened", N_("schools reopened") }, { "reason", N_("reason") }, { "columns", N_("columns") },
    { "deadline", N_("deadline") }, { "seal", N_("seal") }, { "sealed_at", N_("sealed at") },
    { "inputs_revision", N_("county inputs revision") }, { "problem", N_("problem number") },
    { "item", N_("item") }, { "finding", N_("finding") }, { "field", N_("field") }, { "value", N_("value") },
    { "evidence", N_("evidence") }, { "state", N_("state") }, { "closes", N_("closes") },
    { "closed", N_("closed") },
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

const char *review_text(json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : fallback;
}

void review_print_state(FILE *out, const char *state)
{
    const char *zh = review_state_zh(state);
    fprintf(out, "%s%s%s", zh, *zh ? " " : "", state ? state : "-");
}

void review_print_item(FILE *out, const char *item)
{
    const item_def *d = item ? item_find(item) : NULL;
    if (d)
        fprintf(out, "%s %s %s", d->number, d->name_zh, d->key);
    else
        fputs(item ? item : "-", out);
}

void review_print_columns(FILE *out, json_t *columns)
{
    size_t i;
    json_t *c;
    json_array_foreach(columns, i, c)
    {
        const char *name = json_string_value(c);
        int col = name ? submission_column_find(name) : -1;
        fprintf(out, "%s%s", i ? ", " : "", name ? name : "?");
        if (col >= 0)
            fprintf(out, " (%s)", SUBMISSION_COLUMNS_ZH[col]);
    }
    if (json_array_size(columns) == 0)
        fputs("-", out);
}

/* Prints a list of numbers (revisions) as "a b c", at most 20 of them and
 * then how many in all. */
static void print_numbers(FILE *out, json_t *list)
{
    size_t i, n = json_array_size(list);
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (i == 20) {
            fprintf(out, _(" … (%zu in all)"), n);
            break;
        }
        fprintf(out, "%s%lld", i ? " " : "", (long long)json_integer_value(x));
    }
}

/* Prints v as a value: a state or string as it is, a list of numbers with
 * spaces, others as JSON. */
static void print_value(FILE *out, const char *key, json_t *v)
{
    if (json_is_array(v) && json_array_size(v) > 0 && json_is_integer(json_array_get(v, 0)))
        print_numbers(out, v);
    else if (json_is_string(v) && strcmp(key, "state") == 0)
        review_print_state(out, json_string_value(v));
    else if (json_is_string(v) && strcmp(key, "item") == 0)
        review_print_item(out, json_string_value(v));
    else if (json_is_array(v) && strcmp(key, "columns") == 0)
        review_print_columns(out, v);
    else if (json_is_string(v))
        fputs(json_string_value(v), out);
    else if (json_is_true(v) || json_is_false(v))
        fputs(json_is_true(v) ? _("yes") : _("no"), out);
    else {
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(t ? t : "?", out);
        free(t);
    }
}

void review_print_generic(const char *action, json_t *body)
{
    (void)action;
    size_t i;
    json_t *e;
    if (json_is_array(body)) {
        json_array_foreach(body, i, e)
        {
            print_value(stdout, "", e);
            putchar('\n');
        }
        if (json_array_size(body) == 0)
            puts(_("(none)"));
        return;
    }
    if (!json_is_object(body)) {
        print_value(stdout, "", body);
        putchar('\n');
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        printf("%-20s ", key);
        print_value(stdout, key, v);
        putchar('\n');
    }
}

/* The first line of an action's answer: what was done, where, and its
 * audit row. */
static void print_action_head(json_t *body)
{
    const char *act = review_text(body, "action", "?");
    printf("%s %s", review_action_zh(act), act);
    if (json_is_string(json_object_get(body, "county_code")))
        printf(_("  county %s"), review_text(body, "county_code", ""));
    if (json_is_string(json_object_get(body, "school_code")))
        printf(_("  school %s"), review_text(body, "school_code", ""));
    if (json_integer_value(json_object_get(body, "period")))
        printf(_("  period %lld"), (long long)json_integer_value(json_object_get(body, "period")));
    if (json_is_true(json_object_get(body, "duplicate")))
        fputs(_("  (duplicate: applied before)"), stdout);
    putchar('\n');
}

void review_print_action(const char *action, json_t *body)
{
    if (!json_is_object(body) || !json_is_string(json_object_get(body, "action"))) {
        review_print_generic(action, body);
        return;
    }
    print_action_head(body);
    static const char *const package_actions[] = { "seal", "finding", "override", "return_package", "pass",
                                                   "package_reopen" };
    bool package = false;
    for (size_t i = 0; i < sizeof package_actions / sizeof package_actions[0]; i++)
        package = package || strcmp(review_text(body, "action", ""), package_actions[i]) == 0;
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
        json_t *v = json_object_get(body, LABELS[i].id);
        if (!v || json_is_null(v))
            continue;
        const char *label = _(LABELS[i].zh);
        if (strcmp(label, LABELS[i].id) == 0)
            printf("  %s: ", label);
        else
            printf("  %s (%s): ", label, LABELS[i].id);
        if (package && strcmp(LABELS[i].id, "state") == 0 && strcmp(review_text(body, "state", ""), "returned") == 0)
            fputs("已退回整改 returned", stdout); /* a package's returned, not a revision's */
        else
            print_value(stdout, LABELS[i].id, v);
        putchar('\n');
    }
    json_t *schools = json_object_get(body, "schools");
    if (json_is_array(schools)) {
        size_t i, none = 0;
        json_t *s;
        json_array_foreach(schools, i, s)
            none += json_integer_value(json_object_get(s, "revision")) == 0;
        printf(_("  schools: %zu (%zu without an approved revision)\n"), json_array_size(schools), none);
    }
    printf(_("  audit: #%lld %s, action id %s\n"), (long long)json_integer_value(json_object_get(body, "audit_id")),
           review_text(body, "at", "-"), review_text(body, "action_id", "-"));
}

/* One audit row: when, who, what, where, on what, why. */
static void print_audit_row(json_t *r)
{
    const char *act = review_text(r, "action", "?");
    printf("#%-5lld %s  %s %s  %s %s", (long long)json_integer_value(json_object_get(r, "id")), review_text(r, "at", "-"),
           review_text(r, "actor_role", "-"), review_text(r, "actor_subject", "-"), review_action_zh(act), act);
    if (json_is_string(json_object_get(r, "county_code")))
        printf(_("  county %s"), review_text(r, "county_code", ""));
    if (json_is_string(json_object_get(r, "school_code")))
        printf(_("  school %s"), review_text(r, "school_code", ""));
    if (json_integer_value(json_object_get(r, "period")))
        printf(_("  period %lld"), (long long)json_integer_value(json_object_get(r, "period")));
    json_t *target = json_object_get(r, "target");
    if (target && !json_is_null(target)) {
        fputs(_("  target "), stdout);
        print_value(stdout, "target", target);
    }
    json_t *revisions = json_object_get(json_object_get(r, "detail"), "revisions");
    if (json_is_array(revisions)) {
        fputs(_("  revisions "), stdout);
        print_numbers(stdout, revisions);
    }
    if (json_is_string(json_object_get(r, "reason")))
        printf(_("  reason: %s"), review_text(r, "reason", ""));
    putchar('\n');
}

void review_print_audit(const char *action, json_t *body)
{
    if (!json_is_array(body)) {
        review_print_generic(action, body);
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(body, i, r)
        print_audit_row(r);
    printf(_("actions: %zu\n"), json_array_size(body));
}

void review_print_periods(const char *action, json_t *body)
{
    if (json_is_object(body)) {
        review_print_action(action, body);
        return;
    }
    if (!json_is_array(body)) {
        review_print_generic(action, body);
        return;
    }
    size_t i;
    json_t *p;
    json_array_foreach(body, i, p)
    {
        printf(_("period %lld  closes %s  %s\n"), (long long)json_integer_value(json_object_get(p, "period")),
               review_text(p, "closes", "-"), json_is_true(json_object_get(p, "closed")) ? _("closed") : _("open"));
    }
    if (json_array_size(body) == 0)
        puts(_("no period opened (submissions are taken at any time)"));
}
