/* test_plan.c -- the city's plan (common/plan.h): the plan file reader
 * (Dezhou's plan as the demo ships it, Chinese headings with units, and
 * every refusal naming its line and column), the stored JSON form, and the
 * plan set beside a measured status (shares of assessed sections, the
 * worst coefficient per stage, behind flags, the due year). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "plan.h"
#include "table_template.h"

static const plan_county COUNTIES[] = {
    { "371402", "德城区" }, { "371403", "陵城区" }, { "371422", "宁津县" }, { "371423", "庆云县" },
    { "371424", "临邑县" }, { "371425", "齐河县" }, { "371426", "平原县" }, { "371427", "夏津县" },
    { "371428", "武城县" }, { "371481", "乐陵市" }, { "371482", "禹城市" }, { "371471", "德州天衢新区" },
};
#define N_COUNTIES (sizeof COUNTIES / sizeof COUNTIES[0])

/* Reads text; returns the rows (caller frees) with *n, errors into errs. */
static plan_row *read_text(const char *text, size_t *n, problem_list *errs, int *rc)
{
    plan_row *rows = NULL;
    *rc = plan_csv_read(text, strlen(text), COUNTIES, N_COUNTIES, &rows, n, errs);
    return rows;
}

/* Whether some problem's field is `field` and its reason contains `part`. */
static bool has_problem(const problem_list *errs, const char *field, const char *part)
{
    for (size_t i = 0; i < errs->count; i++)
        if (strcmp(errs->items[i].field, field) == 0 && strstr(errs->items[i].reason, part))
            return true;
    return false;
}

/* Prints the problems (on a failing test). */
static void dump(const problem_list *errs)
{
    for (size_t i = 0; i < errs->count; i++)
        fprintf(stderr, "  %s: %s\n", errs->items[i].field, errs->items[i].reason);
}

Test(plan_csv, reads_the_demo_plan)
{
    char *bytes;
    size_t len, n;
    cr_assert_eq(file_read_all(JUNHENG_DEMO_DATA "/dezhou-plan.csv", 0, 0, &bytes, &len, NULL), 0);
    problem_list errs = { 0 };
    plan_row *rows = NULL;
    cr_assert_eq(plan_csv_read(bytes, len, COUNTIES, N_COUNTIES, &rows, &n, &errs), 0);
    dump(&errs);
    cr_assert_eq(errs.count, 0);
    cr_assert_eq(n, 12);
    cr_expect_str_eq(rows[0].county_code, "371402");
    cr_expect_eq(rows[0].period, 0);
    cr_expect_float_eq(rows[0].planned[PLAN_CV_PRIMARY], 0.50, 1e-12);
    cr_expect_float_eq(rows[0].planned[PLAN_SHARE_FIRST + IND_SPORTS_AREA], 64, 1e-12);
    cr_expect_float_eq(rows[0].planned[PLAN_CLASS_SIZE], 34, 1e-12);
    cr_expect_eq(rows[0].year[PLAN_YEAR_PROVINCE_APPLY], 2024);
    cr_expect_eq(rows[0].year[PLAN_YEAR_CITY_REVIEW], 0);
    cr_expect_str_eq(rows[11].county_code, "371471");
    cr_expect_eq(rows[5].year[PLAN_YEAR_PROVINCE_APPLY], 2023);
    free(rows);
    free(bytes);
    problem_list_clear(&errs);
}

