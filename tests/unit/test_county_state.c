/* test_county_state.c -- the incremental county_state: basic set/replace/
 * remove, ownership, a seeded property test (random counties and random
 * sequences of revisions, removals and registry changes always equal
 * county_assess() from scratch), and the numerics of near-equal schools
 * with values in the billions of yuan against a two-pass computation. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "test_rules_util.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(county_state, .init = setup, .timeout = 120);

/* ---- random numbers (splitmix64, seeded) ---------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

static double rng_between(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(s);
}

/* ---- comparing two statuses ------------------------------------------------ */

static void same_real(double a, double b, const char *what)
{
    cr_assert(test_close(a, b), "%s: %.17g vs %.17g", what, a, b);
}

static void same_top(const indicator_status *a, const indicator_status *b, const char *what)
{
    cr_assert_eq(a->n_top, b->n_top, "%s n_top %d vs %d", what, a->n_top, b->n_top);
    for (int k = 0; k < a->n_top; k++) {
        same_real(a->top[k].share, b->top[k].share, what);
        if (strcmp(a->top[k].school_code, b->top[k].school_code) != 0) {
            /* Allowed only between shares equal up to rounding (a tie). */
            bool tie = (k > 0 && test_close(a->top[k].share, a->top[k - 1].share)) ||
                       (k + 1 < a->n_top && test_close(a->top[k].share, a->top[k + 1].share));
            cr_assert(tie, "%s contributor %d: %s vs %s", what, k, a->top[k].school_code, b->top[k].school_code);
        }
    }
}

/* The same double, bit for bit (NaN equals NaN). */
static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Every field of two sections: the state keeps a section compact and
 * re-derives names, texts, values and shortfalls, which must come out
 * exactly as assess_school made them. */
static void same_sections(const section_status *a, const section_status *b)
{
    cr_assert_str_eq(a->school_code, b->school_code);
    cr_assert_str_eq(a->name, b->name);
    cr_assert_eq(a->kind, b->kind);
    cr_assert_eq(a->stage, b->stage);
    cr_assert_eq(a->students, b->students);
    cr_assert_eq(a->excluded, b->excluded);
    cr_assert_str_eq(a->excluded_reason, b->excluded_reason);
    cr_assert_eq(a->met, b->met);
    cr_assert_eq(a->met_mask, b->met_mask);
    cr_assert_eq(a->pass, b->pass);
    cr_assert_eq(a->n_shortfalls, b->n_shortfalls);
    for (int i = 0; i < IND_COUNT; i++) {
        cr_assert(same_bits(a->value[i], b->value[i]), "value %d: %.17g vs %.17g", i, a->value[i], b->value[i]);
        cr_assert(same_bits(a->resource[i], b->resource[i]), "resource %d", i);
    }
    for (int k = 0; k < a->n_shortfalls; k++) {
        const shortfall *x = &a->shortfalls[k], *y = &b->shortfalls[k];
        cr_assert_eq(x->indicator, y->indicator);
        cr_assert(same_bits(x->value, y->value) && same_bits(x->standard, y->standard) &&
                  same_bits(x->ratio, y->ratio) && same_bits(x->needed, y->needed), "shortfall %d", k);
    }
}

