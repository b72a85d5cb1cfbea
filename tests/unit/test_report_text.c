/* test_report_text.c -- the client's pure report parts: a shortfall as a
 * Chinese sentence (report_text.c, the one function the HTML and CSV
 * share), the area's title with the city's name, CSV saved as GBK
 * (csv_out.c: the same text back through iconv, a character GBK cannot hold
 * named) and the one time zone of every time shown (local_time.c). */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "csv_out.h"
#include "local_time.h"
#include "report.h"

Test(report_text, shortfall_sentence_in_chinese_with_grouped_amount_and_unit)
{
    status_shortfall sf = { .indicator = "sports_area", .value = 6.1, .standard = 7.5, .ratio = 6.1 / 7.5,
                            .needed = 2922.2 };
    char buf[512];
    report_shortfall_text(&sf, buf, sizeof buf);
    cr_assert(strstr(buf, "生均体育运动场馆面积(sports_area) 6.10/7.50 (81.3%)"), "%s", buf);
    cr_assert(strstr(buf, "：需增加体育运动场馆面积 2,923 平方米"), "%s", buf);
    status_shortfall two[2] = { sf, { .indicator = "backbone_teachers", .value = 0.5, .standard = 1, .ratio = 0.5,
                                      .needed = 3 } };
    status_section sec = { .shortfalls = two, .n_shortfalls = 2 };
    char *all = report_shortfalls_text(&sec);
    cr_assert_not_null(all);
    cr_assert(strstr(all, buf) == all, "the list starts with the same sentence: %s", all);
    cr_assert(strstr(all, "; "), "%s", all);
    free(all);
}

Test(report_text, area_titles_name_the_city)
{
    admin_code a;
    char buf[256];
    cr_assert_eq(admin_code_parse("3714", &a), 0);
    report_area_title(&a, NULL, buf, sizeof buf);
    cr_assert_str_eq(buf, "德州市 (3714)");
    cr_assert_eq(admin_code_parse("371403", &a), 0);
    report_area_title(&a, "陵城区", buf, sizeof buf);
    cr_assert_str_eq(buf, "德州市陵城区 (371403)");
    cr_assert_eq(admin_code_parse("4401", &a), 0);
    report_area_title(&a, NULL, buf, sizeof buf);
    cr_assert_str_eq(buf, "4401", "a city the table does not know: its code");
}

/* Writes text through csv_out_write in enc; returns the bytes (caller frees). */
static char *written(const char *text, csv_encoding enc, int *rc, char *err, size_t errlen, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    cr_assert_not_null(m);
    *rc = csv_out_write(m, text, strlen(text), enc, err, errlen);
    fclose(m);
    return buf;
}

Test(csv_out, utf8_gets_one_bom_and_gbk_reads_back_with_iconv)
{
    const char *text = "县区代码,县区名称,学段\r\n371402,德城区,小学 ≥ 0.50\r\n";
    char err[256] = "";
    int rc;
    size_t len;
    char *u = written(text, CSV_UTF8, &rc, err, sizeof err, &len);
    cr_assert_eq(rc, 0);
    cr_assert_eq(len, strlen(text) + 3);
    cr_assert_eq(memcmp(u, "\xEF\xBB\xBF", 3), 0);
    free(u);
    char with_bom[256];
    snprintf(with_bom, sizeof with_bom, "\xEF\xBB\xBF%s", text);
    u = written(with_bom, CSV_UTF8, &rc, err, sizeof err, &len);
    cr_assert_eq(len, strlen(with_bom), "a BOM already there is not doubled");
    free(u);

    char *g = written(with_bom, CSV_GBK, &rc, err, sizeof err, &len);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_neq(memcmp(g, "\xEF\xBB\xBF", 3), 0, "GBK has no BOM");
    cr_assert_eq(memcmp(g + 0, "\xCF\xD8", 2), 0, "县 in GBK");
    iconv_t cd = iconv_open("UTF-8", "GBK");
    char back[512], *in = g, *out = back;
    size_t inl = len, outl = sizeof back;
    cr_assert_neq(iconv(cd, &in, &inl, &out, &outl), (size_t)-1);
    iconv_close(cd);
    cr_assert_eq((size_t)(out - back), strlen(text));
    cr_assert_eq(memcmp(back, text, strlen(text)), 0, "GBK reads back to the UTF-8 text");
    free(g);
}

Test(csv_out, a_character_gbk_cannot_hold_is_named)
{
    char err[256] = "";
    int rc;
    size_t len;
    char *g = written("学校\r\n一中,😀\r\n", CSV_GBK, &rc, err, sizeof err, &len);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "line 2"), "%s", err);
    cr_assert(strstr(err, "😀"), "%s", err);
    cr_assert(strstr(err, "U+1F600"), "%s", err);
    free(g);
    csv_encoding e;
    cr_assert_eq(csv_encoding_parse("GBK", &e), 0);
    cr_assert_eq(e, CSV_GBK);
    cr_assert_eq(csv_encoding_parse("utf8", &e), 0);
    cr_assert_eq(e, CSV_UTF8);
    cr_assert_eq(csv_encoding_parse("latin1", &e), -1);
}

Test(local_time, one_zone_default_shanghai_and_utc_converted)
{
    char err[256], buf[64];
    unsetenv("JUNHENG_TZ");
    cr_assert_eq(local_time_set_zone(NULL, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(local_time_zone(), "Asia/Shanghai");
    cr_assert_eq(local_time_from_utc_text("2026-12-05T06:03:59Z", buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "2026-12-05 14:03");
    local_time_zone_label(1764900000, buf, sizeof buf);
    cr_assert_str_eq(buf, "Asia/Shanghai, UTC+8");
    cr_assert_eq(local_time_from_utc_text("yesterday", buf, sizeof buf), -1);
    cr_assert_str_eq(buf, "yesterday", "not a time: shown as it is");

    setenv("JUNHENG_TZ", "UTC", 1);
    cr_assert_eq(local_time_set_zone("", err, sizeof err), 0, "%s", err);
    local_time_zone_label(1764900000, buf, sizeof buf);
    cr_assert_str_eq(buf, "UTC, UTC+0");
    cr_assert_eq(local_time_set_zone("Asia/Kolkata", err, sizeof err), 0, "the option before the environment");
    local_time_zone_label(1764900000, buf, sizeof buf);
    cr_assert_str_eq(buf, "Asia/Kolkata, UTC+5:30");
    cr_assert_eq(local_time_set_zone("Mars/Olympus", err, sizeof err), -1);
    cr_assert(strstr(err, "Mars/Olympus"), "%s", err);
    cr_assert_eq(local_time_set_zone("../../etc/passwd", err, sizeof err), -1);
    unsetenv("JUNHENG_TZ");
}
