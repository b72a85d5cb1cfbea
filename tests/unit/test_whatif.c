/* test_whatif.c -- the pure parts of a what-if (common/whatif.h): a change
 * applied to a submission (set, add, subtract, lists set and grown, Chinese
 * column labels, refusals leaving the submission as it was), the values
 * written as JSON, the diff of two statuses; and county_state_copy, which a
 * what-if changes instead of the book's state: a copy changed equals the
 * original changed the same way, bit for bit, and the original is left as
 * it was. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "assess_items.h"
#include "county_state.h"
#include "json_writer.h"
#include "status_json.h"
#include "test_rules_util.h"
#include "whatif.h"

static rules_config R;

static void setup(void)
{
    rules_config_default(&R);
}

TestSuite(whatif, .init = setup);

/* Applies field=value to sub; asserts it is accepted and returns the column. */
static int apply_ok(submission *sub, const char *field, const char *value)
{
    char why[256] = "";
    int col = -1;
    cr_assert_eq(whatif_apply(sub, field, value, &col, why, sizeof why), 0, "%s=%s: %s", field, value, why);
    return col;
}

Test(whatif, sets_adds_and_subtracts)
{
    submission s;
    test_good_primary(&s, "3714020001");
    apply_ok(&s, "sports_area_m2", "1200");
    cr_assert_eq(s.sports_area_m2, 1200.0);
    apply_ok(&s, "sports_area_m2", "+300.5");
    cr_assert_eq(s.sports_area_m2, 1500.5);
    apply_ok(&s, "primary_teachers", "-2");
    cr_assert_eq(s.stage[STAGE_PRIMARY].teachers, 29);
    apply_ok(&s, "体育运动场馆面积", "100");
    cr_assert_eq(s.sports_area_m2, 100.0);
    apply_ok(&s, "小学专任教师数", "+1");
    cr_assert_eq(s.stage[STAGE_PRIMARY].teachers, 30);
    submission_clear(&s);
}

Test(whatif, lists_set_and_grown)
{
    submission s;
    test_good_primary(&s, "3714020001");
    apply_ok(&s, "music_room_areas_m2", "96");
    cr_assert_eq(s.n_music_rooms, 1);
    apply_ok(&s, "music_room_areas_m2", "+96;100");
    cr_assert_eq(s.n_music_rooms, 3);
    cr_assert_eq(s.music_room_areas_m2[2], 100.0);
    apply_ok(&s, "primary_class_sizes", "45;45;40");
    cr_assert_eq(s.stage[STAGE_PRIMARY].n_class_sizes, 3);
    cr_assert_eq(s.stage[STAGE_PRIMARY].class_sizes[2], 40);
    apply_ok(&s, "primary_class_sizes", "");
    cr_assert_eq(s.stage[STAGE_PRIMARY].n_class_sizes, 0);
    submission_clear(&s);
}

Test(whatif, a_stage_field_makes_the_stage_present)
{
    submission s;
    test_good_primary(&s, "3714020001");
    cr_assert(!s.stage[STAGE_JUNIOR].present);
    apply_ok(&s, "junior_students", "100");
    cr_assert(s.stage[STAGE_JUNIOR].present);
    submission_clear(&s);
}

/* Asserts field=value is refused with a reason containing `part`, sub unchanged. */
static void refused(const char *field, const char *value, const char *part)
{
    submission s, copy;
    test_good_primary(&s, "3714020001");
    s.n_art_rooms = 1;
    s.art_room_areas_m2 = malloc(sizeof(double));
    s.art_room_areas_m2[0] = 90;
    cr_assert_eq(submission_copy(&copy, &s), 0);
    char why[256] = "";
    int col = -1;
    cr_assert_eq(whatif_apply(&s, field, value, &col, why, sizeof why), -1, "%s=%s accepted", field, value);
    cr_assert(strstr(why, part) != NULL, "%s=%s: '%s' lacks '%s'", field, value, why, part);
    cr_assert(submission_equal(&s, &copy), "%s=%s changed the submission", field, value);
    submission_clear(&s);
    submission_clear(&copy);
}

Test(whatif, refusals_leave_the_submission_as_it_was)
{
    refused("no_such_field", "1", "not a submission column");
    refused("school_code", "1", "not a submission column");
    refused("period", "2024", "not a submission column");
    refused("primary_teachers", "abc", "not a number");
    refused("primary_teachers", "1.5", "not a whole number");
    refused("primary_teachers", "+", "no number");
    refused("art_room_areas_m2", "-90", "not reduced");
    refused("art_room_areas_m2", "+90;x", "item 2");
}

