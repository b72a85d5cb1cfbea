/* rules_config.c -- the rules file and its defaults. See rules_config.h. */
#include "rules_config.h"

#include "items.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_text.h"

void rules_config_default(rules_config *self)
{
    memset(self, 0, sizeof *self);
    snprintf(self->version, sizeof self->version, "%s", "national-2017");
    for (int i = 0; i < IND_COUNT; i++)
        for (int s = 0; s < STAGE_COUNT; s++)
            self->standard[i][s] = INDICATORS[i].standard[s];
    self->cv_limit[STAGE_PRIMARY] = 0.50;
    self->cv_limit[STAGE_JUNIOR] = 0.45;
    self->min_met = 6;
    self->floor_ratio = 0.85;
    self->teaching_point_min_students = 50;
    self->weight[WEIGHT_PRIMARY] = 1.0;
    self->weight[WEIGHT_JUNIOR] = 1.1;
    self->weight[WEIGHT_SENIOR] = 1.32;
    self->top_contributors = 5;
    self->music_room_min_area_m2 = 96.0;
    self->art_room_min_area_m2 = 90.0;
    self->classes_per_room = 12;
    self->class_size_max[STAGE_PRIMARY] = 45;
    self->class_size_max[STAGE_JUNIOR] = 50;
    self->school_scale_max_single = 2000;
    self->school_scale_max_through = 2500;
    self->certification_min_ratio = 1.0;
    self->training_min_ratio = 1.0;
    self->exchange_min_ratio = 0.10;
    self->exchange_backbone_min_ratio = 0.20;
    self->nearby_min_ratio[STAGE_PRIMARY] = 1.0;
    self->nearby_min_ratio[STAGE_JUNIOR] = 0.95;
    self->training_budget_min_ratio = 0.05;
    self->equality_tolerance = 1e-9;
    self->small_school_scope = SMALL_SCHOOL_SCOPE_ALL;
    self->small_school_students = 100;
    self->special_education_min_yuan = 6000.0;
    self->teacher_pay_min_ratio = 1.0;
    self->senior_high_places_min_ratio = 0.50;
    self->migrant_min_ratio = 0.85;
    self->retention_formula = RETENTION_NET_MOBILITY;
    self->retention_min_rate = 0.95;
    self->disabled_enrolment_min_rate = 0.95;
    self->quality_rule = QUALITY_RULE_LEVEL;
    self->quality_min_level = 3;
    self->quality_share_min = 0.85;
    self->quality_max_difference_rate = 0.15;
    self->recognition_method = RECOGNITION_POOLED;
    self->recognition_min_rate = 0.85;
}

const char *const RETENTION_FORMULA_KEYS[RETENTION_FORMULA_COUNT] = { "net_mobility", "raw", "in_out",
                                                                      "graduates_adjusted" };
const char *const QUALITY_RULE_KEYS[QUALITY_RULE_COUNT] = { "level", "share" };
const char *const RECOGNITION_METHOD_KEYS[RECOGNITION_METHOD_COUNT] = { "pooled", "group_mean", "every_group" };
const char *const SMALL_SCHOOL_SCOPE_KEYS[SMALL_SCHOOL_SCOPE_COUNT] = { "all", "rural" };

/* ---- the key table --------------------------------------------------------- */

typedef enum { K_REAL, K_INT, K_INT32, K_VERSION, K_CHOICE, K_EXTRA_VETO } key_type;

typedef struct {
    char key[64];
    key_type type;
    size_t offset;     /* into rules_config */
    double min, max;   /* accepted range (inclusive); for K_CHOICE max is the number of choices */
    const char *const *choices; /* K_CHOICE: the names, stored as their index (int) */
} key_def;

#define KEY_MAX (IND_COUNT * STAGE_COUNT + 60)

