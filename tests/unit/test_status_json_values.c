/* test_status_json_values.c -- every number of the status JSON against values
 * computed here, by hand-written formulas straight from the input numbers
 * (docs/rules.md), never by calling the engine: each section's seven values,
 * met, pass and shortfalls (value, standard, ratio, needed); each stage's
 * students, counts, and per indicator the standard, mean, difference
 * coefficient, limit, cv_ok, sections meeting and top contributors; the
 * coverage, guarantee counts and every verdict. Both the from-scratch path
 * (county_assess) and the daemon's incremental one (county_state) are
 * rendered to JSON text, parsed back and checked. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "status_json.h"
#include "test_rules_util.h"

/* The national standards (docs/rules.md §1), written out here on purpose. */
static const double STD[IND_COUNT][STAGE_COUNT] = {
    { 4.2, 5.3 }, { 1.0, 1.0 }, { 0.9, 0.9 }, { 4.5, 5.8 }, { 7.5, 10.2 }, { 2000, 2500 }, { 2.3, 2.4 },
};
static const double PER[IND_COUNT] = { 100, 100, 100, 1, 1, 1, 100 };   /* per 100 students or per student */
static const bool WHOLE[IND_COUNT] = { true, true, true, false, false, false, true }; /* teachers, rooms */
static const double CV_LIMIT[STAGE_COUNT] = { 0.50, 0.45 };
static const double WEIGHT_P = 1.0, WEIGHT_J = 1.1, WEIGHT_S = 1.32;
#define TOP_K 5

/* One school of the test county: registry row and submission, as numbers. */
typedef struct {
    int n;                      /* school code 37140200nn */
    school_kind kind;
    school_location location;
    bool is_public, boarding, active, submitted;
    bool present[STAGE_COUNT];
    int64_t students[STAGE_COUNT], teachers[STAGE_COUNT], qualified[STAGE_COUNT], backbone[STAGE_COUNT],
        pe_art[STAGE_COUNT];
    int64_t classes[STAGE_COUNT], class_size[STAGE_COUNT], big_classes[STAGE_COUNT]; /* big: class_size + 10 */
    int64_t entrants[STAGE_COUNT], in_zone[STAGE_COUNT];
    double teaching, sports, equipment;
    int64_t rooms;
    int music_rooms, art_rooms;
    double music_area, art_area;
    int64_t certified, trained, eligible, exchanged, exchanged_backbone;
    double public_funds, training_spend;
} row;

#define P STAGE_PRIMARY
#define J STAGE_JUNIOR
/* Chosen so that every rule has a case: exact meets (school 1), a miss below
 * the 85 % floor (2), a passing miss (3), a split nine-year school with a
 * failing junior section (4), a junior school (5), a small teaching point (6),
 * a special school (7), a missing (8) and an inactive (9) school, a junior
 * section with no students (10), an oversized school (11), one miss at 84 %
 * of the standard (12: fails on the floor alone) and one at exactly 85 %
 * (13: passes); and the primary multimedia rooms spread beyond the
 * coefficient limit. */