/* The numbers and verdicts (everything county_state_summary fills). */
static void same_numbers(const county_status *a, const county_status *b)
{
    cr_assert_eq(a->schools_registered, b->schools_registered);
    cr_assert_eq(a->schools_submitted, b->schools_submitted);
    cr_assert_eq(a->resource_allocation_pass, b->resource_allocation_pass);
    cr_assert_str_eq(a->rules_version, b->rules_version);
    cr_assert_eq(a->exchange.eligible, b->exchange.eligible);
    cr_assert_eq(a->exchange.exchanged, b->exchange.exchanged);
    cr_assert_eq(a->exchange.exchanged_backbone, b->exchange.exchanged_backbone);
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_status *x = &a->stage[s], *y = &b->stage[s];
        cr_assert_eq(x->applicable, y->applicable);
        cr_assert_eq(x->sections_assessed, y->sections_assessed);
        cr_assert_eq(x->students, y->students);
        cr_assert_eq(x->sections_passing, y->sections_passing);
        cr_assert_eq(x->pass, y->pass, "stage %d pass", s);
        for (int i = 0; i < IND_COUNT; i++) {
            const indicator_status *p = &x->ind[i], *q = &y->ind[i];
            char what[64];
            snprintf(what, sizeof what, "%s.%s", STAGE_KEYS[s], INDICATORS[i].key);
            cr_assert_eq(p->sections_meeting, q->sections_meeting, "%s meeting", what);
            cr_assert_eq(p->cv_defined, q->cv_defined, "%s cv_defined", what);
            cr_assert_eq(p->cv_ok, q->cv_ok, "%s cv_ok (%.17g vs %.17g)", what, p->cv, q->cv);
            same_real(p->mean, q->mean, what);
            if (p->cv_defined)
                same_real(p->cv, q->cv, what);
        }
    }
    for (int g = 0; g < GUAR_COUNT; g++) {
        const guarantee_status *x = &a->guarantee[g], *y = &b->guarantee[g];
        cr_assert_eq(x->pass, y->pass, "%s", GUARANTEES[g].key);
        cr_assert_eq(x->complying, y->complying, "%s", GUARANTEES[g].key);
        cr_assert_eq(x->applicable, y->applicable, "%s", GUARANTEES[g].key);
        cr_assert_eq(x->schools_complying, y->schools_complying);
        cr_assert_eq(x->schools_applicable, y->schools_applicable);
    }
}

/* Incremental status a against the from-scratch reference b: integers
 * exactly, reals within 1e-9 relative (1e-12 absolute near zero). */
static void same_status(const county_status *a, const county_status *b)
{
    same_numbers(a, b);
    cr_assert_eq(a->n_missing, b->n_missing);
    for (size_t j = 0; j < a->n_missing; j++)
        cr_assert_str_eq(a->missing[j], b->missing[j]);
    cr_assert_eq(a->n_sections, b->n_sections);
    for (size_t j = 0; j < a->n_sections; j++)
        same_sections(&a->sections[j], &b->sections[j]);
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int i = 0; i < IND_COUNT; i++)
            same_top(&a->stage[s].ind[i], &b->stage[s].ind[i], INDICATORS[i].key);
    for (int g = 0; g < GUAR_COUNT; g++) {
        cr_assert_eq(a->guarantee[g].n_failing, b->guarantee[g].n_failing);
        for (size_t k = 0; k < a->guarantee[g].n_failing; k++)
            cr_assert_str_eq(a->guarantee[g].failing[k], b->guarantee[g].failing[k]);
    }
}

/* ---- basics ------------------------------------------------------------------ */

Test(county_state, set_replace_remove)
{
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    cr_assert_not_null(cs);
    school_info s1 = test_school(1, KIND_PRIMARY), s2 = test_school(2, KIND_PRIMARY);
    submission a, b;
    test_good_primary(&a, s1.school_code);
    test_good_primary(&b, s2.school_code);
    b.sports_area_m2 = 7500;   /* 15 m²/student */
    cr_assert_eq(county_state_set_school(cs, &s1, &a), ASSESS_OK);
    cr_assert_eq(county_state_set_school(cs, &s2, NULL), ASSESS_OK);
    cr_assert_eq(county_state_count(cs), 2);

    county_status sum;
    county_state_summary(cs, 2025, &sum);
    cr_assert_eq(sum.schools_registered, 2);
    cr_assert_eq(sum.schools_submitted, 1);
    cr_assert_eq(sum.stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 0.0);
    cr_assert_null(sum.sections);

    /* s2 submits: sports 7.5 and 15 over 500 + 500: mean 11.25, S = 3.75,
     * CV = 1/3. */
    cr_assert_eq(county_state_set_school(cs, &s2, &b), ASSESS_OK);
    county_state_summary(cs, 2025, &sum);
    cr_assert_eq(sum.schools_submitted, 2);
    cr_assert_float_eq(sum.stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].mean, 11.25, 1e-12);
    cr_assert_float_eq(sum.stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 1.0 / 3.0, 1e-12);

    /* Replacing it with its first numbers brings the CV back to exactly 0 ... */
    b.sports_area_m2 = 3750;
    cr_assert_eq(county_state_set_school(cs, &s2, &b), ASSESS_OK);
    county_state_summary(cs, 2025, &sum);
    cr_assert_float_eq(sum.stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 0.0, 1e-15);

    /* ... and removing it leaves one section: CV exactly 0. */
    cr_assert_eq(county_state_remove_school(cs, s2.school_code), ASSESS_OK);
    cr_assert_eq(county_state_remove_school(cs, s2.school_code), ASSESS_ENOTFOUND);
    county_state_summary(cs, 2025, &sum);
    cr_assert_eq(sum.schools_registered, 1);
    cr_assert_eq(sum.stage[STAGE_PRIMARY].sections_assessed, 1);
    cr_assert_eq(sum.stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv, 0.0);

    /* Removing the last: the stage is no longer applicable. */
    cr_assert_eq(county_state_remove_school(cs, s1.school_code), ASSESS_OK);
    county_state_summary(cs, 2025, &sum);
    cr_assert(!sum.stage[STAGE_PRIMARY].applicable);
    cr_assert_eq(county_state_count(cs), 0);
    county_state_destroy(&cs);
    cr_assert_null(cs);
    county_state_destroy(&cs);   /* harmless twice */
}

