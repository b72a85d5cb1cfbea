/* admin_names.c -- see admin_names.h. The codes are GB/T 2260's as in use
 * since 2019 (莱芜市 3712 merged into 济南市 then, so it has no entry). */
#include "admin_names.h"

#include <stddef.h>
#include <string.h>

/* One named area: its 2-digit (province) or 4-digit (city) prefix. */
typedef struct {
    const char *prefix;
    const char *name;
} area_name;

static const area_name AREAS[] = {
    { "11", "北京市" }, { "12", "天津市" }, { "13", "河北省" }, { "14", "山西省" },
    { "15", "内蒙古自治区" }, { "21", "辽宁省" }, { "22", "吉林省" }, { "23", "黑龙江省" },
    { "31", "上海市" }, { "32", "江苏省" }, { "33", "浙江省" }, { "34", "安徽省" },
    { "35", "福建省" }, { "36", "江西省" }, { "37", "山东省" }, { "41", "河南省" },
    { "42", "湖北省" }, { "43", "湖南省" }, { "44", "广东省" }, { "45", "广西壮族自治区" },
    { "46", "海南省" }, { "50", "重庆市" }, { "51", "四川省" }, { "52", "贵州省" },
    { "53", "云南省" }, { "54", "西藏自治区" }, { "61", "陕西省" }, { "62", "甘肃省" },
    { "63", "青海省" }, { "64", "宁夏回族自治区" }, { "65", "新疆维吾尔自治区" },
    /* Shandong's prefecture-level cities */
    { "3701", "济南市" }, { "3702", "青岛市" }, { "3703", "淄博市" }, { "3704", "枣庄市" },
    { "3705", "东营市" }, { "3706", "烟台市" }, { "3707", "潍坊市" }, { "3708", "济宁市" },
    { "3709", "泰安市" }, { "3710", "威海市" }, { "3711", "日照市" }, { "3713", "临沂市" },
    { "3714", "德州市" }, { "3715", "聊城市" }, { "3716", "滨州市" }, { "3717", "菏泽市" },
};

const char *admin_area_name(const admin_code *area)
{
    if (!area || !area->code[0])
        return NULL;
    size_t want = area->kind == ADMIN_PROVINCE ? 2 : 4;
    for (size_t i = 0; i < sizeof AREAS / sizeof AREAS[0]; i++)
        if (strlen(AREAS[i].prefix) == want && strncmp(AREAS[i].prefix, area->code, want) == 0)
            return AREAS[i].name;
    return NULL;
}