static const row ROWS[] = {
    { .n = 1, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 500 }, .teachers = { 30 }, .qualified = { 21 },
      .backbone = { 5 }, .pe_art = { 5 }, .classes = { 12 }, .class_size = { 42 }, .entrants = { 80 },
      .in_zone = { 80 }, .teaching = 2250, .sports = 3750, .equipment = 1000000, .rooms = 12, .music_rooms = 1,
      .music_area = 100, .art_rooms = 1, .art_area = 95, .certified = 30, .trained = 30, .eligible = 10,
      .exchanged = 1, .exchanged_backbone = 1, .public_funds = 500000, .training_spend = 25000 },
    { .n = 2, .kind = KIND_PRIMARY, .location = LOCATION_TOWN, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 400 }, .teachers = { 25 }, .qualified = { 20 },
      .backbone = { 3 }, .pe_art = { 4 }, .classes = { 9 }, .class_size = { 40 }, .big_classes = { 1 },
      .entrants = { 70 }, .in_zone = { 66 }, .teaching = 2000, .sports = 3200, .equipment = 900000, .rooms = 40,
      .music_rooms = 1, .music_area = 100, .art_rooms = 1, .art_area = 95, .certified = 24, .trained = 25,
      .eligible = 20, .exchanged = 2, .exchanged_backbone = 0, .public_funds = 400000, .training_spend = 10000 },
    { .n = 3, .kind = KIND_PRIMARY, .location = LOCATION_RURAL, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 600 }, .teachers = { 30 }, .qualified = { 24 },
      .backbone = { 6 }, .pe_art = { 6 }, .classes = { 15 }, .class_size = { 40 }, .entrants = { 100 },
      .in_zone = { 90 }, .teaching = 3000, .sports = 4800, .equipment = 1500000, .rooms = 15, .music_rooms = 2,
      .music_area = 96, .art_rooms = 2, .art_area = 90, .certified = 30, .trained = 29, .eligible = 10,
      .exchanged = 2, .exchanged_backbone = 1, .public_funds = 600000, .training_spend = 30000 },
    { .n = 4, .kind = KIND_NINE_YEAR, .location = LOCATION_URBAN, .is_public = true, .active = true,
      .submitted = true, .present = { true, true }, .students = { 600, 300 }, .teachers = { 35, 25 },
      .qualified = { 30, 18 }, .backbone = { 6, 2 }, .pe_art = { 6, 3 }, .classes = { 14, 7 },
      .class_size = { 43, 43 }, .entrants = { 100, 50 }, .in_zone = { 100, 48 }, .teaching = 4650, .sports = 9300,
      .equipment = 2232000, .rooms = 28, .music_rooms = 1, .music_area = 100, .art_rooms = 2, .art_area = 95,
      .certified = 60, .trained = 60, .eligible = 30, .exchanged = 3, .exchanged_backbone = 1 },
    { .n = 5, .kind = KIND_JUNIOR, .location = LOCATION_URBAN, .is_public = true, .boarding = true,
      .active = true, .submitted = true, .present = { false, true }, .students = { 0, 500 },
      .teachers = { 0, 40 }, .qualified = { 0, 30 }, .backbone = { 0, 6 }, .pe_art = { 0, 5 },
      .classes = { 0, 10 }, .class_size = { 0, 50 }, .entrants = { 0, 170 }, .in_zone = { 0, 150 },
      .teaching = 3000, .sports = 5500, .equipment = 1300000, .rooms = 13, .music_rooms = 1, .music_area = 100,
      .art_rooms = 1, .art_area = 95, .certified = 40, .trained = 40, .eligible = 20, .exchanged = 2,
      .public_funds = 800000, .training_spend = 40000 },
    { .n = 6, .kind = KIND_TEACHING_POINT, .location = LOCATION_RURAL, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 30 }, .teachers = { 3 }, .qualified = { 2 },
      .pe_art = { 1 }, .classes = { 3 }, .class_size = { 10 }, .teaching = 200, .sports = 300,
      .equipment = 50000, .rooms = 1, .certified = 3, .trained = 3 },
    { .n = 7, .kind = KIND_SPECIAL, .location = LOCATION_URBAN, .is_public = true, .boarding = true,
      .active = true, .submitted = true, .present = { true, false }, .students = { 100 }, .teachers = { 20 },
      .qualified = { 10 }, .backbone = { 1 }, .pe_art = { 2 }, .classes = { 10 }, .class_size = { 10 },
      .teaching = 1500, .sports = 800, .equipment = 400000, .rooms = 5, .certified = 10, .trained = 10,
      .eligible = 5 },
    { .n = 8, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = true },
    { .n = 9, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = false },
    { .n = 10, .kind = KIND_JUNIOR, .location = LOCATION_TOWN, .is_public = true, .active = true,
      .submitted = true, .present = { false, true } },
    { .n = 11, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 2100 }, .teachers = { 110 },
      .qualified = { 95 }, .backbone = { 22 }, .pe_art = { 20 }, .classes = { 47 }, .class_size = { 45 },
      .entrants = { 350 }, .in_zone = { 350 }, .teaching = 9450, .sports = 15750, .equipment = 4200000,
      .rooms = 49, .music_rooms = 4, .music_area = 100, .art_rooms = 4, .art_area = 95, .certified = 110,
      .trained = 110, .eligible = 50, .exchanged = 6, .exchanged_backbone = 2, .public_funds = 2000000,
      .training_spend = 100000 },
    { .n = 12, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 500 }, .teachers = { 30 }, .qualified = { 22 },
      .backbone = { 5 }, .pe_art = { 5 }, .classes = { 12 }, .class_size = { 40 }, .teaching = 2300,
      .sports = 3150, .equipment = 1000000, .rooms = 12, .music_rooms = 1, .music_area = 100, .art_rooms = 1,
      .art_area = 95, .certified = 30, .trained = 30 },
    { .n = 13, .kind = KIND_PRIMARY, .location = LOCATION_URBAN, .is_public = true, .active = true,
      .submitted = true, .present = { true, false }, .students = { 500 }, .teachers = { 30 }, .qualified = { 22 },
      .backbone = { 5 }, .pe_art = { 5 }, .classes = { 12 }, .class_size = { 40 }, .teaching = 2300,
      .sports = 3187.5, .equipment = 1000000, .rooms = 12, .music_rooms = 1, .music_area = 100, .art_rooms = 1,
      .art_area = 95, .certified = 30, .trained = 30 },
};
#define N_ROWS (sizeof ROWS / sizeof ROWS[0])

