/* rectify_costs.c -- the unit costs of the cheapest path: the items, their
 * defaults (deploy/plan/costs.csv ships the same values) and the costs-file
 * reader. See rectify.h; docs/plan.md explains every cost. */
#include "rectify.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const plan_cost_def PLAN_COST_ITEMS[COST_COUNT] = {
    { "qualified_teacher", "yuan/teacher-year", "高于规定学历教师（每人每年）", 100000 },
    { "backbone_teacher", "yuan/teacher-year", "县级以上骨干教师（每人每年）", 120000 },
    { "pe_art_teacher", "yuan/teacher-year", "体育、艺术专任教师（每人每年）", 100000 },
    { "teacher_years", "years", "教师费用计算年数", 3 },
    { "teaching_area", "yuan/m2", "教学及辅助用房（每平方米）", 3000 },
    { "sports_area", "yuan/m2", "体育运动场馆（每平方米）", 300 },
    { "equipment", "yuan/yuan", "教学仪器设备（每元）", 1 },
    { "multimedia_room", "yuan/room", "网络多媒体教室（每间）", 80000 },
    { "music_room", "yuan/room", "音乐专用教室（每间，标准面积）", 348000 },
    { "art_room", "yuan/room", "美术专用教室（每间，标准面积）", 310000 },
};

void plan_costs_default(plan_costs *self)
{
    for (int i = 0; i < COST_COUNT; i++)
        self->yuan[i] = PLAN_COST_ITEMS[i].national;
}

/* Trims spaces at both ends of s in place; returns s. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Splits line at commas into at most max fields (trimmed); returns the count. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (n < max)
            fields[n] = trim(p);
        n++;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

/* The index of the cost item called key, or -1. */
static int cost_item_by_key(const char *key)
{
    for (int i = 0; i < COST_COUNT; i++)
        if (strcmp(PLAN_COST_ITEMS[i].key, key) == 0)
            return i;
    return -1;
}

/* Reads one data line into vals (seen marks repeats); 0, or -1 with err set. */
static int parse_cost_line(char **f, int nf, int lineno, double *vals, int *seen, char *err, size_t errsize)
{
    if (nf != 3) {
        snprintf(err, errsize, "line %d: expected 3 columns (item,unit,yuan), found %d", lineno, nf);
        return -1;
    }
    int item = cost_item_by_key(f[0]);
    if (item < 0) {
        snprintf(err, errsize, "line %d: unknown item '%s'", lineno, f[0]);
        return -1;
    }
    if (seen[item]) {
        snprintf(err, errsize, "line %d: item '%s' repeated (first on line %d)", lineno, f[0], seen[item]);
        return -1;
    }
    if (strcmp(f[1], PLAN_COST_ITEMS[item].unit) != 0) {
        snprintf(err, errsize, "line %d: item '%s' has unit '%s', expected '%s'", lineno, f[0], f[1],
                 PLAN_COST_ITEMS[item].unit);
        return -1;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(f[2], &end);
    bool positive_needed = item == COST_TEACHER_YEARS;
    if (f[2][0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < 0 || (positive_needed && v <= 0)) {
        snprintf(err, errsize, "line %d: item '%s': '%s' is not a number %s", lineno, f[0], f[2],
                 positive_needed ? "above 0" : "of at least 0");
        return -1;
    }
    vals[item] = v;
    seen[item] = lineno;
    return 0;
}

int plan_costs_parse(plan_costs *self, const char *text, char *err, size_t errsize)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errsize = sizeof dummy;
    }
    if (!self || !text) {
        snprintf(err, errsize, "no costs text");
        return PLAN_EINVAL;
    }
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;   /* a byte-order mark, as spreadsheets write */
    double vals[COST_COUNT];
    int seen[COST_COUNT] = { 0 };
    memcpy(vals, self->yuan, sizeof vals);
    bool header = false;
    int lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char line[512];
        if (len >= sizeof line) {
            snprintf(err, errsize, "line %d: too long", lineno);
            return PLAN_EINVAL;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : p + len;
        char *s = trim(line);
        if (s[0] == '\0' || s[0] == '#')
            continue;
        char *f[3];
        int nf = split_fields(s, f, 3);
        if (!header) {
            if (nf != 3 || strcmp(f[0], "item") != 0 || strcmp(f[1], "unit") != 0 || strcmp(f[2], "yuan") != 0) {
                snprintf(err, errsize, "line %d: the header must be item,unit,yuan", lineno);
                return PLAN_EINVAL;
            }
            header = true;
            continue;
        }
        if (parse_cost_line(f, nf, lineno, vals, seen, err, errsize) != 0)
            return PLAN_EINVAL;
    }
    if (!header) {
        snprintf(err, errsize, "no header (item,unit,yuan)");
        return PLAN_EINVAL;
    }
    memcpy(self->yuan, vals, sizeof vals);
    return PLAN_OK;
}

double plan_additions_cost(const plan_additions *add, const plan_costs *costs)
{
    const double *c = costs->yuan;
    double years = c[COST_TEACHER_YEARS];
    double total = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int h = 0; h < HIRE_COUNT; h++)
            total += (double)add->teachers[s][h] * c[COST_QUALIFIED_TEACHER + h] * years;
    total += add->teaching_area_m2 * c[COST_TEACHING_AREA] + add->sports_area_m2 * c[COST_SPORTS_AREA] +
             add->equipment_yuan * c[COST_EQUIPMENT] + (double)add->multimedia_rooms * c[COST_MULTIMEDIA_ROOM] +
             (double)add->music_rooms * c[COST_MUSIC_ROOM] + (double)add->art_rooms * c[COST_ART_ROOM];
    return total;
}

bool plan_additions_empty(const plan_additions *add)
{
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int h = 0; h < HIRE_COUNT; h++)
            if (add->teachers[s][h] != 0)
                return false;
    return add->teaching_area_m2 == 0 && add->sports_area_m2 == 0 && add->equipment_yuan == 0 &&
           add->multimedia_rooms == 0 && add->music_rooms == 0 && add->art_rooms == 0;
}
