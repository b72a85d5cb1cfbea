/* test_web_hub.c -- the gateway's fan-out under many readers (client/web/
 * web_hub.c): frames shared by every stream, taken in bounded batches, a
 * reader the ring leaves behind resynced on its own and counted, many
 * threads reading while the feed writes (every event, in order, once),
 * parked streams woken by their scope only; and the status skim
 * (web_skim.c) that halves the subscription's parsing. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_hub.h"
#include "web_skim.h"

/* The ids of the "county" frames in text, in order, appended to ids[*n]. */
static void frame_ids(const char *text, uint64_t *ids, size_t *n, size_t cap)
{
    for (const char *p = text; (p = strstr(p, "id: ")) != NULL; p += 4) {
        cr_assert_lt(*n, cap);
        ids[(*n)++] = strtoull(p + 4, NULL, 10);
    }
}

Test(web_hub, a_long_backlog_comes_in_batches_without_a_resync)
{
    web_hub *h = web_hub_new();
    uint64_t cur = WEB_HUB_JOINED;
    free(web_hub_wait(h, &cur, "", 0));
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(web_hub_put_row(h, "371425", "{\"code\":\"371425\"}"), 0);
    uint64_t ids[1100];
    size_t n = 0;
    for (int calls = 0; calls < 10 && n < 1000; calls++) {
        char *t = web_hub_wait(h, &cur, "", 0);
        cr_assert_not_null(t);
        cr_assert_null(strstr(t, "event: city"), "a backlog within the ring is sent, not resynced");
        frame_ids(t, ids, &n, 1100);
        free(t);
    }
    cr_assert_eq(n, 1000);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ids[i], i + 1, "every event once, in order");
    web_hub_stats st;
    web_hub_get_stats(h, &st);
    cr_assert_eq(st.events, 1000);
    cr_assert_eq(st.resyncs, 0);
    web_hub_destroy(&h);
}

Test(web_hub, a_reader_left_behind_is_resynced_and_counted_the_others_are_not)
{
    web_hub *h = web_hub_new();
    uint64_t slow = WEB_HUB_JOINED, quick = WEB_HUB_JOINED;
    free(web_hub_wait(h, &slow, "", 0));
    free(web_hub_wait(h, &quick, "", 0));
    for (int i = 0; i < WEB_HUB_RING + 10; i++) {
        web_hub_put_row(h, "371425", "{\"code\":\"371425\"}");
        if (i % 100 == 99) /* the quick reader keeps up */
            free(web_hub_wait(h, &quick, "", 0));
    }
    char *t = web_hub_wait(h, &quick, "", 0);
    cr_assert_null(strstr(t, "event: city"), "the reader that kept up is not resynced");
    free(t);
    t = web_hub_wait(h, &slow, "", 0);
    cr_assert(strstr(t, "event: city") && strstr(t, "\"counties\":[{\"code\":\"371425\"}]"),
              "the slow reader gets every row again");
    free(t);
    web_hub_stats st;
    web_hub_get_stats(h, &st);
    cr_assert_eq(st.resyncs, 1);
    web_hub_destroy(&h);
}

typedef struct {
    web_hub *hub;
    const char *scope;
    int want;           /* county events to read */
    int got, resyncs;
    bool in_order;
} reader_arg;

/* A stream's thread: reads until it has seen `want` county events. */
static void *reader(void *p)
{
    reader_arg *a = p;
    uint64_t cur = WEB_HUB_JOINED, last = 0;
    a->in_order = true;
    free(web_hub_wait(a->hub, &cur, a->scope, 0));
    web_hub_reader_count(a->hub, 1); /* joined: the writer may start */
    for (int idle = 0; a->got < a->want && idle < 5;) {
        char *t = web_hub_wait(a->hub, &cur, a->scope, 2000);
        if (!t)
            break;
        idle = *t ? 0 : idle + 1;
        a->resyncs += strstr(t, "event: city") != NULL;
        for (const char *q = t; (q = strstr(q, "id: ")) != NULL; q += 4) {
            uint64_t id = strtoull(q + 4, NULL, 10);
            a->in_order = a->in_order && id > last;
            last = id;
            if (strncmp(strchr(q, '\n') + 1, "event: county", 13) == 0)
                a->got++;
        }
        free(t);
    }
    return NULL;
}

Test(web_hub, many_readers_while_the_feed_writes_see_every_event_of_their_scope)
{
    enum { READERS = 16, EVENTS = 2000 };
    web_hub *h = web_hub_new();
    pthread_t th[READERS];
    reader_arg args[READERS];
    for (int i = 0; i < READERS; i++) {
        args[i] = (reader_arg){ .hub = h, .scope = i % 2 ? "3714" : "", .want = i % 2 ? EVENTS / 2 : EVENTS };
        pthread_create(&th[i], NULL, reader, &args[i]);
    }
    while (web_hub_readers(h) < READERS) /* every reader has joined */
        sched_yield();
    char row[64];
    for (int i = 0; i < EVENTS; i++) { /* half in 3714, half in 3715 */
        const char *code = i % 2 ? "371425" : "371502";
        snprintf(row, sizeof row, "{\"code\":\"%s\",\"n\":%d}", code, i);
        cr_assert_eq(web_hub_put_row(h, code, row), 0);
    }
    for (int i = 0; i < READERS; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(args[i].resyncs, 0, "reader %d: a ring of %d holds the whole run", i, WEB_HUB_RING);
        cr_assert(args[i].in_order, "reader %d: ids in order", i);
        cr_assert_eq(args[i].got, args[i].want, "reader %d: every event of its scope", i);
    }
    web_hub_close(h);
    web_hub_destroy(&h);
}

