/* header_unit.h -- a column heading with its unit in brackets at the end, as
 * spreadsheets and the templates write it: "体育运动场馆面积（平方米）",
 * "教学仪器设备值(元)", "area (m²)". The readers match the heading without
 * the unit when the whole heading is not a column's. Pure. */
#ifndef JUNHENG_HEADER_UNIT_H
#define JUNHENG_HEADER_UNIT_H

#include <stddef.h>

/* Writes header without its trailing bracketed unit (full-width （…） or
 * ASCII (...), spaces before it dropped) into buf and returns buf; returns
 * NULL when the header does not end in one, when nothing is left before it,
 * or when buf is too small. */
const char *header_without_unit(const char *header, char *buf, size_t size);

#endif
