/* test_rules_json.c -- the county status as the JSON of docs/formats.md §5:
 * every required field, types, nulls for undefined values, full precision,
 * and every value of the fixture against numbers computed by hand. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "status_json.h"
#include "test_rules_util.h"

static rules_config R;
static json_t *ROOT;
static county_status *ST;
static school_info S[3];
static submission SUB[3];

/* Three schools: a primary at 1/3-ish values, a nine-year school with no
 * backbone teachers in its junior stage (junior backbone mean 0 → null CV),
 * and a missing primary. */
static void setup(void)
{
    rules_config_default(&R);
    S[0] = test_school(1, KIND_PRIMARY);
    S[1] = test_school(2, KIND_NINE_YEAR);
    S[2] = test_school(3, KIND_PRIMARY);
    test_good_primary(&SUB[0], S[0].school_code);
    SUB[0].sports_area_m2 = 1800;   /* 1800/300 = 6.0 of 7.5: 80 %, below the floor */
    SUB[0].stage[STAGE_PRIMARY].students = 300;
    memset(&SUB[1], 0, sizeof SUB[1]);
    test_stage(&SUB[1], STAGE_PRIMARY, 600, 30, 6, 6);
    test_stage(&SUB[1], STAGE_JUNIOR, 400, 30, 0, 4);
    test_physical(&SUB[1], 10400, 20800, 5200000, 30);
    assess_entry e[3] = { { &S[0], &SUB[0] }, { &S[1], &SUB[1] }, { &S[2], NULL } };
    county_info c = test_county();
    ST = county_assess(&R, &c, 2025, e, 3);
    cr_assert_not_null(ST);
    char *text = status_json_render(ST, 17, "ep-1", "2026-11-22T13:05:01Z");
    cr_assert_not_null(text);
    cr_assert_null(strchr(text, '\n'));
    json_error_t err;
    ROOT = json_loads(text, 0, &err);
    cr_assert_not_null(ROOT, "%s", err.text);
    free(text);
}

static void teardown(void)
{
    json_decref(ROOT);
    county_status_destroy(&ST);
}

TestSuite(rules_json, .init = setup, .fini = teardown);

static json_t *at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert_not_null(v, "missing %s", key);
    return v;
}

Test(rules_json, top_level_fields)
{
    json_t *county = at(ROOT, "county");
    cr_assert_str_eq(json_string_value(at(county, "code")), "371402");
    cr_assert_str_eq(json_string_value(at(county, "name")), "德城区");
    cr_assert_str_eq(json_string_value(at(county, "city_code")), "371400");
    cr_assert_str_eq(json_string_value(at(ROOT, "period")), "2025");
    cr_assert_eq(json_integer_value(at(ROOT, "seq")), 17);
    cr_assert_str_eq(json_string_value(at(ROOT, "epoch")), "ep-1");
    cr_assert_str_eq(json_string_value(at(ROOT, "computed_at")), "2026-11-22T13:05:01Z");
    cr_assert_str_eq(json_string_value(at(ROOT, "rules_version")), "national-2017");
    json_t *cov = at(ROOT, "coverage");
    cr_assert_eq(json_integer_value(at(cov, "schools_registered")), 3);
    cr_assert_eq(json_integer_value(at(cov, "schools_submitted")), 2);
    cr_assert_eq(json_array_size(at(cov, "missing")), 1);
    cr_assert_str_eq(json_string_value(json_array_get(at(cov, "missing"), 0)), S[2].school_code);
    cr_assert(json_is_boolean(at(ROOT, "resource_allocation_pass")));
    json_t *aw = at(ROOT, "awaiting_county_input");
    cr_assert_eq(json_array_size(aw), AWAITING_COUNTY_INPUT_COUNT);
    cr_assert_str_eq(json_string_value(json_array_get(aw, 0)), "layout_planning");
}