Test(plan_csv, chinese_headings_units_and_years)
{
    const char *text = "县区代码,县区,学年,小学差异系数目标,生均体育运动场馆面积达标学校占比（%）,标准班额学校占比(百分比),"
                       "市级评估年份（年）,申报省级评估年份,国家认定年份,备注\n"
                       "371425,齐河县,2025-2026,０.５,98.5%,73.81,2023,2023,2024,any note\n"
                       "371403,,,0.45,,,,,,\n";
    size_t n;
    int rc;
    problem_list errs = { 0 };
    plan_row *rows = read_text(text, &n, &errs, &rc);
    dump(&errs);
    cr_assert_eq(rc, 0);
    cr_assert_eq(errs.count, 0);
    cr_assert_eq(n, 2);
    cr_expect_eq(rows[0].period, 2025);
    cr_expect_float_eq(rows[0].planned[PLAN_CV_PRIMARY], 0.5, 1e-12);
    cr_expect_float_eq(rows[0].planned[PLAN_SHARE_FIRST + IND_SPORTS_AREA], 98.5, 1e-12);
    cr_expect(isnan(rows[0].planned[PLAN_CV_JUNIOR]));
    cr_expect_eq(rows[0].year[PLAN_YEAR_NATIONAL], 2024);
    cr_expect_eq(rows[1].period, 0);
    cr_expect(isnan(rows[1].planned[PLAN_CLASS_SIZE]));
    free(rows);
    problem_list_clear(&errs);
}

Test(plan_csv, refuses_headings_by_column)
{
    size_t n;
    int rc;
    problem_list errs = { 0 };
    plan_row *rows = read_text("county,sport_area_pct,cv_target_primary（%）,cv_target_junior,CV_TARGET_JUNIOR,"
                               "sports_area_pct（万元）\n陵城区,1,1,1,1,1\n",
                               &n, &errs, &rc);
    cr_expect_eq(rc, -1);
    cr_expect_null(rows);
    cr_expect(has_problem(&errs, "sport_area_pct", "sports_area_pct"), "an unknown heading with the nearest one");
    cr_expect(has_problem(&errs, "cv_target_primary（%）", "%"), "a coefficient has no unit");
    cr_expect(has_problem(&errs, "CV_TARGET_JUNIOR", "duplicate"), "a column given twice");
    cr_expect(has_problem(&errs, "sports_area_pct（万元）", "万元"), "a share in another unit");
    problem_list_clear(&errs);

    read_text("cv_target_primary\n0.5\n", &n, &errs, &rc);
    cr_expect_eq(rc, -1);
    cr_expect(has_problem(&errs, "county_code", "county"), "no county column");
    problem_list_clear(&errs);
    read_text("county,note\n陵城区,x\n", &n, &errs, &rc);
    cr_expect_eq(rc, -1);
    cr_expect(errs.count == 1 && strstr(errs.items[0].reason, "at least one"), "no plan column");
    problem_list_clear(&errs);
}

Test(plan_csv, refuses_cells_by_line_and_column)
{
    const char *text = "county_code,county,period,cv_target_primary,sports_area_pct,city_review_year,"
                       "province_apply_year\n"
                       "371403,陵城区,2025,1.5,80,2024,2025\n"      /* line 2: coefficient above 1 */
                       "371403,,2025,0.5,101,2024,2025\n"          /* line 3: share above 100; a repeat */
                       "371499,,,0.5,abc,,\n"                      /* line 4: unknown county; not a number */
                       "371402,陵城区,,0.5,80,2026,2025\n"         /* line 5: name of another county; years out of order */
                       "371402,,20x5,0.5,80,25,\n"                 /* line 6: bad period; bad year */
                       ",,,0.5,80,,,extra\n";                      /* line 7: no county; a cell with no heading */
    size_t n;
    int rc;
    problem_list errs = { 0 };
    plan_row *rows = read_text(text, &n, &errs, &rc);
    cr_expect(has_problem(&errs, "line 2: cv_target_primary", "coefficient"));
    cr_expect(has_problem(&errs, "line 3: sports_area_pct", "0 to 100"));
    cr_expect(has_problem(&errs, "line 4: county_code", "371499"));
    cr_expect(has_problem(&errs, "line 4: sports_area_pct", "abc"));
    cr_expect(has_problem(&errs, "line 5: county", "371403"));
    cr_expect(has_problem(&errs, "line 5: province_apply_year", "city_review_year"));
    cr_expect(has_problem(&errs, "line 6: period", "20x5"));
    cr_expect(has_problem(&errs, "line 6: city_review_year", "25"));
    cr_expect(has_problem(&errs, "line 7: county_code", "no county"));
    cr_expect(has_problem(&errs, "line 7: cell 8", "no column heading"));
    free(rows);
    problem_list_clear(&errs);

    rows = read_text("county,period,cv_target_primary\n陵城区,,0.5\n陵城区,2026,0.5\n陵城区,,0.4\n", &n, &errs, &rc);
    cr_expect(has_problem(&errs, "line 4: county", "line 2"), "the same county twice for every year");
    free(rows);
    problem_list_clear(&errs);
    rows = read_text("county_code,period,cv_target_primary\n371403,2025,0.5\n371403,2026,0.5\n371403,2025,0.4\n",
                     &n, &errs, &rc);
    cr_expect(has_problem(&errs, "line 4: county_code", "line 2"), "the same county and year twice");
    free(rows);
    problem_list_clear(&errs);
}

