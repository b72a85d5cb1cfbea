/* test_watch_view.c -- what `junheng watch` shows (client/watch_view.c,
 * with the state machine client/watch_state.c): an identical republication
 * is not shown as a change, the cells a change touched and a verdict flip
 * are recorded, the table fits a 100-column terminal, and rows are greyed
 * while the monitor resyncs.
 *
 * The client's sources are not a library: the files under test are
 * compiled in here. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../client/watch_state.c"
#include "../../client/watch_view.c"

/* A status with a whole verdict: coverage submitted/10, primary sections
 * passing/8 and the sports_area coefficient cv. */
static char *status(uint64_t seq, const char *verdict, int submitted, int passing, double cv)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    fprintf(f,
            "{\"county\":{\"code\":\"371402\",\"name\":\"德城区\",\"city_code\":\"371400\"},\"period\":\"2025\","
            "\"seq\":%llu,\"epoch\":\"E1\",\"computed_at\":\"2026-01-01T00:00:0%dZ\",\"verdict\":\"%s\","
            "\"items_summary\":{\"passing\":20,\"failing\":%d,\"not_applicable\":2,\"pending\":%d,"
            "\"vetoes_present\":0,\"vetoes_pending\":0},"
            "\"coverage\":{\"schools_registered\":10,\"schools_submitted\":%d,\"missing\":[]},"
            "\"stages\":{\"primary\":{\"applicable\":true,\"sections_assessed\":8,\"sections_passing\":%d,"
            "\"pass\":false,\"indicators\":[{\"id\":\"sports_area\",\"cv\":%.3f,\"cv_limit\":0.5,\"cv_ok\":%s}]},"
            "\"junior\":{\"applicable\":false}},\"resource_allocation_pass\":false}",
            (unsigned long long)seq, (int)(seq % 10), verdict, strcmp(verdict, "fail") == 0, strcmp(verdict, "pending") == 0,
            submitted, passing, cv, cv <= 0.5 ? "true" : "false");
    fclose(f);
    return s;
}

/* A live state over county 371402 at seq 1 (a snapshot holding st1). */
static watch_state *live(const char *st1)
{
    watch_state *ws = watch_state_new("371402", 0);
    watch_state_subscribed(ws);
    char *snap = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&snap, &n);
    fprintf(f, "{\"prefix\":\"371402\",\"period\":0,\"epoch\":\"E1\",\"seqs\":{\"371402\":1},\"counties\":[%s]}", st1);
    fclose(f);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, snap, 100, err, sizeof err), 0, "%s", err);
    free(snap);
    return ws;
}

Test(watch_view, identical_republication_is_not_a_change)
{
    char *a = status(1, "pending", 9, 6, 0.61), *b = status(2, "pending", 9, 6, 0.61);
    watch_state *ws = live(a);
    const watch_row *r = watch_state_find(ws, "371402");
    int64_t first = r->changed_ms;
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 2, 2025, b, 5000), WATCH_APPLIED);
    cr_assert_not(r->visible_change, "the same data sent again");
    cr_assert_eq(r->changed_ms, first, "not shown as changed");
    cr_assert_eq(r->seq, 2, "the sequence still moves on");
    watch_state_destroy(&ws);
    free(a);
    free(b);
}

Test(watch_view, changed_cells_and_verdict_flip)
{
    char *a = status(1, "pending", 9, 6, 0.61), *b = status(2, "pending", 10, 6, 0.61),
         *c = status(3, "pass", 10, 8, 0.45);
    watch_state *ws = live(a);
    const watch_row *r = watch_state_find(ws, "371402");
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 2, 2025, b, 5000), WATCH_APPLIED);
    cr_assert(r->visible_change);
    cr_assert_eq(r->changed_ms, 5000);
    cr_assert_eq(r->changed_cells, WATCH_CELL_COVERAGE, "only the coverage moved: %x", r->changed_cells);
    cr_assert_eq(r->verdict_flip_ms, 0);
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 3, 2025, c, 6000), WATCH_APPLIED);
    cr_assert_eq(r->changed_cells, WATCH_CELL_VERDICT | WATCH_CELL_PRIMARY_COUNT | WATCH_CELL_PRIMARY_CV);
    cr_assert_eq(r->verdict_flip_ms, 6000);
    cr_assert_str_eq(r->prev_verdict, "pending");
    char flip[256];
    watch_view_flip(flip, sizeof flip, r, 0);
    cr_assert(strstr(flip, "371402 德城区 结论变化 verdict 待定 → 达标 (pending → pass)"), "%s", flip);
    watch_state_destroy(&ws);
    free(a);
    free(b);
    free(c);
}

/* The widest line of a drawing, in terminal columns, escapes left out. */
static int widest(const char *text)
{
    int best = 0;
    char buf[2048];
    const char *p = text;
    while (*p) {
        size_t o = 0;
        while (*p && *p != '\n') {
            if (*p == '\033') {
                p++;
                if (*p == '[')
                    p++;
                while (*p && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                    p++;
                if (*p)
                    p++;
                continue;
            }
            if (o + 1 < sizeof buf)
                buf[o++] = *p;
            p++;
        }
        buf[o] = '\0';
        int w = watch_text_width(buf);
        best = w > best ? w : best;
        if (*p)
            p++;
    }
    return best;
}

/* Draws the table of ws into a new string (caller frees). */
static char *draw(watch_state *ws, int cols, bool color)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    watch_view_info info = { .scope = "county 371402", .endpoint = "tcp://127.0.0.1:7402", .rows = 30, .cols = cols,
                             .color = color, .mono_ms = 5100, .wall_ms = 0, .last_lag_ms = -1, .last_code = "" };
    watch_view_table(f, ws, &info);
    fclose(f);
    return out;
}

Test(watch_view, fits_a_100_column_terminal)
{
    char *a = status(1, "fail", 9, 6, 0.612);
    watch_state *ws = live(a);
    char *wide = draw(ws, 160, false), *narrow = draw(ws, 100, false);
    cr_assert(strstr(wide, "sports_area 0.612> 0.50"), "the wide layout names the indicator");
    cr_assert(strstr(narrow, "0.612> 0.50"), "the narrow one keeps the coefficient");
    cr_assert_not(strstr(narrow, "sports_area"));
    cr_assert_leq(widest(narrow), 100, "%d columns", widest(narrow));
    cr_assert(strstr(narrow, "未达标 1✗ 0?"), "%s", narrow);
    free(wide);
    free(narrow);
    watch_state_destroy(&ws);
    free(a);
}

Test(watch_view, greyed_while_resyncing_and_changes_marked)
{
    char *a = status(1, "pending", 9, 6, 0.61), *b = status(2, "pending", 10, 6, 0.61);
    watch_state *ws = live(a);
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 2, 2025, b, 5000), WATCH_APPLIED);
    char *plain = draw(ws, 100, false);
    cr_assert(strstr(plain, "10/10*"), "the changed coverage is starred without colours: %s", plain);
    free(plain);
    char *colored = draw(ws, 100, true);
    cr_assert(strstr(colored, C_REVERSE "10/10"), "and in reverse video with them");
    free(colored);
    watch_state_resync(ws, "test");
    char *grey = draw(ws, 100, true);
    cr_assert(strstr(grey, C_DIM "德城区"), "rows are dim while resyncing");
    cr_assert_not(strstr(grey, C_REVERSE "10/10"));
    free(grey);
    watch_state_destroy(&ws);
    free(a);
    free(b);
}
