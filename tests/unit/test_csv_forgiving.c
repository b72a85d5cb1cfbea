/* test_csv_forgiving.c -- the forgiving readings of the submission reader
 * (full-width digits, '、' lists, units in headings, nearest-column
 * suggestions) and its strict refusals (amounts in 万, a school year by both
 * its years), each said once and in both languages. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cell_text.h"
#include "header_match.h"
#include "submission_csv.h"
#include "validate.h"
#include "i18n_init.h"

/* Switches this test's messages to Chinese (the build tree's catalogue). */
static void in_chinese(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    cr_assert_neq(i18n_use("zh_CN"), (locale_t)0, "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
}

/* Whether some problem has this field and a reason containing part. */
static int has(const problem_list *l, const char *field, const char *part)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].field, field) == 0 && strstr(l->items[i].reason, part))
            return 1;
    return 0;
}

/* How many problems name field. */
static size_t count_of(const problem_list *l, const char *field)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += strcmp(l->items[i].field, field) == 0;
    return n;
}

/* Reads text as a submission file, asserting the header is accepted. */
static submission_file *read_ok(const char *text)
{
    submission_file *f = NULL;
    problem_list fe = { 0 };
    int rc = submission_file_read(text, strlen(text), &f, &fe);
    cr_assert_eq(rc, 0, "file refused: %s", fe.count ? fe.items[0].reason : "?");
    problem_list_clear(&fe);
    return f;
}

Test(cell_text, full_width_digits_folded)
{
    char out[64];
    cr_assert_eq(cell_text_fold_fullwidth("１０４２", out, sizeof out), 1);
    cr_assert_str_eq(out, "1042");
    cr_assert_eq(cell_text_fold_fullwidth("－３．５", out, sizeof out), 1);
    cr_assert_str_eq(out, "-3.5");
    cr_assert_eq(cell_text_fold_fullwidth("42", out, sizeof out), 0);
    cr_assert_str_eq(out, "42");
    cr_assert_eq(cell_text_fold_fullwidth("1，042", out, sizeof out), 0, "， is not folded (a separator)");
    cr_assert_eq(cell_text_fold_fullwidth("１２３４５６", out, 4), -1);
}

Test(cell_text, wan_shifted_in_text)
{
    char out[64];
    cr_assert_eq(cell_text_wan("222.39万", out, sizeof out), 1);
    cr_assert_str_eq(out, "2223900");
    cr_assert_eq(cell_text_wan("1.5万元", out, sizeof out), 1);
    cr_assert_str_eq(out, "15000");
    cr_assert_eq(cell_text_wan("0.00012万", out, sizeof out), 1);
    cr_assert_str_eq(out, "1.2");
    cr_assert_eq(cell_text_wan("3万", out, sizeof out), 1);
    cr_assert_str_eq(out, "30000");
    cr_assert_eq(cell_text_wan("万", out, sizeof out), 0);
    cr_assert_eq(cell_text_wan("abc万", out, sizeof out), 0);
    cr_assert_eq(cell_text_wan("2223900", out, sizeof out), 0);
}

Test(cell_text, year_ranges)
{
    int32_t y = 0;
    cr_assert_eq(cell_text_year_range("2025-2026", &y), 1);
    cr_assert_eq(y, 2025);
    cr_assert_eq(cell_text_year_range("2024—2025学年", &y), 1);
    cr_assert_eq(y, 2024);
    cr_assert_eq(cell_text_year_range("2025-26", &y), 1);
    cr_assert_eq(cell_text_year_range("2025/2026", &y), 1);
    cr_assert_eq(cell_text_year_range("2025", &y), 0);
    cr_assert_eq(cell_text_year_range("2025-1", &y), 0);
}

