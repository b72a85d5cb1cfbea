/* validate.c -- the refusals and flags of docs/formats.md §1 "Refused, or
 * accepted with a warning". See validate.h.
 *
 * Each field's type and bounds (no negative counts, classes of 1..150, rooms
 * above 0 and at most 1000 m², ...) come from its line in
 * submission_fields.h; the rules between fields are written out here.
 *
 * Decisions where the submission rules leave room (an inspector's reading):
 *  - Class sizes are required whenever a stage has students: the class-size
 *    and school-scale items (docs/rules.md §6) cannot be judged without them,
 *    and "their sum equals students" cannot hold for an empty list.  A stage
 *    with 0 students may leave them blank.
 *  - A count compared with the count it is part of is skipped when either is
 *    negative: the negative value is already refused, and "5 exceeds -1" would
 *    only be noise.
 *  - Total full-time teachers (for certified/trained) is primary_teachers +
 *    junior_teachers: the compulsory stages the school reports. A school with
 *    senior students counts its senior teachers in certified/trained ("all
 *    stages") but has no column for them, so there the excess is a warning.
 *  - A stage the school's kind does not have is refused when any of its
 *    columns holds a non-zero value; a stage written out as zeros is harmless.
 *  - "Far outside what schools report", per student of the whole school
 *    (primary + junior + senior), flagged only when the value is above zero
 *    (zero is a real shortfall that the indicators already show):
 *        teaching_area_m2      below 1 or above 50 m² per student
 *        sports_area_m2        below 0.5 or above 200 m² per student
 *        equipment_value_yuan  below 100 or above 200000 yuan per student
 *                              (below 100 is the classic 万元-for-元 slip)
 *        multimedia_rooms      more than one room per 2 students
 *    The national standards are 4.5-5.8 m², 7.5-10.2 m² and 2000-2500 yuan.
 *  - "A change of more than half": |new - old| > old / 2, so 100 -> 150 and
 *    100 -> 50 pass while 100 -> 151 and 100 -> 49 are flagged; going from 0 to
 *    anything is flagged too (a stage or resource that appeared). */
#include "validate.h"
#include "i18n.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Everything the checks need: the lists problems go to. */
typedef struct {
    problem_list *errors;
    problem_list *warnings;
} checker;

/* See validate.h. */
void validate_limits_for_year(validate_limits *limits, int current_year)
{
    limits->min_period = 2015;
    limits->max_period = current_year + 1;
}

/* A column named in a message: a whole-school column (st < 0, name is the
 * column) or a stage's "<stage>_<name>" ("primary_teachers"). The stage's
 * name is formatted only when a problem names the column: a valid submission
 * formats none (this ran ~40 times per submission before). */
typedef struct {
    int st;
    const char *name;
} col;

/* A whole-school column. */
static col school_col(const char *name)
{
    return (col){ -1, name };
}

/* Stage st's column <stage>_<suffix> (st -1: the whole-school column suffix). */
static col stage_col(int st, const char *suffix)
{
    return (col){ st, suffix };
}

/* The column's name: k.name itself, or "<stage>_<suffix>" written into buf.
 * The result lives in buf or in k's static string. */
static const char *col_text(char *buf, size_t size, col k)
{
    if (k.st < 0)
        return k.name;
    snprintf(buf, size, "%s_%s", STAGE_KEYS[k.st], k.name);
    return buf;
}

/* Formats a decimal for a message without spurious digits ("1000.01");
 * returns buf. */
static const char *num(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.15g", v);
    return buf;
}

/* Whether v is outside the bounds [min, max] (or (min, max] when
 * min_exclusive). */
static inline int out_of_bounds(double v, double min, bool min_exclusive, double max)
{
    return v < min || (min_exclusive && v == min) || v > max;
}

/* Refuses a count outside its field's bounds ("-3 is negative"). */
static void refuse_count(checker *c, col field, int64_t v, double min, bool min_exclusive, double max)
{
    char k[64], b[40];
    if ((double)v > max)
        problem_list_add(c->errors, col_text(k, sizeof k, field), _("%lld is over %s"), (long long)v,
                         num(b, sizeof b, max));
    else if (min == 0 && !min_exclusive)
        problem_list_add(c->errors, col_text(k, sizeof k, field), _("%lld is negative"), (long long)v);
    else
        problem_list_add(c->errors, col_text(k, sizeof k, field),
                         min_exclusive ? _("%lld is not above %s") : _("%lld is below %s"), (long long)v,
                         num(b, sizeof b, min));
}