/* a ≥ b, equal up to 1e-9 relative counting as equal (docs/rules.md §1). */
static bool at_least(double a, double b)
{
    return a >= b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* The registry row and submission of ROWS[k] (sub owns its arrays). */
static void make_school(const row *r, school_info *info, submission *sub)
{
    *info = test_school(r->n, r->kind);
    info->location = r->location;
    info->is_public = r->is_public;
    info->boarding = r->boarding;
    info->active = r->active;
    memset(sub, 0, sizeof *sub);
    memcpy(sub->school_code, info->school_code, sizeof sub->school_code);
    sub->period = 2025;
    for (int s = 0; s < STAGE_COUNT; s++) {
        stage_data *sd = &sub->stage[s];
        sd->present = r->present[s];
        if (!sd->present)
            continue;
        sd->students = r->students[s];
        sd->teachers = r->teachers[s];
        sd->qualified_teachers = r->qualified[s];
        sd->backbone_teachers = r->backbone[s];
        sd->pe_art_teachers = r->pe_art[s];
        sd->new_entrants = r->entrants[s];
        sd->new_entrants_in_zone = r->in_zone[s];
        sd->n_class_sizes = (size_t)(r->classes[s] + r->big_classes[s]);
        sd->class_sizes = sd->n_class_sizes ? calloc(sd->n_class_sizes, sizeof(int64_t)) : NULL;
        cr_assert(sd->class_sizes || !sd->n_class_sizes);
        for (size_t c = 0; c < sd->n_class_sizes; c++)
            sd->class_sizes[c] = (int64_t)c < r->classes[s] ? r->class_size[s] : r->class_size[s] + 10;
    }
    test_physical(sub, r->teaching, r->sports, r->equipment, r->rooms);
    sub->n_music_rooms = (size_t)r->music_rooms;
    sub->music_room_areas_m2 = r->music_rooms ? calloc((size_t)r->music_rooms, sizeof(double)) : NULL;
    cr_assert(sub->music_room_areas_m2 || !r->music_rooms);
    for (int k = 0; k < r->music_rooms; k++)
        sub->music_room_areas_m2[k] = r->music_area;
    sub->n_art_rooms = (size_t)r->art_rooms;
    sub->art_room_areas_m2 = r->art_rooms ? calloc((size_t)r->art_rooms, sizeof(double)) : NULL;
    cr_assert(sub->art_room_areas_m2 || !r->art_rooms);
    for (int k = 0; k < r->art_rooms; k++)
        sub->art_room_areas_m2[k] = r->art_area;
    sub->certified_teachers = r->certified;
    sub->trained_teachers = r->trained;
    sub->exchange_eligible_teachers = r->eligible;
    sub->exchanged_teachers = r->exchanged;
    sub->exchanged_backbone_teachers = r->exchanged_backbone;
    sub->public_funds_yuan = r->public_funds;
    sub->training_spend_yuan = r->training_spend;
}

/* ---- the expected status, by hand ----------------------------------------- */

typedef struct {
    int ind;
    double value, standard, ratio, needed;
} exp_shortfall;

typedef struct {
    const row *r;
    int stage;
    int64_t students;
    const char *excluded;          /* NULL: included */
    double value[IND_COUNT];       /* NaN when students == 0 */
    int met;
    bool pass;
    exp_shortfall sf[IND_COUNT];
    int n_sf;
} exp_section;

typedef struct {
    char code[SCHOOL_CODE_LEN + 1];
    double share;
} exp_top;

typedef struct {
    int64_t sections, students, passing;
    double mean[IND_COUNT], cv[IND_COUNT]; /* NaN: null */
    bool cv_ok[IND_COUNT];
    int64_t meeting[IND_COUNT];
    exp_top top[IND_COUNT][TOP_K];
    int n_top[IND_COUNT];
    bool pass;
} exp_stage;

static exp_section EXS[2 * N_ROWS];
static size_t N_EXS;
static exp_stage EXST[STAGE_COUNT];

/* Whether a school of this kind lists stage s (docs/rules.md §2). */
static bool lists_stage(const row *r, int s)
{
    switch (r->kind) {
    case KIND_PRIMARY:
    case KIND_TEACHING_POINT:
        return s == P;
    case KIND_JUNIOR:
        return s == J;
    case KIND_NINE_YEAR:
        return true;
    case KIND_SPECIAL:
        return r->present[s];
    default:
        return false;
    }
}

/* The section's share of indicator i's resource (§3: one stage alone takes
 * the whole; otherwise by student equivalents; no senior students here). */
static double section_resource(const row *r, int s, int i)
{
    switch (i) {
    case IND_QUALIFIED_TEACHERS: return (double)r->qualified[s];
    case IND_BACKBONE_TEACHERS: return (double)r->backbone[s];
    case IND_PE_ART_TEACHERS: return (double)r->pe_art[s];
    default: break;
    }
    double total = i == IND_TEACHING_AREA ? r->teaching : i == IND_SPORTS_AREA ? r->sports
                 : i == IND_EQUIPMENT_VALUE ? r->equipment : (double)r->rooms;
    int64_t other = r->present[1 - s] ? r->students[1 - s] : 0;
    if (other == 0)
        return total;
    double w = s == P ? WEIGHT_P : WEIGHT_J;
    return total * w * (double)r->students[s] /
           (WEIGHT_P * (double)r->students[P] + WEIGHT_J * (double)r->students[J] + WEIGHT_S * 0.0);
}

/* One section: exclusion, values, the 6-of-7 / 85 % rule, shortfalls (§2, §4). */
static void expect_section(const row *r, int s, exp_section *e)
{
    memset(e, 0, sizeof *e);
    e->r = r;
    e->stage = s;
    e->students = r->present[s] ? r->students[s] : 0;
    if (r->kind == KIND_SPECIAL)
        e->excluded = "special-education school";
    else if (r->kind == KIND_TEACHING_POINT && e->students < 50)
        e->excluded = "teaching point under 50 students";
    else if (e->students == 0)
        e->excluded = "no students in this stage";
    bool floor_ok = true;
    for (int i = 0; i < IND_COUNT; i++) {
        double res = section_resource(r, s, i);
        e->value[i] = e->students > 0 ? res * PER[i] / (double)e->students : NAN;
        if (e->excluded)
            continue;
        if (at_least(e->value[i], STD[i][s])) {
            e->met++;
            continue;
        }
        exp_shortfall *sf = &e->sf[e->n_sf++];
        sf->ind = i;
        sf->value = e->value[i];
        sf->standard = STD[i][s];
        sf->ratio = e->value[i] / STD[i][s];
        sf->needed = STD[i][s] * (double)e->students / PER[i] - res;
        if (WHOLE[i])
            sf->needed = ceil(sf->needed - 1e-9);   /* whole teachers and rooms, up */
        sf->needed = fmax(sf->needed, 0.0);
        if (!at_least(sf->ratio, 0.85))
            floor_ok = false;
    }
    e->pass = !e->excluded && e->met >= 6 && floor_ok;
}

/* Shares (P_i/P)(X_i − X̄)²/S² of the included sections of stage s,
 * largest first (ties by code), at most TOP_K. */
static void expect_top(int s, int i, exp_stage *st)
{
    st->n_top[i] = 0;
    if (isnan(st->cv[i]) || !(st->cv[i] > 1e-12))
        return;
    double total = 0;
    for (size_t k = 0; k < N_EXS; k++)
        if (EXS[k].stage == s && !EXS[k].excluded)
            total += (double)EXS[k].students * pow(EXS[k].value[i] - st->mean[i], 2);
    for (size_t k = 0; k < N_EXS; k++) {
        if (EXS[k].stage != s || EXS[k].excluded)
            continue;
        exp_top t;
        school_info info = test_school(EXS[k].r->n, KIND_PRIMARY);
        snprintf(t.code, sizeof t.code, "%s", info.school_code);
        t.share = (double)EXS[k].students * pow(EXS[k].value[i] - st->mean[i], 2) / total;
        int pos = st->n_top[i];
        while (pos > 0 && (st->top[i][pos - 1].share < t.share ||
                           (st->top[i][pos - 1].share == t.share && strcmp(st->top[i][pos - 1].code, t.code) > 0)))
            pos--;
        if (pos >= TOP_K)
            continue;
        int last = st->n_top[i] < TOP_K ? st->n_top[i] : TOP_K - 1;
        for (int m = last; m > pos; m--)
            st->top[i][m] = st->top[i][m - 1];
        st->top[i][pos] = t;
        if (st->n_top[i] < TOP_K)
            st->n_top[i]++;
    }
}

/* One stage: two-pass mean and population coefficient over included
 * sections (§5), counts and the verdict. */
static void expect_stage(int s, exp_stage *st)
{
    memset(st, 0, sizeof *st);
    bool all_cv_ok = true;
    for (size_t k = 0; k < N_EXS; k++) {
        if (EXS[k].stage != s || EXS[k].excluded)
            continue;
        st->sections++;
        st->students += EXS[k].students;
        st->passing += EXS[k].pass;
    }
    for (int i = 0; i < IND_COUNT; i++) {
        double sum = 0, var = 0;
        for (size_t k = 0; k < N_EXS; k++)
            if (EXS[k].stage == s && !EXS[k].excluded) {
                sum += (double)EXS[k].students * EXS[k].value[i];
                st->meeting[i] += at_least(EXS[k].value[i], STD[i][s]);
            }
        st->mean[i] = st->sections ? sum / (double)st->students : NAN;
        for (size_t k = 0; k < N_EXS; k++)
            if (EXS[k].stage == s && !EXS[k].excluded)
                var += (double)EXS[k].students / (double)st->students * pow(EXS[k].value[i] - st->mean[i], 2);
        st->cv[i] = st->sections == 0 || st->mean[i] == 0 ? NAN : st->sections == 1 ? 0.0 : sqrt(var) / st->mean[i];
        st->cv_ok[i] = !isnan(st->cv[i]) && (st->cv[i] <= CV_LIMIT[s] || fabs(st->cv[i] - CV_LIMIT[s]) <= 1e-9);
        all_cv_ok = all_cv_ok && st->cv_ok[i];
        expect_top(s, i, st);
    }
    st->pass = st->sections > 0 && st->passing == st->sections && all_cv_ok;
}

/* Fills EXS (in code, then stage order) and EXST from ROWS[0..n). */
static void expect_county(size_t n)
{
    N_EXS = 0;
    for (size_t k = 0; k < n; k++)
        for (int s = 0; s < STAGE_COUNT; s++)
            if (ROWS[k].submitted && lists_stage(&ROWS[k], s))
                expect_section(&ROWS[k], s, &EXS[N_EXS++]);
    for (int s = 0; s < STAGE_COUNT; s++)
        expect_stage(s, &EXST[s]);
}

typedef struct {
    int64_t complying, applicable, schools_complying, schools_applicable;
    char failing[N_ROWS][SCHOOL_CODE_LEN + 1];
    size_t n_failing;
    bool pass;
} exp_guarantee;

/* Records one school's part in a per-school item. */
static void expect_item(exp_guarantee *g, const row *r, int64_t units_applicable, int64_t units_complying)
{
    g->applicable += units_applicable;
    g->complying += units_complying;
    g->schools_applicable++;
    if (units_complying == units_applicable) {
        g->schools_complying++;
    } else {
        school_info info = test_school(r->n, r->kind);
        snprintf(g->failing[g->n_failing++], SCHOOL_CODE_LEN + 1, "%s", info.school_code);
    }
}

/* The §6 items over ROWS[0..n): every submitted school but special ones. */
static void expect_guarantees(size_t n, exp_guarantee g[GUAR_COUNT], int64_t exchange[3])
{
    memset(g, 0, GUAR_COUNT * sizeof *g);
    exchange[0] = exchange[1] = exchange[2] = 0;
    for (size_t k = 0; k < n; k++) {
        const row *r = &ROWS[k];
        if (!r->submitted || r->kind == KIND_SPECIAL)
            continue;
        int64_t classes = 0, ok_classes = 0, students = 0, teachers = 0;
        static const int64_t CLASS_MAX[STAGE_COUNT] = { 45, 50 };
        for (int s = 0; s < STAGE_COUNT; s++) {
            if (!r->present[s])
                continue;
            classes += r->classes[s] + r->big_classes[s];
            ok_classes += (r->class_size[s] <= CLASS_MAX[s] ? r->classes[s] : 0) +
                          (r->class_size[s] + 10 <= CLASS_MAX[s] ? r->big_classes[s] : 0);
            students += r->students[s];
            teachers += r->teachers[s];
        }
        int64_t need = classes <= 12 ? 1 : (classes + 11) / 12;
        int64_t music = r->music_area >= 96 ? r->music_rooms : 0, art = r->art_area >= 90 ? r->art_rooms : 0;
        expect_item(&g[GUAR_MUSIC_ART_ROOMS], r, 1, music >= need && art >= need);
        int64_t limit = r->kind == KIND_NINE_YEAR || r->kind == KIND_TWELVE_YEAR ? 2500 : 2000;
        expect_item(&g[GUAR_SCHOOL_SCALE], r, 1, students <= limit);
        if (classes > 0)
            expect_item(&g[GUAR_CLASS_SIZE], r, classes, ok_classes);
        if (teachers > 0) {
            expect_item(&g[GUAR_TEACHER_CERTIFICATION], r, 1, r->certified >= teachers);
            expect_item(&g[GUAR_TEACHER_TRAINING], r, 1, r->trained >= teachers);
        }
        exchange[0] += r->eligible;
        exchange[1] += r->exchanged;
        exchange[2] += r->exchanged_backbone;
        if ((r->location == LOCATION_URBAN || r->location == LOCATION_TOWN) && r->is_public && !r->boarding) {
            bool any = false, ok = true;
            for (int s = 0; s < STAGE_COUNT; s++) {
                if (!r->present[s] || r->entrants[s] <= 0)
                    continue;
                any = true;
                double min = s == P ? 1.0 : 0.95;
                ok = ok && at_least((double)r->in_zone[s] / (double)r->entrants[s], min);
            }
            if (any)
                expect_item(&g[GUAR_NEARBY_ENROLMENT], r, 1, ok);
        }
        if (r->public_funds > 0)
            expect_item(&g[GUAR_TRAINING_BUDGET], r, 1, at_least(r->training_spend / r->public_funds, 0.05));
    }
    for (int k = 0; k < GUAR_COUNT; k++)
        g[k].pass = g[k].schools_complying == g[k].schools_applicable;
    exp_guarantee *ex = &g[GUAR_TEACHER_EXCHANGE];
    ex->applicable = exchange[0];
    ex->complying = exchange[1];
    ex->pass = exchange[0] == 0 ||
               (at_least((double)exchange[1] / (double)exchange[0], 0.10) &&
                at_least((double)exchange[2] / (double)exchange[1], 0.20));
}

/* ---- the JSON ----------------------------------------------------------------- */

/* o[key], which must be there (borrowed). */
static json_t *at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert_not_null(v, "missing %s", key);
    return v;
}

