/* assess_items.h -- the whole verdict: every item 1.1–5.6 decided from the
 * county's school-data computation (county_status, assess.h), the per-school
 * funding facts of 2.6 and 2.7, the county's inputs (county_inputs.h) and
 * the rules; then the county's verdict pass / fail / pending.
 *
 * Each item_result carries what a status needs to show it: number, id,
 * Chinese name and part (from ITEMS), outcome, reason (Chinese and English),
 * the figure compared and its threshold, the formula or choice used and the
 * rules key it came from, every fact used with its source and evidence, and
 * the failing schools where schools fail it.
 *
 * Pure: no I/O, no globals. Ownership: a county_verdict owns every string
 * and array it points to; free it with county_verdict_destroy(). */
#ifndef JUNHENG_ASSESS_ITEMS_H
#define JUNHENG_ASSESS_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess.h"
#include "county_inputs.h"
#include "items.h"
#include "rules_config.h"

typedef enum { OUTCOME_PASS = 0, OUTCOME_FAIL, OUTCOME_NOT_APPLICABLE, OUTCOME_PENDING, OUTCOME_COUNT } item_outcome;
typedef enum { VERDICT_PASS = 0, VERDICT_FAIL, VERDICT_PENDING, VERDICT_COUNT } county_verdict_value;

/* "pass", "fail", "not_applicable", "pending" and 达标, 未达标, 不适用, 待补充. */
extern const char *const ITEM_OUTCOME_KEYS[OUTCOME_COUNT];
extern const char *const ITEM_OUTCOME_NAMES_ZH[OUTCOME_COUNT];
/* The same outcomes as a veto (part PART_VETO) reads: 无（未发现）, 存在（否决）,
 * 不适用, 待补充. */
extern const char *const VETO_OUTCOME_NAMES_ZH[OUTCOME_COUNT];
/* "pass", "fail", "pending" and 达标, 未达标, 待定. */
extern const char *const VERDICT_KEYS[VERDICT_COUNT];
extern const char *const VERDICT_NAMES_ZH[VERDICT_COUNT];

/* How the figure is compared with the threshold. */
typedef enum { CMP_NONE = 0, CMP_AT_LEAST, CMP_AT_MOST, CMP_BELOW, CMP_EQUALS } item_comparison;
extern const char *const ITEM_COMPARISON_TEXT[5];   /* "", ">=", "<=", "<", "=" */

typedef enum { FACT_NUMBER = 0, FACT_BOOL, FACT_MISSING } fact_kind;

/* One fact an item used: a county input, a school-data figure, a computed
 * figure or a rules threshold. */
typedef struct {
    char name[64];        /* a county-input field ("teacher_avg_pay_yuan", "math.level", "present"), a rules key
                             ("junior_retention.min_rate") or a computed figure ("primary.cv", "rate") */
    fact_kind kind;
    double number;        /* FACT_NUMBER */
    bool flag;            /* FACT_BOOL: yes / present */
    bool as_percent;      /* a county input written with '%' */
    item_source source;
    char *evidence;       /* owned; the county's evidence, NULL when none */
} item_fact;

/* One item's result. */
typedef struct {
    item_id item;              /* ITEMS[item]; ITEM_COUNT for a province veto (rules_config.extra_veto) */
    char number[8];            /* "2.8" (copied from ITEMS or the rules) */
    char key[48];              /* "teacher_pay" */
    char name_zh[128];
    item_part part;
    item_source source;
    item_outcome outcome;
    char reason_zh[320];       /* why it failed, is not applicable or is pending; "" when it passes plainly */
    char reason_en[320];
    bool has_value;            /* a figure was compared */
    double value;              /* the figure compared (a ratio, a rate, a level, a coefficient) */
    item_comparison comparison;
    double threshold;          /* valid when comparison != CMP_NONE */
    char threshold_key[64];    /* the rules key the threshold came from, "" when none */
    char formula[48];          /* the formula or choice used, e.g. "net_mobility"; "" when there is no choice */
    char formula_text[96];     /* e.g. "G / (A + I - O - D)" */
    char formula_key[64];      /* the rules key of the choice, e.g. "junior_retention.formula" */
    item_fact *facts;          /* owned */
    size_t n_facts;
    char (*failing)[SCHOOL_CODE_LEN + 1]; /* owned; sorted codes of the schools failing it */
    size_t n_failing;
} item_result;

typedef struct {
    county_verdict_value verdict;
    char reason_zh[320];
    char reason_en[320];
    int64_t schools_registered;
    int64_t schools_submitted;
    int items_passing, items_failing, items_not_applicable, items_pending; /* over 1.1–4.1 */
    int vetoes_present, vetoes_pending;
    item_result items[ITEM_COUNT];  /* index by item_id: 1.1–4.1, then the vetoes 5.1–5.6 */
    item_result extra_vetoes[RULES_EXTRA_VETO_MAX]; /* the province's vetoes after 5.6 */
    int n_extra_vetoes;
} county_verdict;

/* What one school contributes to 2.6 and 2.7: its registry facts and, when it
 * has submitted, its students and public funds. Plain values. */
typedef struct {
    char school_code[SCHOOL_CODE_LEN + 1];
    school_kind kind;
    school_location location;
    bool counted;               /* active, or inactive but submitted (as county_status counts schools) */
    bool submitted;
    int64_t students[STAGE_COUNT];
    double public_funds_yuan;
} item_school;

/* Fills *out from a registry row and its current submission (NULL: not
 * submitted). Never fails. */
void item_school_from(const school_info *info, const submission *sub, item_school *out);

/* Decides every item and the verdict. `status` is the county's full status
 * (county_assess() or county_state_status(): its sections are read);
 * `schools` the county's schools (item_school_from), n of them; `inputs`
 * the county's current inputs (NULL: none given, every county item pending).
 * Returns a new county_verdict (caller destroys), or NULL when out of
 * memory or an argument is NULL. */
county_verdict *county_verdict_assess(const rules_config *rules, const county_status *status,
                                      const item_school *schools, size_t n, const county_inputs *inputs);

/* Frees a county_verdict and everything it owns; sets *p to NULL. */
void county_verdict_destroy(county_verdict **p);

/* The pending items (1.1–5.6, then the province vetoes, in order) into out
 * (at most cap; borrowed from self); returns how many there are (the
 * status's awaiting_county_input). */
size_t county_verdict_pending(const county_verdict *self, const item_result **out, size_t cap);

/* The rule of a county-input item under `rules`, in Chinese and English
 * ("达标：巩固率 G/(A+I-O-D) ≥ 0.95（net_mobility） / passes when ..."), into
 * buf; "" for an item school data decides or when rules is NULL. */
void item_rule_text(const rules_config *rules, item_id item, char *buf, size_t size);

#endif
