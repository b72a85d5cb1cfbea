/* assess.h -- the rules engine: a county's registry and submissions in, the
 * county status of docs/rules.md out.  Pure: no sockets, no SQL, no globals,
 * no printing, no file I/O.
 *
 * Two ways to get a county_status:
 *   county_assess()        from scratch, two-pass (restart path, tests);
 *   county_state (county_state.h) incrementally, O(1) per school update.
 * Both produce the same numbers (integers exactly, reals to ~1e-12).
 *
 * Ownership: a county_status owns every array it points to; free it with
 * county_status_destroy(). */
#ifndef JUNHENG_ASSESS_H
#define JUNHENG_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indicators.h"
#include "rules_config.h"
#include "submission.h"

/* Error codes of the rules engine (negative; 0 is success). */
enum { ASSESS_OK = 0, ASSESS_ENOMEM = -1, ASSESS_EINVAL = -2, ASSESS_ENOTFOUND = -3 };

/* Why a school section is left out of the seven indicators (§2). */
typedef enum {
    EXCL_NONE = 0,
    EXCL_SPECIAL,             /* special-education school */
    EXCL_SMALL_TEACHING_POINT,/* teaching point under teaching_point_min_students */
    EXCL_NO_STUDENTS          /* the section has zero students */
} section_exclusion;

/* The guarantee items of §6 that school data shows, in the order of the table. */
typedef enum {
    GUAR_MUSIC_ART_ROOMS = 0,
    GUAR_SCHOOL_SCALE,
    GUAR_CLASS_SIZE,
    GUAR_TEACHER_CERTIFICATION,
    GUAR_TEACHER_TRAINING,
    GUAR_TEACHER_EXCHANGE,
    GUAR_NEARBY_ENROLMENT,
    GUAR_TRAINING_BUDGET,
    GUAR_COUNT
} guarantee_id;

/* What an item's complying/applicable counts count. */
typedef enum { GUNIT_SCHOOLS = 0, GUNIT_CLASSES, GUNIT_TEACHERS } guarantee_unit;

typedef struct {
    const char *key;       /* "class_size" */
    const char *name_zh;   /* "班额" */
    guarantee_unit unit;
} guarantee_def;

extern const guarantee_def GUARANTEES[GUAR_COUNT];
extern const char *const GUARANTEE_UNIT_KEYS[3];   /* "schools", "classes", "teachers" */

/* The county-level items of §7 that school data cannot decide. */
typedef struct {
    const char *key;       /* "layout_planning" */
    const char *name_zh;
} awaiting_def;

extern const awaiting_def AWAITING_COUNTY_INPUT[];
extern const size_t AWAITING_COUNTY_INPUT_COUNT;

/* One indicator below its standard in one section (§4). */
typedef struct {
    indicator_id indicator;
    double value;          /* the section's value */
    double standard;
    double ratio;          /* value / standard */
    double needed;         /* resource still needed, in INDICATORS[].resource_unit;
                              whole teachers and rooms rounded up */
} shortfall;

/* One school section: the part of a school in one stage (§3, §4). */
typedef struct {
    char school_code[SCHOOL_CODE_LEN + 1];
    char name[256];
    school_kind kind;
    stage_t stage;
    int64_t students;
    section_exclusion excluded;
    char excluded_reason[64];   /* assess_exclusion_text(); "" when included */
    double resource[IND_COUNT]; /* the section's share of each resource (teachers, m², yuan, rooms) */
    double value[IND_COUNT];    /* per student or per 100; NaN when students == 0 */
    int met;                    /* indicators meeting the standard (included sections) */
    unsigned met_mask;          /* bit i set when indicator i meets */
    bool pass;                  /* the 6-of-7 / 85 % rule; false when excluded */
    shortfall shortfalls[IND_COUNT];
    int n_shortfalls;
} section_status;

typedef struct {
    char school_code[SCHOOL_CODE_LEN + 1];
    double share;          /* (P_i/P)(X_i − X̄)² / S² */
} contributor;

typedef struct {
    double standard;
    double mean;           /* NaN when the stage is not applicable */
    bool cv_defined;       /* false: no sections, or mean 0 */
    double cv;
    double cv_limit;
    bool cv_ok;            /* defined and ≤ limit */
    int64_t sections_meeting;
    contributor top[RULES_TOP_CONTRIBUTORS_MAX];
    int n_top;
} indicator_status;

typedef struct {
    bool applicable;       /* at least one section counted */
    int64_t sections_assessed;
    int64_t students;
    indicator_status ind[IND_COUNT];
    int64_t sections_passing;
    bool pass;             /* applicable, all sections pass, all 7 CVs within limit */
} stage_status;

typedef struct {
    bool pass;
    guarantee_unit unit;
    int64_t complying;     /* in `unit` */
    int64_t applicable;
    int64_t schools_complying;
    int64_t schools_applicable;
    char (*failing)[SCHOOL_CODE_LEN + 1]; /* owned; sorted codes */
    size_t n_failing;
} guarantee_status;

/* County-wide teacher-exchange totals (§6 teacher_exchange). */
typedef struct {
    int64_t eligible;
    int64_t exchanged;
    int64_t exchanged_backbone;
} exchange_totals;

typedef struct {
    county_info county;
    char city_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    char rules_version[RULES_VERSION_MAX];
    int64_t schools_registered;
    int64_t schools_submitted;
    char (*missing)[SCHOOL_CODE_LEN + 1];  /* owned; sorted codes */
    char (*missing_names)[256];            /* owned; the registry's name of each, in missing's order */
    size_t n_missing;
    stage_status stage[STAGE_COUNT];
    section_status *sections;              /* owned; sorted by code, then stage */
    size_t n_sections;
    guarantee_status guarantee[GUAR_COUNT];
    exchange_totals exchange;
    bool resource_allocation_pass;         /* some stage applicable, every applicable stage passes */
} county_status;

/* One school for county_assess: its registry row and its current submission
 * for the period (NULL when it has not submitted). Both borrowed. */
typedef struct {
    const school_info *school;
    const submission *sub;
} assess_entry;

/* Assesses a county from scratch (two-pass statistics). Entries of another
 * county are ignored; for a repeated school code the last entry counts.
 * Returns a new county_status (caller destroys), or NULL when out of memory. */
county_status *county_assess(const rules_config *rules, const county_info *county, int32_t period,
                             const assess_entry *entries, size_t n);

/* Frees a county_status and everything it owns; sets *p to NULL. */
void county_status_destroy(county_status **p);

/* Writes the exclusion reason of a section ("special-education school",
 * "teaching point under 50 students", "no students in this stage") into buf;
 * "" for EXCL_NONE. */
void assess_exclusion_text(const rules_config *rules, section_exclusion excl, char *buf, size_t size);

#endif
