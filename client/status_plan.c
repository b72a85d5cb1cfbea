/* status_plan.c -- the city's plan in the county page, the city summary and
 * the HTML report. See status_plan.h. */
#include "status_plan.h"

#include <stdbool.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"

/* The "plan" object of a status, or NULL when it has none. */
static json_t *plan_of(json_t *status)
{
    json_t *p = json_object_get(status, "plan");
    return json_is_object(p) ? p : NULL;
}

/* A figure's value as text: a coefficient to 3 places, a share to 1 and
 * "%", "-" when null. */
static void value_text(json_t *fig, const char *key, char *buf, size_t size)
{
    json_t *v = json_object_get(fig, key);
    const char *unit = json_string_value(json_object_get(fig, "unit"));
    bool share = unit && strcmp(unit, "percent") == 0;
    if (!json_is_number(v))
        snprintf(buf, size, "-");
    else if (share)
        snprintf(buf, size, "%.1f%%", json_number_value(v));
    else
        snprintf(buf, size, "%.3f", json_number_value(v));
}

/* The Chinese heading of a figure's key, or "". */
static const char *figure_zh(const char *key)
{
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++)
        if (strcmp(PLAN_FIGURES[f].key, key) == 0)
            return PLAN_FIGURES[f].zh;
    return "";
}

/* "every year" or "school year 2025", for the plan's applies_to. */
static void applies_text(json_t *plan, char *buf, size_t size)
{
    const char *a = json_string_value(json_object_get(plan, "applies_to"));
    if (!a || strcmp(a, "every_year") == 0)
        snprintf(buf, size, "%s", _("every school year"));
    else
        snprintf(buf, size, _("school year %s"), a);
}

/* Writes s padded with spaces to width terminal columns (a character of
 * three or more UTF-8 bytes -- Chinese -- takes two). */
static void padded(FILE *out, const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols += *p >= 0xE0 ? 2 : 1;
    fputs(s, out);
    for (; cols < width; cols++)
        fputc(' ', out);
}

/* See status_plan.h. */
void status_plan_print(FILE *out, json_t *status)
{
    json_t *plan = plan_of(status);
    if (!plan)
        return;
    char applies[64];
    applies_text(plan, applies, sizeof applies);
    fprintf(out, _("\nplan 推进方案 (revision %lld, %s"),
            (long long)json_integer_value(json_object_get(plan, "revision")), applies);
    if (json_is_integer(json_object_get(plan, "due")))
        fprintf(out, _("; due to apply in %lld"), (long long)json_integer_value(json_object_get(plan, "due")));
    fputs("):\n  ", out);
    padded(out, _("figure"), 50);
    fprintf(out, " %10s %10s\n", _("planned"), _("measured"));
    const char *key;
    json_t *fig;
    json_object_foreach(json_object_get(plan, "figures"), key, fig)
    {
        char planned[32], measured[32], label[160];
        value_text(fig, "planned", planned, sizeof planned);
        value_text(fig, "measured", measured, sizeof measured);
        snprintf(label, sizeof label, "%s %s", key, figure_zh(key));
        fputs("  ", out);
        padded(out, label, 50);
        fprintf(out, " %10s %10s%s\n", planned, measured,
                json_is_true(json_object_get(fig, "behind")) ? _("  behind plan 落后") : "");
    }
    long long behind = (long long)json_integer_value(json_object_get(plan, "behind_count"));
    if (json_is_true(json_object_get(plan, "behind_in_due_year")))
        fprintf(out, _("  ** behind plan in the year it is due to apply (%lld); figures behind: %lld **\n"),
                (long long)json_integer_value(json_object_get(plan, "due")), behind);
    else
        fprintf(out, _("  figures behind plan: %lld\n"), behind);
}

/* See status_plan.h. */
void status_plan_cell(json_t *status, char *buf, size_t size)
{
    json_t *plan = plan_of(status);
    long long behind = (long long)json_integer_value(json_object_get(plan, "behind_count"));
    if (!plan)
        snprintf(buf, size, "-");
    else if (json_is_true(json_object_get(plan, "behind_in_due_year")))
        snprintf(buf, size, _("%lld behind, DUE %lld"), behind,
                 (long long)json_integer_value(json_object_get(plan, "due")));
    else if (behind > 0)
        snprintf(buf, size, _("%lld behind"), behind);
    else
        snprintf(buf, size, "%s", _("on plan"));
}

/* Writes s with &, <, > and " escaped. */
static void esc(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '"')
            fputs("&quot;", out);
        else
            fputc(*s, out);
    }
}

/* The called-out line of a county behind plan in its due year. */
static void callout(FILE *out, json_t *status, json_t *plan)
{
    json_t *county = json_object_get(status, "county");
    fputs("<p class=\"plan-due\" style=\"color:#900;font-weight:bold\">", out);
    esc(out, json_string_value(json_object_get(county, "code")));
    fputs(" ", out);
    esc(out, json_string_value(json_object_get(county, "name")));
    fprintf(out, _(": behind plan in %lld, the year it is due to apply (figures behind: %lld)"),
            (long long)json_integer_value(json_object_get(plan, "due")),
            (long long)json_integer_value(json_object_get(plan, "behind_count")));
    fputs("</p>\n", out);
}

/* See status_plan.h. */
void status_plan_html(FILE *out, json_t *status)
{
    json_t *plan = plan_of(status);
    if (!plan)
        return;
    char applies[64];
    applies_text(plan, applies, sizeof applies);
    fprintf(out, "<h3>%s</h3>\n", _("推进方案 the city's plan: planned and measured"));
    fprintf(out, "<p class=\"meta\">%s · %s %lld", applies, _("revision"),
            (long long)json_integer_value(json_object_get(plan, "revision")));
    if (json_is_integer(json_object_get(plan, "due")))
        fprintf(out, _(" · due to apply in %lld"), (long long)json_integer_value(json_object_get(plan, "due")));
    fputs("</p>\n", out);
    if (json_is_true(json_object_get(plan, "behind_in_due_year")))
        callout(out, status, plan);
    fprintf(out, "<table class=\"plan\">\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("figure"),
            _("planned"), _("measured"), _("behind plan"));
    const char *key;
    json_t *fig;
    json_object_foreach(json_object_get(plan, "figures"), key, fig)
    {
        char planned[32], measured[32];
        bool behind = json_is_true(json_object_get(fig, "behind"));
        value_text(fig, "planned", planned, sizeof planned);
        value_text(fig, "measured", measured, sizeof measured);
        fprintf(out, "<tr><td>%s <span class=\"muted\">%s</span></td><td class=\"n\">%s</td>", figure_zh(key), key,
                planned);
        fprintf(out, "<td class=\"n%s\"%s>%s</td><td>%s</td></tr>\n", behind ? " behind" : "",
                behind ? " style=\"background:#fdd;color:#900\"" : "", measured, behind ? _("behind 落后") : "");
    }
    fputs("</table>\n", out);
}

/* See status_plan.h. */
void status_plan_html_callouts(FILE *out, json_t *statuses)
{
    size_t i, n = 0;
    json_t *s;
    json_array_foreach(statuses, i, s)
    {
        json_t *plan = plan_of(s);
        if (!plan || !json_is_true(json_object_get(plan, "behind_in_due_year")))
            continue;
        if (n++ == 0)
            fprintf(out, "<h2>%s</h2>\n", _("推进方案 behind the city's plan in the year due to apply"));
        callout(out, s, plan);
    }
}
