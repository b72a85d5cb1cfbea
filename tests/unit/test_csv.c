/* test_csv.c -- csv_table, submission_file_read and the registry readers.
 * Expected values are written out by hand from the files in tests/data. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "submission_csv.h"
#include "test_data_util.h"

/* Whether some problem has this field and a reason containing `part`. */
static int has(const problem_list *l, const char *field, const char *part)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].field, field) == 0 && strstr(l->items[i].reason, part))
            return 1;
    return 0;
}

/* Parses a literal into a table, asserting success. */
static csv_table *table_of(const char *text)
{
    csv_table *t = NULL;
    char err[256] = "";
    cr_assert_eq(csv_table_parse(text, strlen(text), &t, err, sizeof err), 0, "%s", err);
    return t;
}

/* ---- encoding ------------------------------------------------------------ */

Test(text, utf8_kept_as_is)
{
    char *out = NULL;
    size_t n = 0;
    int gbk = -1;
    char err[128];
    cr_assert_eq(text_to_utf8("学校,a", 8, &out, &n, &gbk, err, sizeof err), 0);
    cr_assert_str_eq(out, "学校,a");
    cr_assert_eq(n, 8);
    cr_assert_eq(gbk, 0);
    free(out);
}

Test(text, bom_stripped)
{
    char *out = NULL;
    size_t n = 0;
    int gbk = -1;
    char err[128];
    cr_assert_eq(text_to_utf8("\xEF\xBB\xBFx,y", 6, &out, &n, &gbk, err, sizeof err), 0);
    cr_assert_str_eq(out, "x,y");
    cr_assert_eq(n, 3);
    cr_assert_eq(gbk, 0);
    free(out);
}

