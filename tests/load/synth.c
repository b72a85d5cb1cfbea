/* synth.c -- the synthetic national registry and its submissions. See
 * synth.h. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The 31 provincial-level divisions of the mainland, by code. */
static const int PROVINCES[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65 };
#define N_PROVINCES (sizeof PROVINCES / sizeof PROVINCES[0])
#define COUNTIES_PER_CITY 12

/* ---- randomness: splitmix64, one stream per purpose ------------------------ */

typedef struct {
    uint64_t s;
} rng;

/* The stream's next 64 random bits. */
static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A stream keyed by the seed and up to three numbers. */
static rng rng_for(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    rng r = { seed ^ 0x6A756E68656E67ull };
    r.s ^= rng_next(&r) + a * 0x100000001B3ull;
    r.s ^= rng_next(&r) + b * 0xC2B2AE3D27D4EB4Full;
    r.s ^= rng_next(&r) + c * 0x165667B19E3779F9ull;
    return r;
}

/* Uniform integer in [lo, hi]. */
static int64_t rng_int(rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Per-mille chance. */
static int rng_permille(rng *r, int pm)
{
    return rng_int(r, 0, 999) < pm;
}

/* ---- registry ---------------------------------------------------------------- */

/* Kind shares, per mille, in school_kind order. */
static const int KIND_SHARE[KIND_COUNT] = { 460, 150, 90, 10, 40, 240, 10 };

/* Draws a kind by the national shares. */
static school_kind draw_kind(rng *r)
{
    int x = (int)rng_int(r, 0, 999), acc = 0;
    for (int k = 0; k < KIND_COUNT; k++) {
        acc += KIND_SHARE[k];
        if (x < acc)
            return (school_kind)k;
    }
    return KIND_PRIMARY;
}

static const char *const KIND_LABEL[KIND_COUNT] = { "小学", "中学", "九年一贯制学校", "十二年一贯制学校",
                                                    "完全中学", "教学点", "特殊教育学校" };

/* Fills the registry row of school i of county c. */
static void make_school(synth *self, size_t c, size_t i, unsigned *province_seq)
{
    rng r = rng_for(self->seed, 1, i, 0);
    school_info *s = &self->schools[i];
    const county_info *ci = &self->counties[c].info;
    memset(s, 0, sizeof *s);
    /* 2, the province, then a 7-digit number within the province */
    unsigned province = (unsigned)(ci->code[0] - '0') * 10u + (unsigned)(ci->code[1] - '0');
    unsigned long code = 2000000000ul + (province % 100u) * 10000000ul + (*province_seq)++ % 10000000u;
    snprintf(s->school_code, sizeof s->school_code, "%010lu", code % 10000000000ul);
    snprintf(s->county_code, sizeof s->county_code, "%s", ci->code);
    s->kind = draw_kind(&r);
    if (s->kind == KIND_TEACHING_POINT)
        s->location = LOCATION_RURAL;
    else
        s->location = (school_location)(rng_permille(&r, 300) ? LOCATION_URBAN
                                        : rng_permille(&r, 500) ? LOCATION_TOWN
                                                                : LOCATION_RURAL);
    s->is_public = s->kind == KIND_TEACHING_POINT || s->kind == KIND_SPECIAL || !rng_permille(&r, 80);
    s->boarding = s->location == LOCATION_RURAL && s->kind != KIND_PRIMARY && s->kind != KIND_TEACHING_POINT &&
                  rng_permille(&r, 500);
    s->active = true;
    snprintf(s->name, sizeof s->name, "%s第%zu%s", ci->name, i - self->counties[c].first_school + 1,
             KIND_LABEL[s->kind]);
}

synth *synth_new(uint64_t seed, size_t n_counties, size_t n_schools)
{
    if (n_counties == 0 || n_counties > 9000 || n_schools < n_counties)
        return NULL;
    synth *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->seed = seed;
    self->counties = calloc(n_counties, sizeof *self->counties);
    self->schools = calloc(n_schools, sizeof *self->schools);
    self->school_county = calloc(n_schools, sizeof *self->school_county);
    double *weight = calloc(n_counties, sizeof *weight);
    if (!self->counties || !self->schools || !self->school_county || !weight) {
        free(weight);
        synth_destroy(&self);
        return NULL;
    }
    self->n_counties = n_counties;
    self->n_schools = n_schools;

    /* County sizes: most between 0.4 and 1.6 times the mean, one in twenty
     * a large district of about three times the mean. */
    rng r = rng_for(seed, 0, 0, 0);
    double total = 0;
    for (size_t c = 0; c < n_counties; c++) {
        weight[c] = 0.4 + 1.2 * rng_unit(&r) + (rng_permille(&r, 50) ? 2.0 : 0.0);
        total += weight[c];
    }
    size_t spare = n_schools - n_counties, given = 0;
    for (size_t c = 0; c < n_counties; c++) {
        size_t extra = (size_t)floor((double)spare * weight[c] / total);
        self->counties[c].n_schools = 1 + extra;
        given += 1 + extra;
    }
    for (size_t c = 0; given < n_schools; c = (c + 1) % n_counties, given++)
        self->counties[c].n_schools++;
    free(weight);

    /* Codes: provinces in turn take contiguous blocks of counties, 12
     * counties to a city. */
    size_t per_province = (n_counties + N_PROVINCES - 1) / N_PROVINCES;
    size_t next = 0;
    unsigned province_seq[N_PROVINCES] = { 0 };
    for (size_t c = 0; c < n_counties; c++) {
        size_t p = c / per_province, j = c % per_province;
        synth_county *sc = &self->counties[c];
        snprintf(sc->info.code, sizeof sc->info.code, "%02d%02zu%02zu", PROVINCES[p], j / COUNTIES_PER_CITY + 1,
                 j % COUNTIES_PER_CITY + 1);
        snprintf(sc->info.name, sizeof sc->info.name, "合成县%s", sc->info.code);
        sc->first_school = next;
        for (size_t k = 0; k < sc->n_schools; k++, next++) {
            self->school_county[next] = c;
            make_school(self, c, next, &province_seq[p]);
        }
    }
    return self;
}

void synth_destroy(synth **p)
{
    if (!p || !*p)
        return;
    free((*p)->counties);
    free((*p)->schools);
    free((*p)->school_county);
    free(*p);
    *p = NULL;
}

/* ---- submissions --------------------------------------------------------------- */

/* Appends n classes of about `size` students (±spread, within 1..max) to a
 * stage; returns the students added. */
static int64_t add_classes(rng *r, stage_data *st, size_t n, int64_t size, int64_t spread, int64_t max)
{
    int64_t sum = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t v = size + rng_int(r, -spread, spread);
        v = v < 1 ? 1 : v > max ? max : v;
        st->class_sizes[st->n_class_sizes++] = v;
        sum += v;
    }
    st->students += sum;
    return sum;
}

