/* rectify_solve.c -- one school's MILP (docs/plan.md "The model"), solved with
 * GLPK. Columns: hires per stage and kind (integer), the four school-wide
 * additions (integer m², yuan, rooms), and a binary y[s][k] per wanted
 * section and indicator, "section s meets indicator k". Rows, per wanted
 * section and indicator:
 *     r + Δ ≥ N·(f + (1 − f)·y)        (meets when y = 1, ≥ f of it always)
 * and Σ_k y[s][k] ≥ min_met; per floor F (coefficient cut): r + Δ ≥ F.
 * Δ is the hire count for a teacher indicator, share·X for a school total X.
 * The "big M" of the usual indicator constraint is N·(1 − f) here, the
 * tightest one. GLPK decides the y; the additions are then recomputed exactly
 * from them (rounding to whole units in double, the rules' own comparison),
 * so solver tolerances cannot leave a section a hair short. See rectify_int.h. */
#include "rectify_int.h"

#include <glpk.h>
#include <math.h>
#include <string.h>

/* Column numbers of one school's model (0: no such column). */
typedef struct {
    int hire[STAGE_COUNT][HIRE_COUNT];
    int total[IND_COUNT];                 /* school-wide indicators only */
    int meets[STAGE_COUNT][IND_COUNT];
} model_cols;

/* The yuan one unit of indicator k's resource costs. */
static double unit_cost(const plan_costs *costs, int k)
{
    const double *c = costs->yuan;
    switch (k) {
    case IND_QUALIFIED_TEACHERS:
        return c[COST_QUALIFIED_TEACHER] * c[COST_TEACHER_YEARS];
    case IND_BACKBONE_TEACHERS:
        return c[COST_BACKBONE_TEACHER] * c[COST_TEACHER_YEARS];
    case IND_PE_ART_TEACHERS:
        return c[COST_PE_ART_TEACHER] * c[COST_TEACHER_YEARS];
    case IND_TEACHING_AREA:
        return c[COST_TEACHING_AREA];
    case IND_SPORTS_AREA:
        return c[COST_SPORTS_AREA];
    case IND_EQUIPMENT_VALUE:
        return c[COST_EQUIPMENT];
    default:
        return c[COST_MULTIMEDIA_ROOM];
    }
}

/* Adds one column; returns its number. */
static int add_col(glp_prob *lp, int kind, double cost)
{
    int j = glp_add_cols(lp, 1);
    glp_set_col_kind(lp, j, kind);
    if (kind != GLP_BV)
        glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(lp, j, cost);
    return j;
}

/* The column carrying section s's addition to indicator k, and its coefficient. */
static int delta_col(const model_cols *mc, const plan_school_geom *g, int s, int k, double *coef)
{
    if (INDICATORS[k].school_wide) {
        *coef = g->share[s];
        return mc->total[k];
    }
    *coef = 1.0;
    return mc->hire[s][k];
}

/* Adds the row lo ≤ Σ coef·x with up to three terms. */
static void add_row(glp_prob *lp, double lo, int n, const int *cols, const double *coefs)
{
    int i = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, i, GLP_LO, lo, 0.0);
    int ind[4];
    double val[4];
    for (int t = 0; t < n; t++) {
        ind[t + 1] = cols[t];
        val[t + 1] = coefs[t];
    }
    glp_set_mat_row(lp, i, n, ind, val);
}

