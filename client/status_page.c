/* status_page.c -- text pages from county status JSON. See status_page.h. */
#include "status_page.h"

#include <math.h>
#include <string.h>

#include "assess.h"
#include "indicators.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static long long num(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static double real(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *verdict(json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key)) ? "PASS 达标" : "FAIL 未达标";
}

/* The Chinese name of a stage key. */
static const char *stage_zh(const char *key)
{
    for (int s = 0; s < STAGE_COUNT; s++)
        if (strcmp(STAGE_KEYS[s], key) == 0)
            return STAGE_NAMES_ZH[s];
    return key;
}

static const char *guarantee_zh(const char *key)
{
    for (int g = 0; g < GUAR_COUNT; g++)
        if (strcmp(GUARANTEES[g].key, key) == 0)
            return GUARANTEES[g].name_zh;
    return "";
}

/* Values are shown to 2 decimals, coefficients to 3 (docs/rules.md §1). */
static void print_stage(FILE *out, const char *key, json_t *st)
{
    if (!json_is_true(json_object_get(st, "applicable"))) {
        fprintf(out, "\n%s %s: not applicable (no sections assessed)\n", stage_zh(key), key);
        return;
    }
    long long assessed = num(st, "sections_assessed");
    fprintf(out, "\n%s %s: %lld sections assessed, %lld students — %s\n", stage_zh(key), key, assessed,
            num(st, "students"), verdict(st, "pass"));
    fprintf(out, "  %-20s %10s %10s %8s %7s %9s  %s\n", "indicator", "mean", "standard", "CV", "limit", "meeting",
            "名称");
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(st, "indicators"), i, ind)
    {
        json_t *cv = json_object_get(ind, "cv");
        char cvtext[16];
        if (json_is_number(cv))
            snprintf(cvtext, sizeof cvtext, "%.3f", json_number_value(cv));
        else
            snprintf(cvtext, sizeof cvtext, "null");
        const indicator_def *def = indicator_by_key(str(ind, "id"));
        fprintf(out, "  %-20s %10.2f %10.2f %8s %s%-5.2f %4s%lld/%lld  %s%s\n", str(ind, "id"), real(ind, "mean"),
                real(ind, "standard"), cvtext, json_is_true(json_object_get(ind, "cv_ok")) ? "≤" : ">",
                real(ind, "cv_limit"), "", num(ind, "sections_meeting"), assessed,
                def ? def->name_zh : str(ind, "name_zh"), json_is_true(json_object_get(ind, "cv_ok")) ? "" : "  ✗");
    }
    fprintf(out, "  sections passing (≥ 6 of 7 met, the rest ≥ 85 %%): %lld/%lld\n", num(st, "sections_passing"),
            assessed);
}

/* The rectification list: every failing section and what it needs. */
static void print_rectification(FILE *out, json_t *sections)
{
    size_t i, shown = 0;
    json_t *sec;
    json_array_foreach(sections, i, sec)
    {
        if (!json_is_null(json_object_get(sec, "excluded")) || json_is_true(json_object_get(sec, "pass")))
            continue;
        if (shown++ == 0)
            fprintf(out, "\n整改清单 rectification list (sections failing the 6-of-7 / 85 %% rule):\n");
        fprintf(out, "  %s %s (%s %s, %lld students): %lld of 7 met\n", str(sec, "school_code"), str(sec, "name"),
                stage_zh(str(sec, "stage")), str(sec, "stage"), num(sec, "students"), num(sec, "met"));
        size_t j;
        json_t *sf;
        json_array_foreach(json_object_get(sec, "shortfalls"), j, sf)
        {
            const indicator_def *def = indicator_by_key(str(sf, "indicator"));
            double needed = real(sf, "needed");
            /* Shown rounded up: "needs 312 m² more" is what must be added at least. */
            fprintf(out, "    %-18s %s: %.2f of %.2f %s (%.1f %%) — needs %.0f %s more\n", str(sf, "indicator"),
                    def ? def->name_zh : "", real(sf, "value"), real(sf, "standard"), def ? def->unit : "",
                    100.0 * real(sf, "ratio"), ceil(needed - 1e-9), def ? def->resource_unit : "");
        }
    }
    if (shown == 0)
        fprintf(out, "\n整改清单 rectification list: every assessed section passes\n");
}