/* Fills one stage: `grades` grades of `per_grade` classes; teachers by a
 * student-teacher ratio between ratio_lo and ratio_hi. Returns -1 on OOM. */
static int make_stage(rng *r, stage_data *st, int grades, int per_grade, int64_t size, int64_t spread,
                      int64_t ratio_lo, int64_t ratio_hi)
{
    st->present = true;
    st->class_sizes = calloc((size_t)(grades * per_grade), sizeof *st->class_sizes);
    if (!st->class_sizes)
        return -1;
    for (int g = 0; g < grades; g++) {
        int64_t added = add_classes(r, st, (size_t)per_grade, size, spread, 150);
        if (g == 0)
            st->new_entrants = added;
    }
    int64_t ratio = rng_int(r, ratio_lo, ratio_hi);
    st->teachers = st->students / ratio + 1;
    st->qualified_teachers = st->teachers * rng_int(r, 86, 100) / 100;
    st->backbone_teachers = st->teachers * rng_int(r, 6, 25) / 100;
    st->pe_art_teachers = st->teachers * rng_int(r, 8, 18) / 100 + 1;
    if (st->pe_art_teachers > st->teachers)
        st->pe_art_teachers = st->teachers;
    st->new_entrants_in_zone = rng_permille(r, 600) ? st->new_entrants : st->new_entrants * rng_int(r, 90, 99) / 100;
    return 0;
}

