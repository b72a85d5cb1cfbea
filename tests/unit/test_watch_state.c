/* test_watch_state.c -- the monitor's state machine (client/watch_state.c)
 * without sockets: snapshot then exact-next application per county, drops of
 * what the snapshot covers, gaps seen in updates and in heartbeats, epoch
 * changes and stale epochs, heartbeat silence, scope, periods, and a seeded
 * random run of a lossy channel that must always converge to the truth.
 *
 * The client's sources are not a library: the one file under test is
 * compiled in here. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../client/watch_state.c"

/* A status object as the daemon renders it (the fields the monitor reads). */
static char *status_text(const char *code, uint64_t seq, int period, bool pass)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    fprintf(f,
            "{\"county\":{\"code\":\"%s\",\"name\":\"测试县%s\",\"city_code\":\"%.4s00\"},\"period\":\"%d\","
            "\"seq\":%llu,\"epoch\":\"E\",\"computed_at\":\"2026-01-01T00:00:00Z\","
            "\"coverage\":{\"schools_registered\":10,\"schools_submitted\":%d,\"missing\":[]},"
            "\"stages\":{\"primary\":{\"applicable\":true,\"sections_assessed\":8,\"sections_passing\":%d,"
            "\"pass\":%s,\"indicators\":[{\"id\":\"sports_area\",\"cv\":0.61,\"cv_limit\":0.5,\"cv_ok\":false},"
            "{\"id\":\"teaching_area\",\"cv\":0.2,\"cv_limit\":0.5,\"cv_ok\":true}]},"
            "\"junior\":{\"applicable\":false}},\"resource_allocation_pass\":%s}",
            code, code + 4, code, period, (unsigned long long)seq, (int)(seq % 10), pass ? 8 : 7,
            pass ? "true" : "false", pass ? "true" : "false");
    fclose(f);
    return s;
}

/* A snapshot answer: counties (code, seq) with a status each. */
static char *snapshot_text(const char *epoch, const char *const *codes, const uint64_t *seqs, size_t n)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    fprintf(f, "{\"prefix\":\"3714\",\"period\":0,\"epoch\":\"%s\",\"seqs\":{", epoch);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\"%s\":%llu", i ? "," : "", codes[i], (unsigned long long)seqs[i]);
    fprintf(f, "},\"counties\":[");
    for (size_t i = 0; i < n; i++) {
        char *st = status_text(codes[i], seqs[i], 2025, false);
        fprintf(f, "%s%s", i ? "," : "", st);
        free(st);
    }
    fprintf(f, "]}");
    fclose(f);
    return s;
}

static int changes;
static uint64_t last_change_seq;

static void count_change(void *arg, const watch_row *row, json_t *status, const char *text)
{
    (void)arg;
    (void)status;
    (void)text;
    changes++;
    last_change_seq = row->seq;
}

static const char *CODES[] = { "371402", "371403" };

/* A live state over city 3714 with two counties at seqs 5 and 2, epoch E1. */
static watch_state *live_state(void)
{
    watch_state *ws = watch_state_new("3714", 0);
    cr_assert_not_null(ws);
    changes = 0;
    watch_state_on_change(ws, count_change, NULL);
    cr_assert_eq(watch_state_phase(ws), WATCH_CONNECTING);
    watch_state_subscribed(ws);
    cr_assert_eq(watch_state_phase(ws), WATCH_SYNCING);
    uint64_t seqs[] = { 5, 2 };
    char *snap = snapshot_text("E1", CODES, seqs, 2);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, snap, 1000, err, sizeof err), 0, "%s", err);
    free(snap);
    cr_assert_eq(watch_state_phase(ws), WATCH_LIVE);
    cr_assert_eq(changes, 2, "the snapshot shows both counties");
    return ws;
}

static watch_result update(watch_state *ws, const char *code, const char *epoch, uint64_t seq, int64_t now)
{
    char *st = status_text(code, seq, 2025, seq % 2 == 0);
    watch_result r = watch_state_update(ws, code, epoch, seq, 2025, st, now);
    free(st);
    return r;
}