/* A parked stream's wake-up: counts calls. */
static void count_wake(void *arg)
{
    (*(int *)arg)++;
}

Test(web_hub, a_parked_stream_is_woken_by_its_scope_only_and_not_resynced_for_others)
{
    web_hub *h = web_hub_new();
    int woken = 0;
    web_hub_waiter w = { .wake = count_wake, .arg = &woken };
    uint64_t cur = WEB_HUB_JOINED;
    char *t = web_hub_poll(h, &cur, "3714", &w);
    cr_assert(strstr(t, "event: city"), "a joiner gets the city at once, not parked");
    free(t);
    cr_assert_not(w.parked);
    t = web_hub_poll(h, &cur, "3714", &w);
    cr_assert_str_eq(t, "");
    free(t);
    cr_assert(w.parked, "nothing to send: parked");
    for (int i = 0; i < WEB_HUB_RING + 10; i++) /* another city's events: not woken, never left behind */
        web_hub_put_row(h, "371502", "{\"code\":\"371502\"}");
    cr_assert_eq(woken, 0);
    web_hub_put_row(h, "371425", "{\"code\":\"371425\"}");
    web_hub_put_row(h, "371426", "{\"code\":\"371426\"}");
    cr_assert_eq(woken, 1, "woken once by its scope's event, unparked");
    t = web_hub_poll(h, &cur, "3714", &w);
    cr_assert(strstr(t, "event: county") && strstr(t, "371425") && strstr(t, "371426") && !strstr(t, "event: city"),
              "its events, no resync: %s", t);
    free(t);
    t = web_hub_poll(h, &cur, "3714", &w);
    free(t);
    web_hub_wake_all(h);
    cr_assert_eq(woken, 2, "the keep-alive tick wakes it");
    t = web_hub_poll(h, &cur, "3714", &w);
    free(t);
    web_hub_unpark(h, &w);
    cr_assert_not(w.parked);
    t = web_hub_poll(h, &cur, "3714", &w);
    free(t);
    web_hub_close(h);
    cr_assert_eq(woken, 3, "closing wakes it");
    cr_assert_null(web_hub_poll(h, &cur, "3714", &w), "then its stream ends");
    web_hub_stats st;
    web_hub_get_stats(h, &st);
    cr_assert_eq(st.resyncs, 0);
    cr_assert_eq(st.parked, 0);
    web_hub_destroy(&h);
}

Test(web_skim, members_left_out_at_any_depth_the_rest_as_it_was)
{
    static const char *const drop[] = { "facts", "sections", NULL };
    char *t = web_skim_json(" {\"a\": 1, \"facts\": [1, {\"x\": \"}\"}], \"items\": [{\"number\": \"1.1\", "
                            "\"facts\": {\"q\": [\"a\\\"b\"]}, \"s\": \"facts\"}, {\"facts\": null}], "
                            "\"sections\": {}, \"z\": [true, false, null, -1.5e3, \"\\u4e2d\"]} ", drop);
    cr_assert_str_eq(t, "{\"a\":1,\"items\":[{\"number\":\"1.1\",\"s\":\"facts\"},{}],"
                        "\"z\":[true,false,null,-1.5e3,\"\\u4e2d\"]}");
    free(t);
    t = web_skim_json("{\"facts\": 1}", drop);
    cr_assert_str_eq(t, "{}", "the only member left out");
    free(t);
    cr_assert_null(web_skim_json("{\"a\": [1, 2}", drop), "not JSON: parsed as it is by the caller");
    cr_assert_null(web_skim_json("{\"a\": \"open}", drop));
    cr_assert_null(web_skim_json("{} x", drop));
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 99);
    deep[199] = '\0';
    cr_assert_null(web_skim_json(deep, drop), "nested deeper than the reader goes");
}

Test(web_skim, a_status_keeps_what_a_row_reads)
{
    char *t = web_skim_status("{\"county\": {\"code\": \"371425\"}, \"coverage\": {\"schools_submitted\": 3}, "
                              "\"stages\": {\"primary\": {\"indicators\": [1]}}, \"sections\": [1, 2], "
                              "\"guarantee\": [], \"items\": [{\"number\": \"1.1\", \"outcome\": \"fail\", "
                              "\"inputs\": {}, \"facts\": [], \"failing\": [\"1\"]}], \"plan\": null}",
                              NULL);
    cr_assert_str_eq(t, "{\"county\":{\"code\":\"371425\"},\"coverage\":{\"schools_submitted\":3},"
                        "\"stages\":{\"primary\":{\"indicators\":[1]}},\"items\":[{\"number\":\"1.1\","
                        "\"outcome\":\"fail\",\"failing\":[\"1\"]}],\"plan\":null}");
    free(t);
}
