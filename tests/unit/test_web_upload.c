/* test_web_upload.c -- the web gateway's school upload check
 * (client/web/web_upload_check.c): a file's every row read and checked as
 * `junheng submit` checks it, a row for another school refused, file-level
 * problems, the XLSX twin of a CSV, and the check's JSON (field, Chinese
 * heading, reason in Chinese and in English); the upload's routes. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n_init.h"
#include "web_text.h"
#include "web_upload_check.h"
#include "test_data_util.h"

#define HEADER                                                                                                    \
    "school_code,period,primary_students,primary_class_sizes,primary_teachers,primary_qualified_teachers,"         \
    "primary_backbone_teachers,primary_pe_art_teachers,primary_new_entrants,primary_new_entrants_in_zone,"         \
    "junior_students,junior_class_sizes,junior_teachers,junior_qualified_teachers,junior_backbone_teachers,"       \
    "junior_pe_art_teachers,junior_new_entrants,junior_new_entrants_in_zone,senior_students,teaching_area_m2,"     \
    "sports_area_m2,equipment_value_yuan,multimedia_rooms,music_room_areas_m2,art_room_areas_m2,"                  \
    "certified_teachers,trained_teachers,exchange_eligible_teachers,exchanged_teachers,"                           \
    "exchanged_backbone_teachers,public_funds_yuan,training_spend_yuan\n"
#define GOOD_ROW                                                                                                  \
    "3714020001,2025,540,45;45;45;45;45;45;45;45;45;45;45;45,30,28,6,5,90,90,300,50;50;50;50;50;50,25,24,4,3,100," \
    "96,,4200.5,7600,1800000,20,96;100.5,90,55,50,10,2,1,800000,40000\n"
/* the same school with a negative count of primary students */
#define BAD_ROW                                                                                                   \
    "3714020001,2025,-540,45;45;45;45;45;45;45;45;45;45;45;45,30,28,6,5,90,90,300,50;50;50;50;50;50,25,24,4,3,"    \
    "100,96,,4200.5,7600,1800000,20,96;100.5,90,55,50,10,2,1,800000,40000\n"
#define OTHER_ROW                                                                                                 \
    "3714020002,2025,,,,,,,,,420,42;42;42;42;42;42;42;42;42;42,30,29,3,3,140,133,600,5400,9000,2500000,18,,,28,"   \
    "28,4,0,0,300000,15000\n"

static validate_limits limits;

static void setup(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    validate_limits_for_year(&limits, 2026);
}

/* Checks text for school 3714020001 and returns the JSON (caller decrefs). */
static json_t *check(const char *text, size_t len, const char *sheet, bool *ok)
{
    char *out = web_upload_check(text, len, sheet, "3714020001", &limits, ok);
    cr_assert_not_null(out);
    json_t *j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "not JSON: %s", out);
    free(out);
    cr_assert_eq(json_is_true(json_object_get(j, "ok")), *ok);
    return j;
}

/* Problem i of list key of row r. */
static json_t *problem_at(json_t *j, size_t r, const char *key, size_t i)
{
    json_t *p = json_array_get(json_object_get(json_array_get(json_object_get(j, "rows"), r), key), i);
    cr_assert_not_null(p, "no %s #%zu on row %zu", key, i, r);
    return p;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    cr_assert_not_null(s, "no %s", key);
    return s;
}

Test(web_upload, a_clean_file_of_the_school_may_be_sent, .init = setup)
{
    const char *text = HEADER GOOD_ROW;
    bool ok = false;
    json_t *j = check(text, strlen(text), NULL, &ok);
    cr_assert(ok);
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 1);
    json_t *row = json_array_get(json_object_get(j, "rows"), 0);
    cr_assert_eq(json_integer_value(json_object_get(row, "line")), 2);
    cr_assert_str_eq(str(row, "school_code"), "3714020001");
    cr_assert_eq(json_integer_value(json_object_get(row, "period")), 2025);
    cr_assert_eq(json_array_size(json_object_get(row, "errors")), 0);
    cr_assert_eq(json_integer_value(json_object_get(j, "bad_rows")), 0);
    json_decref(j);
}

Test(web_upload, a_bad_row_names_the_column_its_heading_and_the_reason_in_chinese_first, .init = setup)
{
    const char *text = HEADER GOOD_ROW BAD_ROW;
    bool ok = true;
    json_t *j = check(text, strlen(text), NULL, &ok);
    cr_assert_not(ok, "a file with a bad row may not be sent");
    cr_assert_eq(json_integer_value(json_object_get(j, "bad_rows")), 1);
    json_t *first = json_array_get(json_object_get(j, "rows"), 0);
    cr_assert_eq(json_array_size(json_object_get(first, "errors")), 0, "the good row has no errors");
    json_t *p = problem_at(j, 1, "errors", 0);
    cr_assert_str_eq(str(p, "field"), "primary_students");
    cr_assert_str_eq(str(p, "heading"), "小学在校生数");
    cr_assert(strstr(str(p, "reason"), "负数") != NULL, "reason in Chinese: %s", str(p, "reason"));
    cr_assert(strstr(str(p, "reason_en"), "negative") != NULL, "reason_en: %s", str(p, "reason_en"));
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(j, "rows"), 1), "line")), 3);
    json_decref(j);
}

