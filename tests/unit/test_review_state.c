/* test_review_state.c -- the review chain in memory
 * (server/state/review_state.c): revision states, packages with their
 * problem counts, overrides in item order, periods and their admission of a
 * school's submission. */
#include <criterion/criterion.h>
#include <string.h>

#include "state.h"

Test(review_state, names)
{
    cr_assert_str_eq(revision_review_key(REVIEW_RETURNED), "returned");
    cr_assert_str_eq(revision_review_zh(REVIEW_SUBMITTED), "待审核");
    cr_assert_str_eq(package_state_key(PACKAGE_CITY_REVIEWING), "city_reviewing");
    cr_assert_str_eq(package_state_zh(PACKAGE_CITY_PASSED), "市级复核通过");
    cr_assert_str_eq(problem_state_key(PROBLEM_RECTIFIED), "rectified");
    cr_assert_str_eq(problem_state_zh(PROBLEM_CLOSED), "已销号");
}

Test(review_state, revisions)
{
    review_state *rs = review_state_new();
    cr_assert_not_null(rs);
    cr_assert_eq(review_state_revision(rs, 7), REVIEW_SUBMITTED);
    cr_assert_eq(review_state_set_revision(rs, 7, REVIEW_APPROVED), 0);
    cr_assert_eq(review_state_set_revision(rs, 8, REVIEW_RETURNED), 0);
    cr_assert_eq(review_state_revision(rs, 7), REVIEW_APPROVED);
    cr_assert_eq(review_state_revision(rs, 8), REVIEW_RETURNED);
    cr_assert_eq(review_state_set_revision(rs, 7, REVIEW_SUBMITTED), 0);
    cr_assert_eq(review_state_revision(rs, 7), REVIEW_SUBMITTED);
    review_state_destroy(&rs);
    cr_assert_null(rs);
}

Test(review_state, packages_and_problems)
{
    review_state *rs = review_state_new();
    cr_assert_null(review_state_package(rs, "371424", 2025));
    package_info p = { .state = PACKAGE_SEALED, .seal = 3, .seal_inputs_revision = 12 };
    strcpy(p.sealed_at, "2026-03-28T09:12:00Z");
    cr_assert_eq(review_state_set_package(rs, "371424", 2025, &p), 0);
    problem_info a = { .id = 1, .county_code = "371424", .period = 2025, .item = "2.8", .state = PROBLEM_OPEN };
    problem_info b = { .id = 2, .county_code = "371424", .period = 2025, .item = "1.1", .state = PROBLEM_OPEN };
    cr_assert_eq(review_state_put_problem(rs, &a), 0);
    cr_assert_eq(review_state_put_problem(rs, &b), 0);
    b.state = PROBLEM_RECTIFIED;
    cr_assert_eq(review_state_put_problem(rs, &b), 0);
    const package_info *got = review_state_package(rs, "371424", 2025);
    cr_assert_not_null(got);
    cr_assert_eq(got->problems_open, 1);
    cr_assert_eq(got->problems_rectified, 1);
    cr_assert_eq(got->problems_closed, 0);
    p.state = PACKAGE_RETURNED;
    cr_assert_eq(review_state_set_package(rs, "371424", 2025, &p), 0);
    got = review_state_package(rs, "371424", 2025);
    cr_assert_eq(got->state, PACKAGE_RETURNED);
    cr_assert_eq(got->problems_open, 1, "counts kept by set_package");
    cr_assert_str_eq(got->sealed_at, "2026-03-28T09:12:00Z");
    cr_assert_eq(review_state_problem(rs, 2)->state, PROBLEM_RECTIFIED);
    cr_assert_null(review_state_problem(rs, 3));
    cr_assert_null(review_state_package(rs, "371424", 2024));
    review_state_destroy(&rs);
}

Test(review_state, overrides_in_item_order)
{
    review_state *rs = review_state_new();
    const city_override *o;
    cr_assert_eq(review_state_overrides(rs, "371424", 2025, &o), 0);
    cr_assert_null(o);
    cr_assert_eq(review_state_put_override(rs, "371424", 2025, "2.10", "present", "present", "r1", "t1"), 0);
    cr_assert_eq(review_state_put_override(rs, "371424", 2025, "2.8", "yes_field", "yes", "r2", "t2"), 0);
    cr_assert_eq(review_state_put_override(rs, "371424", 2025, "2.8", "a_field", "no", "r3", "t3"), 0);
    cr_assert_eq(review_state_put_override(rs, "371424", 2025, "2.10", "present", "absent", "r4", "t4"), 0);
    size_t n = review_state_overrides(rs, "371424", 2025, &o);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(o[0].item, "2.8");
    cr_assert_str_eq(o[0].field, "a_field");
    cr_assert_str_eq(o[1].field, "yes_field");
    cr_assert_str_eq(o[2].item, "2.10");
    cr_assert_str_eq(o[2].value, "absent");
    cr_assert_str_eq(o[2].reason, "r4");
    cr_assert_eq(review_state_put_override(rs, "371424", 2025, "2.8", "a_field", "", NULL, NULL), 0);
    n = review_state_overrides(rs, "371424", 2025, &o);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(o[0].field, "yes_field");
    cr_assert_eq(review_state_package(rs, "371424", 2025)->state, PACKAGE_COLLECTING);
    review_state_destroy(&rs);
}

Test(review_state, periods_admit)
{
    review_state *rs = review_state_new();
    cr_assert_eq(review_state_admit(rs, 2025, "3714240001", 20990101), PERIOD_ADMIT_OPEN, "never opened");
    period_info p = { .period = 2025, .closes_on = 20260331 };
    cr_assert_eq(review_state_set_period(rs, &p), 0);
    period_info q = { .period = 2024, .closes_on = 20250331, .closed = true };
    cr_assert_eq(review_state_set_period(rs, &q), 0);
    cr_assert_eq(review_state_admit(rs, 2025, "3714240001", 20260331), PERIOD_ADMIT_OPEN, "the last day");
    cr_assert_eq(review_state_admit(rs, 2025, "3714240001", 20260401), PERIOD_ADMIT_CLOSED);
    cr_assert_eq(review_state_reopen_school(rs, 2025, "3714240001"), 0);
    cr_assert_eq(review_state_admit(rs, 2025, "3714240001", 20260401), PERIOD_ADMIT_LATE);
    cr_assert_eq(review_state_admit(rs, 2025, "3714240002", 20260401), PERIOD_ADMIT_CLOSED);
    cr_assert_eq(review_state_admit(rs, 2024, "3714240001", 20250101), PERIOD_ADMIT_CLOSED, "closed at once");
    const period_info *all;
    cr_assert_eq(review_state_periods(rs, &all), 2);
    cr_assert_eq(all[0].period, 2024);
    cr_assert_eq(all[1].period, 2025);
    p.closes_on = 20260415;
    cr_assert_eq(review_state_set_period(rs, &p), 0);
    cr_assert_eq(review_state_periods(rs, &all), 2);
    cr_assert_eq(review_state_admit(rs, 2025, "3714240002", 20260401), PERIOD_ADMIT_OPEN, "reopened by date");
    review_state_destroy(&rs);
}
