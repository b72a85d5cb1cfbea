/* assess_status.c -- assembling a county_status from the schools and the
 * county aggregates: listing (sections, missing, failing schools), the top
 * contributors of each coefficient, and the stage, county and guarantee
 * verdicts (docs/rules.md §4–§7). See assess_school.h. */
#include "assess_school.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const awaiting_def AWAITING_COUNTY_INPUT[] = {
    /* 政府保障程度: the items that are county-level facts */
    { "layout_planning", "学校规划布局" },
    { "uniform_urban_rural_standards", "城乡学校统一建设标准" },
    { "teacher_pay", "教师平均工资收入水平" },
    { "teacher_staffing", "教职工编制标准" },
    { "senior_high_place_allocation", "优质高中招生名额分配" },
    { "migrant_children", "随迁子女就读" },
    { "left_behind_children", "留守儿童关爱" },
    { "special_education_funding", "特殊教育学校生均公用经费" },
    /* 教育质量 */
    { "junior_retention", "初中三年巩固率" },
    { "disabled_children_enrolment", "残疾儿童少年入学率" },
    { "quality_monitoring", "国家义务教育质量监测" },
    { "qualitative_reviews", "教育质量定性评价" },
    /* 社会认可度 */
    { "social_recognition", "社会认可度调查（≥85%）" },
    /* 一票否决 */
    { "veto_exam_admission", "以考试方式招生" },
    { "veto_school_choice", "违规择校" },
    { "veto_key_schools_or_classes", "设置重点学校或重点班" },
    { "veto_unfilled_staffing", "违规占用教职工编制" },
    { "veto_major_accidents", "重大安全责任事故" },
    { "veto_falsified_data", "弄虚作假" },
};
const size_t AWAITING_COUNTY_INPUT_COUNT = sizeof AWAITING_COUNTY_INPUT / sizeof AWAITING_COUNTY_INPUT[0];

/* Coefficients at or below this are "all sections equal up to rounding":
 * no contributors are listed for them (their shares would be noise). */
#define CV_ZERO 1e-12

void county_status_destroy(county_status **p)
{
    if (!p || !*p)
        return;
    county_status *self = *p;
    free(self->missing);
    free(self->missing_names);
    free(self->sections);
    for (int g = 0; g < GUAR_COUNT; g++)
        free(self->guarantee[g].failing);
    free(self);
    *p = NULL;
}

/* qsort order of assess_items: school code. */
static int item_cmp(const void *a, const void *b)
{
    const assess_item *x = a, *y = b;
    return strcmp(x->info->school_code, y->info->school_code);
}

/* Inserts (code, share) into the top list of `ind` if it belongs there:
 * largest share first, equal shares by school code. */
static void top_insert(indicator_status *ind, int k, const char *code, double share)
{
    int pos = ind->n_top;
    while (pos > 0) {
        const contributor *c = &ind->top[pos - 1];
        if (c->share > share || (c->share == share && strcmp(c->school_code, code) < 0))
            break;
        pos--;
    }
    if (pos >= k)
        return;
    int last = ind->n_top < k ? ind->n_top : k - 1;
    for (int j = last; j > pos; j--)
        ind->top[j] = ind->top[j - 1];
    snprintf(ind->top[pos].school_code, sizeof ind->top[pos].school_code, "%s", code);
    ind->top[pos].share = share;
    if (ind->n_top < k)
        ind->n_top++;
}

/* Each included section's share of the variance of indicator i in stage s,
 * (P_i/P)(X_i − X̄)² / S², with S² summed in this same pass so the shares add
 * up to 1. Keeps the largest rules->top_contributors. */
static void top_contributors(const rules_config *rules, const county_status *st, stage_t s, int i,
                             indicator_status *ind)
{
    ind->n_top = 0;
    int k = rules->top_contributors;
    if (k <= 0 || !ind->cv_defined || !(ind->cv > CV_ZERO))
        return;
    double total = 0.0;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *sec = &st->sections[j];
        if (sec->stage != s || !section_included(sec))
            continue;
        double d = sec->value[i] - ind->mean;
        total += (double)sec->students * d * d;
    }
    if (!(total > 0))
        return;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *sec = &st->sections[j];
        if (sec->stage != s || !section_included(sec))
            continue;
        double d = sec->value[i] - ind->mean;
        double share = (double)sec->students * d * d / total;
        top_insert(ind, k, sec->school_code, share);
    }
}

/* Fills one stage's status from its aggregates (no contributors). */
static void build_stage(const rules_config *rules, county_status *st, stage_t s, const assess_stage_numbers *sn)
{
    stage_status *ss = &st->stage[s];
    ss->applicable = sn->sections > 0;
    ss->sections_assessed = sn->sections;
    ss->students = sn->students;
    ss->sections_passing = sn->passing;
    bool all_cv_ok = true;
    for (int i = 0; i < IND_COUNT; i++) {
        indicator_status *ind = &ss->ind[i];
        ind->standard = rules->standard[i][s];
        ind->cv_limit = rules->cv_limit[s];
        ind->sections_meeting = sn->meeting[i];
        ind->mean = NAN;
        ind->cv = NAN;
        ind->cv_defined = false;
        ind->cv_ok = false;
        ind->n_top = 0;
        if (!ss->applicable) {
            all_cv_ok = false;
            continue;
        }
        if (sn->nonzero[i] == 0) {
            ind->mean = 0.0;                 /* every section 0: CV undefined, fails */
        } else {
            ind->mean = sn->mean[i];
            ind->cv_defined = true;
            if (sn->sections == 1)
                ind->cv = 0.0;
            else
                ind->cv = sqrt(sn->var[i] > 0 ? sn->var[i] : 0.0) / ind->mean;
            ind->cv_ok = rules_at_most(rules, ind->cv, ind->cv_limit);
        }
        if (!ind->cv_ok)
            all_cv_ok = false;
    }
    ss->pass = ss->applicable && sn->passing == sn->sections && all_cv_ok;
}