/* Fills defs with every key the file may hold; returns how many. */
static size_t key_table(key_def *defs)
{
    size_t n = 0;
#define ADD(k, t, field, lo, hi)                                                                   \
    do {                                                                                           \
        snprintf(defs[n].key, sizeof defs[n].key, "%s", k);                                        \
        defs[n].type = t;                                                                          \
        defs[n].offset = offsetof(rules_config, field);                                            \
        defs[n].min = lo;                                                                          \
        defs[n].max = hi;                                                                          \
        defs[n].choices = NULL;                                                                    \
        n++;                                                                                       \
    } while (0)
#define ADD_CHOICE(k, field, names, count)                                                         \
    do {                                                                                           \
        ADD(k, K_CHOICE, field, 0, count);                                                         \
        defs[n - 1].choices = names;                                                               \
    } while (0)
    ADD("version", K_VERSION, version, 0, 0);
    for (int i = 0; i < IND_COUNT; i++)
        for (int s = 0; s < STAGE_COUNT; s++) {
            char k[64];
            snprintf(k, sizeof k, "standard.%s.%s", INDICATORS[i].key, STAGE_KEYS[s]);
            ADD(k, K_REAL, standard[i][s], 0, 1e15);
        }
    ADD("cv_limit.primary", K_REAL, cv_limit[STAGE_PRIMARY], 0, 10);
    ADD("cv_limit.junior", K_REAL, cv_limit[STAGE_JUNIOR], 0, 10);
    ADD("min_met", K_INT32, min_met, 0, IND_COUNT);
    ADD("floor_ratio", K_REAL, floor_ratio, 0, 1);
    ADD("teaching_point_min_students", K_INT, teaching_point_min_students, 0, 1e9);
    ADD("weight.primary", K_REAL, weight[WEIGHT_PRIMARY], 1e-6, 100);
    ADD("weight.junior", K_REAL, weight[WEIGHT_JUNIOR], 1e-6, 100);
    ADD("weight.senior", K_REAL, weight[WEIGHT_SENIOR], 0, 100);
    ADD("top_contributors", K_INT32, top_contributors, 0, RULES_TOP_CONTRIBUTORS_MAX);
    ADD("music_room.min_area_m2", K_REAL, music_room_min_area_m2, 0, 1e6);
    ADD("art_room.min_area_m2", K_REAL, art_room_min_area_m2, 0, 1e6);
    ADD("music_art_rooms.classes_per_room", K_INT, classes_per_room, 1, 1e6);
    ADD("class_size.max.primary", K_INT, class_size_max[STAGE_PRIMARY], 1, 1e6);
    ADD("class_size.max.junior", K_INT, class_size_max[STAGE_JUNIOR], 1, 1e6);
    ADD("school_scale.max.single_stage", K_INT, school_scale_max_single, 1, 1e9);
    ADD("school_scale.max.through", K_INT, school_scale_max_through, 1, 1e9);
    ADD("teacher_certification.min_ratio", K_REAL, certification_min_ratio, 0, 1);
    ADD("teacher_training.min_ratio", K_REAL, training_min_ratio, 0, 1);
    ADD("teacher_exchange.min_ratio", K_REAL, exchange_min_ratio, 0, 1);
    ADD("teacher_exchange.backbone_min_ratio", K_REAL, exchange_backbone_min_ratio, 0, 1);
    ADD("nearby_enrolment.min_ratio.primary", K_REAL, nearby_min_ratio[STAGE_PRIMARY], 0, 1);
    ADD("nearby_enrolment.min_ratio.junior", K_REAL, nearby_min_ratio[STAGE_JUNIOR], 0, 1);
    ADD("training_budget.min_ratio", K_REAL, training_budget_min_ratio, 0, 1);
    ADD("equality_tolerance", K_REAL, equality_tolerance, 0, 1e-3);
    ADD("uniform_standards.benchmark_min.primary", K_REAL, benchmark_min_yuan[STAGE_PRIMARY], 0, 1e9);
    ADD("uniform_standards.benchmark_min.junior", K_REAL, benchmark_min_yuan[STAGE_JUNIOR], 0, 1e9);
    ADD_CHOICE("small_school_funding.scope", small_school_scope, SMALL_SCHOOL_SCOPE_KEYS, SMALL_SCHOOL_SCOPE_COUNT);
    ADD("small_school_funding.students", K_INT, small_school_students, 1, 1e6);
    ADD("special_education_funding.min_yuan_per_student", K_REAL, special_education_min_yuan, 0, 1e9);
    ADD("teacher_pay.min_ratio", K_REAL, teacher_pay_min_ratio, 0, 10);
    ADD("senior_high_places.min_ratio", K_REAL, senior_high_places_min_ratio, 0, 1);
    ADD("migrant_and_left_behind.min_ratio", K_REAL, migrant_min_ratio, 0, 1);
    ADD_CHOICE("junior_retention.formula", retention_formula, RETENTION_FORMULA_KEYS, RETENTION_FORMULA_COUNT);
    ADD("junior_retention.min_rate", K_REAL, retention_min_rate, 0, 1);
    ADD("disabled_enrolment.min_rate", K_REAL, disabled_enrolment_min_rate, 0, 1);
    ADD_CHOICE("quality_monitoring.rule", quality_rule, QUALITY_RULE_KEYS, QUALITY_RULE_COUNT);
    ADD("quality_monitoring.min_level", K_INT32, quality_min_level, 1, 4);
    ADD("quality_monitoring.share_min", K_REAL, quality_share_min, 0, 1);
    ADD("quality_monitoring.max_difference_rate", K_REAL, quality_max_difference_rate, 0, 1);
    ADD_CHOICE("social_recognition.method", recognition_method, RECOGNITION_METHOD_KEYS, RECOGNITION_METHOD_COUNT);
    ADD("social_recognition.min_rate", K_REAL, recognition_min_rate, 0, 1);
    for (int v = 0; v < RULES_EXTRA_VETO_MAX; v++) {
        char k[64];
        snprintf(k, sizeof k, "veto.extra.%d", v + 1);
        ADD(k, K_EXTRA_VETO, extra_veto[v], 0, 0);
    }
#undef ADD_CHOICE
#undef ADD
    return n;
}

