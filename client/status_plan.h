/* status_plan.h -- the city's plan in the client's views: the "plan" object
 * of a status (docs/formats.md) as a section of the county page, a column
 * of the city summary, and a table of the HTML report with the counties
 * behind plan in their due year called out. Only writes to the given
 * stream. */
#ifndef JUNHENG_STATUS_PLAN_H
#define JUNHENG_STATUS_PLAN_H

#include <jansson.h>
#include <stdio.h>

/* The county page's plan section: each planned figure beside the measured
 * one, the behind ones marked, the due year; nothing when status has no
 * plan. */
void status_plan_print(FILE *out, json_t *status);

/* The city summary's plan cell into buf: "-" without a plan, "on plan",
 * "3 behind", and "3 behind, DUE 2025" when behind in its due year. */
void status_plan_cell(json_t *status, char *buf, size_t size);

/* The report's planned-vs-measured table of one county (behind cells
 * marked; a called-out line when behind in its due year); nothing when the
 * status has no plan. */
void status_plan_html(FILE *out, json_t *status);

/* The report's list of the counties (statuses: an array) behind plan in
 * the year they are due to apply; nothing when there are none. */
void status_plan_html_callouts(FILE *out, json_t *statuses);

#endif
