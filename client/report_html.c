/* report_html.c -- the self-contained HTML report. See report.h.
 *
 * The file is polyglot markup: HTML5 that is also well-formed XML (XHTML
 * namespace, every element closed, only the five XML entities), so browsers
 * render it and `xmllint` checks it. Charts are inline SVG, one per county
 * and applicable stage (<svg class="chart">). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "i18n.h"
#include "indicators.h"
#include "local_time.h"
#include "report.h"
#include "status_plan.h"
#include "status_read.h"

const char *report_stage_zh(const char *key)
{
    for (int s = 0; s < STAGE_COUNT; s++)
        if (strcmp(STAGE_KEYS[s], key) == 0)
            return STAGE_NAMES_ZH[s];
    return key;
}

/* Writes text with &, <, >, " escaped. */
static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static const char *guarantee_zh(const char *key)
{
    for (int g = 0; g < GUAR_COUNT; g++)
        if (strcmp(GUARANTEES[g].key, key) == 0)
            return GUARANTEES[g].name_zh;
    return "";
}

/* A badge for a stage's or item's own result (not the county's verdict). */
static void badge(FILE *out, bool pass)
{
    fprintf(out, "<span class=\"%s\">%s</span>", pass ? "pass" : "fail", pass ? _("pass") : _("fail"));
}

/* The county's whole verdict: 达标 / 未达标 / 待定 with the failing and
 * pending items (status_verdict_text). */
static void verdict_badge(FILE *out, const status_county *s)
{
    char text[160];
    status_verdict_text(s, text, sizeof text);
    const char *cls = !strcmp(s->verdict, "pass") ? "pass" : !strcmp(s->verdict, "fail") ? "fail" : "pending";
    fprintf(out, "<span class=\"%s\">", cls);
    esc(out, text);
    fputs("</span>", out);
}

