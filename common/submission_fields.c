/* submission_fields.c -- the descriptor arrays of a submission's data fields,
 * generated from the lists in submission_fields.h. */
#include "submission_fields.h"

#include "submission.h"

#define FIELD_RECORD stage_data
const field_desc SUBMISSION_STAGE_DESC[SUBMISSION_STAGE_FIELD_COUNT] = {
    SUBMISSION_STAGE_FIELDS(FIELD_DESC_SCALAR, FIELD_DESC_LIST)
};
#undef FIELD_RECORD

#define FIELD_RECORD submission
const field_desc SUBMISSION_SCHOOL_DESC[SUBMISSION_SCHOOL_FIELD_COUNT] = {
    SUBMISSION_SCHOOL_FIELDS(FIELD_DESC_SCALAR, FIELD_DESC_LIST)
};
#undef FIELD_RECORD
