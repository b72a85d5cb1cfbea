/* test_official_view.c -- the county book's two views (docs/review.md "Two
 * views"): the official view counts each school's approved revision, not
 * its newest; approvals may come before or after the load; the city's
 * overrides replace one field each, on a copy of the sealed inputs, and show
 * on their item with the county's value; a seal renders identical bytes for
 * equal inputs; the "review" object of both views. */
#include <criterion/criterion.h>

#include <jansson.h>
#include <string.h>

#include "state.h"
#include "test_items_util.h"

static rules_config RULES;
static registry *REG;
static review_state *RS;
static county_book *BOOK;

/* Three primary schools of TEST_COUNTY (none submitted yet). */
static void setup(void)
{
    rules_config_default(&RULES);
    REG = registry_new();
    RS = review_state_new();
    cr_assert(REG && RS);
    county_info c = test_county();
    cr_assert_eq(registry_put_county(REG, &c), 0);
    for (int i = 1; i <= 3; i++) {
        school_info s = test_school(i, KIND_PRIMARY);
        cr_assert_eq(registry_put_school(REG, &s), 0);
    }
    BOOK = county_book_new(&RULES, REG);
    cr_assert_not_null(BOOK);
    county_book_set_review(BOOK, RS);
}

static void teardown(void)
{
    county_book_destroy(&BOOK);
    review_state_destroy(&RS);
    registry_destroy(&REG);
}

TestSuite(official_view, .init = setup, .fini = teardown);

/* School n's compliant submission with `students` primary students. */
static void school_sub(submission *sub, int n, int64_t students)
{
    school_info s = test_school(n, KIND_PRIMARY);
    items_compliant(sub, s.school_code);
    sub->period = 2025;
    sub->stage[STAGE_PRIMARY].students = students;
}

static school_record *rec_of(int n)
{
    school_info s = test_school(n, KIND_PRIMARY);
    return registry_school(REG, s.school_code);
}

/* A view of the entry rendered and parsed; today 2026-03-28, warning 7 days. */
static json_t *render(status_view view, int32_t today)
{
    county_entry *e = county_book_entry(BOOK, TEST_COUNTY, 2025);
    cr_assert_not_null(e);
    county_render_opts o = { 5, "ep", "2026-03-28T00:00:00Z", today ? today : 20260328, 7 };
    char *full = NULL, *summary = NULL;
    cr_assert_eq(county_book_render(BOOK, e, view, &o, &full, &summary), 0);
    cr_assert(full && summary);
    json_error_t err;
    json_t *root = json_loads(full, 0, &err);
    cr_assert_not_null(root, "%s", err.text);
    json_t *sum = json_loads(summary, 0, &err);
    cr_assert_not_null(sum, "%s", err.text);
    cr_assert_str_eq(json_string_value(json_object_get(sum, "view")), status_view_key(view));
    cr_assert(json_is_integer(json_object_get(json_object_get(json_object_get(sum, "review"), "schools"),
                                              "not_submitted")));
    json_decref(sum);
    free(full);
    free(summary);
    return root;
}

static int64_t primary_students(json_t *st)
{
    return json_integer_value(json_object_get(json_object_get(json_object_get(st, "stages"), "primary"), "students"));
}

/* The item of number n in a status. */
static json_t *item_of(json_t *st, const char *n)
{
    json_t *items = json_object_get(st, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(items, i), "number")), n) == 0)
            return json_array_get(items, i);
    return NULL;
}

