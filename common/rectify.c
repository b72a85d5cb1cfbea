/* rectify.c -- the cheapest path for a county (docs/plan.md): per-school MILPs
 * without the coefficients (their sum is the lower bound), then rounds that
 * check the plan with the rules engine and, for each coefficient above its
 * limit, raise the lowest sections of that stage and indicator to a floor
 * computed so that the coefficient falls within the limit; the budget case;
 * the naive plan. See rectify.h. */
#include "rectify_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_DEFAULT_ROUNDS 30
/* Aim the floors this far under the limit, so whole-unit rounding and the
 * rules' own arithmetic land inside it. */
#define PLAN_CV_MARGIN 1e-6

/* The working state of one planning run. */
typedef struct {
    const plan_request *req;
    plan_school_geom *geom;
    plan_school_ask *ask;
    double *cost;          /* per school, of its MILP additions (rooms excluded) */
} planner;

/* A weighted population's coefficient: sqrt(Σ(P_i/P)(x_i − x̄)²) / x̄ with
 * every x_i raised to at least floor. HUGE_VAL when the mean is 0. */
static double clipped_cv(const double *x, const double *w, size_t n, double floor)
{
    double wsum = 0, mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        wsum += w[i];
        mean += w[i] * fmax(x[i], floor);
    }
    if (wsum <= 0 || mean <= 0)
        return HUGE_VAL;
    mean /= wsum;
    for (size_t i = 0; i < n; i++) {
        double d = fmax(x[i], floor) - mean;
        var += w[i] / wsum * d * d;
    }
    return sqrt(var) / mean;
}

