/* test_plan.c -- the cheapest path (common/plan.h): the costs file; plans
 * that always pass when applied through the rules engine; on small counties
 * the plan's cost equals the optimum found by exhaustive search; the lower
 * bounds never exceed the plan's cost; the budget case. */
#include <criterion/criterion.h>

#include "rectify.h"
#include "test_rules_util.h"

#define MAXS 64

/* A county under test: registry rows and submissions. */
typedef struct {
    school_info info[MAXS];
    submission sub[MAXS];
    assess_entry e[MAXS];
    size_t n;
    county_info county;
} county_fx;

static void fx_init(county_fx *c)
{
    memset(c, 0, sizeof *c);
    c->county = test_county();
}

static void fx_clear(county_fx *c)
{
    for (size_t i = 0; i < c->n; i++)
        submission_clear(&c->sub[i]);
}

/* Adds a school of kind; returns its submission to fill (code set). */
static submission *fx_add(county_fx *c, school_kind kind)
{
    size_t i = c->n++;
    c->info[i] = test_school((int)i + 1, kind);
    submission *s = &c->sub[i];
    memset(s, 0, sizeof *s);
    memcpy(s->school_code, c->info[i].school_code, sizeof s->school_code);
    s->period = 2025;
    c->e[i].school = &c->info[i];
    c->e[i].sub = s;
    return s;
}

/* A room list of n rooms of area a (owned by the submission). */
static void set_rooms(submission *s, int music, int art, double area)
{
    s->n_music_rooms = (size_t)music;
    s->music_room_areas_m2 = music ? calloc((size_t)music, sizeof(double)) : NULL;
    for (int i = 0; i < music; i++)
        s->music_room_areas_m2[i] = area;
    s->n_art_rooms = (size_t)art;
    s->art_room_areas_m2 = art ? calloc((size_t)art, sizeof(double)) : NULL;
    for (int i = 0; i < art; i++)
        s->art_room_areas_m2[i] = area;
}

static plan_request fx_request(county_fx *c, const rules_config *rules, const plan_costs *costs, double budget)
{
    plan_request r = { rules, costs, &c->county, 2025, c->e, c->n, budget, 0 };
    return r;
}

/* The plan applied passes: resource allocation and 2.3, by county_assess. */
static bool applied_passes(const plan_request *req, const plan_result *res)
{
    county_status *st = plan_assess(req, res->add);
    cr_assert_not_null(st);
    bool ok = st->resource_allocation_pass && st->guarantee[GUAR_MUSIC_ART_ROOMS].pass;
    county_status_destroy(&st);
    return ok;
}

/* ---- the costs file -------------------------------------------------- */

Test(plan_costs, shipped_file_is_the_defaults)
{
    FILE *f = fopen(JUNHENG_SOURCE "/deploy/plan/costs.csv", "r");
    cr_assert_not_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    plan_costs c, d;
    memset(&c, 0, sizeof c);
    char err[256] = "";
    cr_assert_eq(plan_costs_parse(&c, text, err, sizeof err), PLAN_OK, "%s", err);
    plan_costs_default(&d);
    for (int i = 0; i < COST_COUNT; i++)
        cr_expect_eq(c.yuan[i], d.yuan[i], "%s", PLAN_COST_ITEMS[i].key);
}

Test(plan_costs, errors_name_the_line)
{
    plan_costs c;
    plan_costs_default(&c);
    char err[256];
    cr_expect_eq(plan_costs_parse(&c, "item,unit,yuan\nsports_area,yuan/m2,abc\n", err, sizeof err), PLAN_EINVAL);
    cr_expect(strstr(err, "line 2") != NULL, "%s", err);
    cr_expect_eq(plan_costs_parse(&c, "item,unit,yuan\nroof,yuan/m2,1\n", err, sizeof err), PLAN_EINVAL);
    cr_expect(strstr(err, "unknown item 'roof'") != NULL, "%s", err);
    cr_expect_eq(plan_costs_parse(&c, "item,unit,yuan\nsports_area,yuan/room,1\n", err, sizeof err), PLAN_EINVAL);
    cr_expect_eq(plan_costs_parse(&c, "item,unit,yuan\nsports_area,yuan/m2,1\nsports_area,yuan/m2,2\n", err,
                                  sizeof err), PLAN_EINVAL);
    cr_expect(strstr(err, "repeated") != NULL, "%s", err);
    cr_expect_eq(plan_costs_parse(&c, "item,unit,yuan\nteacher_years,years,0\n", err, sizeof err), PLAN_EINVAL);
    cr_expect_eq(plan_costs_parse(&c, "sports_area,yuan/m2,1\n", err, sizeof err), PLAN_EINVAL);
    cr_expect_eq(c.yuan[COST_SPORTS_AREA], 300, "untouched on error");
    cr_expect_eq(plan_costs_parse(&c, "\xEF\xBB\xBF# a city's own\nitem,unit,yuan\n sports_area , yuan/m2 , 450\n",
                                  err, sizeof err), PLAN_OK, "%s", err);
    cr_expect_eq(c.yuan[COST_SPORTS_AREA], 450);
    cr_expect_eq(c.yuan[COST_TEACHING_AREA], 3000, "items not given keep their value");
}

/* ---- plans that pass -------------------------------------------------- */

