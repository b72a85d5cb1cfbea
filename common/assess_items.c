/* assess_items.c -- the whole verdict: the items school data decides
 * (1.1–1.7, the guarantee items of docs/rules.md §6, 2.6 and 2.7), the
 * helpers every item decider shares, and the county verdict. The items
 * county inputs decide are in assess_items_county.c. See assess_items.h;
 * docs/rules.md ("Whole verdict") says how each item was read. */
#include "assess_items_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ITEM_OUTCOME_KEYS[OUTCOME_COUNT] = { "pass", "fail", "not_applicable", "pending" };
const char *const ITEM_OUTCOME_NAMES_ZH[OUTCOME_COUNT] = { "达标", "未达标", "不适用", "待补充" };
/* A veto reads as whether the situation exists: 无 (absent, the item
 * passes), 存在 (present, the county fails), 待补充 (unanswered). */
const char *const VETO_OUTCOME_NAMES_ZH[OUTCOME_COUNT] = { "无（未发现）", "存在（否决）", "不适用", "待补充" };
const char *const VERDICT_KEYS[VERDICT_COUNT] = { "pass", "fail", "pending" };
const char *const VERDICT_NAMES_ZH[VERDICT_COUNT] = { "达标", "未达标", "待定" };
const char *const ITEM_COMPARISON_TEXT[5] = { "", ">=", "<=", "<", "=" };

/* ---- helpers ------------------------------------------------------------------ */

/* Appends text to a reason buffer, after sep when it already holds some. */
static void append(char *buf, size_t size, const char *sep, const char *text)
{
    size_t used = strlen(buf);
    const char *parts[2] = { used ? sep : "", text };
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(parts[i]);
        if (used + n + 1 > size)
            n = size - used - 1;
        while (n > 0 && ((unsigned char)parts[i][n] & 0xC0) == 0x80 && used + n + 1 >= size)
            n--; /* cut at a UTF-8 character boundary */
        memcpy(buf + used, parts[i], n);
        used += n;
        buf[used] = '\0';
    }
}

void ir_set(item_result *r, item_outcome outcome, const char *zh, const char *en)
{
    r->outcome = outcome;
    append(r->reason_zh, sizeof r->reason_zh, "；", zh);
    append(r->reason_en, sizeof r->reason_en, "; ", en);
}