static void print_code_list(FILE *out, json_t *list, size_t max)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        if (i == max) {
            fprintf(out, " … (%zu more)", json_array_size(list) - max);
            break;
        }
        fprintf(out, "%s%s", i ? ", " : "", json_is_string(c) ? json_string_value(c) : "?");
    }
}

static void print_guarantee(FILE *out, json_t *guarantee)
{
    fprintf(out, "\n政府保障程度 government-guarantee items shown by school data:\n");
    const char *key;
    json_t *g;
    json_object_foreach(guarantee, key, g)
    {
        const char *unit = str(g, "unit");
        fprintf(out, "  %-22s %-12s %s  %lld/%lld %s", key, guarantee_zh(key), verdict(g, "pass"),
                num(g, "complying"), num(g, "applicable"), *unit ? unit : "schools");
        json_t *failing = json_object_get(g, "failing");
        if (json_array_size(failing) > 0) {
            fprintf(out, "; failing: ");
            print_code_list(out, failing, 8);
        }
        fputc('\n', out);
    }
}

void status_page_county(FILE *out, json_t *s)
{
    json_t *county = json_object_get(s, "county");
    json_t *cov = json_object_get(s, "coverage");
    fprintf(out, "%s %s (city %s) — 学年 period %s — rules %s\n", str(county, "code"), str(county, "name"),
            str(county, "city_code"), str(s, "period"), str(s, "rules_version"));
    fprintf(out, "computed %s, seq %lld, epoch %s\n", str(s, "computed_at"), num(s, "seq"), str(s, "epoch"));
    fprintf(out, "coverage: %lld of %lld registered schools submitted", num(cov, "schools_submitted"),
            num(cov, "schools_registered"));
    if (json_array_size(json_object_get(cov, "missing")) > 0) {
        fprintf(out, "; missing: ");
        print_code_list(out, json_object_get(cov, "missing"), 10);
    }
    fputc('\n', out);
    json_t *stages = json_object_get(s, "stages");
    for (int st = 0; st < STAGE_COUNT; st++)
        print_stage(out, STAGE_KEYS[st], json_object_get(stages, STAGE_KEYS[st]));
    fprintf(out, "\n资源配置 resource allocation: %s\n", verdict(s, "resource_allocation_pass"));
    size_t i;
    json_t *sec;
    size_t excluded = 0;
    json_array_foreach(json_object_get(s, "sections"), i, sec) excluded += !json_is_null(json_object_get(sec, "excluded"));
    if (excluded) {
        fprintf(out, "excluded from the seven indicators:\n");
        json_array_foreach(json_object_get(s, "sections"), i, sec)
        {
            if (!json_is_null(json_object_get(sec, "excluded")))
                fprintf(out, "  %s %s (%s): %s\n", str(sec, "school_code"), str(sec, "name"),
                        stage_zh(str(sec, "stage")), str(sec, "excluded"));
        }
    }
    print_rectification(out, json_object_get(s, "sections"));
    print_guarantee(out, json_object_get(s, "guarantee"));
    json_t *awaiting = json_object_get(s, "awaiting_county_input");
    if (json_array_size(awaiting) > 0) {
        fprintf(out, "\nawaiting county input 待县级材料 (not decided by school data): ");
        print_code_list(out, awaiting, 100);
        fputc('\n', out);
    }
}

