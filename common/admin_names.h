/* admin_names.h -- the Chinese names of provinces and cities (地市) by their
 * administrative division code (GB/T 2260), for titles: a report about
 * 3714 says 德州市. The registry holds counties only (a county's row has its
 * own name; a city has no row), so the names of the areas above a county
 * come from this built-in table: every province-level division, and the
 * prefecture-level cities of Shandong. A code not in the table has no name
 * (the caller shows the code). Pure. */
#ifndef JUNHENG_ADMIN_NAMES_H
#define JUNHENG_ADMIN_NAMES_H

#include "admin_code.h"

/* The name of a province or city ("山东省", "德州市"), or NULL when the table
 * does not know it. For a county code: its city's name (the county's own
 * name is the registry's). Static storage. */
const char *admin_area_name(const admin_code *area);

#endif
