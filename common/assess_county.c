/* assess_county.c -- county_assess(): a county assessed from scratch, the
 * restart path and the reference the incremental county_state is tested
 * against. Means and variances are two-pass (corrected two-pass algorithm
 * with Neumaier-compensated sums). See assess.h. */
#include "assess_school.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Neumaier-compensated sum. */
typedef struct {
    double sum;
    double comp;
} ksum;

/* Adds x to a compensated sum. */
static void ksum_add(ksum *k, double x)
{
    double t = k->sum + x;
    if (fabs(k->sum) >= fabs(x))
        k->comp += (k->sum - t) + x;
    else
        k->comp += (x - t) + k->sum;
    k->sum = t;
}

/* The compensated sum's value. */
static double ksum_value(const ksum *k)
{
    return k->sum + k->comp;
}

/* Student-weighted mean and population variance of indicator i over the
 * included sections of stage s, two-pass. */
static void two_pass(const school_eval *evals, size_t n, stage_t s, int i, double *mean, double *var)
{
    ksum p = { 0, 0 }, px = { 0, 0 };
    for (size_t j = 0; j < n; j++) {
        const section_status *sec = &evals[j].sec[s];
        if (!evals[j].listed[s] || !section_included(sec))
            continue;
        ksum_add(&p, (double)sec->students);
        ksum_add(&px, (double)sec->students * sec->value[i]);
    }
    double total = ksum_value(&p);
    if (!(total > 0)) {
        *mean = NAN;
        *var = NAN;
        return;
    }
    double m = ksum_value(&px) / total;
    ksum d1 = { 0, 0 }, d2 = { 0, 0 };
    for (size_t j = 0; j < n; j++) {
        const section_status *sec = &evals[j].sec[s];
        if (!evals[j].listed[s] || !section_included(sec))
            continue;
        double d = sec->value[i] - m;
        ksum_add(&d1, (double)sec->students * d);
        ksum_add(&d2, (double)sec->students * d * d);
    }
    double c = ksum_value(&d1);
    *mean = m + c / total;
    *var = (ksum_value(&d2) - c * c / total) / total;
    if (*var < 0)
        *var = 0;
}

/* Counts and sums every aggregate over the evaluated schools. */
static void count_all(const school_eval *evals, size_t n, assess_numbers *nums)
{
    memset(nums, 0, sizeof *nums);
    for (size_t j = 0; j < n; j++) {
        const school_eval *e = &evals[j];
        if (!e->counted)
            continue;
        nums->registered++;
        if (e->submitted)
            nums->submitted++;
        for (int g = 0; g < GUAR_COUNT; g++) {
            if (!e->g_applicable[g])
                continue;
            nums->units_applicable[g] += e->g_units_applicable[g];
            nums->units_complying[g] += e->g_units_complying[g];
            nums->schools_applicable[g]++;
            if (e->g_complies[g])
                nums->schools_complying[g]++;
        }
        nums->exchange.eligible += e->exchange.eligible;
        nums->exchange.exchanged += e->exchange.exchanged;
        nums->exchange.exchanged_backbone += e->exchange.exchanged_backbone;
        for (int s = 0; s < STAGE_COUNT; s++) {
            const section_status *sec = &e->sec[s];
            if (!e->listed[s] || !section_included(sec))
                continue;
            assess_stage_numbers *sn = &nums->stage[s];
            sn->sections++;
            sn->students += sec->students;
            if (sec->pass)
                sn->passing++;
            for (int i = 0; i < IND_COUNT; i++) {
                if (sec->met_mask & (1u << i))
                    sn->meeting[i]++;
                if (sec->value[i] != 0)
                    sn->nonzero[i]++;
            }
        }
    }
    for (int s = 0; s < STAGE_COUNT; s++)
        for (int i = 0; i < IND_COUNT; i++)
            two_pass(evals, n, (stage_t)s, i, &nums->stage[s].mean[i], &nums->stage[s].var[i]);
}

/* Orders entry indices by school code, then by position. */
typedef struct {
    const assess_entry *entries;
    size_t index;
} entry_ref;

/* qsort order of entry_refs: school code, then position. */
static int ref_cmp(const void *a, const void *b)
{
    const entry_ref *x = a, *y = b;
    int c = strcmp(x->entries[x->index].school->school_code, y->entries[y->index].school->school_code);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

county_status *county_assess(const rules_config *rules, const county_info *county, int32_t period,
                             const assess_entry *entries, size_t n)
{
    if (!rules || !county || (n && !entries))
        return NULL;
    size_t cap = n ? n : 1;
    entry_ref *refs = malloc(cap * sizeof *refs);
    school_eval *evals = malloc(cap * sizeof *evals);
    assess_item *items = malloc(cap * sizeof *items);
    assess_numbers *nums = malloc(sizeof *nums);
    county_status *st = NULL;
    if (!refs || !evals || !items || !nums)
        goto done;

    size_t nr = 0;
    for (size_t j = 0; j < n; j++) {
        const school_info *info = entries[j].school;
        if (!info || strcmp(info->county_code, county->code) != 0)
            continue;
        refs[nr].entries = entries;
        refs[nr].index = j;
        nr++;
    }
    qsort(refs, nr, sizeof *refs, ref_cmp);

    size_t ne = 0;
    for (size_t j = 0; j < nr; j++) {
        const assess_entry *e = &entries[refs[j].index];
        if (j + 1 < nr && strcmp(e->school->school_code, entries[refs[j + 1].index].school->school_code) == 0)
            continue;   /* a later entry for the same school counts */
        assess_school(rules, e->school, e->sub, &evals[ne]);
        items[ne].info = e->school;
        items[ne].eval = &evals[ne];
        ne++;
    }
    count_all(evals, ne, nums);
    st = assess_build_status(rules, county, period, items, ne, nums);
done:
    free(refs);
    free(evals);
    free(items);
    free(nums);
    return st;
}