Test(header_match, unit_in_brackets)
{
    char base[64], unit[32], why[256];
    cr_assert_eq(header_unit_split("体育运动场馆面积（平方米）", base, sizeof base, unit, sizeof unit), 1);
    cr_assert_str_eq(base, "体育运动场馆面积");
    cr_assert_str_eq(unit, "平方米");
    cr_assert_eq(header_unit_split("teaching_area_m2 (m²)", base, sizeof base, unit, sizeof unit), 1);
    cr_assert_str_eq(base, "teaching_area_m2");
    cr_assert_eq(header_unit_split("在校生数", base, sizeof base, unit, sizeof unit), 0);
    cr_assert_str_eq(base, "在校生数");
    cr_assert_eq(header_unit_check("m²", "㎡", why, sizeof why), 0);
    cr_assert_eq(header_unit_check("yuan", "元", why, sizeof why), 0);
    cr_assert_eq(header_unit_check("yuan", "万元", why, sizeof why), -1);
    cr_assert(strstr(why, "万元") && strstr(why, "not this column's"), "%s", why);
}

Test(header_match, nearest)
{
    const char *names[] = { "在校生数", "专任教师数", "teaching_area_m2", "sports_area_m2", NULL };
    cr_assert_str_eq(header_nearest("在校学生数", names, 5), "在校生数");
    cr_assert_str_eq(header_nearest("teachng_area_m2", names, 5), "teaching_area_m2");
    cr_assert_null(header_nearest("校长姓名", names, 5));
}

Test(forgiving, full_width_and_loose_lists_read_with_warnings)
{
    submission_file *f = read_ok("学校标识码,学年,小学在校生数,小学各班人数,音乐专用教室面积\n"
                                 "3714240001,２０２５,１０４２,45、44，46,80、60\n");
    submission_row *r = &f->rows[0];
    cr_assert_eq(r->errors.count, 0, "%s", r->errors.count ? r->errors.items[0].reason : "");
    cr_assert_eq(r->sub.period, 2025);
    cr_assert_eq(r->sub.stage[0].students, 1042);
    cr_assert_eq(r->sub.stage[0].n_class_sizes, 3);
    cr_assert_eq(r->sub.stage[0].class_sizes[2], 46);
    cr_assert_eq(r->sub.n_music_rooms, 2);
    cr_assert(has(&r->warnings, "primary_students", "full-width digits '１０４２' read as '1042'"));
    cr_assert(has(&r->warnings, "period", "full-width"));
    cr_assert(has(&r->warnings, "primary_class_sizes", "read as a list"));
    submission_file_destroy(&f);
    in_chinese();
    f = read_ok("学校标识码,学年,小学在校生数,小学各班人数,音乐专用教室面积\n"
                "3714240001,２０２５,１０４２,45、44，46,80、60\n");
    cr_assert(has(&f->rows[0].warnings, "primary_students", "全角数字“１０４２”已按“1042”读取"));
    cr_assert(has(&f->rows[0].warnings, "primary_class_sizes", "已按列表读取"));
    submission_file_destroy(&f);
}

Test(forgiving, heading_with_unit_matches_its_column)
{
    submission_file *f = read_ok("学校标识码,学年,体育运动场馆面积（平方米）,年度公用经费预算(元),teaching_area_m2 [m2]\n"
                                 "3714240001,2025,1200,350000,\n");
    cr_assert_eq(f->rows[0].errors.count, 0);
    cr_assert_eq(f->rows[0].sub.sports_area_m2, 1200.0);
    cr_assert_eq(f->rows[0].sub.public_funds_yuan, 350000.0);
    submission_file_destroy(&f);
}

Test(forgiving, heading_in_another_unit_refused)
{
    const char *text = "学校标识码,学年,年度公用经费预算（万元）\n3714240001,2025,35\n";
    submission_file *f = NULL;
    problem_list fe = { 0 };
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &fe), -1);
    cr_assert(has(&fe, "年度公用经费预算（万元）", "is not this column's (yuan)"));
    problem_list_clear(&fe);
    in_chinese();
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &fe), -1);
    cr_assert(has(&fe, "年度公用经费预算（万元）", "本列以元填写"));
    problem_list_clear(&fe);
}

