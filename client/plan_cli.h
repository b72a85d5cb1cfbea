/* plan_cli.h -- `junheng plan` (cmd_plan.c): the county's schools fetched
 * through a what-if with with_schools (plan_fetch.c), the planner of
 * common/rectify.h, the plan checked by a second what-if carrying its
 * additions, and the table, CSV, XLSX or JSON out (plan_out.c). */
#ifndef JUNHENG_PLAN_CLI_H
#define JUNHENG_PLAN_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "client.h"
#include "rectify.h"

/* A county as the what-if answer gives it: registry rows and submissions
 * (owned), entries pointing at them. */
typedef struct {
    county_info county;
    int32_t period;
    char rules_version[RULES_VERSION_MAX];
    school_info *info;
    submission *sub;
    assess_entry *entries;
    size_t n;
} plan_county_data;

/* Frees what a plan_county_data owns and zeroes it. */
void plan_county_data_clear(plan_county_data *d);

/* Reads the answer of a what-if with with_schools (its "schools" and its
 * "after" status's county and period) into *d. Returns 0, or -1 with the
 * reason in err. */
int plan_county_from_json(json_t *answer, plan_county_data *d, char *err, size_t errlen);

/* Sends a WhatIfRequest for county/period with with_schools and the given
 * changes to the admin endpoint. Returns the reply (caller frees with
 * junheng__reply__free_unpacked) or NULL when nothing answered. */
Junheng__Reply *plan_whatif(client_options *opts, const char *county, int32_t period, bool with_schools,
                            Junheng__WhatIfChange **changes, size_t n_changes);

/* The outcome of the check through the daemon's what-if. */
typedef struct {
    bool done;                 /* the daemon answered the check */
    bool resource_pass;        /* after.resource_allocation_pass */
    bool rooms_pass;           /* after.guarantee.music_art_rooms.pass */
    bool rooms_local_only;     /* the daemon refused list changes: rooms checked locally only */
    char verdict[16];          /* after.verdict */
    char note[256];            /* why not done, when not */
} plan_check;

/* Checks a plan through the daemon's what-if: every school's additions
 * sent as changes ("+N" on the count and amount columns; the new room
 * lists in full, "a;b;96"), the answer's "after" read into *check. When the
 * daemon refuses the room lists, sends the rest again and marks the rooms
 * checked locally only. */
void plan_verify(client_options *opts, const plan_county_data *d, const plan_result *res,
                 const rules_config *rules, plan_check *check);

/* What the outputs show. */
typedef struct {
    const plan_county_data *data;
    const plan_result *res;
    const plan_costs *costs;
    const rules_config *rules;
    double budget;             /* ≤ 0: none */
    const plan_check *check;
} plan_view;

/* The table per school, totals, costs and the check, to out. */
void plan_print_table(FILE *out, const plan_view *v);
/* The plan as one JSON object (caller decrefs), or NULL when out of memory. */
json_t *plan_to_json(const plan_view *v);
/* The table as CSV (UTF-8, CRLF) / XLSX at path. 0, or -1 with err. */
int plan_write_csv(const char *path, const plan_view *v, char *err, size_t errlen);
int plan_write_xlsx(const char *path, const plan_view *v, char *err, size_t errlen);

#endif