/* The worst coefficient of a stage relative to its limit: "sports_area 0.612>0.50". */
static void worst_cv(json_t *st, char *buf, size_t size)
{
    double worst = -1;
    snprintf(buf, size, "-");
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(st, "indicators"), i, ind)
    {
        json_t *cv = json_object_get(ind, "cv");
        double limit = real(ind, "cv_limit");
        double rel = json_is_number(cv) ? json_number_value(cv) / limit : INFINITY;
        if (rel > worst) {
            worst = rel;
            if (json_is_number(cv))
                snprintf(buf, size, "%s %.3f%s%.2f", str(ind, "id"), json_number_value(cv),
                         json_is_true(json_object_get(ind, "cv_ok")) ? "<=" : "> ", limit);
            else
                snprintf(buf, size, "%s null", str(ind, "id"));
        }
    }
}

void status_page_city(FILE *out, json_t *answer)
{
    json_t *list = json_object_get(answer, "counties");
    fprintf(out, "%-7s %-8s %-9s %-11s %-30s %-11s %-30s %s\n", "county", "coverage", "period", "primary", "worst CV",
            "junior", "worst CV", "verdict  name");
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        json_t *cov = json_object_get(s, "coverage");
        char cover[32], p[32], j[32], wp[96], wj[96];
        snprintf(cover, sizeof cover, "%lld/%lld", num(cov, "schools_submitted"), num(cov, "schools_registered"));
        json_t *stages = json_object_get(s, "stages");
        json_t *ps = json_object_get(stages, "primary"), *js = json_object_get(stages, "junior");
        snprintf(p, sizeof p, "%lld/%lld", num(ps, "sections_passing"), num(ps, "sections_assessed"));
        snprintf(j, sizeof j, "%lld/%lld", num(js, "sections_passing"), num(js, "sections_assessed"));
        worst_cv(ps, wp, sizeof wp);
        worst_cv(js, wj, sizeof wj);
        fprintf(out, "%-7s %-8s %-9s %-11s %-30s %-11s %-30s %s  %s\n", str(json_object_get(s, "county"), "code"),
                cover, str(s, "period"), p, wp, j, wj,
                json_is_true(json_object_get(s, "resource_allocation_pass")) ? "PASS 达标" : "FAIL 未达标",
                str(json_object_get(s, "county"), "name"));
    }
    if (json_array_size(list) == 0)
        fprintf(out, "no counties under %s\n", str(answer, "prefix"));
}

void status_page_history(FILE *out, const char *county_code, json_t *history)
{
    fprintf(out, "history of %s (oldest first); cv[...] lists the seven difference coefficients in this order:\n",
            county_code);
    for (int k = 0; k < IND_COUNT; k++)
        fprintf(out, "  %d %-18s %s\n", k + 1, INDICATORS[k].key, INDICATORS[k].name_zh);
    size_t i;
    json_t *h;
    json_array_foreach(history, i, h)
    {
        fprintf(out, "%s period %lld seq %lld  %s  schools %lld/%lld", str(h, "computed_at"), num(h, "period"),
                num(h, "seq"), json_is_true(json_object_get(h, "resource_allocation_pass")) ? "PASS" : "FAIL",
                num(h, "schools_submitted"), num(h, "schools_registered"));
        json_t *stages = json_object_get(h, "stages");
        for (int s = 0; s < STAGE_COUNT; s++) {
            json_t *st = json_object_get(stages, STAGE_KEYS[s]);
            if (!st)
                continue;
            fprintf(out, "  %s %s %lld/%lld cv[", STAGE_KEYS[s], json_is_true(json_object_get(st, "pass")) ? "pass" : "fail",
                    num(st, "sections_passing"), num(st, "sections_assessed"));
            json_t *cvs = json_object_get(st, "cv");
            for (int k = 0; k < IND_COUNT; k++) {
                json_t *cv = json_object_get(cvs, INDICATORS[k].key);
                if (json_is_number(cv))
                    fprintf(out, "%s%.3f", k ? " " : "", json_number_value(cv));
                else
                    fprintf(out, "%snull", k ? " " : "");
            }
            fputc(']', out);
        }
        fputc('\n', out);
    }
    if (json_array_size(history) == 0)
        fprintf(out, "no statuses stored yet\n");
}
