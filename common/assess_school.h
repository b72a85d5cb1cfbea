/* assess_school.h -- the rules engine's inner pieces, shared by the
 * from-scratch path (county_assess) and the incremental one (county_state):
 *   - assess_school(): everything one school contributes to its county
 *     (its sections, §2–§4, and its guarantee flags, §6), computed once per
 *     submission so that both paths use bit-identical per-section numbers;
 *   - assess_build_status(): the O(n) assembly of a county_status from the
 *     schools and from county aggregates (computed two-pass by county_assess,
 *     from running sums by county_state).
 * Not for callers outside the rules engine. */
#ifndef JUNHENG_ASSESS_SCHOOL_H
#define JUNHENG_ASSESS_SCHOOL_H

#include "assess.h"

/* What one school contributes to its county. Plain values, no pointers. */
typedef struct {
    bool counted;                      /* takes part: active, or inactive but submitted */
    bool submitted;
    bool listed[STAGE_COUNT];          /* a section is listed for the stage */
    section_status sec[STAGE_COUNT];   /* valid where listed */
    bool g_applicable[GUAR_COUNT];     /* per-school items only (not teacher_exchange) */
    bool g_complies[GUAR_COUNT];
    int64_t g_units_applicable[GUAR_COUNT]; /* classes for class_size, else 0/1 */
    int64_t g_units_complying[GUAR_COUNT];
    exchange_totals exchange;          /* this school's part of the county totals */
} school_eval;

/* Whether a listed section counts in the seven indicators. */
static inline bool section_included(const section_status *s)
{
    return s->excluded == EXCL_NONE;
}

/* Evaluates one school (sections and guarantee flags) into *out.
 * sub may be NULL (registered, not submitted). Never fails. */
void assess_school(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out);

/* Fills the sections of *out (§2–§4); assess_school() calls it. */
void assess_sections(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out);

/* The value of indicator i for a section holding `resource` (teachers, m²,
 * yuan, rooms) for `students` (§4): per student or per 100 students; NaN
 * when students <= 0. The one definition, used by assess_sections() and by
 * county_state, which keeps resources and recomputes values. */
double assess_section_value(int i, double resource, int64_t students);

/* Completes a section whose school_code, name, kind, stage, students and
 * resource[] are set and every other field zero: its exclusion and its text
 * (§2), its values, and for an included section the 6-of-7 / 85 % rule
 * with met, met_mask, pass and shortfalls (§4). assess_sections() calls it;
 * county_state calls it to re-derive a held section when it lists it. */
void assess_section_complete(const rules_config *rules, section_status *sec);

/* Fills the guarantee flags of *out (§6); assess_school() calls it. */
void assess_guarantees(const rules_config *rules, const school_info *info, const submission *sub, school_eval *out);

/* The county verdict of teacher_exchange from county-wide totals. */
bool assess_exchange_pass(const rules_config *rules, const exchange_totals *t);

/* County aggregates of one stage. mean/var: population, student-weighted. */
typedef struct {
    int64_t sections;
    int64_t students;
    int64_t passing;
    int64_t meeting[IND_COUNT];
    int64_t nonzero[IND_COUNT];        /* sections whose value is not 0 (mean is 0 iff none) */
    double mean[IND_COUNT];
    double var[IND_COUNT];
} assess_stage_numbers;

/* County aggregates. */
typedef struct {
    int64_t registered;
    int64_t submitted;
    int64_t units_complying[GUAR_COUNT];
    int64_t units_applicable[GUAR_COUNT];
    int64_t schools_complying[GUAR_COUNT];
    int64_t schools_applicable[GUAR_COUNT];
    exchange_totals exchange;
    assess_stage_numbers stage[STAGE_COUNT];
} assess_numbers;

/* Fills *st with everything that follows from the aggregates alone, in
 * O(1): stage and indicator numbers and verdicts, guarantee verdicts and
 * counts, coverage counts. Lists are left empty (NULL, count 0), so *st owns
 * nothing and needs no destroy. */
void assess_fill_summary(const rules_config *rules, const county_info *county, int32_t period,
                         const assess_numbers *nums, county_status *st);

/* One school for assess_build_status. Borrowed pointers. */
typedef struct {
    const school_info *info;
    const school_eval *eval;
} assess_item;

/* Builds the full county_status from the schools and the aggregates: lists
 * sections, missing schools and failing schools (sorted by code), the top
 * contributors (one pass over the sections around nums' mean), and every
 * verdict. Sorts items in place. O(n log n).
 * Returns a new county_status (caller destroys), or NULL when out of memory. */
county_status *assess_build_status(const rules_config *rules, const county_info *county, int32_t period,
                                   assess_item *items, size_t n, const assess_numbers *nums);

#endif
