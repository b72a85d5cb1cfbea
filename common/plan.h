/* plan.h -- a city's plan for its counties (推进方案: the coefficients and
 * shares of schools it expects each year, and the years of review) and the
 * plan set beside a county's measured status (docs/formats.md "The city's
 * plan" and the status JSON's "plan" object). Pure: no I/O.
 *
 * A plan row holds, for one county and one school year (0: every year),
 * the planned figures (PLAN_FIGURES; NaN: not planned) and the planned
 * years (PLAN_YEARS; 0: not given). plan_compare() measures the same
 * figures on a county_status and says which are behind. */
#ifndef JUNHENG_PLAN_H
#define JUNHENG_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess.h"
#include "json_writer.h"
#include "problems.h"

/* The planned figures: the coefficient ceiling per stage, then the share
 * (percent) of assessed school sections meeting each of the seven
 * indicators (indicator order), all seven, and of schools at standard class
 * size and within the scale cap. */
typedef enum {
    PLAN_CV_PRIMARY = 0,
    PLAN_CV_JUNIOR,
    PLAN_SHARE_FIRST,                           /* + indicator_id */
    PLAN_ALL_SEVEN = PLAN_SHARE_FIRST + IND_COUNT,
    PLAN_CLASS_SIZE,
    PLAN_SCHOOL_SCALE,
    PLAN_FIGURE_COUNT
} plan_figure;

/* The planned years: city review (市级评估), provincial application (申报省级
 * 评估), national recognition (国家认定). */
typedef enum { PLAN_YEAR_CITY_REVIEW = 0, PLAN_YEAR_PROVINCE_APPLY, PLAN_YEAR_NATIONAL, PLAN_YEAR_COUNT } plan_year;

/* One column of the plan file: the JSON id, the English heading, the
 * Chinese heading (with an alternative, may be NULL). */
typedef struct {
    const char *key;       /* "cv_primary", "sports_area", "all_seven", "province_apply" */
    const char *column;    /* "cv_target_primary", "sports_area_pct", "province_apply_year" */
    const char *zh;        /* "小学差异系数目标" */
    const char *zh_alt;
} plan_column_def;

extern const plan_column_def PLAN_FIGURES[PLAN_FIGURE_COUNT];
extern const plan_column_def PLAN_YEARS[PLAN_YEAR_COUNT];

/* Whether a figure is a share in percent (else a coefficient, lower is better). */
bool plan_figure_is_share(plan_figure f);

/* One county's plan for one school year. */
typedef struct {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;                     /* the school year; 0: every year */
    double planned[PLAN_FIGURE_COUNT];  /* NaN: not planned */
    int32_t year[PLAN_YEAR_COUNT];      /* 0: not given */
    size_t line;                        /* the file's line (reading); 0 otherwise */
    int64_t revision;                   /* the stored revision (0: not stored yet) */
    char imported_at[24];               /* RFC 3339 UTC of the revision; "" unknown */
} plan_row;

/* An empty row: nothing planned, no years. */
void plan_row_init(plan_row *r);

/* The row's figures and years as a JSON object text {"cv_primary": 0.5,
 * ..., "years": {"province_apply": 2025}} (only what is planned; reals to
 * 15 significant digits, so 67.7 stays 67.7), the form stored with each
 * revision. Returns a malloc'd string (caller frees), or
 * NULL when out of memory. */
char *plan_row_to_json(const plan_row *r);

/* Reads plan_row_to_json's text into out's figures and years (the other
 * fields untouched, unknown keys ignored). Returns 0, or -1 when text is not
 * a JSON object. */
int plan_row_from_json(const char *text, plan_row *out);

/* One figure planned beside the same figure measured. */
typedef struct {
    bool planned_set;      /* false: the plan leaves it out (not shown) */
    double planned;
    double measured;       /* NaN: cannot be measured yet (no assessed section) */
    bool behind;           /* measured and worse than planned */
} plan_figure_status;

/* A county's status against its plan. */
typedef struct {
    const plan_row *plan;  /* borrowed */
    plan_figure_status fig[PLAN_FIGURE_COUNT];
    int n_behind;
    int32_t due;           /* the year the county is to apply (0: no year planned) */
    bool behind_in_due_year;
} plan_status;

/* The measured figures of st: the worst coefficient of each stage (NaN when
 * none is defined); the share, in percent, of assessed (not excluded)
 * sections meeting each indicator and all seven; of applicable schools at
 * standard class size and within the scale cap (NaN when there are none). */
void plan_measure(const county_status *st, double measured[PLAN_FIGURE_COUNT]);

/* plan (borrowed; NULL: no plan) against st for st->period into *out: a
 * figure is behind when it is measured and worse than planned -- a
 * coefficient above its ceiling, a share below its target (with 1e-9 of
 * slack for rounding). due is the provincial application year, else the
 * city review year; behind_in_due_year when st->period is that year and
 * some figure is behind. */
void plan_compare(const plan_row *plan, const county_status *st, plan_status *out);

/* Writes "plan": {...} (or "plan": null when ps or ps->plan is NULL) into
 * the object open in w (docs/formats.md, the status JSON's "plan"). */
void plan_status_write_json(json_writer *w, const plan_status *ps);

/* --- Reading a plan file (plan_csv.c) ---------------------------------- */

/* A county the file may name: its code and name (borrowed). */
typedef struct {
    const char *code;
    const char *name;
} plan_county;

/* Reads a plan file (CSV bytes, any supported encoding; docs/formats.md
 * "The city's plan"): counties by code or by name (one of counties), the
 * school year optional (blank: every year), every figure and year column
 * optional but at least one. All or nothing: every problem goes to errs
 * (field "line N: column" or the column's heading), and the caller refuses
 * the file when errs holds any. Returns 0 with *rows (caller frees) and *n,
 * or -1 (file-level problem, or out of memory; nothing to free). */
int plan_csv_read(const char *bytes, size_t len, const plan_county *counties, size_t n_counties, plan_row **rows,
                  size_t *n, problem_list *errs);

#endif