static const char *STYLE =
    /* Noto CJK first (Debian's fonts-noto-cjk, deploy/install-deps.sh), then the
     * Chinese fonts of other systems, so the Chinese never shows as boxes */
    "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',"
    "'Hiragino Sans GB','WenQuanYi Micro Hei','SimSun',sans-serif;"
    "margin:24px auto;max-width:1100px;color:#222;line-height:1.4;padding:0 16px}"
    "h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;"
    "margin-top:36px}h3{font-size:15px;margin:18px 0 6px}"
    "table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".pass{color:#fff;background:#2e7d32;padding:1px 6px;border-radius:3px;white-space:nowrap}"
    ".fail{color:#fff;background:#c62828;padding:1px 6px;border-radius:3px;white-space:nowrap}"
    ".pending{color:#222;background:#fbc02d;padding:1px 6px;border-radius:3px;white-space:nowrap}"
    ".over{color:#c62828;font-weight:bold}.muted{color:#777}.meta{color:#555;font-size:13px}"
    "svg.chart{display:block;margin:4px 0 8px;max-width:100%;height:auto}"
    ".footer{margin-top:40px;border-top:1px solid #ddd;padding-top:8px;color:#777;font-size:12px}"
    "@media print{h2{page-break-before:always}}";

/* The bar chart of one stage's seven coefficients against their limit. */
static void chart(FILE *out, const char *county, const char *stage_key, const status_stage *st)
{
    const int label_w = 330, bar_w = 360, row_h = 34, top = 30;
    const int width = label_w + bar_w + 70, height = top + IND_COUNT * row_h + 10;
    double limit = NAN, smax = 0;
    for (size_t i = 0; i < st->n_indicators; i++) {
        double cv = st->indicators[i].cv;
        if (isnan(limit))
            limit = st->indicators[i].cv_limit;
        if (!isnan(cv) && cv > smax)
            smax = cv;
    }
    if (isnan(limit))
        limit = 0.5;
    smax = fmax(smax * 1.1, limit * 1.5);
    smax = ceil(smax * 10) / 10;
    fprintf(out,
            "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s %s difference coefficients\">\n",
            width, height, width, height, county, stage_key);
    fprintf(out, _("<title>%s %s %s difference coefficients against the limit %.2f</title>\n"), county,
            report_stage_zh(stage_key), stage_key, limit);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>\n", width, height);
    fprintf(out,
            _("<text x=\"4\" y=\"16\" font-size=\"12\" fill=\"#555\">%s %s · difference coefficient "
              "(scale 0 – %.1f)</text>\n"),
            report_stage_zh(stage_key), stage_key, smax);
    double lx = label_w + limit / smax * bar_w;
    for (size_t i = 0; i < st->n_indicators; i++) {
        const status_indicator *ind = &st->indicators[i];
        int y = top + (int)i * row_h;
        const indicator_def *def = indicator_by_key(ind->id);
        double cv = ind->cv;
        bool ok = ind->cv_ok;
        fprintf(out, "<text x=\"4\" y=\"%d\" font-size=\"12\">", y + 13);
        esc(out, def ? def->name_zh : ind->name_zh);
        fprintf(out, "</text>\n<text x=\"4\" y=\"%d\" font-size=\"11\" fill=\"#666\">", y + 27);
        esc(out, ind->id);
        fputs("</text>\n", out);
        if (isnan(cv)) {
            fprintf(out,
                    _("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#c62828\">undefined (mean 0)</text>\n"),
                    label_w + 4, y + 20);
            continue;
        }
        double w = fmax(cv / smax * bar_w, 1);
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>\n", label_w, y + 6, w,
                ok ? "#43a047" : "#e53935");
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\"%s>%.3f</text>\n", label_w + w + 4, y + 20,
                ok ? "" : " fill=\"#c62828\" font-weight=\"bold\"", cv);
    }
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b71c1c\" stroke-width=\"1.5\" "
            "stroke-dasharray=\"5 3\"/>\n",
            lx, top - 4, lx, height - 6);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#b71c1c\">%s %.2f</text>\n", lx + 3,
            top - 6 + 2, _("limit"), limit);
    fputs("</svg>\n", out);
}

/* One stage: chart, then the indicator table with means, standards and the
 * share of sections meeting each standard. */
static void stage_section(FILE *out, const char *county, const char *key, const status_stage *st)
{
    fprintf(out, "<h3>%s %s — ", report_stage_zh(key), key);
    if (!st->applicable) {
        fprintf(out, "%s</h3>\n", _("not applicable (no sections assessed)"));
        return;
    }
    long long assessed = st->sections_assessed;
    fprintf(out, _("%lld/%lld sections passing, %lld students "), st->sections_passing, assessed, st->students);
    badge(out, st->pass);
    fputs("</h3>\n", out);
    chart(out, county, key, st);
    fprintf(out, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            _("indicator"), _("standard"), _("mean"), _("CV"), _("limit"), _("sections meeting"), _("share"));
    for (size_t i = 0; i < st->n_indicators; i++) {
        const status_indicator *ind = &st->indicators[i];
        const indicator_def *def = indicator_by_key(ind->id);
        double cv = ind->cv, mean = ind->mean;
        bool ok = ind->cv_ok;
        long long meeting = ind->sections_meeting;
        fputs("<tr><td>", out);
        esc(out, def ? def->name_zh : ind->name_zh);
        fputs(" <span class=\"muted\">", out);
        esc(out, ind->id);
        fprintf(out, "</span></td><td class=\"n\">%.2f</td>", ind->standard);
        if (isnan(mean))
            fputs("<td class=\"n\">–</td>", out);
        else
            fprintf(out, "<td class=\"n\">%.2f</td>", mean);
        if (isnan(cv))
            fprintf(out, "<td class=\"n over\">%s</td>", _("undefined"));
        else
            fprintf(out, "<td class=\"n%s\">%.3f</td>", ok ? "" : " over", cv);
        fprintf(out, "<td class=\"n\">%.2f</td><td class=\"n\">%lld/%lld</td><td class=\"n\">%.1f %%</td></tr>\n",
                ind->cv_limit, meeting, assessed, assessed ? 100.0 * (double)meeting / (double)assessed : 0);
    }
    fputs("</table>\n", out);
}