Test(plan, passing_county_costs_nothing)
{
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    county_fx c;
    fx_init(&c);
    for (int i = 0; i < 3; i++) {
        submission *s = fx_add(&c, KIND_PRIMARY);
        test_good_primary(s, c.info[i].school_code);
        set_rooms(s, 1, 1, 100);
    }
    plan_request req = fx_request(&c, &rules, &costs, 0);
    plan_result *res = NULL;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_PASSES);
    cr_expect_eq(res->cost, 0);
    cr_expect_eq(res->lower_bound, 0);
    cr_expect_eq(res->naive_cost, 0);
    cr_expect(applied_passes(&req, res));
    plan_result_destroy(&res);
    fx_clear(&c);
}

/* One primary school of 500 students short of its standards in a way that
 * the 6-of-7 rule lets the plan leave the dearest miss at 85 %. */
Test(plan, leaves_the_dearest_indicator_at_its_floor)
{
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    county_fx c;
    fx_init(&c);
    submission *s = fx_add(&c, KIND_PRIMARY);
    test_good_primary(s, c.info[0].school_code);
    s->teaching_area_m2 = 2000;   /* 4.0 of 4.5: 88.9 %, 250 m² short (750 000 yuan) */
    s->equipment_value_yuan = 900000; /* 1800 of 2000: 90 %, 100 000 yuan short */
    set_rooms(s, 1, 0, 96);
    plan_request req = fx_request(&c, &rules, &costs, 0);
    plan_result *res = NULL;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_PASSES);
    cr_expect_eq(res->add[0].teaching_area_m2, 0, "the dear miss stays");
    cr_expect_eq(res->add[0].equipment_yuan, 100000);
    cr_expect_eq(res->add[0].art_rooms, 1);
    cr_expect_eq(res->add[0].music_rooms, 0);
    cr_expect_eq(res->cost, 100000 + 310000);
    cr_expect_eq(res->lower_bound, res->cost);
    cr_expect_eq(res->naive_cost, 750000 + 100000 + 310000);
    cr_expect(applied_passes(&req, res));
    plan_result_destroy(&res);
    fx_clear(&c);
}

/* Uniform values except one school far above: the sports coefficient is over
 * its limit although every section passes; the plan raises the others. */
Test(plan, coefficient_over_limit_is_cut_until_it_passes)
{
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    county_fx c;
    fx_init(&c);
    for (int i = 0; i < 4; i++) {
        submission *s = fx_add(&c, KIND_PRIMARY);
        test_good_primary(s, c.info[i].school_code);
        set_rooms(s, 1, 1, 100);
    }
    c.sub[3].sports_area_m2 = 3750 * 8.0;   /* 60 m²/student against 7.5 elsewhere: CV ≈ 1.2 */
    plan_request req = fx_request(&c, &rules, &costs, 0);
    county_status *before = plan_assess(&req, NULL);
    cr_assert_not(before->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA].cv_ok);
    county_status_destroy(&before);
    plan_result *res = NULL;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_PASSES);
    cr_expect(res->rounds >= 1);
    cr_expect(res->add[0].sports_area_m2 > 0);
    cr_expect_eq(res->add[3].sports_area_m2, 0);
    cr_expect(res->lower_bound <= res->cost);
    cr_expect(res->lp_bound <= res->lower_bound + 1e-6);
    cr_expect(applied_passes(&req, res));
    plan_result_destroy(&res);
    fx_clear(&c);
}

/* Random counties of every assessed kind around the national standards:
 * every plan passes when applied, and lp ≤ lower bound ≤ cost. */
Test(plan, random_counties_always_pass_and_bounds_hold)
{
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    srand(20261205);
    for (int round = 0; round < 40; round++) {
        county_fx c;
        fx_init(&c);
        int n = 3 + rand() % 20;
        for (int i = 0; i < n; i++) {
            static const school_kind kinds[] = { KIND_PRIMARY, KIND_JUNIOR, KIND_NINE_YEAR, KIND_COMPLETE_SECONDARY };
            school_kind kind = kinds[rand() % 4];
            submission *s = fx_add(&c, kind);
            double scale = 0.5 + (rand() % 100) / 80.0;
            int64_t p = 100 + rand() % 900, j = 100 + rand() % 700;
            double equiv = 0;
            for (int st = 0; st < STAGE_COUNT; st++) {
                if (!school_kind_has_stage(kind, (stage_t)st))
                    continue;
                int64_t students = st == STAGE_PRIMARY ? p : j;
                equiv += students;
                double f = scale * (0.7 + (rand() % 60) / 100.0);
                test_stage(s, (stage_t)st, students, (int64_t)(f * 0.05 * students), (int64_t)(f * 0.01 * students),
                           (int64_t)(f * 0.009 * students));
            }
            if (kind == KIND_COMPLETE_SECONDARY)
                s->senior_students = rand() % 600;
            test_physical(s, scale * 5 * equiv * (0.6 + (rand() % 70) / 100.0), scale * 9 * equiv,
                          scale * 2200 * equiv * (0.6 + (rand() % 80) / 100.0), (int64_t)(scale * 0.024 * equiv));
            set_rooms(s, rand() % 3, rand() % 3, 80 + rand() % 40);
        }
        plan_request req = fx_request(&c, &rules, &costs, 0);
        plan_result *res = NULL;
        cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
        cr_expect_eq(res->outcome, PLAN_PASSES, "county %d", round);
        cr_expect(applied_passes(&req, res), "county %d", round);
        cr_expect(res->lower_bound <= res->cost + 1e-6, "county %d: %f > %f", round, res->lower_bound, res->cost);
        cr_expect(res->lp_bound <= res->lower_bound + 1e-6, "county %d", round);
        cr_expect_eq(res->sections_passing, res->sections_assessed);
        plan_result_destroy(&res);
        fx_clear(&c);
    }
}