Test(rules_json, stages_and_indicators)
{
    json_t *stages = at(ROOT, "stages");
    for (int s = 0; s < STAGE_COUNT; s++) {
        json_t *st = at(stages, STAGE_KEYS[s]);
        cr_assert(json_is_true(at(st, "applicable")));
        cr_assert(json_is_integer(at(st, "sections_assessed")));
        cr_assert(json_is_integer(at(st, "students")));
        cr_assert(json_is_integer(at(st, "sections_passing")));
        cr_assert(json_is_boolean(at(st, "pass")));
        json_t *inds = at(st, "indicators");
        cr_assert_eq(json_array_size(inds), IND_COUNT);
        for (int i = 0; i < IND_COUNT; i++) {
            json_t *ind = json_array_get(inds, i);
            cr_assert_str_eq(json_string_value(at(ind, "id")), INDICATORS[i].key);
            cr_assert_str_eq(json_string_value(at(ind, "name_zh")), INDICATORS[i].name_zh);
            cr_assert(json_is_number(at(ind, "standard")));
            cr_assert(json_is_number(at(ind, "mean")));
            cr_assert(json_is_number(at(ind, "cv_limit")));
            cr_assert(json_is_boolean(at(ind, "cv_ok")));
            cr_assert(json_is_integer(at(ind, "sections_meeting")));
            cr_assert(json_is_array(at(ind, "top_contributors")));
            at(ind, "cv");
        }
    }
    json_t *primary = at(stages, "primary");
    cr_assert_eq(json_integer_value(at(primary, "students")), 900);
    json_t *qt = json_array_get(at(primary, "indicators"), IND_QUALIFIED_TEACHERS);
    cr_assert_eq(json_real_value(at(qt, "standard")), 4.2);
    /* Full precision: the JSON number reads back to the very same double. */
    cr_assert_eq(json_number_value(at(qt, "mean")), ST->stage[STAGE_PRIMARY].ind[IND_QUALIFIED_TEACHERS].mean);
    cr_assert_eq(json_number_value(at(qt, "cv")), ST->stage[STAGE_PRIMARY].ind[IND_QUALIFIED_TEACHERS].cv);
    json_t *top = at(qt, "top_contributors");
    cr_assert_gt(json_array_size(top), 0);
    cr_assert(json_is_string(at(json_array_get(top, 0), "school_code")));
    cr_assert(json_is_number(at(json_array_get(top, 0), "share")));
    /* Junior backbone: the only junior section has none → mean 0, CV null. */
    json_t *bb = json_array_get(at(at(stages, "junior"), "indicators"), IND_BACKBONE_TEACHERS);
    cr_assert_eq(json_number_value(at(bb, "mean")), 0.0);
    cr_assert(json_is_null(at(bb, "cv")));
    cr_assert(json_is_false(at(bb, "cv_ok")));
}

Test(rules_json, sections_and_shortfalls)
{
    json_t *secs = at(ROOT, "sections");
    cr_assert_eq(json_array_size(secs), 3);
    json_t *first = json_array_get(secs, 0);
    cr_assert_str_eq(json_string_value(at(first, "school_code")), S[0].school_code);
    cr_assert_str_eq(json_string_value(at(first, "name")), "学校1");
    cr_assert_str_eq(json_string_value(at(first, "stage")), "primary");
    cr_assert_eq(json_integer_value(at(first, "students")), 300);
    cr_assert(json_is_null(at(first, "excluded")));
    json_t *vals = at(first, "values");
    for (int i = 0; i < IND_COUNT; i++)
        cr_assert(json_is_number(at(vals, INDICATORS[i].key)));
    cr_assert_eq(json_number_value(at(vals, "qualified_teachers")), 7.0);
    cr_assert(json_is_integer(at(first, "met")));
    cr_assert(json_is_false(at(first, "pass")));
    cr_assert_eq(json_integer_value(at(first, "met")), 6);
    json_t *sfs = at(first, "shortfalls");
    cr_assert_eq(json_array_size(sfs), 1);
    json_t *sf = json_array_get(sfs, 0);
    /* 300 students: qualified 21 → 7.0, sports 1800 → 6.0 < 7.5 (80 %):
     * needed 7.5 × 300 − 1800 = 450 m². */
    cr_assert_str_eq(json_string_value(at(sf, "indicator")), "sports_area");
    cr_assert_eq(json_number_value(at(sf, "value")), 6.0);
    cr_assert_eq(json_number_value(at(sf, "standard")), 7.5);
    cr_assert_eq(json_number_value(at(sf, "ratio")), 0.8);
    cr_assert_eq(json_number_value(at(sf, "needed")), 450.0);
    cr_assert_str_eq(json_string_value(at(sf, "unit")), "m²");
}

Test(rules_json, guarantee_items)
{
    json_t *g = at(ROOT, "guarantee");
    cr_assert_eq(json_object_size(g), GUAR_COUNT);
    for (int k = 0; k < GUAR_COUNT; k++) {
        json_t *item = at(g, GUARANTEES[k].key);
        cr_assert(json_is_boolean(at(item, "pass")));
        cr_assert(json_is_integer(at(item, "complying")));
        cr_assert(json_is_integer(at(item, "applicable")));
        cr_assert(json_is_array(at(item, "failing")));
        cr_assert(json_is_string(at(item, "unit")));
    }
    cr_assert_str_eq(json_string_value(at(at(g, "class_size"), "unit")), "classes");
    json_t *ex = at(g, "teacher_exchange");
    cr_assert(json_is_null(at(ex, "exchange_ratio")));   /* nobody eligible */
}

