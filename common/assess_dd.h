/* assess_dd.h -- double-double ("dd") arithmetic for the incremental
 * coefficients of county_state: a value is hi + lo with |lo| ≤ ulp(hi)/2,
 * about 106 significant bits.  Error-free transformations (TwoSum, and
 * TwoProd with C99 fma()) after Dekker, Knuth and Joldes–Muller–Popescu,
 * "Tight and rigorous error bounds for basic building blocks of double-word
 * arithmetic" (2017): dd_add below is their AccurateDWPlusDW, relative error
 * ≤ 3u² (u = 2^-53).  Internal to the rules engine. */
#ifndef JUNHENG_ASSESS_DD_H
#define JUNHENG_ASSESS_DD_H

#include <math.h>

typedef struct {
    double hi;
    double lo;
} dd;

/* u² = 2^-106, the unit roundoff of dd arithmetic. */
#define DD_U2 1.2325951644078310e-32

/* s + e == a + b exactly. */
static inline dd dd_two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    double e = (a - (s - bb)) + (b - bb);
    return (dd){ s, e };
}

/* s + e == a + b exactly, given |a| ≥ |b| (or a == 0). */
static inline dd dd_fast_two_sum(double a, double b)
{
    double s = a + b;
    return (dd){ s, b - (s - a) };
}

/* p + e == a * b exactly. */
static inline dd dd_two_prod(double a, double b)
{
    double p = a * b;
    return (dd){ p, fma(a, b, -p) };
}

static inline dd dd_neg(dd x)
{
    return (dd){ -x.hi, -x.lo };
}

/* x + y, relative error ≤ 3u². */
static inline dd dd_add(dd x, dd y)
{
    dd s = dd_two_sum(x.hi, y.hi);
    dd t = dd_two_sum(x.lo, y.lo);
    s.lo += t.hi;
    s = dd_fast_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return dd_fast_two_sum(s.hi, s.lo);
}

static inline dd dd_sub(dd x, dd y)
{
    return dd_add(x, dd_neg(y));
}

/* x * b, relative error ≤ 2u². */
static inline dd dd_mul_d(dd x, double b)
{
    dd p = dd_two_prod(x.hi, b);
    p.lo += x.lo * b;
    return dd_fast_two_sum(p.hi, p.lo);
}

/* x², relative error ≤ 3u². */
static inline dd dd_sqr(dd x)
{
    dd p = dd_two_prod(x.hi, x.hi);
    p.lo += 2.0 * x.hi * x.lo;
    return dd_fast_two_sum(p.hi, p.lo);
}

/* x / b (b ≠ 0), relative error ≤ 4u². */
static inline dd dd_div_d(dd x, double b)
{
    double q1 = x.hi / b;
    dd r = dd_sub(x, dd_two_prod(q1, b));
    double q2 = r.hi / b;
    return dd_fast_two_sum(q1, q2);
}

static inline double dd_value(dd x)
{
    return x.hi + x.lo;
}

#endif
