/* county_bench.c -- the cost of one county update, incremental against a
 * full recompute, on synthetic counties of the national registry
 * (tests/load/synth.h).
 *
 *   county_bench [--schools N] [--ms MS] [--seed S]
 *
 * For a county of N schools (default 70, the national mean; also run with
 * 1000 for a large urban district) it times, each for about MS ms (default
 * 300):
 *   update   county_state_set_school: one school's new revision (O(1))
 *   assess   county_assess: the county from scratch (what an update would
 *            cost without the incremental state)
 *   status   county_state_status: the full status with every section (what a
 *            publication builds before rendering)
 *   render   status_json_render of that status (the publication's text)
 * and prints each in microseconds per call, then one RESULT line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess.h"
#include "county_state.h"
#include "rules_config.h"
#include "status_json.h"
#include "synth.h"

/* CLOCK_MONOTONIC in seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keeps the optimiser from dropping work whose result is unused. */
static volatile size_t sink;

int main(int argc, char **argv)
{
    size_t n = 70;
    double budget = 0.3;
    uint64_t seed = 20250901;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--schools") == 0)
            n = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--ms") == 0)
            budget = strtod(argv[i + 1], NULL) / 1000.0;
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "usage: county_bench [--schools N] [--ms MS] [--seed S]\n");
            return 2;
        }
    }
    if (n < 1 || n > 100000) {
        fprintf(stderr, "county_bench: --schools must be 1..100000\n");
        return 2;
    }
    rules_config rules;
    rules_config_default(&rules);
    /* one county holding all n schools */
    synth *syn = synth_new(seed, 1, n);
    submission *subs = calloc(2 * n, sizeof *subs);
    assess_entry *entries = calloc(n, sizeof *entries);
    county_state *st = syn ? county_state_new(&rules, &syn->counties[0].info) : NULL;
    if (!syn || !subs || !entries || !st) {
        fprintf(stderr, "county_bench: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (synth_submission(syn, i, 2025, 0, &subs[i]) != 0 || synth_submission(syn, i, 2025, 1, &subs[n + i]) != 0 ||
            county_state_set_school(st, &syn->schools[i], &subs[i]) != ASSESS_OK) {
            fprintf(stderr, "county_bench: out of memory\n");
            return 1;
        }
        entries[i] = (assess_entry){ &syn->schools[i], &subs[i] };
    }

    /* update: cycle through the schools, alternating two revisions */
    size_t calls = 0;
    double t0 = now_s(), t;
    do {
        for (int k = 0; k < 64; k++, calls++) {
            size_t i = calls % n, v = (calls / n) % 2;
            county_state_set_school(st, &syn->schools[i], &subs[v * n + i]);
        }
        t = now_s();
    } while (t - t0 < budget);
    double update_us = (t - t0) / (double)calls * 1e6;

    calls = 0;
    t0 = now_s();
    do {
        county_status *cs = county_assess(&rules, &syn->counties[0].info, 2025, entries, n);
        sink += cs ? cs->n_sections : 0;
        county_status_destroy(&cs);
        calls++;
        t = now_s();
    } while (t - t0 < budget);
    double assess_us = (t - t0) / (double)calls * 1e6;

    calls = 0;
    t0 = now_s();
    do {
        county_status *cs = county_state_status(st, 2025);
        sink += cs ? cs->n_sections : 0;
        county_status_destroy(&cs);
        calls++;
        t = now_s();
    } while (t - t0 < budget);
    double status_us = (t - t0) / (double)calls * 1e6;

    county_status *cs = county_state_status(st, 2025);
    size_t json_bytes = 0;
    calls = 0;
    t0 = now_s();
    do {
        char *json = cs ? status_json_render(cs, 1, "bench", "2026-01-01T00:00:00Z") : NULL;
        json_bytes = json ? strlen(json) : 0;
        sink += json_bytes;
        free(json);
        calls++;
        t = now_s();
    } while (t - t0 < budget);
    double render_us = (t - t0) / (double)calls * 1e6;
    county_status_destroy(&cs);

    printf("county of %zu schools:\n", n);
    printf("  incremental update (county_state_set_school)  %10.2f us\n", update_us);
    printf("  full recompute (county_assess)                %10.2f us   (%.0fx the update)\n", assess_us,
           assess_us / update_us);
    printf("  full status (county_state_status)             %10.2f us\n", status_us);
    printf("  status JSON (status_json_render, %zu bytes)   %10.2f us\n", json_bytes, render_us);
    printf("RESULT label=county schools=%zu update_us=%.3f assess_us=%.3f ratio=%.1f status_us=%.3f render_us=%.3f "
           "json_bytes=%zu\n",
           n, update_us, assess_us, assess_us / update_us, status_us, render_us, json_bytes);
    county_state_destroy(&st);
    for (size_t i = 0; i < 2 * n; i++)
        submission_clear(&subs[i]);
    free(subs);
    free(entries);
    synth_destroy(&syn);
    return 0;
}
