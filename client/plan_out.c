/* plan_out.c -- the plan of `junheng plan` out: the table per school with
 * Chinese and English headings, totals, the references (naive plan, lower
 * bounds) and the check; the same as JSON, CSV and XLSX. See plan_cli.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "csv_out.h"
#include "i18n.h"
#include "plan_cli.h"

/* The columns of the table, CSV and workbook: Chinese and English headings. */
enum { COL_CODE, COL_NAME, COL_P_Q, COL_P_B, COL_P_PE, COL_J_Q, COL_J_B, COL_J_PE, COL_TEACH, COL_SPORT, COL_EQUIP,
       COL_MM, COL_MUSIC, COL_ART, COL_COST, COL_COUNT };
static const char *const HEAD_ZH[COL_COUNT] = { "学校代码", "学校名称", "小学学历教师", "小学骨干教师",
                                                "小学体艺教师", "初中学历教师", "初中骨干教师", "初中体艺教师",
                                                "教学用房m²", "体育场馆m²", "仪器设备元", "多媒体教室",
                                                "音乐教室", "美术教室", "费用元" };
static const char *const HEAD_EN[COL_COUNT] = { "school_code", "name", "primary_qualified", "primary_backbone",
                                                "primary_pe_art", "junior_qualified", "junior_backbone",
                                                "junior_pe_art", "teaching_area_m2", "sports_area_m2",
                                                "equipment_yuan", "multimedia_rooms", "music_rooms", "art_rooms",
                                                "cost_yuan" };

/* The numeric cells of one school's row (COL_P_Q..COL_COST). */
static void row_numbers(const plan_additions *a, const plan_costs *costs, double out[COL_COUNT])
{
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int h = 0; h < HIRE_COUNT; h++)
            out[COL_P_Q + s * HIRE_COUNT + h] = (double)a->teachers[s][h];
    out[COL_TEACH] = a->teaching_area_m2;
    out[COL_SPORT] = a->sports_area_m2;
    out[COL_EQUIP] = a->equipment_yuan;
    out[COL_MM] = (double)a->multimedia_rooms;
    out[COL_MUSIC] = (double)a->music_rooms;
    out[COL_ART] = (double)a->art_rooms;
    out[COL_COST] = plan_additions_cost(a, costs);
}

/* The totals over every school. */
static void total_numbers(const plan_view *v, double out[COL_COUNT])
{
    memset(out, 0, COL_COUNT * sizeof *out);
    for (size_t i = 0; i < v->res->n; i++) {
        double row[COL_COUNT];
        row_numbers(&v->res->add[i], v->costs, row);
        for (int c = COL_P_Q; c < COL_COUNT; c++)
            out[c] += row[c];
    }
}

/* The outcome's id and Chinese name. */
static const char *outcome_key(plan_outcome o)
{
    return o == PLAN_PASSES ? "passes" : o == PLAN_OVER_BUDGET ? "over_budget" : "no_passing_plan";
}

static const char *outcome_zh(plan_outcome o)
{
    return o == PLAN_PASSES ? "方案可达标" : o == PLAN_OVER_BUDGET ? "预算内无法达标" : "未找到达标方案";
}

/* The columns a UTF-8 text takes on a terminal: 2 for a wide (CJK) character, else 1. */
static int display_width(const char *text)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;   /* a continuation byte */
        w += *p >= 0xE1 ? 2 : 1;   /* three- and four-byte characters from U+1000 up: CJK here */
    }
    return w;
}

/* Prints text in |width| columns (width < 0: left-aligned), after a space when sep. */
static void print_padded(FILE *out, const char *text, int width, bool sep)
{
    int pad = abs(width) - display_width(text);
    if (sep)
        fputc(' ', out);
    if (width > 0)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
    fputs(text, out);
    if (width < 0)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
}

/* One line of the text table: the numbers of cols COL_P_Q.. then the name. */
static void print_row(FILE *out, const char *code, const char *name, const double *n)
{
    print_padded(out, code, -10, false);
    for (int c = COL_P_Q; c < COL_COUNT; c++)
        fprintf(out, c == COL_COST ? " %14.0f" : c >= COL_TEACH && c <= COL_EQUIP ? " %10.0f" : " %4.0f", n[c]);
    fprintf(out, "  %s\n", name);
}