Test(county_state, rejects_another_county)
{
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    school_info s = test_school(1, KIND_PRIMARY);
    snprintf(s.county_code, sizeof s.county_code, "371403");
    cr_assert_eq(county_state_set_school(cs, &s, NULL), ASSESS_EINVAL);
    cr_assert_eq(county_state_set_school(cs, NULL, NULL), ASSESS_EINVAL);
    cr_assert_eq(county_state_count(cs), 0);
    county_state_destroy(&cs);
}

Test(county_state, owns_its_copies)
{
    /* The caller's registry row and submission (with heap arrays) are freed
     * and scribbled over after set: the status must not change (ASan would
     * also catch a dangling pointer). */
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    school_info *s = malloc(sizeof *s);
    *s = test_school(1, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s->school_code);
    sub.stage[STAGE_PRIMARY].class_sizes = calloc(2, sizeof(int64_t));
    sub.stage[STAGE_PRIMARY].class_sizes[0] = 60;
    sub.stage[STAGE_PRIMARY].class_sizes[1] = 40;
    sub.stage[STAGE_PRIMARY].n_class_sizes = 2;
    cr_assert_eq(county_state_set_school(cs, s, &sub), ASSESS_OK);
    memset(s, 0x5A, sizeof *s);
    free(s);
    submission_clear(&sub);
    county_status *st = county_state_status(cs, 2025);
    cr_assert_not_null(st);
    cr_assert_str_eq(st->sections[0].school_code, "3714020001");
    cr_assert_str_eq(st->sections[0].name, "学校1");
    cr_assert_eq(st->guarantee[GUAR_CLASS_SIZE].complying, 1);
    cr_assert_eq(st->guarantee[GUAR_CLASS_SIZE].applicable, 2);
    county_status_destroy(&st);
    county_state_destroy(&cs);
}

Test(county_state, unterminated_row_is_cut_where_the_row_ends)
{
    /* A registry row whose code and name fill their arrays without a NUL: the
     * state holds them cut at the last byte, as it always did. */
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    school_info s = test_school(7, KIND_PRIMARY);
    memset(s.name, 'x', sizeof s.name);
    submission sub;
    test_good_primary(&sub, s.school_code);
    cr_assert_eq(county_state_set_school(cs, &s, &sub), ASSESS_OK);
    county_status *st = county_state_status(cs, 2025);
    cr_assert_not_null(st);
    cr_assert_eq(st->n_sections, 1);
    cr_assert_eq(strlen(st->sections[0].name), sizeof s.name - 1);
    cr_assert_str_eq(st->sections[0].school_code, "3714020007");
    county_status_destroy(&st);
    /* the same school again, now with a short name: replaced, not added */
    snprintf(s.name, sizeof s.name, "%s", "德州市第一实验小学");
    cr_assert_eq(county_state_set_school(cs, &s, &sub), ASSESS_OK);
    cr_assert_eq(county_state_count(cs), 1);
    st = county_state_status(cs, 2025);
    cr_assert_not_null(st);
    cr_assert_str_eq(st->sections[0].name, "德州市第一实验小学");
    county_status_destroy(&st);
    county_state_destroy(&cs);
}

/* ---- the property test ------------------------------------------------------ */

#define MAXN 40

typedef struct {
    school_info info[MAXN];
    submission sub[MAXN];
    bool has_sub[MAXN];
    bool in_state[MAXN];
    int n;
    bool near_equal;      /* per-student values equal up to 1e-9 relative */
    double base[4];
} county_model;

