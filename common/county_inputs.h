/* county_inputs.h -- the facts only a county education bureau holds (the
 * county-input and external-result items, and the vetoes): one table of
 * every field a county sends, its item, Chinese label, unit, type and bounds,
 * the parts-of-whole relations between fields, and a county_inputs value set
 * in which each field is present or absent (absent = pending).
 *
 * Read and written by county_inputs_csv.h; judged by assess_items.h.
 * Ownership: a county_inputs owns its evidence strings; free them with
 * county_inputs_clear(). Pure: no I/O. */
#ifndef JUNHENG_COUNTY_INPUTS_H
#define JUNHENG_COUNTY_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "items.h"
#include "rules_config.h"

/* What a field holds, and so how its value is written and checked. */
typedef enum {
    CIT_COUNT = 0,   /* a whole number ≥ 0 (people, places) */
    CIT_MONEY,       /* yuan, ≥ 0 */
    CIT_RATIO,       /* a ratio 0–1; "12.1%" is read as 0.121; a bare number above 1 is refused */
    CIT_LEVEL,       /* a monitoring level 1–4, also written Ⅰ–Ⅳ or I–IV */
    CIT_JUDGEMENT,   /* yes / no (是 / 否); evidence required for yes */
    CIT_VETO,        /* present / absent (有 / 无); evidence required for absent */
    CIT_TYPE_COUNT
} county_input_type;

/* Type ids ("count", "money", "ratio", "level", "judgement", "veto"). */
extern const char *const COUNTY_INPUT_TYPE_KEYS[CIT_TYPE_COUNT];

