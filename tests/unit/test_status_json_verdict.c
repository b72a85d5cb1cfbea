/* test_status_json_verdict.c -- the whole verdict in the county status JSON
 * (status_json_render_verdict): the keys agreed for the daemon and the
 * client, every item in order with its facts and evidence, nulls where a
 * value is absent, awaiting_county_input as the pending items' ids, and the
 * history summary's item_outcomes. */
#include <criterion/criterion.h>

#include <jansson.h>

#include "status_json.h"
#include "test_items_util.h"

/* Renders one compliant school's county with inputs `in` (NULL: none) and
 * parses it; summary: the history's form. */
static json_t *rendered(const county_inputs *in, int64_t revision, bool summary)
{
    rules_config rules;
    rules_config_default(&rules);
    county_info c = test_county();
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    assess_entry e = { &s, &sub };
    item_school is;
    item_school_from(&s, &sub, &is);
    county_status *st = county_assess(&rules, &c, 2025, &e, 1);
    cr_assert_not_null(st);
    county_verdict *v = county_verdict_assess(&rules, st, &is, 1, in);
    cr_assert_not_null(v);
    char *text = status_json_render_verdict(st, v, revision, 7, "e", "2026-12-05T00:00:00Z", summary);
    cr_assert_not_null(text);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    cr_assert_not_null(root, "%s: %s", err.text, text);
    free(text);
    county_verdict_destroy(&v);
    county_status_destroy(&st);
    return root;
}

/* The item numbered `number` in root's items. */
static json_t *item_of(json_t *root, const char *number)
{
    json_t *items = json_object_get(root, "items"), *it;
    size_t k;
    json_array_foreach(items, k, it) {
        if (strcmp(json_string_value(json_object_get(it, "number")), number) == 0)
            return it;
    }
    cr_assert_fail("no item %s", number);
    return NULL;
}

Test(status_json_verdict, without_inputs_pending_and_every_item)
{
    json_t *root = rendered(NULL, 0, false);
    cr_assert_str_eq(json_string_value(json_object_get(root, "verdict")), "pending");
    cr_assert_str_eq(json_string_value(json_object_get(root, "verdict_zh")), "待定");
    cr_assert(json_is_string(json_object_get(root, "verdict_reason")));
    cr_assert(json_is_null(json_object_get(root, "county_inputs_revision")));
    json_t *items = json_object_get(root, "items");
    cr_assert_eq(json_array_size(items), ITEM_COUNT);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "number")), "1.1");
    json_t *pay = item_of(root, "2.8");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "id")), "teacher_pay");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "outcome")), "pending");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "part")), "guarantee");
    cr_assert(json_is_null(json_object_get(pay, "value")));
    json_t *aw = json_object_get(root, "awaiting_county_input");
    json_t *summary = json_object_get(root, "items_summary");
    cr_assert_eq(json_array_size(aw), (size_t)json_integer_value(json_object_get(summary, "pending")) +
                                          (size_t)json_integer_value(json_object_get(summary, "vetoes_pending")));
    bool found = false;
    size_t k;
    json_t *id;
    json_array_foreach(aw, k, id) {
        found = found || strcmp(json_string_value(id), "teacher_pay") == 0;
    }
    cr_assert(found, "teacher_pay awaits county input");
    cr_assert(json_is_boolean(json_object_get(root, "resource_allocation_pass")), "kept as it is");
    json_decref(root);
}

Test(status_json_verdict, inputs_values_facts_and_evidence)
{
    county_inputs in;
    items_passing_inputs(&in);
    cr_assert_eq(county_inputs_set(&in, CI_2_8_PERFORMANCE, 1, false, "临政发〔2025〕12号"), 0);
    json_t *root = rendered(&in, 12, false);
    cr_assert_eq(json_integer_value(json_object_get(root, "county_inputs_revision")), 12);
    json_t *pay = item_of(root, "2.8");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "outcome")), "pass");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "outcome_zh")), "达标");
    json_t *inputs = json_object_get(pay, "inputs");
    cr_assert_eq(json_number_value(json_object_get(inputs, "teacher_avg_pay_yuan")), 98500);
    cr_assert(json_is_true(json_object_get(inputs, "performance_pay_approved")));
    json_t *facts = json_object_get(pay, "facts");
    cr_assert_geq(json_array_size(facts), 3);
    json_t *f0 = json_array_get(facts, 0);
    cr_assert(json_is_string(json_object_get(f0, "source")));
    cr_assert(json_is_boolean(json_object_get(f0, "as_percent")));
    json_t *ev = json_object_get(pay, "evidence");
    cr_assert_eq(json_array_size(ev), 2, "distinct evidence: doc, 临政发");
    cr_assert(json_is_array(json_object_get(pay, "failing")));
    cr_assert(json_is_null(json_object_get(pay, "reason")));
    json_t *retention = item_of(root, "3.1");
    cr_assert_str_eq(json_string_value(json_object_get(retention, "comparison")), ">=");
    cr_assert(json_is_string(json_object_get(retention, "threshold_key")));
    cr_assert(json_is_string(json_object_get(retention, "formula")));
    /* a veto present fails the county */
    county_inputs_clear(&in);
    items_passing_inputs(&in);
    items_set(&in, CI_5_5, 1);
    json_decref(root);
    root = rendered(&in, 13, false);
    cr_assert_str_eq(json_string_value(json_object_get(root, "verdict")), "fail");
    cr_assert_str_eq(json_string_value(json_object_get(item_of(root, "5.5"), "outcome")), "fail");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(root, "items_summary"), "vetoes_present")), 1);
    json_decref(root);
    county_inputs_clear(&in);
}

Test(status_json_verdict, the_history_summary_keeps_outcomes_not_items)
{
    county_inputs in;
    items_passing_inputs(&in);
    json_t *root = rendered(&in, 3, true);
    cr_assert_null(json_object_get(root, "items"));
    cr_assert(json_is_string(json_object_get(root, "verdict")));
    cr_assert(json_is_object(json_object_get(root, "items_summary")));
    json_t *outcomes = json_object_get(root, "item_outcomes");
    cr_assert_eq(json_object_size(outcomes), ITEM_COUNT);
    cr_assert_str_eq(json_string_value(json_object_get(outcomes, "2.8")), "pass");
    json_decref(root);
    county_inputs_clear(&in);
}
