/* plan.c -- the plan's figures, their stored JSON form, and the plan set
 * beside a county's measured status. See plan.h. */
#include "plan.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const plan_column_def PLAN_FIGURES[PLAN_FIGURE_COUNT] = {
    { "cv_primary", "cv_target_primary", "小学差异系数目标", "小学综合差异系数" },
    { "cv_junior", "cv_target_junior", "初中差异系数目标", "初中综合差异系数" },
    { "qualified_teachers", "qualified_teachers_pct", "高于规定学历教师数达标学校占比", NULL },
    { "backbone_teachers", "backbone_teachers_pct", "骨干教师数达标学校占比", NULL },
    { "pe_art_teachers", "pe_art_teachers_pct", "体育艺术专任教师数达标学校占比", NULL },
    { "teaching_area", "teaching_area_pct", "生均教学及辅助用房面积达标学校占比", NULL },
    { "sports_area", "sports_area_pct", "生均体育运动场馆面积达标学校占比", NULL },
    { "equipment_value", "equipment_value_pct", "生均教学仪器设备值达标学校占比", NULL },
    { "multimedia_rooms", "multimedia_rooms_pct", "网络多媒体教室数达标学校占比", NULL },
    { "all_seven", "all_seven_ok_pct", "七项指标均达标学校占比", NULL },
    { "class_size", "standard_class_size_pct", "标准班额学校占比", NULL },
    { "school_scale", "school_scale_ok_pct", "规模达标学校占比", NULL },
};

const plan_column_def PLAN_YEARS[PLAN_YEAR_COUNT] = {
    { "city_review", "city_review_year", "市级评估年份", NULL },
    { "province_apply", "province_apply_year", "申报省级评估年份", NULL },
    { "national_recognition", "national_recognition_year", "国家认定年份", NULL },
};

/* See plan.h. */
bool plan_figure_is_share(plan_figure f)
{
    return f >= PLAN_SHARE_FIRST && f < PLAN_FIGURE_COUNT;
}

/* See plan.h. */
void plan_row_init(plan_row *r)
{
    memset(r, 0, sizeof *r);
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++)
        r->planned[f] = NAN;
}

/* See plan.h. */
char *plan_row_to_json(const plan_row *r)
{
    json_t *o = json_object(), *years = json_object();
    int bad = !o || !years;
    for (int f = 0; !bad && f < PLAN_FIGURE_COUNT; f++)
        if (isfinite(r->planned[f]))
            bad = json_object_set_new(o, PLAN_FIGURES[f].key, json_real(r->planned[f])) != 0;
    for (int y = 0; !bad && y < PLAN_YEAR_COUNT; y++)
        if (r->year[y] > 0)
            bad = json_object_set_new(years, PLAN_YEARS[y].key, json_integer(r->year[y])) != 0;
    char *text = NULL;
    if (!bad && json_object_set(o, "years", years) == 0)
        text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    json_decref(years);
    json_decref(o);
    return text;
}

/* See plan.h. */
int plan_row_from_json(const char *text, plan_row *out)
{
    json_t *o = json_loads(text, 0, NULL);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return -1;
    }
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++) {
        json_t *v = json_object_get(o, PLAN_FIGURES[f].key);
        out->planned[f] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    json_t *years = json_object_get(o, "years");
    for (int y = 0; y < PLAN_YEAR_COUNT; y++)
        out->year[y] = (int32_t)json_integer_value(json_object_get(years, PLAN_YEARS[y].key));
    json_decref(o);
    return 0;
}

/* 100 k / n, or NaN when n is 0. */
static double percent(int64_t k, int64_t n)
{
    return n > 0 ? 100.0 * (double)k / (double)n : NAN;
}

