/* assess_items_county.c -- the items the county's own inputs decide: the
 * judgements, the counted rates (2.8, 2.14, 2.15, 3.1, 3.2), the external
 * results (3.9, 4.1) and the vetoes. See assess_items.h and
 * assess_items_int.h; docs/rules.md ("Whole verdict") says how each was read. */
#include "assess_items_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEED(c, r, ...)                                                                                                \
    ir_need(c, r, (const county_input_field[]){ __VA_ARGS__ },                                                         \
            sizeof((const county_input_field[]){ __VA_ARGS__ }) / sizeof(county_input_field))

/* Adds every field of `item` as a fact. */
static void facts_of_item(item_ctx *c, item_result *r, item_id item)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        if (COUNTY_INPUT_DEFS[f].item == item)
            ir_fact_input(c, r, (county_input_field)f);
}

/* Whether a judgement field says yes (present and 1). */
static bool yes(const item_ctx *c, county_input_field f)
{
    return c->in->v[f].present && c->in->v[f].value != 0;
}

/* Fails r when judgement f is "no". */
static void judged(item_ctx *c, item_result *r, county_input_field f)
{
    if (!yes(c, f)) {
        ir_fail_zh(r, "县级判定为“否”：%s", COUNTY_INPUT_DEFS[f].label_zh);
        ir_fail_en(r, "the county judged it not met: %s", COUNTY_INPUT_DEFS[f].key);
    }
}

/* Compares part ÷ whole with a minimum ratio; a zero whole fails. */
static void ratio_at_least(item_ctx *c, item_result *r, double part, double whole, double min, const char *key,
                           const char *whole_name)
{
    if (!(whole > 0)) {
        ir_fail_zh(r, "分母%s不大于0", whole_name);
        ir_fail_en(r, "the denominator %s is not above 0", whole_name);
        return;
    }
    double ratio = part / whole;
    ir_compare(r, ratio, CMP_AT_LEAST, min, key);
    if (!rules_at_least(c->rules, ratio, min)) {
        ir_fail_zh(r, "比率%.4f低于%.4g", ratio, min);
        ir_fail_en(r, "ratio %.4f below %.4g", ratio, min);
    }
}

/* 2.1, 2.10, 3.3, 3.5–3.8: a judgement only. */
static void judgement_item(item_ctx *c, item_result *r, county_input_field met)
{
    ir_fact_input(c, r, met);
    if (NEED(c, r, met))
        judged(c, r, met);
}

/* Whether the county has a school section in stage s (any section listed,
 * or no section at all yet: then both stages are asked for). */
static bool county_has_stage(const item_ctx *c, stage_t s)
{
    if (c->st->n_sections == 0)
        return true;
    for (size_t j = 0; j < c->st->n_sections; j++)
        if (c->st->sections[j].stage == s)
            return true;
    return false;
}

/* 2.2: the judgement, and the benchmark of each stage the county has against its minimum. */
static void item_uniform_standards(item_ctx *c, item_result *r)
{
    const county_input_field bench[STAGE_COUNT] = { CI_2_2_BENCH_PRIMARY, CI_2_2_BENCH_JUNIOR };
    const char *keys[STAGE_COUNT] = { "uniform_standards.benchmark_min.primary",
                                      "uniform_standards.benchmark_min.junior" };
    facts_of_item(c, r, ITEM_2_2);
    county_input_field need[3] = { CI_2_2_MET };
    size_t nn = 1;
    for (int s = 0; s < STAGE_COUNT; s++) {
        ir_fact_number(c, r, keys[s], c->rules->benchmark_min_yuan[s], SOURCE_RULES);
        if (county_has_stage(c, (stage_t)s))
            need[nn++] = bench[s];
    }
    if (!ir_need(c, r, need, nn))
        return;
    judged(c, r, CI_2_2_MET);
    for (int s = 0; s < STAGE_COUNT; s++)
        if (c->in->v[bench[s]].present &&
            !rules_at_least(c->rules, ci_value(c, bench[s]), c->rules->benchmark_min_yuan[s])) {
            ir_fail_zh(r, "%s生均公用经费基准定额%.0f元低于%.0f元", STAGE_NAMES_ZH[s], ci_value(c, bench[s]),
                       c->rules->benchmark_min_yuan[s]);
            ir_fail_en(r, "%s benchmark %.0f yuan below %.0f yuan", STAGE_KEYS[s], ci_value(c, bench[s]),
                       c->rules->benchmark_min_yuan[s]);
        }
}