static const school_kind KINDS[] = { KIND_PRIMARY, KIND_PRIMARY, KIND_PRIMARY, KIND_JUNIOR, KIND_JUNIOR,
                                     KIND_NINE_YEAR, KIND_TWELVE_YEAR, KIND_COMPLETE_SECONDARY,
                                     KIND_TEACHING_POINT, KIND_SPECIAL };

static void random_info(uint64_t *rng, school_info *info, int n)
{
    *info = test_school(n, KINDS[rng_next(rng) % (sizeof KINDS / sizeof KINDS[0])]);
    info->location = (school_location)(rng_next(rng) % LOCATION_COUNT);
    info->is_public = rng_unit(rng) < 0.8;
    info->boarding = rng_unit(rng) < 0.2;
    info->active = rng_unit(rng) < 0.9;
    if (rng_unit(rng) < 0.3) {
        /* a name of any length the row holds, empty to 255 bytes */
        size_t len = (size_t)rng_range(rng, 0, (int64_t)sizeof info->name - 1);
        for (size_t k = 0; k < len; k++)
            info->name[k] = (char)('a' + (char)(rng_next(rng) % 26));
        info->name[len] = '\0';
    }
}

static double *random_rooms(uint64_t *rng, size_t *n)
{
    *n = (size_t)rng_range(rng, 0, 3);
    if (*n == 0)
        return NULL;
    double *a = malloc(*n * sizeof *a);
    cr_assert_not_null(a);
    for (size_t k = 0; k < *n; k++)
        a[k] = rng_unit(rng) < 0.3 ? 96.0 : rng_between(rng, 80, 130);
    return a;
}

/* A random submission compatible with the school's kind. */
static void random_sub(uint64_t *rng, const county_model *m, const school_info *info, submission *sub)
{
    memset(sub, 0, sizeof *sub);
    snprintf(sub->school_code, sizeof sub->school_code, "%s", info->school_code);
    sub->period = 2025;
    int64_t total = 0, teachers_total = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!school_kind_has_stage(info->kind, (stage_t)s) || rng_unit(rng) < 0.08)
            continue;
        stage_data *sd = &sub->stage[s];
        sd->present = true;
        double u = rng_unit(rng);
        if (u < 0.05)
            sd->students = 0;
        else if (info->kind == KIND_TEACHING_POINT)
            sd->students = rng_range(rng, 30, 70);
        else
            sd->students = rng_range(rng, 40, 1500);
        sd->teachers = sd->students / 15 + rng_range(rng, 0, 5);
        sd->qualified_teachers = rng_range(rng, 0, sd->teachers);
        sd->backbone_teachers = rng_unit(rng) < 0.05 ? 0 : rng_range(rng, 0, sd->teachers / 4);
        sd->pe_art_teachers = rng_range(rng, 0, sd->teachers / 4);
        sd->n_class_sizes = (size_t)(sd->students / 40 + (sd->students > 0));
        if (sd->n_class_sizes) {
            sd->class_sizes = malloc(sd->n_class_sizes * sizeof(int64_t));
            cr_assert_not_null(sd->class_sizes);
            for (size_t k = 0; k < sd->n_class_sizes; k++)
                sd->class_sizes[k] = rng_range(rng, 30, 52);
        }
        sd->new_entrants = rng_range(rng, 0, sd->students / 6);
        sd->new_entrants_in_zone = rng_unit(rng) < 0.6 ? sd->new_entrants : rng_range(rng, 0, sd->new_entrants);
        total += sd->students;
        teachers_total += sd->teachers;
    }
    if (school_kind_has_senior(info->kind))
        sub->senior_students = rng_range(rng, 0, 1000);
    double eq = (double)(total + sub->senior_students);
    if (m->near_equal) {
        /* Per-student totals equal up to 1e-9 (the split weights still move
         * them between stages, as they should). */
        sub->teaching_area_m2 = m->base[0] * eq * (1 + 1e-9 * rng_unit(rng));
        sub->sports_area_m2 = m->base[1] * eq * (1 + 1e-9 * rng_unit(rng));
        sub->equipment_value_yuan = m->base[2] * eq * (1 + 1e-9 * rng_unit(rng));
        sub->multimedia_rooms = (int64_t)(eq / 40);
    } else {
        sub->teaching_area_m2 = eq * rng_between(rng, 2, 9);
        sub->sports_area_m2 = eq * rng_between(rng, 3, 14);
        sub->equipment_value_yuan = rng_unit(rng) < 0.03 ? 0 : eq * rng_between(rng, 800, 5000);
        sub->multimedia_rooms = rng_range(rng, 0, (int64_t)(eq / 25) + 1);
    }
    sub->music_room_areas_m2 = random_rooms(rng, &sub->n_music_rooms);
    sub->art_room_areas_m2 = random_rooms(rng, &sub->n_art_rooms);
    sub->certified_teachers = teachers_total - (rng_unit(rng) < 0.2 && teachers_total > 0);
    sub->trained_teachers = teachers_total - (rng_unit(rng) < 0.2 && teachers_total > 0);
    sub->exchange_eligible_teachers = rng_range(rng, 0, 20);
    sub->exchanged_teachers = rng_range(rng, 0, sub->exchange_eligible_teachers);
    sub->exchanged_backbone_teachers = rng_range(rng, 0, sub->exchanged_teachers);
    sub->public_funds_yuan = rng_unit(rng) < 0.1 ? 0 : rng_between(rng, 1e5, 1e7);
    sub->training_spend_yuan = sub->public_funds_yuan * rng_between(rng, 0.03, 0.08);
}

