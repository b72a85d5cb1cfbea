/* synth.h -- a deterministic synthetic national registry for the load
 * generator and the benchmark: counties grouped in provinces and cities,
 * schools of every kind with realistic sizes, and one valid submission per
 * (school, period, variant).
 *
 * Everything follows from the seed: the same seed gives the same counties,
 * schools and submissions on every run (splitmix64, integer arithmetic for
 * what is written).  Shares of kinds follow the national statistics of the
 * 2020s (primary schools about half, teaching points a quarter, the rest
 * junior, nine-year, complete secondary, twelve-year and special schools).
 *
 * Ownership: synth_new() returns a registry the caller frees with
 * synth_destroy(); submissions from synth_submission() own their arrays and
 * are freed with submission_clear(). */
#ifndef JUNHENG_LOAD_SYNTH_H
#define JUNHENG_LOAD_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "submission.h"

typedef struct {
    county_info info;
    size_t first_school;   /* index of its first school in synth.schools */
    size_t n_schools;
} synth_county;

typedef struct {
    uint64_t seed;
    synth_county *counties;
    size_t n_counties;
    school_info *schools;  /* grouped by county, in county order */
    size_t *school_county; /* county index of each school */
    size_t n_schools;
} synth;

/* Builds n_schools schools over n_counties counties (n_counties <= 9000).
 * County sizes vary (a few large urban districts, many small rural
 * counties) and add up to n_schools exactly. Returns NULL when out of memory
 * or when the sizes are impossible (n_schools < n_counties). */
synth *synth_new(uint64_t seed, size_t n_counties, size_t n_schools);

/* Frees the registry and sets *p to NULL. */
void synth_destroy(synth **p);

/* Fills *out with a valid submission of school `school` for `period`;
 * `variant` changes the numbers a little (a later revision). The
 * submission_id is left empty. Returns 0, or -1 when out of memory (*out is
 * then zeroed). */
int synth_submission(const synth *self, size_t school, int32_t period, int variant, submission *out);

/* Writes the county list CSV (county_code,name) to f. Returns 0 or -1. */
int synth_write_counties(const synth *self, FILE *f);

/* Writes the schools of counties [first, first + n) as a registry CSV with
 * its header to f. Returns 0 or -1. */
int synth_write_schools(const synth *self, size_t first_county, size_t n_counties, FILE *f);

#endif
