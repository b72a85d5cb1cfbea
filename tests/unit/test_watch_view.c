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
#include "i18n_init.h"

/* Switches this test's messages to Chinese (the build tree's catalogue);
 * returns what i18n_restore() needs to switch back. */
static locale_t in_chinese(void)
{
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    locale_t prev = i18n_use("zh_CN");
    cr_assert_neq(prev, (locale_t)0, "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
    return prev;
}

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
    cr_assert(strstr(flip, "371402 德城区 verdict pending → pass"), "%s", flip);
    locale_t prev = in_chinese();
    watch_view_flip(flip, sizeof flip, r, 0);
    i18n_restore(prev);
    cr_assert(strstr(flip, "371402 德城区 结论变化 待定 → 达标"), "in Chinese under zh_CN: %s", flip);
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

/* The line of text that holds needle (a new string, caller frees), escapes
 * left out; NULL when none does. */
static char *line_with(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    if (!hit)
        return NULL;
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    char *out = malloc(n + 1), *o = out;
    cr_assert_not_null(out);
    for (const char *p = start; p < start + n; p++) {
        if (*p == '\033') { /* ESC [ parameters letter */
            p++;
            if (p < start + n && *p == '[')
                p++;
            while (p < start + n && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                p++;
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/* The terminal column where needle starts in the line text. */
static int column_of(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    cr_assert_not_null(hit, "'%s' not in '%s'", needle, text);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%.*s", (int)(hit - text), text);
    return watch_text_width(prefix);
}

/* The heading in the client's language, English under C, Chinese under
 * zh_CN, its columns over the rows' cells in both (Chinese characters are
 * two columns wide), in both layouts. */
Test(watch_view, heading_in_one_language_aligned)
{
    char *a = status(1, "fail", 9, 6, 0.612);
    watch_state *ws = live(a);
    for (int zh = 0; zh < 2; zh++) {
        for (int cols = 100; cols <= 160; cols += 60) {
            locale_t prev = zh ? in_chinese() : (locale_t)0;
            char *text = draw(ws, cols, true);
            if (zh)
                i18n_restore(prev);
            const char *verdict = zh ? "结论" : "verdict", *coverage = zh ? "填报" : "coverage";
            const char *units = zh ? "达/总" : "ok/all";
            char *head = line_with(text, verdict), *under = line_with(text, units), *row = line_with(text, "未达标 1✗");
            cr_assert(head && under && row, "%s", text);
            cr_assert_null(strstr(head, zh ? "verdict" : "结论"), "one language: %s", head);
            cr_assert_null(strstr(under, zh ? "ok/all" : "达/总"), "one language: %s", under);
            cr_assert_eq(column_of(head, verdict), column_of(row, "未达标"), "%s\n%s", head, row);
            cr_assert_eq(column_of(head, coverage), column_of(row, "9/10"), "%s\n%s", head, row);
            cr_assert_eq(column_of(head, zh ? "小学" : "primary"), column_of(row, "6/8"), "%s\n%s", head, row);
            cr_assert_eq(column_of(under, units), column_of(row, "6/8"), "%s\n%s", under, row);
            cr_assert_leq(widest(text), cols, "%d columns", widest(text));
            free(head);
            free(under);
            free(row);
            free(text);
        }
    }
    watch_state_destroy(&ws);
    free(a);
}
