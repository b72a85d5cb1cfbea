/* indicators.h -- the one table of the seven resource indicators (资源配置).
 *
 * Every part of junheng that names, validates, computes or prints an indicator
 * reads this table: the rules engine, validation, the JSON and text reports.
 * The standards here are the national defaults (docs/rules.md §1); a rules
 * file (rules_config.h) may override them per deployment. */
#ifndef JUNHENG_INDICATORS_H
#define JUNHENG_INDICATORS_H

#include <stdbool.h>

/* The two compulsory stages, always assessed as separate populations. */
typedef enum { STAGE_PRIMARY = 0, STAGE_JUNIOR = 1, STAGE_COUNT = 2 } stage_t;

/* The seven indicators, in the order of docs/rules.md §1. */
typedef enum {
    IND_QUALIFIED_TEACHERS = 0,
    IND_BACKBONE_TEACHERS,
    IND_PE_ART_TEACHERS,
    IND_TEACHING_AREA,
    IND_SPORTS_AREA,
    IND_EQUIPMENT_VALUE,
    IND_MULTIMEDIA_ROOMS,
    IND_COUNT
} indicator_id;

typedef struct {
    indicator_id id;
    const char *key;          /* English id, e.g. "sports_area" */
    const char *name_zh;      /* official Chinese name */
    const char *unit;         /* unit of the per-section value, e.g. "m²/student" */
    const char *resource_unit;/* unit of the underlying resource: "teachers", "m²", "yuan", "rooms" */
    const char *resource_zh;  /* short Chinese name of the resource, for shortfall text */
    double per;               /* 100 for "per 100 students", 1 for "per student" */
    bool school_wide;         /* physical indicator: reported for the whole school and
                                 split between stages by student-equivalent weights */
    bool whole_units;         /* shortfalls rounded up to whole units (teachers, rooms) */
    double standard[STAGE_COUNT]; /* national default standard, primary and junior */
} indicator_def;

/* The table itself; index it with indicator_id. */
extern const indicator_def INDICATORS[IND_COUNT];

/* English stage ids, "primary" and "junior", and their Chinese names. */
extern const char *const STAGE_KEYS[STAGE_COUNT];
extern const char *const STAGE_NAMES_ZH[STAGE_COUNT];

/* Returns the indicator whose key is `key`, or NULL. */
const indicator_def *indicator_by_key(const char *key);

#endif