Test(watch_state, applies_exact_next_and_drops_what_the_snapshot_covers)
{
    watch_state *ws = live_state();
    cr_assert_eq(update(ws, "371402", "E1", 4, 1100), WATCH_IGNORED, "queued before the snapshot");
    cr_assert_eq(update(ws, "371402", "E1", 5, 1100), WATCH_IGNORED, "covered by the snapshot");
    cr_assert_eq(update(ws, "371402", "E1", 6, 1100), WATCH_APPLIED);
    cr_assert_eq(update(ws, "371402", "E1", 6, 1100), WATCH_IGNORED, "a duplicate");
    cr_assert_eq(update(ws, "371403", "E1", 3, 1100), WATCH_APPLIED, "sequences are per county");
    cr_assert_eq(watch_state_find(ws, "371402")->seq, 6);
    cr_assert(watch_state_find(ws, "371402")->pass, "the new state is shown");
    cr_assert_eq(watch_state_counters(ws)->updates_applied, 2);
    cr_assert_eq(watch_state_counters(ws)->updates_dropped, 3);
    cr_assert_eq(changes, 4);
    cr_assert_str_eq(watch_state_find(ws, "371402")->name, "测试县02");
    watch_state_destroy(&ws);
    cr_assert_null(ws);
}

Test(watch_state, a_gap_asks_for_a_snapshot_and_waits_for_it)
{
    watch_state *ws = live_state();
    cr_assert_eq(update(ws, "371402", "E1", 8, 1100), WATCH_RESYNC);
    cr_assert_eq(watch_state_phase(ws), WATCH_SYNCING);
    cr_assert(strstr(watch_state_reason(ws), "gap in 371402: expected seq 6, got 8"), "%s", watch_state_reason(ws));
    cr_assert_eq(update(ws, "371402", "E1", 9, 1100), WATCH_IGNORED, "nothing applies while syncing");
    uint64_t seqs[] = { 9, 2 };
    char *snap = snapshot_text("E1", CODES, seqs, 2);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, snap, 1200, err, sizeof err), 0);
    free(snap);
    cr_assert_eq(update(ws, "371402", "E1", 9, 1300), WATCH_IGNORED);
    cr_assert_eq(update(ws, "371402", "E1", 10, 1300), WATCH_APPLIED);
    cr_assert_eq(watch_state_counters(ws)->gaps, 1);
    cr_assert_eq(watch_state_counters(ws)->resyncs, 1);
    watch_state_destroy(&ws);
}

Test(watch_state, heartbeats_reveal_lost_publications)
{
    watch_state *ws = live_state();
    const char *codes[] = { "371402", "371403", "371502" };
    uint64_t same[] = { 5, 2, 99 };
    cr_assert_eq(watch_state_heartbeat(ws, "371400", "E1", codes, same, 2, 1500), WATCH_IGNORED);
    uint64_t behind[] = { 4, 2 };
    cr_assert_eq(watch_state_heartbeat(ws, "371400", "E1", codes, behind, 2, 1500), WATCH_IGNORED,
                 "a heartbeat sent before the snapshot");
    cr_assert_eq(watch_state_heartbeat(ws, "371500", "E1", codes + 2, same + 2, 1, 1500), WATCH_IGNORED,
                 "another city");
    uint64_t ahead[] = { 5, 3 };
    cr_assert_eq(watch_state_heartbeat(ws, "371400", "E1", codes, ahead, 2, 1600), WATCH_RESYNC);
    cr_assert(strstr(watch_state_reason(ws), "371403"), "%s", watch_state_reason(ws));
    cr_assert_eq(watch_state_counters(ws)->gaps, 1);
    watch_state_destroy(&ws);
}