/* A JSON real close to the expected one (or null when it is NaN). */
static void check_real(json_t *v, double expected, const char *what, const char *where)
{
    if (isnan(expected)) {
        cr_assert(json_is_null(v), "%s %s: expected null", where, what);
        return;
    }
    cr_assert(json_is_number(v), "%s %s: not a number", where, what);
    cr_assert(test_close(json_number_value(v), expected), "%s %s: expected %.17g, got %.17g", where, what,
              expected, json_number_value(v));
}

/* The JSON section of (code, stage), or NULL. */
static json_t *find_section(json_t *root, const char *code, const char *stage)
{
    json_t *secs = at(root, "sections"), *sec;
    size_t k;
    json_array_foreach(secs, k, sec) {
        if (strcmp(json_string_value(at(sec, "school_code")), code) == 0 &&
            strcmp(json_string_value(at(sec, "stage")), stage) == 0)
            return sec;
    }
    return NULL;
}

/* Every expected section, value by value, in the JSON. */
static void check_sections(json_t *root)
{
    cr_assert_eq(json_array_size(at(root, "sections")), N_EXS);
    for (size_t k = 0; k < N_EXS; k++) {
        const exp_section *e = &EXS[k];
        school_info info = test_school(e->r->n, e->r->kind);
        char where[64];
        snprintf(where, sizeof where, "%s/%s", info.school_code, STAGE_KEYS[e->stage]);
        json_t *sec = find_section(root, info.school_code, STAGE_KEYS[e->stage]);
        cr_assert_not_null(sec, "%s: section missing", where);
        cr_assert_eq(json_array_get(at(root, "sections"), k), sec, "%s: not in code, stage order", where);
        cr_assert_str_eq(json_string_value(at(sec, "kind")), SCHOOL_KIND_KEYS[e->r->kind]);
        cr_assert_eq(json_integer_value(at(sec, "students")), e->students, "%s students", where);
        if (e->excluded)
            cr_assert_str_eq(json_string_value(at(sec, "excluded")), e->excluded, "%s", where);
        else
            cr_assert(json_is_null(at(sec, "excluded")), "%s: excluded", where);
        json_t *vals = at(sec, "values");
        cr_assert_eq(json_object_size(vals), IND_COUNT);
        for (int i = 0; i < IND_COUNT; i++)
            check_real(at(vals, INDICATORS[i].key), e->value[i], INDICATORS[i].key, where);
        if (e->excluded)
            cr_assert(json_is_null(at(sec, "met")), "%s met", where);
        else
            cr_assert_eq(json_integer_value(at(sec, "met")), e->met, "%s met", where);
        cr_assert_eq(json_is_true(at(sec, "pass")), e->pass, "%s pass", where);
        json_t *sfs = at(sec, "shortfalls");
        cr_assert_eq(json_array_size(sfs), (size_t)e->n_sf, "%s shortfalls", where);
        for (int m = 0; m < e->n_sf; m++) {
            json_t *sf = json_array_get(sfs, (size_t)m);
            const exp_shortfall *x = &e->sf[m];
            cr_assert_str_eq(json_string_value(at(sf, "indicator")), INDICATORS[x->ind].key, "%s", where);
            check_real(at(sf, "value"), x->value, "shortfall value", where);
            check_real(at(sf, "standard"), x->standard, "shortfall standard", where);
            check_real(at(sf, "ratio"), x->ratio, "shortfall ratio", where);
            check_real(at(sf, "needed"), x->needed, "shortfall needed", where);
        }
    }
}

