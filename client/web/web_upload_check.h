/* web_upload_check.h -- a school's submission file, uploaded in the
 * browser, read and checked before anything is sent: the same readers
 * (client/table_input.h: CSV, or an .xlsx workbook's sheet;
 * common/submission_csv.h) and the same validation (common/validate.h,
 * validate_read_row) as `junheng submit`, plus one rule of the page: every
 * row is for the page's school. No sockets, no HTTP: unit-tested
 * (tests/unit/test_web_upload.c); web_upload.c serves it. */
#ifndef JUNHENG_WEB_UPLOAD_CHECK_H
#define JUNHENG_WEB_UPLOAD_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "problems.h"
#include "submission_csv.h"
#include "validate.h"

/* An uploaded file, read and checked. */
typedef struct {
    submission_file *file;     /* NULL when the file itself was not read */
    problem_list file_errors;  /* why it was not read, or that it holds no rows */
    size_t bad_rows;           /* rows with at least one error */
} web_upload;

/* Reads bytes (len of them: CSV text, or an .xlsx workbook whose sheet is
 * read, NULL: the first) as a submission file of school `school` and checks
 * every row as `junheng submit` does; a row for another school is an error
 * of its school_code. Messages are in the calling thread's language.
 * Returns 0 with *u filled (free with web_upload_clear), or -1 when out of
 * memory (*u cleared). */
int web_upload_read(web_upload *u, const char *bytes, size_t len, const char *sheet, const char *school,
                    const validate_limits *limits);

/* Frees what web_upload_read filled and zeroes *u. */
void web_upload_clear(web_upload *u);

/* Whether it may be sent: the file was read, it has rows, none has an error. */
bool web_upload_ok(const web_upload *u);

/* The check, as JSON text (caller frees; NULL when out of memory):
 *   {"ok": bool, "school_code": school, "n_rows": N, "bad_rows": N,
 *    "file_errors": [PROBLEM...],
 *    "rows": [{"line": N, "school_code": "...", "period": N,
 *              "errors": [PROBLEM...], "warnings": [PROBLEM...]}]}
 * PROBLEM is {"field": column id ("" for the whole row or file),
 * "heading": its Chinese column heading ("" when none), "reason": the
 * reason as read in zh, "reason_en": as read in en}. zh and en are the same
 * bytes read in Chinese and in English (en NULL: reason_en left out). */
char *web_upload_json(const web_upload *zh, const web_upload *en, const char *school);

/* Reads and checks bytes twice, in Chinese and in English, and returns
 * web_upload_json of them (caller frees; NULL when out of memory); *ok is
 * web_upload_ok. */
char *web_upload_check(const char *bytes, size_t len, const char *sheet, const char *school,
                       const validate_limits *limits, bool *ok);

#endif
