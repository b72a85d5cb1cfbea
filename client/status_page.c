/* status_page.c -- text pages from county status JSON. See status_page.h. */
#include "status_page.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "assess.h"
#include "i18n.h"
#include "indicators.h"
#include "status_plan.h"
#include "local_time.h"
#include "status_read.h"
#include "watch_view.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static long long num(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* A part's or stage's own result (never the county's verdict: see
 * status_verdict_text). */
static const char *verdict(bool pass)
{
    return pass ? _("pass") : _("fail");
}

/* Writes s in width terminal columns (a CJK character takes two), left- or
 * right-aligned, so a translated heading keeps its column. */
static void padded(FILE *out, const char *s, int width, bool right)
{
    int pad = width - watch_text_width(s);
    if (right)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
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
static void print_stage(FILE *out, const char *key, const status_stage *st)
{
    if (!st->applicable) {
        fprintf(out, _("\n%s %s: not applicable (no sections assessed)\n"), stage_zh(key), key);
        return;
    }
    long long assessed = st->sections_assessed;
    fprintf(out, _("\n%s %s: %lld sections assessed, %lld students — %s\n"), stage_zh(key), key, assessed,
            st->students, verdict(st->pass));
    fputs("  ", out);
    padded(out, _("indicator"), 20, false);
    static const char *const heads[] = { N_("mean"), N_("standard"), N_("CV"), N_("limit"), N_("meeting") };
    static const int widths[] = { 10, 10, 8, 7, 9 };
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        fputc(' ', out);
        padded(out, _(heads[h]), widths[h], true);
    }
    fprintf(out, "  %s\n", _("name"));
    for (size_t i = 0; i < st->n_indicators; i++) {
        const status_indicator *ind = &st->indicators[i];
        char cvtext[16];
        if (!isnan(ind->cv))
            snprintf(cvtext, sizeof cvtext, "%.3f", ind->cv);
        else
            snprintf(cvtext, sizeof cvtext, "null");
        const indicator_def *def = indicator_by_key(ind->id);
        fprintf(out, "  %-20s %10.2f %10.2f %8s %s%-5.2f %4s%lld/%lld  %s%s\n", ind->id, ind->mean, ind->standard,
                cvtext, ind->cv_ok ? "≤" : ">", ind->cv_limit, "", ind->sections_meeting, assessed,
                def ? def->name_zh : ind->name_zh, ind->cv_ok ? "" : "  ✗");
    }
    fprintf(out, _("  sections passing (≥ 6 of 7 met, the rest ≥ 85 %%): %lld/%lld\n"), st->sections_passing, assessed);
}

/* The rectification list: every failing section and what it needs. */
static void print_rectification(FILE *out, const status_county *s)
{
    size_t shown = 0;
    for (size_t i = 0; i < s->n_sections; i++) {
        const status_section *sec = &s->sections[i];
        if (sec->excluded_present || sec->pass)
            continue;
        if (shown++ == 0)
            fprintf(out, _("\nrectification list (sections failing the 6-of-7 / 85 %% rule):\n"));
        fprintf(out, _("  %s %s (%s %s, %lld students): %lld of 7 met\n"), sec->school_code, sec->name,
                stage_zh(sec->stage), sec->stage, sec->students, sec->met);
        for (size_t j = 0; j < sec->n_shortfalls; j++) {
            const status_shortfall *sf = &sec->shortfalls[j];
            const indicator_def *def = indicator_by_key(sf->indicator);
            /* Shown rounded up: "needs 312 m² more" is what must be added at least. */
            fprintf(out, _("    %-18s %s: %.2f of %.2f %s (%.1f %%) — needs %.0f %s more\n"), sf->indicator,
                    def ? def->name_zh : "", sf->value, sf->standard, def ? def->unit : "", 100.0 * sf->ratio,
                    ceil(sf->needed - 1e-9), def ? def->resource_unit : "");
        }
    }
    if (shown == 0)
        fprintf(out, "%s", _("\nrectification list: every assessed section passes\n"));
}

static void print_code_list(FILE *out, const char *const *list, size_t n, size_t max)
{
    for (size_t i = 0; i < n; i++) {
        if (i == max) {
            fprintf(out, _(" … (%zu more)"), n - max);
            break;
        }
        fprintf(out, "%s%s", i ? ", " : "", list[i] ? list[i] : "?");
    }
}

static void print_guarantee(FILE *out, const status_county *s)
{
    fprintf(out, "%s", _("\ngovernment-guarantee items shown by school data:\n"));
    for (size_t i = 0; i < s->n_guarantee; i++) {
        const status_guarantee *g = &s->guarantee[i];
        fprintf(out, "  %-22s %-12s %s  %lld/%lld %s", g->key, guarantee_zh(g->key), verdict(g->pass), g->complying,
                g->applicable, *g->unit ? g->unit : _("schools"));
        if (g->n_failing > 0) {
            fprintf(out, "%s", _("; failing: "));
            print_code_list(out, g->failing, g->n_failing, 8);
        }
        fputc('\n', out);
    }
}

