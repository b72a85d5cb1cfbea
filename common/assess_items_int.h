/* assess_items_int.h -- internal to the whole-verdict engine: the context
 * the item deciders share and the helpers that fill an item_result.
 * assess_items.c decides the school-data items and the verdict,
 * assess_items_county.c the items county inputs decide. */
#ifndef JUNHENG_ASSESS_ITEMS_INT_H
#define JUNHENG_ASSESS_ITEMS_INT_H

#include "assess_items.h"

typedef struct {
    const rules_config *rules;
    const county_status *st;
    const item_school *schools;
    size_t n_schools;
    const county_inputs *in;   /* never NULL here (an empty set when none given) */
    int oom;                   /* set when an allocation failed */
} item_ctx;

/* Appends to the reasons (Chinese, English), separated by "；" / "; ", and sets the outcome. */
void ir_set(item_result *r, item_outcome outcome, const char *zh, const char *en);
/* Sets the outcome fail and appends a printf-formatted reason, in Chinese
 * (ir_fail_zh) or English (ir_fail_en); every failure calls both. */
void ir_fail_zh(item_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ir_fail_en(item_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a fact; sets c->oom when out of memory. */
void ir_fact_number(item_ctx *c, item_result *r, const char *name, double number, item_source source);
/* Appends a FACT_MISSING fact and returns it (NULL when out of memory). */
item_fact *ir_fact_missing(item_ctx *c, item_result *r, const char *name, item_source source);
void ir_fact_bool(item_ctx *c, item_result *r, const char *name, bool flag, item_source source);
/* Appends the county input `field` as a fact (FACT_MISSING when absent), with its evidence. */
void ir_fact_input(item_ctx *c, item_result *r, county_input_field field);

/* Records the figure compared and its threshold. */
void ir_compare(item_result *r, double value, item_comparison cmp, double threshold, const char *key);
/* Records the formula or choice used. */
void ir_formula(item_result *r, const char *name, const char *text, const char *key);

/* Whether every field in fields[0..n) is given; when not, the item is set
 * pending naming the missing fields. */
bool ir_need(item_ctx *c, item_result *r, const county_input_field *fields, size_t n);

/* The value of a county input (0 when absent). */
static inline double ci_value(const item_ctx *c, county_input_field f)
{
    return c->in->v[f].present ? c->in->v[f].value : 0.0;
}

/* Decides the items county inputs decide (2.1, 2.2, 2.8, 2.10, 2.14, 2.15,
 * 3.1–3.3, 3.5–3.9, 4.1, 5.1–5.6) into v->items. */
void assess_county_items(item_ctx *c, county_verdict *v);

#endif
