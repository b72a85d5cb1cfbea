/* review_state.h -- the review chain in memory (docs/review.md): the review
 * state of school revisions, each county's package per period with its
 * problems and the city's overrides, and the periods with their closing
 * dates and per-school reopenings. Loaded from the store at start (the
 * database stays the truth); changed by the admin module only after the
 * action's COMMIT; read by the publisher (the "review" object of every
 * status, the official view's overrides) and by ingest (is a period open for
 * this school?). No I/O, no clock: callers pass dates.
 *
 * Ownership: the review state owns everything it holds; pointers it returns
 * stay valid until the next change to the same object or its destruction. */
#ifndef JUNHENG_REVIEW_STATE_H
#define JUNHENG_REVIEW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The review state of one school revision. */
typedef enum { REVIEW_SUBMITTED = 0, REVIEW_APPROVED, REVIEW_RETURNED } revision_review;

/* A county's package for one school year. */
typedef enum {
    PACKAGE_COLLECTING = 0,
    PACKAGE_SEALED,
    PACKAGE_CITY_REVIEWING,
    PACKAGE_RETURNED,
    PACKAGE_CITY_PASSED
} package_state;

/* A problem the city found in a package. */
typedef enum { PROBLEM_OPEN = 0, PROBLEM_RECTIFIED, PROBLEM_CLOSED } problem_state;

/* Whether a school's submission for a period is taken now. */
typedef enum {
    PERIOD_ADMIT_OPEN = 0,    /* never opened (no dates: always taken), or open and before its closing date */
    PERIOD_ADMIT_LATE,        /* closed, but reopened for this school: taken, marked late */
    PERIOD_ADMIT_CLOSED       /* closed: refused */
} period_admission;

/* "submitted" / "approved" / "returned"; 待审核 / 已通过 / 已退回. */
const char *revision_review_key(revision_review r);
const char *revision_review_zh(revision_review r);
/* "collecting", "sealed", "city_reviewing", "returned", "city_passed"; 收集中 ... 市级复核通过. */
const char *package_state_key(package_state s);
const char *package_state_zh(package_state s);
/* "open", "rectified", "closed"; 待整改 / 已整改 / 已销号. */
const char *problem_state_key(problem_state s);
const char *problem_state_zh(problem_state s);

/* One county's package for one period. */
typedef struct {
    package_state state;
    int64_t seal;                 /* the newest seal's id, 0 when never sealed */
    char sealed_at[32];           /* RFC 3339 UTC of that seal, "" when never sealed */
    int64_t seal_inputs_revision; /* the newest county-inputs revision the seal folded in (0: none) */
    uint32_t problems_open, problems_rectified, problems_closed; /* kept by review_state_put_problem */
} package_info;

/* One problem of a package. */
typedef struct {
    int64_t id;
    char county_code[7];
    int32_t period;
    char item[8];                 /* the item's number, "2.8" */
    problem_state state;
} problem_info;

/* One city override of an item's field (docs/review.md). */
typedef struct {
    char item[8];                 /* the item's number */
    char field[48];               /* the field id, "present", "performance_pay_approved" */
    char value[16];               /* "yes"/"no"/"present"/"absent" */
    char *reason;                 /* owned by the review state */
    char at[32];                  /* RFC 3339 UTC */
} city_override;

/* One period as an admin set it. */
typedef struct {
    int32_t period;
    int32_t closes_on;            /* YYYYMMDD: the last day submissions are taken; 0: no date */
    bool closed;                  /* closed at once by `admin period close` */
} period_info;

typedef struct review_state review_state;

/* An empty review state; NULL when out of memory. */
review_state *review_state_new(void);
/* Frees it and nulls *p. */
void review_state_destroy(review_state **p);

/* --- school revisions --- */
/* Records the state of a revision (only approved and returned are held;
 * setting REVIEW_SUBMITTED forgets it). 0, or -1 when out of memory. */
int review_state_set_revision(review_state *self, int64_t revision, revision_review state);
/* The state of a revision: REVIEW_SUBMITTED when none was recorded. */
revision_review review_state_revision(const review_state *self, int64_t revision);

/* --- packages, problems and overrides --- */
/* The package of (county, period), or NULL (collecting, never sealed). */
const package_info *review_state_package(const review_state *self, const char *county_code, int32_t period);
/* Replaces the package's state, seal, sealed_at and seal_inputs_revision
 * (its problem counts are kept). 0, or -1 when out of memory. */
int review_state_set_package(review_state *self, const char *county_code, int32_t period, const package_info *p);
/* Adds a problem or changes its state; the package's counts follow. 0 or -1. */
int review_state_put_problem(review_state *self, const problem_info *p);
/* A problem by id, or NULL. */
const problem_info *review_state_problem(const review_state *self, int64_t id);
/* Sets the city's override of (county, period, item, field) -- value ""
 * withdraws it. reason and at are copied. 0 or -1. */
int review_state_put_override(review_state *self, const char *county_code, int32_t period, const char *item,
                              const char *field, const char *value, const char *reason, const char *at);
/* The overrides of (county, period), in item then field order; *out points
 * into the state (NULL when none). Returns their number. */
size_t review_state_overrides(const review_state *self, const char *county_code, int32_t period,
                              const city_override **out);

/* --- periods --- */
/* Sets a period's dates (open, close, reopen). 0 or -1. */
int review_state_set_period(review_state *self, const period_info *p);
/* A period as set, or NULL when never opened. */
const period_info *review_state_period(const review_state *self, int32_t period);
/* Records that the county reopened a closed period for one school. 0 or -1. */
int review_state_reopen_school(review_state *self, int32_t period, const char *school_code);
/* Whether a submission of school_code for period is taken on day today
 * (YYYYMMDD, the daemon's local date). */
period_admission review_state_admit(const review_state *self, int32_t period, const char *school_code,
                                    int32_t today);
/* The periods set, in period order (*out points into the state). */
size_t review_state_periods(const review_state *self, const period_info **out);

#endif