Test(rules_json, excluded_section_and_null_values)
{
    school_info tp = test_school(9, KIND_TEACHING_POINT);
    submission sub;
    memset(&sub, 0, sizeof sub);
    test_stage(&sub, STAGE_PRIMARY, 0, 0, 0, 0);
    county_status *st = test_assess_one(&R, &tp, &sub);
    json_t *root = status_json_build(st, 1, NULL, NULL);
    cr_assert_not_null(root);
    cr_assert(json_is_null(at(root, "epoch")));
    json_t *sec = json_array_get(at(root, "sections"), 0);
    cr_assert_str_eq(json_string_value(at(sec, "excluded")), "teaching point under 50 students");
    cr_assert(json_is_null(at(at(sec, "values"), "teaching_area")));
    cr_assert(json_is_null(at(sec, "met")));
    cr_assert(json_is_false(at(sec, "pass")));
    json_t *primary = at(at(root, "stages"), "primary");
    cr_assert(json_is_false(at(primary, "applicable")));
    json_t *ind = json_array_get(at(primary, "indicators"), 0);
    cr_assert(json_is_null(at(ind, "mean")));
    cr_assert(json_is_null(at(ind, "cv")));
    json_decref(root);
    county_status_destroy(&st);
}

Test(rules_json, shortest_round_trip_reals)
{
    /* 4.2 is written "4.2" (not jansson's 4.2000000000000002), 1.0 stays a
     * real ("1.0"), and every real reads back to the same double. */
    char *text = status_json_render(ST, 17, "ep-1", "2026-11-22T13:05:01Z");
    cr_assert_not_null(text);
    cr_assert_not_null(strstr(text, "\"standard\":4.2,"), "%.300s", text);
    cr_assert_not_null(strstr(text, "\"standard\":1.0,"));
    cr_assert_not_null(strstr(text, "\"name\":\"德城区\""));   /* UTF-8, not \u escapes */
    json_t *bb = json_array_get(at(at(at(ROOT, "stages"), "primary"), "indicators"), IND_BACKBONE_TEACHERS);
    cr_assert(json_is_real(at(bb, "standard")));
    const section_status *sec = &ST->sections[1];
    json_t *vals = at(json_array_get(at(ROOT, "sections"), 1), "values");
    for (int i = 0; i < IND_COUNT; i++)
        cr_assert_eq(json_real_value(at(vals, INDICATORS[i].key)), sec->value[i], "%s", INDICATORS[i].key);
    free(text);
}

/* The fixture's numbers by hand (docs/rules.md §3–§5), not by the engine:
 * school 1 is primary only (its totals whole), the nine-year school splits
 * its totals by 1.0 × 600 : 1.1 × 400 student equivalents. Every section
 * value, met and pass; every indicator's standard, mean, CV, limit, cv_ok and
 * sections meeting; the stage and county verdicts. */
