/* admin_code.c -- administrative division codes. See admin_code.h. */
#include "admin_code.h"

#include <string.h>

/* See admin_code.h. */
int admin_code_parse(const char *text, admin_code *out)
{
    memset(out, 0, sizeof *out);
    size_t n = text ? strlen(text) : 0;
    if (n != 2 && n != 4 && n != 6)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (text[i] < '0' || text[i] > '9')
            return -1;
    memcpy(out->code, "000000", 7);
    memcpy(out->code, text, n);
    size_t keep = strcmp(out->code + 2, "0000") == 0 ? 2 : strcmp(out->code + 4, "00") == 0 ? 4 : 6;
    out->kind = keep == 2 ? ADMIN_PROVINCE : keep == 4 ? ADMIN_CITY : ADMIN_COUNTY;
    memcpy(out->prefix, out->code, keep);
    out->prefix[keep] = '\0';
    return 0;
}

/* See admin_code.h. */
bool admin_code_within(const admin_code *inner, const admin_code *scope)
{
    return inner->kind >= scope->kind && strncmp(inner->prefix, scope->prefix, strlen(scope->prefix)) == 0;
}

/* See admin_code.h. */
bool admin_code_has_county(const admin_code *scope, const char *county)
{
    admin_code c;
    return admin_code_parse(county, &c) == 0 && strlen(county) == 6 && c.kind == ADMIN_COUNTY &&
           admin_code_within(&c, scope);
}

/* See admin_code.h. */
const char *admin_kind_name(admin_kind kind)
{
    return kind == ADMIN_PROVINCE ? "province" : kind == ADMIN_CITY ? "city" : kind == ADMIN_COUNTY ? "county" : "?";
}