/* county_assess over the model's schools held by the state. */
static county_status *reference(const county_model *m)
{
    assess_entry e[MAXN];
    size_t n = 0;
    for (int j = 0; j < m->n; j++)
        if (m->in_state[j]) {
            e[n].school = &m->info[j];
            e[n].sub = m->has_sub[j] ? &m->sub[j] : NULL;
            n++;
        }
    county_info c = test_county();
    county_status *st = county_assess(&R, &c, 2025, e, n);
    cr_assert_not_null(st);
    return st;
}

static void check(const county_state *cs, const county_model *m)
{
    county_status *inc = county_state_status(cs, 2025);
    county_status *ref = reference(m);
    cr_assert_not_null(inc);
    same_status(inc, ref);
    county_status sum;
    county_state_summary(cs, 2025, &sum);
    same_numbers(&sum, inc);
    county_status_destroy(&inc);
    county_status_destroy(&ref);
}

static void set_in_state(county_state *cs, county_model *m, int j)
{
    cr_assert_eq(county_state_set_school(cs, &m->info[j], m->has_sub[j] ? &m->sub[j] : NULL), ASSESS_OK);
    m->in_state[j] = true;
}

Test(county_state, property_incremental_equals_from_scratch)
{
    uint64_t rng = 20171206;   /* seeded: reproducible */
    county_info c = test_county();
    const int counties = 1200, ops = 24;
    for (int k = 0; k < counties; k++) {
        county_model *m = calloc(1, sizeof *m);
        cr_assert_not_null(m);
        m->n = (int)rng_range(&rng, 1, MAXN);
        m->near_equal = rng_unit(&rng) < 0.15;
        m->base[0] = rng_between(&rng, 3, 9);
        m->base[1] = rng_between(&rng, 5, 14);
        m->base[2] = rng_unit(&rng) < 0.5 ? rng_between(&rng, 1e3, 5e3) : rng_between(&rng, 1e9, 4e9);
        county_state *cs = county_state_new(&R, &c);
        cr_assert_not_null(cs);
        for (int j = 0; j < m->n; j++) {
            random_info(&rng, &m->info[j], j);
            m->has_sub[j] = rng_unit(&rng) < 0.85;
            if (m->has_sub[j])
                random_sub(&rng, m, &m->info[j], &m->sub[j]);
            set_in_state(cs, m, j);
        }
        check(cs, m);
        for (int op = 0; op < ops; op++) {
            int j = (int)rng_range(&rng, 0, m->n - 1);
            double u = rng_unit(&rng);
            if (u < 0.55) {                       /* a new revision */
                submission_clear(&m->sub[j]);
                random_sub(&rng, m, &m->info[j], &m->sub[j]);
                m->has_sub[j] = true;
                set_in_state(cs, m, j);
            } else if (u < 0.65) {                /* back to "not submitted" */
                submission_clear(&m->sub[j]);
                m->has_sub[j] = false;
                set_in_state(cs, m, j);
            } else if (u < 0.78) {                /* leaves the registry */
                int rc = county_state_remove_school(cs, m->info[j].school_code);
                cr_assert_eq(rc, m->in_state[j] ? ASSESS_OK : ASSESS_ENOTFOUND);
                m->in_state[j] = false;
            } else if (u < 0.90) {                /* registry row changes */
                school_kind old = m->info[j].kind;
                random_info(&rng, &m->info[j], j);
                if (m->has_sub[j] && m->info[j].kind != old) {
                    submission_clear(&m->sub[j]);
                    random_sub(&rng, m, &m->info[j], &m->sub[j]);
                }
                set_in_state(cs, m, j);
            } else {                              /* the same revision again */
                set_in_state(cs, m, j);
            }
            check(cs, m);
        }
        for (int j = 0; j < m->n; j++)
            submission_clear(&m->sub[j]);
        county_state_destroy(&cs);
        free(m);
    }
}

