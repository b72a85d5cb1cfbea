/* test_web_text.c -- the web gateway's pure parts (client/web/): SSE
 * framing, form decoding, routing, scope checks, cookies, sessions, the
 * login limiter, the hub's fan-out and the login answer's reading. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_daemon.h"
#include "web_hub.h"
#include "web_row.h"
#include "web_session.h"
#include "web_text.h"

Test(web_sse, one_line_with_id_and_event)
{
    char *f = web_sse_frame("county", "7", "{\"a\":1}");
    cr_assert_str_eq(f, "id: 7\nevent: county\ndata: {\"a\":1}\n\n");
    free(f);
}

Test(web_sse, every_line_of_data_is_its_own_data_field)
{
    char *f = web_sse_frame("x", NULL, "a\nb\r\nc\rd");
    cr_assert_str_eq(f, "event: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    free(f);
}

Test(web_sse, a_newline_cannot_inject_a_field_through_the_event_name)
{
    char *f = web_sse_frame("x\ndata: evil", "1\nid: 2", "ok");
    cr_assert_str_eq(f, "data: ok\n\n");
    free(f);
}

Test(web_form, fields_are_found_and_decoded)
{
    char out[64];
    const char *body = "user=%E5%BC%A0+san&password=a%26b%3Dc&csrf=ff";
    cr_assert_eq(web_form_get(body, "user", out, sizeof out), 0);
    cr_assert_str_eq(out, "张 san");
    cr_assert_eq(web_form_get(body, "password", out, sizeof out), 0);
    cr_assert_str_eq(out, "a&b=c");
    cr_assert_eq(web_form_get(body, "csrf", out, sizeof out), 0);
    cr_assert_str_eq(out, "ff");
    cr_assert_eq(web_form_get(body, "pass", out, sizeof out), -1, "a prefix of a name is not the name");
    cr_assert_eq(web_form_get("a=%zz", "a", out, sizeof out), -1);
    cr_assert_eq(web_form_get("a=%00", "a", out, sizeof out), -1, "no NUL smuggled in");
    cr_assert_eq(web_form_get("a=%4", "a", out, sizeof out), -1);
    cr_assert_eq(web_form_get("a=123456", "a", out, 4), -1, "too long for the buffer");
}

Test(web_route, paths)
{
    web_route r;
    web_route_parse("/", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_CITY);
    web_route_parse("/county/371425", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_COUNTY_PAGE);
    cr_assert_str_eq(r.arg, "371425");
    web_route_parse("/api/county/371425", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY);
    web_route_parse("/api/school/2137142501", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_SCHOOL);
    cr_assert_str_eq(r.arg, "2137142501");
    web_route_parse("/static/app.css", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_ASSET);
    cr_assert_str_eq(r.arg, "app.css");
    web_route_parse("/events", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_EVENTS);
    const char *bad[] = { "/county/37142", "/county/3714255", "/county/37142x", "/api/county/", "/static/../x",
                          "/static/.hidden", "/static/a/b", "/nothing", "/api/county/371425/x", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        web_route_parse(bad[i], &r);
        cr_assert_eq(r.kind, WEB_ROUTE_NONE, "%s", bad[i]);
    }
}

Test(web_scope, prefixes_and_zero_padded_codes)
{
    cr_assert(web_scope_allows("", "371425"));
    cr_assert(web_scope_allows("all", "110101"));
    cr_assert(web_scope_allows("3714", "371425"));
    cr_assert(web_scope_allows("371400", "371425"), "a city written with its zeros");
    cr_assert(web_scope_allows("370000", "371425"), "a province written with its zeros");
    cr_assert(web_scope_allows("371425", "371425"));
    cr_assert_not(web_scope_allows("371425", "371402"), "another county");
    cr_assert_not(web_scope_allows("3714", "371525"), "another city");
    cr_assert_not(web_scope_allows("3714", "3714"), "not a county code");
    cr_assert_not(web_scope_allows("3714", NULL));
}

Test(web_cookie, attributes)
{
    char *c = web_cookie("jh_session", "abc", 600, false);
    cr_assert_str_eq(c, "jh_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=600");
    free(c);
    c = web_cookie("jh_session", "abc", 0, true);
    cr_assert_str_eq(c, "jh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure", "deleting it");
    free(c);
}

Test(web_secret, comparison)
{
    cr_assert(web_secret_equal("abc", "abc"));
    cr_assert_not(web_secret_equal("abc", "abd"));
    cr_assert_not(web_secret_equal("abc", "ab"));
    cr_assert_not(web_secret_equal("", ""), "an empty token matches nothing");
}

Test(web_html, escapes)
{
    char *e = web_html_escape("<a href=\"x\">'&'</a>");
    cr_assert_str_eq(e, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    free(e);
}

Test(web_sessions, add_get_expire_remove)
{
    web_sessions *t = web_sessions_new(2, 1000);
    web_session s = { 0 }, a, b, c, got;
    snprintf(s.user, sizeof s.user, "u1");
    s.expires_ms = 100000;
    cr_assert_eq(web_sessions_add(t, &s, 0, &a), 0);
    cr_assert_eq(strlen(a.id), WEB_SESSION_ID_HEX);
    cr_assert_eq(strlen(a.csrf), WEB_SESSION_ID_HEX);
    cr_assert_str_neq(a.id, a.csrf);
    cr_assert(web_sessions_get(t, a.id, 500, &got));
    cr_assert_str_eq(got.user, "u1");
    cr_assert(web_sessions_get(t, a.id, 1400, &got), "used at 500: idle only 900 ms");
    cr_assert_not(web_sessions_get(t, a.id, 2500, &got), "idle too long");
    cr_assert_eq(web_sessions_count(t), 0);
    cr_assert_eq(web_sessions_add(t, &s, 99500, &a), 0);
    cr_assert_not(web_sessions_get(t, a.id, 100000, &got), "past the daemon's expiry");
    cr_assert_eq(web_sessions_add(t, &s, 10, &a), 0);
    cr_assert_eq(web_sessions_add(t, &s, 20, &b), 0);
    cr_assert_eq(web_sessions_add(t, &s, 30, &c), 0, "full: the least recently used goes");
    cr_assert_not(web_sessions_get(t, a.id, 40, &got));
    cr_assert(web_sessions_get(t, b.id, 40, &got));
    web_sessions_remove(t, b.id);
    cr_assert_not(web_sessions_get(t, b.id, 40, &got));
    cr_assert_not(web_sessions_get(t, "short", 40, &got));
    web_sessions_destroy(&t);
    cr_assert_null(t);
}

Test(web_limiter, blocks_after_failures_then_forgets)
{
    web_limiter *l = web_limiter_new(3, 1000);
    long wait = 0;
    for (int i = 0; i < 2; i++)
        web_limiter_failed(l, "addr:1", 100);
    cr_assert(web_limiter_allows(l, "addr:1", 100, &wait));
    web_limiter_failed(l, "addr:1", 200);
    cr_assert_not(web_limiter_allows(l, "addr:1", 300, &wait));
    cr_assert_eq(wait, 1);
    cr_assert(web_limiter_allows(l, "addr:2", 300, &wait), "other keys are not blocked");
    cr_assert(web_limiter_allows(l, "addr:1", 1200, &wait), "the block lasts one window");
    web_limiter_failed(l, "addr:3", 0);
    web_limiter_failed(l, "addr:3", 0);
    web_limiter_succeeded(l, "addr:3");
    web_limiter_failed(l, "addr:3", 0);
    cr_assert(web_limiter_allows(l, "addr:3", 0, &wait), "a success forgets the failures");
    web_limiter_destroy(&l);
}

Test(web_hub, joiners_get_the_city_then_events_in_scope)
{
    web_hub *h = web_hub_new();
    cr_assert_eq(web_hub_put_row(h, "371425", "{\"code\":\"371425\"}"), 0);
    cr_assert_eq(web_hub_put_row(h, "371402", "{\"code\":\"371402\"}"), 0);
    cr_assert_eq(web_hub_put_row(h, "371502", "{\"code\":\"371502\"}"), 0);
    uint64_t cur = WEB_HUB_JOINED;
    char *t = web_hub_wait(h, &cur, "3714", 0);
    cr_assert_not_null(t);
    cr_assert_str_eq(t, "id: 3\nevent: city\ndata: {\"state\":{\"phase\":\"connecting\",\"reason\":\"\",\"daemon\":"
                        "\"unknown\"},\"counties\":[{\"code\":\"371402\"},{\"code\":\"371425\"}]}\n\n");
    free(t);
    t = web_hub_wait(h, &cur, "3714", 10);
    cr_assert_str_eq(t, "", "nothing new: empty after the wait");
    free(t);
    web_hub_put_row(h, "371502", "{\"code\":\"371502\",\"v\":2}");
    web_hub_put_row(h, "371425", "{\"code\":\"371425\",\"v\":2}");
    web_hub_put_state(h, "{\"phase\":\"live\"}");
    t = web_hub_wait(h, &cur, "3714", 0);
    cr_assert_str_eq(t, "id: 5\nevent: county\ndata: {\"code\":\"371425\",\"v\":2}\n\n"
                        "id: 6\nevent: state\ndata: {\"phase\":\"live\"}\n\n", "371502 is out of scope");
    free(t);
    char *city = web_hub_city_json(h, "");
    cr_assert_str_eq(city, "{\"state\":{\"phase\":\"live\"},\"counties\":[{\"code\":\"371402\"},"
                           "{\"code\":\"371425\",\"v\":2},{\"code\":\"371502\",\"v\":2}]}");
    free(city);
    web_hub_close(h);
    cr_assert_null(web_hub_wait(h, &cur, "", 1000), "a closed hub ends the streams");
    web_hub_destroy(&h);
}

Test(web_hub, a_reader_left_behind_by_the_ring_gets_the_city_again)
{
    web_hub *h = web_hub_new();
    uint64_t cur = WEB_HUB_JOINED;
    free(web_hub_wait(h, &cur, "", 0));
    for (int i = 0; i < WEB_HUB_RING + 5; i++)
        web_hub_put_row(h, "371425", "{}");
    char *t = web_hub_wait(h, &cur, "", 0);
    cr_assert(strncmp(t, "id: ", 4) == 0 && strstr(t, "\nevent: city\n"));
    free(t);
    web_hub_destroy(&h);
}

Test(web_daemon, the_login_answer)
{
    web_session s = { 0 };
    cr_assert_eq(web_daemon_read_login("{\"session\":\"tok\",\"user\":\"li\",\"role\":\"county\",\"scope\":\"371425\","
                                       "\"may_review\":true,\"expires_at\":\"1970-01-01T01:00:00Z\"}", &s), 0);
    cr_assert_str_eq(s.token, "tok");
    cr_assert_str_eq(s.role, "county");
    cr_assert_str_eq(s.scope, "371425");
    cr_assert(s.may_review);
    cr_assert_eq(s.expires_ms, 3600000);
    cr_assert_eq(web_daemon_read_login("{\"session\":\"t\",\"user\":\"a\",\"role\":\"admin\",\"scope\":\"\","
                                       "\"may_review\":false,\"expires_at\":\"1970-01-01T02:00:00.5+01:00\"}", &s), 0);
    cr_assert_eq(s.expires_ms, 3600000);
    cr_assert_eq(web_daemon_read_login("{\"user\":\"a\"}", &s), -1, "no token");
    cr_assert_eq(web_daemon_read_login("not json", &s), -1);
}

Test(web_route, county_plan)
{
    web_route r;
    web_route_parse("/api/county/371425/plan", &r);
    cr_assert_eq(r.kind, WEB_ROUTE_API_COUNTY_PLAN);
    cr_assert_str_eq(r.arg, "371425");
    const char *bad[] = { "/api/county/37142/plan", "/api/county/371425/plans", "/api/county//plan", "/county/371425/plan",
                          "/api/county/371425/plan/", "/plan" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        web_route_parse(bad[i], &r);
        cr_assert_eq(r.kind, WEB_ROUTE_NONE, "%s", bad[i]);
    }
}

/* The row's plan cell: status --city's wording, null without a plan. */
Test(web_row, plan_cell)
{
    watch_row row;
    memset(&row, 0, sizeof row);
    snprintf(row.code, sizeof row.code, "371425");
    const char *cases[][2] = {
        { "{\"plan\":{\"behind_count\":0,\"behind_in_due_year\":false,\"due\":2023}}", "on plan" },
        { "{\"plan\":{\"behind_count\":3,\"behind_in_due_year\":false,\"due\":2025}}", "3 behind" },
        { "{\"plan\":{\"behind_count\":2,\"behind_in_due_year\":true,\"due\":2025}}", "2 behind, DUE 2025" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *status = json_loads(cases[i][0], 0, NULL);
        char *text = web_row_json(&row, status, 0, 0, 0);
        json_t *o = json_loads(text, 0, NULL);
        cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "plan"), "cell")), cases[i][1]);
        json_decref(o);
        json_decref(status);
        free(text);
    }
    char *text = web_row_json(&row, NULL, 0, 0, 0);
    cr_assert_not_null(strstr(text, "\"plan\":null"), "%s", text);
    free(text);
}

/* The language of a browser's login refusal: Chinese or English, whichever
 * the browser prefers; Chinese when it names neither (or nothing). */
Test(web_text, accept_language)
{
    const char *cases[][2] = {
        { "en-US,en;q=0.9", "en" },
        { "zh-CN,zh;q=0.9,en;q=0.8", "zh_CN" },
        { "en;q=0.5, zh-Hans;q=0.7", "zh_CN" },
        { "fr-FR, en-GB;q=0.8", "en" },
        { "EN", "en" },
        { "de, fr;q=0.5", "zh_CN" },
        { "en;q=0, zh;q=0.1", "zh_CN" },
        { "eng", "zh_CN" }, /* not en: a three-letter code */
        { "", "zh_CN" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_str_eq(web_accept_language(cases[i][0]), cases[i][1], "%s", cases[i][0]);
    cr_assert_str_eq(web_accept_language(NULL), "zh_CN", "no header: Chinese");
}
