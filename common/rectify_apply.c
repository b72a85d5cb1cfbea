/* rectify_apply.c -- a plan's additions applied to a submission, what the
 * planner reads of a school (through the rules engine's own functions), the
 * naive plan, and the county assessed with a plan. See rectify.h, rectify_int.h. */
#include "rectify_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double plan_ceil_units(const rules_config *rules, double x)
{
    double r = nearbyint(x);
    if (fabs(x - r) <= rules->equality_tolerance * fmax(1.0, fabs(x)))
        x = r;
    else
        x = ceil(x);
    return x > 0 ? x : 0;
}

/* Appends k rooms of `area` to a list of room areas. 0, or -1 when out of memory. */
static int append_rooms(double **areas, size_t *n, int64_t k, double area)
{
    if (k <= 0)
        return 0;
    double *grown = realloc(*areas, (*n + (size_t)k) * sizeof **areas);
    if (!grown)
        return -1;
    for (int64_t i = 0; i < k; i++)
        grown[*n + (size_t)i] = area;
    *areas = grown;
    *n += (size_t)k;
    return 0;
}

int plan_apply(const rules_config *rules, const submission *sub, const plan_additions *add, submission *out)
{
    if (submission_copy(out, sub) != 0)
        return PLAN_ENOMEM;
    int64_t hired = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        stage_data *sd = &out->stage[s];
        int64_t n = add->teachers[s][HIRE_QUALIFIED] + add->teachers[s][HIRE_BACKBONE] +
                    add->teachers[s][HIRE_PE_ART];
        if (n == 0)
            continue;
        sd->present = true;
        sd->teachers += n;
        sd->qualified_teachers += add->teachers[s][HIRE_QUALIFIED];
        sd->backbone_teachers += add->teachers[s][HIRE_BACKBONE];
        sd->pe_art_teachers += add->teachers[s][HIRE_PE_ART];
        hired += n;
    }
    out->certified_teachers += hired;
    out->trained_teachers += hired;
    out->teaching_area_m2 += add->teaching_area_m2;
    out->sports_area_m2 += add->sports_area_m2;
    out->equipment_value_yuan += add->equipment_yuan;
    out->multimedia_rooms += add->multimedia_rooms;
    if (append_rooms(&out->music_room_areas_m2, &out->n_music_rooms, add->music_rooms,
                     rules->music_room_min_area_m2) != 0 ||
        append_rooms(&out->art_room_areas_m2, &out->n_art_rooms, add->art_rooms, rules->art_room_min_area_m2) != 0) {
        submission_clear(out);
        return PLAN_ENOMEM;
    }
    return PLAN_OK;
}

/* Rooms of at least min_area (the rules' comparison). */
static int64_t rooms_at_least(const rules_config *rules, const double *areas, size_t n, double min_area)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rules_at_least(rules, areas[i], min_area))
            k++;
    return k;
}

/* The music and art rooms a school must add for item 2.3 (§6 music_art_rooms). */
static void rooms_needed(const rules_config *rules, const submission *sub, int64_t *music, int64_t *art)
{
    int64_t classes = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (sub->stage[s].present)
            classes += (int64_t)sub->stage[s].n_class_sizes;
    int64_t per = rules->classes_per_room > 0 ? rules->classes_per_room : 1;
    int64_t need = (classes + per - 1) / per;
    if (need < 1)
        need = 1;
    int64_t m = need - rooms_at_least(rules, sub->music_room_areas_m2, sub->n_music_rooms,
                                      rules->music_room_min_area_m2);
    int64_t a = need - rooms_at_least(rules, sub->art_room_areas_m2, sub->n_art_rooms, rules->art_room_min_area_m2);
    *music = m > 0 ? m : 0;
    *art = a > 0 ? a : 0;
}

int plan_geom(const rules_config *rules, const school_info *info, const submission *sub, plan_school_geom *g)
{
    memset(g, 0, sizeof *g);
    if (!sub)
        return PLAN_OK;   /* not submitted: nothing to plan on (a submitted school is counted) */
    g->plannable = true;
    school_eval *ev = malloc(sizeof *ev);
    if (!ev)
        return PLAN_ENOMEM;
    assess_school(rules, info, sub, ev);
    for (int s = 0; s < STAGE_COUNT; s++) {
        const section_status *sec = &ev->sec[s];
        if (!ev->listed[s] || !section_included(sec))
            continue;
        g->included[s] = true;
        g->students[s] = sec->students;
        for (int k = 0; k < IND_COUNT; k++) {
            g->resource[s][k] = sec->resource[k];
            g->need[s][k] = rules->standard[k][s] * (double)sec->students / INDICATORS[k].per;
        }
    }
    /* The share of one unit of a school total, by the rules' own splitting:
     * a shallow copy holding one m² of teaching area (its lists are not read). */
    submission probe = *sub;
    probe.teaching_area_m2 = 1.0;
    assess_sections(rules, info, &probe, ev);
    for (int s = 0; s < STAGE_COUNT; s++)
        if (g->included[s])
            g->share[s] = ev->sec[s].resource[IND_TEACHING_AREA];
    free(ev);
    if (info->kind != KIND_SPECIAL)
        rooms_needed(rules, sub, &g->music_rooms_needed, &g->art_rooms_needed);
    return PLAN_OK;
}

void plan_naive_additions(const rules_config *rules, const school_info *info, const submission *sub,
                          plan_additions *out)
{
    memset(out, 0, sizeof *out);
    plan_school_geom g;
    if (plan_geom(rules, info, sub, &g) != PLAN_OK || !g.plannable)
        return;
    double total[IND_COUNT] = { 0 };
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!g.included[s])
            continue;
        for (int k = 0; k < IND_COUNT; k++) {
            double gap = g.need[s][k] * (1 - PLAN_MEET_SLACK) - g.resource[s][k];
            if (gap <= 0)
                continue;
            if (!INDICATORS[k].school_wide)
                out->teachers[s][k] = (int64_t)plan_ceil_units(rules, gap);
            else if (g.share[s] > 0)
                total[k] = fmax(total[k], plan_ceil_units(rules, gap / g.share[s]));
        }
    }
    out->teaching_area_m2 = total[IND_TEACHING_AREA];
    out->sports_area_m2 = total[IND_SPORTS_AREA];
    out->equipment_yuan = total[IND_EQUIPMENT_VALUE];
    out->multimedia_rooms = (int64_t)total[IND_MULTIMEDIA_ROOMS];
    out->music_rooms = g.music_rooms_needed;
    out->art_rooms = g.art_rooms_needed;
}

county_status *plan_assess(const plan_request *req, const plan_additions *add)
{
    size_t n = req->n_schools;
    assess_entry *entries = calloc(n ? n : 1, sizeof *entries);
    submission *subs = calloc(n ? n : 1, sizeof *subs);
    county_status *st = NULL;
    size_t made = 0;
    if (!entries || !subs)
        goto done;
    for (; made < n; made++) {
        entries[made] = req->schools[made];
        if (!add || !req->schools[made].sub)
            continue;
        if (plan_apply(req->rules, req->schools[made].sub, &add[made], &subs[made]) != PLAN_OK)
            goto done;
        entries[made].sub = &subs[made];
    }
    st = county_assess(req->rules, req->county, req->period, entries, n);
done:
    if (subs)
        for (size_t i = 0; i < made; i++)
            submission_clear(&subs[i]);
    free(subs);
    free(entries);
    return st;
}