/* The subjects of 3.9 and the groups of 4.1 appear as "<subject>.<field>". */
#define CI_SUBJECT_FIELDS(X, subj, zh)                                                                     \
    X(CI_QM_##subj##_LEVEL, ITEM_3_9, #subj ".level", zh "监测水平", "", CIT_LEVEL)                        \
    X(CI_QM_##subj##_SHARE, ITEM_3_9, #subj ".share_level3_or_above", zh "达到水平Ⅲ及以上比例", "", CIT_RATIO) \
    X(CI_QM_##subj##_DIFF, ITEM_3_9, #subj ".school_difference_rate", zh "校际差异率", "", CIT_RATIO)
#define CI_GROUP_FIELDS(X, grp, zh)                                                                        \
    X(CI_SR_##grp##_VALID, ITEM_4_1, #grp ".valid", zh "有效问卷数", "份", CIT_COUNT)                       \
    X(CI_SR_##grp##_RECOGNISING, ITEM_4_1, #grp ".recognising", zh "认可问卷数", "份", CIT_COUNT)

/* X(enum, item, field id, Chinese label, unit, type), in file order. */
#define COUNTY_INPUT_FIELDS(X)                                                                             \
    X(CI_2_1_MET, ITEM_2_1, "met", "学校规划布局合理", "", CIT_JUDGEMENT)                                  \
    X(CI_2_2_MET, ITEM_2_2, "met", "城乡\"四统一\"", "", CIT_JUDGEMENT)                                   \
    X(CI_2_2_BENCH_PRIMARY, ITEM_2_2, "benchmark_primary_yuan", "小学生均公用经费基准定额", "元/生", CIT_MONEY) \
    X(CI_2_2_BENCH_JUNIOR, ITEM_2_2, "benchmark_junior_yuan", "初中生均公用经费基准定额", "元/生", CIT_MONEY) \
    X(CI_2_8_TEACHER_PAY, ITEM_2_8, "teacher_avg_pay_yuan", "教师年平均工资收入", "元", CIT_MONEY)         \
    X(CI_2_8_CIVIL_PAY, ITEM_2_8, "civil_servant_avg_pay_yuan", "当地公务员年平均工资收入", "元", CIT_MONEY) \
    X(CI_2_8_PERFORMANCE, ITEM_2_8, "performance_pay_approved", "绩效工资核定", "", CIT_JUDGEMENT)        \
    X(CI_2_10_MET, ITEM_2_10, "met", "统筹分配编制和岗位", "", CIT_JUDGEMENT)                              \
    X(CI_2_14_PLAN, ITEM_2_14, "plan_total", "优质高中招生计划总数", "人", CIT_COUNT)                     \
    X(CI_2_14_ALLOCATED, ITEM_2_14, "allocated_to_junior_schools", "分配到初中学校的名额", "人", CIT_COUNT) \
    X(CI_2_14_RURAL, ITEM_2_14, "allocated_to_rural_junior_schools", "其中分配到农村初中的名额", "人", CIT_COUNT) \
    X(CI_2_14_TILT, ITEM_2_14, "rural_tilt", "向农村学校倾斜", "", CIT_JUDGEMENT)                        \
    X(CI_2_15_ELIGIBLE, ITEM_2_15, "eligible_migrant_children", "符合条件的随迁子女数", "人", CIT_COUNT)   \
    X(CI_2_15_PUBLIC, ITEM_2_15, "in_public_schools", "在公办学校就读数", "人", CIT_COUNT)               \
    X(CI_2_15_PURCHASED, ITEM_2_15, "in_purchased_private_places", "在政府购买学位的民办学校就读数", "人", CIT_COUNT) \
    X(CI_2_15_CARE, ITEM_2_15, "left_behind_care", "留守儿童关爱体系健全", "", CIT_JUDGEMENT)             \
    X(CI_3_1_ENTRANTS, ITEM_3_1, "grade7_entrants", "三年前初一入学人数", "人", CIT_COUNT)               \
    X(CI_3_1_GRADUATES, ITEM_3_1, "graduates", "初三毕业人数", "人", CIT_COUNT)                            \
    X(CI_3_1_IN, ITEM_3_1, "transfers_in", "转入人数", "人", CIT_COUNT)                                   \
    X(CI_3_1_OUT, ITEM_3_1, "transfers_out", "转出人数", "人", CIT_COUNT)                                 \
    X(CI_3_1_DEATHS, ITEM_3_1, "deaths", "死亡人数", "人", CIT_COUNT)                                     \
    X(CI_3_2_SCHOOL_AGE, ITEM_3_2, "school_age_disabled_children", "适龄残疾儿童少年数", "人", CIT_COUNT) \
    X(CI_3_2_REGULAR, ITEM_3_2, "in_regular_classes", "随班就读数", "人", CIT_COUNT)                       \
    X(CI_3_2_SPECIAL, ITEM_3_2, "in_special_schools", "特殊教育学校就读数", "人", CIT_COUNT)               \
    X(CI_3_2_HOME, ITEM_3_2, "home_delivered", "送教上门数", "人", CIT_COUNT)                             \
    X(CI_3_3_MET, ITEM_3_3, "met", "学校章程、管理与教学信息化", "", CIT_JUDGEMENT)                        \
    X(CI_3_5_MET, ITEM_3_5, "met", "信息化手段、设施设备利用", "", CIT_JUDGEMENT)                          \
    X(CI_3_6_MET, ITEM_3_6, "met", "德育、校园文化良好以上", "", CIT_JUDGEMENT)                            \
    X(CI_3_7_MET, ITEM_3_7, "met", "课程开齐开足、教学秩序规范", "", CIT_JUDGEMENT)                        \
    X(CI_3_8_MET, ITEM_3_8, "met", "无过重课业负担", "", CIT_JUDGEMENT)                                   \
    CI_SUBJECT_FIELDS(X, chinese, "语文")                                                                 \
    CI_SUBJECT_FIELDS(X, math, "数学")                                                                    \
    CI_SUBJECT_FIELDS(X, science, "科学")                                                                 \
    CI_SUBJECT_FIELDS(X, pe, "体育")                                                                      \
    CI_SUBJECT_FIELDS(X, arts, "艺术")                                                                    \
    CI_SUBJECT_FIELDS(X, moral, "德育")                                                                   \
    CI_GROUP_FIELDS(X, students, "学生")                                                                  \
    CI_GROUP_FIELDS(X, parents, "家长")                                                                   \
    CI_GROUP_FIELDS(X, teachers, "教师")                                                                  \
    CI_GROUP_FIELDS(X, principals, "校长")                                                                \
    CI_GROUP_FIELDS(X, deputies, "人大代表政协委员")                                                      \
    CI_GROUP_FIELDS(X, public, "社会公众")                                                                \
    X(CI_4_1_OFFICIAL, ITEM_4_1, "official_rate", "官方公布的认可度", "", CIT_RATIO)                        \
    X(CI_5_1, ITEM_5_1, "present", "以考试方式招生", "", CIT_VETO)                                         \
    X(CI_5_2, ITEM_5_2, "present", "违规择校", "", CIT_VETO)                                               \
    X(CI_5_3, ITEM_5_3, "present", "重点学校或重点班", "", CIT_VETO)                                       \
    X(CI_5_4, ITEM_5_4, "present", "有编不补或长期聘用编外教师", "", CIT_VETO)                             \
    X(CI_5_5, ITEM_5_5, "present", "重大安全责任事故或严重违纪违规", "", CIT_VETO)                         \
    X(CI_5_6, ITEM_5_6, "present", "弄虚作假", "", CIT_VETO)

typedef enum {
#define CI_ENUM(e, item, id, zh, unit, type) e,
    COUNTY_INPUT_FIELDS(CI_ENUM)
#undef CI_ENUM
    CI_FIELD_COUNT
} county_input_field;

/* The subjects of 3.9 and the groups of 4.1, in table order. */
#define CI_SUBJECT_COUNT 6
#define CI_GROUP_COUNT 6
extern const char *const CI_SUBJECT_KEYS[CI_SUBJECT_COUNT];     /* "chinese", "math", ... */
extern const char *const CI_SUBJECT_NAMES_ZH[CI_SUBJECT_COUNT]; /* "语文", ... */
extern const char *const CI_GROUP_KEYS[CI_GROUP_COUNT];         /* "students", "parents", ... */
extern const char *const CI_GROUP_NAMES_ZH[CI_GROUP_COUNT];

/* The three fields of subject k: level, share_level3_or_above, school_difference_rate. */
static inline county_input_field ci_subject_field(int subject, int which)
{
    return (county_input_field)(CI_QM_chinese_LEVEL + 3 * subject + which);
}
/* The two fields of group k: valid (which 0), recognising (which 1). */
static inline county_input_field ci_group_field(int group, int which)
{
    return (county_input_field)(CI_SR_students_VALID + 2 * group + which);
}

typedef struct {
    county_input_field field;
    item_id item;
    const char *key;       /* field id within its item: "teacher_avg_pay_yuan", "math.level", "present" */
    const char *label_zh;  /* Chinese label */
    const char *unit;      /* "元", "人", "" */
    county_input_type type;
    double min, max;       /* accepted range (inclusive), from the type */
} county_input_def;

/* The table; index it with county_input_field. */
extern const county_input_def COUNTY_INPUT_DEFS[CI_FIELD_COUNT];

/* A parts-of-whole relation: Σ parts ≤ Σ wholes (each side 1–4 fields, -1 ends a side). */
typedef struct {
    int parts[4];
    int wholes[2];
    const char *text_zh;   /* "在公办学校就读数 + 在政府购买学位的民办学校就读数 ≤ 符合条件的随迁子女数" */
    const char *text_en;   /* "in_public_schools + in_purchased_private_places <= eligible_migrant_children" */
} county_input_relation;

extern const county_input_relation COUNTY_INPUT_RELATIONS[];
extern const size_t COUNTY_INPUT_RELATION_COUNT;

/* The field of `item` whose id or Chinese label is `key`, or -1. */
int county_input_find(item_id item, const char *key);

/* The first field of any item whose id is `key` (to tell a county a field
 * sits under another item), or -1. */
int county_input_find_any(const char *key);

/* One field's value. */
typedef struct {
    bool present;          /* given; absent fields leave their item pending */
    double value;          /* count, yuan, ratio, level; 1 / 0 for yes / no and present / absent */
    bool as_percent;       /* a ratio written with '%' (value holds the ratio) */
    char *evidence;        /* owned; NULL when none given */
} county_input_value;

/* Every field of one county and period. Zero-initialise (all absent). */
typedef struct {
    county_input_value v[CI_FIELD_COUNT];
    county_input_value extra_veto[RULES_EXTRA_VETO_MAX]; /* field `present` of the province vetoes
                                                            (rules_config.extra_veto, same order) */
} county_inputs;

/* Frees the evidence strings and marks every field absent. */
void county_inputs_clear(county_inputs *self);

/* Sets one field (present) with its value and evidence (copied; NULL or ""
 * for none), replacing what it held. Returns 0, or -1 when out of memory
 * (the field is then unchanged). */
int county_inputs_set(county_inputs *self, county_input_field field, double value, bool as_percent,
                      const char *evidence);

/* Sets the answer of province veto k (1 present, 0 absent) with its
 * evidence; as county_inputs_set. */
int county_inputs_set_extra_veto(county_inputs *self, int k, double value, const char *evidence);

/* Whether any field of `item` is present. */
bool county_inputs_has_item(const county_inputs *self, item_id item);

/* Deep-copies src into dst (dst is cleared first). Returns 0, or -1 when
 * out of memory (dst is then cleared). */
int county_inputs_copy(county_inputs *dst, const county_inputs *src);

/* Applies a new revision: for every item that `rev` carries (any field
 * present), all of that item's fields in self are replaced by rev's (fields
 * rev leaves absent become absent); other items stay; a province veto rev
 * answers replaces self's answer. Returns 0, or -1 when
 * out of memory (self is then unchanged). */
int county_inputs_merge(county_inputs *self, const county_inputs *rev);

#endif
