/* submission_csv.h -- school submission CSV (docs/formats.md) to submission
 * structs, and the registry CSVs (schools, counties) to registry structs.
 * English or Chinese column headers, free column order. No file I/O. */
#ifndef JUNHENG_SUBMISSION_CSV_H
#define JUNHENG_SUBMISSION_CSV_H

#include "problems.h"
#include "submission.h"

/* One data row of a submission file. errors holds parse problems (non-numeric,
 * bad list) by column; validation problems are added later by the caller. */
typedef struct {
    size_t line;
    submission sub;
    problem_list errors;
    problem_list warnings;
} submission_row;

typedef struct {
    submission_row *rows;
    size_t n_rows;
} submission_file;

/* Reads a submission file. File-level problems (undecodable bytes, unknown
 * column, duplicate column, missing school_code/period column, no header) go
 * to file_errors and the call returns -1 with *out NULL. Otherwise returns 0
 * and *out (caller frees with submission_file_destroy); row-level problems are
 * in each row's errors. Rows get no submission_id: the caller assigns one. */
int submission_file_read(const char *bytes, size_t len, submission_file **out, problem_list *file_errors);
void submission_file_destroy(submission_file **p);

/* The canonical column names and their Chinese labels, in file order, for
 * writers and --help. NULL-terminated arrays of equal length. */
extern const char *const SUBMISSION_COLUMNS[];
extern const char *const SUBMISSION_COLUMNS_ZH[];

/* The index in SUBMISSION_COLUMNS of the column a trimmed header cell means:
 * the English name (any case) or the Chinese label, per-stage labels also
 * with a separator after the stage ("小学_在校生数"). -1 when unknown. */
int submission_column_find(const char *header);

/* Where data column col (an index of SUBMISSION_COLUMNS after school_code
 * and period) is stored: its field, and in *stage its stage (-1: a
 * whole-school field). NULL for an identity column or an index out of range. */
const field_desc *submission_column_field(int col, int *stage);

/* Reads one cell of data column col into *sub as a submission file's reader
 * reads it (the same number and list rules; a list's old array freed). An
 * empty cell is 0 or an empty list. Returns 0, or -1 with the reason in why
 * (*sub unchanged). */
int submission_cell_read(submission *sub, int col, const char *cell, char *why, size_t n);

/* Reads a school registry file (school_code,name,county_code,kind,location,
 * public,boarding, and optionally public_key; English or Chinese headers). Every bad row is reported in
 * errors as field "line N: column" and skipped; returns the number of good
 * rows in *out (caller frees), or -1 on a file-level problem. */
int registry_schools_read(const char *bytes, size_t len, school_info **out, size_t *n, problem_list *errors);

/* Reads a county name list (county_code,name; extra column `note` ignored). */
int registry_counties_read(const char *bytes, size_t len, county_info **out, size_t *n, problem_list *errors);

#endif
