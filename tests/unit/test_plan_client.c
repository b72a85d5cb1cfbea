/* test_plan_client.c -- `junheng plan`'s reading of the what-if answer
 * (client/plan_fetch.c: "schools" with their submission column values and
 * "after"'s county and period) and its outputs (client/plan_out.c: JSON,
 * CSV), without a daemon. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan_cli.h"

/* A what-if answer as the daemon gives it with with_schools: a primary
 * school short of equipment and art rooms, a nine-year school that passes. */
static const char *ANSWER =
    "{\"after\": {\"county\": {\"code\": \"371402\", \"name\": \"德城区\", \"city_code\": \"371400\"},"
    "  \"period\": \"2025\", \"rules_version\": \"national-2017\", \"verdict\": \"fail\","
    "  \"resource_allocation_pass\": false},"
    " \"schools\": ["
    "  {\"school_code\": \"3714020001\", \"name\": \"一小\", \"kind\": \"primary\", \"values\": {"
    "    \"primary_students\": 500, \"primary_class_sizes\": [42, 43], \"primary_teachers\": 30,"
    "    \"primary_qualified_teachers\": 21, \"primary_backbone_teachers\": 5, \"primary_pe_art_teachers\": 5,"
    "    \"teaching_area_m2\": 2250.0, \"sports_area_m2\": 3750.0, \"equipment_value_yuan\": 700000.0,"
    "    \"multimedia_rooms\": 12, \"music_room_areas_m2\": [100.0], \"art_room_areas_m2\": []}},"
    "  {\"school_code\": \"3714020002\", \"name\": \"二校\", \"kind\": \"nine_year\", \"values\": {"
    "    \"primary_students\": 400, \"primary_teachers\": 25, \"primary_qualified_teachers\": 17,"
    "    \"primary_backbone_teachers\": 4, \"primary_pe_art_teachers\": 4,"
    "    \"junior_students\": 300, \"junior_teachers\": 25, \"junior_qualified_teachers\": 16,"
    "    \"junior_backbone_teachers\": 3, \"junior_pe_art_teachers\": 3,"
    "    \"teaching_area_m2\": 4000.0, \"sports_area_m2\": 7000.0, \"equipment_value_yuan\": 1700000.0,"
    "    \"multimedia_rooms\": 20, \"music_room_areas_m2\": [96.0], \"art_room_areas_m2\": [90.0]}},"
    "  {\"school_code\": \"3714020003\", \"name\": \"三小\", \"kind\": \"primary\", \"values\": null}"
    " ]}";

Test(plan_client, reads_the_answer_and_plans)
{
    json_t *answer = json_loads(ANSWER, 0, NULL);
    cr_assert_not_null(answer);
    plan_county_data d;
    char err[256] = "";
    cr_assert_eq(plan_county_from_json(answer, &d, err, sizeof err), 0, "%s", err);
    json_decref(answer);
    cr_expect_str_eq(d.county.code, "371402");
    cr_expect_eq(d.period, 2025);
    cr_assert_eq(d.n, 3);
    cr_expect_null(d.entries[2].sub, "values null: registered, not submitted");
    cr_expect_eq(d.info[1].kind, KIND_NINE_YEAR);
    cr_expect(d.sub[0].stage[STAGE_PRIMARY].present);
    cr_expect(!d.sub[0].stage[STAGE_JUNIOR].present);
    cr_expect_eq(d.sub[0].stage[STAGE_PRIMARY].n_class_sizes, 2);
    cr_expect_eq(d.sub[0].n_music_rooms, 1);
    cr_expect_eq(d.sub[0].n_art_rooms, 0);
    cr_expect_eq(d.sub[1].stage[STAGE_JUNIOR].qualified_teachers, 16);
    cr_expect_eq(d.sub[0].equipment_value_yuan, 700000.0);

    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    plan_request req = { &rules, &costs, &d.county, d.period, d.entries, d.n, 0, 0 };
    plan_result *res = NULL;
    cr_assert_eq(plan_solve_county(&req, &res), PLAN_OK);
    cr_expect_eq(res->outcome, PLAN_PASSES);
    cr_expect_eq(res->add[0].equipment_yuan, 150000, "1400 of 2000: raised to 85 %% (1700)");
    cr_expect_eq(res->add[0].art_rooms, 1);

    plan_check check = { .done = true, .resource_pass = true, .rooms_pass = true, .verdict = "pending" };
    plan_view v = { &d, res, &costs, &rules, 0, &check };
    json_t *j = plan_to_json(&v);
    cr_assert_not_null(j);
    cr_expect_str_eq(json_string_value(json_object_get(j, "outcome")), "passes");
    cr_expect_eq(json_array_size(json_object_get(j, "schools")), 1, "only schools with additions");
    cr_expect_eq(json_real_value(json_object_get(j, "cost")), 150000 + 310000);
    json_decref(j);

    char path[] = "/tmp/test_plan_client_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(plan_write_csv(path, &v, err, sizeof err), 0, "%s", err);
    FILE *f = fopen(path, "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    cr_expect(strstr(text, "学校代码 school_code,学校名称 name,") == text, "%s", text);
    cr_expect(strstr(text, "3714020001,一小,0,0,0,0,0,0,0,0,150000,0,0,1,460000\r\n") != NULL, "%s", text);
    cr_expect(strstr(text, "朴素方案 naive_plan") != NULL);
    plan_result_destroy(&res);
    plan_county_data_clear(&d);
}

Test(plan_client, refuses_an_answer_without_schools)
{
    json_t *answer = json_loads("{\"after\": {\"county\": {\"code\": \"371402\"}}}", 0, NULL);
    plan_county_data d;
    char err[256] = "";
    cr_expect_eq(plan_county_from_json(answer, &d, err, sizeof err), -1);
    cr_expect(strstr(err, "no schools") != NULL, "%s", err);
    json_decref(answer);
    answer = json_loads("{\"after\": {\"county\": {\"code\": \"371402\"}}, \"schools\": [{\"school_code\": \"1\"}]}",
                        0, NULL);
    cr_expect_eq(plan_county_from_json(answer, &d, err, sizeof err), -1);
    json_decref(answer);
}