/* The least floor (by bisection) that brings the clipped coefficient within limit. */
static double cv_floor(const double *x, const double *w, size_t n, double limit)
{
    double lo = HUGE_VAL, hi = 0;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    if (clipped_cv(x, w, n, lo) <= limit)
        return lo;
    for (int it = 0; it < 100 && hi - lo > 1e-12 * fmax(1.0, hi); it++) {
        double mid = 0.5 * (lo + hi);
        if (clipped_cv(x, w, n, mid) <= limit)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* The request school whose code is code, or -1. */
static long school_index(const plan_request *req, const char *code)
{
    for (size_t i = 0; i < req->n_schools; i++)
        if (strcmp(req->schools[i].school->school_code, code) == 0)
            return (long)i;
    return -1;
}

/* Adds floor cuts for indicator k of stage s of st (its coefficient is over
 * the limit); marks the schools to solve again in dirty. Returns how many
 * floors were raised, or -1 when out of memory. */
static long add_cv_cuts(planner *p, const county_status *st, int s, int k, bool *dirty)
{
    const plan_request *req = p->req;
    size_t n = 0;
    double *x = malloc((st->n_sections + 1) * sizeof *x), *w = malloc((st->n_sections + 1) * sizeof *w);
    if (!x || !w) {
        free(x);
        free(w);
        return -1;
    }
    for (size_t i = 0; i < st->n_sections; i++) {
        const section_status *sec = &st->sections[i];
        if (sec->stage == (stage_t)s && section_included(sec)) {
            x[n] = sec->value[k];
            w[n++] = (double)sec->students;
        }
    }
    double f = cv_floor(x, w, n, req->rules->cv_limit[s] * (1 - PLAN_CV_MARGIN));
    long raised = 0;
    for (size_t i = 0; i < st->n_sections; i++) {
        const section_status *sec = &st->sections[i];
        if (sec->stage != (stage_t)s || !section_included(sec) || sec->value[k] >= f)
            continue;
        long j = school_index(req, sec->school_code);
        if (j < 0)
            continue;
        double want = f * (double)sec->students / INDICATORS[k].per * (1 + PLAN_CV_MARGIN);
        if (want > p->ask[j].floor[s][k]) {
            p->ask[j].floor[s][k] = want;
            dirty[j] = true;
            raised++;
        }
    }
    free(x);
    free(w);
    return raised;
}

/* Solves every school marked dirty (all when dirty is NULL) into add[]. */
static int solve_schools(planner *p, const bool *dirty, plan_additions *add, double *lp_sum)
{
    const plan_request *req = p->req;
    for (size_t j = 0; j < req->n_schools; j++) {
        if (dirty && !dirty[j])
            continue;
        double lp = 0;
        int rc = plan_solve_school(req->rules, req->costs, &p->geom[j], &p->ask[j], &add[j], &p->cost[j], &lp);
        if (rc != PLAN_OK)
            return rc;
        add[j].music_rooms = p->geom[j].music_rooms_needed;
        add[j].art_rooms = p->geom[j].art_rooms_needed;
        if (lp_sum)
            *lp_sum += lp;
    }
    return PLAN_OK;
}

/* Total cost of a plan. */
static double plan_total(const plan_request *req, const plan_additions *add)
{
    double total = 0;
    for (size_t j = 0; j < req->n_schools; j++)
        total += plan_additions_cost(&add[j], req->costs);
    return total;
}

/* The rounds: check the plan with the rules engine; cut each coefficient
 * over its limit; solve the cut schools again. Sets res->outcome/rounds. */
static int coefficient_rounds(planner *p, plan_result *res, bool *dirty)
{
    const plan_request *req = p->req;
    int max_rounds = req->max_rounds > 0 ? req->max_rounds : PLAN_DEFAULT_ROUNDS;
    for (res->rounds = 0;; res->rounds++) {
        county_status *st = plan_assess(req, res->add);
        if (!st)
            return PLAN_ENOMEM;
        bool rooms_ok = st->guarantee[GUAR_MUSIC_ART_ROOMS].pass;
        if (st->resource_allocation_pass && rooms_ok) {
            county_status_destroy(&st);
            res->outcome = PLAN_PASSES;
            return PLAN_OK;
        }
        long raised = 0;
        memset(dirty, 0, req->n_schools * sizeof *dirty);
        for (int s = 0; s < STAGE_COUNT && raised >= 0; s++)
            for (int k = 0; k < IND_COUNT && raised >= 0; k++)
                if (st->stage[s].applicable && st->stage[s].ind[k].cv_defined && !st->stage[s].ind[k].cv_ok) {
                    long r = add_cv_cuts(p, st, s, k, dirty);
                    raised = r < 0 ? -1 : raised + r;
                }
        county_status_destroy(&st);
        if (raised < 0)
            return PLAN_ENOMEM;
        if (raised == 0 || res->rounds + 1 >= max_rounds) {
            res->outcome = PLAN_NO_PASSING_PLAN;
            return PLAN_OK;
        }
        int rc = solve_schools(p, dirty, res->add, NULL);
        if (rc != PLAN_OK)
            return rc;
    }
}

/* Fills the result's naive cost and its with-plan counts. */
static int finish_result(const plan_request *req, plan_result *res)
{
    res->naive_cost = 0;
    for (size_t j = 0; j < req->n_schools; j++) {
        plan_additions naive;
        plan_naive_additions(req->rules, req->schools[j].school, req->schools[j].sub, &naive);
        res->naive_cost += plan_additions_cost(&naive, req->costs);
    }
    res->cost = plan_total(req, res->add);
    county_status *st = plan_assess(req, res->add);
    if (!st)
        return PLAN_ENOMEM;
    res->sections_assessed = 0;
    res->sections_passing = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        res->sections_assessed += st->stage[s].sections_assessed;
        res->sections_passing += st->stage[s].sections_passing;
    }
    res->resource_pass = st->resource_allocation_pass;
    res->rooms_pass = st->guarantee[GUAR_MUSIC_ART_ROOMS].pass;
    county_status_destroy(&st);
    return PLAN_OK;
}

/* Reads every school and solves round 0 (no cuts): the lower bounds. */
static int first_round(planner *p, plan_result *res)
{
    const plan_request *req = p->req;
    for (size_t j = 0; j < req->n_schools; j++) {
        int rc = plan_geom(req->rules, req->schools[j].school, req->schools[j].sub, &p->geom[j]);
        if (rc != PLAN_OK)
            return rc;
        for (int s = 0; s < STAGE_COUNT; s++)
            p->ask[j].want[s] = p->geom[j].included[s];
    }
    double lp_sum = 0;
    int rc = solve_schools(p, NULL, res->add, &lp_sum);
    if (rc != PLAN_OK)
        return rc;
    double rooms = 0;
    for (size_t j = 0; j < req->n_schools; j++)
        rooms += (double)res->add[j].music_rooms * req->costs->yuan[COST_MUSIC_ROOM] +
                 (double)res->add[j].art_rooms * req->costs->yuan[COST_ART_ROOM];
    res->lower_bound = plan_total(req, res->add);
    res->lp_bound = fmin(lp_sum + rooms, res->lower_bound);
    return PLAN_OK;
}

/* The whole run on an allocated planner and result. */
static int run_planner(planner *p, plan_result *res, bool *dirty)
{
    const plan_request *req = p->req;
    int rc = first_round(p, res);
    if (rc == PLAN_OK)
        rc = coefficient_rounds(p, res, dirty);
    if (rc != PLAN_OK)
        return rc;
    res->full_cost = plan_total(req, res->add);
    bool budgeted = req->budget > 0 && isfinite(req->budget);
    if (budgeted && (res->outcome != PLAN_PASSES || res->full_cost > req->budget)) {
        if (res->outcome == PLAN_PASSES)
            res->outcome = PLAN_OVER_BUDGET;
        rc = plan_budget(req, p->geom, res->add);
        if (rc != PLAN_OK)
            return rc;
    }
    return finish_result(req, res);
}

int plan_solve_county(const plan_request *req, plan_result **out)
{
    *out = NULL;
    if (!req || !req->rules || !req->costs || !req->county || (!req->schools && req->n_schools > 0))
        return PLAN_EINVAL;
    size_t n = req->n_schools;
    plan_result *res = calloc(1, sizeof *res);
    planner p = { req, calloc(n + 1, sizeof *p.geom), calloc(n + 1, sizeof *p.ask), calloc(n + 1, sizeof(double)) };
    bool *dirty = calloc(n + 1, sizeof *dirty);
    int rc = PLAN_ENOMEM;
    if (res && p.geom && p.ask && p.cost && dirty && (res->add = calloc(n + 1, sizeof *res->add))) {
        res->n = n;
        rc = run_planner(&p, res, dirty);
    }
    free(p.geom);
    free(p.ask);
    free(p.cost);
    free(dirty);
    if (rc != PLAN_OK) {
        plan_result_destroy(&res);
        return rc;
    }
    *out = res;
    return PLAN_OK;
}

void plan_result_destroy(plan_result **p)
{
    if (!p || !*p)
        return;
    free((*p)->add);
    free(*p);
    *p = NULL;
}
