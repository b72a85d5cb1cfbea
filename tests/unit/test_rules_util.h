/* test_rules_util.h -- small builders shared by the rules-engine tests:
 * registry rows, submissions, and one-county assessments. */
#ifndef TEST_RULES_UTIL_H
#define TEST_RULES_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "county_state.h"
#include "rules_config.h"

#define TEST_COUNTY "371402"

static inline county_info test_county(void)
{
    county_info c;
    memset(&c, 0, sizeof c);
    snprintf(c.code, sizeof c.code, "%s", TEST_COUNTY);
    snprintf(c.name, sizeof c.name, "%s", "德城区");
    return c;
}

/* A registry row: code "37140200" + two digits of n. */
static inline school_info test_school(int n, school_kind kind)
{
    school_info s;
    memset(&s, 0, sizeof s);
    memcpy(s.school_code, "37140200", 8);
    s.school_code[8] = (char)('0' + (n / 10) % 10);
    s.school_code[9] = (char)('0' + n % 10);
    s.school_code[10] = '\0';
    snprintf(s.name, sizeof s.name, "学校%d", n);
    snprintf(s.county_code, sizeof s.county_code, "%s", TEST_COUNTY);
    s.kind = kind;
    s.location = LOCATION_URBAN;
    s.is_public = true;
    s.boarding = false;
    s.active = true;
    return s;
}

/* Fills one stage: students and the three teacher counts (teachers = qualified). */
static inline void test_stage(submission *sub, stage_t s, int64_t students, int64_t qualified, int64_t backbone,
                              int64_t pe_art)
{
    stage_data *sd = &sub->stage[s];
    sd->present = true;
    sd->students = students;
    sd->teachers = qualified + 10;
    sd->qualified_teachers = qualified;
    sd->backbone_teachers = backbone;
    sd->pe_art_teachers = pe_art;
}

/* Sets the four school-wide physical totals. */
static inline void test_physical(submission *sub, double teaching, double sports, double equipment, int64_t rooms)
{
    sub->teaching_area_m2 = teaching;
    sub->sports_area_m2 = sports;
    sub->equipment_value_yuan = equipment;
    sub->multimedia_rooms = rooms;
}

/* A primary school of 500 students meeting every standard, most exactly:
 * 21 qualified (4.2), 5 backbone (1.0), 5 PE/art (1.0 ≥ 0.9), 2250 m²
 * teaching (4.5), 3750 m² sports (7.5), 1 000 000 yuan (2000), 12 rooms
 * (2.4 ≥ 2.3). */
static inline void test_good_primary(submission *sub, const char *code)
{
    memset(sub, 0, sizeof *sub);
    snprintf(sub->school_code, sizeof sub->school_code, "%s", code);
    sub->period = 2025;
    test_stage(sub, STAGE_PRIMARY, 500, 21, 5, 5);
    test_physical(sub, 2250, 3750, 1000000, 12);
}

/* Assesses one school alone; caller destroys. */
static inline county_status *test_assess_one(const rules_config *rules, const school_info *info,
                                             const submission *sub)
{
    county_info c = test_county();
    assess_entry e = { info, sub };
    return county_assess(rules, &c, 2025, &e, 1);
}

/* The listed section of `code` in `stage`, or NULL. */
static inline const section_status *test_section(const county_status *st, const char *code, stage_t stage)
{
    for (size_t j = 0; j < st->n_sections; j++)
        if (strcmp(st->sections[j].school_code, code) == 0 && st->sections[j].stage == stage)
            return &st->sections[j];
    return NULL;
}

/* The shortfall of `ind` in a section, or NULL. */
static inline const shortfall *test_shortfall(const section_status *sec, indicator_id ind)
{
    for (int k = 0; k < sec->n_shortfalls; k++)
        if (sec->shortfalls[k].indicator == ind)
            return &sec->shortfalls[k];
    return NULL;
}

/* |a − b| within 1e-9 relative, or 1e-12 absolute near zero. */
static inline int test_close(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    double d = fabs(a - b);
    return d <= 1e-12 || d <= 1e-9 * fmax(fabs(a), fabs(b));
}

#endif
