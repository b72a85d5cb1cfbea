/* test_plan_exhaustive.c -- on small synthetic counties (2–3 schools, small
 * integer steps) the plan's cost equals the optimum found by exhaustive
 * search over every combination of additions; and the budget case. */
#include <criterion/criterion.h>

#include "rectify.h"
#include "test_rules_util.h"

#define STUDENTS 20
#define MAXS 4

/* Rules with small standards, so that every need is a few whole units for
 * 20 students: 7 qualified, 3 backbone, 4 PE/art teachers, 10 m² teaching,
 * 12 m² sports, 14 yuan, 5 rooms. */
static void small_rules(rules_config *r)
{
    rules_config_default(r);
    static const double per100[IND_COUNT] = { 35, 15, 20, 0.5, 0.6, 0.7, 25 };
    for (int k = 0; k < IND_COUNT; k++)
        r->standard[k][STAGE_PRIMARY] = per100[k];
}

static const double NEED[IND_COUNT] = { 7, 3, 4, 10, 12, 14, 5 };

/* One candidate for one school: its additions and their cost. */
typedef struct {
    plan_additions add;
    double cost;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    double x = ((const cand *)a)->cost, y = ((const cand *)b)->cost;
    return (x > y) - (x < y);
}

/* Whether a county of n schools with these additions passes (the rules engine). */
static bool passes(const rules_config *rules, const county_info *county, const school_info *info,
                   const submission *sub, const plan_additions *add, size_t n)
{
    plan_costs unused;
    plan_costs_default(&unused);
    assess_entry e[MAXS];
    for (size_t i = 0; i < n; i++)
        e[i] = (assess_entry){ &info[i], &sub[i] };
    plan_request req = { rules, &unused, county, 2025, e, n, 0, 0 };
    county_status *st = plan_assess(&req, add);
    cr_assert_not_null(st);
    bool ok = st->resource_allocation_pass && st->guarantee[GUAR_MUSIC_ART_ROOMS].pass;
    county_status_destroy(&st);
    return ok;
}

/* Every combination of additions up to gap[] (per item) that makes the
 * school pass alone, sorted by cost. Returns the count; *out owned. */
static size_t school_candidates(const rules_config *rules, const county_info *county, const school_info *info,
                                const submission *sub, const int gap[9], const plan_costs *costs, cand **out)
{
    size_t cap = 1;
    for (int i = 0; i < 9; i++)
        cap *= (size_t)gap[i] + 1;
    cand *c = malloc(cap * sizeof *c);
    cr_assert_not_null(c);
    size_t n = 0;
    int v[9] = { 0 };
    for (size_t idx = 0; idx < cap; idx++) {
        size_t rest = idx;
        for (int i = 0; i < 9; i++) {
            v[i] = (int)(rest % ((size_t)gap[i] + 1));
            rest /= (size_t)gap[i] + 1;
        }
        plan_additions a;
        memset(&a, 0, sizeof a);
        for (int h = 0; h < HIRE_COUNT; h++)
            a.teachers[STAGE_PRIMARY][h] = v[h];
        a.teaching_area_m2 = v[3];
        a.sports_area_m2 = v[4];
        a.equipment_yuan = v[5];
        a.multimedia_rooms = v[6];
        a.music_rooms = v[7];
        a.art_rooms = v[8];
        if (!passes(rules, county, info, sub, &a, 1))
            continue;
        c[n].add = a;
        c[n++].cost = plan_additions_cost(&a, costs);
    }
    qsort(c, n, sizeof *c, cand_cmp);
    *out = c;
    return n;
}

/* The least cost over every joint combination (branch and bound by cost). */
static void search(const rules_config *rules, const county_info *county, const school_info *info,
                   const submission *sub, size_t n, cand **cands, const size_t *nc, size_t depth,
                   plan_additions *cur, double so_far, double *best)
{
    if (depth == n) {
        if (so_far < *best && passes(rules, county, info, sub, cur, n))
            *best = so_far;
        return;
    }
    double rest_min = 0;
    for (size_t d = depth + 1; d < n; d++)
        rest_min += nc[d] ? cands[d][0].cost : 0;
    for (size_t i = 0; i < nc[depth]; i++) {
        if (so_far + cands[depth][i].cost + rest_min >= *best)
            break;
        cur[depth] = cands[depth][i].add;
        search(rules, county, info, sub, n, cands, nc, depth + 1, cur, so_far + cands[depth][i].cost, best);
    }
}

