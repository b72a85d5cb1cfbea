/* metrics_text.c -- writing the Prometheus text format (version 0.0.4):
 * HELP and TYPE lines, samples, whole histograms. See metrics.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

struct metrics_text {
    char *data;
    size_t len, cap;
    bool oom;
};

metrics_text *metrics_text_new(void)
{
    return calloc(1, sizeof(metrics_text));
}

void metrics_text_destroy(metrics_text **p)
{
    if (!*p)
        return;
    free((*p)->data);
    free(*p);
    *p = NULL;
}

const char *metrics_text_data(const metrics_text *t, size_t *len, bool *oom)
{
    *len = t->len;
    *oom = t->oom;
    return t->data ? t->data : "";
}

/* Appends formatted text, growing the buffer (out of memory: marked, the
 * text stops there). */
static void text_printf(metrics_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(metrics_text *t, const char *fmt, ...)
{
    if (t->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int n = vsnprintf(t->data ? t->data + t->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->oom = true;
            return;
        }
        if ((size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 8192;
        while (cap - t->len <= (size_t)n)
            cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d) {
            t->oom = true;
            return;
        }
        t->data = d;
        t->cap = cap;
    }
}

void metrics_text_family(metrics_text *t, const char *name, const char *type, const char *help)
{
    text_printf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_text_u64(metrics_text *t, const char *name, const char *labels, uint64_t value)
{
    if (labels && *labels)
        text_printf(t, "%s{%s} %llu\n", name, labels, (unsigned long long)value);
    else
        text_printf(t, "%s %llu\n", name, (unsigned long long)value);
}

void metrics_text_double(metrics_text *t, const char *name, const char *labels, double value)
{
    if (labels && *labels)
        text_printf(t, "%s{%s} %.15g\n", name, labels, value);
    else
        text_printf(t, "%s %.15g\n", name, value);
}

void metrics_text_histogram(metrics_text *t, const char *name, const char *help, const histogram *h)
{
    metrics_text_family(t, name, "histogram", help);
    for (size_t i = 0; i <= h->n_bounds; i++) {
        if (i < h->n_bounds)
            text_printf(t, "%s_bucket{le=\"%g\"} %llu\n", name, h->bounds[i],
                        (unsigned long long)histogram_cumulative(h, i));
        else
            text_printf(t, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)h->count);
    }
    text_printf(t, "%s_sum %.15g\n%s_count %llu\n", name, h->sum, name, (unsigned long long)h->count);
}