Test(official_view, approved_not_newest_and_load_order)
{
    submission a, b;
    school_sub(&a, 1, 500);
    school_sub(&b, 2, 400);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(school_record_set_latest(rec_of(2), 2025, 11, &b), 1);
    /* approved before the load: held in the registry, built by the load */
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(county_book_load(BOOK), 0);
    json_t *live = render(VIEW_LIVE, 0), *off = render(VIEW_OFFICIAL, 0);
    cr_assert_str_eq(json_string_value(json_object_get(live, "view")), "live");
    cr_assert_str_eq(json_string_value(json_object_get(off, "view")), "official");
    cr_assert_eq(primary_students(live), 900);
    cr_assert_eq(primary_students(off), 500);
    json_decref(live);
    json_decref(off);

    /* a newer revision of school 1 counts live only, until approved */
    submission a2;
    school_sub(&a2, 1, 700);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 12, &a2), 1);
    cr_assert_eq(county_book_school_submitted(BOOK, rec_of(1), 2025, &a2), 0);
    status_view v;
    cr_assert_not_null(county_book_pop_dirty(BOOK, &v));
    cr_assert_eq(v, VIEW_LIVE);
    cr_assert_null(county_book_pop_dirty(BOOK, &v));
    live = render(VIEW_LIVE, 0);
    off = render(VIEW_OFFICIAL, 0);
    cr_assert_eq(primary_students(live), 1100);
    cr_assert_eq(primary_students(off), 500);
    json_decref(live);
    json_decref(off);
    int64_t rev = 0;
    cr_assert(school_record_has_approved(rec_of(1), 2025, &rev));
    cr_assert_eq(rev, 10);

    /* approved after the load: the official view follows, and only it changes */
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(1), 2025, 12, &a2), 1);
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(1), 2025, 10, &a), 0); /* older: ignored */
    cr_assert_not_null(county_book_pop_dirty(BOOK, &v));
    cr_assert_eq(v, VIEW_OFFICIAL);
    cr_assert_null(county_book_pop_dirty(BOOK, &v));
    off = render(VIEW_OFFICIAL, 0);
    cr_assert_eq(primary_students(off), 700);
    json_decref(off);
    cr_assert_eq(county_book_next_seq(BOOK, TEST_COUNTY, VIEW_OFFICIAL), 1);
    cr_assert_eq(county_book_current_seq(BOOK, TEST_COUNTY, VIEW_LIVE), 0);
}

Test(official_view, approval_before_newest_is_loaded)
{
    submission a, b;
    school_sub(&a, 1, 500);
    school_sub(&b, 1, 600);
    /* the loader may feed approvals first: the approved one is then also
     * held as the newest until a newer revision arrives */
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 10, &a), 0);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 11, &b), 1);
    cr_assert_eq(county_book_load(BOOK), 0);
    json_t *live = render(VIEW_LIVE, 0), *off = render(VIEW_OFFICIAL, 0);
    cr_assert_eq(primary_students(live), 600);
    cr_assert_eq(primary_students(off), 500);
    json_decref(live);
    json_decref(off);
}

Test(official_view, first_approval_after_load)
{
    submission a, b;
    school_sub(&a, 1, 500);
    school_sub(&b, 2, 400);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(school_record_set_latest(rec_of(2), 2025, 11, &b), 1);
    cr_assert_eq(county_book_load(BOOK), 0);
    county_entry *e = county_book_entry(BOOK, TEST_COUNTY, 2025);
    cr_assert_null(e->official_state); /* nothing approved: not built, rendered every school missing */
    json_t *off = render(VIEW_OFFICIAL, 0);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(off, "coverage"), "schools_submitted")), 0);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(off, "coverage"), "schools_registered")), 3);
    json_decref(off);
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(2), 2025, 11, &b), 1);
    cr_assert_not_null(e->official_state);
    off = render(VIEW_OFFICIAL, 0);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(off, "coverage"), "schools_submitted")), 1);
    cr_assert_eq(primary_students(off), 400);
    json_decref(off);
}