void ir_fail_zh(item_result *r, const char *fmt, ...)
{
    char text[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->outcome = OUTCOME_FAIL;
    append(r->reason_zh, sizeof r->reason_zh, "；", text);
}

void ir_fail_en(item_result *r, const char *fmt, ...)
{
    char text[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->outcome = OUTCOME_FAIL;
    append(r->reason_en, sizeof r->reason_en, "; ", text);
}

/* Appends a zeroed fact named `name`; returns it, or NULL (c->oom set). */
static item_fact *new_fact(item_ctx *c, item_result *r, const char *name, item_source source)
{
    item_fact *f = realloc(r->facts, (r->n_facts + 1) * sizeof *f);
    if (!f) {
        c->oom = 1;
        return NULL;
    }
    r->facts = f;
    f = &r->facts[r->n_facts++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->source = source;
    return f;
}

void ir_fact_number(item_ctx *c, item_result *r, const char *name, double number, item_source source)
{
    item_fact *f = new_fact(c, r, name, source);
    if (f)
        f->number = number;
}

item_fact *ir_fact_missing(item_ctx *c, item_result *r, const char *name, item_source source)
{
    item_fact *f = new_fact(c, r, name, source);
    if (f)
        f->kind = FACT_MISSING;
    return f;
}

void ir_fact_bool(item_ctx *c, item_result *r, const char *name, bool flag, item_source source)
{
    item_fact *f = new_fact(c, r, name, source);
    if (f) {
        f->kind = FACT_BOOL;
        f->flag = flag;
    }
}

void ir_fact_input(item_ctx *c, item_result *r, county_input_field field)
{
    const county_input_def *d = &COUNTY_INPUT_DEFS[field];
    const county_input_value *v = &c->in->v[field];
    item_fact *f = new_fact(c, r, d->key, ITEMS[d->item].source);
    if (!f)
        return;
    if (!v->present) {
        f->kind = FACT_MISSING;
        return;
    }
    bool flag = d->type == CIT_JUDGEMENT || d->type == CIT_VETO;
    f->kind = flag ? FACT_BOOL : FACT_NUMBER;
    f->flag = flag && v->value != 0;
    f->number = flag ? 0 : v->value;
    f->as_percent = v->as_percent;
    if (v->evidence) {
        f->evidence = strdup(v->evidence);
        if (!f->evidence)
            c->oom = 1;
    }
}

void ir_compare(item_result *r, double value, item_comparison cmp, double threshold, const char *key)
{
    r->has_value = true;
    r->value = value;
    r->comparison = cmp;
    r->threshold = threshold;
    snprintf(r->threshold_key, sizeof r->threshold_key, "%s", key ? key : "");
}

void ir_formula(item_result *r, const char *name, const char *text, const char *key)
{
    snprintf(r->formula, sizeof r->formula, "%s", name);
    snprintf(r->formula_text, sizeof r->formula_text, "%s", text);
    snprintf(r->formula_key, sizeof r->formula_key, "%s", key ? key : "");
}

bool ir_need(item_ctx *c, item_result *r, const county_input_field *fields, size_t n)
{
    (void)c;
    char list[256] = "";
    for (size_t i = 0; i < n; i++)
        if (!c->in->v[fields[i]].present)
            append(list, sizeof list, ", ", COUNTY_INPUT_DEFS[fields[i]].key);
    if (!list[0])
        return true;
    char zh[320], en[320];
    snprintf(zh, sizeof zh, "待县级填报：%s", list);
    snprintf(en, sizeof en, "awaiting county input: %s", list);
    ir_set(r, OUTCOME_PENDING, zh, en);
    return false;
}

/* Adds a school code to r's failing list (kept sorted by the caller's
 * order), whose capacity doubles: 8, 16, 32, ... */
static void add_failing(item_ctx *c, item_result *r, const char *code)
{
    size_t n = r->n_failing;
    char(*f)[SCHOOL_CODE_LEN + 1] = r->failing;
    if ((n == 0 || (n >= 8 && (n & (n - 1)) == 0)) && !(f = realloc(f, (n ? 2 * n : 8) * sizeof *f))) {
        c->oom = 1;
        return;
    }
    r->failing = f;
    snprintf(r->failing[r->n_failing++], SCHOOL_CODE_LEN + 1, "%s", code);
}

/* Schools registered but not submitted. */
static int64_t missing_schools(const item_ctx *c)
{
    return c->st->schools_registered - c->st->schools_submitted;
}

/* An item that applies to no submitted school: pending while schools are
 * missing, else not applicable. */
static void applies_to_none(const item_ctx *c, item_result *r, const char *zh, const char *en)
{
    int64_t m = missing_schools(c);
    if (m > 0) {
        char bz[320], be[320];
        snprintf(bz, sizeof bz, "%s；尚有%lld所学校未报送", zh, (long long)m);
        snprintf(be, sizeof be, "%s; %lld schools have not submitted", en, (long long)m);
        ir_set(r, OUTCOME_PENDING, bz, be);
    } else {
        ir_set(r, OUTCOME_NOT_APPLICABLE, zh, en);
    }
}

/* ---- 1.1–1.7: one item per resource indicator ---------------------------------- */

/* 1.1–1.7: indicator k within the coefficient limit in every applicable stage, and missed by
 * no section that fails the 6-of-7 / 85 % rule. */
static void resource_item(item_ctx *c, item_result *r, int k)
{
    const county_status *st = c->st;
    bool any = false;
    for (int s = 0; s < STAGE_COUNT; s++) {
        const stage_status *ss = &st->stage[s];
        if (!ss->applicable)
            continue;
        any = true;
        const indicator_status *ind = &ss->ind[k];
        char name[64];
        snprintf(name, sizeof name, "%s.standard", STAGE_KEYS[s]);
        ir_fact_number(c, r, name, ind->standard, SOURCE_RULES);
        snprintf(name, sizeof name, "%s.mean", STAGE_KEYS[s]);
        ir_fact_number(c, r, name, ind->mean, SOURCE_SCHOOL_DATA);
        snprintf(name, sizeof name, "%s.cv", STAGE_KEYS[s]);
        if (ind->cv_defined)
            ir_fact_number(c, r, name, ind->cv, SOURCE_COMPUTED);
        else
            ir_fact_missing(c, r, name, SOURCE_COMPUTED);
        snprintf(name, sizeof name, "%s.cv_limit", STAGE_KEYS[s]);
        ir_fact_number(c, r, name, ind->cv_limit, SOURCE_RULES);
        if (!ind->cv_defined) {
            ir_fail_zh(r, "%s平均值为0，差异系数无定义", STAGE_NAMES_ZH[s]);
            ir_fail_en(r, "%s mean is 0: the coefficient is undefined", STAGE_KEYS[s]);
        } else if (!ind->cv_ok) {
            ir_fail_zh(r, "%s差异系数%.3f超过%.2f", STAGE_NAMES_ZH[s], ind->cv, ind->cv_limit);
            ir_fail_en(r, "%s coefficient %.3f above %.2f", STAGE_KEYS[s], ind->cv, ind->cv_limit);
        }
        int64_t bad = 0;
        for (size_t j = 0; j < st->n_sections; j++) {
            const section_status *sec = &st->sections[j];
            if (sec->stage != (stage_t)s || sec->excluded != EXCL_NONE || sec->pass || (sec->met_mask & (1u << k)))
                continue;
            bad++;
            if (r->n_failing == 0 || strcmp(r->failing[r->n_failing - 1], sec->school_code) != 0)
                add_failing(c, r, sec->school_code);
        }
        snprintf(name, sizeof name, "%s.failing_sections_missing_it", STAGE_KEYS[s]);
        ir_fact_number(c, r, name, (double)bad, SOURCE_COMPUTED);
        if (bad > 0) {
            ir_fail_zh(r, "%s有%lld个未达6项/85%%要求的学校未达到本指标", STAGE_NAMES_ZH[s], (long long)bad);
            ir_fail_en(r, "%lld failing %s sections miss this indicator", (long long)bad, STAGE_KEYS[s]);
        }
    }
    if (!any) {
        if (missing_schools(c) > 0)
            applies_to_none(c, r, "尚无参与评估的学校", "no school section assessed yet");
        else {
            ir_fail_zh(r, "没有参与评估的学校");
            ir_fail_en(r, "no school section assessed");
        }
    }
}

/* ---- guarantee items school data decides (§6) --------------------------------- */

/* The §6 items: the guarantee verdict of the county status as an item. */
static void guarantee_item(item_ctx *c, item_result *r, guarantee_id g)
{
    const guarantee_status *gs = &c->st->guarantee[g];
    const char *unit = GUARANTEE_UNIT_KEYS[gs->unit];
    char name[64];
    snprintf(name, sizeof name, "complying_%s", unit);
    ir_fact_number(c, r, name, (double)gs->complying, SOURCE_SCHOOL_DATA);
    snprintf(name, sizeof name, "applicable_%s", unit);
    ir_fact_number(c, r, name, (double)gs->applicable, SOURCE_SCHOOL_DATA);
    if (g == GUAR_TEACHER_EXCHANGE) {
        const exchange_totals *t = &c->st->exchange;
        ir_fact_number(c, r, "exchanged_backbone", (double)t->exchanged_backbone, SOURCE_SCHOOL_DATA);
        if (t->eligible <= 0) {
            applies_to_none(c, r, "没有符合交流条件的教师", "no teacher is eligible for exchange");
            return;
        }
        ir_compare(r, (double)t->exchanged / (double)t->eligible, CMP_AT_LEAST, c->rules->exchange_min_ratio,
                   "teacher_exchange.min_ratio");
        double bb = t->exchanged > 0 ? (double)t->exchanged_backbone / (double)t->exchanged : 0.0;
        ir_fact_number(c, r, "backbone_ratio", bb, SOURCE_COMPUTED);
        ir_fact_number(c, r, "teacher_exchange.backbone_min_ratio", c->rules->exchange_backbone_min_ratio,
                       SOURCE_RULES);
        if (!rules_at_least(c->rules, r->value, c->rules->exchange_min_ratio)) {
            ir_fail_zh(r, "交流比例%.2f%%低于%.0f%%", r->value * 100, c->rules->exchange_min_ratio * 100);
            ir_fail_en(r, "exchanged %.2f%% of eligible, below %.0f%%", r->value * 100,
                       c->rules->exchange_min_ratio * 100);
        }
        if (!rules_ratio_at_least(c->rules, (double)t->exchanged_backbone, (double)t->exchanged,
                                  c->rules->exchange_backbone_min_ratio)) {
            ir_fail_zh(r, "骨干教师占交流教师%.2f%%，低于%.0f%%", bb * 100,
                       c->rules->exchange_backbone_min_ratio * 100);
            ir_fail_en(r, "backbone teachers %.2f%% of exchanged, below %.0f%%", bb * 100,
                       c->rules->exchange_backbone_min_ratio * 100);
        }
        return;
    }
    ir_fact_number(c, r, "schools_complying", (double)gs->schools_complying, SOURCE_SCHOOL_DATA);
    ir_fact_number(c, r, "schools_applicable", (double)gs->schools_applicable, SOURCE_SCHOOL_DATA);
    if (gs->schools_applicable == 0) {
        applies_to_none(c, r, "本项不适用于任何已报送学校", "applies to no submitted school");
        return;
    }
    for (size_t j = 0; j < gs->n_failing; j++)
        add_failing(c, r, gs->failing[j]);
    if (!gs->pass) {
        ir_fail_zh(r, "%lld所学校未达标", (long long)(gs->schools_applicable - gs->schools_complying));
        ir_fail_en(r, "%lld schools do not comply", (long long)(gs->schools_applicable - gs->schools_complying));
    }
}

/* ---- 2.6 and 2.7: funding from school data ------------------------------------ */

/* Whether school i is one 2.6 judges: small, in scope, not special. */
static bool small_school(const item_ctx *c, const item_school *s)
{
    if (!s->counted || !s->submitted || s->kind == KIND_SPECIAL)
        return false;
    if (c->rules->small_school_scope == SMALL_SCHOOL_SCOPE_RURAL && s->location != LOCATION_RURAL)
        return false;
    int64_t total = s->students[STAGE_PRIMARY] + s->students[STAGE_JUNIOR];
    return total > 0 && total < c->rules->small_school_students;
}

/* 2.6: every small school funded as if it had the configured number of students. */
static void item_small_school_funding(item_ctx *c, item_result *r)
{
    const rules_config *R = c->rules;
    const county_input_field bench[STAGE_COUNT] = { CI_2_2_BENCH_PRIMARY, CI_2_2_BENCH_JUNIOR };
    ir_formula(r, SMALL_SCHOOL_SCOPE_KEYS[R->small_school_scope],
               "public_funds >= N x (A x benchmark_primary + B x benchmark_junior) / (A + B)",
               "small_school_funding.scope");
    ir_fact_number(c, r, "small_school_funding.students", (double)R->small_school_students, SOURCE_RULES);
    ir_fact_input(c, r, bench[STAGE_PRIMARY]);
    ir_fact_input(c, r, bench[STAGE_JUNIOR]);
    int64_t small = 0, judged = 0, complying = 0, unjudged = 0;
    bool need[STAGE_COUNT] = { false, false };
    for (size_t i = 0; i < c->n_schools; i++) {
        const item_school *s = &c->schools[i];
        if (!small_school(c, s))
            continue;
        small++;
        double num = 0, den = 0;
        bool ok = true;
        for (int st = 0; st < STAGE_COUNT; st++) {
            if (s->students[st] <= 0)
                continue;
            if (!c->in->v[bench[st]].present) {
                need[st] = true;
                ok = false;
            }
            num += (double)s->students[st] * ci_value(c, bench[st]);
            den += (double)s->students[st];
        }
        if (!ok) {
            unjudged++;
            continue;
        }
        judged++;
        double required = (double)R->small_school_students * num / den;
        if (rules_at_least(R, s->public_funds_yuan, required))
            complying++;
        else
            add_failing(c, r, s->school_code);
    }
    ir_fact_number(c, r, "small_schools", (double)small, SOURCE_SCHOOL_DATA);
    ir_fact_number(c, r, "small_schools_complying", (double)complying, SOURCE_COMPUTED);
    if (judged > complying) {
        ir_fail_zh(r, "%lld所小规模学校公用经费不足按%lld人核定的数额", (long long)(judged - complying),
                   (long long)R->small_school_students);
        ir_fail_en(r, "%lld small schools get less than %lld students' funds", (long long)(judged - complying),
                   (long long)R->small_school_students);
    } else if (unjudged > 0) {
        county_input_field f[STAGE_COUNT];
        size_t nf = 0;
        for (int st = 0; st < STAGE_COUNT; st++)
            if (need[st])
                f[nf++] = bench[st];
        ir_need(c, r, f, nf);
    } else if (small == 0)
        applies_to_none(c, r, "没有学生不足规定人数的学校", "no school has fewer students than the threshold");
}

/* 2.7: every special-education school's public funds per student. */
static void item_special_education_funding(item_ctx *c, item_result *r)
{
    const double min = c->rules->special_education_min_yuan;
    int64_t special = 0, missing = 0, failing = 0;
    double lowest = INFINITY;
    for (size_t i = 0; i < c->n_schools; i++) {
        const item_school *s = &c->schools[i];
        if (!s->counted || s->kind != KIND_SPECIAL)
            continue;
        special++;
        if (!s->submitted) {
            missing++;
            continue;
        }
        int64_t students = s->students[STAGE_PRIMARY] + s->students[STAGE_JUNIOR];
        double per = students > 0 ? s->public_funds_yuan / (double)students : NAN;
        if (students > 0 && per < lowest)
            lowest = per;
        if (!(students > 0) || !rules_at_least(c->rules, per, min)) {
            failing++;
            add_failing(c, r, s->school_code);
        }
    }
    ir_fact_number(c, r, "special_schools", (double)special, SOURCE_SCHOOL_DATA);
    if (isfinite(lowest))
        ir_compare(r, lowest, CMP_AT_LEAST, min, "special_education_funding.min_yuan_per_student");
    if (special == 0) {
        ir_set(r, OUTCOME_NOT_APPLICABLE, "本县没有特殊教育学校", "the county has no special-education school");
    } else if (failing > 0) {
        ir_fail_zh(r, "%lld所特殊教育学校生均公用经费低于%.0f元（无学生者按未达标计）", (long long)failing, min);
        ir_fail_en(r, "%lld special-education schools below %.0f yuan per student (one with no students fails)",
                   (long long)failing, min);
    } else if (missing > 0) {
        char zh[128], en[128];
        snprintf(zh, sizeof zh, "%lld所特殊教育学校尚未报送", (long long)missing);
        snprintf(en, sizeof en, "%lld special-education schools have not submitted", (long long)missing);
        ir_set(r, OUTCOME_PENDING, zh, en);
    }
}

/* ---- the verdict ---------------------------------------------------------------- */

void item_school_from(const school_info *info, const submission *sub, item_school *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->school_code, sizeof out->school_code, "%s", info->school_code);
    out->kind = info->kind;
    out->location = info->location;
    out->submitted = sub != NULL;
    out->counted = info->active || sub != NULL;
    if (!sub)
        return;
    for (int s = 0; s < STAGE_COUNT; s++)
        out->students[s] = sub->stage[s].present ? sub->stage[s].students : 0;
    out->public_funds_yuan = sub->public_funds_yuan;
}

/* qsort order of school codes. */
static int code_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Sorts an item's failing list and drops repeats. */
static void sort_failing(item_result *r)
{
    if (r->n_failing < 2)
        return;
    qsort(r->failing, r->n_failing, sizeof *r->failing, code_cmp);
    size_t k = 1;
    for (size_t j = 1; j < r->n_failing; j++)
        if (strcmp(r->failing[j], r->failing[k - 1]) != 0)
            memmove(r->failing[k++], r->failing[j], SCHOOL_CODE_LEN + 1);
    r->n_failing = k;
}

/* Lists the numbers of the items 1.1–5.6 with outcome o into buf. */
static void list_items(const county_verdict *v, item_outcome o, int from, int to, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = from; i < to; i++)
        if (v->items[i].outcome == o)
            append(buf, size, ", ", ITEMS[i].number);
}

/* The county verdict from the item outcomes and the coverage. */
static void decide_verdict(county_verdict *v)
{
    for (int i = 0; i < ITEM_SCORED_COUNT; i++) {
        item_outcome o = v->items[i].outcome;
        v->items_passing += o == OUTCOME_PASS;
        v->items_failing += o == OUTCOME_FAIL;
        v->items_not_applicable += o == OUTCOME_NOT_APPLICABLE;
        v->items_pending += o == OUTCOME_PENDING;
    }
    for (int i = ITEM_SCORED_COUNT; i < ITEM_COUNT; i++) {
        v->vetoes_present += v->items[i].outcome == OUTCOME_FAIL;
        v->vetoes_pending += v->items[i].outcome == OUTCOME_PENDING;
    }
    for (int k = 0; k < v->n_extra_vetoes; k++) {
        v->vetoes_present += v->extra_vetoes[k].outcome == OUTCOME_FAIL;
        v->vetoes_pending += v->extra_vetoes[k].outcome == OUTCOME_PENDING;
    }
    char a[200], b[64];   /* item numbers: at most 32 × "2.10, " and 6 × "5.1, " */
    int64_t missing = v->schools_registered - v->schools_submitted;
    if (v->items_failing > 0 || v->vetoes_present > 0) {
        list_items(v, OUTCOME_FAIL, 0, ITEM_SCORED_COUNT, a, sizeof a);
        list_items(v, OUTCOME_FAIL, ITEM_SCORED_COUNT, ITEM_COUNT, b, sizeof b);
        for (int k = 0; k < v->n_extra_vetoes; k++)
            if (v->extra_vetoes[k].outcome == OUTCOME_FAIL)
                append(b, sizeof b, ", ", v->extra_vetoes[k].number);
        v->verdict = VERDICT_FAIL;
        snprintf(v->reason_zh, sizeof v->reason_zh, "未达标项：%s；否决项：%s", a[0] ? a : "无", b[0] ? b : "无");
        snprintf(v->reason_en, sizeof v->reason_en, "failing items: %s; vetoes present: %s", a[0] ? a : "none",
                 b[0] ? b : "none");
    } else if (v->items_pending > 0 || v->vetoes_pending > 0 || missing > 0) {
        list_items(v, OUTCOME_PENDING, 0, ITEM_COUNT, a, sizeof a);
        for (int k = 0; k < v->n_extra_vetoes; k++)
            if (v->extra_vetoes[k].outcome == OUTCOME_PENDING)
                append(a, sizeof a, ", ", v->extra_vetoes[k].number);
        v->verdict = VERDICT_PENDING;
        snprintf(v->reason_zh, sizeof v->reason_zh, "待补充项：%s；未报送学校：%lld所", a[0] ? a : "无",
                 (long long)missing);
        snprintf(v->reason_en, sizeof v->reason_en, "pending items: %s; schools not submitted: %lld", a[0] ? a : "none",
                 (long long)missing);
    } else {
        v->verdict = VERDICT_PASS;
    }
}

county_verdict *county_verdict_assess(const rules_config *rules, const county_status *status,
                                      const item_school *schools, size_t n, const county_inputs *inputs)
{
    if (!rules || !status || (n && !schools))
        return NULL;
    county_verdict *v = calloc(1, sizeof *v);
    county_inputs *none = inputs ? NULL : calloc(1, sizeof *none);
    if (!v || (!inputs && !none)) {
        free(v);
        free(none);
        return NULL;
    }
    item_ctx c = { rules, status, schools, n, inputs ? inputs : none, 0 };
    v->schools_registered = status->schools_registered;
    v->schools_submitted = status->schools_submitted;
    for (int i = 0; i < ITEM_COUNT; i++) {
        item_result *r = &v->items[i];
        r->item = (item_id)i;
        snprintf(r->number, sizeof r->number, "%s", ITEMS[i].number);
        snprintf(r->key, sizeof r->key, "%s", ITEMS[i].key);
        snprintf(r->name_zh, sizeof r->name_zh, "%s", ITEMS[i].name_zh);
        r->part = ITEMS[i].part;
        r->source = ITEMS[i].source;
        r->outcome = OUTCOME_PASS;
    }
    v->n_extra_vetoes = rules->n_extra_vetoes;
    for (int k = 0; k < v->n_extra_vetoes; k++) {
        item_result *r = &v->extra_vetoes[k];
        r->item = ITEM_COUNT;
        snprintf(r->number, sizeof r->number, "%s", rules->extra_veto[k].number);
        snprintf(r->key, sizeof r->key, "%s", rules->extra_veto[k].key);
        snprintf(r->name_zh, sizeof r->name_zh, "%s", rules->extra_veto[k].name_zh);
        r->part = PART_VETO;
        r->source = SOURCE_COUNTY_INPUT;
        r->outcome = OUTCOME_PASS;
    }
    for (int i = 0; i < ITEM_COUNT; i++) {
        item_result *r = &v->items[i];
        if (ITEMS[i].indicator >= 0)
            resource_item(&c, r, ITEMS[i].indicator);
        else if (ITEMS[i].guarantee >= 0)
            guarantee_item(&c, r, (guarantee_id)ITEMS[i].guarantee);
    }
    item_small_school_funding(&c, &v->items[ITEM_2_6]);
    item_special_education_funding(&c, &v->items[ITEM_2_7]);
    assess_county_items(&c, v);
    for (int i = 0; i < ITEM_COUNT; i++)
        sort_failing(&v->items[i]);
    decide_verdict(v);
    free(none);
    if (c.oom)
        county_verdict_destroy(&v);
    return v;
}

void county_verdict_destroy(county_verdict **p)
{
    if (!p || !*p)
        return;
    county_verdict *v = *p;
    for (int i = 0; i < ITEM_COUNT + RULES_EXTRA_VETO_MAX; i++) {
        item_result *r = i < ITEM_COUNT ? &v->items[i] : &v->extra_vetoes[i - ITEM_COUNT];
        for (size_t f = 0; f < r->n_facts; f++)
            free(r->facts[f].evidence);
        free(r->facts);
        free(r->failing);
    }
    free(v);
    *p = NULL;
}

size_t county_verdict_pending(const county_verdict *self, const item_result **out, size_t cap)
{
    size_t k = 0;
    for (int i = 0; i < ITEM_COUNT + self->n_extra_vetoes; i++) {
        const item_result *r = i < ITEM_COUNT ? &self->items[i] : &self->extra_vetoes[i - ITEM_COUNT];
        if (r->outcome != OUTCOME_PENDING)
            continue;
        if (out && k < cap)
            out[k] = r;
        k++;
    }
    return k;
}