/* 2.8: teacher ÷ civil-servant average pay, and performance pay approved. */
static void item_teacher_pay(item_ctx *c, item_result *r)
{
    facts_of_item(c, r, ITEM_2_8);
    if (!NEED(c, r, CI_2_8_TEACHER_PAY, CI_2_8_CIVIL_PAY, CI_2_8_PERFORMANCE))
        return;
    ir_formula(r, "", "teacher_avg_pay_yuan / civil_servant_avg_pay_yuan", "");
    ratio_at_least(c, r, ci_value(c, CI_2_8_TEACHER_PAY), ci_value(c, CI_2_8_CIVIL_PAY),
                   c->rules->teacher_pay_min_ratio, "teacher_pay.min_ratio", "civil_servant_avg_pay_yuan");
    judged(c, r, CI_2_8_PERFORMANCE);
}

/* 2.14: places allocated to junior schools ÷ plan, and the rural tilt; the rural share shown. */
static void item_senior_high_places(item_ctx *c, item_result *r)
{
    facts_of_item(c, r, ITEM_2_14);
    if (!NEED(c, r, CI_2_14_PLAN, CI_2_14_ALLOCATED, CI_2_14_TILT))
        return;
    ir_formula(r, "", "allocated_to_junior_schools / plan_total", "");
    if (c->in->v[CI_2_14_RURAL].present && ci_value(c, CI_2_14_ALLOCATED) > 0)
        ir_fact_number(c, r, "rural_share", ci_value(c, CI_2_14_RURAL) / ci_value(c, CI_2_14_ALLOCATED),
                       SOURCE_COMPUTED);
    ratio_at_least(c, r, ci_value(c, CI_2_14_ALLOCATED), ci_value(c, CI_2_14_PLAN),
                   c->rules->senior_high_places_min_ratio, "senior_high_places.min_ratio", "plan_total");
    judged(c, r, CI_2_14_TILT);
}

/* 2.15: (public + purchased places) ÷ eligible migrant children, and left-behind care. */
static void item_migrant(item_ctx *c, item_result *r)
{
    facts_of_item(c, r, ITEM_2_15);
    if (!NEED(c, r, CI_2_15_ELIGIBLE, CI_2_15_PUBLIC, CI_2_15_PURCHASED, CI_2_15_CARE))
        return;
    ir_formula(r, "", "(in_public_schools + in_purchased_private_places) / eligible_migrant_children", "");
    ratio_at_least(c, r, ci_value(c, CI_2_15_PUBLIC) + ci_value(c, CI_2_15_PURCHASED), ci_value(c, CI_2_15_ELIGIBLE),
                   c->rules->migrant_min_ratio, "migrant_and_left_behind.min_ratio", "eligible_migrant_children");
    judged(c, r, CI_2_15_CARE);
}

/* 3.1: the retention rate by the configured formula. */
static void item_junior_retention(item_ctx *c, item_result *r)
{
    static const char *const TEXT[RETENTION_FORMULA_COUNT] = { "G / (A + I - O - D)", "G / A", "G / (A + I - O)",
                                                               "(G - I + O) / (A - D)" };
    int f = c->rules->retention_formula;
    facts_of_item(c, r, ITEM_3_1);
    ir_formula(r, RETENTION_FORMULA_KEYS[f], TEXT[f], "junior_retention.formula");
    bool ok;
    if (f == RETENTION_RAW)
        ok = NEED(c, r, CI_3_1_ENTRANTS, CI_3_1_GRADUATES);
    else if (f == RETENTION_IN_OUT)
        ok = NEED(c, r, CI_3_1_ENTRANTS, CI_3_1_GRADUATES, CI_3_1_IN, CI_3_1_OUT);
    else
        ok = NEED(c, r, CI_3_1_ENTRANTS, CI_3_1_GRADUATES, CI_3_1_IN, CI_3_1_OUT, CI_3_1_DEATHS);
    if (!ok)
        return;
    double A = ci_value(c, CI_3_1_ENTRANTS), G = ci_value(c, CI_3_1_GRADUATES), I = ci_value(c, CI_3_1_IN),
           O = ci_value(c, CI_3_1_OUT), D = ci_value(c, CI_3_1_DEATHS);
    double num = G, den = A + I - O - D;
    if (f == RETENTION_RAW)
        den = A;
    else if (f == RETENTION_IN_OUT)
        den = A + I - O;
    else if (f == RETENTION_GRADUATES_ADJUSTED) {
        num = G - I + O;
        den = A - D;
    }
    ratio_at_least(c, r, num, den, c->rules->retention_min_rate, "junior_retention.min_rate", TEXT[f]);
}

