/* county_inputs.c -- the county-input field table and value sets. See
 * county_inputs.h. */
#include "county_inputs.h"

#include <stdlib.h>
#include <string.h>

const char *const COUNTY_INPUT_TYPE_KEYS[CIT_TYPE_COUNT] = { "count", "money", "ratio", "level", "judgement", "veto" };

/* Accepted range of each type. */
#define CIT_MIN(t) ((t) == CIT_LEVEL ? 1.0 : 0.0)
#define CIT_MAX(t)                                                                                                     \
    ((t) == CIT_RATIO ? 1.0 : (t) == CIT_LEVEL ? 4.0 : ((t) == CIT_JUDGEMENT || (t) == CIT_VETO) ? 1.0 : 1e15)

const county_input_def COUNTY_INPUT_DEFS[CI_FIELD_COUNT] = {
#define CI_ROW(e, item, id, zh, unit, type) { e, item, id, zh, unit, type, CIT_MIN(type), CIT_MAX(type) },
    COUNTY_INPUT_FIELDS(CI_ROW)
#undef CI_ROW
};

const char *const CI_SUBJECT_KEYS[CI_SUBJECT_COUNT] = { "chinese", "math", "science", "pe", "arts", "moral" };
const char *const CI_SUBJECT_NAMES_ZH[CI_SUBJECT_COUNT] = { "语文", "数学", "科学", "体育", "艺术", "德育" };
const char *const CI_GROUP_KEYS[CI_GROUP_COUNT] = { "students",   "parents",  "teachers",
                                                    "principals", "deputies", "public" };
const char *const CI_GROUP_NAMES_ZH[CI_GROUP_COUNT] = {
    "学生", "家长", "教师", "校长", "人大代表政协委员", "社会公众"
};

#define GROUP_RELATION(g, zh)                                                                                          \
    {                                                                                                                  \
        { CI_SR_##g##_RECOGNISING, -1, -1, -1 }, { CI_SR_##g##_VALID, -1 }, zh "认可问卷数 ≤ 有效问卷数",              \
            #g ".recognising <= " #g ".valid"                                                                          \
    }

const county_input_relation COUNTY_INPUT_RELATIONS[] = {
    { { CI_2_14_ALLOCATED, -1, -1, -1 },
      { CI_2_14_PLAN, -1 },
      "分配到初中学校的名额 ≤ 优质高中招生计划总数",
      "allocated_to_junior_schools <= plan_total" },
    { { CI_2_14_RURAL, -1, -1, -1 },
      { CI_2_14_ALLOCATED, -1 },
      "分配到农村初中的名额 ≤ 分配到初中学校的名额",
      "allocated_to_rural_junior_schools <= allocated_to_junior_schools" },
    { { CI_2_15_PUBLIC, CI_2_15_PURCHASED, -1, -1 },
      { CI_2_15_ELIGIBLE, -1 },
      "在公办学校就读数 + 在政府购买学位的民办学校就读数 ≤ 符合条件的随迁子女数",
      "in_public_schools + in_purchased_private_places <= eligible_migrant_children" },
    { { CI_3_1_OUT, CI_3_1_DEATHS, -1, -1 },
      { CI_3_1_ENTRANTS, CI_3_1_IN },
      "转出人数 + 死亡人数 ≤ 三年前初一入学人数 + 转入人数",
      "transfers_out + deaths <= grade7_entrants + transfers_in" },
    { { CI_3_2_REGULAR, CI_3_2_SPECIAL, CI_3_2_HOME, -1 },
      { CI_3_2_SCHOOL_AGE, -1 },
      "随班就读数 + 特殊教育学校就读数 + 送教上门数 ≤ 适龄残疾儿童少年数",
      "in_regular_classes + in_special_schools + home_delivered <= school_age_disabled_children" },
    GROUP_RELATION(students, "学生"),
    GROUP_RELATION(parents, "家长"),
    GROUP_RELATION(teachers, "教师"),
    GROUP_RELATION(principals, "校长"),
    GROUP_RELATION(deputies, "人大代表政协委员"),
    GROUP_RELATION(public, "社会公众"),
};
const size_t COUNTY_INPUT_RELATION_COUNT = sizeof COUNTY_INPUT_RELATIONS / sizeof COUNTY_INPUT_RELATIONS[0];

int county_input_find(item_id item, const char *key)
{
    if (!key)
        return -1;
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        if (COUNTY_INPUT_DEFS[f].item == item &&
            (strcmp(COUNTY_INPUT_DEFS[f].key, key) == 0 || strcmp(COUNTY_INPUT_DEFS[f].label_zh, key) == 0))
            return f;
    return -1;
}

int county_input_find_any(const char *key)
{
    if (!key)
        return -1;
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        if (strcmp(COUNTY_INPUT_DEFS[f].key, key) == 0)
            return f;
    return -1;
}

void county_inputs_clear(county_inputs *self)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        free(self->v[f].evidence);
    for (int k = 0; k < RULES_EXTRA_VETO_MAX; k++)
        free(self->extra_veto[k].evidence);
    memset(self, 0, sizeof *self);
}