/* See plan.h. */
void plan_measure(const county_status *st, double measured[PLAN_FIGURE_COUNT])
{
    for (int s = 0; s < STAGE_COUNT; s++) {
        double worst = NAN;
        for (int i = 0; i < IND_COUNT; i++) {
            const indicator_status *ind = &st->stage[s].ind[i];
            if (ind->cv_defined && (isnan(worst) || ind->cv > worst))
                worst = ind->cv;
        }
        measured[PLAN_CV_PRIMARY + s] = worst;
    }
    int64_t assessed = 0, meeting[IND_COUNT] = { 0 }, all = 0;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *sec = &st->sections[j];
        if (sec->excluded != EXCL_NONE)
            continue;
        assessed++;
        for (int i = 0; i < IND_COUNT; i++)
            meeting[i] += (sec->met_mask >> i) & 1u;
        all += sec->met == IND_COUNT;
    }
    for (int i = 0; i < IND_COUNT; i++)
        measured[PLAN_SHARE_FIRST + i] = percent(meeting[i], assessed);
    measured[PLAN_ALL_SEVEN] = percent(all, assessed);
    const guarantee_status *cs = &st->guarantee[GUAR_CLASS_SIZE], *sc = &st->guarantee[GUAR_SCHOOL_SCALE];
    measured[PLAN_CLASS_SIZE] = percent(cs->schools_complying, cs->schools_applicable);
    measured[PLAN_SCHOOL_SCALE] = percent(sc->schools_complying, sc->schools_applicable);
}

/* See plan.h. */
void plan_compare(const plan_row *plan, const county_status *st, plan_status *out)
{
    memset(out, 0, sizeof *out);
    out->plan = plan;
    if (!plan)
        return;
    double measured[PLAN_FIGURE_COUNT];
    plan_measure(st, measured);
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++) {
        plan_figure_status *fs = &out->fig[f];
        fs->planned_set = isfinite(plan->planned[f]);
        fs->planned = plan->planned[f];
        fs->measured = measured[f];
        if (!fs->planned_set || isnan(fs->measured))
            continue;
        fs->behind = plan_figure_is_share((plan_figure)f) ? fs->measured < fs->planned - 1e-9
                                                          : fs->measured > fs->planned + 1e-9;
        out->n_behind += fs->behind;
    }
    out->due = plan->year[PLAN_YEAR_PROVINCE_APPLY] > 0 ? plan->year[PLAN_YEAR_PROVINCE_APPLY]
                                                         : plan->year[PLAN_YEAR_CITY_REVIEW];
    out->behind_in_due_year = out->due > 0 && st->period == out->due && out->n_behind > 0;
}

/* key: a real, or null when not finite. */
static void kv_real_or_null(json_writer *w, const char *key, double x)
{
    json_writer_key(w, key);
    if (isfinite(x))
        json_writer_real(w, x);
    else
        json_writer_null(w);
}

/* key: a year, or null when 0. */
static void kv_year(json_writer *w, const char *key, int32_t year)
{
    json_writer_key(w, key);
    if (year > 0)
        json_writer_int(w, year);
    else
        json_writer_null(w);
}

/* See plan.h. */
void plan_status_write_json(json_writer *w, const plan_status *ps)
{
    json_writer_key(w, "plan");
    if (!ps || !ps->plan) {
        json_writer_null(w);
        return;
    }
    const plan_row *p = ps->plan;
    json_writer_object_begin(w);
    json_writer_kv_int(w, "revision", p->revision);
    json_writer_kv_str(w, "imported_at", p->imported_at[0] ? p->imported_at : NULL);
    char period[16];
    snprintf(period, sizeof period, "%d", (int)p->period);
    json_writer_kv_str(w, "applies_to", p->period > 0 ? period : "every_year");
    json_writer_key(w, "figures");
    json_writer_object_begin(w);
    for (int f = 0; f < PLAN_FIGURE_COUNT; f++) {
        const plan_figure_status *fs = &ps->fig[f];
        if (!fs->planned_set)
            continue;
        json_writer_key(w, PLAN_FIGURES[f].key);
        json_writer_object_begin(w);
        json_writer_kv_str(w, "unit", plan_figure_is_share((plan_figure)f) ? "percent" : "coefficient");
        kv_real_or_null(w, "planned", fs->planned);
        kv_real_or_null(w, "measured", fs->measured);
        json_writer_kv_bool(w, "behind", fs->behind);
        json_writer_object_end(w);
    }
    json_writer_object_end(w);
    json_writer_key(w, "years");
    json_writer_object_begin(w);
    for (int y = 0; y < PLAN_YEAR_COUNT; y++)
        kv_year(w, PLAN_YEARS[y].key, p->year[y]);
    json_writer_object_end(w);
    json_writer_kv_int(w, "behind_count", ps->n_behind);
    json_writer_kv_bool(w, "behind", ps->n_behind > 0);
    kv_year(w, "due", ps->due);
    json_writer_kv_bool(w, "behind_in_due_year", ps->behind_in_due_year);
    json_writer_object_end(w);
}
