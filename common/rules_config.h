/* rules_config.h -- every threshold, weight and limit the rules engine uses
 * (docs/rules.md, "The rules file": the §1 standards and §2-§6 numbers), read
 * from a rules file such as deploy/rules/national-2017.conf.
 *
 * File format: common/kv_text.h's `key value` lines (`#` starts a comment
 * anywhere outside a quoted value; a repeated key is an error); each value is
 * one word.  The file starts from the
 * national defaults of rules_config_default(), so a province may override
 * only what differs, but it must name its `version` (every published status
 * carries it).  An unknown key, a repeated key or a malformed value is an
 * error naming the key and the line.  docs/rules.md documents every key.
 *
 * Pure: no globals and no I/O; reading the file is rules_config_load()
 * (common/sys/rules_file.h). */
#ifndef JUNHENG_RULES_CONFIG_H
#define JUNHENG_RULES_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indicators.h"

#define RULES_VERSION_MAX 64
#define RULES_TOP_CONTRIBUTORS_MAX 20

/* Error codes of this module (negative; 0 is success). */
enum {
    RULES_OK = 0,
    RULES_EIO = -1,      /* the file could not be read */
    RULES_ESYNTAX = -2,  /* a line is not `key value` */
    RULES_EKEY = -3,     /* unknown or repeated key */
    RULES_EVALUE = -4,   /* a value is not a number or out of its range */
    RULES_EMISSING = -5, /* a required key (version) is missing */
    RULES_ENOMEM = -6
};

/* The formula choices of the whole verdict (docs/rules.md, "Whole verdict"). */
typedef enum {
    RETENTION_NET_MOBILITY = 0,   /* G / (A + I − O − D) */
    RETENTION_RAW,                /* G / A */
    RETENTION_IN_OUT,             /* G / (A + I − O) */
    RETENTION_GRADUATES_ADJUSTED, /* (G − I + O) / (A − D) */
    RETENTION_FORMULA_COUNT
} retention_formula;
typedef enum { QUALITY_RULE_LEVEL = 0, QUALITY_RULE_SHARE, QUALITY_RULE_COUNT } quality_rule;
typedef enum { RECOGNITION_POOLED = 0, RECOGNITION_GROUP_MEAN, RECOGNITION_EVERY_GROUP, RECOGNITION_METHOD_COUNT } recognition_method;
typedef enum { SMALL_SCHOOL_SCOPE_ALL = 0, SMALL_SCHOOL_SCOPE_RURAL, SMALL_SCHOOL_SCOPE_COUNT } small_school_scope;

/* The names of the choices as the rules file writes them, indexed by the enums above. */
extern const char *const RETENTION_FORMULA_KEYS[RETENTION_FORMULA_COUNT];   /* "net_mobility", ... */
extern const char *const QUALITY_RULE_KEYS[QUALITY_RULE_COUNT];             /* "level", "share" */
extern const char *const RECOGNITION_METHOD_KEYS[RECOGNITION_METHOD_COUNT]; /* "pooled", ... */
extern const char *const SMALL_SCHOOL_SCOPE_KEYS[SMALL_SCHOOL_SCOPE_COUNT]; /* "all", "rural" */

/* A veto a province adds to the six national ones (key veto.extra.N). */
#define RULES_EXTRA_VETO_MAX 4
typedef struct {
    char number[8];       /* "5.7": 5.N with N ≥ 7 */
    char key[48];         /* English id, [a-z0-9_] */
    char name_zh[128];    /* Chinese name */
} rules_extra_veto;

/* The three student-equivalent weights of docs/rules.md §3. */
typedef enum { WEIGHT_PRIMARY = 0, WEIGHT_JUNIOR = 1, WEIGHT_SENIOR = 2, WEIGHT_COUNT = 3 } weight_id;

