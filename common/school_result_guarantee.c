/* school_result_guarantee.c -- why a per-school government-guarantee item
 * (docs/rules.md §6) complies, fails or does not apply to one school, in
 * Chinese and English, from the same facts assess_guarantees() reads. See
 * school_result.h. */
#include "school_result.h"

#include <stdio.h>

/* A school's totals over its present stages. */
typedef struct {
    int64_t classes, students, teachers;
} school_totals;

/* Classes, students and teachers of sub's present stages (as assess_guarantees adds them). */
static school_totals totals_of(const submission *sub)
{
    school_totals t = { 0, 0, 0 };
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present)
            continue;
        t.classes += (int64_t)sd->n_class_sizes;
        t.students += sd->students;
        t.teachers += sd->teachers;
    }
    return t;
}

/* Rooms of at least min_area (as assess_guarantee.c counts them). */
static int64_t rooms_at_least(const rules_config *rules, const double *areas, size_t n, double min_area)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rules_at_least(rules, areas[i], min_area))
            k++;
    return k;
}

/* Why an item does not apply to the school. */
static void not_applicable(const school_info *school, const submission *sub, guarantee_id g, char *zh, size_t zn,
                           char *en, size_t enn)
{
    if (!sub) {
        snprintf(zh, zn, "未填报，无法判断");
        snprintf(en, enn, "no submission: cannot be judged");
    } else if (school->kind == KIND_SPECIAL) {
        snprintf(zh, zn, "特殊教育学校不参加此项");
        snprintf(en, enn, "special-education schools take no part in this item");
    } else if (g == GUAR_CLASS_SIZE) {
        snprintf(zh, zn, "未填报班额");
        snprintf(en, enn, "no class sizes given");
    } else if (g == GUAR_TEACHER_CERTIFICATION || g == GUAR_TEACHER_TRAINING) {
        snprintf(zh, zn, "无专任教师");
        snprintf(en, enn, "no full-time teachers");
    } else if (g == GUAR_NEARBY_ENROLMENT) {
        snprintf(zh, zn, "仅适用于招收新生的城区、镇区公办非寄宿学校");
        snprintf(en, enn, "applies to urban and town public non-boarding schools that took new entrants");
    } else if (g == GUAR_TRAINING_BUDGET) {
        snprintf(zh, zn, "无公用经费预算");
        snprintf(en, enn, "no public-funds budget");
    } else {
        snprintf(zh, zn, "不适用");
        snprintf(en, enn, "does not apply");
    }
}

/* music_art_rooms: rooms big enough against max(1, ⌈classes / 12⌉) of each kind. */
static void rooms_reason(const rules_config *rules, const submission *sub, char *zh, size_t zn, char *en, size_t enn)
{
    int64_t per = rules->classes_per_room > 0 ? rules->classes_per_room : 1;
    int64_t classes = totals_of(sub).classes;
    int64_t need = (classes + per - 1) / per;
    if (need < 1)
        need = 1;
    int64_t music = rooms_at_least(rules, sub->music_room_areas_m2, sub->n_music_rooms, rules->music_room_min_area_m2);
    int64_t art = rooms_at_least(rules, sub->art_room_areas_m2, sub->n_art_rooms, rules->art_room_min_area_m2);
    snprintf(zh, zn, "%lld 个班需音乐、美术专用教室各 %lld 间（音乐教室不小于 %g 平方米、美术教室不小于 %g 平方米），"
             "达到面积的音乐教室 %lld 间、美术教室 %lld 间",
             (long long)classes, (long long)need, rules->music_room_min_area_m2, rules->art_room_min_area_m2,
             (long long)music, (long long)art);
    snprintf(en, enn, "%lld classes need %lld music and %lld art rooms (at least %g and %g m²); "
             "%lld music and %lld art rooms are big enough",
             (long long)classes, (long long)need, (long long)need, rules->music_room_min_area_m2,
             rules->art_room_min_area_m2, (long long)music, (long long)art);
}

/* class_size: classes above the stage's limit. */
static void class_reason(const rules_config *rules, const submission *sub, char *zh, size_t zn, char *en, size_t enn)
{
    int64_t over = 0, classes = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present)
            continue;
        for (size_t c = 0; c < sd->n_class_sizes; c++, classes++)
            if (sd->class_sizes[c] > rules->class_size_max[s])
                over++;
    }
    snprintf(zh, zn, "%lld 个班中 %lld 个超过规定班额（小学 %lld 人、初中 %lld 人）", (long long)classes,
             (long long)over, (long long)rules->class_size_max[STAGE_PRIMARY],
             (long long)rules->class_size_max[STAGE_JUNIOR]);
    snprintf(en, enn, "%lld of %lld classes above the limit (primary %lld, junior %lld students)", (long long)over,
             (long long)classes, (long long)rules->class_size_max[STAGE_PRIMARY],
             (long long)rules->class_size_max[STAGE_JUNIOR]);
}

