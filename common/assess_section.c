/* assess_section.c -- one school's sections: which count (§2), how a
 * one-through school is split (§3), each section's values and the 6-of-7 /
 * 85 % rule with shortfalls (§4). See assess_school.h. */
#include "assess_school.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void assess_exclusion_text(const rules_config *rules, section_exclusion excl, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    switch (excl) {
    case EXCL_SPECIAL:
        snprintf(buf, size, "special-education school");
        break;
    case EXCL_SMALL_TEACHING_POINT:
        snprintf(buf, size, "teaching point under %lld students", (long long)rules->teaching_point_min_students);
        break;
    case EXCL_NO_STUDENTS:
        snprintf(buf, size, "no students in this stage");
        break;
    default:
        buf[0] = '\0';
        break;
    }
}

/* Rounds a resource shortfall up to whole units, first snapping a value that
 * is an integer up to floating-point rounding (1.0000000000000009 teachers is
 * 1 teacher, not 2). */
static double ceil_snapped(const rules_config *rules, double x)
{
    double r = nearbyint(x);
    if (fabs(x - r) <= rules->equality_tolerance * fmax(1.0, fabs(x)))
        return r;
    return ceil(x);
}

/* The teacher count a stage reports for indicator i (teacher indicators only). */
static int64_t teacher_count(const stage_data *sd, indicator_id i)
{
    switch (i) {
    case IND_QUALIFIED_TEACHERS:
        return sd->qualified_teachers;
    case IND_BACKBONE_TEACHERS:
        return sd->backbone_teachers;
    case IND_PE_ART_TEACHERS:
        return sd->pe_art_teachers;
    default:
        return 0;
    }
}

/* The school-wide total of a physical indicator. */
static double school_total(const submission *sub, indicator_id i)
{
    switch (i) {
    case IND_TEACHING_AREA:
        return sub->teaching_area_m2;
    case IND_SPORTS_AREA:
        return sub->sports_area_m2;
    case IND_EQUIPMENT_VALUE:
        return sub->equipment_value_yuan;
    case IND_MULTIMEDIA_ROOMS:
        return (double)sub->multimedia_rooms;
    default:
        return 0.0;
    }
}

/* Why a section of `students` in a school of `kind` is left out, or EXCL_NONE (§2). */
static section_exclusion exclusion_of(const rules_config *rules, school_kind kind, int64_t students)
{
    if (kind == KIND_SPECIAL)
        return EXCL_SPECIAL;
    if (kind == KIND_TEACHING_POINT && students < rules->teaching_point_min_students)
        return EXCL_SMALL_TEACHING_POINT;
    if (students <= 0)
        return EXCL_NO_STUDENTS;
    return EXCL_NONE;
}

/* Applies the per-school rule (§4) to a section whose values are filled. */
static void judge_section(const rules_config *rules, section_status *sec)
{
    stage_t s = sec->stage;
    bool floor_ok = true;
    sec->met = 0;
    sec->met_mask = 0;
    sec->n_shortfalls = 0;
    for (int i = 0; i < IND_COUNT; i++) {
        const indicator_def *def = &INDICATORS[i];
        double standard = rules->standard[i][s];
        double v = sec->value[i];
        if (rules_at_least(rules, v, standard)) {
            sec->met++;
            sec->met_mask |= 1u << i;
            continue;
        }
        double ratio = v / standard;   /* standard > 0 here: v ≥ 0 meets a 0 standard */
        if (!rules_at_least(rules, ratio, rules->floor_ratio))
            floor_ok = false;
        double needed = standard * (double)sec->students / def->per - sec->resource[i];
        if (def->whole_units)
            needed = ceil_snapped(rules, needed);
        if (needed < 0)
            needed = 0;
        shortfall *sf = &sec->shortfalls[sec->n_shortfalls++];
        sf->indicator = (indicator_id)i;
        sf->value = v;
        sf->standard = standard;
        sf->ratio = ratio;
        sf->needed = needed;
    }
    sec->pass = sec->met >= rules->min_met && floor_ok;
}

double assess_section_value(int i, double resource, int64_t students)
{
    return students > 0 ? resource * INDICATORS[i].per / (double)students : NAN;
}

void assess_section_complete(const rules_config *rules, section_status *sec)
{
    sec->excluded = exclusion_of(rules, sec->kind, sec->students);
    assess_exclusion_text(rules, sec->excluded, sec->excluded_reason, sizeof sec->excluded_reason);
    for (int i = 0; i < IND_COUNT; i++)
        sec->value[i] = assess_section_value(i, sec->resource[i], sec->students);
    if (section_included(sec))
        judge_section(rules, sec);
}

void assess_sections(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out)
{
    for (int s = 0; s < STAGE_COUNT; s++)
        out->listed[s] = false;
    if (!sub)
        return;

    int64_t students[STAGE_COUNT];
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        students[s] = (sd->present && school_kind_has_stage(info->kind, (stage_t)s) && sd->students > 0)
                          ? sd->students : 0;
    }
    int64_t senior = school_kind_has_senior(info->kind) && sub->senior_students > 0 ? sub->senior_students : 0;
    /* Student equivalents of the whole school: the denominator of §3. */
    double equiv = rules->weight[WEIGHT_PRIMARY] * (double)students[STAGE_PRIMARY] +
                   rules->weight[WEIGHT_JUNIOR] * (double)students[STAGE_JUNIOR] +
                   rules->weight[WEIGHT_SENIOR] * (double)senior;

    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!school_kind_has_stage(info->kind, (stage_t)s))
            continue;
        if (info->kind == KIND_SPECIAL && !sd->present)
            continue;                      /* a special school lists only the stages it has */
        section_status *sec = &out->sec[s];
        memset(sec, 0, sizeof *sec);
        out->listed[s] = true;
        snprintf(sec->school_code, sizeof sec->school_code, "%s", info->school_code);
        snprintf(sec->name, sizeof sec->name, "%s", info->name);
        sec->kind = info->kind;
        sec->stage = (stage_t)s;
        sec->students = students[s];

        /* Whether the school has students in this stage only: then the
         * school-wide totals belong to it whole, with no weighting rounding. */
        bool alone = senior == 0 && students[1 - s] == 0;
        double stage_equiv = rules->weight[s == STAGE_PRIMARY ? WEIGHT_PRIMARY : WEIGHT_JUNIOR] * (double)students[s];
        for (int i = 0; i < IND_COUNT; i++) {
            const indicator_def *def = &INDICATORS[i];
            double r;
            if (!def->school_wide)
                r = sd->present ? (double)teacher_count(sd, (indicator_id)i) : 0.0;
            else if (students[s] == 0)
                r = 0.0;
            else if (alone)
                r = school_total(sub, (indicator_id)i);
            else
                r = school_total(sub, (indicator_id)i) * stage_equiv / equiv;
            sec->resource[i] = r;
        }
        assess_section_complete(rules, sec);
    }
}

void assess_school(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out)
{
    memset(out, 0, sizeof *out);
    out->submitted = sub != NULL;
    out->counted = info->active || sub != NULL;
    if (!out->counted)
        return;
    assess_sections(rules, info, sub, out);
    assess_guarantees(rules, info, sub, out);
}
