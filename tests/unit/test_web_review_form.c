/* test_web_review_form.c -- the review desk's requests (client/web/
 * web_review_form.c): a POST form or a query string read into a
 * ReviewRequest, the shapes checked, the action id required of an action,
 * the language from Accept-Language, and the desk's routes. */
#include <criterion/criterion.h>
#include <string.h>

#include "web_review_form.h"
#include "web_text.h"

/* Reads body as the request of name; returns what web_review_form_read does. */
static int read_body(web_review_form *f, const char *name, const char *body, const char **field, const char **reason)
{
    return web_review_form_read(f, name, web_review_lookup_body, (void *)body, field, reason);
}

#define AID "6f1c2a3b-1111-4222-8333-444455556666"

Test(web_review_form, approve_several_revisions)
{
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "approve", "csrf=x&revisions=881%2C+882+883&action_id=" AID, &field, &reason), 0);
    cr_assert_str_eq(f.req.action, "approve");
    cr_assert_str_eq(f.req.action_id, AID);
    cr_assert_eq(f.req.n_revisions, 3);
    cr_assert_eq(f.req.revisions[0], 881);
    cr_assert_eq(f.req.revisions[2], 883);
    cr_assert_null(f.req.county_code);
    cr_assert_eq(f.req.has_all_clean, 0);
}

Test(web_review_form, approve_all_clean_of_a_county)
{
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "approve", "county=371425&period=2025&all_clean=1&action_id=" AID, &field, &reason), 0);
    cr_assert_str_eq(f.req.county_code, "371425");
    cr_assert(f.req.has_period && f.req.period == 2025);
    cr_assert(f.req.has_all_clean && f.req.all_clean);
}

Test(web_review_form, return_with_reason_columns_and_deadline)
{
    web_review_form f;
    const char *field, *reason;
    const char *body = "revisions=881&reason=%E7%94%9F%E5%9D%87+area&columns=sports_area_m2%2Cprimary_teachers"
                       "&deadline=2026-03-20&action_id=" AID;
    cr_assert_eq(read_body(&f, "return", body, &field, &reason), 0);
    cr_assert_str_eq(f.req.reason, "生均 area");
    cr_assert_eq(f.req.n_columns, 2);
    cr_assert_str_eq(f.req.columns[1], "primary_teachers");
    cr_assert_str_eq(f.req.deadline, "2026-03-20");
}

Test(web_review_form, answer_and_override_fields)
{
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "answer", "problem=9&evidence=%E5%B7%B2%E5%8F%91%E6%94%BE&action_id=" AID, &field, &reason), 0);
    cr_assert(f.req.has_problem_id && f.req.problem_id == 9);
    cr_assert_str_eq(f.req.evidence, "已发放");
    /* an empty value withdraws an override: it is sent, as "" */
    cr_assert_eq(read_body(&f, "override", "county=371425&period=2025&item=5.2&field=present&value=&reason=r&action_id=" AID,
                           &field, &reason), 0);
    cr_assert_not_null(f.req.value);
    cr_assert_str_eq(f.req.value, "");
    cr_assert_str_eq(f.req.item, "5.2");
}

Test(web_review_form, an_action_needs_its_action_id)
{
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "seal", "county=371425&period=2025", &field, &reason), -1);
    cr_assert_str_eq(field, "action_id");
    cr_assert_eq(read_body(&f, "seal", "county=371425&period=2025&action_id=not-a-uuid", &field, &reason), -1);
    cr_assert_str_eq(field, "action_id");
}

Test(web_review_form, a_query_needs_none_and_sends_none)
{
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "package", "county=371425&period=2025&verify=1&seal=3", &field, &reason), 0);
    cr_assert_null(f.req.action_id);
    cr_assert(f.req.has_verify && f.req.verify);
    cr_assert(f.req.has_seal && f.req.seal == 3);
    cr_assert_eq(read_body(&f, "inbox", "", &field, &reason), 0);
    cr_assert_str_eq(f.req.action, "inbox");
}

Test(web_review_form, shapes_are_refused_with_the_field)
{
    web_review_form f;
    const char *field, *reason;
    const struct { const char *name, *body, *field; } bad[] = {
        { "seal", "county=37142&period=2025&action_id=" AID, "county" },
        { "seal", "county=371425&period=25&action_id=" AID, "period" },
        { "approve", "revisions=881,-2&action_id=" AID, "revisions" },
        { "approve", "revisions=881,abc&action_id=" AID, "revisions" },
        { "return", "revisions=1&reason=x&deadline=2026-3-20&action_id=" AID, "deadline" },
        { "return", "revisions=1&reason=x&columns=a%3Bb&action_id=" AID, "columns" },
        { "close", "problem=0&action_id=" AID, "problem" },
        { "submissions", "school=12", "school" },
        { "drop", "", "action" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(read_body(&f, bad[i].name, bad[i].body, &field, &reason), -1, "%s", bad[i].body);
        cr_assert_str_eq(field, bad[i].field, "%s", bad[i].body);
        cr_assert(reason[0], "%s: no reason", bad[i].body);
    }
}

Test(web_review_form, a_text_too_long_is_refused_not_cut)
{
    static char body[3000];
    strcpy(body, "county=371425&period=2025&action_id=" AID "&reason=");
    memset(body + strlen(body), 'x', 1100);
    web_review_form f;
    const char *field, *reason;
    cr_assert_eq(read_body(&f, "return_package", body, &field, &reason), -1);
    cr_assert_str_eq(field, "reason");
}

Test(web_review_form, kinds)
{
    cr_assert_eq(web_review_kind("inbox"), 1);
    cr_assert_eq(web_review_kind("audit"), 1);
    cr_assert_eq(web_review_kind("pass"), 2);
    cr_assert_eq(web_review_kind("return_package"), 2);
    cr_assert_eq(web_review_kind("reopen"), 0);
    cr_assert_eq(web_review_kind(""), 0);
}

Test(web_review_form, language_from_accept_language)
{
    cr_assert_str_eq(web_review_lang(NULL), "zh_CN");
    cr_assert_str_eq(web_review_lang("zh-CN,zh;q=0.9,en;q=0.8"), "zh_CN");
    cr_assert_str_eq(web_review_lang("en-US,en;q=0.9,zh-CN;q=0.5"), "en");
    cr_assert_str_eq(web_review_lang("fr-FR, en;q=0.5"), "en");
    cr_assert_str_eq(web_review_lang("de"), "zh_CN");
}

Test(web_review_form, routes_of_the_desk)
{
    web_route r;
    web_route_parse("/review", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_REVIEW_PAGE);
    web_route_parse("/api/review/return_package", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_REVIEW);
    cr_assert_str_eq(r.arg, "return_package");
    const char *bad[] = { "/api/review/", "/api/review/Pass", "/api/review/a/b", "/api/review/x.y", "/review/x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        web_route_parse(bad[i], &r);
        cr_assert_eq(r.kind, WEB_ROUTE_NONE, "%s", bad[i]);
    }
}
