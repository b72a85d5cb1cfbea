/* test_template.c -- `junheng template`: each template, as CSV and as a
 * workbook written by libxlsxwriter (client/template_xlsx.c), read back by
 * the readers gives exactly its example row; headings carry their units. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "county_inputs_csv.h"
#include "file_read.h"
#include "submission_csv.h"
#include "table_template.h"
#include "template_xlsx.h"

/* The template of kind as CSV text and as a workbook's bytes (both owned by the caller). */
static void both_forms(template_kind kind, char **csv, size_t *csv_len, char **xlsx, size_t *xlsx_len,
                       table_template **t)
{
    cr_assert_eq(table_template_build(kind, NULL, "371402", 2025, t), 0);
    *csv = table_template_csv(*t, csv_len);
    cr_assert_not_null(*csv);
    cr_assert(memcmp(*csv, "\xEF\xBB\xBF", 3) == 0, "a UTF-8 BOM for Excel");
    char path[] = "/tmp/junheng-template-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    char err[256];
    cr_assert_eq(template_xlsx_write(*t, path, "Sheet", err, sizeof err), 0, "%s", err);
    cr_assert_eq(file_read_all(path, 0, 0, xlsx, xlsx_len, NULL), 0);
    unlink(path);
}

/* The example row of t under the English column names, read as a submission file. */
static submission_file *example_in_english(const table_template *t)
{
    char text[4096] = "";
    for (size_t j = 0; SUBMISSION_COLUMNS[j]; j++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", j ? "," : "", SUBMISSION_COLUMNS[j]);
    strcat(text, "\n");
    for (size_t j = 0; j < t->n_cols; j++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s\"%s\"", j ? "," : "", t->rows[0][j]);
    submission_file *f = NULL;
    problem_list pl = { 0 };
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &pl), 0);
    return f;
}

/* Reads bytes as a submission file: one row, no problem, equal to want. */
static void assert_reads_to(const char *bytes, size_t len, const submission *want, const char *what)
{
    submission_file *f = NULL;
    problem_list pl = { 0 };
    cr_assert_eq(submission_file_read(bytes, len, &f, &pl), 0, "%s: %s", what, pl.count ? pl.items[0].reason : "");
    cr_assert_eq(f->n_rows, 1, "%s", what);
    cr_assert_eq(f->rows[0].errors.count, 0, "%s: %s %s", what, f->rows[0].errors.items[0].field,
                 f->rows[0].errors.items[0].reason);
    cr_assert(submission_equal(&f->rows[0].sub, want), "%s: not the example row", what);
    submission_file_destroy(&f);
}

Test(template, submissions_read_back_to_the_example_row)
{
    char *csv, *xlsx;
    size_t csv_len, xlsx_len;
    table_template *t;
    both_forms(TEMPLATE_SUBMISSIONS, &csv, &csv_len, &xlsx, &xlsx_len, &t);
    cr_assert(strstr(csv, ",体育运动场馆面积（平方米）,"), "headings carry their unit");
    cr_assert(strstr(csv, ",小学各班人数（人）,"));
    cr_assert(strstr(t->cols[2].note, "≥ 0"));
    submission_file *want = example_in_english(t);
    assert_reads_to(csv, csv_len, &want->rows[0].sub, "CSV");
    assert_reads_to(xlsx, xlsx_len, &want->rows[0].sub, "XLSX");
    cr_assert_str_eq(want->rows[0].sub.school_code, "3714020001");
    cr_assert_eq(want->rows[0].sub.teaching_area_m2, 4200.5);
    submission_file_destroy(&want);
    table_template_destroy(&t);
    free(csv);
    free(xlsx);
}

Test(template, registry_reads_back_to_the_example_school)
{
    char *csv, *xlsx;
    size_t csv_len, xlsx_len;
    table_template *t;
    both_forms(TEMPLATE_REGISTRY, &csv, &csv_len, &xlsx, &xlsx_len, &t);
    const char *forms[] = { csv, xlsx };
    size_t lens[] = { csv_len, xlsx_len };
    for (int i = 0; i < 2; i++) {
        school_info *s = NULL;
        size_t n = 0;
        problem_list pl = { 0 };
        cr_assert_eq(registry_schools_read(forms[i], lens[i], &s, &n, &pl), 1, "%s", pl.count ? pl.items[0].reason : "");
        cr_assert_str_eq(s[0].school_code, "3714020001");
        cr_assert_str_eq(s[0].name, "德州市第一实验学校");
        cr_assert_str_eq(s[0].county_code, "371402");
        cr_assert_eq(s[0].kind, KIND_NINE_YEAR);
        cr_assert_eq(s[0].location, LOCATION_URBAN);
        cr_assert(s[0].is_public);
        cr_assert(!s[0].boarding);
        free(s);
    }
    table_template_destroy(&t);
    free(csv);
    free(xlsx);
}

Test(template, county_inputs_read_back_blank)
{
    char *csv, *xlsx;
    size_t csv_len, xlsx_len;
    table_template *t;
    both_forms(TEMPLATE_COUNTY_INPUTS, &csv, &csv_len, &xlsx, &xlsx_len, &t);
    cr_assert_gt(t->n_rows, 20, "one row per field");
    const char *forms[] = { csv, xlsx };
    size_t lens[] = { csv_len, xlsx_len };
    for (int i = 0; i < 2; i++) {
        county_inputs_file *f = NULL;
        problem_list pl = { 0 };
        cr_assert_eq(county_inputs_read(forms[i], lens[i], NULL, NULL, 0, &f, &pl), 0);
        cr_assert_eq(pl.count, 0, "%s", pl.count ? pl.items[0].reason : "");
        cr_assert_eq(f->n_sets, 0, "a blank template gives no value");
        county_inputs_file_destroy(&f);
    }
    table_template_destroy(&t);
    free(csv);
    free(xlsx);
}