/* 3.2: (regular + special + home-delivered) ÷ school-age disabled children. */
static void item_disabled_enrolment(item_ctx *c, item_result *r)
{
    facts_of_item(c, r, ITEM_3_2);
    if (!NEED(c, r, CI_3_2_SCHOOL_AGE, CI_3_2_REGULAR, CI_3_2_SPECIAL, CI_3_2_HOME))
        return;
    ir_formula(r, "", "(in_regular_classes + in_special_schools + home_delivered) / school_age_disabled_children", "");
    ratio_at_least(c, r, ci_value(c, CI_3_2_REGULAR) + ci_value(c, CI_3_2_SPECIAL) + ci_value(c, CI_3_2_HOME),
                   ci_value(c, CI_3_2_SCHOOL_AGE), c->rules->disabled_enrolment_min_rate, "disabled_enrolment.min_rate",
                   "school_age_disabled_children");
}

/* Adds the fields of subject or group `k` that were given, as facts; returns
 * whether any was. */
static bool facts_given(item_ctx *c, item_result *r, const county_input_field *fields, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any = any || c->in->v[fields[i]].present;
    if (any)
        for (size_t i = 0; i < n; i++)
            ir_fact_input(c, r, fields[i]);
    return any;
}

/* 3.9: every subject given at the configured level or share, and its difference rate strictly
 * below the limit. */
static void item_quality_monitoring(item_ctx *c, item_result *r)
{
    const rules_config *R = c->rules;
    bool by_level = R->quality_rule == QUALITY_RULE_LEVEL;
    ir_formula(r, QUALITY_RULE_KEYS[R->quality_rule],
               by_level ? "every subject: level >= min_level and school_difference_rate < max_difference_rate"
                        : "every subject: share_level3_or_above >= share_min and school_difference_rate < "
                          "max_difference_rate",
               "quality_monitoring.rule");
    ir_fact_number(c, r, "quality_monitoring.max_difference_rate", R->quality_max_difference_rate, SOURCE_RULES);
    int given = 0;
    double worst = INFINITY, worst_diff = -INFINITY;
    county_input_field missing[CI_SUBJECT_COUNT * 2];
    size_t nm = 0;
    for (int k = 0; k < CI_SUBJECT_COUNT; k++) {
        county_input_field f[3] = { ci_subject_field(k, 0), ci_subject_field(k, 1), ci_subject_field(k, 2) };
        if (!facts_given(c, r, f, 3))
            continue;
        given++;
        county_input_field main = by_level ? f[0] : f[1];
        if (!c->in->v[main].present)
            missing[nm++] = main;
        if (!c->in->v[f[2]].present)
            missing[nm++] = f[2];
        if (c->in->v[main].present) {
            double x = ci_value(c, main);
            worst = fmin(worst, x);
            bool ok = by_level ? x >= R->quality_min_level : rules_at_least(R, x, R->quality_share_min);
            if (!ok && by_level) {
                ir_fail_zh(r, "%s监测水平%.0f未达到水平%d", CI_SUBJECT_NAMES_ZH[k], x, R->quality_min_level);
                ir_fail_en(r, "%s at level %.0f, below level %d", CI_SUBJECT_KEYS[k], x, R->quality_min_level);
            } else if (!ok) {
                ir_fail_zh(r, "%s达到水平Ⅲ及以上比例%.4f低于%.4g", CI_SUBJECT_NAMES_ZH[k], x, R->quality_share_min);
                ir_fail_en(r, "%s share at level III or above %.4f below %.4g", CI_SUBJECT_KEYS[k], x,
                           R->quality_share_min);
            }
        }
        if (c->in->v[f[2]].present) {
            double d = ci_value(c, f[2]);
            worst_diff = fmax(worst_diff, d);
            if (!rules_below(R, d, R->quality_max_difference_rate)) {
                ir_fail_zh(r, "%s校际差异率%.4f不低于%.4g", CI_SUBJECT_NAMES_ZH[k], d, R->quality_max_difference_rate);
                ir_fail_en(r, "%s school difference rate %.4f not below %.4g", CI_SUBJECT_KEYS[k], d,
                           R->quality_max_difference_rate);
            }
        }
    }
    if (isfinite(worst))
        ir_compare(r, worst, CMP_AT_LEAST, by_level ? (double)R->quality_min_level : R->quality_share_min,
                   by_level ? "quality_monitoring.min_level" : "quality_monitoring.share_min");
    if (isfinite(worst_diff))
        ir_fact_number(c, r, "highest_school_difference_rate", worst_diff, SOURCE_COMPUTED);
    if (r->outcome == OUTCOME_FAIL)
        return;
    if (given == 0)
        ir_set(r, OUTCOME_PENDING, "待县级填报：至少一个学科的监测结果",
               "awaiting county input: at least one subject's results");
    else if (nm > 0)
        ir_need(c, r, missing, nm);
}

