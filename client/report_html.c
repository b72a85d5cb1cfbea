/* report_html.c -- the self-contained HTML report. See report.h.
 *
 * The file is polyglot markup: HTML5 that is also well-formed XML (XHTML
 * namespace, every element closed, only the five XML entities), so browsers
 * render it and `xmllint` checks it. Charts are inline SVG, one per county
 * and applicable stage (<svg class="chart">). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "indicators.h"
#include "report.h"

const char *report_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

long long report_int(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return atoll(json_string_value(v));
    return json_is_number(v) ? (long long)json_number_value(v) : 0;
}

double report_num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

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

/* A verdict badge. */
static void badge(FILE *out, bool pass)
{
    fprintf(out, "<span class=\"%s\">%s</span>", pass ? "pass" : "fail", pass ? "PASS 达标" : "FAIL 未达标");
}

static const char *STYLE =
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;"
    "margin:24px auto;max-width:1100px;color:#222;line-height:1.4;padding:0 16px}"
    "h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:4px;"
    "margin-top:36px}h3{font-size:15px;margin:18px 0 6px}"
    "table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".pass{color:#fff;background:#2e7d32;padding:1px 6px;border-radius:3px;white-space:nowrap}"
    ".fail{color:#fff;background:#c62828;padding:1px 6px;border-radius:3px;white-space:nowrap}"
    ".over{color:#c62828;font-weight:bold}.muted{color:#777}.meta{color:#555;font-size:13px}"
    "svg.chart{display:block;margin:4px 0 8px;max-width:100%;height:auto}"
    "@media print{h2{page-break-before:always}}";

/* The bar chart of one stage's seven coefficients against their limit. */
static void chart(FILE *out, const char *county, const char *stage_key, json_t *indicators)
{
    const int label_w = 330, bar_w = 360, row_h = 34, top = 30;
    const int width = label_w + bar_w + 70, height = top + IND_COUNT * row_h + 10;
    double limit = NAN, smax = 0;
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind)
    {
        double cv = report_num(ind, "cv");
        if (isnan(limit))
            limit = report_num(ind, "cv_limit");
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
    fprintf(out, "<title>%s %s %s 校际差异系数 difference coefficients against the limit %.2f</title>\n", county,
            report_stage_zh(stage_key), stage_key, limit);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>\n", width, height);
    fprintf(out,
            "<text x=\"4\" y=\"16\" font-size=\"12\" fill=\"#555\">%s %s · 校际差异系数 difference coefficient "
            "(scale 0 – %.1f)</text>\n",
            report_stage_zh(stage_key), stage_key, smax);
    double lx = label_w + limit / smax * bar_w;
    json_array_foreach(indicators, i, ind)
    {
        int y = top + (int)i * row_h;
        const indicator_def *def = indicator_by_key(report_str(ind, "id"));
        double cv = report_num(ind, "cv");
        bool ok = json_is_true(json_object_get(ind, "cv_ok"));
        fprintf(out, "<text x=\"4\" y=\"%d\" font-size=\"12\">", y + 13);
        esc(out, def ? def->name_zh : report_str(ind, "name_zh"));
        fprintf(out, "</text>\n<text x=\"4\" y=\"%d\" font-size=\"11\" fill=\"#666\">", y + 27);
        esc(out, report_str(ind, "id"));
        fputs("</text>\n", out);
        if (isnan(cv)) {
            fprintf(out,
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#c62828\">undefined (mean 0) 无法计算</text>\n",
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
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#b71c1c\">limit 限值 %.2f</text>\n", lx + 3,
            top - 6 + 2, limit);
    fputs("</svg>\n", out);
}

/* One stage: chart, then the indicator table with means, standards and the
 * share of sections meeting each standard. */
static void stage_section(FILE *out, const char *county, const char *key, json_t *st)
{
    fprintf(out, "<h3>%s %s — ", report_stage_zh(key), key);
    if (!json_is_true(json_object_get(st, "applicable"))) {
        fputs("not applicable 不适用 (no sections assessed)</h3>\n", out);
        return;
    }
    long long assessed = report_int(st, "sections_assessed");
    fprintf(out, "%lld/%lld sections passing 校达标, %lld students ", report_int(st, "sections_passing"), assessed,
            report_int(st, "students"));
    badge(out, json_is_true(json_object_get(st, "pass")));
    fputs("</h3>\n", out);
    json_t *inds = json_object_get(st, "indicators");
    chart(out, county, key, inds);
    fputs("<table>\n<tr><th>indicator 指标</th><th>standard 标准</th><th>mean 均值</th><th>CV 差异系数</th>"
          "<th>limit 限值</th><th>sections meeting 达标校数</th><th>share 占比</th></tr>\n",
          out);
    size_t i;
    json_t *ind;
    json_array_foreach(inds, i, ind)
    {
        const indicator_def *def = indicator_by_key(report_str(ind, "id"));
        double cv = report_num(ind, "cv"), mean = report_num(ind, "mean");
        bool ok = json_is_true(json_object_get(ind, "cv_ok"));
        long long meeting = report_int(ind, "sections_meeting");
        fputs("<tr><td>", out);
        esc(out, def ? def->name_zh : report_str(ind, "name_zh"));
        fputs(" <span class=\"muted\">", out);
        esc(out, report_str(ind, "id"));
        fprintf(out, "</span></td><td class=\"n\">%.2f</td>", report_num(ind, "standard"));
        if (isnan(mean))
            fputs("<td class=\"n\">–</td>", out);
        else
            fprintf(out, "<td class=\"n\">%.2f</td>", mean);
        if (isnan(cv))
            fputs("<td class=\"n over\">undefined</td>", out);
        else
            fprintf(out, "<td class=\"n%s\">%.3f</td>", ok ? "" : " over", cv);
        fprintf(out, "<td class=\"n\">%.2f</td><td class=\"n\">%lld/%lld</td><td class=\"n\">%.1f %%</td></tr>\n",
                report_num(ind, "cv_limit"), meeting, assessed, assessed ? 100.0 * (double)meeting / (double)assessed : 0);
    }
    fputs("</table>\n", out);
}

/* The failing sections (整改清单) with each shortfall and what it needs. */
static void failing_schools(FILE *out, json_t *sections)
{
    size_t i, n = 0;
    json_t *sec;
    json_array_foreach(sections, i, sec)
    {
        if (!json_is_null(json_object_get(sec, "excluded")) || json_is_true(json_object_get(sec, "pass")))
            continue;
        if (n++ == 0)
            fputs("<h3>整改清单 failing schools and their shortfalls</h3>\n<table>\n<tr><th>school 学校</th>"
                  "<th>stage 学段</th><th>students 在校生</th><th>met 达标指标</th>"
                  "<th>shortfalls 未达标指标: value / standard, and what is needed</th></tr>\n",
                  out);
        fputs("<tr><td>", out);
        esc(out, report_str(sec, "school_code"));
        fputs(" ", out);
        esc(out, report_str(sec, "name"));
        fprintf(out, "</td><td>%s %s</td><td class=\"n\">%lld</td><td class=\"n\">%lld/7</td><td>",
                report_stage_zh(report_str(sec, "stage")), report_str(sec, "stage"), report_int(sec, "students"),
                report_int(sec, "met"));
        size_t j;
        json_t *sf;
        json_array_foreach(json_object_get(sec, "shortfalls"), j, sf)
        {
            const indicator_def *def = indicator_by_key(report_str(sf, "indicator"));
            fputs(j ? "<br/>" : "", out);
            esc(out, def ? def->name_zh : "");
            fputs(" <span class=\"muted\">", out);
            esc(out, report_str(sf, "indicator"));
            fprintf(out, "</span> %.2f / %.2f (%.1f %%) — needs %.0f %s more", report_num(sf, "value"),
                    report_num(sf, "standard"), 100.0 * report_num(sf, "ratio"), ceil(report_num(sf, "needed") - 1e-9),
                    def ? def->resource_unit : "");
        }
        fputs("</td></tr>\n", out);
    }
    if (n)
        fputs("</table>\n", out);
    else
        fputs("<p>整改清单: every assessed section passes 所有参评学校达标.</p>\n", out);
}

/* The guarantee items school data shows (政府保障程度). */
static void guarantee(FILE *out, json_t *items)
{
    if (json_object_size(items) == 0)
        return;
    fputs("<h3>政府保障程度 government-guarantee items shown by school data</h3>\n<table>\n<tr><th>item 项目</th>"
          "<th>verdict 结论</th><th>complying 达标</th></tr>\n",
          out);
    const char *key;
    json_t *g;
    json_object_foreach(items, key, g)
    {
        fputs("<tr><td>", out);
        esc(out, guarantee_zh(key));
        fputs(" <span class=\"muted\">", out);
        esc(out, key);
        fputs("</span></td><td>", out);
        badge(out, json_is_true(json_object_get(g, "pass")));
        fprintf(out, "</td><td class=\"n\">%lld/%lld</td></tr>\n", report_int(g, "complying"),
                report_int(g, "applicable"));
    }
    fputs("</table>\n", out);
}

/* The summary table: one row per county. */
static void summary(FILE *out, json_t *counties)
{
    fputs("<h2>汇总 summary</h2>\n<table>\n<tr><th>county 县区</th><th>coverage 填报</th>"
          "<th>小学 primary</th><th>初中 junior</th><th>资源配置 verdict</th></tr>\n",
          out);
    size_t i;
    json_t *s;
    json_array_foreach(counties, i, s)
    {
        json_t *c = json_object_get(s, "county"), *cov = json_object_get(s, "coverage");
        fprintf(out, "<tr><td><a href=\"#c%s\">%s</a> ", report_str(c, "code"), report_str(c, "code"));
        esc(out, report_str(c, "name"));
        fprintf(out, "</td><td class=\"n\">%lld/%lld</td>", report_int(cov, "schools_submitted"),
                report_int(cov, "schools_registered"));
        for (int st = 0; st < STAGE_COUNT; st++) {
            json_t *stage = json_object_get(json_object_get(s, "stages"), STAGE_KEYS[st]);
            if (!json_is_true(json_object_get(stage, "applicable"))) {
                fputs("<td class=\"muted\">not applicable</td>", out);
                continue;
            }
            int cv_ok = 0;
            size_t k;
            json_t *ind;
            json_array_foreach(json_object_get(stage, "indicators"), k, ind) cv_ok +=
                json_is_true(json_object_get(ind, "cv_ok"));
            fprintf(out, "<td>%lld/%lld sections, %d/7 CVs ", report_int(stage, "sections_passing"),
                    report_int(stage, "sections_assessed"), cv_ok);
            badge(out, json_is_true(json_object_get(stage, "pass")));
            fputs("</td>", out);
        }
        fputs("<td>", out);
        badge(out, json_is_true(json_object_get(s, "resource_allocation_pass")));
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

int report_html(FILE *out, json_t *answer, const report_meta *meta)
{
    json_t *counties = json_object_get(answer, "counties");
    json_t *first = json_array_get(counties, 0);
    const char *period = report_str(first, "period");
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n",
          out);
    fprintf(out, "<title>县域义务教育优质均衡发展 资源配置 report — %s — %s</title>\n<style>%s</style>\n</head>\n<body>\n",
            meta->city, *period ? period : "no data", STYLE);
    fputs("<h1>县域义务教育优质均衡发展 资源配置报告<br/>County high-quality balanced compulsory education: resource "
          "allocation</h1>\n",
          out);
    fprintf(out, "<p class=\"meta\">city 市 %s · 学年 period %s · %zu counties · generated 生成于 ", meta->city,
            *period ? period : "–", json_array_size(counties));
    esc(out, meta->generated_at);
    fputs(" from ", out);
    esc(out, meta->source);
    fprintf(out, " · rules %s · epoch %s</p>\n", report_str(first, "rules_version"),
            report_str(answer, "epoch")[0] ? report_str(answer, "epoch") : report_str(first, "epoch"));
    fputs("<p class=\"meta\">Per stage a county passes when every assessed section meets at least 6 of the 7 "
          "standards (the rest at least 85 %) and all seven difference coefficients are within the limit "
          "(小学 ≤ 0.50, 初中 ≤ 0.45); see docs/rules.md.</p>\n",
          out);
    if (json_array_size(counties) == 0)
        fputs("<p>No county under this code has data yet 暂无数据.</p>\n", out);
    else
        summary(out, counties);
    size_t i;
    json_t *s;
    json_array_foreach(counties, i, s)
    {
        json_t *c = json_object_get(s, "county"), *cov = json_object_get(s, "coverage");
        const char *code = report_str(c, "code");
        fprintf(out, "<div class=\"county\" id=\"c%s\">\n<h2>%s ", code, code);
        esc(out, report_str(c, "name"));
        fputs(" ", out);
        badge(out, json_is_true(json_object_get(s, "resource_allocation_pass")));
        fprintf(out, "</h2>\n<p>coverage 填报: %lld of %lld registered schools submitted",
                report_int(cov, "schools_submitted"), report_int(cov, "schools_registered"));
        json_t *missing = json_object_get(cov, "missing");
        size_t k;
        json_t *m;
        json_array_foreach(missing, k, m)
        {
            fputs(k ? ", " : "; missing 未填报: ", out);
            esc(out, json_string_value(m) ? json_string_value(m) : "");
        }
        fprintf(out, " · computed %s · seq %lld</p>\n", report_str(s, "computed_at"), report_int(s, "seq"));
        for (int st = 0; st < STAGE_COUNT; st++)
            stage_section(out, code, STAGE_KEYS[st], json_object_get(json_object_get(s, "stages"), STAGE_KEYS[st]));
        failing_schools(out, json_object_get(s, "sections"));
        guarantee(out, json_object_get(s, "guarantee"));
        fputs("</div>\n", out);
    }
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