Test(text, gbk_converted)
{
    /* 德州 in GBK is B5C2 D6DD (B5 cannot start a UTF-8 sequence) */
    char *out = NULL;
    size_t n = 0;
    int gbk = 0;
    char err[128];
    cr_assert_eq(text_to_utf8("\xB5\xC2\xD6\xDD,1", 6, &out, &n, &gbk, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(out, "德州,1");
    cr_assert_eq(n, strlen("德州,1"));
    cr_assert_eq(gbk, 1);
    free(out);
}

Test(text, undecodable_refused)
{
    char *out = (char *)1;
    char err[256] = "";
    cr_assert_eq(text_to_utf8("ab\xFF\xFF", 4, &out, NULL, NULL, err, sizeof err), -1);
    cr_assert_null(out);
    cr_assert(strstr(err, "neither UTF-8 nor GBK"), "%s", err);
    cr_assert(strstr(err, "offset 2"), "%s", err);
}

Test(text, utf16_and_nul_refused)
{
    char *out = NULL;
    char err[256] = "";
    cr_assert_eq(text_to_utf8("\xFF\xFEh\0i\0", 6, &out, NULL, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "UTF-16"), "%s", err);
    cr_assert_eq(text_to_utf8("a\0b", 3, &out, NULL, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "NUL"), "%s", err);
}

/* ---- records ------------------------------------------------------------- */

Test(table, quoting_commas_and_quotes)
{
    csv_table *t = table_of("a,b,c\nx,\"b,c\",\"say \"\"hi\"\"\"\n");
    cr_assert_eq(t->n_cols, 3);
    cr_assert_eq(t->n_rows, 1);
    cr_assert_eq(t->rows[0].n_fields, 3);
    cr_assert_str_eq(t->rows[0].fields[0], "x");
    cr_assert_str_eq(t->rows[0].fields[1], "b,c");
    cr_assert_str_eq(t->rows[0].fields[2], "say \"hi\"");
    cr_assert_eq(t->was_gbk, 0);
    csv_table_destroy(&t);
    cr_assert_null(t);
}

Test(table, crlf_trailing_blank_lines_and_trim)
{
    csv_table *t = table_of(" h1 ,h2\r\n1,  2 \r\n\r\n3,\"  4\"\r\n\r\n\r\n");
    cr_assert_str_eq(t->header[0], "h1");
    cr_assert_eq(t->n_rows, 2);
    cr_assert_str_eq(t->rows[0].fields[1], "2");
    cr_assert_str_eq(t->rows[1].fields[1], "4");
    cr_assert_eq(t->rows[0].line, 2);
    cr_assert_eq(t->rows[1].line, 4);
    csv_table_destroy(&t);
}

Test(table, line_numbers_with_multiline_field_and_blank_records)
{
    /* line 1 header, 2 record over lines 2-3, 4 all-empty (skipped), 5 spaces only, 6 record */
    csv_table *t = table_of("a,b\n1,\"x\ny\"\n , \n   \n2,z");
    cr_assert_eq(t->n_rows, 2);
    cr_assert_eq(t->rows[0].line, 2);
    cr_assert_str_eq(t->rows[0].fields[1], "x\ny");
    cr_assert_eq(t->rows[1].line, 6);
    cr_assert_str_eq(t->rows[1].fields[1], "z");
    csv_table_destroy(&t);
}

Test(table, cr_only_line_endings)
{
    csv_table *t = table_of("a,b\r1,2\r3,4\r");
    cr_assert_eq(t->n_rows, 2);
    cr_assert_eq(t->rows[1].line, 3);
    cr_assert_str_eq(t->rows[1].fields[0], "3");
    csv_table_destroy(&t);
}

Test(table, ideographic_space_trimmed)
{
    csv_table *t = table_of("a\n\xE3\x80\x80" "12\xE3\x80\x80\n");
    cr_assert_str_eq(t->rows[0].fields[0], "12");
    csv_table_destroy(&t);
}

Test(table, unclosed_quote_and_empty_file_refused)
{
    csv_table *t = NULL;
    char err[256] = "";
    const char *bad = "a,b\n1,2\n3,\"oops\n4,5\n";
    cr_assert_eq(csv_table_parse(bad, strlen(bad), &t, err, sizeof err), -1);
    cr_assert_null(t);
    cr_assert(strstr(err, "line 3 is never closed") || strstr(err, "starting on line 3"), "%s", err);
    const char *stray = "a,b\n1,2\n3,4\"\n";
    cr_assert_eq(csv_table_parse(stray, strlen(stray), &t, err, sizeof err), -1);
    cr_assert(strstr(err, "malformed quoting on line 3"), "%s", err);
    const char *after = "a,b\n\"1\"x,2\n";
    cr_assert_eq(csv_table_parse(after, strlen(after), &t, err, sizeof err), -1);
    cr_assert(strstr(err, "malformed quoting on line 2"), "%s", err);
    const char *spaced = "a,b\n \"1\" , 2\n";
    csv_table *ok = table_of(spaced);
    cr_assert_str_eq(ok->rows[0].fields[0], "1");
    csv_table_destroy(&ok);
    cr_assert_eq(csv_table_parse("\xEF\xBB\xBF\n\n", 5, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "no header"), "%s", err);
}

Test(table, gbk_file_flagged)
{
    size_t len;
    char *bytes = slurp("submission_zh_gbk.csv", &len);
    csv_table *t = NULL;
    char err[256] = "";
    cr_assert_eq(csv_table_parse(bytes, len, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(t->was_gbk, 1);
    cr_assert_str_eq(t->header[0], "学校标识码");
    cr_assert_eq(t->n_rows, 2);
    csv_table_destroy(&t);
    free(bytes);
}

/* ---- submission files ---------------------------------------------------- */

/* The two rows of the three submission_* sample files, written out by hand. */
static void expect_sample(const submission_file *f)
{
    cr_assert_eq(f->n_rows, 2);
    const submission_row *r = &f->rows[0];
    cr_assert_eq(r->errors.count, 0, "row 1 has errors");
    cr_assert_eq(r->line, 2);
    const submission *s = &r->sub;
    cr_assert_str_eq(s->school_code, "3714020001");
    cr_assert_str_eq(s->submission_id, "");
    cr_assert_eq(s->period, 2025);
    const stage_data *p = &s->stage[STAGE_PRIMARY], *j = &s->stage[STAGE_JUNIOR];
    cr_assert(p->present);
    cr_assert_eq(p->students, 540);
    cr_assert_eq(p->n_class_sizes, 12);
    for (size_t i = 0; i < 12; i++)
        cr_assert_eq(p->class_sizes[i], 45);
    cr_assert_eq(p->teachers, 30);
    cr_assert_eq(p->qualified_teachers, 28);
    cr_assert_eq(p->backbone_teachers, 6);
    cr_assert_eq(p->pe_art_teachers, 5);
    cr_assert_eq(p->new_entrants, 90);
    cr_assert_eq(p->new_entrants_in_zone, 90);
    cr_assert(j->present);
    cr_assert_eq(j->students, 300);
    cr_assert_eq(j->n_class_sizes, 6);
    cr_assert_eq(j->class_sizes[5], 50);
    cr_assert_eq(j->teachers, 25);
    cr_assert_eq(j->qualified_teachers, 24);
    cr_assert_eq(j->backbone_teachers, 4);
    cr_assert_eq(j->pe_art_teachers, 3);
    cr_assert_eq(j->new_entrants, 100);
    cr_assert_eq(j->new_entrants_in_zone, 96);
    cr_assert_eq(s->senior_students, 0);
    cr_assert_eq(s->teaching_area_m2, 4200.5);
    cr_assert_eq(s->sports_area_m2, 7600.0);
    cr_assert_eq(s->equipment_value_yuan, 1800000.0);
    cr_assert_eq(s->multimedia_rooms, 20);
    cr_assert_eq(s->n_music_rooms, 2);
    cr_assert_eq(s->music_room_areas_m2[0], 96.0);
    cr_assert_eq(s->music_room_areas_m2[1], 100.5);
    cr_assert_eq(s->n_art_rooms, 1);
    cr_assert_eq(s->art_room_areas_m2[0], 90.0);
    cr_assert_eq(s->certified_teachers, 55);
    cr_assert_eq(s->trained_teachers, 50);
    cr_assert_eq(s->exchange_eligible_teachers, 10);
    cr_assert_eq(s->exchanged_teachers, 2);
    cr_assert_eq(s->exchanged_backbone_teachers, 1);
    cr_assert_eq(s->public_funds_yuan, 800000.0);
    cr_assert_eq(s->training_spend_yuan, 40000.0);

    r = &f->rows[1];
    s = &r->sub;
    cr_assert_eq(r->errors.count, 0, "row 2 has errors");
    cr_assert_eq(r->line, 3);
    cr_assert_str_eq(s->school_code, "3714020002");
    cr_assert(!s->stage[STAGE_PRIMARY].present, "a blank stage is not present");
    cr_assert_eq(s->stage[STAGE_PRIMARY].students, 0);
    cr_assert_null(s->stage[STAGE_PRIMARY].class_sizes);
    cr_assert(s->stage[STAGE_JUNIOR].present);
    cr_assert_eq(s->stage[STAGE_JUNIOR].students, 420);
    cr_assert_eq(s->stage[STAGE_JUNIOR].n_class_sizes, 10);
    cr_assert_eq(s->senior_students, 600);
    cr_assert_eq(s->n_music_rooms, 0);
    cr_assert_null(s->music_room_areas_m2);
    cr_assert_eq(s->n_art_rooms, 0);
    cr_assert_eq(s->exchanged_teachers, 0);
}

/* Reads a sample file and checks it against expect_sample. */
static void read_sample(const char *name)
{
    size_t len;
    char *bytes = slurp(name, &len);
    submission_file *f = NULL;
    problem_list fe = { 0 };
    int rc = submission_file_read(bytes, len, &f, &fe);
    char buf[512];
    problem_list_format(&fe, buf, sizeof buf);
    cr_assert_eq(rc, 0, "%s: %s", name, buf);
    expect_sample(f);
    submission_file_destroy(&f);
    cr_assert_null(f);
    problem_list_clear(&fe);
    free(bytes);
}

Test(submission, english_headers) { read_sample("submission_en.csv"); }
Test(submission, chinese_headers_with_bom_and_separators) { read_sample("submission_zh_bom.csv"); }
Test(submission, gbk_crlf_chinese_headers) { read_sample("submission_zh_gbk.csv"); }

/* Reads name's submissions, asserting no problem (caller destroys). */
static submission_file *read_clean(const char *name)
{
    size_t len;
    char *bytes = slurp(name, &len);
    submission_file *f = NULL;
    problem_list fe = { 0 };
    cr_assert_eq(submission_file_read(bytes, len, &f, &fe), 0, "%s", name);
    cr_assert_eq(fe.count, 0, "%s", name);
    for (size_t i = 0; i < f->n_rows; i++)
        cr_assert_eq(f->rows[i].errors.count, 0, "%s row %zu", name, i);
    free(bytes);
    return f;
}

Test(submission, gbk_csv_reads_to_the_same_submissions_as_its_utf8_twin)
{
    /* an older Excel's "CSV" (GBK, CRLF) and the same bytes converted to UTF-8 (iconv -f GBK -t UTF-8), and the
     * BOM sample with its columns in another order: the same submissions, field by field */
    submission_file *gbk = read_clean("submission_zh_gbk.csv"), *utf8 = read_clean("submission_zh_gbk_twin_utf8.csv");
    submission_file *bom = read_clean("submission_zh_bom.csv");
    cr_assert_eq(gbk->n_rows, utf8->n_rows);
    cr_assert_eq(gbk->n_rows, bom->n_rows);
    cr_assert_gt(gbk->n_rows, 0);
    for (size_t i = 0; i < gbk->n_rows; i++) {
        cr_assert(submission_equal(&gbk->rows[i].sub, &utf8->rows[i].sub), "row %zu differs from the UTF-8 twin", i);
        cr_assert(submission_equal(&gbk->rows[i].sub, &bom->rows[i].sub), "row %zu differs from the BOM sample", i);
    }
    submission_file_destroy(&gbk);
    submission_file_destroy(&utf8);
    submission_file_destroy(&bom);
}

Test(submission, column_names)
{
    cr_assert_eq(submission_column_find("school_code"), 0);
    cr_assert_eq(submission_column_find("SCHOOL_Code"), 0);
    cr_assert_eq(submission_column_find("学年"), 1);
    cr_assert_eq(submission_column_find("Primary_Students"), 2);
    cr_assert_eq(submission_column_find("小学在校生数"), 2);
    cr_assert_eq(submission_column_find("小学_在校生数"), 2);
    cr_assert_eq(submission_column_find("小学-在校生数"), 2);
    cr_assert_eq(submission_column_find("小学－在校生数"), 2);
    cr_assert_eq(submission_column_find("初中专任教师数"), 12);
    cr_assert_eq(submission_column_find("初中 专任教师数"), 12);
    cr_assert_eq(submission_column_find("初中划片招生数"), 17);
    cr_assert_eq(submission_column_find("高中在校生数"), 18);
    cr_assert_eq(submission_column_find("教师培训经费"), 31);
    cr_assert_str_eq(SUBMISSION_COLUMNS[31], "training_spend_yuan");
    cr_assert_null(SUBMISSION_COLUMNS[32]);
    cr_assert_null(SUBMISSION_COLUMNS_ZH[32]);
    cr_assert_eq(submission_column_find("小学学生数"), -1);
    cr_assert_eq(submission_column_find("小学__在校生数"), -1, "only one separator");
    cr_assert_eq(submission_column_find("高中_在校生数"), -1);
    cr_assert_eq(submission_column_find("students"), -1);
    cr_assert_eq(submission_column_find(""), -1);
}

/* Reads a literal submission file; asserts the call's result. */
static submission_file *read_text(const char *text, int expect_rc, problem_list *fe)
{
    submission_file *f = NULL;
    int rc = submission_file_read(text, strlen(text), &f, fe);
    cr_assert_eq(rc, expect_rc);
    if (rc != 0)
        cr_assert_null(f);
    return f;
}

Test(submission, unknown_column_named)
{
    problem_list fe = { 0 };
    read_text("school_code,period,小学学生数\n3714020001,2025,5\n", -1, &fe);
    cr_assert(has(&fe, "小学学生数", "unknown column"));
    problem_list_clear(&fe);
}

Test(submission, duplicate_column)
{
    problem_list fe = { 0 };
    read_text("school_code,period,学校标识码\n3714020001,2025,3714020001\n", -1, &fe);
    cr_assert(has(&fe, "学校标识码", "duplicate column"));
    cr_assert(has(&fe, "学校标识码", "school_code"));
    problem_list_clear(&fe);
}

Test(submission, missing_period_column)
{
    problem_list fe = { 0 };
    read_text("school_code,primary_students\n3714020001,5\n", -1, &fe);
    cr_assert(has(&fe, "period", "missing column"));
    problem_list_clear(&fe);
}

Test(submission, undecodable_file)
{
    problem_list fe = { 0 };
    read_text("school_code,period\n\xFF\xFF,1\n", -1, &fe);
    cr_assert(has(&fe, "", "neither UTF-8 nor GBK"));
    problem_list_clear(&fe);
}

Test(submission, bad_numbers_named_row_still_returned)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period,primary_students,primary_teachers,junior_students,"
                                   "teaching_area_m2,equipment_value_yuan,multimedia_rooms,sports_area_m2\n"
                                   "3714020001,2025,abc,3.5,12.0, 4200.5 ,\"1,800,000\",1e1,1.5e3\n",
                                   0, &fe);
    cr_assert_eq(f->n_rows, 1);
    const submission_row *r = &f->rows[0];
    cr_assert_eq(r->errors.count, 3);
    cr_assert(has(&r->errors, "primary_students", "'abc' is not a number"));
    cr_assert(has(&r->errors, "primary_teachers", "'3.5' is not a whole number"));
    cr_assert(has(&r->errors, "equipment_value_yuan", "thousands separators"));
    cr_assert_str_eq(r->sub.school_code, "3714020001");
    cr_assert(r->sub.stage[STAGE_PRIMARY].present);
    cr_assert_eq(r->sub.stage[STAGE_JUNIOR].students, 12);
    cr_assert_eq(r->sub.teaching_area_m2, 4200.5);
    cr_assert_eq(r->sub.multimedia_rooms, 10);
    cr_assert_eq(r->sub.sports_area_m2, 1500.0);
    submission_file_destroy(&f);
    problem_list_clear(&fe);
}

Test(submission, negative_read_as_is_and_inf_refused)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period,primary_students,teaching_area_m2,sports_area_m2\n"
                                   "3714020001,2025,-5,-1.5,inf\n",
                                   0, &fe);
    const submission_row *r = &f->rows[0];
    cr_assert_eq(r->sub.stage[STAGE_PRIMARY].students, -5);
    cr_assert_eq(r->sub.teaching_area_m2, -1.5);
    cr_assert_eq(r->errors.count, 1);
    cr_assert(has(&r->errors, "sports_area_m2", "'inf' is not a number"));
    submission_file_destroy(&f);
}

