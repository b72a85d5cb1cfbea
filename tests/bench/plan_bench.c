/* plan_bench.c -- how long `junheng plan`'s planner (common/rectify.h) takes
 * for one synthetic county of 100 and of 1,000 schools (tests/load/synth.h:
 * every kind of school, realistic sizes), with the national rules and the
 * default costs: the time of plan_solve_county() (median of a few runs), the
 * rounds, and the plan's cost beside the lower bound and the naive plan.
 *
 *   build/tests/plan_bench [RUNS]      (docs/benchmarks.md, docs/plan.md) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rectify.h"
#include "synth.h"

/* Seconds on the monotonic clock. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Plans one county of n schools `runs` times; prints one line. 0 or -1. */
static int bench_county(size_t n, int runs)
{
    synth *s = synth_new(20261206, 1, n);
    if (!s)
        return -1;
    submission *subs = calloc(n, sizeof *subs);
    assess_entry *e = calloc(n, sizeof *e);
    double *times = calloc((size_t)runs, sizeof *times);
    int rc = subs && e && times ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = synth_submission(s, i, 2025, 0, &subs[i]);
        e[i] = (assess_entry){ &s->schools[i], &subs[i] };
    }
    rules_config rules;
    rules_config_default(&rules);
    plan_costs costs;
    plan_costs_default(&costs);
    plan_request req = { &rules, &costs, &s->counties[0].info, 2025, e, n, 0, 0 };
    plan_result *res = NULL;
    for (int r = 0; rc == 0 && r < runs; r++) {
        plan_result_destroy(&res);
        double t0 = now_s();
        rc = plan_solve_county(&req, &res) == PLAN_OK ? 0 : -1;
        times[r] = now_s() - t0;
    }
    if (rc == 0) {
        qsort(times, (size_t)runs, sizeof *times, cmp_double);
        printf("plan %5zu schools: %8.1f ms (median of %d)  outcome %d  rounds %d  sections %lld/%lld  "
               "cost %.0f  lower bound %.0f  naive %.0f\n",
               n, times[runs / 2] * 1000, runs, (int)res->outcome, res->rounds, (long long)res->sections_passing,
               (long long)res->sections_assessed, res->cost, res->lower_bound, res->naive_cost);
    }
    plan_result_destroy(&res);
    for (size_t i = 0; subs && i < n; i++)
        submission_clear(&subs[i]);
    free(subs);
    free(e);
    free(times);
    synth_destroy(&s);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 3;
    if (runs < 1)
        runs = 1;
    if (bench_county(100, runs) != 0 || bench_county(1000, runs) != 0) {
        fprintf(stderr, "plan_bench: failed\n");
        return 1;
    }
    return 0;
}
