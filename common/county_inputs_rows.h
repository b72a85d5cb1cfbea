/* county_inputs_rows.h -- one row of county inputs (item, field, value,
 * evidence) parsed and checked: the one place both the county-inputs file
 * (county_inputs_csv.h) and the wire (wire_county.h) go through, so a value
 * refused in a file is refused the same way on the wire. Also the text a
 * present value is written as, which this reader reads back exactly.
 *
 * Every refusal is a problem whose field is "<item number> <field id>" (the
 * raw texts when they are unknown) and whose reason names the row (a file's
 * line, a message's row) and the reason in Chinese, then in English.
 * Pure: no I/O. */
#ifndef JUNHENG_COUNTY_INPUTS_ROWS_H
#define JUNHENG_COUNTY_INPUTS_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "county_inputs.h"
#include "problems.h"
#include "real_format.h"

/* The longest evidence text accepted, in bytes. */
#define COUNTY_EVIDENCE_MAX 2000

/* Where a row's value goes: a field (0 … CI_FIELD_COUNT − 1) or province
 * veto k (CI_FIELD_COUNT + k). */
#define CI_SLOT_COUNT (CI_FIELD_COUNT + RULES_EXTRA_VETO_MAX)

/* The longest value text county_input_value_text writes, with its NUL. */
#define COUNTY_VALUE_TEXT_MAX (REAL_FORMAT_MAX + 2)

/* What the rows of one revision are checked against, and where refusals go. */
typedef struct {
    const rules_config *rules; /* the province vetoes a revision may answer; NULL: the national ones only */
    problem_list *problems;    /* every refusal is added here */
    const char *row_zh;        /* how a row is named: "行" / "line" for a file, "条" / "row" for a message */
    const char *row_en;
} county_rows_ctx;

/* One revision being read: the line (or row number) each slot was given on,
 * 0 when not yet; zero-initialise. */
typedef struct {
    size_t seen[CI_SLOT_COUNT];
} county_rows_seen;

/* Adds a problem for (item text, field text) at row `line`, with a Chinese
 * and an English reason. */
void county_rows_problem(const county_rows_ctx *ctx, const char *item, const char *field, size_t line,
                         const char *zh, const char *en);

/* The slot (field or province veto) that item_text / field_text name; on an
 * unknown item or field, a missing item or a computed item, reports it and
 * returns -1. */
int county_rows_slot(const county_rows_ctx *ctx, const char *item_text, const char *field_text, size_t line);

/* Parses and checks one value (and its evidence) for `slot` and sets it in
 * inputs: the type's syntax and bounds, a percentage only for a ratio, no
 * negative, a ratio above 1 refused, evidence for yes / absent / an external
 * result, not too long, not given before in this revision (seen). Returns 1
 * when set, 0 when refused (reported), -1 when out of memory. */
int county_rows_set(const county_rows_ctx *ctx, county_inputs *inputs, county_rows_seen *seen, int slot,
                    const char *value, const char *evidence, size_t line);

/* county_rows_slot then county_rows_set for one whole row; a blank value
 * gives nothing (returns 1: the field stays pending). Same returns. */
int county_rows_apply(const county_rows_ctx *ctx, county_inputs *inputs, county_rows_seen *seen,
                      const char *item_text, const char *field_text, const char *value, const char *evidence,
                      size_t line);

/* Checks every parts-of-whole relation of a revision (when its whole is
 * given), reporting each part above its whole at the latest row of its
 * parts. Returns how many it reported. */
size_t county_rows_check_relations(const county_rows_ctx *ctx, const county_inputs *inputs,
                                   const county_rows_seen *seen);

/* The text of a present value of field type `type` into buf: yes/no,
 * present/absent, or the shortest number that reads back to the same double
 * ("12.1%" when as_percent and that form reads back exactly, else the ratio).
 * county_rows_set reads it back to the same value. */
void county_input_value_text(county_input_type type, const county_input_value *v, char buf[COUNTY_VALUE_TEXT_MAX]);

#endif
