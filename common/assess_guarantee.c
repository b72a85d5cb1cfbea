/* assess_guarantee.c -- the government-guarantee items that school data
 * shows (docs/rules.md §6): one school's flags, and the county-wide
 * teacher-exchange verdict. See assess_school.h; docs/rules.md says how each
 * item was read. */
#include "assess_school.h"

#include <string.h>

const guarantee_def GUARANTEES[GUAR_COUNT] = {
    { "music_art_rooms", "音乐美术专用教室", GUNIT_SCHOOLS },
    { "school_scale", "学校规模", GUNIT_SCHOOLS },
    { "class_size", "班额", GUNIT_CLASSES },
    { "teacher_certification", "教师持证上岗", GUNIT_SCHOOLS },
    { "teacher_training", "教师五年360学时培训", GUNIT_SCHOOLS },
    { "teacher_exchange", "教师交流轮岗", GUNIT_TEACHERS },
    { "nearby_enrolment", "就近划片入学", GUNIT_SCHOOLS },
    { "training_budget", "教师培训经费", GUNIT_SCHOOLS },
};

const char *const GUARANTEE_UNIT_KEYS[3] = { "schools", "classes", "teachers" };

/* Records a per-school item that applies to the school. */
static void set_item(school_eval *out, guarantee_id g, bool complies)
{
    out->g_applicable[g] = true;
    out->g_complies[g] = complies;
    out->g_units_applicable[g] = 1;
    out->g_units_complying[g] = complies ? 1 : 0;
}

/* Rooms of at least min_area (tolerance as in §1). */
static int64_t rooms_at_least(const rules_config *rules, const double *areas, size_t n, double min_area)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rules_at_least(rules, areas[i], min_area))
            k++;
    return k;
}

/* music_art_rooms: max(1, ⌈classes / 12⌉) rooms of each kind, each big enough. */
static void assess_music_art_rooms(const rules_config *rules, const submission *sub, int64_t classes,
                                   school_eval *out)
{
    int64_t per = rules->classes_per_room > 0 ? rules->classes_per_room : 1;
    int64_t need = (classes + per - 1) / per;
    if (need < 1)
        need = 1;
    bool rooms_ok = rooms_at_least(rules, sub->music_room_areas_m2, sub->n_music_rooms,
                                   rules->music_room_min_area_m2) >= need &&
                    rooms_at_least(rules, sub->art_room_areas_m2, sub->n_art_rooms,
                                   rules->art_room_min_area_m2) >= need;
    set_item(out, GUAR_MUSIC_ART_ROOMS, rooms_ok);
}

/* class_size: counted in classes; the school complies when every class does. */
static void assess_class_size(const rules_config *rules, const submission *sub, int64_t classes, school_eval *out)
{
    if (classes <= 0)
        return;
    int64_t ok = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present)
            continue;
        for (size_t c = 0; c < sd->n_class_sizes; c++)
            if (sd->class_sizes[c] <= rules->class_size_max[s])
                ok++;
    }
    out->g_applicable[GUAR_CLASS_SIZE] = true;
    out->g_complies[GUAR_CLASS_SIZE] = ok == classes;
    out->g_units_applicable[GUAR_CLASS_SIZE] = classes;
    out->g_units_complying[GUAR_CLASS_SIZE] = ok;
}

/* nearby_enrolment: urban and town public non-boarding schools, each stage
 * that took new entrants. */
static void assess_nearby_enrolment(const rules_config *rules, const school_info *info, const submission *sub,
                                    school_eval *out)
{
    if (!((info->location == LOCATION_URBAN || info->location == LOCATION_TOWN) && info->is_public &&
          !info->boarding))
        return;
    bool any = false, ok = true;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present || sd->new_entrants <= 0)
            continue;
        any = true;
        if (!rules_ratio_at_least(rules, (double)sd->new_entrants_in_zone, (double)sd->new_entrants,
                                  rules->nearby_min_ratio[s]))
            ok = false;
    }
    if (any)
        set_item(out, GUAR_NEARBY_ENROLMENT, ok);
}

void assess_guarantees(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out)
{
    for (int g = 0; g < GUAR_COUNT; g++) {
        out->g_applicable[g] = false;
        out->g_complies[g] = false;
        out->g_units_applicable[g] = 0;
        out->g_units_complying[g] = 0;
    }
    memset(&out->exchange, 0, sizeof out->exchange);
    /* No item of §6 names special-education schools, so they take no part. */
    if (!sub || info->kind == KIND_SPECIAL)
        return;

    int64_t classes = 0, students = 0, teachers = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present)
            continue;
        classes += (int64_t)sd->n_class_sizes;
        students += sd->students;
        teachers += sd->teachers;
    }

    assess_music_art_rooms(rules, sub, classes, out);

    /* school_scale: compulsory students against the limit of the school's kind. */
    bool through = info->kind == KIND_NINE_YEAR || info->kind == KIND_TWELVE_YEAR;
    int64_t limit = through ? rules->school_scale_max_through : rules->school_scale_max_single;
    set_item(out, GUAR_SCHOOL_SCALE, students <= limit);

    assess_class_size(rules, sub, classes, out);

    /* teacher_certification / teacher_training: schools with full-time teachers. */
    if (teachers > 0) {
        set_item(out, GUAR_TEACHER_CERTIFICATION,
                 rules_ratio_at_least(rules, (double)sub->certified_teachers, (double)teachers,
                                      rules->certification_min_ratio));
        set_item(out, GUAR_TEACHER_TRAINING,
                 rules_ratio_at_least(rules, (double)sub->trained_teachers, (double)teachers,
                                      rules->training_min_ratio));
    }

    /* teacher_exchange: county-wide; the school only adds to the totals. */
    out->exchange.eligible = sub->exchange_eligible_teachers;
    out->exchange.exchanged = sub->exchanged_teachers;
    out->exchange.exchanged_backbone = sub->exchanged_backbone_teachers;

    assess_nearby_enrolment(rules, info, sub, out);

    /* training_budget: schools with a public-funds budget. */
    if (sub->public_funds_yuan > 0)
        set_item(out, GUAR_TRAINING_BUDGET,
                 rules_ratio_at_least(rules, sub->training_spend_yuan, sub->public_funds_yuan,
                                      rules->training_budget_min_ratio));
}

bool assess_exchange_pass(const rules_config *rules, const exchange_totals *t)
{
    if (t->eligible <= 0)
        return true;   /* nobody eligible: nothing is required */
    return rules_ratio_at_least(rules, (double)t->exchanged, (double)t->eligible, rules->exchange_min_ratio) &&
           rules_ratio_at_least(rules, (double)t->exchanged_backbone, (double)t->exchanged,
                                rules->exchange_backbone_min_ratio);
}
