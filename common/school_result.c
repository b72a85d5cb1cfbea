/* school_result.c -- one school's own status JSON (docs/formats.md "A
 * school's own status"): its sections against each standard, what each
 * needs, its guarantee items with their reasons, its revisions, and the
 * county's verdict with the caveat that a school's pass is not its
 * county's. See school_result.h. */
#include "school_result.h"

#include <stdio.h>
#include <string.h>

#include "assess_school.h"
#include "json_writer.h"
#include "shortfall_text.h"
#include "status_json.h"

/* The Chinese of why a section is not assessed. */
static void exclusion_zh(const rules_config *rules, section_exclusion e, char *buf, size_t size)
{
    if (e == EXCL_SPECIAL)
        snprintf(buf, size, "特殊教育学校");
    else if (e == EXCL_SMALL_TEACHING_POINT)
        snprintf(buf, size, "不足 %lld 人的教学点", (long long)rules->teaching_point_min_students);
    else if (e == EXCL_NO_STUDENTS)
        snprintf(buf, size, "本学段无学生");
    else
        buf[0] = '\0';
}

/* The shortfall of indicator i in sec, or NULL when it meets its standard. */
static const shortfall *shortfall_of(const section_status *sec, int i)
{
    for (int k = 0; k < sec->n_shortfalls; k++)
        if ((int)sec->shortfalls[k].indicator == i)
            return &sec->shortfalls[k];
    return NULL;
}

/* One entry of "needs": what the section needs to reach one standard. */
static void need_json(json_writer *w, const shortfall *sf)
{
    const indicator_def *def = &INDICATORS[sf->indicator];
    char text[192];
    json_writer_object_begin(w);
    json_writer_kv_str(w, "indicator", def->key);
    json_writer_kv_str(w, "name_zh", def->name_zh);
    json_writer_key(w, "value");
    json_writer_real(w, sf->value);
    json_writer_key(w, "standard");
    json_writer_real(w, sf->standard);
    json_writer_key(w, "ratio");
    json_writer_real(w, sf->ratio);
    json_writer_key(w, "needed");
    json_writer_real(w, sf->needed);
    json_writer_key(w, "amount");
    json_writer_real(w, shortfall_whole_amount(sf->needed));
    json_writer_kv_str(w, "unit", def->resource_unit);
    json_writer_kv_str(w, "text_zh", shortfall_need_zh(def, sf->needed, text, sizeof text));
    json_writer_object_end(w);
}