Test(submission, empty_cells_and_zero_presence)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period,primary_students,junior_teachers,music_room_areas_m2\n"
                                   "3714020001,2025,,0,\n",
                                   0, &fe);
    const submission *s = &f->rows[0].sub;
    cr_assert_eq(f->rows[0].errors.count, 0);
    cr_assert(!s->stage[STAGE_PRIMARY].present);
    cr_assert(s->stage[STAGE_JUNIOR].present, "a 0 is a value: the stage is present");
    cr_assert_eq(s->n_music_rooms, 0);
    submission_file_destroy(&f);
}

Test(submission, lists)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period,primary_class_sizes,junior_class_sizes,music_room_areas_m2,"
                                   "art_room_areas_m2\n"
                                   "3714020001,2025,45；44; 43 ,40;41;,96;;100,90;abc\n"
                                   "3714020002,2025,45.5,\"40,41\",,\n",
                                   0, &fe);
    const submission_row *r = &f->rows[0];
    const stage_data *p = &r->sub.stage[STAGE_PRIMARY];
    cr_assert_eq(p->n_class_sizes, 3);
    cr_assert_eq(p->class_sizes[0], 45);
    cr_assert_eq(p->class_sizes[1], 44);
    cr_assert_eq(p->class_sizes[2], 43);
    cr_assert_eq(r->sub.stage[STAGE_JUNIOR].n_class_sizes, 2, "a trailing ';' is ignored");
    cr_assert_eq(r->errors.count, 2);
    cr_assert(has(&r->errors, "music_room_areas_m2", "item 2 of the list is empty"));
    cr_assert(has(&r->errors, "art_room_areas_m2", "item 2: 'abc' is not a number"));
    cr_assert_eq(r->sub.n_music_rooms, 0);
    r = &f->rows[1];
    cr_assert(has(&r->errors, "primary_class_sizes", "item 1: '45.5' is not a whole number"));
    cr_assert(has(&r->errors, "junior_class_sizes", "separate the numbers with ';'"));
    submission_file_destroy(&f);
}

