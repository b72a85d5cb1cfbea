/* admin_code.h -- the one parser of Chinese administrative division codes
 * (GB/T 2260), as monitors' scopes, status queries, the registry and the
 * client's options name them:
 *
 *   province  NN0000, or just NN        (37, 370000)
 *   city      NNNN00, or just NNNN      (3714, 371400)
 *   county    NNNNNN not ending in 00   (371425)
 *
 * A code is read as its 6-digit form (short forms padded with zeros) and
 * classified by its trailing zeros, so 3700 is province 37 too. Pure. */
#ifndef JUNHENG_ADMIN_CODE_H
#define JUNHENG_ADMIN_CODE_H

#include <stdbool.h>

typedef enum { ADMIN_PROVINCE = 1, ADMIN_CITY = 2, ADMIN_COUNTY = 3 } admin_kind;

typedef struct {
    admin_kind kind;
    char code[7];     /* the 6-digit form: "370000", "371400", "371425" */
    char prefix[7];   /* what the counties inside start with: "37", "3714", "371425" */
} admin_code;

/* Parses 2, 4 or 6 digits into *out. Returns 0, or -1 (not such a code;
 * *out zeroed). */
int admin_code_parse(const char *text, admin_code *out);

/* Whether area inner lies within scope (a county within its city and
 * province, a city within its province, any area within itself). */
bool admin_code_within(const admin_code *inner, const admin_code *scope);

/* Whether the 6-digit county code county lies within scope (a malformed or
 * non-county code never does). */
bool admin_code_has_county(const admin_code *scope, const char *county);

/* The name of a kind: "province", "city", "county". */
const char *admin_kind_name(admin_kind kind);

#endif