/* Room areas in tenths of m² between lo and hi, n rooms. */
static double *make_rooms(rng *r, size_t n, int64_t lo, int64_t hi)
{
    double *a = calloc(n ? n : 1, sizeof *a);
    for (size_t k = 0; a && k < n; k++)
        a[k] = (double)rng_int(r, lo * 10, hi * 10) / 10.0;
    return a;
}

/* The school's stable shape (independent of period and variant). */
static int make_base(const synth *self, size_t i, submission *out)
{
    const school_info *s = &self->schools[i];
    rng r = rng_for(self->seed, 2, i, 0);
    int pg = (int)rng_int(&r, 1, 6);            /* primary classes per grade */
    int jg = (int)rng_int(&r, 2, 12);           /* junior classes per grade */
    int rc = 0;
    stage_data *p = &out->stage[STAGE_PRIMARY], *j = &out->stage[STAGE_JUNIOR];
    switch (s->kind) {
    case KIND_PRIMARY:
        rc = make_stage(&r, p, 6, pg, rng_int(&r, 25, 46), 3, 12, 21);
        break;
    case KIND_TEACHING_POINT:
        rc = make_stage(&r, p, (int)rng_int(&r, 1, 4), 1, rng_int(&r, 6, 40), 4, 8, 14);
        break;
    case KIND_JUNIOR:
        rc = make_stage(&r, j, 3, jg, rng_int(&r, 35, 52), 3, 9, 16);
        break;
    case KIND_NINE_YEAR:
        rc = make_stage(&r, p, 6, (pg + 1) / 2, rng_int(&r, 25, 45), 3, 12, 21);
        if (rc == 0)
            rc = make_stage(&r, j, 3, (jg + 1) / 2, rng_int(&r, 30, 50), 3, 9, 16);
        break;
    case KIND_TWELVE_YEAR:
        rc = make_stage(&r, p, 6, (pg + 1) / 2, rng_int(&r, 30, 45), 3, 12, 21);
        if (rc == 0)
            rc = make_stage(&r, j, 3, (jg + 1) / 2, rng_int(&r, 35, 50), 3, 9, 16);
        out->senior_students = rng_int(&r, 300, 1500);
        break;
    case KIND_COMPLETE_SECONDARY:
        rc = make_stage(&r, j, 3, jg, rng_int(&r, 38, 52), 3, 9, 16);
        out->senior_students = rng_int(&r, 400, 2400);
        break;
    case KIND_SPECIAL:
    default:
        rc = make_stage(&r, p, 6, 1, rng_int(&r, 6, 12), 2, 3, 6);
        if (rc == 0)
            rc = make_stage(&r, j, 3, 1, rng_int(&r, 6, 12), 2, 3, 6);
        break;
    }
    if (rc != 0)
        return -1;
    int64_t teachers = p->teachers + j->teachers;
    double weighted = (double)p->students + 1.1 * (double)j->students + 1.32 * (double)out->senior_students;
    out->teaching_area_m2 = floor(weighted * (double)rng_int(&r, 35, 85)) / 10.0;
    out->sports_area_m2 = floor(weighted * (double)rng_int(&r, 50, 160)) / 10.0;
    out->equipment_value_yuan = floor(weighted * (double)rng_int(&r, 1500, 4500));
    int64_t total = p->students + j->students + out->senior_students;
    out->multimedia_rooms = (int64_t)(weighted * (double)rng_int(&r, 18, 35) / 1000.0) + 1;
    if (out->multimedia_rooms > total / 2)
        out->multimedia_rooms = total / 2;
    size_t classes = p->n_class_sizes + j->n_class_sizes;
    size_t rooms = (classes + 11) / 12;
    out->n_music_rooms = rooms ? rooms : 1;
    out->n_art_rooms = out->n_music_rooms - (rng_permille(&r, 150) && out->n_music_rooms > 1 ? 1 : 0);
    out->music_room_areas_m2 = make_rooms(&r, out->n_music_rooms, 80, 130);
    out->art_room_areas_m2 = make_rooms(&r, out->n_art_rooms, 75, 125);
    if (!out->music_room_areas_m2 || !out->art_room_areas_m2)
        return -1;
    out->certified_teachers = teachers - (rng_permille(&r, 200) ? rng_int(&r, 0, teachers / 20) : 0);
    out->trained_teachers = teachers - (rng_permille(&r, 250) ? rng_int(&r, 0, teachers / 15) : 0);
    out->exchange_eligible_teachers = teachers * rng_int(&r, 10, 30) / 100;
    out->exchanged_teachers = out->exchange_eligible_teachers * rng_int(&r, 5, 25) / 100;
    out->exchanged_backbone_teachers = out->exchanged_teachers * rng_int(&r, 10, 40) / 100;
    out->public_funds_yuan = (double)(total * rng_int(&r, 600, 1200));
    out->training_spend_yuan = floor(out->public_funds_yuan * (double)rng_int(&r, 30, 80) / 1000.0);
    return 0;
}