Test(submission, long_code_and_stray_cells)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period,,primary_students\n"
                                   "37140200011,2025,x,5,7\n"
                                   "3714020001,2025,,5,\n",
                                   0, &fe);
    const submission_row *r = &f->rows[0];
    cr_assert(has(&r->errors, "school_code", "'37140200011' is not a 10-digit school code"));
    cr_assert(has(&r->errors, "", "cell 3 ('x') is under no column heading"));
    cr_assert(has(&r->errors, "", "cell 5 ('7') is under no column heading"));
    cr_assert_eq(r->errors.count, 3);
    cr_assert_eq(f->rows[1].errors.count, 0);
    cr_assert_eq(f->rows[1].sub.stage[STAGE_PRIMARY].students, 5);
    submission_file_destroy(&f);
}

Test(submission, header_only_gives_no_rows)
{
    problem_list fe = { 0 };
    submission_file *f = read_text("school_code,period\r\n\r\n", 0, &fe);
    cr_assert_eq(f->n_rows, 0);
    submission_file_destroy(&f);
}

/* ---- registry ------------------------------------------------------------ */

Test(registry, schools_english)
{
    size_t len, n = 99;
    char *bytes = slurp("schools.csv", &len);
    school_info *s = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(bytes, len, &s, &n, &errs), 4);
    cr_assert_eq(n, 4);
    cr_assert_eq(errs.count, 0);
    cr_assert_str_eq(s[0].school_code, "3714020001");
    cr_assert_str_eq(s[0].name, "德州市第一实验学校");
    cr_assert_str_eq(s[0].county_code, "371402");
    cr_assert_eq(s[0].kind, KIND_NINE_YEAR);
    cr_assert_eq(s[0].location, LOCATION_URBAN);
    cr_assert(s[0].is_public && !s[0].boarding && s[0].active);
    cr_assert_str_eq(s[1].name, "德城区第二中学, 东校区");
    cr_assert_eq(s[1].kind, KIND_JUNIOR);
    cr_assert_eq(s[1].location, LOCATION_TOWN);
    cr_assert(s[1].boarding);
    cr_assert_str_eq(s[2].name, "The \"Sunrise\" School");
    cr_assert_eq(s[2].kind, KIND_TWELVE_YEAR);
    cr_assert_eq(s[2].location, LOCATION_RURAL);
    cr_assert(!s[2].is_public);
    cr_assert_eq(s[3].kind, KIND_SPECIAL);
    free(s);
    free(bytes);
}

