/* submission.h -- the in-memory model of a school's submission and of a
 * registry entry, shared by the CSV reader, validation, the wire codec, the
 * daemon's store and the rules engine.
 *
 * The data fields of a stage and of the whole school are generated from the
 * table in submission_fields.h.
 *
 * Ownership: a submission owns its list arrays (class sizes, room areas);
 * free them with submission_clear().  Everything else is plain values. */
#ifndef JUNHENG_SUBMISSION_H
#define JUNHENG_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indicators.h"
#include "submission_fields.h"

#define SCHOOL_CODE_LEN 10
#define COUNTY_CODE_LEN 6
#define SUBMISSION_ID_LEN 36

/* One stage's columns (prefix primary_ or junior_): the members generated from
 * SUBMISSION_STAGE_FIELDS (submission_fields.h), in its order -- students,
 * class_sizes and n_class_sizes (owned), teachers, qualified_teachers,
 * backbone_teachers, pe_art_teachers, new_entrants, new_entrants_in_zone.
 * `present` is false when the school left every column of the stage blank
 * (it has no such stage). */
typedef struct {
    bool present;
    SUBMISSION_STAGE_FIELDS(FIELD_SCALAR_MEMBER, FIELD_LIST_MEMBER)
} stage_data;

/* One row of the submission CSV == one Submission message: the identity
 * columns, the stages, then the members generated from
 * SUBMISSION_SCHOOL_FIELDS (submission_fields.h), in its order --
 * senior_students, teaching_area_m2, sports_area_m2, equipment_value_yuan,
 * multimedia_rooms, music_room_areas_m2 and n_music_rooms (owned),
 * art_room_areas_m2 and n_art_rooms (owned), certified_teachers,
 * trained_teachers, exchange_eligible_teachers, exchanged_teachers,
 * exchanged_backbone_teachers, public_funds_yuan, training_spend_yuan. */
typedef struct {
    char submission_id[SUBMISSION_ID_LEN + 1];  /* lower-case UUID text, "" if none yet */
    char school_code[SCHOOL_CODE_LEN + 1]; /* as given; validation checks the form */
    int32_t period;                         /* school year by its starting year */
    stage_data stage[STAGE_COUNT];
    SUBMISSION_SCHOOL_FIELDS(FIELD_SCALAR_MEMBER, FIELD_LIST_MEMBER)
} submission;

/* Frees the arrays a submission owns and zeroes it. Safe on a zeroed struct. */
void submission_clear(submission *self);

/* Deep-copies src into dst (dst is overwritten, not cleared first).
 * Returns 0, or -1 when out of memory (dst is then zeroed). */
int submission_copy(submission *dst, const submission *src);

/* Whether a and b hold the same submission: identity, stage presence and
 * every data field (doubles and list elements by their bits). */
bool submission_equal(const submission *a, const submission *b);

/* Total compulsory-stage students (primary + junior). */
int64_t submission_compulsory_students(const submission *self);

/* School kinds of the registry (办学类型). */
typedef enum {
    KIND_PRIMARY = 0,
    KIND_JUNIOR,
    KIND_NINE_YEAR,
    KIND_TWELVE_YEAR,
    KIND_COMPLETE_SECONDARY,
    KIND_TEACHING_POINT,
    KIND_SPECIAL,
    KIND_COUNT
} school_kind;

typedef enum { LOCATION_URBAN = 0, LOCATION_TOWN, LOCATION_RURAL, LOCATION_COUNT } school_location;

extern const char *const SCHOOL_KIND_KEYS[KIND_COUNT];     /* "primary", "nine_year", ... */
extern const char *const SCHOOL_KIND_NAMES_ZH[KIND_COUNT]; /* "小学", "九年一贯制学校", ... */
extern const char *const LOCATION_KEYS[LOCATION_COUNT];    /* "urban", "town", "rural" */

/* Parses a kind / location key; returns the value or -1. */
int school_kind_parse(const char *key);
int school_location_parse(const char *key);

/* Whether a school of `kind` may report stage `stage`. */
bool school_kind_has_stage(school_kind kind, stage_t stage);
/* Whether a school of `kind` may report senior_students. */
bool school_kind_has_senior(school_kind kind);

/* One registry row (学校名册). */
typedef struct {
    char school_code[SCHOOL_CODE_LEN + 1];
    char name[256];                        /* UTF-8 */
    char county_code[COUNTY_CODE_LEN + 1];
    school_kind kind;
    school_location location;
    bool is_public;
    bool boarding;
    bool active;
    char public_key[40 + 1];               /* the school's CURVE key (Z85) from the registry CSV's optional
                                              public_key column, "" when none; read at import only */
} school_info;

/* One county name row. */
typedef struct {
    char code[COUNTY_CODE_LEN + 1];
    char name[128];
} county_info;

/* Whether s is exactly n ASCII digits. */
bool code_is_digits(const char *s, size_t n);

#endif