typedef struct {
    char version[RULES_VERSION_MAX];           /* e.g. "national-2017" */
    double standard[IND_COUNT][STAGE_COUNT];   /* §1 standards, index by indicator_id, stage_t */
    double cv_limit[STAGE_COUNT];              /* §5: 0.50 primary, 0.45 junior */
    int min_met;                               /* §4: 6 of the 7 indicators */
    double floor_ratio;                        /* §4: every miss ≥ 85 % of its standard */
    int64_t teaching_point_min_students;       /* §2: 50 */
    double weight[WEIGHT_COUNT];               /* §3: 1.0, 1.1, 1.32 */
    int top_contributors;                      /* §5: how many contributors to list (5) */
    double music_room_min_area_m2;             /* §6 music_art_rooms: 96 */
    double art_room_min_area_m2;               /* §6 music_art_rooms: 90 */
    int64_t classes_per_room;                  /* §6 music_art_rooms: one room per 12 classes */
    int64_t class_size_max[STAGE_COUNT];       /* §6 class_size: 45, 50 */
    int64_t school_scale_max_single;           /* §6 school_scale: primary/junior/complete secondary 2000 */
    int64_t school_scale_max_through;          /* §6 school_scale: nine-year/twelve-year 2500 */
    double certification_min_ratio;            /* §6 teacher_certification: 1.0 */
    double training_min_ratio;                 /* §6 teacher_training: 1.0 */
    double exchange_min_ratio;                 /* §6 teacher_exchange: 0.10 of eligible */
    double exchange_backbone_min_ratio;        /* §6 teacher_exchange: 0.20 of exchanged */
    double nearby_min_ratio[STAGE_COUNT];      /* §6 nearby_enrolment: 1.00, 0.95 */
    double training_budget_min_ratio;          /* §6 training_budget: 0.05 */
    double equality_tolerance;                 /* §1: relative difference counted as equal, 1e-9 */
    /* the whole verdict: items 2.2–4.1 (docs/rules.md, "Whole verdict") */
    double benchmark_min_yuan[STAGE_COUNT];    /* 2.2 per-student public-funds benchmark minimum: 0 (none) */
    int small_school_scope;                    /* 2.6 small_school_scope: all */
    int64_t small_school_students;             /* 2.6 fewer than this many students, funded as this many: 100 */
    double special_education_min_yuan;         /* 2.7 public funds per special-education student: 6000 */
    double teacher_pay_min_ratio;              /* 2.8 teacher ÷ civil-servant average pay: 1.0 */
    double senior_high_places_min_ratio;       /* 2.14 allocated ÷ plan: 0.50 */
    double migrant_min_ratio;                  /* 2.15 (public + purchased) ÷ eligible: 0.85 */
    int retention_formula;                     /* 3.1 retention_formula: net_mobility */
    double retention_min_rate;                 /* 3.1: 0.95 */
    double disabled_enrolment_min_rate;        /* 3.2: 0.95 */
    int quality_rule;                          /* 3.9 quality_rule: level */
    int quality_min_level;                     /* 3.9 level rule: every subject at least level 3 (Ⅲ) */
    double quality_share_min;                  /* 3.9 share rule: share at level Ⅲ or above ≥ 0.85 */
    double quality_max_difference_rate;        /* 3.9 every difference rate strictly below 0.15 */
    int recognition_method;                    /* 4.1 recognition_method: pooled */
    double recognition_min_rate;               /* 4.1: 0.85 */
    rules_extra_veto extra_veto[RULES_EXTRA_VETO_MAX]; /* province vetoes after 5.6, none nationally */
    int n_extra_vetoes;
} rules_config;

/* Fills self with the national-2017 defaults (the same values as
 * deploy/rules/national-2017.conf), version "national-2017". */
void rules_config_default(rules_config *self);

/* Parses rules text (the content of a rules file) on top of the defaults.
 * On success returns RULES_OK and fills self; on failure returns an error
 * code, leaves self untouched and writes the reason (naming the key and the
 * line) into err (may be NULL). */
int rules_config_parse(rules_config *self, const char *text, char *err, size_t errsize);

/* Whether a ≥ b, a value equal to b up to the relative equality tolerance
 * counting as equal (docs/rules.md §1: 21 teachers / 500 students meets 4.2). */
bool rules_at_least(const rules_config *self, double a, double b);

/* Whether a ≤ b, with the same tolerance (coefficient limits). */
bool rules_at_most(const rules_config *self, double a, double b);

/* Whether a < b strictly: a value equal to b up to the tolerance is not
 * below it (3.9's difference rate: 0.15 fails a limit of 0.15). */
bool rules_below(const rules_config *self, double a, double b);

/* Whether part / whole ≥ ratio with the tolerance; whole ≤ 0 counts as met
 * (nothing is required of an empty base). */
bool rules_ratio_at_least(const rules_config *self, double part, double whole, double ratio);

#endif