/* Both stages, every indicator, in the JSON. */
static void check_stages(json_t *root)
{
    json_t *stages = at(root, "stages");
    for (int s = 0; s < STAGE_COUNT; s++) {
        const exp_stage *e = &EXST[s];
        json_t *st = at(stages, STAGE_KEYS[s]);
        const char *where = STAGE_KEYS[s];
        cr_assert_eq(json_is_true(at(st, "applicable")), e->sections > 0, "%s applicable", where);
        cr_assert_eq(json_integer_value(at(st, "sections_assessed")), e->sections, "%s sections", where);
        cr_assert_eq(json_integer_value(at(st, "students")), e->students, "%s students", where);
        cr_assert_eq(json_integer_value(at(st, "sections_passing")), e->passing, "%s passing", where);
        cr_assert_eq(json_is_true(at(st, "pass")), e->pass, "%s pass", where);
        cr_assert(json_is_boolean(at(st, "pass")));
        json_t *inds = at(st, "indicators");
        cr_assert_eq(json_array_size(inds), IND_COUNT);
        for (int i = 0; i < IND_COUNT; i++) {
            json_t *ind = json_array_get(inds, (size_t)i);
            char w[64];
            snprintf(w, sizeof w, "%s/%s", where, INDICATORS[i].key);
            cr_assert_str_eq(json_string_value(at(ind, "id")), INDICATORS[i].key);
            cr_assert_eq(json_number_value(at(ind, "standard")), STD[i][s], "%s standard", w);
            cr_assert_eq(json_number_value(at(ind, "cv_limit")), CV_LIMIT[s], "%s cv_limit", w);
            check_real(at(ind, "mean"), e->mean[i], "mean", w);
            check_real(at(ind, "cv"), e->cv[i], "cv", w);
            cr_assert_eq(json_is_true(at(ind, "cv_ok")), e->cv_ok[i], "%s cv_ok", w);
            cr_assert(json_is_boolean(at(ind, "cv_ok")));
            cr_assert_eq(json_integer_value(at(ind, "sections_meeting")), e->meeting[i], "%s meeting", w);
            json_t *top = at(ind, "top_contributors");
            cr_assert_eq(json_array_size(top), (size_t)e->n_top[i], "%s contributors", w);
            for (int m = 0; m < e->n_top[i]; m++) {
                json_t *c = json_array_get(top, (size_t)m);
                cr_assert_str_eq(json_string_value(at(c, "school_code")), e->top[i][m].code, "%s #%d", w, m);
                check_real(at(c, "share"), e->top[i][m].share, "share", w);
            }
        }
    }
}

