/* memory_bench.c -- where the daemon's memory goes with a national
 * registry: builds the daemon's own in-memory structures (server/state/registry.c
 * and server/state/county_book.c, compiled in) from the synthetic registry of
 * tests/load/synth.h, step by step, and prints the resident memory each step
 * adds, in MB and in bytes per school.
 *
 *   memory_bench [--schools N] [--counties N] [--periods P]
 *
 * Steps: the registry rows; each school's newest revision for P periods
 * (default 1); the county states of every (county, period). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "assess_school.h"
#include "county_book.h"
#include "county_state.h"
#include "county_state_entry.h"
#include "registry.h"
#include "synth.h"

/* Resident memory of this process, in bytes (/proc/self/statm). */
static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* Monotonic time in seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double step_start;

/* Prints one step: what it added, and how long it took since the last. */
static void step(const char *what, size_t *last, size_t schools)
{
    size_t now = rss_bytes();
    double added = (double)(now - *last), t = now_s();
    printf("  %-44s %8.1f MB  %7.0f bytes/school  %6.0f ms\n", what, added / 1048576.0, added / (double)schools,
           (t - step_start) * 1000.0);
    *last = now;
    step_start = t;
}

int main(int argc, char **argv)
{
    size_t schools = 200000, counties = 2850, periods = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        size_t *dst = strcmp(argv[i], "--schools") == 0    ? &schools
                      : strcmp(argv[i], "--counties") == 0 ? &counties
                      : strcmp(argv[i], "--periods") == 0  ? &periods
                                                           : NULL;
        if (!dst) {
            fprintf(stderr, "usage: memory_bench [--schools N] [--counties N] [--periods P]\n");
            return 2;
        }
        *dst = (size_t)strtoul(argv[i + 1], NULL, 10);
    }
    synth *syn = synth_new(20250901, counties, schools);
    registry *reg = registry_new();
    if (!syn || !reg || periods < 1 || periods > 10) {
        fprintf(stderr, "memory_bench: bad sizes or out of memory\n");
        return 1;
    }
    printf("%zu schools, %zu counties, %zu period(s); sizeof school_info %zu, submission %zu, school_eval %zu, "
           "held school (cs_entry) %zu + %zu a section + its name\n",
           schools, counties, periods, sizeof(school_info), sizeof(submission), sizeof(school_eval), sizeof(cs_entry),
           sizeof(cs_section));
    size_t start = rss_bytes(), last = start;
    step_start = now_s();
    for (size_t c = 0; c < syn->n_counties; c++)
        if (registry_put_county(reg, &syn->counties[c].info) != 0)
            return 1;
    for (size_t i = 0; i < syn->n_schools; i++)
        if (registry_put_school(reg, &syn->schools[i]) != 0)
            return 1;
    step("registry rows (registry_put_school)", &last, schools);
    int64_t revision = 0;
    for (size_t p = 0; p < periods; p++)
        for (size_t i = 0; i < syn->n_schools; i++) {
            submission sub;
            if (synth_submission(syn, i, (int32_t)(2025 - p), 0, &sub) != 0)
                return 1;
            school_record *rec = registry_school(reg, syn->schools[i].school_code);
            if (!rec || school_record_set_latest(rec, (int32_t)(2025 - p), ++revision, &sub) < 0)
                return 1;
            submission_clear(&sub);
        }
    step("newest revisions (school_record_set_latest)", &last, schools);
    rules_config rules;
    rules_config_default(&rules);
    county_book *book = county_book_new(&rules, reg);
    if (!book || county_book_load(book) != 0)
        return 1;
    step("county states (county_book_load)", &last, schools);
    printf("  %-44s %8.1f MB  %7.0f bytes/school\n", "total", (double)(last - start) / 1048576.0,
           (double)(last - start) / (double)schools);
    printf("RESULT label=memory schools=%zu periods=%zu total_mb=%.1f\n", schools, periods,
           (double)(last - start) / 1048576.0);
    county_book_destroy(&book);
    registry_destroy(&reg);
    synth_destroy(&syn);
    return 0;
}
