/* county_book_plan.c -- the city's plan held by the county book: per
 * (county, school year) the plan row in force, shown beside each status
 * (county_book_render.c). See county_book.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "county_book_internal.h"

/* The map key of (county, period): "371425:2025", period 0 "371425:0". */
static void plan_key(const char *county_code, int32_t period, char key[32])
{
    snprintf(key, 32, "%s:%d", county_code, (int)period);
}

int county_book_plan_put(county_book *self, const plan_row *rows, size_t n, bool mark_changed)
{
    if (!self->plans && !(self->plans = hashmap_new(free)))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char key[32];
        plan_key(rows[i].county_code, rows[i].period, key);
        plan_row *copy = malloc(sizeof *copy);
        if (copy)
            *copy = rows[i];
        if (!copy || hashmap_put(self->plans, key, copy) != 0) {
            free(copy);
            rc = -1;
        }
    }
    for (size_t i = 0; mark_changed && i < n; i++)
        if (book_mark_county(self, rows[i].county_code) != 0)
            rc = -1;
    return rc;
}

const plan_row *county_book_plan(const county_book *self, const char *county_code, int32_t period)
{
    if (!self->plans)
        return NULL;
    char key[32];
    plan_key(county_code, period, key);
    const plan_row *r = hashmap_get(self->plans, key);
    if (!r) {
        plan_key(county_code, 0, key);
        r = hashmap_get(self->plans, key);
    }
    return r;
}
