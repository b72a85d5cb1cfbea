/* fuzz_xlsx.c -- libFuzzer target: the .xlsx reader (common/xlsx_table.c)
 * on any bytes, from a seed corpus of small workbooks (tests/fuzz/corpus/
 * xlsx: the fixtures of tests/data/xlsx and the templates). The bytes are
 * read as a workbook (first sheet, and sheet "2"), and through every table
 * reader (submissions, registry, county list), which detect a workbook by
 * its content. Never crashes, never leaks (ASan/UBSan), stays within the
 * documented bounds; and a sheet's table written as CSV text
 * (csv_table_to_text) reads back to the same table, line numbers included.
 * abort() otherwise.
 *
 *   fuzz_xlsx -max_total_time=20 CORPUS_DIR tests/fuzz/corpus/xlsx */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "problems.h"
#include "submission_csv.h"
#include "xlsx_table.h"

/* Stops the run with a message: libFuzzer saves the input as a crash. */
#define REQUIRE(cond, what)                                                       \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz_xlsx: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                              \
        }                                                                         \
    } while (0)

/* Checks one sheet's table: its bounds, and the CSV round trip. */
static void check_table(const csv_table *t)
{
    size_t cells = 0;
    REQUIRE(t->n_cols >= 1, "a header without a column");
    for (size_t i = 0; i < t->n_rows; i++) {
        cells += t->rows[i].n_fields;
        REQUIRE(t->rows[i].n_fields >= 1, "an empty row kept");
        REQUIRE(i == 0 || t->rows[i].line > t->rows[i - 1].line, "rows out of order");
    }
    REQUIRE(cells <= XLSX_CELLS_MAX, "more cells than the bound");
    if (t->header[0][0] == '\xEF') /* a leading U+FEFF reads as a BOM in CSV text */
        return;
    size_t len;
    char *text = csv_table_to_text(t, &len);
    if (!text)
        return;
    csv_table *back = NULL;
    char err[512];
    int rc = csv_table_parse(text, len, &back, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "fuzz_xlsx: %s\n", err);
    REQUIRE(rc == 0, "the table as CSV does not read back");
    REQUIRE(back->n_cols == t->n_cols && back->n_rows == t->n_rows, "the CSV round trip changed the shape");
    for (size_t j = 0; j < t->n_cols; j++)
        REQUIRE(strcmp(back->header[j], t->header[j]) == 0, "the CSV round trip changed a heading");
    for (size_t i = 0; i < t->n_rows; i++) {
        REQUIRE(back->rows[i].line == t->rows[i].line, "the CSV round trip moved a row");
        REQUIRE(back->rows[i].n_fields == t->rows[i].n_fields, "the CSV round trip changed a row's width");
        for (size_t j = 0; j < t->rows[i].n_fields; j++)
            REQUIRE(strcmp(back->rows[i].fields[j], t->rows[i].fields[j]) == 0, "the CSV round trip changed a cell");
    }
    csv_table_destroy(&back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    char err[512];
    const char *sheets[] = { NULL, "2" };
    for (int s = 0; s < 2; s++) {
        csv_table *t = NULL;
        if (xlsx_table_parse(bytes, size, sheets[s], &t, err, sizeof err) == 0) {
            check_table(t);
            csv_table_destroy(&t);
        } else {
            REQUIRE(t == NULL && err[0], "a refusal without a reason");
        }
    }
    problem_list errors = { 0 };
    submission_file *f = NULL;
    if (submission_file_read(bytes, size, &f, &errors) == 0)
        submission_file_destroy(&f);
    problem_list_clear(&errors);
    school_info *schools = NULL;
    size_t n = 0;
    registry_schools_read(bytes, size, &schools, &n, &errors);
    free(schools);
    problem_list_clear(&errors);
    county_info *counties = NULL;
    registry_counties_read(bytes, size, &counties, &n, &errors);
    free(counties);
    problem_list_clear(&errors);
    return 0;
}