/* One item line of the whole verdict: number, Chinese name, id, outcome,
 * value vs threshold, formula, reason. */
static void print_item(FILE *out, const status_item *it)
{
    char value[128];
    status_item_value_text(it, value, sizeof value);
    fprintf(out, "  %-5s %s %s — %s", it->number, it->name_zh, it->id, *it->outcome_zh ? it->outcome_zh : it->outcome);
    if (*value)
        fprintf(out, "  %s", value);
    if (*it->formula)
        fprintf(out, "  [%s%s%s]", it->formula, *it->formula_text ? ": " : "", it->formula_text);
    fputc('\n', out);
    if (*it->reason || *it->reason_en)
        fprintf(out, "        %s%s%s\n", it->reason, *it->reason && *it->reason_en ? " / " : "", it->reason_en);
    if (it->n_failing > 0) {
        fprintf(out, "        %s", _("failing schools: "));
        print_code_list(out, it->failing, it->n_failing, 8);
        fputc('\n', out);
    }
}

/* The whole verdict: the verdict line, then the items by part (资源配置,
 * 政府保障程度, 教育质量, 社会认可度) and the vetoes (否决项). */
static void print_verdict(FILE *out, const status_county *s)
{
    char text[160];
    status_verdict_text(s, text, sizeof text);
    fprintf(out, _("\nwhole verdict: %s\n"), text);
    if (*s->verdict_reason || *s->verdict_reason_en)
        fprintf(out, "  %s%s%s\n", s->verdict_reason, *s->verdict_reason && *s->verdict_reason_en ? " / " : "",
                s->verdict_reason_en);
    if (!s->has_verdict)
        return;
    const status_items_summary *m = &s->summary;
    fprintf(out, _("  items 1.1–4.1: %lld pass, %lld fail, %lld not applicable, %lld pending; vetoes: %lld present, "
                   "%lld pending; county inputs revision %lld\n"),
            m->passing, m->failing, m->not_applicable, m->pending, m->vetoes_present, m->vetoes_pending,
            s->county_inputs_revision);
    static const char *const parts[][3] = { { "resource_allocation", "资源配置", "1.1–1.7" },
                                            { "guarantee", "政府保障程度", "2.1–2.15" },
                                            { "quality", "教育质量", "3.1–3.9" },
                                            { "recognition", "社会认可度", "4.1" },
                                            { "veto", "否决项", "5.1–5.6+" } };
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        fprintf(out, "\n%s %s (%s):\n", parts[p][1], parts[p][0], parts[p][2]);
        for (size_t i = 0; i < s->n_items; i++)
            if (strcmp(s->items[i].part, parts[p][0]) == 0)
                print_item(out, &s->items[i]);
    }
}

/* The page of one county status read by status_read.h. */
static void print_county(FILE *out, const status_county *s)
{
    char text[160];
    status_verdict_text(s, text, sizeof text);
    fprintf(out, _("%s %s (city %s) — period %s — rules %s\n"), s->code, s->name, s->city_code, s->period,
            s->rules_version);
    fprintf(out, _("verdict: %s\n"), text);
    char when[40], zone[96];
    local_time_from_utc_text(s->computed_at, when, sizeof when);
    local_time_zone_label(time(NULL), zone, sizeof zone);
    fprintf(out, _("computed %s (%s), seq %lld, epoch %s\n"), when, zone, s->seq, s->epoch);
    fprintf(out, _("coverage: %lld of %lld registered schools submitted"), s->schools_submitted, s->schools_registered);
    if (s->n_missing > 0) {
        fprintf(out, "%s", _("; missing: "));
        print_code_list(out, s->missing, s->n_missing, 10);
    }
    fputc('\n', out);
    for (int st = 0; st < STAGE_COUNT; st++)
        print_stage(out, STAGE_KEYS[st], &s->stage[st]);
    fprintf(out, _("\n%s %s (school data, 1.1–1.7): %s\n"), "资源配置", "resource_allocation", verdict(s->pass));
    size_t excluded = 0;
    for (size_t i = 0; i < s->n_sections; i++)
        excluded += s->sections[i].excluded_present;
    if (excluded) {
        fprintf(out, "%s", _("excluded from the seven indicators:\n"));
        for (size_t i = 0; i < s->n_sections; i++) {
            const status_section *sec = &s->sections[i];
            if (sec->excluded_present)
                fprintf(out, "  %s %s (%s): %s\n", sec->school_code, sec->name, stage_zh(sec->stage),
                        sec->excluded ? sec->excluded : "");
        }
    }
    print_rectification(out, s);
    print_guarantee(out, s);
    if (s->n_awaiting > 0) {
        fprintf(out, "%s", _("\nawaiting county input (not decided by school data): "));
        print_code_list(out, s->awaiting, s->n_awaiting, 100);
        fputc('\n', out);
    }
    print_verdict(out, s);
}

