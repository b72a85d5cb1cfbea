/* school_page.c -- the page of one school's own status. See school_page.h. */
#include "school_page.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "i18n.h"

/* A string member of o, or "" (borrowed from o). */
static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A JSON number (integer or real) as a double; NaN when null or absent. */
static double real(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A value as shown: 2 decimals, "—" when undefined. */
static const char *shown(double x, char *buf, size_t size)
{
    if (isnan(x))
        snprintf(buf, size, "—");
    else
        snprintf(buf, size, "%.2f", x);
    return buf;
}

/* The school, its county, year and view. */
static void print_head(FILE *out, json_t *s)
{
    json_t *school = json_object_get(s, "school"), *county = json_object_get(s, "county");
    bool official = strcmp(str(s, "view"), "official") == 0;
    fprintf(out, "学校 %s %s (%s %s) — %s %s %s\n", str(school, "code"), str(school, "name"), str(school, "kind_zh"),
            str(school, "kind"), str(county, "code"), str(county, "name"), str(s, "period"));
    fprintf(out, _("View: %s (%s)\n"), official ? "正式 official" : "实时 live",
            official ? _("approved revisions only") : _("the newest revision received"));
    json_t *rev = json_object_get(s, "revision");
    if (json_is_integer(rev))
        fprintf(out, _("Revision counted: %lld\n"), (long long)json_integer_value(rev));
    else if (json_is_true(json_object_get(s, "submitted")))
        fprintf(out, _("Revision counted: none\n"));
    else
        fprintf(out, _("Not submitted for this year%s.\n"), official ? _(" (or none approved yet)") : "");
}

/* One section: its table and what it needs. */
static void print_section(FILE *out, json_t *sec)
{
    const char *excluded = json_string_value(json_object_get(sec, "excluded"));
    long long students = (long long)json_integer_value(json_object_get(sec, "students"));
    fprintf(out, "\n%s %s: ", str(sec, "stage_zh"), str(sec, "stage"));
    if (excluded) {
        fprintf(out, _("%lld students — not assessed: %s (%s)\n"), students, str(sec, "excluded_zh"), excluded);
        return;
    }
    bool pass = json_is_true(json_object_get(sec, "pass"));
    fprintf(out, _("%lld students, %lld of 7 standards met — %s\n"), students,
            (long long)json_integer_value(json_object_get(sec, "met")), pass ? "达标 pass" : "未达标 fail");
    fprintf(out, "  %-20s %12s %12s %4s  %s\n", _("indicator"), _("value"), _("standard"), _("met"), "指标名称");
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(sec, "indicators"), i, ind)
    {
        char v[32], st[32];
        json_t *met = json_object_get(ind, "met");
        fprintf(out, "  %-20s %12s %12s %4s  %s\n", str(ind, "id"), shown(real(ind, "value"), v, sizeof v),
                shown(real(ind, "standard"), st, sizeof st), json_is_true(met) ? "✓" : json_is_false(met) ? "✗" : "",
                str(ind, "name_zh"));
    }
    json_t *needs = json_object_get(sec, "needs");
    if (json_array_size(needs) == 0) {
        fprintf(out, _("  Meets every standard.\n"));
        return;
    }
    fprintf(out, _("  Needs (%s):\n"), "整改");
    json_t *n;
    json_array_foreach(needs, i, n)
    {
        char v[32], st[32];
        fprintf(out, "    %s  (%s %s/%s, %.1f %%)\n", str(n, "text_zh"), str(n, "indicator"),
                shown(real(n, "value"), v, sizeof v), shown(real(n, "standard"), st, sizeof st),
                100.0 * real(n, "ratio"));
    }
    fprintf(out, _("  (A section passes with 6 of 7 standards met and the rest at 85 %% or more of theirs.)\n"));
}

/* The guarantee items: ✓ complies, ✗ does not, – not applicable, · county-wide. */
static void print_guarantee(FILE *out, json_t *s)
{
    fprintf(out, _("\nGuarantee items (%s):\n"), "政府保障程度");
    const char *key;
    json_t *g;
    json_object_foreach(json_object_get(s, "guarantee"), key, g)
    {
        json_t *c = json_object_get(g, "complies");
        const char *mark = json_is_true(json_object_get(g, "county_wide")) ? "·"
                           : json_is_true(c)                             ? "✓"
                           : json_is_false(c)                            ? "✗"
                                                                         : "–";
        fprintf(out, "  %s %s %s: %s\n", mark, str(g, "name_zh"), key, str(g, "reason"));
        fprintf(out, "      %s\n", str(g, "reason_en"));
    }
}

/* The revisions and the year's dates. */
static void print_review(FILE *out, json_t *s)
{
    json_t *revs = json_object_get(s, "revisions");
    fprintf(out, _("\nRevisions (%s):\n"), "修订");
    if (json_array_size(revs) == 0)
        fprintf(out, _("  none for this year\n"));
    size_t i;
    json_t *r;
    json_array_foreach(revs, i, r)
    {
        fprintf(out, "  %-8lld %s %-9s", (long long)json_integer_value(json_object_get(r, "revision")),
                str(r, "state_zh"), str(r, "state"));
        if (json_is_true(json_object_get(r, "newest")))
            fprintf(out, _("  newest"));
        if (json_is_true(json_object_get(r, "counted")))
            fprintf(out, _("  counted in this view"));
        fputc('\n', out);
    }
    json_t *p = json_object_get(s, "period_state");
    if (json_is_object(p)) {
        const char *closes = json_string_value(json_object_get(p, "closes"));
        const char *adm = str(p, "admission");
        fprintf(out, _("  The year closes %s; %s\n"), closes ? closes : _("(no date)"),
                strcmp(adm, "open") == 0   ? _("submissions are taken.")
                : strcmp(adm, "late") == 0 ? _("reopened for this school: a submission now is marked late.")
                                           : _("closed: submissions are refused."));
    }
}

void school_page_print(FILE *out, json_t *s)
{
    print_head(out, s);
    size_t i;
    json_t *sec;
    json_array_foreach(json_object_get(s, "sections"), i, sec)
        print_section(out, sec);
    if (json_array_size(json_object_get(s, "sections")) == 0)
        fprintf(out, _("\nNo sections to assess: nothing counted in this view.\n"));
    print_guarantee(out, s);
    print_review(out, s);
    json_t *cv = json_object_get(s, "county_verdict"), *county = json_object_get(s, "county");
    const char *zh = json_string_value(json_object_get(cv, "verdict_zh"));
    fprintf(out, _("\nCounty %s %s: %s"), str(county, "code"), str(county, "name"), zh ? zh : "待定");
    if (json_string_value(json_object_get(cv, "reason")))
        fprintf(out, " — %s", str(cv, "reason"));
    fputc('\n', out);
    fprintf(out, _("Note: %s\n"), str(s, "caveat_zh"));
    fprintf(out, "      %s\n", str(s, "caveat"));
}