Test(registry, schools_chinese_gbk)
{
    size_t len, n = 0;
    char *bytes = slurp("schools_zh_gbk.csv", &len);
    school_info *s = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(bytes, len, &s, &n, &errs), 4);
    cr_assert_eq(errs.count, 0);
    cr_assert_str_eq(s[0].name, "德城区新湖小学");
    cr_assert_eq(s[0].kind, KIND_PRIMARY);
    cr_assert_eq(s[0].location, LOCATION_URBAN);
    cr_assert(s[0].is_public && !s[0].boarding);
    cr_assert_eq(s[1].kind, KIND_TEACHING_POINT);
    cr_assert_eq(s[1].location, LOCATION_RURAL);
    cr_assert_eq(s[2].kind, KIND_COMPLETE_SECONDARY);
    cr_assert_eq(s[2].location, LOCATION_TOWN);
    cr_assert_eq(s[3].kind, KIND_NINE_YEAR, "九年一贯制 without 学校");
    cr_assert(!s[3].is_public && s[3].boarding);
    free(s);
    free(bytes);
}

Test(registry, bad_rows_reported_and_skipped)
{
    const char *text = "school_code,name,county_code,kind,location,public,boarding\n"
                       "3714020001,A,371402,primary,urban,1,0\n"
                       "3714020002,B,371402,university,urban,1,0\n"
                       "371402000,C,37140,junior,city,2,x\n"
                       "3714020001,D,371402,junior,rural,1,0\n"
                       "3714020005,,371402,JUNIOR,Rural,0,0\n";
    size_t n = 0;
    school_info *s = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(text, strlen(text), &s, &n, &errs), 1);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(s[0].school_code, "3714020001");
    cr_assert(has(&errs, "line 3: kind", "'university' is not a school kind"));
    cr_assert(has(&errs, "line 4: school_code", "'371402000' is not a 10-digit school code"));
    cr_assert(has(&errs, "line 4: county_code", "not a 6-digit county code"));
    cr_assert(has(&errs, "line 4: location", "'city'"));
    cr_assert(has(&errs, "line 4: public", "'2'"));
    cr_assert(has(&errs, "line 4: boarding", "'x'"));
    cr_assert(has(&errs, "line 5: school_code", "appears again (first on line 2)"));
    cr_assert(has(&errs, "line 6: name", "is empty"));
    cr_assert_eq(errs.count, 8);
    free(s);
    problem_list_clear(&errs);
}