void plan_print_table(FILE *out, const plan_view *v)
{
    const plan_result *r = v->res;
    fprintf(out, _("Cheapest path (整改方案) for %s %s, school year %d\n"), v->data->county.code,
            v->data->county.name, (int)v->data->period);
    static const char *const zh[] = { "学校代码", "小学教师", "初中教师", "教学用房", "体育场馆", "仪器设备",
                                      "多媒", "音乐", "美术", "费用(元)" };
    static const int widths[] = { -10, 14, 14, 10, 10, 10, 4, 4, 4, 14 };
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++)
        print_padded(out, zh[k], widths[k], k > 0);
    fprintf(out, "  学校名称\n");
    fprintf(out, "%-10s %14s %14s %10s %10s %10s %4s %4s %4s %14s  %s\n", "school", "primary t.", "junior t.",
            "teach m²", "sports m²", "equip ¥", "mm", "mus", "art", "cost (yuan)", "name");
    size_t shown = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (plan_additions_empty(&r->add[i]))
            continue;
        double n[COL_COUNT];
        row_numbers(&r->add[i], v->costs, n);
        print_row(out, v->data->info[i].school_code, v->data->info[i].name, n);
        shown++;
    }
    double t[COL_COUNT];
    total_numbers(v, t);
    print_row(out, "合计 total", "", t);
    fprintf(out, _("%zu of %zu schools need additions; columns of teachers: qualified, backbone, PE/art per stage\n"),
            shown, r->n);
    fprintf(out, _("Outcome: %s (%s); sections passing with the plan: %lld of %lld\n"), outcome_zh(r->outcome),
            outcome_key(r->outcome), (long long)r->sections_passing, (long long)r->sections_assessed);
    fprintf(out, _("Plan cost 方案费用:        %16.0f yuan\n"), r->cost);
    if (r->outcome == PLAN_OVER_BUDGET)
        fprintf(out, _("Budget 预算:               %16.0f yuan (a passing plan costs %.0f)\n"), v->budget, r->full_cost);
    fprintf(out, _("Naive plan 朴素方案:       %16.0f yuan (every school raised to every standard)\n"), r->naive_cost);
    fprintf(out, _("Lower bound 下界:          %16.0f yuan (LP relaxation %.0f); gap %.2f %%\n"), r->lower_bound,
            r->lp_bound, r->full_cost > 0 ? 100.0 * (r->full_cost - r->lower_bound) / r->full_cost : 0.0);
    const plan_check *c = v->check;
    if (c->done)
        fprintf(out, _("Checked by the daemon's what-if: resource allocation %s, item 2.3 %s%s, verdict %s\n"),
                c->resource_pass ? "pass" : "FAIL", c->rooms_pass ? "pass" : "FAIL",
                c->rooms_local_only ? _(" (checked locally: the daemon takes no room lists)") : "",
                c->verdict[0] ? c->verdict : "?");
    else
        fprintf(out, _("Not checked by the daemon: %s\n"), c->note);
}

json_t *plan_to_json(const plan_view *v)
{
    const plan_result *r = v->res;
    json_t *schools = json_array();
    for (size_t i = 0; schools && i < r->n; i++) {
        if (plan_additions_empty(&r->add[i]))
            continue;
        double n[COL_COUNT];
        row_numbers(&r->add[i], v->costs, n);
        json_t *o = json_pack("{s:s, s:s}", "school_code", v->data->info[i].school_code, "name",
                              v->data->info[i].name);
        for (int c = COL_P_Q; o && c < COL_COUNT; c++)
            json_object_set_new(o, HEAD_EN[c], json_real(n[c]));
        json_array_append_new(schools, o);
    }
    const plan_check *c = v->check;
    json_t *check = json_pack("{s:b, s:b, s:b, s:b, s:s, s:s}", "done", c->done, "resource_allocation_pass",
                              c->resource_pass, "music_art_rooms_pass", c->rooms_pass, "rooms_checked_locally",
                              c->rooms_local_only, "verdict", c->verdict, "note", c->note);
    return json_pack("{s:s, s:s, s:i, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:i, s:I, s:I, s:b, s:b, s:o, s:o}",
                     "county_code", v->data->county.code, "county_name", v->data->county.name, "period",
                     (int)v->data->period, "outcome", outcome_key(r->outcome), "cost", r->cost, "full_cost",
                     r->full_cost, "naive_cost", r->naive_cost, "lower_bound", r->lower_bound, "lp_bound",
                     r->lp_bound, "budget", v->budget > 0 ? v->budget : 0.0, "rounds", r->rounds,
                     "sections_assessed", (json_int_t)r->sections_assessed, "sections_passing",
                     (json_int_t)r->sections_passing, "resource_allocation_pass", r->resource_pass,
                     "music_art_rooms_pass", r->rooms_pass, "schools", schools, "check", check);
}