/* Sets *v present with value and a copy of evidence. Returns 0 or -1 (OOM, v unchanged). */
static int value_set(county_input_value *v, double value, bool as_percent, const char *evidence)
{
    char *ev = NULL;
    if (evidence && evidence[0]) {
        ev = strdup(evidence);
        if (!ev)
            return -1;
    }
    free(v->evidence);
    v->present = true;
    v->value = value;
    v->as_percent = as_percent;
    v->evidence = ev;
    return 0;
}

int county_inputs_set(county_inputs *self, county_input_field field, double value, bool as_percent,
                      const char *evidence)
{
    if ((int)field < 0 || field >= CI_FIELD_COUNT)
        return -1;
    return value_set(&self->v[field], value, as_percent, evidence);
}

int county_inputs_set_extra_veto(county_inputs *self, int k, double value, const char *evidence)
{
    if (k < 0 || k >= RULES_EXTRA_VETO_MAX)
        return -1;
    return value_set(&self->extra_veto[k], value, false, evidence);
}

bool county_inputs_has_item(const county_inputs *self, item_id item)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        if (COUNTY_INPUT_DEFS[f].item == item && self->v[f].present)
            return true;
    return false;
}

/* Copies one value (evidence duplicated) into *dst, which must own nothing.
 * Returns 0 or -1 when out of memory (*dst then absent). */
static int value_copy(county_input_value *dst, const county_input_value *src)
{
    *dst = *src;
    dst->evidence = NULL;
    if (src->evidence) {
        dst->evidence = strdup(src->evidence);
        if (!dst->evidence) {
            memset(dst, 0, sizeof *dst);
            return -1;
        }
    }
    return 0;
}

int county_inputs_copy(county_inputs *dst, const county_inputs *src)
{
    county_inputs_clear(dst);
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        if (value_copy(&dst->v[f], &src->v[f]) != 0) {
            county_inputs_clear(dst);
            return -1;
        }
    }
    for (int k = 0; k < RULES_EXTRA_VETO_MAX; k++) {
        if (value_copy(&dst->extra_veto[k], &src->extra_veto[k]) != 0) {
            county_inputs_clear(dst);
            return -1;
        }
    }
    return 0;
}

int county_inputs_merge(county_inputs *self, const county_inputs *rev)
{
    bool carried[ITEM_COUNT] = { false };
    for (int f = 0; f < CI_FIELD_COUNT; f++)
        if (rev->v[f].present)
            carried[COUNTY_INPUT_DEFS[f].item] = true;
    county_inputs next;
    memset(&next, 0, sizeof next);
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        const county_input_value *src = carried[COUNTY_INPUT_DEFS[f].item] ? &rev->v[f] : &self->v[f];
        if (value_copy(&next.v[f], src) != 0) {
            county_inputs_clear(&next);
            return -1;
        }
    }
    for (int k = 0; k < RULES_EXTRA_VETO_MAX; k++) {
        const county_input_value *src = rev->extra_veto[k].present ? &rev->extra_veto[k] : &self->extra_veto[k];
        if (value_copy(&next.extra_veto[k], src) != 0) {
            county_inputs_clear(&next);
            return -1;
        }
    }
    county_inputs_clear(self);
    *self = next;
    return 0;
}