/* The JSON text a writer call produces. */
static char *written(void (*fn)(json_writer *, const submission *), const submission *s)
{
    json_writer w;
    json_writer_init(&w);
    fn(&w, s);
    return json_writer_take(&w);
}

Test(whatif, values_as_json)
{
    submission s;
    test_good_primary(&s, "3714020001");
    char why[256];
    int col;
    whatif_apply(&s, "primary_class_sizes", "45;40", &col, why, sizeof why);
    char *text = written(whatif_write_values, &s);
    json_t *o = json_loads(text, 0, NULL);
    cr_assert_not_null(o, "%s", text);
    cr_assert_eq(json_integer_value(json_object_get(o, "primary_students")), 500);
    cr_assert_eq(json_real_value(json_object_get(o, "sports_area_m2")), 3750.0);
    cr_assert_eq(json_array_size(json_object_get(o, "primary_class_sizes")), 2);
    cr_assert_eq(json_integer_value(json_array_get(json_object_get(o, "primary_class_sizes"), 1)), 40);
    cr_assert(json_is_array(json_object_get(o, "music_room_areas_m2")));
    cr_assert_null(json_object_get(o, "junior_students"), "a stage the school does not have is left out");
    cr_assert_null(json_object_get(o, "school_code"));
    json_decref(o);
    free(text);
    submission_clear(&s);
}

/* A county of n good primary schools in a state. */
static county_state *good_county(int n, submission *subs, school_info *infos)
{
    county_info c = test_county();
    county_state *st = county_state_new(&R, &c);
    for (int i = 0; i < n; i++) {
        infos[i] = test_school(i + 1, KIND_PRIMARY);
        test_good_primary(&subs[i], infos[i].school_code);
        cr_assert_eq(county_state_set_school(st, &infos[i], &subs[i]), ASSESS_OK);
    }
    return st;
}

/* The status JSON of a state (its verdict without school facts). */
static char *render(const county_state *st)
{
    county_status *cs = county_state_status(st, 2025);
    item_school none;
    memset(&none, 0, sizeof none);
    county_verdict *v = county_verdict_assess(&R, cs, &none, 0, NULL);
    char *text = status_json_render_verdict(cs, v, 0, 1, NULL, "t", false);
    county_verdict_destroy(&v);
    county_status_destroy(&cs);
    return text;
}

Test(whatif, state_copy_changed_equals_the_original_changed)
{
    enum { N = 40 };
    submission subs[N];
    school_info infos[N];
    county_state *a = good_county(N, subs, infos);
    char *before = render(a);
    county_state *b = county_state_copy(a);
    cr_assert_not_null(b);
    cr_assert_eq(county_state_count(b), N);
    char *copied = render(b);
    cr_assert_str_eq(copied, before);
    /* the same changes to both: the same status, to the bit */
    for (int i = 0; i < N; i += 3) {
        char why[256];
        int col;
        submission s;
        cr_assert_eq(submission_copy(&s, &subs[i]), 0);
        whatif_apply(&s, "sports_area_m2", "+777.25", &col, why, sizeof why);
        char *was = render(a);
        cr_assert_eq(county_state_set_school(b, &infos[i], &s), ASSESS_OK);
        char *still = render(a);
        cr_assert_str_eq(still, was, "changing the copy changed the original");
        free(still);
        free(was);
        cr_assert_eq(county_state_set_school(a, &infos[i], &s), ASSESS_OK);
        submission_clear(&s);
    }
    char *ra = render(a), *rb = render(b);
    cr_assert_str_eq(ra, rb);
    cr_assert_str_neq(ra, before);
    /* a school removed from the copy only */
    cr_assert_eq(county_state_remove_school(b, infos[5].school_code), ASSESS_OK);
    cr_assert_eq(county_state_count(a), N);
    free(ra);
    free(rb);
    free(before);
    free(copied);
    county_state_destroy(&a);
    county_state_destroy(&b);
    for (int i = 0; i < N; i++)
        submission_clear(&subs[i]);
}

