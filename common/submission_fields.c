/* submission_fields.c -- the descriptor tables of a submission's data fields,
 * generated from the lists in submission_fields.h, and compile-time checks
 * that every field has the same C type in the model and in protoc-c's
 * structs (proto/junheng.proto). */
#include "submission_fields.h"

#include <protobuf-c/protobuf-c.h>

#include "junheng.pb-c.h"
#include "submission.h"

/* Descriptors of stage_data fields (carried by StageData) and of submission
 * fields (carried by Submission). Written out, not forwarded through a
 * common macro: `lower` expands to two values (see submission_fields.h). */
#define STAGE_SCALAR(name, type, label_zh, unit, lower, max)                                                   \
    { #name, label_zh, type, unit, "", "", lower, max, offsetof(stage_data, name), 0,                           \
      offsetof(Junheng__StageData, name), offsetof(Junheng__StageData, has_##name) },
#define STAGE_LIST(name, type, label_zh, unit, lower, max, item, measure, n_name)                              \
    { #name, label_zh, type, unit, item, measure, lower, max, offsetof(stage_data, name), offsetof(stage_data, n_name), \
      offsetof(Junheng__StageData, name), offsetof(Junheng__StageData, n_##name) },
#define SCHOOL_SCALAR(name, type, label_zh, unit, lower, max)                                                  \
    { #name, label_zh, type, unit, "", "", lower, max, offsetof(submission, name), 0,                           \
      offsetof(Junheng__Submission, name), offsetof(Junheng__Submission, has_##name) },
#define SCHOOL_LIST(name, type, label_zh, unit, lower, max, item, measure, n_name)                             \
    { #name, label_zh, type, unit, item, measure, lower, max, offsetof(submission, name), offsetof(submission, n_name), \
      offsetof(Junheng__Submission, name), offsetof(Junheng__Submission, n_##name) },

const field_desc SUBMISSION_STAGE_DESC[SUBMISSION_STAGE_FIELD_COUNT] = {
    SUBMISSION_STAGE_FIELDS(STAGE_SCALAR, STAGE_LIST)
};

const field_desc SUBMISSION_SCHOOL_DESC[SUBMISSION_SCHOOL_FIELD_COUNT] = {
    SUBMISSION_SCHOOL_FIELDS(SCHOOL_SCALAR, SCHOOL_LIST)
};

/* The message's field has exactly the model's type, and a scalar's has_ flag
 * and a list's n_ count are where field_desc.c expects them. */
#define SCALAR_SAME_TYPE(M, name, type, ...)                                                                   \
    _Static_assert(_Generic(&((M *)0)->name, FIELD_CTYPE(type) *: 1, default: 0), #M "." #name ": type");       \
    _Static_assert(_Generic(&((M *)0)->has_##name, protobuf_c_boolean *: 1, default: 0), #M ".has_" #name);
#define LIST_SAME_TYPE(M, name, type, ...)                                                                     \
    _Static_assert(_Generic(((M *)0)->name, FIELD_CTYPE(type) *: 1, default: 0), #M "." #name ": type");        \
    _Static_assert(_Generic(&((M *)0)->n_##name, size_t *: 1, default: 0), #M ".n_" #name);
#define STAGE_PB_SCALAR(...) SCALAR_SAME_TYPE(Junheng__StageData, __VA_ARGS__)
#define STAGE_PB_LIST(...) LIST_SAME_TYPE(Junheng__StageData, __VA_ARGS__)
#define SCHOOL_PB_SCALAR(...) SCALAR_SAME_TYPE(Junheng__Submission, __VA_ARGS__)
#define SCHOOL_PB_LIST(...) LIST_SAME_TYPE(Junheng__Submission, __VA_ARGS__)
SUBMISSION_STAGE_FIELDS(STAGE_PB_SCALAR, STAGE_PB_LIST)
SUBMISSION_SCHOOL_FIELDS(SCHOOL_PB_SCALAR, SCHOOL_PB_LIST)
