/* test_items_table.c -- the item and county-input tables agree with the
 * indicator and guarantee tables and with themselves; revisions merge per
 * item; the rules file reads the whole-verdict choices. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "assess_items.h"
#include "county_inputs.h"
#include "items.h"
#include "rules_config.h"

Test(items_table, thirty_two_items_and_six_vetoes_in_order)
{
    cr_assert_eq(ITEM_COUNT, 38);
    cr_assert_eq(ITEM_SCORED_COUNT, 32);
    cr_assert_eq(ITEM_VETO_COUNT, 6);
    int per_part[PART_COUNT] = { 0 };
    for (int i = 0; i < ITEM_COUNT; i++) {
        cr_assert_eq(ITEMS[i].item, (item_id)i);
        per_part[ITEMS[i].part]++;
        cr_assert_eq(item_find(ITEMS[i].number), &ITEMS[i]);
        cr_assert_eq(item_find(ITEMS[i].key), &ITEMS[i]);
        cr_assert_eq(item_is_veto((item_id)i), ITEMS[i].part == PART_VETO);
        if (i > 0) { /* numbers ascend: 1.7 < 2.1, 2.9 < 2.10 */
            int a1, b1, a2, b2;
            cr_assert_eq(sscanf(ITEMS[i - 1].number, "%d.%d", &a1, &b1), 2);
            cr_assert_eq(sscanf(ITEMS[i].number, "%d.%d", &a2, &b2), 2);
            cr_assert(a2 > a1 || (a2 == a1 && b2 == b1 + 1), "%s after %s", ITEMS[i].number, ITEMS[i - 1].number);
        }
    }
    cr_assert_eq(per_part[PART_RESOURCE], 7);
    cr_assert_eq(per_part[PART_GUARANTEE], 15);
    cr_assert_eq(per_part[PART_QUALITY], 9);
    cr_assert_eq(per_part[PART_RECOGNITION], 1);
    cr_assert_eq(per_part[PART_VETO], 6);
    cr_assert_null(item_find("6.1"));
    cr_assert_null(item_find(NULL));
}

Test(items_table, school_data_items_name_their_indicator_or_guarantee)
{
    for (int i = 0; i < ITEM_COUNT; i++) {
        const item_def *d = &ITEMS[i];
        if (d->indicator >= 0) {
            cr_assert_str_eq(d->key, INDICATORS[d->indicator].key);
            cr_assert_str_eq(d->name_zh, INDICATORS[d->indicator].name_zh);
            cr_assert_eq(d->indicator, i - ITEM_1_1);
        }
        if (d->guarantee >= 0) {
            cr_assert_str_eq(d->key, GUARANTEES[d->guarantee].key);
            cr_assert_str_eq(d->name_zh, GUARANTEES[d->guarantee].name_zh);
        }
        bool school = d->source == SOURCE_SCHOOL_DATA;
        cr_assert_eq(school, d->indicator >= 0 || d->guarantee >= 0 || i == ITEM_2_7, "%s", d->number);
    }
    for (int g = 0; g < GUAR_COUNT; g++) {
        int found = 0;
        for (int i = 0; i < ITEM_COUNT; i++)
            found += ITEMS[i].guarantee == g;
        cr_assert_eq(found, 1, "%s", GUARANTEES[g].key);
    }
}

Test(items_table, county_input_fields)
{
    bool has_field[ITEM_COUNT] = { false };
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        const county_input_def *d = &COUNTY_INPUT_DEFS[f];
        cr_assert_eq(d->field, (county_input_field)f);
        cr_assert_neq(ITEMS[d->item].source, SOURCE_SCHOOL_DATA, "%s", d->key);
        has_field[d->item] = true;
        cr_assert_eq(county_input_find(d->item, d->key), f);
        cr_assert_eq(county_input_find(d->item, d->label_zh), f, "%s: labels are unique within an item", d->key);
        cr_assert_eq(d->type == CIT_VETO, item_is_veto(d->item));
        cr_assert(d->min <= d->max);
    }
    for (int i = 0; i < ITEM_COUNT; i++) {
        bool county = ITEMS[i].source == SOURCE_COUNTY_INPUT || ITEMS[i].source == SOURCE_EXTERNAL;
        cr_assert_eq(has_field[i], county, "%s", ITEMS[i].number);
    }
    cr_assert_str_eq(COUNTY_INPUT_DEFS[ci_subject_field(1, 2)].key, "math.school_difference_rate");
    cr_assert_str_eq(COUNTY_INPUT_DEFS[ci_group_field(5, 1)].key, "public.recognising");
    cr_assert_eq(county_input_find(ITEM_2_8, "plan_total"), -1);
    cr_assert_eq(county_input_find_any("plan_total"), CI_2_14_PLAN);
    for (size_t k = 0; k < COUNTY_INPUT_RELATION_COUNT; k++) {
        const county_input_relation *rel = &COUNTY_INPUT_RELATIONS[k];
        item_id it = COUNTY_INPUT_DEFS[rel->wholes[0]].item;
        for (int i = 0; i < 4 && rel->parts[i] >= 0; i++)
            cr_assert_eq(COUNTY_INPUT_DEFS[rel->parts[i]].item, it);
    }
}

