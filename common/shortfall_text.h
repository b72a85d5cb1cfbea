/* shortfall_text.h -- what a school section needs to meet a standard, as the
 * Chinese sentence officials write (需增加体育运动场馆面积 1,137 平方米). The
 * one place that words a shortfall: the officials' CSV tables (参评学校一览),
 * a school's own status (school_result.h) and its page use it. Pure: no I/O. */
#ifndef JUNHENG_SHORTFALL_TEXT_H
#define JUNHENG_SHORTFALL_TEXT_H

#include <stddef.h>

#include "indicators.h"

/* Writes x rounded to a whole number with thousands separators ("2,923",
 * "-1,050") into buf (at least 2 bytes; a longer number is cut). Returns
 * buf. */
const char *shortfall_grouped(double x, char *buf, size_t size);

/* The amount of a shortfall as people read it: `needed` rounded up to a
 * whole unit of the resource (1136.2 m² -> 1137), never below 0. */
double shortfall_whole_amount(double needed);

/* Writes the sentence of what a section still needs of def's resource:
 * "需增加" + the resource's Chinese name + the amount (shortfall_whole_amount,
 * grouped) + its Chinese unit (header_unit_zh), e.g. "需增加体育运动场馆面积 1,137 平方米",
 * "需增加骨干教师 2 人", into buf. Returns buf. */
const char *shortfall_need_zh(const indicator_def *def, double needed, char *buf, size_t size);

#endif
