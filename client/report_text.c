/* report_text.c -- the words the report's HTML and CSV tables share: a
 * shortfall as a Chinese sentence, a county's failing and pending items,
 * the title of the area a report is about, one county's status as the
 * answer the writers read. See report.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_names.h"
#include "header_match.h"
#include "indicators.h"
#include "report.h"
#include "shortfall_text.h"

void report_shortfall_text(const status_shortfall *sf, char *buf, size_t size)
{
    const indicator_def *def = indicator_by_key(sf->indicator);
    char need[192] = "";
    if (def)
        shortfall_need_zh(def, sf->needed, need, sizeof need);
    snprintf(buf, size, "%s(%s) %.2f/%.2f (%.1f%%)：%s", def ? def->name_zh : "", sf->indicator, sf->value,
             sf->standard, 100.0 * sf->ratio, need);
}

char *report_shortfalls_text(const status_section *sec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    for (size_t j = 0; j < sec->n_shortfalls; j++) {
        char one[512];
        report_shortfall_text(&sec->shortfalls[j], one, sizeof one);
        fprintf(m, "%s%s", j ? "; " : "", one);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *report_items_text(const status_county *s, const char *outcome)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->n_items; i++) {
        const status_item *it = &s->items[i];
        if (strcmp(it->outcome, outcome) == 0)
            fprintf(m, "%s%s %s", n++ ? "；" : "", it->number, it->name_zh);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

void report_area_title(const admin_code *area, const char *county_name, char *buf, size_t size)
{
    const char *city = admin_area_name(area);
    const char *county = area->kind == ADMIN_COUNTY && county_name ? county_name : "";
    const char *code = area->kind == ADMIN_COUNTY ? area->code : area->prefix;
    if (city || *county)
        snprintf(buf, size, "%s%s (%s)", city ? city : "", county, code);
    else
        snprintf(buf, size, "%s", code);
}

json_t *report_county_answer(json_t *status, const char *code)
{
    const char *epoch = json_string_value(json_object_get(status, "epoch"));
    const char *view = json_string_value(json_object_get(status, "view"));
    json_t *list = json_array(), *answer = json_object();
    int rc = list && answer ? 0 : -1;
    if (rc == 0)
        rc = json_object_set_new(answer, "prefix", json_string(code)) |
             json_object_set_new(answer, "epoch", json_string(epoch ? epoch : ""));
    if (rc == 0 && view)
        rc = json_object_set_new(answer, "view", json_string(view));
    if (rc == 0)
        rc = json_array_append(list, status);
    if (rc == 0) {
        rc = json_object_set_new(answer, "counties", list);
        list = NULL;
    }
    json_decref(list);
    json_decref(status);
    if (rc != 0) {
        json_decref(answer);
        return NULL;
    }
    return answer;
}