/* The failing sections (整改清单) with each shortfall and what it needs. */
static void failing_schools(FILE *out, const status_county *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_sections; i++) {
        const status_section *sec = &s->sections[i];
        if (sec->excluded_present || sec->pass)
            continue;
        if (n++ == 0)
            fprintf(out, "<h3>%s</h3>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                    _("rectification list: failing schools and their shortfalls"), _("school"), _("stage"),
                    _("students"), _("met"), _("shortfalls: value / standard (share), and what is needed"));
        fputs("<tr><td>", out);
        esc(out, sec->school_code);
        fputs(" ", out);
        esc(out, sec->name);
        fprintf(out, "</td><td>%s %s</td><td class=\"n\">%lld</td><td class=\"n\">%lld/7</td><td>",
                report_stage_zh(sec->stage), sec->stage, sec->students, sec->met);
        for (size_t j = 0; j < sec->n_shortfalls; j++) {
            char sentence[512];
            report_shortfall_text(&sec->shortfalls[j], sentence, sizeof sentence);
            fputs(j ? "<br/>" : "", out);
            esc(out, sentence);
        }
        fputs("</td></tr>\n", out);
    }
    if (n)
        fputs("</table>\n", out);
    else
        fprintf(out, "<p>%s</p>\n", _("rectification list: every assessed section passes."));
}

