/* school_page.h -- the readable page of one school's own status
 * (`junheng status --school`, docs/formats.md "A school's own status"). Only
 * writes to the given stream. */
#ifndef JUNHENG_SCHOOL_PAGE_H
#define JUNHENG_SCHOOL_PAGE_H

#include <jansson.h>
#include <stdio.h>

/* The page: the school, per section a table of the seven indicators (Chinese
 * name and id, value, standard, met ✓/✗) with what it needs as Chinese
 * sentences, the guarantee items, the revisions and their review state, the
 * county's verdict and the caveat that the school's pass is not the
 * county's. */
void school_page_print(FILE *out, json_t *school);

#endif