Test(plan_csv, the_template_reads_back_as_its_example)
{
    table_template *t = NULL;
    cr_assert_eq(table_template_build(TEMPLATE_PLAN, NULL, NULL, 0, &t), 0);
    size_t len, n;
    char *csv = table_template_csv(t, &len);
    problem_list errs = { 0 };
    plan_row *rows = NULL;
    cr_assert_eq(plan_csv_read(csv, len, COUNTIES, N_COUNTIES, &rows, &n, &errs), 0);
    dump(&errs);
    cr_assert_eq(errs.count, 0);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(rows[0].county_code, "371425");
    cr_expect_eq(rows[0].period, 0);
    cr_expect_float_eq(rows[0].planned[PLAN_CLASS_SIZE], 73.81, 1e-12);
    cr_expect_eq(rows[0].year[PLAN_YEAR_PROVINCE_APPLY], 2023);
    free(rows);
    free(csv);
    table_template_destroy(&t);
    problem_list_clear(&errs);
}

Test(plan_row, json_round_trip)
{
    plan_row r, back;
    plan_row_init(&r);
    plan_row_init(&back);
    r.planned[PLAN_CV_JUNIOR] = 0.45;
    r.planned[PLAN_ALL_SEVEN] = 67.7;
    r.year[PLAN_YEAR_PROVINCE_APPLY] = 2024;
    char *text = plan_row_to_json(&r);
    cr_assert_not_null(text);
    cr_expect_str_eq(text, "{\"all_seven\":67.7,\"cv_junior\":0.45,\"years\":{\"province_apply\":2024}}");
    cr_assert_eq(plan_row_from_json(text, &back), 0);
    cr_expect(isnan(back.planned[PLAN_CV_PRIMARY]));
    cr_expect_eq(back.planned[PLAN_ALL_SEVEN], 67.7);
    cr_expect_eq(back.year[PLAN_YEAR_PROVINCE_APPLY], 2024);
    cr_expect_eq(back.year[PLAN_YEAR_NATIONAL], 0);
    cr_expect_eq(plan_row_from_json("[1]", &back), -1);
    free(text);
}

/* A status of four sections (one excluded) and known coefficients. */
static county_status *sample_status(void)
{
    county_status *st = calloc(1, sizeof *st);
    st->sections = calloc(4, sizeof *st->sections);
    st->n_sections = 4;
    st->period = 2025;
    unsigned all = (1u << IND_COUNT) - 1;
    st->sections[0] = (section_status){ .met = 7, .met_mask = all };
    st->sections[1] = (section_status){ .met = 6, .met_mask = all & ~(1u << IND_SPORTS_AREA) };
    st->sections[2] = (section_status){ .met = 5, .met_mask = all & ~(1u << IND_SPORTS_AREA) & ~(1u << 0) };
    st->sections[3] = (section_status){ .excluded = EXCL_SPECIAL };
    st->stage[STAGE_PRIMARY].ind[IND_SPORTS_AREA] = (indicator_status){ .cv_defined = true, .cv = 0.61 };
    st->stage[STAGE_PRIMARY].ind[IND_TEACHING_AREA] = (indicator_status){ .cv_defined = true, .cv = 0.2 };
    st->guarantee[GUAR_CLASS_SIZE].schools_complying = 3;
    st->guarantee[GUAR_CLASS_SIZE].schools_applicable = 4;
    return st;
}

