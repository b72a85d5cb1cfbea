/* test_xlsx.c -- the .xlsx reader (xlsx_table.h): the workbooks in
 * tests/data/xlsx (made by make_fixtures.py the way spreadsheet programs
 * save them) read to the same submissions and registry rows as their CSV
 * twins in tests/data; the refusals (.xls, the size and cell bounds, a
 * missing sheet); csv_table_to_text. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "header_match.h"
#include "submission_csv.h"
#include "xlsx_table.h"
#include "i18n_init.h"
#include "test_data_util.h"

/* Switches this test's messages to Chinese (the build tree's catalogue);
 * returns what i18n_restore() needs to switch back. */
static locale_t in_chinese(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    locale_t prev = i18n_use("zh_CN");
    cr_assert_neq(prev, (locale_t)0, "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
    return prev;
}

/* Reads a submission file (CSV or XLSX through csv_table_parse), asserting success. */
static submission_file *read_submissions(const char *name)
{
    size_t len;
    char *bytes = slurp(name, &len);
    submission_file *f = NULL;
    problem_list pl = { 0 };
    int rc = submission_file_read(bytes, len, &f, &pl);
    cr_assert_eq(rc, 0, "%s: %s", name, pl.count ? pl.items[0].reason : "?");
    problem_list_clear(&pl);
    free(bytes);
    return f;
}

/* Asserts that two files hold the same submissions, row for row, with no
 * row problem in either. */
static void assert_same_submissions(const char *xlsx, const char *csv)
{
    submission_file *a = read_submissions(xlsx), *b = read_submissions(csv);
    cr_assert_eq(a->n_rows, b->n_rows, "%s: %zu rows, %s: %zu", xlsx, a->n_rows, csv, b->n_rows);
    for (size_t i = 0; i < a->n_rows; i++) {
        cr_assert_eq(a->rows[i].errors.count, 0, "%s row %zu: %s %s", xlsx, i, a->rows[i].errors.items[0].field,
                     a->rows[i].errors.items[0].reason);
        cr_assert_eq(b->rows[i].errors.count, 0);
        cr_assert(submission_equal(&a->rows[i].sub, &b->rows[i].sub), "%s row %zu differs from %s", xlsx, i, csv);
    }
    submission_file_destroy(&a);
    submission_file_destroy(&b);
}

Test(xlsx, shared_strings_and_numbers_read_as_the_csv)
{
    assert_same_submissions("xlsx/submission_shared.xlsx", "submission_en.csv");
}

Test(xlsx, inline_strings_prefixed_elements_rich_text_no_references)
{
    assert_same_submissions("xlsx/submission_inline.xlsx", "submission_en.csv");
}

Test(xlsx, title_row_merged_above_the_header_is_skipped)
{
    assert_same_submissions("xlsx/submission_title.xlsx", "submission_en.csv");
}

Test(xlsx, merged_two_row_chinese_header_with_units)
{
    assert_same_submissions("xlsx/submission_merged.xlsx", "submission_zh_bom.csv");
}

Test(xlsx, merged_two_row_header_written_by_libxlsxwriter)
{
    /* the same layout written by a spreadsheet library (tests/tools/csv_to_xlsx --merged-header): merge ranges
     * with blank-formatted cells under them, numbers as numbers, 学年 a number */
    assert_same_submissions("xlsx/submission_merged_lxw.xlsx", "submission_zh_bom.csv");
}

/* Parses a fixture's sheet into a table, asserting the result. */
static csv_table *sheet_of(const char *name, const char *sheet, int want_rc, char *err, size_t errlen)
{
    size_t len;
    char *bytes = slurp(name, &len);
    csv_table *t = NULL;
    err[0] = '\0';
    int rc = xlsx_table_parse(bytes, len, sheet, &t, err, errlen);
    free(bytes);
    cr_assert_eq(rc, want_rc, "%s: %s", name, err);
    return t;
}

Test(xlsx, second_sheet_by_name_or_position_with_gaps)
{
    char err[512];
    csv_table *first = sheet_of("xlsx/submission_two_sheets.xlsx", NULL, 0, err, sizeof err);
    cr_assert_eq(first->n_rows, 0);
    cr_assert_str_eq(first->header[0], "请在“数据”表填写；fill in the sheet 数据");
    csv_table_destroy(&first);
    csv_table *by_name = sheet_of("xlsx/submission_two_sheets.xlsx", "数据", 0, err, sizeof err);
    csv_table *by_pos = sheet_of("xlsx/submission_two_sheets.xlsx", "2", 0, err, sizeof err);
    cr_assert_eq(by_name->n_rows, 2);
    cr_assert_eq(by_name->rows[0].line, 3, "the blank row 2 is skipped, the line is the sheet's row");
    cr_assert_str_eq(by_name->rows[0].fields[0], "3714020001");
    cr_assert_str_eq(by_name->rows[0].fields[18], "", "a missing cell is blank");
    cr_assert_str_eq(by_name->rows[0].fields[19], "4200.5", "17 digits read back as the shortest text");
    cr_assert_eq(by_pos->n_rows, by_name->n_rows);
    cr_assert_str_eq(by_pos->rows[1].fields[0], "3714020002");

    /* The table as CSV reads back to the same submissions as the CSV twin. */
    size_t n;
    char *text = csv_table_to_text(by_name, &n);
    cr_assert_not_null(text);
    csv_table *back = NULL;
    cr_assert_eq(csv_table_parse(text, n, &back, err, sizeof err), 0, "%s", err);
    cr_assert_eq(back->n_rows, 2);
    cr_assert_eq(back->rows[1].line, by_name->rows[1].line);
    submission_file *f = NULL, *twin = read_submissions("submission_en.csv");
    problem_list pl = { 0 };
    cr_assert_eq(submission_file_read(text, n, &f, &pl), 0);
    for (size_t i = 0; i < 2; i++)
        cr_assert(submission_equal(&f->rows[i].sub, &twin->rows[i].sub));
    submission_file_destroy(&f);
    submission_file_destroy(&twin);
    csv_table_destroy(&back);
    free(text);
    csv_table_destroy(&by_name);
    csv_table_destroy(&by_pos);

    csv_table *none = sheet_of("xlsx/submission_two_sheets.xlsx", "Sheet9", -1, err, sizeof err);
    cr_assert_null(none);
    cr_assert(strstr(err, "no sheet 'Sheet9' (the workbook has 2: 说明, 数据)"), "%s", err);
}

Test(xlsx, registry_with_booleans_reads_as_the_csv)
{
    size_t la, lb;
    char *xa = slurp("xlsx/schools.xlsx", &la), *cb = slurp("schools.csv", &lb);
    school_info *sa = NULL, *sb = NULL;
    size_t na = 0, nb = 0;
    problem_list ea = { 0 }, eb = { 0 };
    cr_assert_eq(registry_schools_read(xa, la, &sa, &na, &ea), registry_schools_read(cb, lb, &sb, &nb, &eb));
    cr_assert_eq(na, nb);
    cr_assert_gt(na, 0);
    cr_assert_eq(ea.count, eb.count);
    for (size_t i = 0; i < na; i++) {
        cr_assert_str_eq(sa[i].school_code, sb[i].school_code);
        cr_assert_str_eq(sa[i].name, sb[i].name);
        cr_assert_eq(sa[i].is_public, sb[i].is_public);
        cr_assert_eq(sa[i].boarding, sb[i].boarding);
        cr_assert_eq(sa[i].kind, sb[i].kind);
    }
    free(sa);
    free(sb);
    free(xa);
    free(cb);
    problem_list_clear(&ea);
    problem_list_clear(&eb);

    char *xc = slurp("xlsx/counties.xlsx", &la), *cc = slurp("counties.csv", &lb);
    county_info *ca = NULL, *cbi = NULL;
    cr_assert_eq(registry_counties_read(xc, la, &ca, &na, &ea), 4);
    cr_assert_eq(registry_counties_read(cc, lb, &cbi, &nb, &eb), 4);
    for (size_t i = 0; i < na; i++)
        cr_assert_str_eq(ca[i].name, cbi[i].name);
    free(ca);
    free(cbi);
    free(xc);
    free(cc);
    problem_list_clear(&ea);
    problem_list_clear(&eb);
}

Test(xlsx, old_xls_refused_in_both_languages)
{
    size_t len;
    char *bytes = slurp("xlsx/old.xls", &len);
    submission_file *f = NULL;
    problem_list pl = { 0 };
    cr_assert_eq(submission_file_read(bytes, len, &f, &pl), -1);
    cr_assert_str_eq(pl.items[0].reason, "this is an old Excel (.xls) file: save it as .xlsx or CSV");
    problem_list_clear(&pl);
    in_chinese();
    cr_assert_eq(submission_file_read(bytes, len, &f, &pl), -1);
    cr_assert_str_eq(pl.items[0].reason, "这是旧版Excel（.xls）文件，请另存为 .xlsx 或 CSV");
    problem_list_clear(&pl);
    free(bytes);
}

Test(xlsx, bounds_refuse_a_large_part_and_too_many_cells)
{
    char err[512];
    cr_assert_null(sheet_of("xlsx/too_large.xlsx", NULL, -1, err, sizeof err));
    cr_assert(strstr(err, "larger than 64 MiB uncompressed"), "%s", err);
    cr_assert_null(sheet_of("xlsx/too_many_cells.xlsx", NULL, -1, err, sizeof err));
    cr_assert(strstr(err, "more than 2000000 cells"), "%s", err);
}

Test(xlsx, not_a_workbook)
{
    char err[512];
    csv_table *t = NULL;
    cr_assert_eq(xlsx_table_parse("PK\3\4garbage", 11, NULL, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "damaged ZIP"), "%s", err);
    cr_assert_eq(xlsx_table_parse("a,b\n1,2\n", 8, NULL, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "not an Excel workbook"), "%s", err);
    cr_assert_eq(table_bytes_kind_of("a,b", 3), TABLE_BYTES_TEXT);
}

Test(header_unit, trailing_bracketed_unit_is_dropped)
{
    char b[64];
    cr_assert_str_eq(header_without_unit("体育运动场馆面积（平方米）", b, sizeof b), "体育运动场馆面积");
    cr_assert_str_eq(header_without_unit("教学仪器设备值(元)", b, sizeof b), "教学仪器设备值");
    cr_assert_str_eq(header_without_unit("sports_area_m2 (m²) ", b, sizeof b), "sports_area_m2");
    cr_assert_null(header_without_unit("（平方米）", b, sizeof b), "nothing left before the unit");
    cr_assert_null(header_without_unit("体育运动场馆面积", b, sizeof b));
    cr_assert_null(header_without_unit("a)", b, sizeof b));
}

Test(header_unit, csv_headers_with_units_match_their_columns)
{
    const char *text = "学校标识码,学年,体育运动场馆面积（平方米）,教学仪器设备值(元),小学_在校生数（人）\n"
                       "3714020001,2025,7600,1800000,540\n";
    submission_file *f = NULL;
    problem_list pl = { 0 };
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &pl), 0, "%s", pl.count ? pl.items[0].reason : "");
    cr_assert_eq(f->rows[0].sub.sports_area_m2, 7600);
    cr_assert_eq(f->rows[0].sub.equipment_value_yuan, 1800000);
    cr_assert_eq(f->rows[0].sub.stage[STAGE_PRIMARY].students, 540);
    submission_file_destroy(&f);
    const char *reg = "县区代码,名称（全称）\n371402,德城区\n";
    county_info *c = NULL;
    size_t n = 0;
    cr_assert_eq(registry_counties_read(reg, strlen(reg), &c, &n, &pl), 1);
    free(c);
}

/* Numbers as Excel saves them (numbers.xlsx): plain shortest decimals, no
 * exponent within 20 places; a boolean, an error value, a formula's result. */
Test(xlsx, numbers_read_as_plain_shortest_decimals)
{
    char err[512];
    csv_table *t = sheet_of("xlsx/numbers.xlsx", NULL, 0, err, sizeof err);
    static const char *const want[] = { "2137020010", "0.000015", "222.39", "0.30000000000000004", "-7", "1e+25",
                                        "123456789012345680000", "TRUE", "#DIV/0!", "0.1" };
    cr_assert_eq(t->n_rows, 1);
    cr_assert_eq(t->rows[0].n_fields, sizeof want / sizeof want[0]);
    for (size_t j = 0; j < sizeof want / sizeof want[0]; j++)
        cr_assert_str_eq(t->rows[0].fields[j], want[j], "column %zu", j + 1);
    csv_table_destroy(&t);
}
