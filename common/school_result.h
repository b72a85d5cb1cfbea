/* school_result.h -- one school's own result (junheng status --school): its
 * sections' seven indicators against each standard, whether each section
 * passes or why it is not assessed, what it needs to reach each unmet
 * standard (shortfall_text.h), the per-school government-guarantee items
 * with why each complies or not, its revisions with their review state, and
 * the caveat that a school's pass is not its county's. Rendered as the JSON
 * of docs/formats.md ("A school's own status"). Pure: the daemon passes
 * what it holds (the registry row, the submission the view counts, the
 * review facts, the county's verdict); no I/O.
 *
 * Ownership: the returned text is the caller's (free()). Everything passed
 * in is borrowed. */
#ifndef JUNHENG_SCHOOL_RESULT_H
#define JUNHENG_SCHOOL_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess.h"

/* One revision of the school for the period, as the review chain holds it. */
typedef struct {
    int64_t revision;
    const char *state;       /* "submitted", "approved" or "returned" */
    const char *state_zh;    /* 待审核, 已通过, 已退回 */
    bool newest;             /* the school's newest revision for the period */
    bool counted;            /* the one this view counts */
} school_result_revision;

/* What the daemon adds besides the school's data. Strings may be NULL
 * (written as null). */
typedef struct {
    const char *view;                     /* "live" or "official" */
    const char *computed_at;              /* RFC 3339 UTC */
    const char *county_verdict;           /* the county's whole verdict: "pass", "fail", "pending" */
    const char *county_verdict_zh;
    const char *county_verdict_reason;    /* Chinese, and English */
    const char *county_verdict_reason_en;
    const school_result_revision *revisions;
    size_t n_revisions;
    bool has_period;                      /* the year was opened (admin period open) */
    int32_t closes_on;                    /* YYYYMMDD, 0: no date */
    bool closed;
    const char *admission;                /* "open", "late" (reopened for this school) or "closed" */
} school_result_ctx;

/* Renders the school's status JSON: school is its registry row, county its
 * county, sub the submission the view counts (NULL: none), period the
 * school year. Returns compact JSON text (caller frees), or NULL when out of
 * memory. */
char *school_result_render(const rules_config *rules, const county_info *county, const school_info *school,
                           const submission *sub, int32_t period, const school_result_ctx *ctx);

/* Why a per-school guarantee item g (not teacher_exchange) complies, fails
 * or does not apply to the school, in Chinese (zh) and English (en), e.g.
 * "2 个班超过 45 人（共 24 个班）" / "2 of 24 classes above 45 students".
 * applies and complies are the item's flags for the school (assess_school).
 * sub NULL: not submitted. */
void school_result_guarantee_reason(const rules_config *rules, const school_info *school, const submission *sub,
                                    guarantee_id g, bool applies, bool complies, char *zh, size_t zh_size, char *en,
                                    size_t en_size);

#endif
