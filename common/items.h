/* items.h -- the one table of every item of the standard: the 32 items
 * 1.1–4.1 that a county must meet, in the four parts of the whole verdict,
 * and the six vetoes 5.1–5.6 (一票否决). Every part of junheng that names an
 * item (the county-inputs file, the whole-verdict engine, the status, the
 * reports) reads this table; the numbering is the one counties use in their
 * self-assessment table (自评表).
 *
 * Pure: constant data and lookups, no I/O. */
#ifndef JUNHENG_ITEMS_H
#define JUNHENG_ITEMS_H

#include <stdbool.h>
#include <stddef.h>

/* The four parts of the verdict, and the vetoes. */
typedef enum {
    PART_RESOURCE = 0,   /* 资源配置 1.1–1.7 */
    PART_GUARANTEE,      /* 政府保障程度 2.1–2.15 */
    PART_QUALITY,        /* 教育质量 3.1–3.9 */
    PART_RECOGNITION,    /* 社会认可度 4.1 */
    PART_VETO,           /* 否决项 5.1–5.6 */
    PART_COUNT
} item_part;

/* Where an item's facts come from. */
typedef enum {
    SOURCE_SCHOOL_DATA = 0,        /* school submissions */
    SOURCE_COUNTY_INPUT,           /* the county education bureau's inputs */
    SOURCE_EXTERNAL,               /* external results sent by the county with their source */
    SOURCE_SCHOOL_AND_COUNTY,      /* school data judged against a county input (2.6) */
    SOURCE_COMPUTED,               /* a figure the engine computed from other facts */
    SOURCE_RULES,                  /* a threshold or choice of the rules file */
    SOURCE_COUNT
} item_source;

/* X(enum, number, id, name_zh, part, source, per_stage, indicator, guarantee)
 * indicator: the indicator_id of a resource item, else -1;
 * guarantee: the guarantee_id (assess.h) of an item school data decides, else -1. */
#define ITEM_LIST(X)                                                                                              \
    X(ITEM_1_1, "1.1", "qualified_teachers", "每百名学生拥有高于规定学历教师数", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 0, -1) \
    X(ITEM_1_2, "1.2", "backbone_teachers", "每百名学生拥有县级以上骨干教师数", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 1, -1) \
    X(ITEM_1_3, "1.3", "pe_art_teachers", "每百名学生拥有体育、艺术（美术、音乐）专任教师数", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 2, -1) \
    X(ITEM_1_4, "1.4", "teaching_area", "生均教学及辅助用房面积", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 3, -1) \
    X(ITEM_1_5, "1.5", "sports_area", "生均体育运动场馆面积", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 4, -1) \
    X(ITEM_1_6, "1.6", "equipment_value", "生均教学仪器设备值", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 5, -1) \
    X(ITEM_1_7, "1.7", "multimedia_rooms", "每百名学生拥有网络多媒体教室数", PART_RESOURCE, SOURCE_SCHOOL_DATA, true, 6, -1) \
    X(ITEM_2_1, "2.1", "layout_planning", "学校规划布局合理", PART_GUARANTEE, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_2_2, "2.2", "uniform_standards", "城乡\"四统一\"", PART_GUARANTEE, SOURCE_COUNTY_INPUT, true, -1, -1) \
    X(ITEM_2_3, "2.3", "music_art_rooms", "音乐美术专用教室", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, 0) \
    X(ITEM_2_4, "2.4", "school_scale", "学校规模", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, 1) \
    X(ITEM_2_5, "2.5", "class_size", "班额", PART_GUARANTEE, SOURCE_SCHOOL_DATA, true, -1, 2) \
    X(ITEM_2_6, "2.6", "small_school_funding", "不足100名学生的学校按100人核定公用经费", PART_GUARANTEE, SOURCE_SCHOOL_AND_COUNTY, true, -1, -1) \
    X(ITEM_2_7, "2.7", "special_education_funding", "特殊教育学校生均公用经费", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, -1) \
    X(ITEM_2_8, "2.8", "teacher_pay", "教师平均工资不低于公务员", PART_GUARANTEE, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_2_9, "2.9", "teacher_training", "教师五年360学时培训", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, 4) \
    X(ITEM_2_10, "2.10", "teacher_staffing", "统筹分配编制和岗位", PART_GUARANTEE, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_2_11, "2.11", "teacher_exchange", "教师交流轮岗", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, 5) \
    X(ITEM_2_12, "2.12", "teacher_certification", "教师持证上岗", PART_GUARANTEE, SOURCE_SCHOOL_DATA, false, -1, 3) \
    X(ITEM_2_13, "2.13", "nearby_enrolment", "就近划片入学", PART_GUARANTEE, SOURCE_SCHOOL_DATA, true, -1, 6) \
    X(ITEM_2_14, "2.14", "senior_high_places", "优质高中招生名额分配", PART_GUARANTEE, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_2_15, "2.15", "migrant_and_left_behind", "随迁子女就读、留守儿童关爱", PART_GUARANTEE, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_1, "3.1", "junior_retention", "初中三年巩固率", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_2, "3.2", "disabled_enrolment", "残疾儿童少年入学率", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_3, "3.3", "charters_and_it", "学校章程、管理与教学信息化", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_4, "3.4", "training_budget", "教师培训经费", PART_QUALITY, SOURCE_SCHOOL_DATA, false, -1, 7) \
    X(ITEM_3_5, "3.5", "it_in_teaching", "信息化手段、设施设备利用", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_6, "3.6", "moral_education", "德育、校园文化良好以上", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_7, "3.7", "curriculum", "课程开齐开足、教学秩序规范", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_8, "3.8", "homework_burden", "无过重课业负担", PART_QUALITY, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_3_9, "3.9", "quality_monitoring", "国家义务教育质量监测", PART_QUALITY, SOURCE_EXTERNAL, false, -1, -1) \
    X(ITEM_4_1, "4.1", "social_recognition", "社会认可度", PART_RECOGNITION, SOURCE_EXTERNAL, false, -1, -1) \
    X(ITEM_5_1, "5.1", "exam_admission", "以考试方式招生", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_5_2, "5.2", "irregular_school_choice", "违规择校", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_5_3, "5.3", "key_schools_or_classes", "重点学校或重点班", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_5_4, "5.4", "unfilled_or_outside_quota", "有编不补或长期聘用编外教师", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_5_5, "5.5", "major_accident_or_violation", "重大安全责任事故或严重违纪违规", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1) \
    X(ITEM_5_6, "5.6", "falsification", "弄虚作假", PART_VETO, SOURCE_COUNTY_INPUT, false, -1, -1)

