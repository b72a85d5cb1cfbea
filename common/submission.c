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

void submission_clear(submission *self)
{
    if (!self)
        return;
    for (int s = 0; s < STAGE_COUNT; s++)
        free(self->stage[s].class_sizes);
    free(self->music_room_areas_m2);
    free(self->art_room_areas_m2);
    memset(self, 0, sizeof *self);
}

static void *dup_array(const void *src, size_t n, size_t size, int *failed)
{
    if (!src || n == 0)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        *failed = 1;
        return NULL;
    }
    memcpy(p, src, n * size);
    return p;
}

int submission_copy(submission *dst, const submission *src)
{
    int failed = 0;
    *dst = *src;
    for (int s = 0; s < STAGE_COUNT; s++)
        dst->stage[s].class_sizes = dup_array(src->stage[s].class_sizes, src->stage[s].n_class_sizes,
                                              sizeof(int64_t), &failed);
    dst->music_room_areas_m2 = dup_array(src->music_room_areas_m2, src->n_music_rooms, sizeof(double), &failed);
    dst->art_room_areas_m2 = dup_array(src->art_room_areas_m2, src->n_art_rooms, sizeof(double), &failed);
    if (failed) {
        submission_clear(dst);
        return -1;
    }
    return 0;
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