/* ---- parsing ------------------------------------------------------------------ */

static int fail(char *err, size_t errsize, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes the formatted reason into err (if any) and returns code. */
static int fail(char *err, size_t errsize, int code, const char *fmt, ...)
{
    if (err && errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Parses "5.7:illegal_fees:违规收费" (number 5.N with N ≥ 7, an id of
 * [a-z0-9_] that no national item uses, a name) into *v; returns 0 or -1. */
static int store_extra_veto(rules_extra_veto *v, const char *val)
{
    const char *c1 = strchr(val, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || c2[1] == '\0')
        return -1;
    size_t nlen = (size_t)(c1 - val), klen = (size_t)(c2 - c1 - 1);
    if (nlen < 3 || nlen >= sizeof v->number || klen == 0 || klen >= sizeof v->key ||
        strlen(c2 + 1) >= sizeof v->name_zh || strncmp(val, "5.", 2) != 0)
        return -1;
    for (size_t i = 2; i < nlen; i++)
        if (!isdigit((unsigned char)val[i]))
            return -1;
    if (atoi(val + 2) < 7 || val[2] == '0')
        return -1;
    for (size_t i = 0; i < klen; i++)
        if (!islower((unsigned char)c1[1 + i]) && !isdigit((unsigned char)c1[1 + i]) && c1[1 + i] != '_')
            return -1;
    memcpy(v->number, val, nlen);
    v->number[nlen] = '\0';
    memcpy(v->key, c1 + 1, klen);
    v->key[klen] = '\0';
    snprintf(v->name_zh, sizeof v->name_zh, "%s", c2 + 1);
    if (item_find(v->number) || item_find(v->key))
        return -1;
    return 0;
}

/* Stores the text `val` into the field described by def; returns 0 or -1. */
static int store(rules_config *cfg, const key_def *def, const char *val)
{
    char *base = (char *)cfg + def->offset;
    if (def->type == K_VERSION) {
        size_t len = strlen(val);
        if (len == 0 || len >= RULES_VERSION_MAX)
            return -1;
        for (size_t i = 0; i < len; i++)
            if (!isgraph((unsigned char)val[i]))
                return -1;
        memcpy(base, val, len + 1);
        return 0;
    }
    if (def->type == K_EXTRA_VETO)
        return store_extra_veto((rules_extra_veto *)base, val);
    if (def->type == K_CHOICE) {
        for (int c = 0; c < (int)def->max; c++)
            if (strcmp(def->choices[c], val) == 0) {
                memcpy(base, &c, sizeof c);
                return 0;
            }
        return -1;
    }
    errno = 0;
    char *end = NULL;
    double d = strtod(val, &end);
    if (errno || end == val || *end != '\0' || !isfinite(d) || d < def->min || d > def->max)
        return -1;
    if (def->type == K_REAL) {
        memcpy(base, &d, sizeof d);
        return 0;
    }
    if (d != floor(d))
        return -1;
    if (def->type == K_INT) {
        int64_t v = (int64_t)d;
        memcpy(base, &v, sizeof v);
    } else {
        int v = (int)d;
        memcpy(base, &v, sizeof v);
    }
    return 0;
}

/* Counts the province vetoes: veto.extra.1 … without a gap, numbers and
 * ids distinct. Returns 0, or -1 with the reason in err. */
static int count_extra_vetoes(rules_config *cfg, char *err, size_t errsize)
{
    int n = 0;
    while (n < RULES_EXTRA_VETO_MAX && cfg->extra_veto[n].number[0])
        n++;
    for (int k = n; k < RULES_EXTRA_VETO_MAX; k++)
        if (cfg->extra_veto[k].number[0])
            return fail(err, errsize, -1, "key veto.extra.%d given without veto.extra.%d", k + 1, n + 1);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (strcmp(cfg->extra_veto[a].number, cfg->extra_veto[b].number) == 0 ||
                strcmp(cfg->extra_veto[a].key, cfg->extra_veto[b].key) == 0)
                return fail(err, errsize, -1, "keys veto.extra.%d and veto.extra.%d name the same veto", a + 1, b + 1);
    cfg->n_extra_vetoes = n;
    return 0;
}

/* Applies the entries of a rules file to cfg (seen marks the keys given).
 * Returns RULES_OK or an error code with the reason in err. */
static int apply_entries(rules_config *cfg, const kv_list *list, bool *seen, char *err, size_t errsize)
{
    key_def defs[KEY_MAX];
    size_t ndefs = key_table(defs);
    for (size_t i = 0; i < list->n; i++) {
        const kv_entry *e = &list->items[i];
        if (*e->value == '\0')
            return fail(err, errsize, RULES_ESYNTAX, "line %zu: key %s has no value", e->line, e->key);
        for (const char *c = e->value; *c; c++)
            if (isspace((unsigned char)*c))
                return fail(err, errsize, RULES_ESYNTAX, "line %zu: key %s: more than one value", e->line, e->key);
        size_t k = 0;
        while (k < ndefs && strcmp(defs[k].key, e->key) != 0)
            k++;
        if (k == ndefs)
            return fail(err, errsize, RULES_EKEY, "line %zu: unknown key %s", e->line, e->key);
        seen[k] = true;
        if (store(cfg, &defs[k], e->value) == 0)
            continue;
        if (defs[k].type == K_CHOICE) {
            char names[160] = "";
            for (int c = 0; c < (int)defs[k].max; c++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", c ? ", " : "",
                         defs[k].choices[c]);
            return fail(err, errsize, RULES_EVALUE, "line %zu: key %s: bad value %s (one of: %s)", e->line, e->key,
                        e->value, names);
        }
        return fail(err, errsize, RULES_EVALUE, "line %zu: key %s: bad value %s", e->line, e->key, e->value);
    }
    return RULES_OK;
}

int rules_config_parse(rules_config *self, const char *text, char *err, size_t errsize)
{
    bool seen[KEY_MAX] = { false };
    rules_config cfg;
    rules_config_default(&cfg);
    kv_list list;
    char inner[200];
    size_t line = 0;
    int rc = kv_text_parse(text, &list, inner, sizeof inner, &line);
    if (rc != KV_OK)
        rc = fail(err, errsize, rc == KV_EREPEAT ? RULES_EKEY : rc == KV_ENOMEM ? RULES_ENOMEM : RULES_ESYNTAX,
                  "line %zu: %s", line, inner);
    else
        rc = apply_entries(&cfg, &list, seen, err, errsize);
    kv_list_free(&list);
    if (rc != RULES_OK)
        return rc;
    if (!seen[0])
        return fail(err, errsize, RULES_EMISSING, "missing key version");
    if (count_extra_vetoes(&cfg, err, errsize) != 0)
        return RULES_EVALUE;
    *self = cfg;
    if (err && errsize)
        err[0] = '\0';
    return RULES_OK;
}

/* ---- comparisons -------------------------------------------------------------- */

static bool nearly_equal(const rules_config *self, double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= self->equality_tolerance * scale;
}

bool rules_at_least(const rules_config *self, double a, double b)
{
    return a >= b || nearly_equal(self, a, b);
}

bool rules_at_most(const rules_config *self, double a, double b)
{
    return a <= b || nearly_equal(self, a, b);
}

bool rules_below(const rules_config *self, double a, double b)
{
    return a < b && !nearly_equal(self, a, b);
}

bool rules_ratio_at_least(const rules_config *self, double part, double whole, double ratio)
{
    if (whole <= 0)
        return true;
    return rules_at_least(self, part / whole, ratio);
}