/* Fills the verdict and counts of guarantee item g from the aggregates. */
static void guarantee_verdict(const rules_config *rules, county_status *st, guarantee_id g, const assess_numbers *nums)
{
    guarantee_status *gs = &st->guarantee[g];
    gs->unit = GUARANTEES[g].unit;
    if (g == GUAR_TEACHER_EXCHANGE) {
        gs->applicable = nums->exchange.eligible;
        gs->complying = nums->exchange.exchanged;
        gs->pass = assess_exchange_pass(rules, &nums->exchange);
        return;
    }
    gs->applicable = nums->units_applicable[g];
    gs->complying = nums->units_complying[g];
    gs->schools_applicable = nums->schools_applicable[g];
    gs->schools_complying = nums->schools_complying[g];
    gs->pass = gs->schools_complying == gs->schools_applicable;
}

/* Lists the codes of the schools failing guarantee item g (items sorted).
 * Returns 0 or -1 when out of memory. */
static int list_failing(county_status *st, guarantee_id g, const assess_item *items, size_t n)
{
    guarantee_status *gs = &st->guarantee[g];
    size_t nf = 0;
    for (size_t j = 0; j < n; j++)
        if (items[j].eval->g_applicable[g] && !items[j].eval->g_complies[g])
            nf++;
    if (nf == 0)
        return 0;
    gs->failing = calloc(nf, sizeof *gs->failing);
    if (!gs->failing)
        return -1;
    for (size_t j = 0; j < n; j++)
        if (items[j].eval->g_applicable[g] && !items[j].eval->g_complies[g])
            memcpy(gs->failing[gs->n_failing++], items[j].info->school_code, SCHOOL_CODE_LEN + 1);
    return 0;
}

void assess_fill_summary(const rules_config *rules, const county_info *county, int32_t period,
                         const assess_numbers *nums, county_status *st)
{
    memset(st, 0, sizeof *st);
    st->county = *county;
    st->county.code[COUNTY_CODE_LEN] = '\0';
    st->county.name[sizeof st->county.name - 1] = '\0';
    snprintf(st->city_code, sizeof st->city_code, "%.4s00", st->county.code);
    st->period = period;
    snprintf(st->rules_version, sizeof st->rules_version, "%s", rules->version);
    st->schools_registered = nums->registered;
    st->schools_submitted = nums->submitted;
    st->exchange = nums->exchange;
    bool any_applicable = false, all_pass = true;
    for (int s = 0; s < STAGE_COUNT; s++) {
        build_stage(rules, st, (stage_t)s, &nums->stage[s]);
        if (st->stage[s].applicable) {
            any_applicable = true;
            if (!st->stage[s].pass)
                all_pass = false;
        }
    }
    st->resource_allocation_pass = any_applicable && all_pass;
    for (int g = 0; g < GUAR_COUNT; g++)
        guarantee_verdict(rules, st, (guarantee_id)g, nums);
}

county_status *assess_build_status(const rules_config *rules, const county_info *county, int32_t period,
                                   assess_item *items, size_t n, const assess_numbers *nums)
{
    county_status *st = malloc(sizeof *st);
    if (!st)
        return NULL;
    assess_fill_summary(rules, county, period, nums, st);
    if (n > 1)
        qsort(items, n, sizeof *items, item_cmp);

    size_t nm = 0, ns = 0;
    for (size_t j = 0; j < n; j++) {
        const school_eval *e = items[j].eval;
        if (e->counted && !e->submitted)
            nm++;
        for (int s = 0; s < STAGE_COUNT; s++)
            if (e->listed[s])
                ns++;
    }
    if (nm) {
        st->missing = calloc(nm, sizeof *st->missing);
        st->missing_names = calloc(nm, sizeof *st->missing_names);
        if (!st->missing || !st->missing_names)
            goto oom;
    }
    if (ns) {
        st->sections = calloc(ns, sizeof *st->sections);
        if (!st->sections)
            goto oom;
    }
    for (size_t j = 0; j < n; j++) {
        const school_eval *e = items[j].eval;
        if (e->counted && !e->submitted) {
            snprintf(st->missing_names[st->n_missing], sizeof st->missing_names[0], "%s", items[j].info->name);
            memcpy(st->missing[st->n_missing++], items[j].info->school_code, SCHOOL_CODE_LEN + 1);
        }
        for (int s = 0; s < STAGE_COUNT; s++)
            if (e->listed[s])
                st->sections[st->n_sections++] = e->sec[s];
    }
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int i = 0; i < IND_COUNT; i++)
            top_contributors(rules, st, (stage_t)s, i, &st->stage[s].ind[i]);
    for (int g = 0; g < GUAR_COUNT; g++)
        if (list_failing(st, (guarantee_id)g, items, n) != 0)
            goto oom;
    return st;
oom:
    county_status_destroy(&st);
    return NULL;
}
