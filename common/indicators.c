/* indicators.c -- the table of the seven resource indicators. See indicators.h. */
#include "indicators.h"

#include <string.h>

const indicator_def INDICATORS[IND_COUNT] = {
    { IND_QUALIFIED_TEACHERS, "qualified_teachers", "每百名学生拥有高于规定学历教师数",
      "teachers/100 students", "teachers", "高于规定学历教师", 100.0, false, true, { 4.2, 5.3 } },
    { IND_BACKBONE_TEACHERS, "backbone_teachers", "每百名学生拥有县级以上骨干教师数",
      "teachers/100 students", "teachers", "县级以上骨干教师", 100.0, false, true, { 1.0, 1.0 } },
    { IND_PE_ART_TEACHERS, "pe_art_teachers", "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
      "teachers/100 students", "teachers", "体育艺术专任教师", 100.0, false, true, { 0.9, 0.9 } },
    { IND_TEACHING_AREA, "teaching_area", "生均教学及辅助用房面积",
      "m²/student", "m²", "教学及辅助用房面积", 1.0, true, false, { 4.5, 5.8 } },
    { IND_SPORTS_AREA, "sports_area", "生均体育运动场馆面积",
      "m²/student", "m²", "体育运动场馆面积", 1.0, true, false, { 7.5, 10.2 } },
    { IND_EQUIPMENT_VALUE, "equipment_value", "生均教学仪器设备值",
      "yuan/student", "yuan", "教学仪器设备值", 1.0, true, false, { 2000.0, 2500.0 } },
    { IND_MULTIMEDIA_ROOMS, "multimedia_rooms", "每百名学生拥有网络多媒体教室数",
      "rooms/100 students", "rooms", "网络多媒体教室", 100.0, true, true, { 2.3, 2.4 } },
};

const char *const STAGE_KEYS[STAGE_COUNT] = { "primary", "junior" };
const char *const STAGE_NAMES_ZH[STAGE_COUNT] = { "小学", "初中" };

const indicator_def *indicator_by_key(const char *key)
{
    if (!key)
        return NULL;
    for (int i = 0; i < IND_COUNT; i++)
        if (strcmp(INDICATORS[i].key, key) == 0)
            return &INDICATORS[i];
    return NULL;
}
