/* items.c -- the table of every item of the standard. See items.h. */
#include "items.h"

#include <string.h>

const item_def ITEMS[ITEM_COUNT] = {
#define ITEM_ROW(e, num, id, zh, part, src, ps, ind, guar) { e, num, id, zh, part, src, ps, ind, guar },
    ITEM_LIST(ITEM_ROW)
#undef ITEM_ROW
};

const char *const ITEM_PART_KEYS[PART_COUNT] = { "resource_allocation", "guarantee", "quality", "recognition",
                                                 "veto" };
const char *const ITEM_PART_NAMES_ZH[PART_COUNT] = { "资源配置", "政府保障程度", "教育质量", "社会认可度",
                                                     "否决项" };
const char *const ITEM_SOURCE_KEYS[SOURCE_COUNT] = { "school_data", "county_input", "external",
                                                     "school_data_and_county_input", "computed", "rules" };

const item_def *item_find(const char *text)
{
    if (!text)
        return NULL;
    for (int i = 0; i < ITEM_COUNT; i++)
        if (strcmp(ITEMS[i].number, text) == 0 || strcmp(ITEMS[i].key, text) == 0)
            return &ITEMS[i];
    return NULL;
}
