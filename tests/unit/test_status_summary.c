/* test_status_summary.c -- the status summary kept in the status history
 * (county_status_history; status_json_render_summary of status_json.h,
 * library junheng_common, called by server/publish/publish.c): exactly the
 * full status object without its lists -- "sections", coverage "missing"
 * and "missing_schools",
 * each guarantee's "failing" and each indicator's "top_contributors" --
 * every other key and value kept as the full object has it. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "status_json.h"
#include "test_rules_util.h"

static rules_config R;
static county_status *ST;
static json_t *FULL, *SUMMARY;

/* Parses a rendered status; fails the test on NULL or bad JSON. Takes text. */
static json_t *parse(char *text)
{
    cr_assert_not_null(text);
    cr_assert_null(strchr(text, '\n'), "one line");
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    cr_assert_not_null(root, "%s", err.text);
    free(text);
    return root;
}

/* Three schools: two submitted primaries (one short of the sports area),
 * and one missing, so that every list of the full object has entries. */
static void setup(void)
{
    static school_info s[3];
    static submission sub[2];
    rules_config_default(&R);
    s[0] = test_school(1, KIND_PRIMARY);
    s[1] = test_school(2, KIND_PRIMARY);
    s[2] = test_school(3, KIND_PRIMARY);
    test_good_primary(&sub[0], s[0].school_code);
    test_good_primary(&sub[1], s[1].school_code);
    sub[1].sports_area_m2 = 1800;
    assess_entry e[3] = { { &s[0], &sub[0] }, { &s[1], &sub[1] }, { &s[2], NULL } };
    county_info c = test_county();
    ST = county_assess(&R, &c, 2025, e, 3);
    cr_assert_not_null(ST);
    FULL = parse(status_json_render(ST, 42, "ep-7", "2026-11-22T13:05:01Z"));
    SUMMARY = parse(status_json_render_summary(ST, 42, "ep-7", "2026-11-22T13:05:01Z"));
}

static void teardown(void)
{
    json_decref(FULL);
    json_decref(SUMMARY);
    county_status_destroy(&ST);
}

TestSuite(status_summary, .init = setup, .fini = teardown);

/* The member `key` of object o, failing the test when absent. */
static json_t *at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert_not_null(v, "missing %s", key);
    return v;
}

/* Removes from a copy of the full object every list the summary drops;
 * returns the copy (new reference), checking each list was there. */
static json_t *without_lists(json_t *full, size_t *dropped_entries)
{
    json_t *o = json_deep_copy(full);
    cr_assert_not_null(o);
    *dropped_entries = json_array_size(at(o, "sections"));
    cr_assert_eq(json_object_del(o, "sections"), 0);
    json_t *coverage = at(o, "coverage");
    *dropped_entries += json_array_size(at(coverage, "missing"));
    cr_assert_eq(json_array_size(at(coverage, "missing_schools")), json_array_size(at(coverage, "missing")));
    cr_assert_eq(json_object_del(coverage, "missing"), 0);
    cr_assert_eq(json_object_del(coverage, "missing_schools"), 0);
    const char *key;
    json_t *v;
    json_object_foreach(at(o, "guarantee"), key, v) {
        *dropped_entries += json_array_size(at(v, "failing"));
        cr_assert_eq(json_object_del(v, "failing"), 0, "guarantee %s", key);
    }
    json_object_foreach(at(o, "stages"), key, v) {
        size_t i;
        json_t *ind;
        json_array_foreach(at(v, "indicators"), i, ind) {
            *dropped_entries += json_array_size(at(ind, "top_contributors"));
            cr_assert_eq(json_object_del(ind, "top_contributors"), 0, "stage %s indicator %zu", key, i);
        }
    }
    return o;
}

Test(status_summary, is_the_full_object_without_its_lists)
{
    size_t dropped = 0;
    json_t *want = without_lists(FULL, &dropped);
    cr_assert_gt(dropped, 0, "the fixture's lists have entries");
    char *w = json_dumps(want, JSON_SORT_KEYS);
    char *g = json_dumps(SUMMARY, JSON_SORT_KEYS);
    cr_assert(json_equal(want, SUMMARY), "summary\n%s\nexpected\n%s", g, w);
    free(w);
    free(g);
    json_decref(want);
}

Test(status_summary, keeps_identity_verdicts_and_counts)
{
    json_t *county = at(SUMMARY, "county");
    cr_assert_str_eq(json_string_value(at(county, "code")), TEST_COUNTY);
    cr_assert_str_eq(json_string_value(at(SUMMARY, "period")), "2025");
    cr_assert_eq(json_integer_value(at(SUMMARY, "seq")), 42);
    cr_assert_str_eq(json_string_value(at(SUMMARY, "epoch")), "ep-7");
    cr_assert_str_eq(json_string_value(at(SUMMARY, "computed_at")), "2026-11-22T13:05:01Z");
    cr_assert(json_is_string(at(SUMMARY, "rules_version")));
    json_t *coverage = at(SUMMARY, "coverage");
    cr_assert_eq(json_integer_value(at(coverage, "schools_registered")), 3);
    cr_assert_eq(json_integer_value(at(coverage, "schools_submitted")), 2);
    cr_assert_null(json_object_get(coverage, "missing"));
    cr_assert_null(json_object_get(coverage, "missing_schools"));
    cr_assert_null(json_object_get(SUMMARY, "sections"));
    cr_assert(json_is_boolean(at(SUMMARY, "resource_allocation_pass")));
    cr_assert(json_is_array(at(SUMMARY, "awaiting_county_input")), "a fixed list of names, kept");
    json_t *primary = at(at(SUMMARY, "stages"), "primary");
    cr_assert(json_is_boolean(at(primary, "pass")));
    json_t *ind = json_array_get(at(primary, "indicators"), 0);
    cr_assert_not_null(ind);
    cr_assert(json_is_real(at(ind, "mean")));
    cr_assert_null(json_object_get(ind, "top_contributors"));
    const char *key;
    json_t *g;
    json_object_foreach(at(SUMMARY, "guarantee"), key, g) {
        cr_assert_null(json_object_get(g, "failing"), "guarantee %s", key);
        cr_assert(json_is_boolean(at(g, "pass")), "guarantee %s", key);
    }
}

Test(status_summary, no_status_no_summary)
{
    cr_assert_null(status_json_render_summary(NULL, 1, NULL, NULL));
}