Test(watch_state, silence_is_never_taken_for_nothing_changed)
{
    watch_state *ws = live_state();
    const char *codes[] = { "371402", "371403" };
    uint64_t seqs[] = { 5, 2 };
    cr_assert_eq(watch_state_tick(ws, 3900), WATCH_IGNORED);
    watch_state_heartbeat(ws, "371400", "E1", codes, seqs, 2, 3900);
    cr_assert_eq(watch_state_tick(ws, 6800), WATCH_IGNORED, "2.9 s after the last heartbeat");
    cr_assert_eq(watch_state_heartbeat_age(ws, 6800), 2900);
    cr_assert_eq(watch_state_tick(ws, 7000), WATCH_RESYNC, "3.1 s");
    cr_assert(strstr(watch_state_reason(ws), "no heartbeat from 371400"), "%s", watch_state_reason(ws));
    watch_state_destroy(&ws);
}

Test(watch_state, a_new_epoch_resyncs_and_the_old_one_is_left_behind)
{
    watch_state *ws = live_state();
    cr_assert_eq(update(ws, "371402", "E2", 1, 1100), WATCH_RESYNC, "the daemon restarted");
    cr_assert(strstr(watch_state_reason(ws), "epoch"), "%s", watch_state_reason(ws));
    uint64_t seqs[] = { 1, 0 };
    char *snap = snapshot_text("E2", CODES, seqs, 2);
    char err[128];
    changes = 0;
    cr_assert_eq(watch_state_snapshot(ws, snap, 1200, err, sizeof err), 0);
    free(snap);
    cr_assert_eq(changes, 2, "every county is shown again after a restart");
    cr_assert_eq(watch_state_find(ws, "371402")->seq, 1, "sequences restart");
    cr_assert_str_eq(watch_state_epoch(ws), "E2");
    cr_assert_eq(update(ws, "371402", "E1", 6, 1300), WATCH_IGNORED, "still queued from the old daemon");
    const char *codes[] = { "371402" };
    uint64_t old[] = { 6 };
    cr_assert_eq(watch_state_heartbeat(ws, "371400", "E1", codes, old, 1, 1300), WATCH_IGNORED);
    cr_assert_eq(update(ws, "371402", "E2", 2, 1300), WATCH_APPLIED);
    watch_state_destroy(&ws);
}

Test(watch_state, resync_shows_only_what_changed)
{
    watch_state *ws = live_state();
    watch_state_resync(ws, "test");
    uint64_t seqs[] = { 7, 2 };
    char *snap = snapshot_text("E1", CODES, seqs, 2);
    char err[128];
    changes = 0;
    cr_assert_eq(watch_state_snapshot(ws, snap, 1200, err, sizeof err), 0);
    free(snap);
    cr_assert_eq(changes, 1, "371403 did not change");
    cr_assert_eq(last_change_seq, 7);
    cr_assert_eq(watch_state_find(ws, "371402")->changed_ms, 1200);
    cr_assert_eq(watch_state_find(ws, "371403")->changed_ms, 0, "unchanged since the monitor started");
    watch_state_destroy(&ws);
}

Test(watch_state, one_county_scope_and_new_counties)
{
    watch_state *ws = watch_state_new("371402", 0);
    watch_state_subscribed(ws);
    const char *one[] = { "371402" };
    uint64_t seqs[] = { 3 };
    char *snap = snapshot_text("E1", one, seqs, 1);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, snap, 0, err, sizeof err), 0);
    free(snap);
    cr_assert_eq(update(ws, "371403", "E1", 9, 10), WATCH_IGNORED, "out of scope");
    const char *codes[] = { "371402", "371403" };
    uint64_t hb[] = { 3, 9 };
    cr_assert_eq(watch_state_heartbeat(ws, "371400", "E1", codes, hb, 2, 10), WATCH_IGNORED,
                 "the city heartbeat, read for one county only");
    cr_assert_eq(watch_state_count(ws), 1);
    watch_state_destroy(&ws);

    ws = live_state();
    cr_assert_eq(update(ws, "371404", "E1", 1, 1100), WATCH_APPLIED, "a county registered later: seq 1 is next");
    cr_assert_eq(watch_state_count(ws), 3);
    cr_assert_eq(update(ws, "371405", "E1", 2, 1100), WATCH_RESYNC, "its first publication was lost");
    watch_state_destroy(&ws);
}