/* nearby_enrolment: per stage with new entrants, in-zone entrants against the ratio. */
static void nearby_reason(const rules_config *rules, const submission *sub, char *zh, size_t zn, char *en, size_t enn)
{
    size_t oz = 0, oe = 0;
    zh[0] = en[0] = '\0';
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_data *sd = &sub->stage[s];
        if (!sd->present || sd->new_entrants <= 0)
            continue;
        if (oz < zn)
            oz += (size_t)snprintf(zh + oz, zn - oz, "%s%s新生 %lld 人中划片内 %lld 人（需 %g%%）", oz ? "；" : "",
                                   STAGE_NAMES_ZH[s], (long long)sd->new_entrants,
                                   (long long)sd->new_entrants_in_zone, 100.0 * rules->nearby_min_ratio[s]);
        if (oe < enn)
            oe += (size_t)snprintf(en + oe, enn - oe, "%s%s: %lld of %lld new entrants in zone (%g %% required)",
                                   oe ? "; " : "", STAGE_KEYS[s], (long long)sd->new_entrants_in_zone,
                                   (long long)sd->new_entrants, 100.0 * rules->nearby_min_ratio[s]);
    }
}

void school_result_guarantee_reason(const rules_config *rules, const school_info *school, const submission *sub,
                                    guarantee_id g, bool applies, bool complies, char *zh, size_t zh_size, char *en,
                                    size_t en_size)
{
    (void)complies; /* the facts say it; the caller shows the verdict beside them */
    if (!applies || !sub) {
        not_applicable(school, sub, g, zh, zh_size, en, en_size);
        return;
    }
    school_totals t = totals_of(sub);
    bool through = school->kind == KIND_NINE_YEAR || school->kind == KIND_TWELVE_YEAR;
    int64_t limit = through ? rules->school_scale_max_through : rules->school_scale_max_single;
    switch (g) {
    case GUAR_MUSIC_ART_ROOMS:
        rooms_reason(rules, sub, zh, zh_size, en, en_size);
        break;
    case GUAR_SCHOOL_SCALE:
        snprintf(zh, zh_size, "义务教育学生 %lld 人，规模上限 %lld 人", (long long)t.students, (long long)limit);
        snprintf(en, en_size, "%lld compulsory students; the limit is %lld", (long long)t.students, (long long)limit);
        break;
    case GUAR_CLASS_SIZE:
        class_reason(rules, sub, zh, zh_size, en, en_size);
        break;
    case GUAR_TEACHER_CERTIFICATION:
    case GUAR_TEACHER_TRAINING: {
        bool cert = g == GUAR_TEACHER_CERTIFICATION;
        int64_t k = cert ? sub->certified_teachers : sub->trained_teachers;
        double ratio = cert ? rules->certification_min_ratio : rules->training_min_ratio;
        snprintf(zh, zh_size, "专任教师 %lld 人中%s %lld 人（需 %g%%）", (long long)t.teachers,
                 cert ? "持证" : "完成五年360学时培训", (long long)k, 100.0 * ratio);
        snprintf(en, en_size, "%lld of %lld full-time teachers %s (%g %% required)", (long long)k,
                 (long long)t.teachers, cert ? "certified" : "trained 360 hours in five years", 100.0 * ratio);
        break;
    }
    case GUAR_NEARBY_ENROLMENT:
        nearby_reason(rules, sub, zh, zh_size, en, en_size);
        break;
    case GUAR_TRAINING_BUDGET: {
        double share = sub->public_funds_yuan > 0 ? 100.0 * sub->training_spend_yuan / sub->public_funds_yuan : 0;
        snprintf(zh, zh_size, "教师培训经费 %.0f 元，占公用经费 %.0f 元的 %.1f%%（需 %g%%）", sub->training_spend_yuan,
                 sub->public_funds_yuan, share, 100.0 * rules->training_budget_min_ratio);
        snprintf(en, en_size, "training spend %.0f of %.0f yuan public funds, %.1f %% (%g %% required)",
                 sub->training_spend_yuan, sub->public_funds_yuan, share, 100.0 * rules->training_budget_min_ratio);
        break;
    }
    default:
        not_applicable(school, sub, g, zh, zh_size, en, en_size);
        break;
    }
}