void status_page_county(FILE *out, json_t *status)
{
    status_county s;
    if (status_county_read(&s, status) != 0) {
        fprintf(out, "%s", _("out of memory\n"));
        return;
    }
    status_page_view_line(out, status, NULL);
    print_county(out, &s);
    status_page_review(out, status);
    status_plan_print(out, status);
    status_county_free(&s);
}

/* The worst coefficient of a stage relative to its limit (status_read.h):
 * "sports_area 0.612>0.50". */
static void worst_cv(const status_stage *st, char *buf, size_t size)
{
    const status_indicator *w = st->worst;
    if (!w)
        snprintf(buf, size, "-");
    else if (!isnan(w->cv))
        snprintf(buf, size, "%s %.3f%s%.2f", w->id, w->cv, w->cv_ok ? "<=" : "> ", w->cv_limit);
    else
        snprintf(buf, size, "%s null", w->id);
}

void status_page_city(FILE *out, json_t *answer)
{
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        fprintf(out, "%s", _("out of memory\n"));
        return;
    }
    json_t *first = json_array_get(json_object_get(answer, "counties"), 0);
    status_page_view_line(out, json_object_get(answer, "view") || !first ? answer : first, NULL);
    static const char *const heads[] = { N_("county"), N_("coverage"), N_("period"), N_("primary"), N_("worst CV"),
                                         N_("junior"), N_("worst CV"), N_("plan") };
    static const int widths[] = { 7, 8, 9, 11, 30, 11, 30, 18 };
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        padded(out, _(heads[h]), widths[h], false);
        fputc(' ', out);
    }
    fprintf(out, "%s\n", _("verdict (failing, pending)  name"));
    for (size_t i = 0; i < set.n_counties; i++) {
        const status_county *s = &set.counties[i];
        char cover[32], p[32], j[32], wp[96], wj[96], v[160], plan[64];
        const status_stage *ps = &s->stage[STAGE_PRIMARY], *js = &s->stage[STAGE_JUNIOR];
        snprintf(cover, sizeof cover, "%lld/%lld", s->schools_submitted, s->schools_registered);
        snprintf(p, sizeof p, "%lld/%lld", ps->sections_passing, ps->sections_assessed);
        snprintf(j, sizeof j, "%lld/%lld", js->sections_passing, js->sections_assessed);
        worst_cv(ps, wp, sizeof wp);
        worst_cv(js, wj, sizeof wj);
        status_verdict_text(s, v, sizeof v);
        status_plan_cell(s->doc, plan, sizeof plan);
        fprintf(out, "%-7s %-8s %-9s %-11s %-30s %-11s %-30s %-18s %s  %s\n", s->code, cover, s->period, p, wp, j, wj,
                plan, v, s->name);
    }
    if (set.n_counties == 0)
        fprintf(out, _("no counties under %s\n"), set.prefix);
    status_set_free(&set);
}

void status_page_history(FILE *out, const char *county_code, json_t *history)
{
    char zone[96];
    local_time_zone_label(time(NULL), zone, sizeof zone);
    fprintf(out, _("history of %s (oldest first, times in %s); cv[...] lists the seven difference coefficients in "
                   "this order:\n"), county_code, zone);
    for (int k = 0; k < IND_COUNT; k++)
        fprintf(out, "  %d %-18s %s\n", k + 1, INDICATORS[k].key, INDICATORS[k].name_zh);
    size_t i;
    json_t *h;
    json_array_foreach(history, i, h)
    {
        const char *v = str(h, "verdict");
        const char *v_zh = !strcmp(v, "pass") ? "达标" : !strcmp(v, "fail") ? "未达标" : "待定";
        char when[40];
        local_time_from_utc_text(str(h, "computed_at"), when, sizeof when);
        fprintf(out, _("%s period %lld seq %lld  %s  resource allocation %s  schools %lld/%lld"), when,
                num(h, "period"), num(h, "seq"), v_zh,
                verdict(json_is_true(json_object_get(h, "resource_allocation_pass"))),
                num(h, "schools_submitted"), num(h, "schools_registered"));
        json_t *stages = json_object_get(h, "stages");
        for (int s = 0; s < STAGE_COUNT; s++) {
            json_t *st = json_object_get(stages, STAGE_KEYS[s]);
            if (!st)
                continue;
            fprintf(out, "  %s %s %lld/%lld cv[", STAGE_KEYS[s], verdict(json_is_true(json_object_get(st, "pass"))),
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
        fprintf(out, "%s", _("no statuses stored yet\n"));
}