/* Refuses an amount that is not finite or outside its field's bounds. */
static void refuse_amount(checker *c, col field, double v, double min, bool min_exclusive, double max)
{
    char k[64], a[40], b[40];
    const char *name = col_text(k, sizeof k, field);
    if (!isfinite(v))
        problem_list_add(c->errors, name, "%s", _("is not a finite number"));
    else if (v > max)
        problem_list_add(c->errors, name, _("%s is over %s"), num(a, sizeof a, v), num(b, sizeof b, max));
    else if (min == 0 && !min_exclusive)
        problem_list_add(c->errors, name, _("%s is negative"), num(a, sizeof a, v));
    else
        problem_list_add(c->errors, name, min_exclusive ? _("%s is not above %s") : _("%s is below %s"),
                         num(a, sizeof a, v), num(b, sizeof b, min));
}

/* Checks a count / an amount against its field's bounds. Inline: with the
 * bounds constant a valid value costs a comparison or two. */
static inline void check_count(checker *c, col field, int64_t v, double min, bool min_exclusive, double max)
{
    if (out_of_bounds((double)v, min, min_exclusive, max))
        refuse_count(c, field, v, min, min_exclusive, max);
}

static inline void check_amount(checker *c, col field, double v, double min, bool min_exclusive, double max)
{
    if (!isfinite(v) || out_of_bounds(v, min, min_exclusive, max))
        refuse_amount(c, field, v, min, min_exclusive, max);
}

/* The words of the field lists (submission_fields.h) in the reader's
 * language: a list's item, unit and measure, a total's unit. */
static const char *word(const char *w)
{
    static const char *const words[] = { N_("class"), N_("room"), N_("area"), N_("students"), N_("m²"),
                                         N_("yuan"), N_("teachers"), N_("rooms") };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i]) == 0)
            return _(words[i]);
    return w;
}

/* What a list's messages say about it (from its line in the field list). */
typedef struct {
    double min;
    bool min_exclusive;
    double max;
    const char *unit, *item, *measure;
} list_words;

/* Refuses each element of a count list outside the bounds ("class 3 has 0
 * students; a class has at least 1"). */
static void check_count_items(checker *c, col field, const int64_t *v, size_t n, const list_words *w)
{
    char k[64], b[40];
    for (size_t i = 0; i < n; i++) {
        double d = (double)v[i];
        if (!out_of_bounds(d, w->min, w->min_exclusive, w->max))
            continue;
        if (d > w->max)
            problem_list_add(c->errors, col_text(k, sizeof k, field), _("%s %zu has %lld %s, over %s"),
                             word(w->item), i + 1, (long long)v[i], word(w->unit), num(b, sizeof b, w->max));
        else
            problem_list_add(c->errors, col_text(k, sizeof k, field),
                             w->min_exclusive ? _("%s %zu has %lld %s; a %s has more than %s")
                                              : _("%s %zu has %lld %s; a %s has at least %s"),
                             word(w->item), i + 1, (long long)v[i], word(w->unit), word(w->item),
                             num(b, sizeof b, w->min));
    }
}

/* Refuses each element of an amount list that is not finite or outside the
 * bounds ("room 2 is 1200 m², over 1000 m²"). */
static void check_amount_items(checker *c, col field, const double *v, size_t n, const list_words *w)
{
    char k[64], a[40], b[40];
    for (size_t i = 0; i < n; i++) {
        if (isfinite(v[i]) && !out_of_bounds(v[i], w->min, w->min_exclusive, w->max))
            continue;
        if (!isfinite(v[i]))
            problem_list_add(c->errors, col_text(k, sizeof k, field), _("%s %zu: the %s is not a finite number"),
                             word(w->item), i + 1, word(w->measure));
        else if (v[i] > w->max)
            problem_list_add(c->errors, col_text(k, sizeof k, field), _("%s %zu is %s %s, over %s %s"),
                             word(w->item), i + 1, num(a, sizeof a, v[i]), word(w->unit), num(b, sizeof b, w->max),
                             word(w->unit));
        else
            problem_list_add(c->errors, col_text(k, sizeof k, field),
                             w->min_exclusive ? _("%s %zu has an %s of %s %s; a %s is larger than %s")
                                              : _("%s %zu has an %s of %s %s; a %s is at least %s"),
                             word(w->item), i + 1, word(w->measure), num(a, sizeof a, v[i]), word(w->unit),
                             word(w->item), num(b, sizeof b, w->min));
    }
}

