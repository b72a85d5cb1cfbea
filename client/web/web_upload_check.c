/* web_upload_check.c -- an uploaded school submission file read and checked
 * (see web_upload_check.h). */
#include "web_upload_check.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "i18n_init.h"
#include "table_input.h"

/* Adds the page's own rule to each row: it is for the page's school. */
static void check_school(submission_row *row, const char *school)
{
    const char *code = row->sub.school_code;
    if (code[0] && strcmp(code, school) != 0 && !problem_list_has_field(&row->errors, "school_code"))
        problem_list_add(&row->errors, "school_code", _("this row is for school %s; this page sends for school %s only"),
                         code, school);
}

int web_upload_read(web_upload *u, const char *bytes, size_t len, const char *sheet, const char *school,
                    const validate_limits *limits)
{
    memset(u, 0, sizeof *u);
    char *text = NULL, err[512] = "";
    size_t text_len = 0;
    table_input_result tr = table_input_convert(bytes, len, sheet, &text, &text_len, err, sizeof err);
    if (tr == TABLE_INPUT_NO_MEMORY)
        return -1;
    if (tr == TABLE_INPUT_NOT_READ)
        problem_list_add(&u->file_errors, "", "%s", err);
    else if (tr == TABLE_INPUT_SHEET_OF_TEXT)
        problem_list_add(&u->file_errors, "", _("a sheet was named, but the file is not an Excel workbook (.xlsx)"));
    else if (submission_file_read(text, text_len, &u->file, &u->file_errors) == 0 && u->file->n_rows == 0)
        problem_list_add(&u->file_errors, "", _("the file has a header but no school rows"));
    free(text);
    for (size_t r = 0; u->file && r < u->file->n_rows; r++) {
        submission_row *row = &u->file->rows[r];
        validate_read_row(&row->sub, limits, &row->errors, &row->warnings);
        check_school(row, school);
        if (row->errors.count > 0)
            u->bad_rows++;
        if (row->errors.oom || row->warnings.oom) {
            web_upload_clear(u);
            return -1;
        }
    }
    if (u->file_errors.oom) {
        web_upload_clear(u);
        return -1;
    }
    return 0;
}

void web_upload_clear(web_upload *u)
{
    submission_file_destroy(&u->file);
    problem_list_clear(&u->file_errors);
    memset(u, 0, sizeof *u);
}

bool web_upload_ok(const web_upload *u)
{
    return u->file && u->file->n_rows > 0 && u->file_errors.count == 0 && u->bad_rows == 0;
}

/* A list of problems as JSON: field, its Chinese heading, the reason as zh
 * says it and (when en has the same problems) as en says it. */
static json_t *problems_json(const problem_list *zh, const problem_list *en)
{
    json_t *a = json_array();
    bool pair = en && en->count == zh->count;
    for (size_t i = 0; a && i < zh->count; i++) {
        const problem *p = &zh->items[i];
        int col = p->field && *p->field ? submission_column_find(p->field) : -1;
        json_t *o = json_pack("{s:s, s:s, s:s}", "field", p->field ? p->field : "", "heading",
                              col >= 0 ? SUBMISSION_COLUMNS_ZH[col] : "", "reason", p->reason ? p->reason : "");
        if (o && pair)
            json_object_set_new(o, "reason_en", json_string(en->items[i].reason ? en->items[i].reason : ""));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* One row as JSON (its English twin en_row may be NULL). */
static json_t *row_json(const submission_row *row, const submission_row *en_row)
{
    json_t *errors = problems_json(&row->errors, en_row ? &en_row->errors : NULL);
    json_t *warnings = problems_json(&row->warnings, en_row ? &en_row->warnings : NULL);
    if (!errors || !warnings) {
        json_decref(errors);
        json_decref(warnings);
        return NULL;
    }
    return json_pack("{s:I, s:s, s:i, s:o, s:o}", "line", (json_int_t)row->line, "school_code", row->sub.school_code,
                     "period", (int)row->sub.period, "errors", errors, "warnings", warnings);
}

char *web_upload_json(const web_upload *zh, const web_upload *en, const char *school)
{
    size_t n = zh->file ? zh->file->n_rows : 0;
    bool twins = en && en->file && en->file->n_rows == n;
    json_t *rows = json_array();
    json_t *file_errors = problems_json(&zh->file_errors, en ? &en->file_errors : NULL);
    for (size_t r = 0; rows && r < n; r++) {
        json_t *o = row_json(&zh->file->rows[r], twins ? &en->file->rows[r] : NULL);
        if (!o || json_array_append_new(rows, o) != 0) {
            json_decref(rows);
            rows = NULL;
        }
    }
    if (!rows || !file_errors) {
        json_decref(rows);
        json_decref(file_errors);
        return NULL;
    }
    /* "o" takes both references, also when the packing fails */
    json_t *top = json_pack("{s:b, s:s, s:I, s:I, s:o, s:o}", "ok", web_upload_ok(zh), "school_code", school,
                            "n_rows", (json_int_t)n, "bad_rows", (json_int_t)zh->bad_rows, "file_errors",
                            file_errors, "rows", rows);
    if (!top)
        return NULL;
    char *text = json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(top);
    return text;
}

/* Reads and checks the bytes with the calling thread's messages in lang. */
static int read_in(const char *lang, web_upload *u, const char *bytes, size_t len, const char *sheet,
                   const char *school, const validate_limits *limits)
{
    locale_t prev = i18n_use(lang);
    int rc = web_upload_read(u, bytes, len, sheet, school, limits);
    i18n_restore(prev);
    return rc;
}

char *web_upload_check(const char *bytes, size_t len, const char *sheet, const char *school,
                       const validate_limits *limits, bool *ok)
{
    web_upload zh, en;
    *ok = false;
    if (read_in("zh_CN", &zh, bytes, len, sheet, school, limits) != 0)
        return NULL;
    if (read_in("en", &en, bytes, len, sheet, school, limits) != 0) {
        web_upload_clear(&zh);
        return NULL;
    }
    char *text = web_upload_json(&zh, &en, school);
    *ok = web_upload_ok(&zh);
    web_upload_clear(&zh);
    web_upload_clear(&en);
    return text;
}