Test(plan_compare, measured_behind_and_due)
{
    county_status *st = sample_status();
    double m[PLAN_FIGURE_COUNT];
    plan_measure(st, m);
    cr_expect_float_eq(m[PLAN_CV_PRIMARY], 0.61, 1e-12);
    cr_expect(isnan(m[PLAN_CV_JUNIOR]), "no coefficient defined: not measured");
    cr_expect_float_eq(m[PLAN_SHARE_FIRST + IND_SPORTS_AREA], 100.0 / 3, 1e-9);
    cr_expect_float_eq(m[PLAN_SHARE_FIRST + 0], 200.0 / 3, 1e-9);
    cr_expect_float_eq(m[PLAN_SHARE_FIRST + IND_EQUIPMENT_VALUE], 100, 1e-9);
    cr_expect_float_eq(m[PLAN_ALL_SEVEN], 100.0 / 3, 1e-9);
    cr_expect_float_eq(m[PLAN_CLASS_SIZE], 75, 1e-9);
    cr_expect(isnan(m[PLAN_SCHOOL_SCALE]));

    plan_row p;
    plan_row_init(&p);
    p.planned[PLAN_CV_PRIMARY] = 0.5;                        /* 0.61 above: behind */
    p.planned[PLAN_CV_JUNIOR] = 0.45;                        /* not measured: not behind */
    p.planned[PLAN_SHARE_FIRST + IND_SPORTS_AREA] = 100.0 / 3; /* met exactly */
    p.planned[PLAN_CLASS_SIZE] = 80;                         /* 75 below: behind */
    p.year[PLAN_YEAR_CITY_REVIEW] = 2025;
    plan_status ps;
    plan_compare(&p, st, &ps);
    cr_expect(ps.fig[PLAN_CV_PRIMARY].behind);
    cr_expect(!ps.fig[PLAN_CV_JUNIOR].behind);
    cr_expect(!ps.fig[PLAN_SHARE_FIRST + IND_SPORTS_AREA].behind);
    cr_expect(ps.fig[PLAN_CLASS_SIZE].behind);
    cr_expect(!ps.fig[PLAN_ALL_SEVEN].planned_set);
    cr_expect_eq(ps.n_behind, 2);
    cr_expect_eq(ps.due, 2025, "no provincial year: the city review's");
    cr_expect(ps.behind_in_due_year);
    p.year[PLAN_YEAR_PROVINCE_APPLY] = 2026;
    plan_compare(&p, st, &ps);
    cr_expect_eq(ps.due, 2026);
    cr_expect(!ps.behind_in_due_year, "due in another year");

    json_writer w;
    json_writer_init(&w);
    json_writer_object_begin(&w);
    plan_status_write_json(&w, &ps);
    json_writer_object_end(&w);
    char *text = json_writer_take(&w);
    json_t *o = json_loads(text, 0, NULL);
    cr_assert_not_null(o, "%s", text);
    json_t *plan = json_object_get(o, "plan");
    cr_expect_eq(json_integer_value(json_object_get(plan, "due")), 2026);
    cr_expect(json_is_true(json_object_get(json_object_get(json_object_get(plan, "figures"), "cv_primary"), "behind")));
    cr_expect(json_is_null(json_object_get(json_object_get(json_object_get(plan, "figures"), "cv_junior"), "measured")));
    cr_expect_null(json_object_get(json_object_get(plan, "figures"), "all_seven"), "not planned: not shown");
    cr_expect_str_eq(json_string_value(json_object_get(plan, "applies_to")), "every_year");
    json_decref(o);
    free(text);

    plan_compare(NULL, st, &ps);
    json_writer_init(&w);
    json_writer_object_begin(&w);
    plan_status_write_json(&w, &ps);
    json_writer_object_end(&w);
    text = json_writer_take(&w);
    cr_expect_str_eq(text, "{\"plan\":null}");
    free(text);
    free(st->sections);
    free(st);
}