Test(registry, schools_unknown_and_missing_columns)
{
    const char *text = "school_code,name,county_code,kind,location,public,boarding,principal\n";
    size_t n = 5;
    school_info *s = (school_info *)1;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(text, strlen(text), &s, &n, &errs), -1);
    cr_assert_null(s);
    cr_assert_eq(n, 0);
    cr_assert(has(&errs, "principal", "unknown column"));
    problem_list_clear(&errs);
    const char *text2 = "school_code,name,county_code,kind,location,public\n";
    cr_assert_eq(registry_schools_read(text2, strlen(text2), &s, &n, &errs), -1);
    cr_assert(has(&errs, "boarding", "missing column"));
    problem_list_clear(&errs);
}

Test(registry, counties)
{
    size_t len, n = 0;
    char *bytes = slurp("counties.csv", &len);
    county_info *c = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_counties_read(bytes, len, &c, &n, &errs), 4);
    cr_assert_eq(errs.count, 0);
    cr_assert_str_eq(c[0].code, "371402");
    cr_assert_str_eq(c[0].name, "德城区");
    cr_assert_str_eq(c[3].code, "371481");
    cr_assert_str_eq(c[3].name, "乐陵市");
    free(c);
    free(bytes);
}

Test(registry, counties_chinese_and_bad_rows)
{
    const char *text = "县区代码,县区名称\n371402,德城区\n37140,短码\n371403,\n371402,重复\n";
    size_t n = 0;
    county_info *c = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_counties_read(text, strlen(text), &c, &n, &errs), 1);
    cr_assert_str_eq(c[0].name, "德城区");
    cr_assert(has(&errs, "line 3: county_code", "'37140' is not a 6-digit county code"));
    cr_assert(has(&errs, "line 4: name", "is empty"));
    cr_assert(has(&errs, "line 5: county_code", "appears again (first on line 2)"));
    cr_assert_eq(errs.count, 3);
    free(c);
    problem_list_clear(&errs);
}