Test(plan_exhaustive, small_counties_match_exhaustive_search)
{
    rules_config rules;
    small_rules(&rules);
    county_info county = test_county();
    srand(151);
    int nonzero = 0;
    for (int round = 0; round < 12; round++) {
        size_t n = 2 + (size_t)(rand() % 2);
        school_info info[MAXS];
        submission sub[MAXS];
        int gap[MAXS][9];
        plan_costs costs;
        plan_costs_default(&costs);
        costs.yuan[COST_TEACHER_YEARS] = 1;
        for (int k = 0; k < 3; k++)
            costs.yuan[COST_QUALIFIED_TEACHER + k] = 50 + rand() % 100;
        costs.yuan[COST_TEACHING_AREA] = 10 + rand() % 30;
        costs.yuan[COST_SPORTS_AREA] = 10 + rand() % 30;
        costs.yuan[COST_EQUIPMENT] = 5 + rand() % 15;
        costs.yuan[COST_MULTIMEDIA_ROOM] = 30 + rand() % 60;
        costs.yuan[COST_MUSIC_ROOM] = 100 + rand() % 200;
        costs.yuan[COST_ART_ROOM] = 100 + rand() % 200;
        assess_entry e[MAXS];
        for (size_t i = 0; i < n; i++) {
            info[i] = test_school((int)i + 1, KIND_PRIMARY);
            memset(&sub[i], 0, sizeof sub[i]);
            memcpy(sub[i].school_code, info[i].school_code, sizeof sub[i].school_code);
            sub[i].period = 2025;
            int d[IND_COUNT];
            static const int maxgap[IND_COUNT] = { 2, 1, 1, 3, 3, 3, 1 };
            for (int k = 0; k < IND_COUNT; k++) {
                d[k] = rand() % (maxgap[k] + 1);
                gap[i][k] = d[k];
            }
            test_stage(&sub[i], STAGE_PRIMARY, STUDENTS, (int64_t)NEED[0] - d[0], (int64_t)NEED[1] - d[1],
                       (int64_t)NEED[2] - d[2]);
            test_physical(&sub[i], NEED[3] - d[3], NEED[4] - d[4], NEED[5] - d[5], (int64_t)NEED[6] - d[6]);
            int music = rand() % 2, art = rand() % 2;
            sub[i].n_music_rooms = (size_t)music;
            sub[i].music_room_areas_m2 = music ? calloc(1, sizeof(double)) : NULL;
            if (music)
                sub[i].music_room_areas_m2[0] = 100;
            sub[i].n_art_rooms = (size_t)art;
            sub[i].art_room_areas_m2 = art ? calloc(1, sizeof(double)) : NULL;
            if (art)
                sub[i].art_room_areas_m2[0] = 100;
            gap[i][7] = 1 - music;
            gap[i][8] = 1 - art;
            e[i] = (assess_entry){ &info[i], &sub[i] };
        }
        cand *cands[MAXS];
        size_t nc[MAXS];
        for (size_t i = 0; i < n; i++)
            nc[i] = school_candidates(&rules, &county, &info[i], &sub[i], gap[i], &costs, &cands[i]);
        double best = HUGE_VAL;
        plan_additions cur[MAXS];
        search(&rules, &county, info, sub, n, cands, nc, 0, cur, 0, &best);
        cr_assert(isfinite(best), "county %d: the grid holds a passing plan", round);
        nonzero += best > 0;

        plan_request req = { &rules, &costs, &county, 2025, e, n, 0, 0 };
        plan_result *res = NULL;
        cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
        cr_expect_eq(res->outcome, PLAN_PASSES, "county %d", round);
        cr_expect(test_close(res->cost, best), "county %d: plan %.2f, exhaustive %.2f", round, res->cost, best);
        cr_expect(res->lower_bound <= res->cost + 1e-9, "county %d", round);
        cr_expect(res->lp_bound <= res->lower_bound + 1e-9, "county %d", round);
        cr_expect(res->cost <= res->naive_cost + 1e-9, "county %d", round);
        cr_expect(passes(&rules, &county, info, sub, res->add, n), "county %d", round);
        plan_result_destroy(&res);
        for (size_t i = 0; i < n; i++) {
            free(cands[i]);
            submission_clear(&sub[i]);
        }
    }
    cr_expect(nonzero >= 10, "most counties need something (%d)", nonzero);
}

/* Three schools, each failing one way at a known price: a budget for the two
 * cheapest passes those two; a budget for all of them passes the county. */
Test(plan_exhaustive, budget_passes_the_most_sections_it_can)
{
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    county_info county = test_county();
    school_info info[3];
    submission sub[3];
    assess_entry e[3];
    /* primary 500: two indicators under 85 %: the cheapest fix raises one of them to the standard */
    static const double equipment[3] = { 800000, 700000, 600000 };   /* 1600, 1400, 1200 of 2000 yuan */
    for (int i = 0; i < 3; i++) {
        info[i] = test_school(i + 1, KIND_PRIMARY);
        char code[SCHOOL_CODE_LEN + 1];
        memcpy(code, info[i].school_code, sizeof code);
        test_good_primary(&sub[i], code);
        sub[i].equipment_value_yuan = equipment[i];
        sub[i].n_music_rooms = sub[i].n_art_rooms = 1;
        sub[i].music_room_areas_m2 = calloc(1, sizeof(double));
        sub[i].art_room_areas_m2 = calloc(1, sizeof(double));
        sub[i].music_room_areas_m2[0] = sub[i].art_room_areas_m2[0] = 100;
        e[i] = (assess_entry){ &info[i], &sub[i] };
    }
    /* cheapest passes: equipment to 85 % (1700/student) costs 50 000, 150 000, 250 000 */
    plan_request req = { &rules, &costs, &county, 2025, e, 3, 210000, 0 };
    plan_result *res = NULL;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_OVER_BUDGET);
    cr_expect(res->cost <= req.budget);
    cr_expect_eq(res->sections_passing, 2);
    cr_expect_eq(res->sections_assessed, 3);
    cr_expect(test_close(res->full_cost, 450000), "%f", res->full_cost);
    cr_expect(!res->resource_pass);
    cr_expect_eq(res->add[2].equipment_yuan, 0, "the dearest school is left");
    plan_result_destroy(&res);

    req.budget = 450000;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_PASSES);
    cr_expect(test_close(res->cost, 450000));
    cr_expect(res->resource_pass && res->rooms_pass);
    plan_result_destroy(&res);
    for (int i = 0; i < 3; i++)
        submission_clear(&sub[i]);
}
