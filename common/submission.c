/* submission.c -- the submission and registry model. See submission.h. */
#include "submission.h"

#include <stdlib.h>
#include <string.h>

const char *const SCHOOL_KIND_KEYS[KIND_COUNT] = {
    "primary", "junior", "nine_year", "twelve_year", "complete_secondary", "teaching_point", "special"
};
const char *const SCHOOL_KIND_NAMES_ZH[KIND_COUNT] = {
    "小学", "初中", "九年一贯制学校", "十二年一贯制学校", "完全中学", "教学点", "特殊教育学校"
};
const char *const LOCATION_KEYS[LOCATION_COUNT] = { "urban", "town", "rural" };

/* Frees the lists of one stage / of the whole-school fields. */
static void stage_lists_free(stage_data *rec)
{
    SUBMISSION_STAGE_FIELDS(FIELD_NONE, FIELD_FREE_LIST)
}

static void school_lists_free(submission *rec)
{
    SUBMISSION_SCHOOL_FIELDS(FIELD_NONE, FIELD_FREE_LIST)
}

/* See submission.h. */
void submission_clear(submission *self)
{
    if (!self)
        return;
    for (int s = 0; s < STAGE_COUNT; s++)
        stage_lists_free(&self->stage[s]);
    school_lists_free(self);
    memset(self, 0, sizeof *self);
}

/* Gives rec (a shallow copy of src) copies of src's lists; sets *oom when
 * out of memory. */
static void stage_lists_dup(stage_data *rec, const stage_data *src, int *oom)
{
    SUBMISSION_STAGE_FIELDS(FIELD_NONE, FIELD_DUP_LIST)
}

static void school_lists_dup(submission *rec, const submission *src, int *oom)
{
    SUBMISSION_SCHOOL_FIELDS(FIELD_NONE, FIELD_DUP_LIST)
}

/* See submission.h. dst owns the copied arrays. */
int submission_copy(submission *dst, const submission *src)
{
    int oom = 0;
    *dst = *src;
    for (int s = 0; s < STAGE_COUNT; s++)
        stage_lists_dup(&dst->stage[s], &src->stage[s], &oom);
    school_lists_dup(dst, src, &oom);
    if (oom) {
        submission_clear(dst);
        return -1;
    }
    return 0;
}

/* See submission.h. */
bool submission_equal(const submission *a, const submission *b)
{
    if (strcmp(a->submission_id, b->submission_id) != 0 || strcmp(a->school_code, b->school_code) != 0 ||
        a->period != b->period)
        return false;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (a->stage[s].present != b->stage[s].present ||
            !field_all_equal(SUBMISSION_STAGE_DESC, SUBMISSION_STAGE_FIELD_COUNT, &a->stage[s], &b->stage[s]))
            return false;
    return field_all_equal(SUBMISSION_SCHOOL_DESC, SUBMISSION_SCHOOL_FIELD_COUNT, a, b);
}

int64_t submission_compulsory_students(const submission *self)
{
    int64_t n = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (self->stage[s].present)
            n += self->stage[s].students;
    return n;
}

int school_kind_parse(const char *key)
{
    for (int k = 0; key && k < KIND_COUNT; k++)
        if (strcmp(SCHOOL_KIND_KEYS[k], key) == 0)
            return k;
    return -1;
}

int school_location_parse(const char *key)
{
    for (int k = 0; key && k < LOCATION_COUNT; k++)
        if (strcmp(LOCATION_KEYS[k], key) == 0)
            return k;
    return -1;
}

bool school_kind_has_stage(school_kind kind, stage_t stage)
{
    switch (kind) {
    case KIND_PRIMARY:
    case KIND_TEACHING_POINT:
        return stage == STAGE_PRIMARY;
    case KIND_JUNIOR:
    case KIND_COMPLETE_SECONDARY:
        return stage == STAGE_JUNIOR;
    case KIND_NINE_YEAR:
    case KIND_TWELVE_YEAR:
    case KIND_SPECIAL:
        return true;
    default:
        return false;
    }
}

bool school_kind_has_senior(school_kind kind)
{
    return kind == KIND_TWELVE_YEAR || kind == KIND_COMPLETE_SECONDARY;
}

bool code_is_digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}
