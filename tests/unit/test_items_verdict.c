/* test_items_verdict.c -- the county verdict of the whole standard: pass only
 * on everything, pending never passes, a veto overrides everything, a missing
 * school keeps the verdict pending; and the items school data decides
 * (1.1–1.7, the §6 items, 2.6, 2.7) on both sides of their thresholds. */
#include <criterion/criterion.h>

#include "test_items_util.h"

static rules_config R;
static county_inputs IN;

static void setup(void)
{
    rules_config_default(&R);
    items_passing_inputs(&IN);
}

static void teardown(void)
{
    county_inputs_clear(&IN);
}

TestSuite(items_verdict, .init = setup, .fini = teardown);

static county_verdict *one(void)
{
    county_verdict *v = items_one_school(&R, &IN);
    cr_assert_not_null(v);
    return v;
}

static void expect(const county_verdict *v, item_id i, item_outcome o)
{
    const item_result *r = &v->items[i];
    cr_assert_eq(r->outcome, o, "item %s: %s, expected %s (%s / %s)", ITEMS[i].number, ITEM_OUTCOME_KEYS[r->outcome],
                 ITEM_OUTCOME_KEYS[o], r->reason_zh, r->reason_en);
}

Test(items_verdict, everything_given_and_met_passes)
{
    county_verdict *v = one();
    for (int i = 0; i < ITEM_COUNT; i++) {
        item_outcome want = (i == ITEM_2_6 || i == ITEM_2_7) ? OUTCOME_NOT_APPLICABLE : OUTCOME_PASS;
        expect(v, (item_id)i, want);
    }
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    cr_assert_eq(county_verdict_pending(v, NULL, 0), 0);
    county_verdict_destroy(&v);
    cr_assert_null(v);
}

Test(items_verdict, pending_never_passes)
{
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        /* 2.14's rural count is shown, not judged; 3.9 and 4.1 take any subject / group given. */
        if (f == CI_2_14_RURAL || COUNTY_INPUT_DEFS[f].item == ITEM_3_9 || COUNTY_INPUT_DEFS[f].item == ITEM_4_1 ||
            f == CI_2_2_BENCH_JUNIOR)
            continue;
        county_inputs in;
        memset(&in, 0, sizeof in);
        cr_assert_eq(county_inputs_copy(&in, &IN), 0);
        free(in.v[f].evidence);
        memset(&in.v[f], 0, sizeof in.v[f]);
        county_verdict *v = items_one_school(&R, &in);
        cr_assert_not_null(v);
        item_id it = COUNTY_INPUT_DEFS[f].item;
        expect(v, it, OUTCOME_PENDING);
        cr_assert(strstr(v->items[it].reason_en, COUNTY_INPUT_DEFS[f].key), "%s", v->items[it].reason_en);
        cr_assert_eq(v->verdict, VERDICT_PENDING, "without %s", COUNTY_INPUT_DEFS[f].key);
        const item_result *pend[ITEM_COUNT];
        cr_assert_eq(county_verdict_pending(v, pend, ITEM_COUNT), 1);
        cr_assert_eq(pend[0]->item, it);
        cr_assert_str_eq(pend[0]->number, ITEMS[it].number);
        county_verdict_destroy(&v);
        county_inputs_clear(&in);
    }
}

Test(items_verdict, no_inputs_at_all_is_pending_never_pass)
{
    school_info s = test_school(1, KIND_PRIMARY);
    submission sub;
    items_compliant(&sub, s.school_code);
    const submission *subs[1] = { &sub };
    county_verdict *v = items_verdict(&R, &s, subs, 1, NULL);
    cr_assert_not_null(v);
    cr_assert_eq(v->verdict, VERDICT_PENDING);
    for (int i = 0; i < ITEM_COUNT; i++)
        if (ITEMS[i].source != SOURCE_SCHOOL_DATA && i != ITEM_2_6)
            expect(v, (item_id)i, OUTCOME_PENDING);
    cr_assert_eq(v->vetoes_pending, ITEM_VETO_COUNT);
    county_verdict_destroy(&v);
}

