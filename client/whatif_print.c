/* whatif_print.c -- a what-if's answer printed for a person. See
 * whatif_print.h. */
#include "whatif_print.h"

#include <string.h>

#include "assess_items.h"
#include "i18n.h"
#include "indicators.h"
#include "items.h"

/* A JSON string member, or "?". */
static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

/* Writes a JSON value as a submission cell is written: a number (%.15g),
 * a list as "45;45;40", "-" for none. */
static void value_text(const json_t *v, char *buf, size_t size)
{
    size_t used = 0, i;
    const json_t *x;
    if (json_is_number(v)) {
        snprintf(buf, size, "%.15g", json_number_value(v));
        return;
    }
    snprintf(buf, size, "-");
    if (!json_is_array(v))
        return;
    buf[0] = '\0';
    json_array_foreach(v, i, x)
    {
        int n = snprintf(buf + used, size - used, "%s%.15g", i ? ";" : "", json_number_value(x));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* The Chinese name of a verdict or outcome key ("pass" 达标 ...), or the key. */
static const char *outcome_zh(const char *key)
{
    for (int i = 0; i < OUTCOME_COUNT; i++)
        if (strcmp(key, ITEM_OUTCOME_KEYS[i]) == 0)
            return ITEM_OUTCOME_NAMES_ZH[i];
    for (int i = 0; i < VERDICT_COUNT; i++)
        if (strcmp(key, VERDICT_KEYS[i]) == 0)
            return VERDICT_NAMES_ZH[i];
    if (strcmp(key, "excluded") == 0)
        return "不参评";
    if (strcmp(key, "absent") == 0)
        return "无";
    return key;
}

/* The Chinese name of a stage key. */
static const char *stage_zh(const char *key)
{
    for (int s = 0; s < STAGE_COUNT; s++)
        if (strcmp(key, STAGE_KEYS[s]) == 0)
            return STAGE_NAMES_ZH[s];
    return key;
}

/* The Chinese name of an indicator key. */
static const char *indicator_zh(const char *key)
{
    for (int i = 0; i < IND_COUNT; i++)
        if (strcmp(key, INDICATORS[i].key) == 0)
            return INDICATORS[i].name_zh;
    return key;
}

/* A coefficient, or "-" when undefined. */
static void cv_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_number(v))
        snprintf(buf, size, "%.4f", json_number_value(v));
    else
        snprintf(buf, size, "-");
}

static void print_changes(FILE *out, const json_t *changes)
{
    size_t i;
    const json_t *c;
    fprintf(out, _("Changes (改动):\n"));
    json_array_foreach(changes, i, c)
    {
        char was[256], now[256];
        value_text(json_object_get(c, "old"), was, sizeof was);
        value_text(json_object_get(c, "new"), now, sizeof now);
        fprintf(out, "  %s.%s: %s → %s\n", str(c, "school_code"), str(c, "field"), was, now);
    }
}

static void print_sections(FILE *out, const json_t *flipped)
{
    size_t i;
    const json_t *f;
    if (json_array_size(flipped) == 0) {
        fprintf(out, _("Sections that flip (学段达标变化): none\n"));
        return;
    }
    fprintf(out, _("Sections that flip (学段达标变化):\n"));
    json_array_foreach(flipped, i, f)
    fprintf(out, "  %s %s %s: %s %s → %s %s\n", str(f, "school_code"), stage_zh(str(f, "stage")), str(f, "stage"),
            outcome_zh(str(f, "before")), str(f, "before"), outcome_zh(str(f, "after")), str(f, "after"));
}

static void print_coefficients(FILE *out, const json_t *cvs)
{
    size_t i;
    const json_t *c;
    fprintf(out, _("Difference coefficients (校际差异系数), before → after, limit:\n"));
    json_array_foreach(cvs, i, c)
    {
        char b[32], a[32], lim[32];
        cv_text(json_object_get(c, "before"), b, sizeof b);
        cv_text(json_object_get(c, "after"), a, sizeof a);
        cv_text(json_object_get(c, "limit"), lim, sizeof lim);
        bool wb = json_is_true(json_object_get(c, "within_before"));
        bool wa = json_is_true(json_object_get(c, "within_after"));
        fprintf(out, "  %s %-9s %s %s: %s → %s (≤ %s) %s → %s%s\n", stage_zh(str(c, "stage")), str(c, "stage"),
                indicator_zh(str(c, "indicator")), str(c, "indicator"), b, a, lim, wb ? "✓" : "✗", wa ? "✓" : "✗",
                strcmp(b, a) != 0 ? " *" : "");
    }
}

static void print_items(FILE *out, const json_t *items)
{
    size_t i;
    const json_t *it;
    if (json_array_size(items) == 0) {
        fprintf(out, _("Items that change (指标结果变化): none\n"));
        return;
    }
    fprintf(out, _("Items that change (指标结果变化):\n"));
    json_array_foreach(items, i, it)
    {
        const item_def *d = item_find(str(it, "item"));
        fprintf(out, "  %s %s %s: %s %s → %s %s\n", str(it, "item"), d ? d->name_zh : "", str(it, "key"),
                outcome_zh(str(it, "before")), str(it, "before"), outcome_zh(str(it, "after")), str(it, "after"));
    }
}

void whatif_print(FILE *out, json_t *body)
{
    const json_t *diff = json_object_get(body, "diff");
    const json_t *verdict = json_object_get(diff, "verdict");
    const json_t *county = json_object_get(json_object_get(body, "after"), "county");
    const char *name = json_string_value(json_object_get(county, "name"));
    fprintf(out, _("What-if for county %s %s, %d, %s view (nothing stored or published)\n"), str(body, "county_code"),
            name ? name : "", (int)json_integer_value(json_object_get(body, "period")), str(body, "view"));
    print_changes(out, json_object_get(body, "changes"));
    fprintf(out, _("Verdict (结论): %s %s → %s %s\n"), outcome_zh(str(verdict, "before")), str(verdict, "before"),
            outcome_zh(str(verdict, "after")), str(verdict, "after"));
    print_sections(out, json_object_get(diff, "sections_flipped"));
    print_coefficients(out, json_object_get(diff, "coefficients"));
    print_items(out, json_object_get(diff, "items_changed"));
}