Test(official_view, overrides_field_by_field)
{
    submission a;
    school_sub(&a, 1, 500);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(county_book_school_approved(BOOK, rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(county_book_load(BOOK), 0);
    county_inputs in;
    items_passing_inputs(&in);
    cr_assert_eq(county_book_county_inputs(BOOK, TEST_COUNTY, 2025, 7, &in, true), 0);
    cr_assert_eq(county_book_official_inputs(BOOK, TEST_COUNTY, 2025, 7, &in), 0);
    cr_assert_eq(review_state_put_override(RS, TEST_COUNTY, 2025, "5.2", "present", "present", "暗访发现择校",
                                           "2026-03-28T09:00:00Z"),
                 0);
    cr_assert_eq(review_state_put_override(RS, TEST_COUNTY, 2025, "2.8", "performance_pay_approved", "no",
                                           "绩效工资未落实", "2026-03-28T09:01:00Z"),
                 0);
    json_t *off = render(VIEW_OFFICIAL, 0);
    json_t *veto = item_of(off, "5.2");
    cr_assert_str_eq(json_string_value(json_object_get(veto, "outcome")), "fail");
    json_t *ov = json_object_get(veto, "city_override");
    cr_assert_str_eq(json_string_value(json_object_get(ov, "field")), "present");
    cr_assert_str_eq(json_string_value(json_object_get(ov, "value")), "present");
    cr_assert_str_eq(json_string_value(json_object_get(ov, "reason")), "暗访发现择校");
    cr_assert_str_eq(json_string_value(json_object_get(ov, "at")), "2026-03-28T09:00:00Z");
    cr_assert_str_eq(json_string_value(json_object_get(veto, "county_value")), "absent");
    json_t *pay = item_of(off, "2.8");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "outcome")), "fail");
    cr_assert_str_eq(json_string_value(json_object_get(pay, "county_value")), "yes");
    /* one field only: the item's other facts are the county's */
    json_t *inputs = json_object_get(pay, "inputs");
    cr_assert(json_real_value(json_object_get(inputs, "teacher_avg_pay_yuan")) == 98500.0);
    /* an item without override carries neither key */
    cr_assert_null(json_object_get(item_of(off, "5.1"), "city_override"));
    cr_assert_null(json_object_get(item_of(off, "5.1"), "county_value"));
    cr_assert_str_eq(json_string_value(json_object_get(off, "verdict")), "fail");
    json_decref(off);

    /* the live view: the county's inputs as they are, no override */
    json_t *live = render(VIEW_LIVE, 0);
    cr_assert_str_eq(json_string_value(json_object_get(item_of(live, "5.2"), "outcome")), "pass");
    cr_assert_null(json_object_get(item_of(live, "5.2"), "city_override"));
    json_decref(live);
    county_inputs_clear(&in);
}

Test(official_view, override_without_sealed_value)
{
    cr_assert_eq(county_book_load(BOOK), 0);
    cr_assert_eq(county_book_official_inputs(BOOK, TEST_COUNTY, 2025, 0, NULL), 0);
    cr_assert_eq(review_state_put_override(RS, TEST_COUNTY, 2025, "5.3", "present", "present", "重点班",
                                           "2026-03-28T09:00:00Z"),
                 0);
    json_t *off = render(VIEW_OFFICIAL, 0);
    json_t *it = item_of(off, "5.3");
    cr_assert_not_null(json_object_get(it, "city_override"));
    cr_assert(json_is_null(json_object_get(it, "county_value")));
    cr_assert_str_eq(json_string_value(json_object_get(it, "outcome")), "fail");
    json_decref(off);
}

Test(official_view, seal_renders_identical_bytes)
{
    submission a, b;
    school_sub(&a, 1, 500);
    school_sub(&b, 2, 400);
    county_inputs in;
    items_passing_inputs(&in);
    seal_school schools[3] = { { "3714020001", 10, &a }, { "3714020002", 11, &b }, { "3714020003", 0, NULL } };
    seal_school reordered[3] = { schools[2], schools[1], schools[0] };
    char *one = county_book_render_seal(BOOK, TEST_COUNTY, 2025, schools, 3, &in, 7, "2026-03-28T09:12:00Z");
    char *two = county_book_render_seal(BOOK, TEST_COUNTY, 2025, reordered, 3, &in, 7, "2026-03-28T09:12:00Z");
    cr_assert(one && two);
    cr_assert_str_eq(one, two);
    json_t *st = json_loads(one, 0, NULL);
    cr_assert_not_null(st);
    cr_assert_eq(json_integer_value(json_object_get(st, "seq")), 0);
    cr_assert(json_is_null(json_object_get(st, "epoch")));
    cr_assert_str_eq(json_string_value(json_object_get(st, "computed_at")), "2026-03-28T09:12:00Z");
    cr_assert_str_eq(json_string_value(json_object_get(st, "view")), "official");
    cr_assert_null(json_object_get(st, "review"));
    cr_assert_eq(json_integer_value(json_object_get(st, "county_inputs_revision")), 7);
    cr_assert_eq(primary_students(st), 900);
    json_decref(st);
    /* the city's overrides never reach a seal */
    cr_assert_eq(review_state_put_override(RS, TEST_COUNTY, 2025, "5.2", "present", "present", "x", "t"), 0);
    char *three = county_book_render_seal(BOOK, TEST_COUNTY, 2025, schools, 3, &in, 7, "2026-03-28T09:12:00Z");
    cr_assert_str_eq(one, three);
    /* other inputs, other bytes */
    items_set(&in, CI_2_8_TEACHER_PAY, 90000);
    char *four = county_book_render_seal(BOOK, TEST_COUNTY, 2025, schools, 3, &in, 8, "2026-03-28T09:12:00Z");
    cr_assert(strcmp(one, four) != 0);
    cr_assert_null(county_book_render_seal(BOOK, "379999", 2025, schools, 3, &in, 7, "t"));
    free(one);
    free(two);
    free(three);
    free(four);
    county_inputs_clear(&in);
}