/* ---- numerics ---------------------------------------------------------------- */

/* Student-weighted CV of one indicator over the listed included primary
 * sections, two-pass in long double. */
static double two_pass_cv(const county_status *st, indicator_id i)
{
    long double p = 0, px = 0;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *s = &st->sections[j];
        if (s->stage != STAGE_PRIMARY || s->excluded != EXCL_NONE)
            continue;
        p += s->students;
        px += (long double)s->students * s->value[i];
    }
    long double mean = px / p, ss = 0;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *s = &st->sections[j];
        if (s->stage != STAGE_PRIMARY || s->excluded != EXCL_NONE)
            continue;
        long double d = (long double)s->value[i] - mean;
        ss += (long double)s->students * d * d;
    }
    return (double)(sqrtl(ss / p) / mean);
}

/* The textbook one-pass formula Σx²/n − x̄², in double: what not to do. */
static double naive_cv(const county_status *st, indicator_id i)
{
    double p = 0, px = 0, pxx = 0;
    for (size_t j = 0; j < st->n_sections; j++) {
        const section_status *s = &st->sections[j];
        if (s->stage != STAGE_PRIMARY || s->excluded != EXCL_NONE)
            continue;
        p += (double)s->students;
        px += (double)s->students * s->value[i];
        pxx += (double)s->students * s->value[i] * s->value[i];
    }
    double mean = px / p, var = pxx / p - mean * mean;
    return sqrt(fabs(var)) / mean;
}

/* Sets school j to `per_student` yuan per student of equipment. */
static void set_equipment(county_state *cs, int j, int64_t students, double per_student)
{
    school_info s = test_school(j, KIND_PRIMARY);
    submission sub;
    test_good_primary(&sub, s.school_code);
    sub.stage[STAGE_PRIMARY].students = students;
    sub.equipment_value_yuan = per_student * (double)students;
    cr_assert_eq(county_state_set_school(cs, &s, &sub), ASSESS_OK);
}

/* Strictly 1e-9 relative (the coefficients here are far from zero-ish
 * enough that the absolute escape would make the check meaningless). */
static void expect_cv(county_state *cs, double *out_cv)
{
    county_status *st = county_state_status(cs, 2025);
    double inc = st->stage[STAGE_PRIMARY].ind[IND_EQUIPMENT_VALUE].cv;
    double ref = two_pass_cv(st, IND_EQUIPMENT_VALUE);
    cr_assert(fabs(inc - ref) <= 1e-9 * ref, "cv %.17g vs two-pass %.17g", inc, ref);
    if (out_cv)
        *out_cv = ref;
    county_status_destroy(&st);
}