/* Coverage, the guarantee items and the county verdict in the JSON. */
static void check_county(json_t *root, size_t n)
{
    int64_t registered = 0, submitted = 0;
    json_t *missing = at(at(root, "coverage"), "missing");
    size_t n_missing = 0;
    for (size_t k = 0; k < n; k++) {
        registered += ROWS[k].active || ROWS[k].submitted;
        submitted += ROWS[k].submitted;
        if (ROWS[k].active && !ROWS[k].submitted) {
            school_info info = test_school(ROWS[k].n, ROWS[k].kind);
            json_t *named = json_array_get(at(at(root, "coverage"), "missing_schools"), n_missing);
            cr_assert_str_eq(json_string_value(at(named, "code")), info.school_code);
            cr_assert_str_eq(json_string_value(at(named, "name")), info.name, "the registry's name beside the code");
            cr_assert_str_eq(json_string_value(json_array_get(missing, n_missing++)), info.school_code);
        }
    }
    cr_assert_eq(json_array_size(missing), n_missing);
    cr_assert_eq(json_array_size(at(at(root, "coverage"), "missing_schools")), n_missing);
    cr_assert_eq(json_integer_value(at(at(root, "coverage"), "schools_registered")), registered);
    cr_assert_eq(json_integer_value(at(at(root, "coverage"), "schools_submitted")), submitted);

    exp_guarantee g[GUAR_COUNT];
    int64_t exchange[3];
    expect_guarantees(n, g, exchange);
    for (int k = 0; k < GUAR_COUNT; k++) {
        json_t *item = at(at(root, "guarantee"), GUARANTEES[k].key);
        const char *w = GUARANTEES[k].key;
        cr_assert_eq(json_is_true(at(item, "pass")), g[k].pass, "%s pass", w);
        cr_assert_eq(json_integer_value(at(item, "complying")), g[k].complying, "%s complying", w);
        cr_assert_eq(json_integer_value(at(item, "applicable")), g[k].applicable, "%s applicable", w);
        json_t *failing = at(item, "failing");
        cr_assert_eq(json_array_size(failing), g[k].n_failing, "%s failing", w);
        for (size_t m = 0; m < g[k].n_failing; m++)
            cr_assert_str_eq(json_string_value(json_array_get(failing, m)), g[k].failing[m], "%s", w);
        if (k == GUAR_CLASS_SIZE) {
            cr_assert_eq(json_integer_value(at(item, "schools_complying")), g[k].schools_complying);
            cr_assert_eq(json_integer_value(at(item, "schools_applicable")), g[k].schools_applicable);
        }
    }
    json_t *ex = at(at(root, "guarantee"), "teacher_exchange");
    cr_assert_eq(json_integer_value(at(ex, "eligible")), exchange[0]);
    cr_assert_eq(json_integer_value(at(ex, "exchanged")), exchange[1]);
    cr_assert_eq(json_integer_value(at(ex, "exchanged_backbone")), exchange[2]);
    check_real(at(ex, "exchange_ratio"), exchange[0] ? (double)exchange[1] / (double)exchange[0] : NAN,
               "exchange_ratio", "teacher_exchange");
    check_real(at(ex, "backbone_ratio"), exchange[1] ? (double)exchange[2] / (double)exchange[1] : NAN,
               "backbone_ratio", "teacher_exchange");

    bool any = false, all = true;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (EXST[s].sections > 0) {
            any = true;
            all = all && EXST[s].pass;
        }
    cr_assert_eq(json_is_true(at(root, "resource_allocation_pass")), any && all);
    cr_assert(json_is_boolean(at(root, "resource_allocation_pass")));
}

