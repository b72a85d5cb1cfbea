/* store_county.c -- reading the county inputs back at start (the group
 * commit writes them, store_group.c). See store.h. */
#include "store_internal.h"

int store_load_county_inputs(store *self,
                             void (*fn)(void *arg, const char *county_code, int32_t period, int64_t revision,
                                        const uint8_t *payload, size_t len),
                             void *arg)
{
    return store_load_revisions(self,
                                "SELECT county_code, period, revision, payload FROM county_inputs ORDER BY revision",
                                "load county inputs", COUNTY_CODE_LEN, fn, arg);
}