/* A table row's cells as text for CSV (code, name, numbers). */
static void csv_row(FILE *f, const char *code, const char *name, const double *n)
{
    csv_out_field(f, code, false);
    csv_out_field(f, name, false);
    for (int c = COL_P_Q; c < COL_COUNT; c++) {
        char cell[32];
        snprintf(cell, sizeof cell, "%.0f", n[c]);
        csv_out_field(f, cell, c == COL_COUNT - 1);
    }
}

int plan_write_csv(const char *path, const plan_view *v, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    for (int c = 0; c < COL_COUNT; c++) {
        char head[96];
        snprintf(head, sizeof head, "%s %s", HEAD_ZH[c], HEAD_EN[c]);
        csv_out_field(f, head, c == COL_COUNT - 1);
    }
    for (size_t i = 0; i < v->res->n; i++) {
        double n[COL_COUNT];
        row_numbers(&v->res->add[i], v->costs, n);
        csv_row(f, v->data->info[i].school_code, v->data->info[i].name, n);
    }
    double t[COL_COUNT];
    total_numbers(v, t);
    csv_row(f, "合计 total", "", t);
    double refs[3] = { v->res->naive_cost, v->res->lower_bound, v->res->lp_bound };
    static const char *const ref_names[3] = { "朴素方案 naive_plan", "下界 lower_bound", "线性松弛 lp_bound" };
    for (int k = 0; k < 3; k++) {
        double n[COL_COUNT] = { 0 };
        n[COL_COST] = refs[k];
        csv_row(f, ref_names[k], "", n);
    }
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes one workbook row: code, name and the numbers. */
static lxw_error xlsx_row(lxw_worksheet *ws, lxw_row_t row, const char *code, const char *name, const double *n)
{
    lxw_error rc = worksheet_write_string(ws, row, COL_CODE, code, NULL);
    if (rc == LXW_NO_ERROR)
        rc = worksheet_write_string(ws, row, COL_NAME, name, NULL);
    for (int c = COL_P_Q; rc == LXW_NO_ERROR && c < COL_COUNT; c++)
        rc = worksheet_write_number(ws, row, (lxw_col_t)c, n[c], NULL);
    return rc;
}

int plan_write_xlsx(const char *path, const plan_view *v, char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "整改方案") : NULL;
    if (!ws) {
        snprintf(err, errlen, "%s", _("cannot create the workbook"));
        if (wb)
            workbook_close(wb);
        return -1;
    }
    lxw_error rc = LXW_NO_ERROR;
    for (int c = 0; rc == LXW_NO_ERROR && c < COL_COUNT; c++) {
        rc = worksheet_write_string(ws, 0, (lxw_col_t)c, HEAD_ZH[c], NULL);
        if (rc == LXW_NO_ERROR)
            rc = worksheet_write_string(ws, 1, (lxw_col_t)c, HEAD_EN[c], NULL);
    }
    lxw_row_t row = 2;
    for (size_t i = 0; rc == LXW_NO_ERROR && i < v->res->n; i++, row++) {
        double n[COL_COUNT];
        row_numbers(&v->res->add[i], v->costs, n);
        rc = xlsx_row(ws, row, v->data->info[i].school_code, v->data->info[i].name, n);
    }
    double t[COL_COUNT];
    total_numbers(v, t);
    if (rc == LXW_NO_ERROR)
        rc = xlsx_row(ws, row++, "合计 total", "", t);
    double refs[3] = { v->res->naive_cost, v->res->lower_bound, v->res->lp_bound };
    static const char *const ref_names[3] = { "朴素方案 naive_plan", "下界 lower_bound", "线性松弛 lp_bound" };
    for (int k = 0; rc == LXW_NO_ERROR && k < 3; k++) {
        double n[COL_COUNT] = { 0 };
        n[COL_COST] = refs[k];
        rc = xlsx_row(ws, row++, ref_names[k], "", n);
    }
    worksheet_freeze_panes(ws, 2, 2);
    lxw_error closed = workbook_close(wb);
    if (rc == LXW_NO_ERROR)
        rc = closed;
    if (rc != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s", lxw_strerror(rc));
        return -1;
    }
    return 0;
}