Test(items_verdict, a_veto_overrides_everything)
{
    for (int k = 0; k < ITEM_VETO_COUNT; k++) {
        county_inputs in;
        memset(&in, 0, sizeof in);
        cr_assert_eq(county_inputs_copy(&in, &IN), 0);
        items_set(&in, (county_input_field)(CI_5_1 + k), 1); /* present */
        county_verdict *v = items_one_school(&R, &in);
        cr_assert_eq(v->verdict, VERDICT_FAIL);
        cr_assert_eq(v->items_failing, 0);
        cr_assert_eq(v->vetoes_present, 1);
        expect(v, (item_id)(ITEM_5_1 + k), OUTCOME_FAIL);
        cr_assert(strstr(v->reason_en, ITEMS[ITEM_5_1 + k].number));
        county_verdict_destroy(&v);
        /* ... even when everything else is pending and a school is missing */
        county_inputs only;
        memset(&only, 0, sizeof only);
        items_set(&only, (county_input_field)(CI_5_1 + k), 1);
        school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
        submission sub;
        items_compliant(&sub, s[0].school_code);
        const submission *subs[2] = { &sub, NULL };
        v = items_verdict(&R, s, subs, 2, &only);
        cr_assert_eq(v->verdict, VERDICT_FAIL);
        county_verdict_destroy(&v);
        county_inputs_clear(&only);
        county_inputs_clear(&in);
    }
}

Test(items_verdict, a_missing_school_keeps_the_verdict_pending)
{
    school_info s[2] = { test_school(1, KIND_PRIMARY), test_school(2, KIND_PRIMARY) };
    submission sub;
    items_compliant(&sub, s[0].school_code);
    const submission *subs[2] = { &sub, NULL };
    county_verdict *v = items_verdict(&R, s, subs, 2, &IN);
    for (int i = 0; i < ITEM_COUNT; i++)
        cr_assert_neq(v->items[i].outcome, OUTCOME_FAIL, "%s", ITEMS[i].number);
    cr_assert_eq(v->schools_registered, 2);
    cr_assert_eq(v->schools_submitted, 1);
    cr_assert_eq(v->verdict, VERDICT_PENDING);
    cr_assert(strstr(v->reason_en, "schools not submitted: 1"), "%s", v->reason_en);
    county_verdict_destroy(&v);
    /* the same school submitted: pass */
    submission sub2;
    items_compliant(&sub2, s[1].school_code);
    subs[1] = &sub2;
    v = items_verdict(&R, s, subs, 2, &IN);
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    county_verdict_destroy(&v);
}

Test(items_verdict, a_failing_item_fails_the_county_even_with_pending_ones)
{
    county_inputs in;
    memset(&in, 0, sizeof in);
    items_set(&in, CI_2_1_MET, 0); /* no */
    county_verdict *v = items_one_school(&R, &in);
    expect(v, ITEM_2_1, OUTCOME_FAIL);
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    cr_assert(strstr(v->reason_en, "failing items: 2.1"), "%s", v->reason_en);
    county_verdict_destroy(&v);
    county_inputs_clear(&in);
}

Test(items_verdict, a_province_veto_is_answered_like_the_national_ones)
{
    char err[256];
    cr_assert_eq(rules_config_parse(&R, "version province-x\nveto.extra.1 5.7:illegal_fees:违规收费\n", err, sizeof err),
                 RULES_OK, "%s", err);
    cr_assert_eq(R.n_extra_vetoes, 1);
    county_verdict *v = items_one_school(&R, &IN);
    cr_assert_eq(v->n_extra_vetoes, 1);
    cr_assert_str_eq(v->extra_vetoes[0].number, "5.7");
    cr_assert_str_eq(v->extra_vetoes[0].key, "illegal_fees");
    cr_assert_eq(v->extra_vetoes[0].part, PART_VETO);
    cr_assert_eq(v->extra_vetoes[0].outcome, OUTCOME_PENDING);
    cr_assert_eq(v->verdict, VERDICT_PENDING);
    const item_result *pend[4];
    cr_assert_eq(county_verdict_pending(v, pend, 4), 1);
    cr_assert_eq(pend[0], &v->extra_vetoes[0]);
    county_verdict_destroy(&v);
    cr_assert_eq(county_inputs_set_extra_veto(&IN, 0, 0, "县纪委2025年通报"), 0);   /* absent */
    v = items_one_school(&R, &IN);
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    county_verdict_destroy(&v);
    cr_assert_eq(county_inputs_set_extra_veto(&IN, 0, 1, "x"), 0);                   /* present */
    v = items_one_school(&R, &IN);
    cr_assert_eq(v->extra_vetoes[0].outcome, OUTCOME_FAIL);
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    cr_assert(strstr(v->reason_en, "vetoes present: 5.7"), "%s", v->reason_en);
    county_verdict_destroy(&v);
}