Test(rules_json, every_indicator_value_by_hand)
{
    static const double std[IND_COUNT][STAGE_COUNT] = {
        { 4.2, 5.3 }, { 1.0, 1.0 }, { 0.9, 0.9 }, { 4.5, 5.8 }, { 7.5, 10.2 }, { 2000, 2500 }, { 2.3, 2.4 },
    };
    static const double limit[STAGE_COUNT] = { 0.50, 0.45 };
    double equiv = 1.0 * 600 + 1.1 * 400, share[STAGE_COUNT] = { 1.0 * 600 / equiv, 1.1 * 400 / equiv };
    /* [stage][section][indicator]: primary {school 1, school 2}, junior {school 2} */
    double x[STAGE_COUNT][2][IND_COUNT] = {
        { { 21 * 100.0 / 300, 5 * 100.0 / 300, 5 * 100.0 / 300, 2250.0 / 300, 1800.0 / 300, 1000000.0 / 300,
            12 * 100.0 / 300 },
          { 30 * 100.0 / 600, 6 * 100.0 / 600, 6 * 100.0 / 600, 10400 * share[0] / 600, 20800 * share[0] / 600,
            5200000 * share[0] / 600, 30 * share[0] * 100 / 600 } },
        { { 30 * 100.0 / 400, 0, 4 * 100.0 / 400, 10400 * share[1] / 400, 20800 * share[1] / 400,
            5200000 * share[1] / 400, 30 * share[1] * 100 / 400 } },
    };
    double p[STAGE_COUNT][2] = { { 300, 600 }, { 400, 0 } };
    int n[STAGE_COUNT] = { 2, 1 };
    const char *codes[STAGE_COUNT][2] = { { S[0].school_code, S[1].school_code }, { S[1].school_code } };
    bool county_pass = true;
    for (int s = 0; s < STAGE_COUNT; s++) {
        json_t *st = at(at(ROOT, "stages"), STAGE_KEYS[s]);
        double total = p[s][0] + p[s][1];
        cr_assert_eq(json_integer_value(at(st, "students")), (json_int_t)total);
        int passing = 0;
        bool all_cv_ok = true;
        for (int j = 0; j < n[s]; j++) {
            json_t *sec = NULL, *it;
            size_t k;
            json_array_foreach(at(ROOT, "sections"), k, it)
                if (strcmp(json_string_value(at(it, "school_code")), codes[s][j]) == 0 &&
                    strcmp(json_string_value(at(it, "stage")), STAGE_KEYS[s]) == 0)
                    sec = it;
            cr_assert_not_null(sec);
            int met = 0;
            bool floor_ok = true;
            for (int i = 0; i < IND_COUNT; i++) {
                double v = x[s][j][i];
                cr_assert(test_close(json_number_value(at(at(sec, "values"), INDICATORS[i].key)), v),
                          "%s %s %s: expected %.17g", codes[s][j], STAGE_KEYS[s], INDICATORS[i].key, v);
                bool meets = v >= std[i][s] || fabs(v - std[i][s]) <= 1e-9 * std[i][s];
                met += meets;
                floor_ok = floor_ok && (meets || v / std[i][s] >= 0.85 * (1 - 1e-9));
            }
            bool pass = met >= 6 && floor_ok;
            passing += pass;
            cr_assert_eq(json_integer_value(at(sec, "met")), met, "%s %s met", codes[s][j], STAGE_KEYS[s]);
            cr_assert_eq(json_is_true(at(sec, "pass")), pass, "%s %s pass", codes[s][j], STAGE_KEYS[s]);
        }
        for (int i = 0; i < IND_COUNT; i++) {
            json_t *ind = json_array_get(at(st, "indicators"), (size_t)i);
            double mean = 0, var = 0;
            int meeting = 0;
            for (int j = 0; j < n[s]; j++) {
                mean += p[s][j] / total * x[s][j][i];
                meeting += x[s][j][i] >= std[i][s] * (1 - 1e-9);
            }
            for (int j = 0; j < n[s]; j++)
                var += p[s][j] / total * (x[s][j][i] - mean) * (x[s][j][i] - mean);
            cr_assert_eq(json_number_value(at(ind, "standard")), std[i][s]);
            cr_assert_eq(json_number_value(at(ind, "cv_limit")), limit[s]);
            cr_assert(test_close(json_number_value(at(ind, "mean")), mean), "%s %s mean", STAGE_KEYS[s],
                      INDICATORS[i].key);
            cr_assert_eq(json_integer_value(at(ind, "sections_meeting")), meeting, "%s %s meeting", STAGE_KEYS[s],
                         INDICATORS[i].key);
            bool cv_ok = false;
            if (mean == 0) {
                cr_assert(json_is_null(at(ind, "cv")));
            } else {
                double cv = n[s] == 1 ? 0.0 : sqrt(var) / mean;
                cr_assert(test_close(json_number_value(at(ind, "cv")), cv), "%s %s cv: expected %.17g",
                          STAGE_KEYS[s], INDICATORS[i].key, cv);
                cv_ok = cv <= limit[s] * (1 + 1e-9);
            }
            cr_assert_eq(json_is_true(at(ind, "cv_ok")), cv_ok, "%s %s cv_ok", STAGE_KEYS[s], INDICATORS[i].key);
            all_cv_ok = all_cv_ok && cv_ok;
        }
        bool stage_pass = passing == n[s] && all_cv_ok;
        cr_assert_eq(json_integer_value(at(st, "sections_passing")), passing);
        cr_assert_eq(json_is_true(at(st, "pass")), stage_pass, "%s pass", STAGE_KEYS[s]);
        county_pass = county_pass && stage_pass;
    }
    cr_assert_eq(json_is_true(at(ROOT, "resource_allocation_pass")), county_pass);
}
