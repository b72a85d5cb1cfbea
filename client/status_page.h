/* status_page.h -- human-readable renderings of county status JSON
 * (docs/formats.md §5): the county page, the city summary and the history. Only
 * writes to the given stream. */
#ifndef JUNHENG_STATUS_PAGE_H
#define JUNHENG_STATUS_PAGE_H

#include <jansson.h>
#include <stdio.h>

/* The full page of one county status object. */
void status_page_county(FILE *out, json_t *status);
/* One line per county of {"prefix":..,"counties":[status...]}. */
void status_page_city(FILE *out, json_t *answer);
/* status_review.c: the line saying which view a status is ("view" of the
 * status, else asked, the view the client asked for; NULL: live); the review
 * block (the "review" object) and the city's overrides, when present. */
void status_page_view_line(FILE *out, json_t *status, const char *asked);
void status_page_review(FILE *out, json_t *status);
/* The compact history entries of one county, oldest first. */
void status_page_history(FILE *out, const char *county_code, json_t *history);

#endif
