/* table_template.h -- the blank files a school, a county or the admin fills
 * in (`junheng template`): column headings in Chinese with the unit in
 * brackets ("体育运动场馆面积（平方米）"), a note per column (meaning, unit,
 * type and bounds, in Chinese and English), the number format a spreadsheet
 * should show, and the example row(s). Built from the field tables
 * (submission_fields.h for submissions; the registry's columns; the
 * county-inputs template of county_inputs_csv.h), so a heading always names
 * its column for the readers, which ignore the bracketed unit. No I/O: the
 * caller writes the CSV text, or a workbook from the same cells. */
#ifndef JUNHENG_TABLE_TEMPLATE_H
#define JUNHENG_TABLE_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "rules_config.h"

typedef enum { TEMPLATE_SUBMISSIONS, TEMPLATE_REGISTRY, TEMPLATE_COUNTY_INPUTS, TEMPLATE_PLAN } template_kind;

/* How a column's cells are kept in a workbook. */
typedef enum {
    TEMPLATE_TEXT,    /* text (codes, lists, names): a spreadsheet must not make it a number */
    TEMPLATE_INTEGER, /* a whole number, shown "0" */
    TEMPLATE_DECIMAL, /* an amount, shown "#,##0.00" */
    TEMPLATE_GENERAL  /* a number or text as typed */
} template_format;

typedef struct {
    char *heading;          /* Chinese, with the unit in brackets */
    char *note;             /* meaning, unit, type, bounds */
    template_format format;
    double width;           /* in a spreadsheet's character units */
} template_column;

typedef struct {
    template_column *cols;
    size_t n_cols;
    char ***rows;           /* n_rows rows of n_cols cells each: the example (county inputs: one per field) */
    size_t n_rows;
} table_template;

/* Builds the template of `kind`. county and period are written on the
 * county-inputs rows (both required there, unused elsewhere; rules: NULL for
 * the national vetoes only). Returns 0 and *out (caller frees with
 * table_template_destroy), or -1 when out of memory (or county-inputs
 * without a county or period). */
int table_template_build(template_kind kind, const rules_config *rules, const char *county, int32_t period,
                         table_template **out);

/* The template as CSV: a UTF-8 BOM (Excel then opens it as UTF-8), the
 * headings, the rows. Returns a new NUL-terminated string (caller frees;
 * its length in *len when non-NULL), or NULL when out of memory. */
char *table_template_csv(const table_template *t, size_t *len);

/* Frees the template and sets *p to NULL. */
void table_template_destroy(table_template **p);

/* The kind a command-line name names ("submissions", "registry",
 * "county-inputs", "plan"), or -1. */
int table_template_kind_of(const char *name);

#endif
