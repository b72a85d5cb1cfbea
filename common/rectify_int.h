/* rectify_int.h -- the planner's inner pieces, shared by rectify.c, rectify_apply.c,
 * rectify_solve.c and rectify_budget.c. Not for callers outside the planner. */
#ifndef JUNHENG_RECTIFY_INT_H
#define JUNHENG_RECTIFY_INT_H

#include "assess_school.h"
#include "rectify.h"

/* Relative slack under a standard that still meets it: well inside the
 * rules' equality tolerance (1e-9), so a plan built to it passes. */
#define PLAN_MEET_SLACK 1e-10

/* What the planner needs of one school, read with the rules engine's own
 * functions (assess_school): its included sections' students, resources and
 * needs, and the part of one unit of a school-wide total each section gets. */
typedef struct {
    bool plannable;                            /* counted and submitted */
    bool included[STAGE_COUNT];                /* an included section is listed for the stage */
    int64_t students[STAGE_COUNT];
    double resource[STAGE_COUNT][IND_COUNT];   /* the section's current resources */
    double need[STAGE_COUNT][IND_COUNT];       /* the resource meeting the standard exactly */
    double share[STAGE_COUNT];                 /* a section's part of one unit added to a school total */
    int64_t music_rooms_needed;                /* rooms to add for item 2.3 */
    int64_t art_rooms_needed;
} plan_school_geom;

/* Fills *g for one school (sub NULL: not plannable). Returns PLAN_OK or PLAN_ENOMEM. */
int plan_geom(const rules_config *rules, const school_info *info, const submission *sub, plan_school_geom *g);

/* x rounded up to a whole number, a value within the rules' tolerance of
 * an integer snapped to it first; never below 0. */
double plan_ceil_units(const rules_config *rules, double x);

/* What one school's MILP is asked. */
typedef struct {
    double floor[STAGE_COUNT][IND_COUNT]; /* least resource per section (coefficient cuts); 0: none */
    bool want[STAGE_COUNT];               /* sections that must pass the 6-of-7 / 85 % rule */
} plan_school_ask;

/* Solves one school's MILP with GLPK: the cheapest hires, areas, equipment
 * and multimedia rooms such that every wanted section passes and every
 * floor holds (rooms for 2.3 are not part of it). Fills *out (rooms 0),
 * *cost, and *lp (the LP relaxation's value; may be NULL).
 * Returns PLAN_OK, PLAN_ENOMEM or PLAN_ESOLVER. */
int plan_solve_school(const rules_config *rules, const plan_costs *costs, const plan_school_geom *g,
                      const plan_school_ask *ask, plan_additions *out, double *cost, double *lp);

/* The cheapest way to pass the most sections within budget (coefficients
 * aside): a multiple-choice knapsack over each school's subsets of sections,
 * each costed by plan_solve_school, solved exactly by dynamic programming
 * over the number of passing sections; rooms for 2.3 with what is left,
 * cheapest school first. Fills add[] (n schools). Returns PLAN_OK or an error. */
int plan_budget(const plan_request *req, const plan_school_geom *geom, plan_additions *add);

#endif
