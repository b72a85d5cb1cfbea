/* submission_fields.h -- THE list of a school submission's data fields: one
 * line per field, from which everything else is generated.
 *
 *   the members of stage_data and submission (submission.h), in this order;
 *   the CSV columns, English and Chinese (submission_csv.c), in this order;
 *   the type and bounds checks of validation (validate.c);
 *   the protobuf mapping to proto/junheng.proto, both ways (wire.c);
 *   the registry's packed revision form (server/revision_pack.c), in this order;
 *   copy, free and compare (submission.c).
 *
 * Adding a field: one line here (at the end of its list, so that the packed
 * form and the column order of older files stay as they are) and the field
 * of the same name in proto/junheng.proto (StageData for a per-stage field,
 * Submission for a whole-school one). Rules between fields ("qualified
 * teachers within teachers") are written in validate.c by hand.
 *
 * The identity columns (submission_id, school_code, period) are not data
 * fields: each has rules of its own and is written out where it is used.
 *
 * The columns of a line are those of field_desc.h; here a per-stage field's
 * name has no "primary_"/"junior_" prefix and its Chinese label no
 * "小学"/"初中": the stage's is put in front. */
#ifndef JUNHENG_SUBMISSION_FIELDS_H
#define JUNHENG_SUBMISSION_FIELDS_H

#include "field_desc.h"

/* The columns of each compulsory stage (StageData): primary_* and junior_*. */
#define SUBMISSION_STAGE_FIELDS(X, L)                                                                            \
    X(students, FIELD_COUNT, "在校生数", "students", FIELD_AT_LEAST(0), FIELD_NO_MAX)                            \
    L(class_sizes, n_class_sizes, FIELD_COUNT_LIST, "各班人数", "students", FIELD_AT_LEAST(1), 150, "class", "") \
    X(teachers, FIELD_COUNT, "专任教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)                          \
    X(qualified_teachers, FIELD_COUNT, "高于规定学历教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)        \
    X(backbone_teachers, FIELD_COUNT, "县级以上骨干教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)         \
    X(pe_art_teachers, FIELD_COUNT, "体育艺术专任教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)           \
    X(new_entrants, FIELD_COUNT, "招生数", "students", FIELD_AT_LEAST(0), FIELD_NO_MAX)                          \
    X(new_entrants_in_zone, FIELD_COUNT, "划片招生数", "students", FIELD_AT_LEAST(0), FIELD_NO_MAX)

/* The whole-school columns (Submission), after the stages. */
#define SUBMISSION_SCHOOL_FIELDS(X, L)                                                                                       \
    X(senior_students, FIELD_COUNT, "高中在校生数", "students", FIELD_AT_LEAST(0), FIELD_NO_MAX)                             \
    X(teaching_area_m2, FIELD_AMOUNT, "教学及辅助用房面积", "m²", FIELD_AT_LEAST(0), FIELD_NO_MAX)                           \
    X(sports_area_m2, FIELD_AMOUNT, "体育运动场馆面积", "m²", FIELD_AT_LEAST(0), FIELD_NO_MAX)                               \
    X(equipment_value_yuan, FIELD_AMOUNT, "教学仪器设备值", "yuan", FIELD_AT_LEAST(0), FIELD_NO_MAX)                         \
    X(multimedia_rooms, FIELD_COUNT, "网络多媒体教室数", "rooms", FIELD_AT_LEAST(0), FIELD_NO_MAX)                           \
    L(music_room_areas_m2, n_music_rooms, FIELD_AMOUNT_LIST, "音乐专用教室面积", "m²", FIELD_ABOVE(0), 1000, "room", "area") \
    L(art_room_areas_m2, n_art_rooms, FIELD_AMOUNT_LIST, "美术专用教室面积", "m²", FIELD_ABOVE(0), 1000, "room", "area")     \
    X(certified_teachers, FIELD_COUNT, "持证专任教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)                        \
    X(trained_teachers, FIELD_COUNT, "完成五年360学时培训教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)               \
    X(exchange_eligible_teachers, FIELD_COUNT, "符合交流条件教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)            \
    X(exchanged_teachers, FIELD_COUNT, "交流轮岗教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)                        \
    X(exchanged_backbone_teachers, FIELD_COUNT, "交流骨干教师数", "teachers", FIELD_AT_LEAST(0), FIELD_NO_MAX)               \
    X(public_funds_yuan, FIELD_AMOUNT, "年度公用经费预算", "yuan", FIELD_AT_LEAST(0), FIELD_NO_MAX)                          \
    X(training_spend_yuan, FIELD_AMOUNT, "教师培训经费", "yuan", FIELD_AT_LEAST(0), FIELD_NO_MAX)

enum {
    SUBMISSION_STAGE_FIELD_COUNT = FIELD_TALLY(SUBMISSION_STAGE_FIELDS),
    SUBMISSION_SCHOOL_FIELD_COUNT = FIELD_TALLY(SUBMISSION_SCHOOL_FIELDS),
};

/* The descriptors (submission_fields.c), in list order: of stage_data's
 * fields and of submission's whole-school fields. */
extern const field_desc SUBMISSION_STAGE_DESC[SUBMISSION_STAGE_FIELD_COUNT];
extern const field_desc SUBMISSION_SCHOOL_DESC[SUBMISSION_SCHOOL_FIELD_COUNT];

#endif