Test(web_upload, a_row_for_another_school_is_an_error_of_its_school_code, .init = setup)
{
    const char *text = HEADER GOOD_ROW OTHER_ROW;
    bool ok = true;
    json_t *j = check(text, strlen(text), NULL, &ok);
    cr_assert_not(ok);
    json_t *p = problem_at(j, 1, "errors", 0);
    cr_assert_str_eq(str(p, "field"), "school_code");
    cr_assert_str_eq(str(p, "heading"), "学校标识码");
    cr_assert(strstr(str(p, "reason_en"), "3714020002") != NULL, "%s", str(p, "reason_en"));
    cr_assert(strstr(str(p, "reason"), "学校") != NULL, "reason in Chinese: %s", str(p, "reason"));
    json_decref(j);
}

Test(web_upload, a_header_without_rows_or_an_unknown_column_is_a_file_error, .init = setup)
{
    const char *cases[] = { HEADER, "school_code,period,no_such_column\n3714020001,2025,1\n", "" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = true;
        json_t *j = check(cases[i], strlen(cases[i]), NULL, &ok);
        cr_assert_not(ok, "case %zu", i);
        cr_assert_gt(json_array_size(json_object_get(j, "file_errors")), 0, "case %zu", i);
        cr_assert_eq(json_array_size(json_object_get(j, "rows")), 0, "case %zu", i);
        json_decref(j);
    }
}

Test(web_upload, a_sheet_named_for_a_csv_file_is_a_file_error, .init = setup)
{
    const char *text = HEADER GOOD_ROW;
    bool ok = true;
    json_t *j = check(text, strlen(text), "2", &ok);
    cr_assert_not(ok);
    cr_assert_eq(json_array_size(json_object_get(j, "file_errors")), 1);
    json_decref(j);
}

Test(web_upload, an_xlsx_workbook_is_read_as_its_csv_twin, .init = setup)
{
    size_t len = 0;
    char *bytes = slurp("xlsx/submission_shared.xlsx", &len);
    bool ok = true;
    json_t *j = check(bytes, len, NULL, &ok);
    free(bytes);
    cr_assert_not(ok, "the workbook holds a row of another school");
    cr_assert_eq(json_array_size(json_object_get(j, "rows")), 2);
    json_t *first = json_array_get(json_object_get(j, "rows"), 0);
    cr_assert_str_eq(str(first, "school_code"), "3714020001");
    cr_assert_eq(json_array_size(json_object_get(first, "errors")), 0);
    cr_assert_str_eq(str(problem_at(j, 1, "errors", 0), "field"), "school_code");
    json_decref(j);
}

Test(web_upload, read_keeps_the_rows_for_sending, .init = setup)
{
    const char *text = HEADER GOOD_ROW;
    web_upload u;
    cr_assert_eq(web_upload_read(&u, text, strlen(text), NULL, "3714020001", &limits), 0);
    cr_assert(web_upload_ok(&u));
    cr_assert_eq(u.file->n_rows, 1);
    cr_assert_eq(u.file->rows[0].sub.period, 2025);
    cr_assert_str_eq(u.file->rows[0].sub.school_code, "3714020001");
    web_upload_clear(&u);
    cr_assert_null(u.file);
}

Test(web_upload, the_check_and_submit_routes_take_a_school_code)
{
    web_route rt;
    web_route_parse("/api/school/2137250003/check", &rt);
    cr_assert_eq(rt.kind, WEB_ROUTE_API_SCHOOL_CHECK);
    cr_assert_str_eq(rt.arg, "2137250003");
    web_route_parse("/api/school/2137250003/submit", &rt);
    cr_assert_eq(rt.kind, WEB_ROUTE_API_SCHOOL_SUBMIT);
    cr_assert_str_eq(rt.arg, "2137250003");
    const char *not_routes[] = { "/api/school/21372x0003/check", "/api/school//submit", "/api/school/1/checks",
                                 "/api/school/123456789012345678901/check", "/api/county/371425/submit",
                                 "/api/school/1/check/submit" };
    for (size_t i = 0; i < sizeof not_routes / sizeof not_routes[0]; i++) {
        web_route_parse(not_routes[i], &rt);
        cr_assert_eq(rt.kind, WEB_ROUTE_NONE, "%s", not_routes[i]);
    }
}
