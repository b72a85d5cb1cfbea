/* header_match.h -- forgiving recognition of a column heading, shared by the
 * readers of submissions, the registry and county inputs: a unit in brackets
 * after the heading ("体育运动场馆面积（平方米）") and, for a heading that is
 * not known, the nearest known one to suggest. No I/O. */
#ifndef JUNHENG_HEADER_MATCH_H
#define JUNHENG_HEADER_MATCH_H

#include <stddef.h>

/* Splits a heading that ends with a bracketed group -- （…）, (…), 【…】 or
 * […] -- into the heading before it (base, trimmed) and the group's text
 * (unit, trimmed). Returns 1 when split, 0 when the heading has no such
 * group (base is then the heading, unit ""). Either output is cut to its
 * size. */
int header_unit_split(const char *heading, char *base, size_t base_size, char *unit, size_t unit_size);

/* The heading without its trailing bracketed unit (header_unit_split) in
 * buf, returned; NULL when it has none, nothing is left before it, or buf
 * is too small. */
const char *header_without_unit(const char *heading, char *buf, size_t size);

/* Whether unit_text (from header_unit_split) names field_unit, the unit of
 * a field's values in the field tables ("m²", "yuan", "students",
 * "teachers", "rooms"): 0 when it does ("平方米", "㎡", "m2", "元", "人",
 * "间" ...), -1 when it does not, with why saying so in Chinese and English
 * ("单位“万元”与本列不符，本列以元填写；the unit 万元 is not this column's
 * (yuan)"). */
int header_unit_check(const char *field_unit, const char *unit_text, char *why, size_t why_size);

/* The Chinese name of a field unit ("m²" -> "平方米"), or the unit itself. */
const char *header_unit_zh(const char *field_unit);

/* The known name (of names[0..n-1]; NULL entries skipped) nearest to
 * heading by edit distance over characters (not bytes), when it is near
 * enough to be a likely typo or variant: at most a third of the longer
 * name's characters differ (at least 1, at most 4), and it is the only one
 * that near. NULL otherwise. The pointer is one of names. */
const char *header_nearest(const char *heading, const char *const *names, size_t n);

#endif