/* The generators of the type and bounds checks, over a record `rec` of
 * stage `st` (-1: whole-school) and a checker `c`, one line of a field list
 * each (submission_fields.h). A pass checks the fields of one type, in list
 * order; validate checks counts, then amounts, then lists. A line's `lower`
 * reaches CHECK_IF as its two values, min and min_exclusive. */
#define CHECK_IF(want, type, name, min, min_exclusive, max)                                                 \
    if (type == want)                                                                                       \
        _Generic(rec->name, int64_t: check_count, double: check_amount)(c, stage_col(st, #name), rec->name, \
                                                                         min, min_exclusive, max);
#define CHECK_COUNTS(name, type, label_zh, unit, lower, max) CHECK_IF(FIELD_COUNT, type, name, lower, max)
#define CHECK_AMOUNTS(name, type, label_zh, unit, lower, max) CHECK_IF(FIELD_AMOUNT, type, name, lower, max)
#define CHECK_LIST(name, n_name, type, label_zh, unit, lower, max, item, measure)        \
    {                                                                                    \
        static const list_words words = { lower, max, unit, item, measure };             \
        _Generic(rec->name, int64_t *: check_count_items, double *: check_amount_items)( \
            c, stage_col(st, #name), rec->name, rec->n_name, &words);                    \
    }

/* Whether an amount passed its checks (finite, not negative). */
static int amount_usable(double v)
{
    return isfinite(v) && v >= 0;
}

/* Refuses part > whole ("17 exceeds primary_teachers 12"); skipped when
 * either is negative (already refused). */
static void part_of(checker *c, col field, int64_t part, col whole_field, int64_t whole)
{
    char f[64], g[64];
    if (part >= 0 && whole >= 0 && part > whole)
        problem_list_add(c->errors, col_text(f, sizeof f, field), "%" PRId64 " exceeds %s %" PRId64, part,
                         col_text(g, sizeof g, whole_field), whole);
}

/* Whether any column of a stage holds a non-zero value. */
#define SET_SCALAR(name, ...) || rec->name != 0
#define SET_LIST(name, n_name, ...) || rec->n_name > 0
static int stage_has_data(const stage_data *rec)
{
    return 0 SUBMISSION_STAGE_FIELDS(SET_SCALAR, SET_LIST);
}

/* The class-size rules of one stage beyond each class's bounds (checked
 * with the other fields): required when there are students, and the sum
 * equal to the stage's students. */
static void check_classes(checker *c, int st, const stage_data *s)
{
    char f[64], g[64];
    const col sizes = stage_col(st, "class_sizes"), students = stage_col(st, "students");
    if (s->n_class_sizes == 0) {
        if (s->students > 0)
            problem_list_add(c->errors, col_text(f, sizeof f, sizes),
                             _("missing: list the number of students in each class (e.g. 45;44;46), adding up to "
                               "%s %lld"),
                             col_text(g, sizeof g, students), (long long)s->students);
        return;
    }
    int64_t sum = 0;
    int overflow = 0;
    for (size_t i = 0; i < s->n_class_sizes; i++) {
        int64_t k = s->class_sizes[i];
        if ((k > 0 && sum > INT64_MAX - k) || (k < 0 && sum < INT64_MIN - k))
            overflow = 1;
        else
            sum += k;
    }
    if (s->students < 0)
        return;
    if (overflow)
        problem_list_add(c->errors, col_text(f, sizeof f, sizes), _("the classes add up to far more than %s %lld"),
                         col_text(g, sizeof g, students), (long long)s->students);
    else if (sum != s->students)
        problem_list_add(c->errors, col_text(f, sizeof f, sizes),
                         _("the %zu classes add up to %lld, not %s %lld"), s->n_class_sizes, (long long)sum,
                         col_text(g, sizeof g, students), (long long)s->students);
}

/* The fields of one stage: each within its bounds, each part within its
 * whole, the classes adding up. */
static void check_stage(checker *c, int st, const stage_data *s)
{
    char f[64], g[64];
    const stage_data *rec = s;
    SUBMISSION_STAGE_FIELDS(CHECK_COUNTS, FIELD_NONE)
    SUBMISSION_STAGE_FIELDS(CHECK_AMOUNTS, FIELD_NONE)
    const col teachers = stage_col(st, "teachers");
    part_of(c, stage_col(st, "qualified_teachers"), s->qualified_teachers, teachers, s->teachers);
    part_of(c, stage_col(st, "backbone_teachers"), s->backbone_teachers, teachers, s->teachers);
    part_of(c, stage_col(st, "pe_art_teachers"), s->pe_art_teachers, teachers, s->teachers);
    part_of(c, stage_col(st, "new_entrants"), s->new_entrants, stage_col(st, "students"), s->students);
    part_of(c, stage_col(st, "new_entrants_in_zone"), s->new_entrants_in_zone, stage_col(st, "new_entrants"),
            s->new_entrants);
    SUBMISSION_STAGE_FIELDS(FIELD_NONE, CHECK_LIST)
    check_classes(c, st, s);
    if (s->students > 0 && s->teachers == 0)
        problem_list_add(c->warnings, col_text(f, sizeof f, teachers), _("no teachers for %lld %s"),
                         (long long)s->students, col_text(g, sizeof g, stage_col(st, "students")));
}

/* The whole-school fields: each within its bounds, the teacher-development
 * counts within the teachers, exchange and training-spend parts within their
 * whole. */
static void check_school(checker *c, const submission *sub)
{
    char a[40], b[40];
    const submission *rec = sub;
    const int st = -1;
    SUBMISSION_SCHOOL_FIELDS(CHECK_COUNTS, FIELD_NONE)
    SUBMISSION_SCHOOL_FIELDS(CHECK_AMOUNTS, FIELD_NONE)
    SUBMISSION_SCHOOL_FIELDS(FIELD_NONE, CHECK_LIST)

    part_of(c, school_col("exchanged_teachers"), sub->exchanged_teachers, school_col("exchange_eligible_teachers"),
            sub->exchange_eligible_teachers);
    part_of(c, school_col("exchanged_backbone_teachers"), sub->exchanged_backbone_teachers,
            school_col("exchanged_teachers"), sub->exchanged_teachers);
    const stage_data *p = &sub->stage[STAGE_PRIMARY], *j = &sub->stage[STAGE_JUNIOR];
    if (p->teachers >= 0 && j->teachers >= 0 && p->teachers <= INT64_MAX - j->teachers) {
        int64_t total = p->teachers + j->teachers;
        static const char *const parts[] = { "certified_teachers", "trained_teachers" };
        const int64_t pv[] = { sub->certified_teachers, sub->trained_teachers };
        /* A school with a senior part counts its senior teachers in these
         * "all stages" totals, but reports only compulsory-stage teachers:
         * more certified than compulsory teachers is then possible and only
         * flagged (docs/rules.md). */
        problem_list *where = sub->senior_students > 0 ? c->warnings : c->errors;
        for (int i = 0; i < 2; i++)
            if (pv[i] > total)
                problem_list_add(where, parts[i],
                                 _("%lld exceeds the %lld full-time teachers of all stages "
                                   "(primary_teachers + junior_teachers)"),
                                 (long long)pv[i], (long long)total);
    }
    if (amount_usable(sub->public_funds_yuan) && amount_usable(sub->training_spend_yuan) &&
        sub->training_spend_yuan > sub->public_funds_yuan)
        problem_list_add(c->errors, "training_spend_yuan", _("%s exceeds public_funds_yuan %s"),
                         num(a, sizeof a, sub->training_spend_yuan), num(b, sizeof b, sub->public_funds_yuan));
}

/* The kinds, for messages ("a primary school (小学)"; translated: 小学). */
static const char *const KIND_DESC[KIND_COUNT] = {
    N_("a primary school (小学)"),            N_("a junior school (初中)"),
    N_("a nine-year school (九年一贯制学校)"), N_("a twelve-year school (十二年一贯制学校)"),
    N_("a complete secondary school (完全中学)"), N_("a teaching point (教学点)"),
    N_("a special-education school (特殊教育学校)"),
};

/* Stage-versus-kind rules: no data for a stage the kind lacks, no senior
 * students unless the kind has a senior part. */
static void check_kind(checker *c, const submission *sub, const school_info *school)
{
    school_kind k = school->kind;
    if ((int)k < 0 || k >= KIND_COUNT) {
        problem_list_add(c->errors, "", _("the registry gives this school an unknown kind (%d)"), (int)k);
        return;
    }
    char f[64];
    for (int st = 0; st < STAGE_COUNT; st++)
        if (!school_kind_has_stage(k, (stage_t)st) && stage_has_data(&sub->stage[st]))
            problem_list_add(c->errors, col_text(f, sizeof f, stage_col(st, "students")),
                             _("%s has no %s stage; leave the %s_* columns blank"), _(KIND_DESC[k]),
                             STAGE_KEYS[st], STAGE_KEYS[st]);
    if (!school_kind_has_senior(k) && sub->senior_students != 0)
        problem_list_add(c->errors, "senior_students", _("%s has no senior stage; leave senior_students blank"),
                         _(KIND_DESC[k]));
}

/* Flags a whole-school amount whose per-student value is far outside what
 * schools report (thresholds at the top of this file). */
static void per_student(checker *c, const char *field, double total, double students, double low, double high,
                        const char *unit, const char *hint)
{
    char a[40], b[40];
    if (!isfinite(total) || total <= 0 || students <= 0)
        return;
    double v = total / students;
    if (v > high)
        problem_list_add(c->warnings, field, _("%s %s per student is far above what schools report (over %s)%s"),
                         num(a, sizeof a, v), word(unit), num(b, sizeof b, high), _(hint));
    else if (v < low)
        problem_list_add(c->warnings, field, _("%s %s per student is far below what schools report (under %s)%s"),
                         num(a, sizeof a, v), word(unit), num(b, sizeof b, low), _(hint));
}

/* Flags a total that changed by more than half since the previous accepted
 * submission (see the rule at the top of this file). */
static void changed(checker *c, col column, double old, double now)
{
    char a[40], b[40], f[64];
    if (!isfinite(old) || !isfinite(now) || old < 0 || now < 0 || old == now)
        return;
    if (old == 0)
        problem_list_add(c->warnings, col_text(f, sizeof f, column),
                         _("was 0 in the previous accepted submission, now %s"),
                         num(a, sizeof a, now));
    else if (fabs(now - old) > old / 2)
        problem_list_add(c->warnings, col_text(f, sizeof f, column),
                         _("changed by more than half since the previous accepted submission: %s -> %s (%+.0f%%)"),
                         num(a, sizeof a, old), num(b, sizeof b, now), (now - old) / old * 100.0);
}

/* The warnings that compare with the previous accepted submission. */
static void check_changes(checker *c, const submission *sub, const submission *prev)
{
    for (int st = 0; st < STAGE_COUNT; st++) {
        changed(c, stage_col(st, "students"), (double)prev->stage[st].students, (double)sub->stage[st].students);
        changed(c, stage_col(st, "teachers"), (double)prev->stage[st].teachers, (double)sub->stage[st].teachers);
    }
    changed(c, school_col("teaching_area_m2"), prev->teaching_area_m2, sub->teaching_area_m2);
    changed(c, school_col("sports_area_m2"), prev->sports_area_m2, sub->sports_area_m2);
    changed(c, school_col("equipment_value_yuan"), prev->equipment_value_yuan, sub->equipment_value_yuan);
    changed(c, school_col("multimedia_rooms"), (double)prev->multimedia_rooms, (double)sub->multimedia_rooms);
}

/* Identity: a 10-digit school code and a period within the limits. */
static void check_identity(checker *c, const submission *sub, const validate_limits *limits)
{
    const char *code = sub->school_code;
    if (code[0] == '\0')
        problem_list_add(c->errors, "school_code", "%s", _("is missing"));
    else if (!code_is_digits(code, SCHOOL_CODE_LEN))
        problem_list_add(c->errors, "school_code", _("'%s' is not a 10-digit school code%s"), code,
                         strpbrk(code, ".Ee") ? _(" (the spreadsheet turned it into a number: format the column as "
                                                  "text)")
                                              : "");
    if (sub->period == 0)
        problem_list_add(c->errors, "period", "%s", _("is missing"));
    else if (sub->period < limits->min_period || sub->period > limits->max_period)
        problem_list_add(c->errors, "period", _("%d is outside the accepted school years %d..%d"), (int)sub->period,
                         (int)limits->min_period, (int)limits->max_period);
}

/* See validate.h. */
size_t validate_submission(const submission *sub, const school_info *school, const submission *previous,
                           const validate_limits *limits, problem_list *errors, problem_list *warnings)
{
    size_t before = errors->count;
    checker c = { errors, warnings };
    check_identity(&c, sub, limits);

    const stage_data *p = &sub->stage[STAGE_PRIMARY], *j = &sub->stage[STAGE_JUNIOR];
    if (!p->present && !j->present) {
        if (school && (int)school->kind >= 0 && school->kind < KIND_COUNT)
            problem_list_add(errors, "", _("no stage reported: %s fills in its %s columns"), _(KIND_DESC[school->kind]),
                             !school_kind_has_stage(school->kind, STAGE_PRIMARY) ? "junior_*"
                             : !school_kind_has_stage(school->kind, STAGE_JUNIOR) ? "primary_*"
                                                                                   : _("primary_* and junior_*"));
        else
            problem_list_add(errors, "", "%s", _("no stage reported: the primary_* and junior_* columns are all blank"));
    }
    for (int st = 0; st < STAGE_COUNT; st++)
        check_stage(&c, st, &sub->stage[st]);
    check_school(&c, sub);
    if (school)
        check_kind(&c, sub, school);

    double students = 0;
    for (int st = 0; st < STAGE_COUNT; st++)
        if (sub->stage[st].students > 0)
            students += (double)sub->stage[st].students;
    if (sub->senior_students > 0)
        students += (double)sub->senior_students;
    per_student(&c, "teaching_area_m2", sub->teaching_area_m2, students, 1.0, 50.0, "m²", N_("; check the unit (m²)"));
    per_student(&c, "sports_area_m2", sub->sports_area_m2, students, 0.5, 200.0, "m²", N_("; check the unit (m²)"));
    per_student(&c, "equipment_value_yuan", sub->equipment_value_yuan, students, 100.0, 200000.0, "yuan",
                N_("; check the unit (yuan, not 万元)"));
    if (sub->multimedia_rooms > 0 && students > 0 && (double)sub->multimedia_rooms > students / 2)
        problem_list_add(warnings, "multimedia_rooms",
                         _("%lld rooms for %.0f students is far above what schools report (over 1 room per 2 "
                           "students)"),
                         (long long)sub->multimedia_rooms, students);
    if (previous)
        check_changes(&c, sub, previous);
    return errors->count - before;
}

/* Appends to dst each problem of src whose column is not one `refused` names. */
static void add_unrefused(problem_list *dst, const problem_list *src, const problem_list *refused, size_t n_refused)
{
    for (size_t i = 0; i < src->count; i++) {
        bool seen = false;
        for (size_t k = 0; k < n_refused && !seen; k++)
            seen = src->items[i].field[0] && strcmp(refused->items[k].field, src->items[i].field) == 0;
        if (!seen)
            problem_list_add(dst, src->items[i].field, "%s", src->items[i].reason);
    }
}

/* See validate.h. */
size_t validate_read_row(const submission *sub, const validate_limits *limits, problem_list *errors,
                         problem_list *warnings)
{
    problem_list e = { 0 }, w = { 0 };
    size_t n_read = errors->count;
    validate_submission(sub, NULL, NULL, limits, &e, &w);
    add_unrefused(errors, &e, errors, n_read);
    add_unrefused(warnings, &w, errors, n_read);
    if (e.oom || w.oom)
        problem_list_add(errors, "", "%s", _("out of memory"));
    problem_list_clear(&e);
    problem_list_clear(&w);
    return errors->count;
}
