/* status_review.c -- the parts of a status page that come from the review
 * chain (docs/review.md): which view the status is (实时 live / 正式
 * official), the "review" object (the county's package, its schools awaiting
 * approval, not submitted or returned, the period's closing date) and the
 * city's overrides of items. Only writes to the given stream. */
#include <stdlib.h>
#include <string.h>

#include "items.h"
#include "status_page.h"

/* The string member key of o, or fallback. */
static const char *text(json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : fallback;
}

/* The integer member key of o. */
static long long num(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

void status_page_view_line(FILE *out, json_t *status, const char *asked)
{
    const char *view = text(status, "view", asked);
    bool official = view && strcmp(view, "official") == 0;
    fprintf(out, "视图 view: %s%s\n", official ? "正式 official (approved revisions, sealed county inputs, the city's "
                                                 "overrides)" : "实时 live (the newest data received)",
            json_object_get(status, "view") || !asked ? "" : " [as asked; the daemon did not say]");
}

/* Prints a list of school codes, at most max of them. */
static void print_codes(FILE *out, const char *title, json_t *list, size_t max)
{
    size_t i;
    json_t *c;
    fprintf(out, "  %s: %zu", title, json_array_size(list));
    json_array_foreach(list, i, c)
    {
        if (i == max) {
            fprintf(out, " …");
            break;
        }
        fprintf(out, "%s%s", i ? " " : "  ", json_is_string(c) ? json_string_value(c) : "?");
    }
    fputc('\n', out);
}

/* The package line: state, seal, problems. */
static void print_package(FILE *out, json_t *p)
{
    const char *state = text(p, "state", "collecting");
    fprintf(out, "  自评包 package: %s %s", text(p, "state_zh", ""), state);
    if (num(p, "seal"))
        fprintf(out, "  自评批次 seal %lld (%s)", num(p, "seal"), text(p, "sealed_at", "-"));
    fprintf(out, "  问题 problems: %lld 待整改 open, %lld 已整改 rectified, %lld 已销号 closed\n", num(p, "problems_open"),
            num(p, "problems_rectified"), num(p, "problems_closed"));
}

/* The period line: closing date, days left, closing soon or closed. */
static void print_period(FILE *out, json_t *p)
{
    if (!json_is_object(p)) {
        fprintf(out, "  填报期 period: 未设定截止日期 no closing date (submissions taken at any time)\n");
        return;
    }
    fprintf(out, "  填报期 period %lld: 截止 closes %s", num(p, "period"), text(p, "closes", "-"));
    if (json_is_true(json_object_get(p, "closed")))
        fprintf(out, "  已截止 closed\n");
    else
        fprintf(out, "  还剩 %lld 天 days left%s\n", num(p, "days_left"),
                json_is_true(json_object_get(p, "closing_soon")) ? "  即将截止 closing soon" : "");
}

/* The city's overrides of items (official view): the city's value beside
 * the county's. */
static void print_overrides(FILE *out, json_t *status)
{
    size_t i, shown = 0;
    json_t *it;
    json_array_foreach(json_object_get(status, "items"), i, it)
    {
        json_t *o = json_object_get(it, "city_override");
        if (!json_is_object(o))
            continue;
        if (shown++ == 0)
            fprintf(out, "\n市级改判 city overrides (the county's own value kept beside):\n");
        const item_def *d = item_find(text(it, "number", text(it, "id", "")));
        json_t *cv = json_object_get(it, "county_value");
        char *county = cv && !json_is_null(cv) ? json_dumps(cv, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fprintf(out, "  %s %s %s: %s = %s (县报 county: %s)  原因 reason: %s (%s)\n", d ? d->number : text(it, "number", "?"),
                d ? d->name_zh : "", d ? d->key : text(it, "id", ""), text(o, "field", "-"), text(o, "value", "-"),
                county ? county : "-", text(o, "reason", "-"), text(o, "at", "-"));
        free(county);
    }
}

void status_page_review(FILE *out, json_t *status)
{
    json_t *r = json_object_get(status, "review");
    if (json_is_object(r)) {
        json_t *schools = json_object_get(r, "schools");
        fprintf(out, "\n审核与复核 review:\n");
        print_package(out, json_object_get(r, "package"));
        if (json_is_object(schools)) {
            fprintf(out, "  学校 schools: %lld 在册 registered, %lld 已通过 approved\n", num(schools, "registered"),
                    num(schools, "approved"));
            print_codes(out, "待审核 awaiting approval", json_object_get(schools, "awaiting_approval"), 12);
            print_codes(out, "未填报 not submitted", json_object_get(schools, "not_submitted"), 12);
            print_codes(out, "已退回 returned", json_object_get(schools, "returned"), 12);
        }
        print_period(out, json_object_get(r, "period"));
    }
    print_overrides(out, status);
}