Test(forgiving, unknown_heading_suggests_the_nearest)
{
    const char *text = "学校标识码,学年,小学在校学生数,sports_area_m3,校长\n3714240001,2025,1,2,x\n";
    submission_file *f = NULL;
    problem_list fe = { 0 };
    cr_assert_eq(submission_file_read(text, strlen(text), &f, &fe), -1);
    cr_assert(has(&fe, "小学在校学生数", "did you mean '小学在校生数'"));
    cr_assert(has(&fe, "sports_area_m3", "did you mean 'sports_area_m2'"));
    cr_assert(has(&fe, "校长", "unknown column '校长'"));
    cr_assert_not(has(&fe, "校长", "did you mean"));
    problem_list_clear(&fe);
}

Test(forgiving, amount_in_wan_refused_with_the_yuan_value)
{
    submission_file *f = read_ok("school_code,period,equipment_value_yuan,teaching_area_m2\n"
                                 "3714240001,2025,222.39万,1.2万\n");
    submission_row *r = &f->rows[0];
    cr_assert(has(&r->errors, "equipment_value_yuan", "'222.39万' is in 万 (ten thousand): this column is in yuan, so write 2223900"));
    cr_assert(has(&r->errors, "teaching_area_m2", "write 12000"));
    cr_assert_eq(count_of(&r->errors, "equipment_value_yuan"), 1);
    submission_file_destroy(&f);
    in_chinese();
    f = read_ok("school_code,period,equipment_value_yuan,teaching_area_m2\n3714240001,2025,222.39万,1.2万\n");
    cr_assert(has(&f->rows[0].errors, "equipment_value_yuan", "“222.39万”以万为单位；本列以元填写，应为 2223900"));
    cr_assert(has(&f->rows[0].errors, "teaching_area_m2", "本列以平方米填写，应为 12000"));
    submission_file_destroy(&f);
}

Test(forgiving, school_year_by_both_years_refused)
{
    submission_file *f = read_ok("school_code,period\n3714240001,2025-2026\n3714240002,2025学年\n");
    cr_assert(has(&f->rows[0].errors, "period", "starting year: 2025"));
    cr_assert_eq(f->rows[1].errors.count, 0);
    cr_assert_eq(f->rows[1].sub.period, 2025);
    submission_file_destroy(&f);
    in_chinese();
    f = read_ok("school_code,period\n3714240001,2025-2026\n");
    cr_assert(has(&f->rows[0].errors, "period", "学年只写起始年份：请填 2025（而不是“2025-2026”）"));
    submission_file_destroy(&f);
}

Test(forgiving, one_problem_reported_once)
{
    /* an unreadable class-size list is not then also "missing" */
    submission_file *f = read_ok("school_code,period,primary_students,primary_class_sizes,primary_teachers\n"
                                 "3714240001,2025,90,45;abc,5\n");
    submission_row *r = &f->rows[0];
    validate_limits limits = { .min_period = 2015, .max_period = 2030 };
    validate_read_row(&r->sub, &limits, &r->errors, &r->warnings);
    cr_assert_eq(count_of(&r->errors, "primary_class_sizes"), 1, "%s",
                 r->errors.count ? r->errors.items[r->errors.count - 1].reason : "");
    cr_assert(has(&r->errors, "primary_class_sizes", "item 2: 'abc' is not a number"));
    submission_file_destroy(&f);
}

Test(forgiving, registry_and_county_inputs_suggest_too)
{
    const char *text = "county_cod,name\n371424,临邑县\n";
    county_info *c = NULL;
    size_t n = 0;
    problem_list fe = { 0 };
    cr_assert_neq(registry_counties_read(text, strlen(text), &c, &n, &fe), 0);
    cr_assert(has(&fe, "county_cod", "did you mean 'county_code'"), "%s", fe.count ? fe.items[0].reason : "");
    problem_list_clear(&fe);
    free(c);
}
