/* status_review.c -- the parts of a status page that come from the review
 * chain (docs/review.md): which view the status is (实时 live / 正式
 * official), the "review" object (the county's package, its schools awaiting
 * approval, not submitted or returned, the period's closing date) and the
 * city's overrides of items. Only writes to the given stream. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
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
    fprintf(out, "%s: %s %s%s\n", _("view"), official ? "正式 official" : "实时 live",
            official ? _("(approved revisions, sealed county inputs, the city's overrides)")
                     : _("(the newest data received)"),
            json_object_get(status, "view") || !asked ? "" : _(" [as asked; the daemon did not say]"));
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
    fprintf(out, _("  package: %s %s"), text(p, "state_zh", ""), state);
    if (num(p, "seal"))
        fprintf(out, _("  seal %lld (%s)"), num(p, "seal"), text(p, "sealed_at", "-"));
    fprintf(out, _("  problems: %lld open, %lld rectified, %lld closed\n"), num(p, "problems_open"),
            num(p, "problems_rectified"), num(p, "problems_closed"));
}

/* The period line: closing date, days left, closing soon or closed. */
static void print_period(FILE *out, json_t *p)
{
    if (!json_is_object(p)) {
        fprintf(out, "%s", _("  period: no closing date (submissions taken at any time)\n"));
        return;
    }
    fprintf(out, _("  period %lld: closes %s"), num(p, "period"), text(p, "closes", "-"));
    if (json_is_true(json_object_get(p, "closed")))
        fprintf(out, "%s", _("  closed\n"));
    else
        fprintf(out, _("  %lld days left%s\n"), num(p, "days_left"),
                json_is_true(json_object_get(p, "closing_soon")) ? _("  closing soon") : "");
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
            fprintf(out, "%s", _("\ncity overrides (the county's own value kept beside):\n"));
        const item_def *d = item_find(text(it, "number", text(it, "id", "")));
        json_t *cv = json_object_get(it, "county_value");
        char *county = cv && !json_is_null(cv) ? json_dumps(cv, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        fprintf(out, _("  %s %s %s: %s = %s (county: %s)  reason: %s (%s)\n"), d ? d->number : text(it, "number", "?"),
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
        fprintf(out, "%s", _("\nreview:\n"));
        print_package(out, json_object_get(r, "package"));
        if (json_is_object(schools)) {
            fprintf(out, _("  schools: %lld registered, %lld approved\n"), num(schools, "registered"),
                    num(schools, "approved"));
            print_codes(out, "待审核 awaiting_approval", json_object_get(schools, "awaiting_approval"), 12);
            print_codes(out, "未填报 not_submitted", json_object_get(schools, "not_submitted"), 12);
            print_codes(out, "已退回 returned", json_object_get(schools, "returned"), 12);
        }
        print_period(out, json_object_get(r, "period"));
    }
    print_overrides(out, status);
}
