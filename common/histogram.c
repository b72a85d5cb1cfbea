/* histogram.c -- fixed-bucket histograms. See histogram.h. */
#include "histogram.h"

#include <string.h>

void histogram_init(histogram *h, const double *bounds, size_t n)
{
    memset(h, 0, sizeof *h);
    h->bounds = bounds;
    h->n_bounds = n < HISTOGRAM_MAX_BOUNDS ? n : HISTOGRAM_MAX_BOUNDS;
}

void histogram_observe(histogram *h, double value)
{
    size_t i = 0;
    while (i < h->n_bounds && value > h->bounds[i])
        i++;
    h->counts[i]++;
    h->count++;
    h->sum += value;
}

uint64_t histogram_cumulative(const histogram *h, size_t i)
{
    uint64_t total = 0;
    for (size_t j = 0; j <= i && j <= h->n_bounds; j++)
        total += h->counts[j];
    return total;
}