/* Builds the model of one school into lp and mc. */
static void build_model(glp_prob *lp, model_cols *mc, const rules_config *rules, const plan_costs *costs,
                        const plan_school_geom *g, const plan_school_ask *ask)
{
    memset(mc, 0, sizeof *mc);
    glp_set_obj_dir(lp, GLP_MIN);
    for (int k = 0; k < IND_COUNT; k++)
        if (INDICATORS[k].school_wide)
            mc->total[k] = add_col(lp, GLP_IV, unit_cost(costs, k));
    double f = rules->floor_ratio;
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!g->included[s])
            continue;
        for (int h = 0; h < HIRE_COUNT; h++)
            mc->hire[s][h] = add_col(lp, GLP_IV, unit_cost(costs, h));
        int meet_cols[IND_COUNT + 1];   /* 1-based, as GLPK reads them */
        double ones[IND_COUNT + 1];
        for (int k = 0; k < IND_COUNT; k++) {
            double coef;
            int col = delta_col(mc, g, s, k, &coef);
            double r = g->resource[s][k];
            if (ask->floor[s][k] > r)
                add_row(lp, ask->floor[s][k] - r, 1, &col, &coef);
            if (!ask->want[s])
                continue;
            double need = g->need[s][k] * (1 - PLAN_MEET_SLACK);
            mc->meets[s][k] = add_col(lp, GLP_BV, 0.0);
            int cols[2] = { col, mc->meets[s][k] };
            double coefs[2] = { coef, -need * (1 - f) };
            add_row(lp, need * f - r, 2, cols, coefs);
            meet_cols[k + 1] = mc->meets[s][k];
            ones[k + 1] = 1.0;
        }
        if (ask->want[s]) {
            int i = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, i, GLP_LO, (double)rules->min_met, 0.0);
            glp_set_mat_row(lp, i, IND_COUNT, meet_cols, ones);
        }
    }
}

/* The exact least additions once the solver has chosen which indicators
 * each wanted section meets (meets[s] bit k): every section at its need where
 * it meets, at floor_ratio of it where not, and at its floors. */
static void exact_additions(const rules_config *rules, const plan_school_geom *g, const plan_school_ask *ask,
                            const unsigned meets[STAGE_COUNT], plan_additions *out)
{
    memset(out, 0, sizeof *out);
    double total[IND_COUNT] = { 0 };
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!g->included[s])
            continue;
        for (int k = 0; k < IND_COUNT; k++) {
            double target = ask->floor[s][k];
            if (ask->want[s]) {
                double need = g->need[s][k] * (1 - PLAN_MEET_SLACK);
                target = fmax(target, (meets[s] >> k & 1u) ? need : need * rules->floor_ratio);
            }
            double gap = target - g->resource[s][k];
            if (gap <= 0)
                continue;
            if (!INDICATORS[k].school_wide)
                out->teachers[s][k] = (int64_t)plan_ceil_units(rules, gap);
            else if (g->share[s] > 0)
                total[k] = fmax(total[k], plan_ceil_units(rules, gap / g->share[s]));
        }
    }
    out->teaching_area_m2 = total[IND_TEACHING_AREA];
    out->sports_area_m2 = total[IND_SPORTS_AREA];
    out->equipment_yuan = total[IND_EQUIPMENT_VALUE];
    out->multimedia_rooms = (int64_t)total[IND_MULTIMEDIA_ROOMS];
}

int plan_solve_school(const rules_config *rules, const plan_costs *costs, const plan_school_geom *g,
                      const plan_school_ask *ask, plan_additions *out, double *cost, double *lp_value)
{
    memset(out, 0, sizeof *out);
    *cost = 0;
    if (lp_value)
        *lp_value = 0;
    if (!g->plannable)
        return PLAN_OK;
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    if (!lp)
        return PLAN_ENOMEM;
    model_cols mc;
    build_model(lp, &mc, rules, costs, g, ask);
    int rc = PLAN_ESOLVER;
    unsigned meets[STAGE_COUNT] = { 0 };
    if (glp_get_num_rows(lp) == 0) {
        rc = PLAN_OK;   /* nothing asked of this school */
    } else {
        glp_smcp sm;
        glp_init_smcp(&sm);
        sm.msg_lev = GLP_MSG_OFF;
        glp_iocp io;
        glp_init_iocp(&io);
        io.msg_lev = GLP_MSG_OFF;
        if (glp_simplex(lp, &sm) == 0 && glp_get_status(lp) == GLP_OPT) {
            if (lp_value)
                *lp_value = glp_get_obj_val(lp);
            if (glp_intopt(lp, &io) == 0 && glp_mip_status(lp) == GLP_OPT)
                rc = PLAN_OK;
        }
        for (int s = 0; rc == PLAN_OK && s < STAGE_COUNT; s++)
            for (int k = 0; k < IND_COUNT; k++)
                if (mc.meets[s][k] && glp_mip_col_val(lp, mc.meets[s][k]) > 0.5)
                    meets[s] |= 1u << k;
    }
    glp_delete_prob(lp);
    if (rc != PLAN_OK)
        return rc;
    exact_additions(rules, g, ask, meets, out);
    *cost = plan_additions_cost(out, costs);
    return PLAN_OK;
}