Test(items_table, a_revision_replaces_the_items_it_carries)
{
    county_inputs cur, rev;
    memset(&cur, 0, sizeof cur);
    memset(&rev, 0, sizeof rev);
    cr_assert_eq(county_inputs_set(&cur, CI_2_8_TEACHER_PAY, 1, false, "a"), 0);
    cr_assert_eq(county_inputs_set(&cur, CI_2_8_CIVIL_PAY, 2, false, "b"), 0);
    cr_assert_eq(county_inputs_set(&cur, CI_2_1_MET, 1, false, "c"), 0);
    cr_assert_eq(county_inputs_set(&rev, CI_2_8_TEACHER_PAY, 3, false, NULL), 0);
    cr_assert_eq(county_inputs_merge(&cur, &rev), 0);
    cr_assert_eq(cur.v[CI_2_8_TEACHER_PAY].value, 3);
    cr_assert_null(cur.v[CI_2_8_TEACHER_PAY].evidence);
    cr_assert_not(cur.v[CI_2_8_CIVIL_PAY].present, "the item's fields the revision leaves out are gone");
    cr_assert(cur.v[CI_2_1_MET].present, "other items stay");
    cr_assert_str_eq(cur.v[CI_2_1_MET].evidence, "c");
    cr_assert(county_inputs_has_item(&cur, ITEM_2_8));
    cr_assert_not(county_inputs_has_item(&cur, ITEM_3_1));
    county_inputs copy;
    memset(&copy, 0, sizeof copy);
    cr_assert_eq(county_inputs_copy(&copy, &cur), 0);
    cr_assert_str_eq(copy.v[CI_2_1_MET].evidence, "c");
    cr_assert_neq(copy.v[CI_2_1_MET].evidence, cur.v[CI_2_1_MET].evidence);
    county_inputs_clear(&copy);
    county_inputs_clear(&cur);
    county_inputs_clear(&rev);
}

Test(items_table, rules_file_reads_the_choices)
{
    rules_config r;
    char err[256];
    cr_assert_eq(rules_config_parse(&r,
                                    "version p\njunior_retention.formula raw\nquality_monitoring.rule share\n"
                                    "social_recognition.method every_group\nsmall_school_funding.scope rural\n"
                                    "quality_monitoring.max_difference_rate 0.2\n",
                                    err, sizeof err),
                 RULES_OK, "%s", err);
    cr_assert_eq(r.retention_formula, RETENTION_RAW);
    cr_assert_eq(r.quality_rule, QUALITY_RULE_SHARE);
    cr_assert_eq(r.recognition_method, RECOGNITION_EVERY_GROUP);
    cr_assert_eq(r.small_school_scope, SMALL_SCHOOL_SCOPE_RURAL);
    cr_assert_eq(r.quality_max_difference_rate, 0.2);
    cr_assert_eq(rules_config_parse(&r, "version p\njunior_retention.formula gross\n", err, sizeof err), RULES_EVALUE);
    cr_assert(strstr(err, "junior_retention.formula"), "%s", err);
    cr_assert(strstr(err, "net_mobility, raw, in_out, graduates_adjusted"), "%s", err);
    cr_assert_eq(rules_config_parse(&r, "version p\nquality_monitoring.min_level 5\n", err, sizeof err), RULES_EVALUE);
    const char *bad[] = { "5.3:x:违规", "4.9:x:违规", "5.7:Bad-Id:违规", "5.7:teacher_pay:违规", "5.7:x:", "5.7:x",
                          "5.07:x:违规" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char text[128];
        snprintf(text, sizeof text, "version p\nveto.extra.1 %s\n", bad[k]);
        cr_assert_eq(rules_config_parse(&r, text, err, sizeof err), RULES_EVALUE, "%s", bad[k]);
    }
    cr_assert_eq(rules_config_parse(&r, "version p\nveto.extra.2 5.8:y:违规\n", err, sizeof err), RULES_EVALUE);
    cr_assert(strstr(err, "veto.extra.2 given without veto.extra.1"), "%s", err);
    cr_assert_eq(rules_config_parse(&r, "version p\nveto.extra.1 5.7:y:甲\nveto.extra.2 5.7:z:乙\n", err, sizeof err),
                 RULES_EVALUE);
    cr_assert_eq(rules_config_parse(&r, "version p\nveto.extra.1 5.7:y:甲\nveto.extra.2 5.8:z:乙\n", err, sizeof err),
                 RULES_OK, "%s", err);
    cr_assert_eq(r.n_extra_vetoes, 2);
    cr_assert_str_eq(r.extra_veto[1].name_zh, "乙");
    rules_config_default(&r);
    cr_assert_eq(r.n_extra_vetoes, 0);
    cr_assert(rules_below(&r, 0.1499, 0.15));
    cr_assert_not(rules_below(&r, 0.15, 0.15));
    cr_assert_not(rules_below(&r, 0.15 * (1 - 1e-12), 0.15), "equal up to rounding is not below");
}
