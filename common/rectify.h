/* rectify.h -- the cheapest path (整改方案): the least a county must hire, build
 * and buy so that its resource allocation passes (docs/rules.md §4–§5: every
 * assessed section meets min_met of the seven indicators with every miss at
 * least floor_ratio of its standard, every coefficient within its limit) and
 * item 2.3 (music and art rooms, §6) passes. docs/plan.md explains the method.
 *
 *   - plan_costs: unit costs (a costs CSV, plan_costs_parse());
 *   - plan_solve_county(): per-school additions of least cost, solved with GLPK
 *     (one small MILP per school, binary "meets indicator k" per section),
 *     the coefficients handled by floor cuts over rounds, every plan checked
 *     by applying it and assessing the county with county_assess() -- the
 *     rules engine the daemon uses; beside it the naive plan (every school
 *     raised to every standard) and lower bounds on the optimum;
 *   - plan_apply(): a submission with a school's additions applied.
 *
 * Pure: no I/O, no globals (GLPK's terminal output is switched off).
 * Ownership: a plan_result owns its arrays; free it with plan_result_destroy(). */
#ifndef JUNHENG_RECTIFY_H
#define JUNHENG_RECTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess.h"

/* Error codes (negative; 0 is success). */
enum { PLAN_OK = 0, PLAN_ENOMEM = -1, PLAN_EINVAL = -2, PLAN_ESOLVER = -3 };

/* The teacher kinds a plan hires: one per teacher indicator, in indicator
 * order (IND_QUALIFIED_TEACHERS, IND_BACKBONE_TEACHERS, IND_PE_ART_TEACHERS).
 * A hire counts in the stage's teachers and in its kind's indicator only. */
typedef enum { HIRE_QUALIFIED = 0, HIRE_BACKBONE, HIRE_PE_ART, HIRE_COUNT } plan_hire;

/* The items of the costs file, in its order (docs/plan.md). */
typedef enum {
    COST_QUALIFIED_TEACHER = 0, /* yuan per teacher-year, a teacher above the required degree */
    COST_BACKBONE_TEACHER,      /* yuan per teacher-year, a county-level backbone teacher */
    COST_PE_ART_TEACHER,        /* yuan per teacher-year, a PE, music or art teacher */
    COST_TEACHER_YEARS,         /* years of pay a hire is costed for */
    COST_TEACHING_AREA,         /* yuan per m² of teaching and auxiliary floor built */
    COST_SPORTS_AREA,           /* yuan per m² of sports ground or hall */
    COST_EQUIPMENT,             /* yuan per yuan of teaching equipment (1.0) */
    COST_MULTIMEDIA_ROOM,       /* yuan per networked multimedia classroom */
    COST_MUSIC_ROOM,            /* yuan per music room at the standard area */
    COST_ART_ROOM,              /* yuan per art room at the standard area */
    COST_COUNT
} plan_cost_item;

typedef struct {
    const char *key;     /* the costs file's item, "sports_area" */
    const char *unit;    /* the costs file's unit, "yuan/m2" */
    const char *name_zh; /* Chinese name */
    double national;     /* the default shipped in deploy/plan/costs.csv */
} plan_cost_def;

extern const plan_cost_def PLAN_COST_ITEMS[COST_COUNT];

typedef struct {
    double yuan[COST_COUNT];
} plan_costs;

/* Fills self with the defaults (PLAN_COST_ITEMS[].national). */
void plan_costs_default(plan_costs *self);

/* Parses a costs CSV (header `item,unit,yuan`; `#` lines and blank lines
 * skipped) on top of the current values of self. Every item must be known,
 * its unit the one PLAN_COST_ITEMS names, its value a number ≥ 0 (teacher
 * years > 0); a repeated item is an error. Returns PLAN_OK, or PLAN_EINVAL
 * with the reason (naming the line) in err; self is untouched on error. */
int plan_costs_parse(plan_costs *self, const char *text, char *err, size_t errsize);

/* One school's additions. Areas in whole m², equipment in whole yuan. */
typedef struct {
    int64_t teachers[STAGE_COUNT][HIRE_COUNT];
    double teaching_area_m2;
    double sports_area_m2;
    double equipment_yuan;
    int64_t multimedia_rooms;
    int64_t music_rooms;     /* each of rules->music_room_min_area_m2 */
    int64_t art_rooms;       /* each of rules->art_room_min_area_m2 */
} plan_additions;

/* The cost of one school's additions. */
double plan_additions_cost(const plan_additions *add, const plan_costs *costs);

/* Whether the additions add nothing. */
bool plan_additions_empty(const plan_additions *add);

/* Writes sub + add into *out (a deep copy; caller clears it with
 * submission_clear): each hire adds to its stage's teachers and its kind's
 * count and to certified_teachers and trained_teachers (a hire arrives
 * certified and is trained with the staff; docs/plan.md); areas, equipment
 * and multimedia rooms add to the school totals; each new music or art room
 * is appended at the standard area. A stage that gets teachers is marked
 * present. Returns PLAN_OK or PLAN_ENOMEM. */
int plan_apply(const rules_config *rules, const submission *sub, const plan_additions *add, submission *out);

/* What plan_solve_county() is asked. */
typedef struct {
    const rules_config *rules;
    const plan_costs *costs;
    const county_info *county;
    int32_t period;
    const assess_entry *schools;   /* the county's schools, borrowed; sub NULL = not submitted */
    size_t n_schools;
    double budget;                 /* yuan; ≤ 0 or HUGE_VAL: no budget */
    int max_rounds;                /* coefficient rounds (0: the default, 30) */
} plan_request;

/* Why a plan ends as it does. */
typedef enum {
    PLAN_PASSES = 0,          /* the plan makes the county pass (checked by county_assess) */
    PLAN_OVER_BUDGET,         /* a passing plan costs more than the budget: the plan passes the most
                                 sections within it */
    PLAN_NO_PASSING_PLAN,     /* no passing plan was found within the rounds (or no stage is assessed) */
} plan_outcome;

typedef struct {
    plan_outcome outcome;
    plan_additions *add;           /* owned; one per request school, same order */
    size_t n;
    double cost;                   /* the proposed plan's cost */
    double full_cost;              /* the cheapest passing plan found (== cost unless over budget) */
    double naive_cost;             /* every school raised to every standard */
    double lower_bound;            /* Σ per-school MILP optimum without the coefficients: ≤ the optimum */
    double lp_bound;               /* Σ per-school LP relaxation (≤ lower_bound) */
    int rounds;                    /* coefficient rounds used */
    int64_t sections_assessed;     /* included sections of the county */
    int64_t sections_passing;      /* ...that pass with the plan applied */
    bool resource_pass;            /* resource_allocation_pass with the plan applied */
    bool rooms_pass;               /* item music_art_rooms with the plan applied */
} plan_result;

/* Plans the county of req. Returns PLAN_OK and a new result in *out (caller
 * destroys), or an error code (*out NULL): PLAN_EINVAL for a bad request,
 * PLAN_ENOMEM, PLAN_ESOLVER when GLPK fails. */
int plan_solve_county(const plan_request *req, plan_result **out);

/* Frees a result; sets *p to NULL. */
void plan_result_destroy(plan_result **p);

/* The naive additions of one school: every included section raised to every
 * standard (whole units rounded up), rooms to item 2.3. */
void plan_naive_additions(const rules_config *rules, const school_info *info, const submission *sub,
                          plan_additions *out);

/* Assesses the county with every school's additions applied (add NULL: as it
 * is). Returns a new county_status (caller destroys) or NULL when out of memory. */
county_status *plan_assess(const plan_request *req, const plan_additions *add);

#endif