Test(registry, city_codes_are_not_counties)
{
    /* NNNN00 is a city: its code carries the monitors' heartbeats. */
    const char *counties = "county_code,name\n371400,德州市\n371401,市辖区\n";
    const char *schools = "school_code,name,county_code,kind,location,public,boarding\n"
                          "3714000001,市直小学,371400,primary,urban,1,0\n";
    size_t n = 0;
    county_info *c = NULL;
    school_info *s = NULL;
    problem_list errs = { 0 };
    cr_assert_eq(registry_counties_read(counties, strlen(counties), &c, &n, &errs), 1);
    cr_assert(has(&errs, "line 2: county_code", "ends in 00"));
    free(c);
    problem_list_clear(&errs);
    cr_assert_eq(registry_schools_read(schools, strlen(schools), &s, &n, &errs), 0);
    cr_assert(has(&errs, "line 2: county_code", "ends in 00"));
    free(s);
    problem_list_clear(&errs);
}

/* ---- registry public_key column (CURVE keys bound at import) -------------- */

Test(registry, public_key_column_optional_and_checked)
{
    const char *ok = "school_code,name,county_code,kind,location,public,boarding,public_key\n"
                     "3714020001,A,371402,primary,urban,1,0,rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n"
                     "3714020002,B,371402,primary,urban,1,0,\n";
    school_info *rows = NULL;
    size_t n = 0;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(ok, strlen(ok), &rows, &n, &errs), 2);
    cr_assert_eq(errs.count, 0);
    cr_assert_str_eq(rows[0].public_key, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
    cr_assert_str_eq(rows[1].public_key, "");
    free(rows);

    const char *zh = "学校标识码,学校名称,县区代码,办学类型,城乡分类,公办,寄宿制,公钥\n"
                     "3714020001,A,371402,primary,urban,1,0,rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n";
    cr_assert_eq(registry_schools_read(zh, strlen(zh), &rows, &n, &errs), 1);
    cr_assert_str_eq(rows[0].public_key, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
    free(rows);

    const char *bad = "school_code,name,county_code,kind,location,public,boarding,public_key\n"
                      "3714020001,A,371402,primary,urban,1,0,not-a-key\n"
                      "3714020002,B,371402,primary,urban,1,0,rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n"
                      "3714020003,C,371402,primary,urban,1,0,rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n";
    cr_assert_eq(registry_schools_read(bad, strlen(bad), &rows, &n, &errs), 1);
    cr_assert(has(&errs, "line 2: public_key", "not a CURVE public key"));
    cr_assert(has(&errs, "line 4: public_key", "also school 3714020002's (line 3)"));
    free(rows);
    problem_list_clear(&errs);
}

/* A code or key seen again thousands of rows later is still found, and the
 * message names the first line (the check hashes the codes seen so far). */
Test(registry, duplicates_far_apart)
{
    enum { ROWS = 20000 };
    static const char header[] = "school_code,name,county_code,kind,location,public,boarding,public_key\n";
    static const char key[] = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    size_t cap = sizeof header + (size_t)ROWS * 128 + 256, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text + len, cap - len, "%s", header);
    for (int i = 0; i < ROWS; i++)   /* line i + 2; row 0 carries the key */
        len += (size_t)snprintf(text + len, cap - len, "37140%05d,S%d,371402,primary,urban,1,0,%s\n", 20000 + i, i,
                                i == 0 ? key : "");
    /* line ROWS + 2: school 0 again; line ROWS + 3: school 0's key on a new school */
    len += (size_t)snprintf(text + len, cap - len, "3714020000,again,371402,primary,urban,1,0,\n");
    len += (size_t)snprintf(text + len, cap - len, "3714099999,keyed,371402,primary,urban,1,0,%s\n", key);
    school_info *s = NULL;
    size_t n = 0;
    problem_list errs = { 0 };
    cr_assert_eq(registry_schools_read(text, len, &s, &n, &errs), ROWS);
    cr_assert_eq(errs.count, 2);
    char field[64];
    snprintf(field, sizeof field, "line %d: school_code", ROWS + 2);
    cr_assert(has(&errs, field, "3714020000 appears again (first on line 2); a school code is unique"));
    snprintf(field, sizeof field, "line %d: public_key", ROWS + 3);
    cr_assert(has(&errs, field, "this key is also school 3714020000's (line 2); one key, one school"));
    cr_assert_str_eq(s[ROWS - 1].school_code, "3714039999");
    free(s);
    problem_list_clear(&errs);
    free(text);

    /* counties: the same far apart (codes 100001.. skip every NNNN00) */
    size_t ccap = 64 + (size_t)ROWS * 32, clen = 0;
    char *ctext = malloc(ccap);
    cr_assert_not_null(ctext);
    clen += (size_t)snprintf(ctext + clen, ccap - clen, "county_code,name\n");
    int written = 0;
    for (int code = 100001; written < ROWS; code++)
        if (code % 100 != 0) {
            clen += (size_t)snprintf(ctext + clen, ccap - clen, "%d,C%d\n", code, code);
            written++;
        }
    clen += (size_t)snprintf(ctext + clen, ccap - clen, "100001,again\n");
    county_info *c = NULL;
    cr_assert_eq(registry_counties_read(ctext, clen, &c, &n, &errs), ROWS);
    cr_assert_eq(errs.count, 1);
    snprintf(field, sizeof field, "line %d: county_code", ROWS + 2);
    cr_assert(has(&errs, field, "100001 appears again (first on line 2)"));
    free(c);
    problem_list_clear(&errs);
    free(ctext);
}
