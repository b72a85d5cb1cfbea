/* rectify_budget.c -- the plan within a budget too small for a passing one
 * (docs/plan.md "Within a budget"): the most sections passing the 6-of-7 /
 * 85 % rule for the money, exactly, as a multiple-choice knapsack. Each
 * school offers one option per subset of its included sections (at most
 * four), costed by its own MILP; dynamic programming over the number of
 * passing sections keeps the least cost of each count. What is left buys
 * the 2.3 rooms of whole schools, cheapest first. See rectify_int.h. */
#include "rectify_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUBSETS (1 << STAGE_COUNT)

/* One school's options: the additions and cost of passing each subset. */
typedef struct {
    plan_additions add[SUBSETS];
    double cost[SUBSETS];
    bool valid[SUBSETS];
} school_options;

/* How many sections a subset mask holds. */
static int mask_count(unsigned m)
{
    int c = 0;
    for (; m; m >>= 1)
        c += (int)(m & 1u);
    return c;
}

/* Costs every subset of one school's included sections. */
static int school_subsets(const plan_request *req, const plan_school_geom *g, school_options *o)
{
    unsigned included = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (g->included[s])
            included |= 1u << s;
    for (unsigned m = 0; m < SUBSETS; m++) {
        o->valid[m] = (m & ~included) == 0;
        if (!o->valid[m])
            continue;
        plan_school_ask ask;
        memset(&ask, 0, sizeof ask);
        for (int s = 0; s < STAGE_COUNT; s++)
            ask.want[s] = (m >> s & 1u) != 0;
        int rc = plan_solve_school(req->rules, req->costs, g, &ask, &o->add[m], &o->cost[m], NULL);
        if (rc != PLAN_OK)
            return rc;
    }
    return PLAN_OK;
}

/* One school's rooms for 2.3, for the leftover pass. */
typedef struct {
    double cost;
    size_t school;
} room_buy;

/* Orders room purchases by cost, then by school position. */
static int room_buy_cmp(const void *a, const void *b)
{
    const room_buy *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return x->school < y->school ? -1 : x->school > y->school;
}

/* Buys whole schools' 2.3 rooms with what is left of the budget. */
static int buy_rooms(const plan_request *req, const plan_school_geom *geom, plan_additions *add, double left)
{
    size_t n = req->n_schools, k = 0;
    room_buy *buys = malloc((n + 1) * sizeof *buys);
    if (!buys)
        return PLAN_ENOMEM;
    for (size_t j = 0; j < n; j++)
        if (geom[j].music_rooms_needed + geom[j].art_rooms_needed > 0)
            buys[k++] = (room_buy){ (double)geom[j].music_rooms_needed * req->costs->yuan[COST_MUSIC_ROOM] +
                                        (double)geom[j].art_rooms_needed * req->costs->yuan[COST_ART_ROOM], j };
    qsort(buys, k, sizeof *buys, room_buy_cmp);
    for (size_t i = 0; i < k && buys[i].cost <= left; i++) {
        add[buys[i].school].music_rooms = geom[buys[i].school].music_rooms_needed;
        add[buys[i].school].art_rooms = geom[buys[i].school].art_rooms_needed;
        left -= buys[i].cost;
    }
    free(buys);
    return PLAN_OK;
}

/* The knapsack: dp[g] the least cost of g passing sections over the schools
 * so far; choice[j][g] the subset school j took to reach g. Writes the best
 * plan into add[] and returns its cost in *spent. */
static int knapsack(const plan_request *req, const school_options *opts, size_t total, plan_additions *add,
                    double *spent)
{
    size_t n = req->n_schools, width = total + 1;
    double *dp = malloc(width * sizeof *dp), *next = malloc(width * sizeof *next);
    unsigned char *choice = calloc(n * width + 1, 1);
    if (!dp || !next || !choice) {
        free(dp);
        free(next);
        free(choice);
        return PLAN_ENOMEM;
    }
    for (size_t g = 0; g < width; g++)
        dp[g] = g == 0 ? 0 : HUGE_VAL;
    for (size_t j = 0; j < n; j++) {
        for (size_t g = 0; g < width; g++)
            next[g] = HUGE_VAL;
        for (size_t g = 0; g < width; g++) {
            if (dp[g] == HUGE_VAL)
                continue;
            for (unsigned m = 0; m < SUBSETS; m++) {
                size_t to = g + (size_t)mask_count(m);
                double c = dp[g] + opts[j].cost[m];
                if (!opts[j].valid[m] || to >= width || c >= next[to])
                    continue;
                next[to] = c;
                choice[j * width + to] = (unsigned char)m;
            }
        }
        memcpy(dp, next, width * sizeof *dp);
    }
    size_t best = 0;
    *spent = 0;
    for (size_t g = 0; g < width; g++)
        if (dp[g] <= req->budget) {
            best = g;
            *spent = dp[g];
        }
    for (size_t j = n; j-- > 0;) {
        unsigned m = choice[j * width + best];
        add[j] = opts[j].add[m];
        best -= (size_t)mask_count(m);
    }
    free(dp);
    free(next);
    free(choice);
    return PLAN_OK;
}

int plan_budget(const plan_request *req, const plan_school_geom *geom, plan_additions *add)
{
    size_t n = req->n_schools, total = 0;
    school_options *opts = calloc(n + 1, sizeof *opts);
    if (!opts)
        return PLAN_ENOMEM;
    int rc = PLAN_OK;
    for (size_t j = 0; j < n && rc == PLAN_OK; j++) {
        rc = school_subsets(req, &geom[j], &opts[j]);
        for (int s = 0; s < STAGE_COUNT; s++)
            total += geom[j].included[s] ? 1 : 0;
    }
    double spent = 0;
    if (rc == PLAN_OK)
        rc = knapsack(req, opts, total, add, &spent);
    if (rc == PLAN_OK)
        rc = buy_rooms(req, geom, add, req->budget - spent);
    free(opts);
    return rc;
}