/* The guarantee items school data shows (政府保障程度). */
static void guarantee(FILE *out, const status_county *s)
{
    if (s->n_guarantee == 0)
        return;
    fprintf(out, "<h3>%s</h3>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            _("government-guarantee items shown by school data"), _("item"), _("verdict"), _("complying"));
    for (size_t i = 0; i < s->n_guarantee; i++) {
        const status_guarantee *g = &s->guarantee[i];
        fputs("<tr><td>", out);
        esc(out, guarantee_zh(g->key));
        fputs(" <span class=\"muted\">", out);
        esc(out, g->key);
        fputs("</span></td><td>", out);
        badge(out, g->pass);
        fprintf(out, "</td><td class=\"n\">%lld/%lld</td></tr>\n", g->complying, g->applicable);
    }
    fputs("</table>\n", out);
}

/* One row of the items table. */
static void item_row(FILE *out, const status_item *it)
{
    char value[128];
    status_item_value_text(it, value, sizeof value);
    const char *cls = !strcmp(it->outcome, "pass") ? "pass" : !strcmp(it->outcome, "fail") ? "fail" : "pending";
    fputs("<tr><td>", out);
    esc(out, it->number);
    fputs("</td><td>", out);
    esc(out, it->name_zh);
    fputs(" <span class=\"muted\">", out);
    esc(out, it->id);
    fprintf(out, "</span></td><td><span class=\"%s\">", cls);
    esc(out, *it->outcome_zh ? it->outcome_zh : it->outcome);
    fputs("</span></td><td class=\"n\">", out);
    esc(out, value);
    fputs("</td><td>", out);
    esc(out, it->formula_text[0] ? it->formula_text : it->formula);
    fputs("</td><td>", out);
    esc(out, it->reason);
    if (*it->reason && *it->reason_en)
        fputs(" / ", out);
    esc(out, it->reason_en);
    fputs("</td></tr>\n", out);
}

/* The whole verdict of a county: the items by part, then the vetoes. */
static void items_table(FILE *out, const status_county *s)
{
    fprintf(out, "<h3>%s ", _("whole verdict:"));
    verdict_badge(out, s);
    fputs("</h3>\n<p>", out);
    esc(out, s->verdict_reason);
    if (*s->verdict_reason && *s->verdict_reason_en)
        fputs(" / ", out);
    esc(out, s->verdict_reason_en);
    fputs("</p>\n", out);
    if (s->n_items == 0)
        return;
    fprintf(out, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("no."),
            _("item"), _("outcome"), _("value vs threshold"), _("formula"), _("reason"));
    const char *part = "";
    for (size_t i = 0; i < s->n_items; i++) {
        const status_item *it = &s->items[i];
        if (strcmp(part, it->part) != 0) {
            part = it->part;
            fputs("<tr><th colspan=\"6\">", out);
            esc(out, it->part_zh);
            fputs(" ", out);
            esc(out, it->part);
            fputs("</th></tr>\n", out);
        }
        item_row(out, it);
    }
    fputs("</table>\n", out);
}

/* The summary table: one row per county. */
static void summary(FILE *out, const status_set *set)
{
    fprintf(out, "<h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>小学 primary</th><th>初中 junior</th>"
                 "<th>资源配置 resource_allocation</th><th>%s</th></tr>\n",
            _("summary"), _("county"), _("coverage"), _("verdict"));
    for (size_t i = 0; i < set->n_counties; i++) {
        const status_county *s = &set->counties[i];
        fprintf(out, "<tr><td><a href=\"#c%s\">%s</a> ", s->code, s->code);
        esc(out, s->name);
        fprintf(out, "</td><td class=\"n\">%lld/%lld</td>", s->schools_submitted, s->schools_registered);
        for (int st = 0; st < STAGE_COUNT; st++) {
            const status_stage *stage = &s->stage[st];
            if (!stage->applicable) {
                fprintf(out, "<td class=\"muted\">%s</td>", _("not applicable"));
                continue;
            }
            int cv_ok = 0;
            for (size_t k = 0; k < stage->n_indicators; k++)
                cv_ok += stage->indicators[k].cv_ok;
            fprintf(out, _("<td>%lld/%lld sections, %d/7 CVs "), stage->sections_passing, stage->sections_assessed,
                    cv_ok);
            badge(out, stage->pass);
            fputs("</td>", out);
        }
        fputs("<td>", out);
        badge(out, s->pass);
        fputs("</td><td>", out);
        verdict_badge(out, s);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* The registered schools that have not submitted (未填报学校), by name. */
static void missing_schools(FILE *out, const status_county *s)
{
    if (s->n_missing == 0)
        return;
    fprintf(out, _("<p>missing schools (%zu): "), s->n_missing);
    for (size_t k = 0; k < s->n_missing; k++) {
        const char *code = s->missing[k] ? s->missing[k] : "";
        const char *name = status_missing_name(s, code);
        fputs(k ? "、" : "", out);
        esc(out, *name ? name : code);
        if (*name) {
            fputs(" <span class=\"muted\">", out);
            esc(out, code);
            fputs("</span>", out);
        }
    }
    fputs("</p>\n", out);
}

/* One county's part of the report. */
static void county_part(FILE *out, const status_county *s)
{
    fprintf(out, "<div class=\"county\" id=\"c%s\">\n<h2>%s ", s->code, s->code);
    esc(out, s->name);
    fputs(" ", out);
    verdict_badge(out, s);
    char when[40];
    local_time_from_utc_text(s->computed_at, when, sizeof when);
    fprintf(out, _("</h2>\n<p>coverage: %lld of %lld registered schools submitted · computed "),
            s->schools_submitted, s->schools_registered);
    esc(out, when);
    fputs("</p>\n", out);
    missing_schools(out, s);
    for (int st = 0; st < STAGE_COUNT; st++)
        stage_section(out, s->code, STAGE_KEYS[st], &s->stage[st]);
    failing_schools(out, s);
    guarantee(out, s);
    items_table(out, s);
    status_plan_html(out, s->doc);
    fputs("</div>\n", out);
}

/* The header: what an official needs -- the area, the school year, the
 * view and when the report was made (the zone named once, here). */
static void header(FILE *out, const status_set *set, const report_meta *meta, const char *period)
{
    fputs("<div class=\"header\">\n<h1>", out);
    esc(out, meta->title);
    fprintf(out, " %s</h1>\n<p class=\"meta\">%s <b>",
            _("county high-quality balanced compulsory education: resource allocation report"), _("school year"));
    esc(out, *period ? period : "–");
    fprintf(out, _("</b> · view <b>%s</b> (%s) · %zu counties · generated "), set->view_text,
            strcmp(set->view, "official") == 0 ? _("approved school revisions, the counties' sealed inputs and the "
                                                   "city's overrides (docs/review.md)") : _("the newest data received"),
            set->n_counties);
    esc(out, meta->generated_at);
    fputs(" (", out);
    esc(out, meta->zone);
    fputs(")</p>\n</div>\n", out);
}

/* The footer: where the numbers came from -- the daemon's endpoint, its
 * epoch, the rules version, each county's sequence number -- and when. */
static void footer(FILE *out, const status_set *set, const report_meta *meta)
{
    const status_county *first = set->n_counties ? &set->counties[0] : NULL;
    fprintf(out, "<div class=\"footer\">\n<p>%s ", _("provenance: snapshot"));
    esc(out, meta->source);
    fputs(" · epoch ", out);
    esc(out, set->epoch[0] ? set->epoch : first ? first->epoch : "");
    fprintf(out, " · %s ", _("rules"));
    esc(out, first ? first->rules_version : "");
    fprintf(out, " · %s ", _("generated"));
    esc(out, meta->generated_at);
    fputs("</p>\n", out);
    if (set->n_counties)
        fprintf(out, "<p>%s:", _("seq"));
    for (size_t i = 0; i < set->n_counties; i++) {
        fputs(i ? ", " : " ", out);
        esc(out, set->counties[i].code);
        fprintf(out, " %lld", set->counties[i].seq);
    }
    fputs(set->n_counties ? "</p>\n</div>\n" : "</div>\n", out);
}

int report_html(FILE *out, json_t *answer, const report_meta *meta)
{
    status_set set;
    if (status_set_read(&set, answer) != 0) {
        errno = ENOMEM;
        return -1;
    }
    const status_county *first = set.n_counties ? &set.counties[0] : NULL;
    const char *period = first ? first->period : "";
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
          "<title>", out);
    esc(out, meta->title);
    fprintf(out, " 县域义务教育优质均衡发展 资源配置 report — %s — %s</title>\n<style>%s</style>\n</head>\n<body>\n",
            *period ? period : "no data", set.view_text, STYLE);
    header(out, &set, meta, period);
    fputs(_("<p class=\"meta\">Per stage a county passes when every assessed section meets at least 6 of the 7 "
          "standards (the rest at least 85 %) and all seven difference coefficients are within the limit "
          "(小学 ≤ 0.50, 初中 ≤ 0.45). That is one part (资源配置 1.1–1.7) of the county's whole verdict "
          "(结论): 达标 only when every item 1.1–4.1 passes or does not apply and no veto (否决项) is present, "
          "未达标 when one fails or a veto is present, otherwise 待定 (pending county inputs); see "
          "docs/rules.md.</p>\n"),
          out);
    if (set.n_counties == 0)
        fprintf(out, "<p>%s</p>\n", _("No county under this code has data yet."));
    else
        summary(out, &set);
    status_plan_html_callouts(out, json_object_get(answer, "counties"));
    for (size_t i = 0; i < set.n_counties; i++)
        county_part(out, &set.counties[i]);
    footer(out, &set, meta);
    fputs("</body>\n</html>\n", out);
    status_set_free(&set);
    return ferror(out) ? -1 : 0;
}
