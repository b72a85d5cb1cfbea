/* county_state.c -- a county's assessment as running sums. See county_state.h.
 *
 * Each school is held once (hash table by code, plus a dense array for the
 * O(n) listings) as a compact cs_entry (county_state_entry.h): what its
 * school_eval contributes to the sums (computed once when its submission
 * arrives) and what the full listing re-derives the rest from.  Setting a
 * school subtracts its old contribution from every aggregate and adds its
 * new one: O(1).
 *
 * Coefficients.  For each stage and indicator the state keeps, around a
 * shift K (a recent mean), A = Σ P_i(X_i − K) and B = Σ P_i(X_i − K)² in
 * double-double arithmetic (assess_dd.h, ~106 bits), so that
 *     mean = K + A/P,   variance = B/P − (A/P)²
 * suffer no catastrophic cancellation: the subtraction loses only what 106
 * bits can spare.  Alongside, a rigorous bound on the absolute error of A
 * and B grows by 16u²(|sum| + |term|) per update.  After each update the
 * bound is turned into a bound on the coefficient; if that could exceed
 * 1e-13 + 1e-11·CV (a hundred times below what the tests demand), the
 * stage's sums are rebuilt from the held sections around the current mean
 * (O(n)).  That needs on the order of 10^6 (deviation / mean)^-2 updates that
 * cancel almost everything, so in practice it never happens;
 * county_state_rebuilds() counts it.  docs/rules.md has the argument. */
#include "county_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_dd.h"
#include "assess_school.h"
#include "county_state_entry.h"
#include "hashmap.h"

/* Shifted moments of one indicator in one stage. */
typedef struct {
    double k;                       /* shift */
    dd a;                           /* Σ P(X − k) */
    dd b;                           /* Σ P(X − k)² */
    double err_a, err_b;            /* bounds on |error| of a and b */
} moment;

typedef struct {
    int64_t sections, students, passing;
    int64_t meeting[IND_COUNT], nonzero[IND_COUNT];
    moment m[IND_COUNT];
} stage_agg;

struct county_state {
    rules_config rules;
    county_info county;
    cs_entry **buckets;
    size_t nbuckets;                /* power of two */
    cs_entry **dense;
    size_t n, cap;
    int64_t registered, submitted;
    int64_t units_complying[GUAR_COUNT], units_applicable[GUAR_COUNT];
    int64_t schools_complying[GUAR_COUNT], schools_applicable[GUAR_COUNT];
    exchange_totals exchange;
    stage_agg stage[STAGE_COUNT];
    uint64_t rebuilds;
};

/* Error growth per dd update, in units of |sum| + |term| (rigorous bound
 * 3u² for the addition plus ≤ 6u² for forming the term, doubled). */
#define ERR_PER_OP (16.0 * DD_U2)
/* Coefficient error allowed before a rebuild: absolute and relative. */
#define CV_ERR_ABS 1e-13
#define CV_ERR_REL 1e-11

/* ---- hash table ---------------------------------------------------------- */

/* The bucket hash of a school code (hashmap.h's FNV-1a). */
static size_t hash_code(const char *code)
{
    return (size_t)fnv1a_str(code);
}

/* The entry of `code`, or NULL. O(1) expected. */
static cs_entry *lookup(const county_state *self, const char *code)
{
    cs_entry *e = self->buckets[hash_code(code) & (self->nbuckets - 1)];
    while (e && strcmp(e->code, code) != 0)
        e = e->next;
    return e;
}

/* Doubles the bucket array. Returns 0 or -1 (unchanged). */
static int grow_buckets(county_state *self)
{
    size_t nb = self->nbuckets * 2;
    cs_entry **b = calloc(nb, sizeof *b);
    if (!b)
        return -1;
    for (size_t j = 0; j < self->n; j++) {
        cs_entry *e = self->dense[j];
        size_t h = hash_code(e->code) & (nb - 1);
        e->next = b[h];
        b[h] = e;
    }
    free(self->buckets);
    self->buckets = b;
    self->nbuckets = nb;
    return 0;
}

