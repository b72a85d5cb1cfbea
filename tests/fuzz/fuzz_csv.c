/* fuzz_csv.c -- libFuzzer target: every text file people hand to junheng.
 * The same bytes are read as a school submission file (encoding detection,
 * quoting, headers in English or Chinese, typed cells), as a school registry
 * (with the optional public_key column), as a county list, and as a CURVE
 * key file. Never crashes, never leaks (ASan/UBSan).
 *
 *   fuzz_csv -max_total_time=20 CORPUS_DIR tests/fuzz/corpus/csv */
#include <stdint.h>
#include <stdlib.h>

#include "keys.h"
#include "problems.h"
#include "submission_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    problem_list errors = { 0 };
    submission_file *f = NULL;
    if (submission_file_read(text, size, &f, &errors) == 0)
        submission_file_destroy(&f);
    problem_list_clear(&errors);

    school_info *schools = NULL;
    size_t n = 0;
    registry_schools_read(text, size, &schools, &n, &errors);
    free(schools);
    problem_list_clear(&errors);

    county_info *counties = NULL;
    registry_counties_read(text, size, &counties, &n, &errors);
    free(counties);
    problem_list_clear(&errors);

    keypair kp;
    char err[256];
    keyfile_parse(text, size, &kp, err, sizeof err);
    return 0;
}