Test(county_state, near_equal_schools_billions_of_yuan)
{
    /* 90 schools of 100..2000 students, each with ~3e9 yuan per student
     * (totals up to 6e12 yuan) differing by less than a yuan: CV ~ 1e-10.
     * Then 20 000 replacements. The textbook formula loses everything here
     * (x² ~ 1e19, its rounding ~ 1e3 ≫ the variance ~ 0.1). */
    uint64_t rng = 42;
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    int64_t students[90];
    for (int j = 0; j < 90; j++) {
        students[j] = rng_range(&rng, 100, 2000);
        set_equipment(cs, j, students[j], 3e9 + rng_between(&rng, -0.5, 0.5));
    }
    double ref;
    expect_cv(cs, &ref);
    cr_assert(ref > 1e-11 && ref < 1e-9, "cv %g", ref);
    county_status *st = county_state_status(cs, 2025);
    double naive = naive_cv(st, IND_EQUIPMENT_VALUE);
    cr_assert(fabs(naive - ref) > 1e-3 * ref, "the textbook formula happened to be right: %g vs %g", naive, ref);
    county_status_destroy(&st);
    for (int k = 0; k < 20000; k++) {
        int j = (int)rng_range(&rng, 0, 89);
        set_equipment(cs, j, students[j], 3e9 + rng_between(&rng, -0.5, 0.5));
        if (k % 2000 == 1999)
            expect_cv(cs, NULL);
    }
    expect_cv(cs, NULL);
    cr_assert_lt(county_state_rebuilds(cs), 5);
    county_state_destroy(&cs);
}

Test(county_state, near_zero_coefficient)
{
    /* ~2500 yuan per student differing by ~1e-9 yuan: CV ~ 1e-13, a few
     * thousand ulps of spread. Still 1e-9 relative. */
    uint64_t rng = 7;
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    for (int j = 0; j < 60; j++)
        set_equipment(cs, j, 500, 2500.0 + rng_between(&rng, 0, 1e-9));
    for (int k = 0; k < 5000; k++)
        set_equipment(cs, (int)rng_range(&rng, 0, 59), 500, 2500.0 + rng_between(&rng, 0, 1e-9));
    double ref;
    expect_cv(cs, &ref);
    cr_assert(ref > 1e-15 && ref < 1e-11, "cv %g", ref);
    county_state_destroy(&cs);
}

Test(county_state, mean_drifting_a_million_fold)
{
    /* All schools start near 1000 yuan per student and are replaced, one by
     * one and then at random, by near-equal values around 3e9: the shift
     * chosen at the start is a million-fold off. The error bound must notice
     * and rebuild, and the final CV must still be right to 1e-9. */
    uint64_t rng = 99;
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    for (int j = 0; j < 80; j++)
        set_equipment(cs, j, 1000, 1000.0 + rng_between(&rng, 0, 500));
    expect_cv(cs, NULL);
    for (int j = 0; j < 80; j++)
        set_equipment(cs, j, 1000, 3e9 + rng_between(&rng, 0, 1));
    for (int k = 0; k < 2000; k++)
        set_equipment(cs, (int)rng_range(&rng, 0, 79), 1000, 3e9 + rng_between(&rng, 0, 1));
    expect_cv(cs, NULL);
    cr_assert_lt(county_state_rebuilds(cs), 20, "%llu rebuilds", (unsigned long long)county_state_rebuilds(cs));
    county_state_destroy(&cs);
}

Test(county_state, cancellation_triggers_a_rebuild)
{
    /* Ten schools at exactly 1000 yuan per student: CV 0. One of them jumps
     * to 1e6 and back, a hundred times. Each return leaves the running sums
     * a residue of ~u²·(the jump's term) — tiny, but the coefficient is
     * exactly 0 and the error bound cannot vouch for 1e-13 of it any more:
     * the stage is rebuilt from the held sections, and CV is 0 again. */
    county_info c = test_county();
    county_state *cs = county_state_new(&R, &c);
    for (int j = 0; j < 10; j++)
        set_equipment(cs, j, 500, 1000.0);
    county_status sum;
    for (int k = 0; k < 100; k++) {
        set_equipment(cs, 3, 500, 1e6);
        county_state_summary(cs, 2025, &sum);
        /* 1 of 10 at 1000× the rest: mean 100 900, CV = 3 (exactly: the
         * deviations are 899 100 and −99 900, S² = 0.1·899100² + 0.9·99900²). */
        double want = sqrt(0.1 * 899100.0 * 899100.0 + 0.9 * 99900.0 * 99900.0) / 100900.0;
        cr_assert_float_eq(sum.stage[STAGE_PRIMARY].ind[IND_EQUIPMENT_VALUE].cv, want, 1e-12);
        set_equipment(cs, 3, 500, 1000.0);
        county_state_summary(cs, 2025, &sum);
        cr_assert_lt(fabs(sum.stage[STAGE_PRIMARY].ind[IND_EQUIPMENT_VALUE].cv), 1e-13);
    }
    cr_assert_gt(county_state_rebuilds(cs), 0);
    county_state_destroy(&cs);
}
