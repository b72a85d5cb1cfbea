/* test_web_download.c -- the county page's history and download routes
 * (web_text.c's web_route_parse), the download table, file names and
 * Content-Disposition (web_download_text.c), and report_csv_table (one of
 * junheng report's CSV tables written to a FILE, as the gateway serves it:
 * the same bytes as the file report_csv writes). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"
#include "report.h"
#include "web_download.h"
#include "web_text.h"

Test(web_route, county_history_and_downloads)
{
    web_route r;
    web_route_parse("/api/county/371425/history", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY_HISTORY);
    cr_assert_str_eq(r.arg, "371425");
    web_route_parse("/api/county/371425/downloads", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY_DOWNLOADS);
    cr_assert_str_eq(r.arg, "371425");
    web_route_parse("/api/county/371425/download/selfassess-xlsx", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY_DOWNLOAD);
    cr_assert_str_eq(r.arg, "371425");
    cr_assert_str_eq(r.sub, "selfassess-xlsx");
    web_route_parse("/api/county/371425/plan", &r); /* the plan route is still the plan's */
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY_PLAN);
    const char *bad[] = { "/api/county/37142/history",           "/api/county/3714255/history",
                          "/api/county/371425/history/",         "/api/county/371425/download/",
                          "/api/county/371425/download/CSV-CV",  "/api/county/371425/download/../x",
                          "/api/county/371425/download/a/b",     "/api/county/371425/download/a%2Fb",
                          "/api/county/371425/download/" "abcdefghijklmnopqrstuvwxyz0123456789",
                          "/api/county/371425/historyx",         "/api/county/37142a/downloads" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        web_route_parse(bad[i], &r);
        cr_assert_eq(r.kind, WEB_ROUTE_NONE, "%s", bad[i]);
        cr_assert_str_eq(r.arg, "", "%s", bad[i]);
    }
}

Test(web_download, every_kind_is_found_with_its_type)
{
    cr_assert_eq(WEB_DOWNLOADS_COUNT, 8); /* the report, the workbook, the six official tables */
    size_t csv = 0;
    for (size_t i = 0; i < WEB_DOWNLOADS_COUNT; i++) {
        const web_download_kind *k = &WEB_DOWNLOADS[i];
        cr_assert_eq(web_download_find(k->kind), k);
        if (k->format == WEB_DL_CSV) {
            csv++;
            cr_assert_str_eq(k->type, "text/csv; charset=utf-8");
            char name[64]; /* the table's own name: the file name's Chinese part + ".csv" */
            snprintf(name, sizeof name, "%s.csv", k->name_zh);
            cr_assert_str_eq(k->csv_table, name);
        }
    }
    cr_assert_eq(csv, 6);
    cr_assert_null(web_download_find("selfassess"));
    cr_assert_null(web_download_find(NULL));
    cr_assert_str_eq(web_download_find("selfassess-xlsx")->type,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    cr_assert_str_eq(web_download_find("report-html")->type, "text/html; charset=utf-8");
}

Test(web_download, file_names_and_disposition)
{
    const web_download_kind *k = web_download_find("selfassess-xlsx");
    char buf[128];
    web_download_file_name(k, "371425", "2025", 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "371425-自评表-2025.xlsx");
    web_download_file_name(k, "371425", "2025", 1, buf, sizeof buf);
    cr_assert_str_eq(buf, "371425-selfassess-xlsx-2025.xlsx");
    web_download_file_name(k, "371425", "", 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "371425-自评表.xlsx");
    char *d = web_download_disposition(k, "371425", "2025");
    cr_assert_not_null(d);
    cr_assert_str_eq(d, "attachment; filename=\"371425-selfassess-xlsx-2025.xlsx\"; "
                        "filename*=UTF-8''371425-%E8%87%AA%E8%AF%84%E8%A1%A8-2025.xlsx");
    free(d);
    /* nothing but digits of the code and period reaches the header */
    d = web_download_disposition(web_download_find("csv-cv"), "37\"14;25", "20\r\n25");
    cr_assert_not_null(d);
    cr_assert(strstr(d, "filename=\"371425-csv-cv-2025.csv\"") != NULL, "%s", d);
    cr_assert(strpbrk(d, "\r\n") == NULL);
    free(d);
}

Test(web_download, the_list_names_every_link)
{
    char *text = web_download_list_json("371425");
    cr_assert_not_null(text);
    json_t *list = json_loads(text, 0, NULL);
    free(text);
    cr_assert_eq(json_array_size(list), WEB_DOWNLOADS_COUNT);
    json_t *first = json_array_get(list, 0);
    cr_assert_str_eq(json_string_value(json_object_get(first, "href")), "/api/county/371425/download/report-html");
    cr_assert_str_eq(json_string_value(json_object_get(first, "name_zh")), "均衡报告");
    json_decref(list);
}

/* One county's status of the test data as the writers read it. */
static json_t *county_answer(void)
{
    json_error_t err;
    json_t *status = json_load_file(JUNHENG_TEST_DATA "/status_verdict.json", 0, &err);
    cr_assert_not_null(status, "%s", err.text);
    json_t *answer = report_county_answer(status, "371425");
    cr_assert_not_null(answer);
    cr_assert_eq(json_array_size(json_object_get(answer, "counties")), 1);
    return answer;
}

Test(report_csv, one_table_to_a_file_is_the_table_report_csv_writes)
{
    json_t *answer = county_answer();
    char dir[] = "/tmp/test_web_download.XXXXXX", err[512] = "";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(report_csv(dir, answer, CSV_UTF8, err, sizeof err), 0, "%s", err);
    const char *names[] = { REPORT_CSV_CV, REPORT_CSV_SCHOOLS, REPORT_CSV_ALL_SCHOOLS, REPORT_CSV_VERDICT,
                            REPORT_CSV_ITEMS, REPORT_CSV_SUMMARY };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256], *want = NULL, *got = NULL;
        size_t want_len = 0, got_len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cr_assert_eq(file_read_all(path, 0, FILE_READ_REGULAR, &want, &want_len, NULL), 0, "%s", path);
        FILE *m = open_memstream(&got, &got_len);
        cr_assert_eq(report_csv_table(m, answer, names[i], CSV_UTF8, err, sizeof err), 0, "%s", err);
        cr_assert_eq(fclose(m), 0);
        cr_assert_eq(got_len, want_len, "%s", names[i]);
        cr_assert_eq(memcmp(got, want, got_len), 0, "%s", names[i]);
        cr_assert(got_len > 3 && memcmp(got, "\xEF\xBB\xBF", 3) == 0, "%s has no BOM", names[i]);
        free(got);
        free(want);
        unlink(path);
    }
    rmdir(dir);
    FILE *sink = fopen("/dev/null", "w");
    cr_assert_eq(report_csv_table(sink, answer, "no-such.csv", CSV_UTF8, err, sizeof err), -1);
    cr_assert(strstr(err, "no such table") != NULL, "%s", err);
    fclose(sink);
    json_decref(answer);
}
