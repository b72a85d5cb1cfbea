/* sys_clock.c -- the clock for validation defaults. See sys_clock.h. */
#include "sys_clock.h"

#include <time.h>

int sys_current_year(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now != (time_t)-1 && localtime_r(&now, &tm))
        return tm.tm_year + 1900;
    return 2025;
}

void validate_limits_default(validate_limits *limits)
{
    validate_limits_for_year(limits, sys_current_year());
}