Test(official_view, review_object)
{
    submission a, b;
    school_sub(&a, 1, 500);
    school_sub(&b, 2, 400);
    cr_assert_eq(school_record_set_latest(rec_of(1), 2025, 10, &a), 1);
    cr_assert_eq(school_record_set_latest(rec_of(2), 2025, 11, &b), 1);
    cr_assert_eq(county_book_load(BOOK), 0);
    json_t *st = render(VIEW_LIVE, 0);
    json_t *r = json_object_get(st, "review");
    json_t *pkg = json_object_get(r, "package");
    cr_assert_str_eq(json_string_value(json_object_get(pkg, "state")), "collecting");
    cr_assert_str_eq(json_string_value(json_object_get(pkg, "state_zh")), "收集中");
    cr_assert(json_is_null(json_object_get(pkg, "seal")));
    json_t *sch = json_object_get(r, "schools");
    cr_assert_eq(json_integer_value(json_object_get(sch, "registered")), 3);
    cr_assert_eq(json_array_size(json_object_get(sch, "awaiting_approval")), 2);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(sch, "not_submitted"), 0)), "3714020003");
    cr_assert(json_is_null(json_object_get(r, "period")));
    json_decref(st);

    cr_assert_eq(review_state_set_revision(RS, 10, REVIEW_APPROVED), 0);
    cr_assert_eq(review_state_set_revision(RS, 11, REVIEW_RETURNED), 0);
    package_info p = { .state = PACKAGE_RETURNED, .seal = 3, .sealed_at = "2026-03-28T09:12:00Z" };
    cr_assert_eq(review_state_set_package(RS, TEST_COUNTY, 2025, &p), 0);
    period_info per = { .period = 2025, .closes_on = 20260331 };
    cr_assert_eq(review_state_set_period(RS, &per), 0);
    cr_assert_eq(county_book_review_changed(BOOK, TEST_COUNTY, 2025, false), 0);
    cr_assert_eq(county_book_dirty_count(BOOK), 2);
    cr_assert_eq(county_book_review_changed(BOOK, "379999", 2025, false), -1);

    st = render(VIEW_OFFICIAL, 20260328);
    r = json_object_get(st, "review");
    pkg = json_object_get(r, "package");
    cr_assert_str_eq(json_string_value(json_object_get(pkg, "state")), "returned");
    cr_assert_eq(json_integer_value(json_object_get(pkg, "seal")), 3);
    cr_assert_str_eq(json_string_value(json_object_get(pkg, "sealed_at")), "2026-03-28T09:12:00Z");
    sch = json_object_get(r, "schools");
    cr_assert_eq(json_integer_value(json_object_get(sch, "approved")), 1);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(sch, "returned"), 0)), "3714020002");
    cr_assert_eq(json_array_size(json_object_get(sch, "awaiting_approval")), 0);
    json_t *period = json_object_get(r, "period");
    cr_assert_eq(json_integer_value(json_object_get(period, "period")), 2025);
    cr_assert_str_eq(json_string_value(json_object_get(period, "closes")), "2026-03-31");
    cr_assert_eq(json_integer_value(json_object_get(period, "days_left")), 3);
    cr_assert(json_is_true(json_object_get(period, "closing_soon")));
    cr_assert(json_is_false(json_object_get(period, "closed")));
    json_decref(st);

    st = render(VIEW_LIVE, 20260401);
    period = json_object_get(json_object_get(st, "review"), "period");
    cr_assert_eq(json_integer_value(json_object_get(period, "days_left")), -1);
    cr_assert(json_is_true(json_object_get(period, "closed")));
    cr_assert(json_is_false(json_object_get(period, "closing_soon")));
    json_decref(st);
    st = render(VIEW_LIVE, 20260301);
    period = json_object_get(json_object_get(st, "review"), "period");
    cr_assert(json_is_false(json_object_get(period, "closing_soon")));
    json_decref(st);

    /* the day turning marks both views of the period's entries */
    county_book_pop_dirty(BOOK, NULL);
    county_book_pop_dirty(BOOK, NULL);
    cr_assert_eq(county_book_period_changed(BOOK, 2025), 0);
    cr_assert_eq(county_book_dirty_count(BOOK), 2);
}