Test(watch_state, other_periods_move_the_sequence_not_the_view)
{
    watch_state *ws = watch_state_new("3714", 2025);
    watch_state_subscribed(ws);
    uint64_t seqs[] = { 5, 2 };
    char *snap = snapshot_text("E1", CODES, seqs, 2);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, snap, 0, err, sizeof err), 0);
    free(snap);
    char *st = status_text("371402", 6, 2024, true);
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 6, 2024, st, 10), WATCH_IGNORED);
    free(st);
    cr_assert_eq(watch_state_find(ws, "371402")->seq, 6);
    cr_assert_eq(watch_state_find(ws, "371402")->period, 2025);
    cr_assert_eq(update(ws, "371402", "E1", 7, 10), WATCH_APPLIED);
    watch_state_destroy(&ws);
}

Test(watch_state, bad_snapshots_and_statuses)
{
    watch_state *ws = watch_state_new("3714", 0);
    watch_state_subscribed(ws);
    char err[128];
    cr_assert_eq(watch_state_snapshot(ws, "not json", 0, err, sizeof err), -1);
    cr_assert_eq(watch_state_snapshot(ws, "{\"prefix\":\"3714\",\"counties\":[]}", 0, err, sizeof err), -1,
                 "a status --city answer without epoch and seqs");
    cr_assert_eq(watch_state_phase(ws), WATCH_SYNCING);
    cr_assert_eq(watch_state_snapshot(ws, "{\"epoch\":\"E\",\"seqs\":{},\"counties\":[]}", 0, err, sizeof err), 0);
    cr_assert_eq(watch_state_tick(ws, 3500), WATCH_RESYNC, "nothing in scope: ask again");
    cr_assert_null(watch_state_new("1234567", 0));
    watch_state_destroy(&ws);
    ws = live_state();
    cr_assert_eq(watch_state_update(ws, "371402", "E1", 6, 2025, "{broken", 10), WATCH_RESYNC);
    watch_state_destroy(&ws);
}

/* splitmix64 */
static uint64_t rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

Test(watch_state, a_lossy_channel_always_converges)
{
    for (uint64_t seed = 1; seed <= 50; seed++) {
        uint64_t s = seed;
        uint64_t truth[2] = { 0, 0 };
        watch_state *ws = watch_state_new("3714", 0);
        watch_state_subscribed(ws);
        int64_t now = 0;
        int undetected = 0;
        for (int step = 0; step < 400; step++) {
            now += 50;
            if (watch_state_phase(ws) == WATCH_SYNCING && rng(&s) % 3 == 0) {
                char *snap = snapshot_text("E1", CODES, truth, 2);
                char err[128];
                cr_assert_eq(watch_state_snapshot(ws, snap, now, err, sizeof err), 0);
                free(snap);
            }
            int c = (int)(rng(&s) % 2);
            truth[c]++;
            bool lost = rng(&s) % 10 == 0;
            if (!lost)
                update(ws, CODES[c], "E1", truth[c], now);
            if (step % 20 == 19) {
                watch_state_heartbeat(ws, "371400", "E1", CODES, truth, 2, now);
                if (watch_state_phase(ws) == WATCH_LIVE)
                    for (int k = 0; k < 2; k++)
                        undetected += watch_state_find(ws, CODES[k])->seq != truth[k];
            }
        }
        cr_assert_eq(undetected, 0, "seed %llu: a heartbeat left a loss unnoticed", (unsigned long long)seed);
        char *snap = snapshot_text("E1", CODES, truth, 2);
        char err[128];
        if (watch_state_phase(ws) == WATCH_SYNCING)
            watch_state_snapshot(ws, snap, now, err, sizeof err);
        free(snap);
        watch_state_heartbeat(ws, "371400", "E1", CODES, truth, 2, now);
        if (watch_state_phase(ws) == WATCH_SYNCING) {
            snap = snapshot_text("E1", CODES, truth, 2);
            watch_state_snapshot(ws, snap, now, err, sizeof err);
            free(snap);
        }
        for (int k = 0; k < 2; k++)
            cr_assert_eq(watch_state_find(ws, CODES[k])->seq, truth[k], "seed %llu", (unsigned long long)seed);
        watch_state_destroy(&ws);
    }
}