/* Every item, in the order of the table (1.1 first, 5.6 last). */
typedef enum {
#define ITEM_ENUM(e, num, id, zh, part, src, ps, ind, guar) e,
    ITEM_LIST(ITEM_ENUM)
#undef ITEM_ENUM
    ITEM_COUNT
} item_id;

/* The items a county must meet (1.1–4.1); the rest (5.1–5.6) are vetoes. */
#define ITEM_SCORED_COUNT ((int)ITEM_5_1)
#define ITEM_VETO_COUNT (ITEM_COUNT - ITEM_SCORED_COUNT)

typedef struct {
    item_id item;
    const char *number;     /* "2.8", as in the self-assessment table */
    const char *key;        /* English id, "teacher_pay" */
    const char *name_zh;    /* "教师平均工资不低于公务员" */
    item_part part;
    item_source source;
    bool per_stage;         /* judged separately for primary and junior (thresholds or values per stage) */
    int indicator;          /* indicator_id of a resource item, else -1 */
    int guarantee;          /* guarantee_id of an item school data decides, else -1 */
} item_def;

/* The table; index it with item_id. */
extern const item_def ITEMS[ITEM_COUNT];

/* Part ids ("resource_allocation", "guarantee", "quality", "recognition",
 * "veto") and their Chinese names, indexed by item_part. */
extern const char *const ITEM_PART_KEYS[PART_COUNT];
extern const char *const ITEM_PART_NAMES_ZH[PART_COUNT];

/* Source ids ("school_data", "county_input", "external",
 * "school_data_and_county_input", "computed", "rules"), indexed by item_source. */
extern const char *const ITEM_SOURCE_KEYS[SOURCE_COUNT];

/* The item whose number ("2.8") or English id ("teacher_pay") is `text`
 * (surrounding spaces not allowed), or NULL. */
const item_def *item_find(const char *text);

/* Whether the item is a veto (5.1–5.6). */
static inline bool item_is_veto(item_id item)
{
    return (int)item >= ITEM_SCORED_COUNT && item < ITEM_COUNT;
}

#endif
