/* histogram.h -- a fixed-bucket histogram of observations (Prometheus
 * style: each bucket counts the observations at or below its upper bound,
 * the last is +Inf), with their count and sum. Pure counting, no I/O, no
 * clock: the caller measures, server/metrics/ renders. */
#ifndef JUNHENG_HISTOGRAM_H
#define JUNHENG_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/* The most finite upper bounds a histogram takes (one more bucket: +Inf). */
#define HISTOGRAM_MAX_BOUNDS 15

typedef struct {
    const double *bounds;                     /* ascending finite upper bounds (borrowed, static) */
    size_t n_bounds;
    uint64_t counts[HISTOGRAM_MAX_BOUNDS + 1]; /* per bucket, not cumulative; [n_bounds] is +Inf */
    uint64_t count;
    double sum;
} histogram;

/* Empties h and gives it n ascending bounds (at most HISTOGRAM_MAX_BOUNDS;
 * more are ignored). bounds must outlive h (a static array). */
void histogram_init(histogram *h, const double *bounds, size_t n);
/* Counts one observation. */
void histogram_observe(histogram *h, double value);
/* The observations at or below bounds[i] (i == n_bounds: every one), the
 * cumulative count Prometheus's bucket "le" label means. */
uint64_t histogram_cumulative(const histogram *h, size_t i);

#endif