/* 4.1: the computed rate of the groups given, by the configured method;
 * *complete is false when a group given lacks a field. Fails r for a group
 * with no valid questionnaires (group_mean, every_group) or for every group
 * below the minimum (every_group). Returns NAN when there is no rate. */
static double recognition_rate(item_ctx *c, item_result *r, bool judge, bool *complete, int *groups)
{
    const rules_config *R = c->rules;
    double valid = 0, rec = 0, sum_rates = 0, lowest = INFINITY;
    bool zero_group = false;
    *complete = true;
    *groups = 0;
    for (int g = 0; g < CI_GROUP_COUNT; g++) {
        county_input_field f[2] = { ci_group_field(g, 0), ci_group_field(g, 1) };
        if (!facts_given(c, r, f, 2))
            continue;
        if (!c->in->v[f[0]].present || !c->in->v[f[1]].present) {
            *complete = false;
            continue;
        }
        (*groups)++;
        double v = ci_value(c, f[0]), k = ci_value(c, f[1]);
        valid += v;
        rec += k;
        if (!(v > 0)) {
            zero_group = true;
            if (judge && R->recognition_method != RECOGNITION_POOLED) {
                ir_fail_zh(r, "%s有效问卷数为0", CI_GROUP_NAMES_ZH[g]);
                ir_fail_en(r, "%s has 0 valid questionnaires", CI_GROUP_KEYS[g]);
            }
            continue;
        }
        double rate = k / v;
        sum_rates += rate;
        lowest = fmin(lowest, rate);
        if (judge && R->recognition_method == RECOGNITION_EVERY_GROUP &&
            !rules_at_least(R, rate, R->recognition_min_rate)) {
            ir_fail_zh(r, "%s认可度%.4f低于%.4g", CI_GROUP_NAMES_ZH[g], rate, R->recognition_min_rate);
            ir_fail_en(r, "%s recognition %.4f below %.4g", CI_GROUP_KEYS[g], rate, R->recognition_min_rate);
        }
    }
    if (*groups == 0)
        return NAN;
    if (R->recognition_method == RECOGNITION_POOLED)
        return valid > 0 ? rec / valid : NAN;
    if (zero_group)
        return NAN;
    return R->recognition_method == RECOGNITION_GROUP_MEAN ? sum_rates / *groups : lowest;
}