/* The link (bucket head or a next field) that points at `e`, which is held. */
static cs_entry **link_of(county_state *self, const cs_entry *e)
{
    cs_entry **pp = &self->buckets[hash_code(e->code) & (self->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->next;
    return pp;
}

/* Takes an entry out of its hash chain and the dense array (the caller frees it). */
static void unlink_entry(county_state *self, cs_entry *victim)
{
    *link_of(self, victim) = victim->next;
    size_t j = victim->dense_index;
    self->dense[j] = self->dense[--self->n];
    self->dense[j]->dense_index = (uint32_t)j;
}

/* Puts `fresh` where the held `old` was (hash chain and dense slot); the
 * caller frees old. */
static void replace_entry(county_state *self, cs_entry *old, cs_entry *fresh)
{
    cs_entry **pp = link_of(self, old);
    fresh->next = old->next;
    *pp = fresh;
    fresh->dense_index = old->dense_index;
    self->dense[fresh->dense_index] = fresh;
}

/* ---- lifecycle ----------------------------------------------------------- */

county_state *county_state_new(const rules_config *rules, const county_info *county)
{
    if (!rules || !county)
        return NULL;
    county_state *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->rules = *rules;
    self->county = *county;
    self->county.code[COUNTY_CODE_LEN] = '\0';
    self->county.name[sizeof self->county.name - 1] = '\0';
    self->nbuckets = 64;
    self->cap = 64;
    self->buckets = calloc(self->nbuckets, sizeof *self->buckets);
    self->dense = malloc(self->cap * sizeof *self->dense);
    if (!self->buckets || !self->dense) {
        county_state_destroy(&self);
        return NULL;
    }
    return self;
}

/* The bytes cs_entry_make allocated for e: the fixed part, its sections, its name. */
static size_t entry_size(const cs_entry *e)
{
    return sizeof *e + e->n_sec * sizeof(cs_section) + strlen(cs_entry_name(e)) + 1;
}

county_state *county_state_copy(const county_state *src)
{
    county_state *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    *self = *src;
    self->buckets = calloc(src->nbuckets, sizeof *self->buckets);
    self->dense = malloc(src->cap * sizeof *self->dense);
    self->n = 0;
    if (!self->buckets || !self->dense) {
        county_state_destroy(&self);
        return NULL;
    }
    /* the same dense order and the same chains (by code) as src */
    for (size_t j = 0; j < src->n; j++) {
        size_t size = entry_size(src->dense[j]);
        cs_entry *e = malloc(size);
        if (!e) {
            county_state_destroy(&self);
            return NULL;
        }
        memcpy(e, src->dense[j], size);
        self->dense[self->n++] = e;
    }
    for (size_t b = 0; b < src->nbuckets; b++) {
        cs_entry **tail = &self->buckets[b];
        for (const cs_entry *e = src->buckets[b]; e; e = e->next) {
            *tail = self->dense[e->dense_index];
            tail = &(*tail)->next;
        }
        *tail = NULL;
    }
    return self;
}

/* Renames the county (its code stays): the name is part of every status. */
void county_state_set_name(county_state *self, const char *name)
{
    snprintf(self->county.name, sizeof self->county.name, "%s", name ? name : "");
}

void county_state_destroy(county_state **p)
{
    if (!p || !*p)
        return;
    county_state *self = *p;
    for (size_t j = 0; j < self->n; j++)
        free(self->dense[j]);
    free(self->dense);
    free(self->buckets);
    free(self);
    *p = NULL;
}

size_t county_state_count(const county_state *self)
{
    return self->n;
}

uint64_t county_state_rebuilds(const county_state *self)
{
    return self->rebuilds;
}

/* ---- moments --------------------------------------------------------------- */

/* Adds (sign +1) or removes (sign −1) students P with value x. */
static void moment_apply(moment *m, double p, double x, int sign)
{
    dd d = dd_two_sum(x, -m->k);                 /* exact */
    dd ta = dd_mul_d(d, p);
    dd tb = dd_mul_d(dd_sqr(d), p);
    if (sign < 0) {
        ta = dd_neg(ta);
        tb = dd_neg(tb);
    }
    m->a = dd_add(m->a, ta);
    m->b = dd_add(m->b, tb);
    m->err_a += ERR_PER_OP * (fabs(m->a.hi) + fabs(ta.hi));
    m->err_b += ERR_PER_OP * (fabs(m->b.hi) + fabs(tb.hi));
}

/* Empties a moment around shift k. */
static void moment_reset(moment *m, double k)
{
    memset(m, 0, sizeof *m);
    m->k = k;
}

/* Mean and variance from the moments of a stage with `students` > 0. */
static void moment_read(const moment *m, double students, double *mean, double *var)
{
    dd a = dd_div_d(m->a, students);
    dd b = dd_div_d(m->b, students);
    dd v = dd_sub(b, dd_sqr(a));
    *mean = dd_value(dd_add((dd){ m->k, 0.0 }, a));
    *var = dd_value(v);
    if (*var < 0)
        *var = 0;
}

/* Whether the error bound of a moment could move the coefficient by more
 * than CV_ERR_ABS + CV_ERR_REL·CV, or the mean by more than CV_ERR_REL of it. */
static bool moment_needs_rebuild(const moment *m, double students)
{
    double mean, var;
    moment_read(m, students, &mean, &var);
    double am = fabs(mean);
    if (!(am > 0))
        return false;                            /* mean 0 is decided by counts */
    double a = dd_value(m->a) / students;
    double b = dd_value(m->b) / students;
    double ea = m->err_a / students;
    double ev = m->err_b / students + 8.0 * DD_U2 * (fabs(b) + a * a) + 2.0 * fabs(a) * ea + ea * ea;
    double s = sqrt(var);
    double es = s > 0 ? fmin(sqrt(ev), ev / (2.0 * s)) : sqrt(ev);
    double cv = s / am;
    double ecv = es / am + cv * ea / am;
    return ecv > CV_ERR_ABS + CV_ERR_REL * cv || ea > CV_ERR_REL * am;
}

/* Recomputes a stage's moments from the held sections, around the current
 * mean (or the first value). O(n). */
static void rebuild_stage(county_state *self, int s)
{
    stage_agg *ag = &self->stage[s];
    for (int i = 0; i < IND_COUNT; i++) {
        double k = 0.0, var;
        if (ag->students > 0)
            moment_read(&ag->m[i], (double)ag->students, &k, &var);
        if (!isfinite(k))
            k = 0.0;
        moment_reset(&ag->m[i], k);
    }
    for (size_t j = 0; j < self->n; j++) {
        const cs_entry *e = self->dense[j];
        for (unsigned k = 0; k < e->n_sec; k++) {
            const cs_section *sec = &e->sec[k];
            if (sec->stage != s || sec->excluded != EXCL_NONE)
                continue;
            for (int i = 0; i < IND_COUNT; i++)
                moment_apply(&ag->m[i], (double)sec->students, cs_section_value(sec, i), +1);
        }
    }
    self->rebuilds++;
}

/* ---- contributions ------------------------------------------------------- */

/* Adds (sign +1) or removes (sign −1) one school's contribution to every
 * aggregate; returns a bit per stage whose moments changed. */
static unsigned apply(county_state *self, const cs_entry *e, int sign)
{
    unsigned touched = 0;
    if (!(e->flags & CS_COUNTED))
        return 0;
    self->registered += sign;
    if (e->flags & CS_SUBMITTED)
        self->submitted += sign;
    for (int g = 0; g < GUAR_COUNT; g++) {
        if (!(e->g_applicable & (1u << g)))
            continue;
        int64_t ua, uc;
        cs_entry_units(e, g, &ua, &uc);
        self->units_applicable[g] += sign * ua;
        self->units_complying[g] += sign * uc;
        self->schools_applicable[g] += sign;
        if (e->g_complies & (1u << g))
            self->schools_complying[g] += sign;
    }
    self->exchange.eligible += sign * e->exchange.eligible;
    self->exchange.exchanged += sign * e->exchange.exchanged;
    self->exchange.exchanged_backbone += sign * e->exchange.exchanged_backbone;

    for (unsigned k = 0; k < e->n_sec; k++) {
        const cs_section *sec = &e->sec[k];
        if (sec->excluded != EXCL_NONE)
            continue;
        int s = sec->stage;
        double value[IND_COUNT];
        for (int i = 0; i < IND_COUNT; i++)
            value[i] = cs_section_value(sec, i);
        stage_agg *ag = &self->stage[s];
        if (sign > 0 && ag->sections == 0)
            for (int i = 0; i < IND_COUNT; i++)
                moment_reset(&ag->m[i], value[i]);        /* first section: shift at its value */
        ag->sections += sign;
        ag->students += sign * sec->students;
        if (sec->pass)
            ag->passing += sign;
        for (int i = 0; i < IND_COUNT; i++) {
            if (sec->met_mask & (1u << i))
                ag->meeting[i] += sign;
            if (value[i] != 0)
                ag->nonzero[i] += sign;
            moment_apply(&ag->m[i], (double)sec->students, value[i], sign);
        }
        if (ag->sections == 0)
            for (int i = 0; i < IND_COUNT; i++)
                moment_reset(&ag->m[i], 0.0);             /* empty again: exactly zero */
        touched |= 1u << s;
    }
    return touched;
}

/* Rebuilds the touched stages whose error bound became too loose. */
static void check_precision(county_state *self, unsigned touched)
{
    for (int s = 0; s < STAGE_COUNT; s++) {
        stage_agg *ag = &self->stage[s];
        if (!(touched & (1u << s)) || ag->sections < 2)
            continue;
        for (int i = 0; i < IND_COUNT; i++)
            if (ag->nonzero[i] > 0 && moment_needs_rebuild(&ag->m[i], (double)ag->students)) {
                rebuild_stage(self, s);
                break;
            }
    }
}

int county_state_set_school(county_state *self, const school_info *school, const submission *sub)
{
    if (!self || !school || strcmp(school->county_code, self->county.code) != 0)
        return ASSESS_EINVAL;
    /* The row as held: code and name terminated where a school_info ends. */
    school_info info = *school;
    info.school_code[SCHOOL_CODE_LEN] = '\0';
    info.name[sizeof info.name - 1] = '\0';
    school_eval eval;
    assess_school(&self->rules, &info, sub, &eval);
    cs_entry *fresh = cs_entry_make(&info, &eval);
    if (!fresh)
        return ASSESS_ENOMEM;
    cs_entry *old = lookup(self, fresh->code);
    unsigned touched = 0;
    if (old) {
        touched = apply(self, old, -1);
        replace_entry(self, old, fresh);
        free(old);
    } else {
        if (self->n == self->cap) {
            size_t cap = self->cap * 2;
            cs_entry **d = cap <= UINT32_MAX ? realloc(self->dense, cap * sizeof *d) : NULL;
            if (!d) {
                free(fresh);
                return ASSESS_ENOMEM;
            }
            self->dense = d;
            self->cap = cap;
        }
        if (self->n + 1 > self->nbuckets - self->nbuckets / 4 && grow_buckets(self) != 0) {
            free(fresh);
            return ASSESS_ENOMEM;
        }
        size_t h = hash_code(fresh->code) & (self->nbuckets - 1);
        fresh->next = self->buckets[h];
        self->buckets[h] = fresh;
        fresh->dense_index = (uint32_t)self->n;
        self->dense[self->n++] = fresh;
    }
    touched |= apply(self, fresh, +1);
    check_precision(self, touched);
    return ASSESS_OK;
}

int county_state_remove_school(county_state *self, const char *school_code)
{
    if (!self || !school_code)
        return ASSESS_EINVAL;
    cs_entry *e = lookup(self, school_code);
    if (!e)
        return ASSESS_ENOTFOUND;
    unsigned touched = apply(self, e, -1);
    unlink_entry(self, e);
    free(e);
    check_precision(self, touched);
    return ASSESS_OK;
}

/* ---- status ---------------------------------------------------------------- */

/* The aggregates in the form assess_build_status takes. O(1). */
static void numbers(const county_state *self, assess_numbers *nums)
{
    memset(nums, 0, sizeof *nums);
    nums->registered = self->registered;
    nums->submitted = self->submitted;
    for (int g = 0; g < GUAR_COUNT; g++) {
        nums->units_complying[g] = self->units_complying[g];
        nums->units_applicable[g] = self->units_applicable[g];
        nums->schools_complying[g] = self->schools_complying[g];
        nums->schools_applicable[g] = self->schools_applicable[g];
    }
    nums->exchange = self->exchange;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_agg *ag = &self->stage[s];
        assess_stage_numbers *sn = &nums->stage[s];
        sn->sections = ag->sections;
        sn->students = ag->students;
        sn->passing = ag->passing;
        for (int i = 0; i < IND_COUNT; i++) {
            sn->meeting[i] = ag->meeting[i];
            sn->nonzero[i] = ag->nonzero[i];
            if (ag->students > 0) {
                moment_read(&ag->m[i], (double)ag->students, &sn->mean[i], &sn->var[i]);
            } else {
                sn->mean[i] = NAN;
                sn->var[i] = NAN;
            }
        }
    }
}

void county_state_summary(const county_state *self, int32_t period, county_status *out)
{
    assess_numbers nums;
    numbers(self, &nums);
    assess_fill_summary(&self->rules, &self->county, period, &nums, out);
}

/* The full status: every held school re-expanded (cs_entry_expand) into a
 * temporary school_info and school_eval for assess_build_status, which the
 * from-scratch path uses too; the temporaries are freed before returning. */
county_status *county_state_status(const county_state *self, int32_t period)
{
    assess_numbers nums;
    numbers(self, &nums);
    size_t cap = self->n ? self->n : 1;
    assess_item *items = malloc(cap * sizeof *items);
    school_info *infos = malloc(cap * sizeof *infos);
    school_eval *evals = malloc(cap * sizeof *evals);
    county_status *st = NULL;
    if (items && infos && evals) {
        for (size_t j = 0; j < self->n; j++) {
            cs_entry_expand(&self->rules, self->dense[j], &infos[j], &evals[j]);
            items[j].info = &infos[j];
            items[j].eval = &evals[j];
        }
        st = assess_build_status(&self->rules, &self->county, period, items, self->n, &nums);
    }
    free(evals);
    free(infos);
    free(items);
    return st;
}