/* One entry of "sections": a stage of the school against its standards. */
static void section_json(json_writer *w, const rules_config *rules, const section_status *sec)
{
    bool included = sec->excluded == EXCL_NONE;
    char zh[64];
    json_writer_object_begin(w);
    json_writer_kv_str(w, "stage", STAGE_KEYS[sec->stage]);
    json_writer_kv_str(w, "stage_zh", STAGE_NAMES_ZH[sec->stage]);
    json_writer_kv_int(w, "students", sec->students);
    json_writer_kv_str(w, "excluded", included ? NULL : sec->excluded_reason);
    exclusion_zh(rules, sec->excluded, zh, sizeof zh);
    json_writer_kv_text(w, "excluded_zh", zh);
    json_writer_key(w, "indicators");
    json_writer_array_begin(w);
    for (int i = 0; i < IND_COUNT; i++) {
        json_writer_object_begin(w);
        json_writer_kv_str(w, "id", INDICATORS[i].key);
        json_writer_kv_str(w, "name_zh", INDICATORS[i].name_zh);
        json_writer_key(w, "value");
        json_writer_real(w, sec->value[i]);
        json_writer_key(w, "standard");
        json_writer_real(w, rules->standard[i][sec->stage]);
        json_writer_key(w, "met");
        if (included)
            json_writer_bool(w, (sec->met_mask >> i) & 1u);
        else
            json_writer_null(w);
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
    status_json_kv_section_verdict(w, sec);
    json_writer_key(w, "needs");
    json_writer_array_begin(w);
    for (int i = 0; included && i < IND_COUNT; i++) {
        const shortfall *sf = shortfall_of(sec, i);
        if (sf)
            need_json(w, sf);
    }
    json_writer_array_end(w);
    json_writer_object_end(w);
}

/* The "guarantee" object: every per-school item with its reason, and the
 * county-wide teacher exchange with the school's part of it. */
static void guarantee_json(json_writer *w, const rules_config *rules, const school_info *school,
                           const submission *sub, const school_eval *ev)
{
    json_writer_object_begin(w);
    for (int g = 0; g < GUAR_COUNT; g++) {
        char zh[512], en[512];
        json_writer_key(w, GUARANTEES[g].key);
        json_writer_object_begin(w);
        json_writer_kv_str(w, "name_zh", GUARANTEES[g].name_zh);
        if (g == GUAR_TEACHER_EXCHANGE) {
            json_writer_kv_bool(w, "county_wide", true);
            json_writer_kv_bool(w, "applies", false);
            json_writer_key(w, "complies");
            json_writer_null(w);
            json_writer_kv_int(w, "eligible", sub ? sub->exchange_eligible_teachers : 0);
            json_writer_kv_int(w, "exchanged", sub ? sub->exchanged_teachers : 0);
            json_writer_kv_int(w, "exchanged_backbone", sub ? sub->exchanged_backbone_teachers : 0);
            json_writer_kv_str(w, "reason", "全县统计：本校的交流轮岗人数计入县域合计");
            json_writer_kv_str(w, "reason_en", "judged county-wide: the school's exchanged teachers count in the "
                                               "county's totals");
        } else {
            bool applies = ev->g_applicable[g];
            school_result_guarantee_reason(rules, school, sub, (guarantee_id)g, applies, ev->g_complies[g], zh,
                                           sizeof zh, en, sizeof en);
            json_writer_kv_bool(w, "county_wide", false);
            json_writer_kv_bool(w, "applies", applies);
            json_writer_key(w, "complies");
            if (applies)
                json_writer_bool(w, ev->g_complies[g]);
            else
                json_writer_null(w);
            json_writer_kv_str(w, "unit", GUARANTEE_UNIT_KEYS[GUARANTEES[g].unit]);
            json_writer_kv_int(w, "complying", ev->g_units_complying[g]);
            json_writer_kv_int(w, "applicable", ev->g_units_applicable[g]);
            json_writer_kv_str(w, "reason", zh);
            json_writer_kv_str(w, "reason_en", en);
        }
        json_writer_object_end(w);
    }
    json_writer_object_end(w);
}

/* The "revisions" array and the "period_state" object. */
static void review_json(json_writer *w, const school_result_ctx *ctx)
{
    json_writer_key(w, "revisions");
    json_writer_array_begin(w);
    for (size_t i = 0; i < ctx->n_revisions; i++) {
        const school_result_revision *r = &ctx->revisions[i];
        json_writer_object_begin(w);
        json_writer_kv_int(w, "revision", r->revision);
        json_writer_kv_str(w, "state", r->state);
        json_writer_kv_str(w, "state_zh", r->state_zh);
        json_writer_kv_bool(w, "newest", r->newest);
        json_writer_kv_bool(w, "counted", r->counted);
        json_writer_object_end(w);
    }
    json_writer_array_end(w);
    json_writer_key(w, "period_state");
    if (!ctx->has_period) {
        json_writer_null(w);
        return;
    }
    json_writer_object_begin(w);
    char closes[16] = "";
    if (ctx->closes_on > 0)
        snprintf(closes, sizeof closes, "%04d-%02d-%02d", (int)(ctx->closes_on / 10000),
                 (int)(ctx->closes_on / 100 % 100), (int)(ctx->closes_on % 100));
    json_writer_kv_text(w, "closes", closes);
    json_writer_kv_bool(w, "closed", ctx->closed);
    json_writer_kv_str(w, "admission", ctx->admission);
    json_writer_object_end(w);
}

/* The "county_verdict" object with the caveat. */
static void county_verdict_json(json_writer *w, const school_result_ctx *ctx)
{
    json_writer_key(w, "county_verdict");
    json_writer_object_begin(w);
    json_writer_kv_str(w, "verdict", ctx->county_verdict);
    json_writer_kv_str(w, "verdict_zh", ctx->county_verdict_zh);
    json_writer_kv_str(w, "reason", ctx->county_verdict_reason);
    json_writer_kv_str(w, "reason_en", ctx->county_verdict_reason_en);
    json_writer_object_end(w);
    json_writer_kv_str(w, "caveat_zh", "学校各项达标不等于县域达标：县域结论还要看校际差异系数、政府保障程度、"
                                       "教育质量、社会认可度和否决项");
    json_writer_kv_str(w, "caveat", "a school that meets its standards does not make its county pass: the "
                                    "county's verdict also rests on the difference coefficients, government "
                                    "guarantee, education quality, social recognition and the vetoes");
}

/* The "school" and "county" objects. */
static void identity_json(json_writer *w, const county_info *county, const school_info *school)
{
    json_writer_key(w, "school");
    json_writer_object_begin(w);
    json_writer_kv_str(w, "code", school->school_code);
    json_writer_kv_str(w, "name", school->name);
    json_writer_kv_str(w, "kind", SCHOOL_KIND_KEYS[school->kind]);
    json_writer_kv_str(w, "kind_zh", SCHOOL_KIND_NAMES_ZH[school->kind]);
    json_writer_kv_str(w, "location", LOCATION_KEYS[school->location]);
    json_writer_kv_bool(w, "active", school->active);
    json_writer_object_end(w);
    char city[COUNTY_CODE_LEN + 1];
    snprintf(city, sizeof city, "%.4s00", county->code);
    json_writer_key(w, "county");
    json_writer_object_begin(w);
    json_writer_kv_str(w, "code", county->code);
    json_writer_kv_str(w, "name", county->name);
    json_writer_kv_str(w, "city_code", city);
    json_writer_object_end(w);
}

char *school_result_render(const rules_config *rules, const county_info *county, const school_info *school,
                           const submission *sub, int32_t period, const school_result_ctx *ctx)
{
    school_eval ev;
    assess_school(rules, school, sub, &ev);
    json_writer w;
    json_writer_init(&w);
    json_writer_object_begin(&w);
    identity_json(&w, county, school);
    char text[16];
    snprintf(text, sizeof text, "%d", (int)period);
    json_writer_kv_str(&w, "period", text);
    json_writer_kv_str(&w, "view", ctx->view);
    json_writer_kv_str(&w, "computed_at", ctx->computed_at);
    json_writer_kv_str(&w, "rules_version", rules->version);
    json_writer_kv_bool(&w, "submitted", sub != NULL);
    json_writer_key(&w, "revision");
    const school_result_revision *counted = NULL;
    for (size_t i = 0; i < ctx->n_revisions; i++)
        if (ctx->revisions[i].counted)
            counted = &ctx->revisions[i];
    if (counted)
        json_writer_int(&w, counted->revision);
    else
        json_writer_null(&w);
    json_writer_key(&w, "sections");
    json_writer_array_begin(&w);
    int assessed = 0, passing = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!ev.listed[s])
            continue;
        section_json(&w, rules, &ev.sec[s]);
        if (ev.sec[s].excluded == EXCL_NONE) {
            assessed++;
            passing += ev.sec[s].pass;
        }
    }
    json_writer_array_end(&w);
    json_writer_key(&w, "sections_pass");
    if (assessed)
        json_writer_bool(&w, passing == assessed);
    else
        json_writer_null(&w);
    json_writer_key(&w, "guarantee");
    guarantee_json(&w, rules, school, sub, &ev);
    review_json(&w, ctx);
    county_verdict_json(&w, ctx);
    json_writer_object_end(&w);
    return json_writer_take(&w);
}