/* 4.1: the official rate when given, else the computed rate by the configured method. */
static void item_social_recognition(item_ctx *c, item_result *r)
{
    static const char *const TEXT[RECOGNITION_METHOD_COUNT] = { "sum(recognising) / sum(valid)",
                                                                "mean over groups of recognising / valid",
                                                                "every group: recognising / valid >= min_rate" };
    const rules_config *R = c->rules;
    ir_formula(r, RECOGNITION_METHOD_KEYS[R->recognition_method], TEXT[R->recognition_method],
               "social_recognition.method");
    ir_fact_input(c, r, CI_4_1_OFFICIAL);
    bool official = c->in->v[CI_4_1_OFFICIAL].present, complete;
    int groups;
    double rate = recognition_rate(c, r, !official, &complete, &groups);
    if (!isnan(rate))
        ir_fact_number(c, r, "computed_rate", rate, SOURCE_COMPUTED);
    if (official) {
        ir_formula(r, "official_rate", "official_rate (given; it decides)", "social_recognition.method");
        double x = ci_value(c, CI_4_1_OFFICIAL);
        ir_compare(r, x, CMP_AT_LEAST, R->recognition_min_rate, "social_recognition.min_rate");
        if (!rules_at_least(R, x, R->recognition_min_rate)) {
            ir_fail_zh(r, "官方认可度%.4f低于%.4g", x, R->recognition_min_rate);
            ir_fail_en(r, "official rate %.4f below %.4g", x, R->recognition_min_rate);
        }
        return;
    }
    if (r->outcome == OUTCOME_FAIL)
        return;
    if (!complete || groups == 0) {
        ir_set(r, OUTCOME_PENDING, "待县级填报：各调查群体的有效问卷数和认可问卷数",
               "awaiting county input: valid and recognising questionnaires of each group surveyed");
        return;
    }
    if (isnan(rate)) {
        ir_fail_zh(r, "有效问卷数为0");
        ir_fail_en(r, "no valid questionnaires");
        return;
    }
    ir_compare(r, rate, CMP_AT_LEAST, R->recognition_min_rate, "social_recognition.min_rate");
    if (!rules_at_least(R, rate, R->recognition_min_rate)) {
        ir_fail_zh(r, "认可度%.4f低于%.4g", rate, R->recognition_min_rate);
        ir_fail_en(r, "recognition %.4f below %.4g", rate, R->recognition_min_rate);
    }
}

/* A veto answered by *v: present fails, absent passes, unanswered is pending. */
static void veto_answer(item_ctx *c, item_result *r, const county_input_value *v)
{
    item_fact *f = ir_fact_missing(c, r, "present", SOURCE_COUNTY_INPUT);
    if (!v->present) {
        ir_set(r, OUTCOME_PENDING, "待县级填报：present", "awaiting county input: present");
        return;
    }
    if (f) {
        f->kind = FACT_BOOL;
        f->flag = v->value != 0;
        if (v->evidence && !(f->evidence = strdup(v->evidence)))
            c->oom = 1;
    }
    if (v->value != 0) {
        ir_fail_zh(r, "存在否决情形：%s", r->name_zh);
        ir_fail_en(r, "veto present: %s", r->key);
    }
}

void assess_county_items(item_ctx *c, county_verdict *v)
{
    judgement_item(c, &v->items[ITEM_2_1], CI_2_1_MET);
    item_uniform_standards(c, &v->items[ITEM_2_2]);
    item_teacher_pay(c, &v->items[ITEM_2_8]);
    judgement_item(c, &v->items[ITEM_2_10], CI_2_10_MET);
    item_senior_high_places(c, &v->items[ITEM_2_14]);
    item_migrant(c, &v->items[ITEM_2_15]);
    item_junior_retention(c, &v->items[ITEM_3_1]);
    item_disabled_enrolment(c, &v->items[ITEM_3_2]);
    judgement_item(c, &v->items[ITEM_3_3], CI_3_3_MET);
    judgement_item(c, &v->items[ITEM_3_5], CI_3_5_MET);
    judgement_item(c, &v->items[ITEM_3_6], CI_3_6_MET);
    judgement_item(c, &v->items[ITEM_3_7], CI_3_7_MET);
    judgement_item(c, &v->items[ITEM_3_8], CI_3_8_MET);
    item_quality_monitoring(c, &v->items[ITEM_3_9]);
    item_social_recognition(c, &v->items[ITEM_4_1]);
    const county_input_field vetoes[ITEM_VETO_COUNT] = { CI_5_1, CI_5_2, CI_5_3, CI_5_4, CI_5_5, CI_5_6 };
    for (int k = 0; k < ITEM_VETO_COUNT; k++)
        veto_answer(c, &v->items[ITEM_SCORED_COUNT + k], &c->in->v[vetoes[k]]);
    for (int k = 0; k < v->n_extra_vetoes; k++)
        veto_answer(c, &v->extra_vetoes[k], &c->in->extra_veto[k]);
}