/* Renders a status to text, parses it back and checks everything against
 * the expectations for ROWS[0..n). */
static void check_status(const county_status *st, size_t n, const char *path)
{
    cr_assert_not_null(st, "%s: no status", path);
    char *text = status_json_render(st, 3, "ep", "2026-01-01T00:00:00Z");
    cr_assert_not_null(text);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    cr_assert_not_null(root, "%s: %s", path, err.text);
    free(text);
    cr_assert_str_eq(json_string_value(at(root, "period")), "2025");
    check_sections(root);
    check_stages(root);
    check_county(root, n);
    json_decref(root);
}

/* Assesses ROWS[0..n) both ways (from scratch, and incrementally with the
 * schools added in reverse order) and checks both JSON renderings. */
static void assess_and_check(size_t n)
{
    rules_config rules;
    rules_config_default(&rules);
    school_info info[N_ROWS];
    submission sub[N_ROWS];
    assess_entry entries[N_ROWS];
    for (size_t k = 0; k < n; k++) {
        make_school(&ROWS[k], &info[k], &sub[k]);
        entries[k].school = &info[k];
        entries[k].sub = ROWS[k].submitted ? &sub[k] : NULL;
    }
    expect_county(n);
    county_info c = test_county();
    county_status *st = county_assess(&rules, &c, 2025, entries, n);
    check_status(st, n, "county_assess");
    county_status_destroy(&st);

    county_state *cs = county_state_new(&rules, &c);
    cr_assert_not_null(cs);
    for (size_t k = n; k-- > 0;)
        cr_assert_eq(county_state_set_school(cs, &info[k], entries[k].sub), ASSESS_OK);
    st = county_state_status(cs, 2025);
    check_status(st, n, "county_state");
    county_status_destroy(&st);
    county_state_destroy(&cs);
    for (size_t k = 0; k < n; k++)
        submission_clear(&sub[k]);
}

Test(status_json_values, every_number_of_a_mixed_county)
{
    assess_and_check(N_ROWS);
    /* The scenario exercises what it claims (the expectations above are
     * computed, so pin the shape of the case here). */
    cr_assert_eq(EXST[P].sections, 7);          /* 1, 2, 3, 4, 11, 12, 13 */
    cr_assert_eq(EXST[J].sections, 2);          /* 4, 5 */
    cr_assert_lt(EXST[P].passing, EXST[P].sections);
    cr_assert(!EXST[P].cv_ok[IND_MULTIMEDIA_ROOMS]);
    cr_assert(!EXST[P].pass && !EXST[J].pass);
}

/* School 1 alone: one primary section meeting every standard (most exactly),
 * CV 0 exactly, no contributors; the junior stage is not applicable (means
 * and CVs null), and the county passes on its one applicable stage. */
Test(status_json_values, a_passing_county)
{
    assess_and_check(1);
    cr_assert(EXST[P].pass);
    cr_assert_eq(EXS[0].met, IND_COUNT);
    cr_assert_eq(EXST[J].sections, 0);
}
