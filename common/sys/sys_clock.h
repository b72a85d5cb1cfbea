/* sys_clock.h -- what reads the clock, kept out of common/ (which takes the
 * time as an argument). System room (common/sys). */
#ifndef JUNHENG_SYS_CLOCK_H
#define JUNHENG_SYS_CLOCK_H

#include "validate.h"

/* The current calendar year (local time), or 2025 if the clock fails. */
int sys_current_year(void);

/* Fills limits with the defaults: 2015 .. (current calendar year + 1)
 * (validate_limits_for_year with sys_current_year()). */
void validate_limits_default(validate_limits *limits);

#endif