/* The diff of a before and after state as a parsed object. */
static json_t *diff_of(const county_state *b, const county_state *a)
{
    county_status *sb = county_state_status(b, 2025), *sa = county_state_status(a, 2025);
    item_school none;
    memset(&none, 0, sizeof none);
    county_verdict *vb = county_verdict_assess(&R, sb, &none, 0, NULL);
    county_verdict *va = county_verdict_assess(&R, sa, &none, 0, NULL);
    json_writer w;
    json_writer_init(&w);
    whatif_write_diff(&w, sb, vb, sa, va);
    char *text = json_writer_take(&w);
    json_t *o = json_loads(text, 0, NULL);
    cr_assert_not_null(o, "%s", text);
    free(text);
    county_verdict_destroy(&vb);
    county_verdict_destroy(&va);
    county_status_destroy(&sb);
    county_status_destroy(&sa);
    return o;
}

Test(whatif, diff_names_flipped_sections_coefficients_and_items)
{
    enum { N = 6 };
    submission subs[N];
    school_info infos[N];
    county_state *a = good_county(N, subs, infos);
    county_state *b = county_state_copy(a);
    json_t *same = diff_of(a, b);
    cr_assert_eq(json_array_size(json_object_get(same, "sections_flipped")), 0);
    cr_assert_eq(json_array_size(json_object_get(same, "items_changed")), 0);
    cr_assert_eq(json_array_size(json_object_get(same, "coefficients")), IND_COUNT, "primary only: seven");
    json_decref(same);
    /* school 2 loses most of its sports ground and rooms: its section fails */
    submission s;
    cr_assert_eq(submission_copy(&s, &subs[1]), 0);
    char why[256];
    int col;
    cr_assert_eq(whatif_apply(&s, "sports_area_m2", "100", &col, why, sizeof why), 0);
    cr_assert_eq(whatif_apply(&s, "multimedia_rooms", "-10", &col, why, sizeof why), 0);
    cr_assert_eq(county_state_set_school(b, &infos[1], &s), ASSESS_OK);
    json_t *d = diff_of(a, b);
    json_t *flipped = json_object_get(d, "sections_flipped");
    cr_assert_eq(json_array_size(flipped), 1);
    json_t *f = json_array_get(flipped, 0);
    cr_assert_str_eq(json_string_value(json_object_get(f, "school_code")), infos[1].school_code);
    cr_assert_str_eq(json_string_value(json_object_get(f, "stage")), "primary");
    cr_assert_str_eq(json_string_value(json_object_get(f, "before")), "pass");
    cr_assert_str_eq(json_string_value(json_object_get(f, "after")), "fail");
    size_t i;
    json_t *c;
    bool moved = false;
    json_array_foreach(json_object_get(d, "coefficients"), i, c)
    {
        const char *ind = json_string_value(json_object_get(c, "indicator"));
        cr_assert(json_is_number(json_object_get(c, "limit")));
        if (strcmp(ind, "sports_area") == 0) {
            cr_assert_eq(json_real_value(json_object_get(c, "before")), 0.0);
            cr_assert_gt(json_real_value(json_object_get(c, "after")), 0.0);
            cr_assert(json_is_true(json_object_get(c, "within_before")));
            moved = true;
        }
    }
    cr_assert(moved);
    json_t *verdict = json_object_get(d, "verdict");
    cr_assert_not_null(json_object_get(verdict, "before"));
    cr_assert_not_null(json_object_get(verdict, "after"));
    bool sports_item = false;
    json_array_foreach(json_object_get(d, "items_changed"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "key")), "sports_area") == 0) {
            sports_item = true;
            cr_assert_str_eq(json_string_value(json_object_get(c, "item")), "1.5");
            cr_assert_str_eq(json_string_value(json_object_get(c, "before")), "pass");
            cr_assert_str_eq(json_string_value(json_object_get(c, "after")), "fail");
        }
    }
    cr_assert(sports_item, "item 1.5 changes");
    json_decref(d);
    submission_clear(&s);
    county_state_destroy(&a);
    county_state_destroy(&b);
    for (int k = 0; k < N; k++)
        submission_clear(&subs[k]);
}

Test(whatif, section_state_names)
{
    section_status sec;
    memset(&sec, 0, sizeof sec);
    cr_assert_str_eq(whatif_section_state(NULL), "absent");
    cr_assert_str_eq(whatif_section_state(&sec), "fail");
    sec.pass = true;
    cr_assert_str_eq(whatif_section_state(&sec), "pass");
    sec.excluded = EXCL_SPECIAL;
    cr_assert_str_eq(whatif_section_state(&sec), "excluded");
}