int synth_submission(const synth *self, size_t school, int32_t period, int variant, submission *out)
{
    memset(out, 0, sizeof *out);
    if (school >= self->n_schools)
        return -1;
    if (make_base(self, school, out) != 0) {
        submission_clear(out);
        return -1;
    }
    snprintf(out->school_code, sizeof out->school_code, "%s", self->schools[school].school_code);
    out->period = period;
    /* A period or a later revision moves a few classes by one student and
     * the areas by up to 3 %: real, small changes (no "changed by half"). */
    rng r = rng_for(self->seed, 3, school, (uint64_t)period * 1000 + (uint64_t)variant);
    for (int s = 0; s < STAGE_COUNT; s++) {
        /* the last three classes, never the first (whose grade holds the
         * new entrants) */
        stage_data *st = &out->stage[s];
        for (size_t k = st->n_class_sizes > 3 ? st->n_class_sizes - 3 : 1; k < st->n_class_sizes; k++) {
            int64_t d = rng_int(&r, -1, 1);
            if (st->class_sizes[k] + d >= 1 && st->class_sizes[k] + d <= 150) {
                st->class_sizes[k] += d;
                st->students += d;
            }
        }
    }
    out->teaching_area_m2 = floor(out->teaching_area_m2 * (double)rng_int(&r, 970, 1030) / 100.0) / 10.0;
    out->sports_area_m2 = floor(out->sports_area_m2 * (double)rng_int(&r, 970, 1030) / 100.0) / 10.0;
    return 0;
}

/* ---- CSV ------------------------------------------------------------------------ */

int synth_write_counties(const synth *self, FILE *f)
{
    if (fputs("county_code,name\n", f) < 0)
        return -1;
    for (size_t c = 0; c < self->n_counties; c++)
        if (fprintf(f, "%s,%s\n", self->counties[c].info.code, self->counties[c].info.name) < 0)
            return -1;
    return 0;
}

int synth_write_schools(const synth *self, size_t first_county, size_t n_counties, FILE *f)
{
    if (fputs("school_code,name,county_code,kind,location,public,boarding\n", f) < 0)
        return -1;
    for (size_t c = first_county; c < first_county + n_counties && c < self->n_counties; c++) {
        const synth_county *sc = &self->counties[c];
        for (size_t i = sc->first_school; i < sc->first_school + sc->n_schools; i++) {
            const school_info *s = &self->schools[i];
            if (fprintf(f, "%s,%s,%s,%s,%s,%d,%d\n", s->school_code, s->name, s->county_code,
                        SCHOOL_KIND_KEYS[s->kind], LOCATION_KEYS[s->location], s->is_public ? 1 : 0,
                        s->boarding ? 1 : 0) < 0)
                return -1;
        }
    }
    return 0;
}
