/* whatif_print.h -- a what-if's answer (docs/whatif.md) printed for a
 * person: Chinese names with the English ids, messages through _(). */
#ifndef JUNHENG_WHATIF_PRINT_H
#define JUNHENG_WHATIF_PRINT_H

#include <jansson.h>
#include <stdio.h>

/* Prints body (the daemon's answer, borrowed) to out: the changes, the
 * verdict before and after, the sections that flip, every coefficient
 * against its limit and the items whose outcome changes. */
void whatif_print(FILE *out, json_t *body);

#endif
