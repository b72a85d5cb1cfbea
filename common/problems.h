/* problems.h -- a growable list of {field, reason} problems: the errors that
 * refuse a row and the warnings that only flag it.  Used by the CSV reader,
 * validation, the daemon's replies and the client's printing.
 *
 * Ownership: the list owns its strings; problem_list_clear() frees them. */
#ifndef JUNHENG_PROBLEMS_H
#define JUNHENG_PROBLEMS_H

#include <stddef.h>

typedef struct {
    char *field;   /* column name, e.g. "primary_qualified_teachers"; "" for the whole row */
    char *reason;  /* e.g. "17 exceeds primary_teachers 12" */
} problem;

typedef struct {
    problem *items;
    size_t count;
    size_t capacity;
    int oom;       /* set when an add failed for lack of memory */
} problem_list;

/* Appends one problem; reason is printf-formatted. Returns 0 or -1 (OOM; sets oom). */
int problem_list_add(problem_list *self, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether any problem names `field`. */
int problem_list_has_field(const problem_list *self, const char *field);

/* Frees every problem and zeroes the list. */
void problem_list_clear(problem_list *self);

/* Writes "field: reason; field: reason" into buf (truncated to size). */
void problem_list_format(const problem_list *self, char *buf, size_t size);

/* Renders the list as a JSON array [{"field":..,"reason":..}] (caller frees),
 * or NULL when out of memory. */
char *problem_list_to_json(const problem_list *self);

#endif