void item_rule_text(const rules_config *rules, item_id item, char *buf, size_t size)
{
    const rules_config *R = rules;
    static const char *const RETENTION_TEXT[RETENTION_FORMULA_COUNT] = { "G/(A+I-O-D)", "G/A", "G/(A+I-O)",
                                                                         "(G-I+O)/(A-D)" };
    buf[0] = '\0';
    if (!R || item < 0 || item >= ITEM_COUNT)
        return;
    switch (item) {
    case ITEM_2_1:
    case ITEM_2_10:
    case ITEM_3_3:
    case ITEM_3_5:
    case ITEM_3_6:
    case ITEM_3_7:
    case ITEM_3_8:
        snprintf(buf, size, "达标：met = yes / passes when met = yes");
        break;
    case ITEM_2_2:
        snprintf(buf, size,
                 "达标：met = yes，基准定额 ≥ %g / %g 元 / passes when met = yes and each benchmark >= %g / %g yuan",
                 R->benchmark_min_yuan[0], R->benchmark_min_yuan[1], R->benchmark_min_yuan[0],
                 R->benchmark_min_yuan[1]);
        break;
    case ITEM_2_8:
        snprintf(buf, size,
                 "达标：教师 ÷ 公务员 ≥ %g 且绩效工资核定 / passes when teacher / civil servant >= %g and approved",
                 R->teacher_pay_min_ratio, R->teacher_pay_min_ratio);
        break;
    case ITEM_2_14:
        snprintf(buf, size,
                 "达标：分配到初中 ÷ 计划 ≥ %g 且向农村倾斜 / passes when allocated / plan >= %g and rural tilt",
                 R->senior_high_places_min_ratio, R->senior_high_places_min_ratio);
        break;
    case ITEM_2_15:
        snprintf(buf, size,
                 "达标：(公办 + 购买学位) ÷ 符合条件 ≥ %g 且关爱体系健全 / passes when (public + purchased) / "
                 "eligible >= %g and care",
                 R->migrant_min_ratio, R->migrant_min_ratio);
        break;
    case ITEM_3_1:
        snprintf(buf, size,
                 "达标：巩固率 %s ≥ %g（%s；A=grade7_entrants, G=graduates, I=transfers_in, O=transfers_out, "
                 "D=deaths） / passes when %s >= %g (%s)",
                 RETENTION_TEXT[R->retention_formula], R->retention_min_rate,
                 RETENTION_FORMULA_KEYS[R->retention_formula], RETENTION_TEXT[R->retention_formula],
                 R->retention_min_rate, RETENTION_FORMULA_KEYS[R->retention_formula]);
        break;
    case ITEM_3_2:
        snprintf(buf, size, "达标：入学率 ≥ %g / passes when the enrolment rate >= %g", R->disabled_enrolment_min_rate,
                 R->disabled_enrolment_min_rate);
        break;
    case ITEM_3_9:
        if (R->quality_rule == QUALITY_RULE_LEVEL)
            snprintf(buf, size,
                     "达标：所填各学科水平 ≥ %d，校际差异率 < %g / passes when every subject given is at level "
                     ">= %d and its difference rate < %g",
                     R->quality_min_level, R->quality_max_difference_rate, R->quality_min_level,
                     R->quality_max_difference_rate);
        else
            snprintf(buf, size,
                     "达标：所填各学科水平Ⅲ及以上比例 ≥ %g，校际差异率 < %g / passes when every subject given has "
                     "share >= %g and difference rate < %g",
                     R->quality_share_min, R->quality_max_difference_rate, R->quality_share_min,
                     R->quality_max_difference_rate);
        break;
    case ITEM_4_1:
        snprintf(buf, size,
                 "达标：认可度（%s）≥ %g，填official_rate时以其为准 / passes when the rate (%s) >= %g; an "
                 "official_rate decides",
                 RECOGNITION_METHOD_KEYS[R->recognition_method], R->recognition_min_rate,
                 RECOGNITION_METHOD_KEYS[R->recognition_method], R->recognition_min_rate);
        break;
    default:
        if (item_is_veto(item))
            snprintf(buf, size, "present（有）即整体未达标 / present fails the county");
        break;
    }
}
