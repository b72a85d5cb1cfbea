/* county_inputs_rows.c -- one row of county inputs parsed and checked, for
 * the file and the wire alike. See county_inputs_rows.h; docs/rules.md
 * ("Whole verdict") describes every refusal. */
#include "county_inputs_rows.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assess_items.h"
#include "cell_text.h"
#include "i18n.h"

void county_rows_problem(const county_rows_ctx *ctx, const char *item, const char *field, size_t line,
                         const char *zh, const char *en)
{
    char name[160];
    snprintf(name, sizeof name, "%s%s%s", item, item[0] && field[0] ? " " : "", field);
    /* The county readers write each reason in both languages; the reader
     * sees the one of its catalogue. TRANSLATORS: "en" names the language
     * of this catalogue: "zh_CN". */
    if (strcmp(_("en"), "zh_CN") == 0)
        problem_list_add(ctx->problems, name, "第%zu%s：%s", line, ctx->row_zh, zh);
    else
        problem_list_add(ctx->problems, name, "%s %zu: %s", ctx->row_en, line, en);
}

/* ---- values ------------------------------------------------------------------ */

/* The monitoring level written as 1–4, Ⅰ–Ⅳ or I–IV; 0 when it is none. */
static int level_word(const char *s)
{
    static const char *const ROMAN[4][3] = { { "1", "\xE2\x85\xA0", "I" },
                                             { "2", "\xE2\x85\xA1", "II" },
                                             { "3", "\xE2\x85\xA2", "III" },
                                             { "4", "\xE2\x85\xA3", "IV" } };
    for (int k = 0; k < 4; k++)
        if (strcmp(s, ROMAN[k][0]) == 0 || strcmp(s, ROMAN[k][1]) == 0 || strcasecmp(s, ROMAN[k][2]) == 0)
            return k + 1;
    return 0;
}

/* Parses a yes/no cell: a judgement (yes / no, 是 / 否) or, when not
 * judgement, a veto (present / absent, 有 / 无, 存在 / 不存在) into *value
 * (1 or 0). Returns true, or false with the reason in zh / en (n bytes
 * each), quoting the cell as shown. */
static bool parse_yes_no(bool judgement, const char *cell, const char *shown, double *value, char *zh, char *en,
                         size_t n)
{
    const char *on = judgement ? "yes" : "present", *off = judgement ? "no" : "absent";
    const char *on_zh = judgement ? "是" : "有", *off_zh = judgement ? "否" : "无";
    if (strcasecmp(cell, on) == 0 || strcmp(cell, on_zh) == 0 || (!judgement && strcmp(cell, "存在") == 0))
        *value = 1;
    else if (strcasecmp(cell, off) == 0 || strcmp(cell, off_zh) == 0 || (!judgement && strcmp(cell, "不存在") == 0))
        *value = 0;
    else {
        snprintf(zh, n, "“%s”应为%s或%s（%s/%s）", shown, on, off, on_zh, off_zh);
        snprintf(en, n, "'%s' must be %s or %s", shown, on, off);
        return false;
    }
    return true;
}

/* Parses one value cell for field d into *value (and *as_percent). Returns
 * true, or false with the reason in zh / en. */
static bool parse_value(const county_input_def *d, const char *cell, double *value, bool *as_percent, char *zh,
                        char *en, size_t n)
{
    char b[64];
    const char *s = cell_text_shown(cell, b, sizeof b);
    *as_percent = false;
    if (d->type == CIT_JUDGEMENT || d->type == CIT_VETO)
        return parse_yes_no(d->type == CIT_JUDGEMENT, cell, s, value, zh, en, n);
    if (d->type == CIT_LEVEL && level_word(cell)) {
        *value = level_word(cell);
        return true;
    }
    char num[64], folded[128], units[80];
    /* full-width digits read as what they are (the same on both sides of the wire) */
    if (cell_text_fold_fullwidth(cell, folded, sizeof folded) > 0)
        cell = folded;
    if ((d->type == CIT_MONEY || d->type == CIT_COUNT) && cell_text_wan(cell, units, sizeof units)) {
        snprintf(zh, n, "“%s”以万为单位；此处应填%s：%s", s, d->type == CIT_MONEY ? "元" : "个数", units);
        snprintf(en, n, "'%s' is in 万 (ten thousand): write %s", s, units);
        return false;
    }
    size_t len = strlen(cell);
    size_t pct = len >= 1 && cell[len - 1] == '%' ? 1 : len >= 3 && strcmp(cell + len - 3, "\xEF\xBC\x85") == 0 ? 3 : 0;
    if (len - pct >= sizeof num) {
        snprintf(zh, n, "“%s”不是数字", s);
        snprintf(en, n, "'%s' is not a number", s);
        return false;
    }
    memcpy(num, cell, len - pct);
    num[len - pct] = '\0';
    while (pct && len - pct > 0 && num[strlen(num) - 1] == ' ')
        num[strlen(num) - 1] = '\0';
    if (!cell_text_is_decimal(num) && d->type == CIT_LEVEL) {
        snprintf(zh, n, "“%s”应为水平1–4（Ⅰ–Ⅳ）", s);
        snprintf(en, n, "'%s' must be a level 1-4 (I-IV)", s);
        return false;
    }
    if (!cell_text_is_decimal(num)) {
        bool commas = strchr(num, ',') && strspn(num, "0123456789,.+-") == strlen(num);
        snprintf(zh, n, "“%s”不是数字%s", s, commas ? "（请勿使用千位分隔符）" : "");
        snprintf(en, n, "'%s' is not a number%s", s, commas ? " (write it without thousands separators)" : "");
        return false;
    }
    errno = 0;
    double v = strtod(num, NULL);
    if (errno == ERANGE || !isfinite(v)) {
        snprintf(zh, n, "“%s”超出范围", s);
        snprintf(en, n, "'%s' is out of range", s);
        return false;
    }
    if (pct && d->type != CIT_RATIO) {
        snprintf(zh, n, "“%s”：此处不应填百分数", s);
        snprintf(en, n, "'%s': a percentage is not expected here", s);
        return false;
    }
    if (pct) {
        v /= 100.0;
        *as_percent = true;
    }
    if (v < 0) {
        snprintf(zh, n, "“%s”：不能为负数", s);
        snprintf(en, n, "'%s': a negative %s", s, d->type == CIT_COUNT ? "count" : "value");
        return false;
    }
    if (d->type == CIT_RATIO && !pct && v > 1) {
        snprintf(zh, n, "“%s”像是百分数，此处应填比率：请填%g或写成%s%%", s, v / 100, num);
        snprintf(en, n, "'%s' looks like a percentage where a ratio is expected: write %g or %s%%", s, v / 100, num);
        return false;
    }
    if ((d->type == CIT_COUNT || d->type == CIT_LEVEL) && v != floor(v)) {
        snprintf(zh, n, "“%s”不是整数", s);
        snprintf(en, n, "'%s' is not a whole number", s);
        return false;
    }
    if (v < d->min || v > d->max) {
        snprintf(zh, n, "“%s”超出范围%g–%g", s, d->min, d->max);
        snprintf(en, n, "'%s' is outside %g-%g", s, d->min, d->max);
        return false;
    }
    *value = v;
    return true;
}

/* ---- rows -------------------------------------------------------------------- */

/* The slot of province veto `item_text` (number or id) and its field
 * `present` (or its Chinese name); -1 when item_text is none of them, -2
 * (reported) when the field is wrong. */
static int extra_veto_slot(const county_rows_ctx *rd, const char *item_text, const char *field_text, size_t line)
{
    for (int k = 0; rd->rules && k < rd->rules->n_extra_vetoes; k++) {
        const rules_extra_veto *x = &rd->rules->extra_veto[k];
        if (strcmp(item_text, x->number) != 0 && strcmp(item_text, x->key) != 0)
            continue;
        if (strcmp(field_text, "present") == 0 || strcmp(field_text, x->name_zh) == 0)
            return CI_FIELD_COUNT + k;
        char b[64], zh[200], en[200];
        snprintf(zh, sizeof zh, "指标%s没有字段“%s”（可填：present）", x->number,
                 cell_text_shown(field_text, b, sizeof b));
        snprintf(en, sizeof en, "item %s has no field '%s' (its fields: present)", x->number,
                 cell_text_shown(field_text, b, sizeof b));
        county_rows_problem(rd, x->number, field_text, line, zh, en);
        return -2;
    }
    return -1;
}

int county_rows_slot(const county_rows_ctx *rd, const char *item_text, const char *field_text, size_t line)
{
    char b[64], zh[400], en[400];
    const item_def *item = item_find(item_text);
    if (!item_text[0]) {
        county_rows_problem(rd, item_text, field_text, line, "缺少序号（指标）", "the item is missing");
        return -1;
    }
    int x = item ? -1 : extra_veto_slot(rd, item_text, field_text, line);
    if (x != -1)
        return x < 0 ? -1 : x;
    if (!item) {
        snprintf(zh, sizeof zh, "未知指标“%s”", cell_text_shown(item_text, b, sizeof b));
        snprintf(en, sizeof en, "unknown item '%s'", cell_text_shown(item_text, b, sizeof b));
        county_rows_problem(rd, item_text, field_text, line, zh, en);
        return -1;
    }
    int f = county_input_find(item->item, field_text);
    if (f >= 0)
        return f;
    int other = county_input_find_any(field_text);
    char list[240] = "";
    for (int k = 0; k < CI_FIELD_COUNT; k++)
        if (COUNTY_INPUT_DEFS[k].item == item->item &&
            strlen(list) + strlen(COUNTY_INPUT_DEFS[k].key) + 3 < sizeof list)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "",
                     COUNTY_INPUT_DEFS[k].key);
    if (!list[0]) {
        snprintf(zh, sizeof zh, "指标%s（%s）由学校数据计算，县级无需填报", item->number, item->name_zh);
        snprintf(en, sizeof en, "item %s (%s) is computed from school data; a county does not send it", item->number,
                 item->key);
    } else if (other >= 0 && field_text[0]) {
        snprintf(zh, sizeof zh, "字段%s属于指标%s，不属于指标%s", field_text,
                 ITEMS[COUNTY_INPUT_DEFS[other].item].number, item->number);
        snprintf(en, sizeof en, "field %s belongs to item %s, not %s", field_text,
                 ITEMS[COUNTY_INPUT_DEFS[other].item].number, item->number);
    } else {
        snprintf(zh, sizeof zh, "指标%s没有字段“%s”（可填：%s）", item->number, cell_text_shown(field_text, b, sizeof b), list);
        snprintf(en, sizeof en, "item %s has no field '%s' (its fields: %s)", item->number,
                 cell_text_shown(field_text, b, sizeof b), list);
    }
    county_rows_problem(rd, item->number, field_text, line, zh, en);
    return -1;
}

/* Sum of the present fields of one side of a relation; *all false when one is absent. */
static double side_sum(const county_inputs *in, const int *fields, size_t n, bool *all, bool *any)
{
    double sum = 0;
    *all = true;
    *any = false;
    for (size_t i = 0; i < n && fields[i] >= 0; i++) {
        if (in->v[fields[i]].present) {
            sum += in->v[fields[i]].value;
            *any = true;
        } else {
            *all = false;
        }
    }
    return sum;
}

size_t county_rows_check_relations(const county_rows_ctx *rd, const county_inputs *inputs, const county_rows_seen *seen)
{
    size_t reported = 0;
    for (size_t k = 0; k < COUNTY_INPUT_RELATION_COUNT; k++) {
        const county_input_relation *rel = &COUNTY_INPUT_RELATIONS[k];
        bool whole_all, whole_any, parts_all, parts_any;
        double whole = side_sum(inputs, rel->wholes, 2, &whole_all, &whole_any);
        double parts = side_sum(inputs, rel->parts, 4, &parts_all, &parts_any);
        if (!whole_all || !parts_any || parts <= whole)
            continue;
        const county_input_def *d = &COUNTY_INPUT_DEFS[rel->parts[0]];
        char zh[400], en[400];
        snprintf(zh, sizeof zh, "部分之和%.0f超过总数%.0f（%s）", parts, whole, rel->text_zh);
        snprintf(en, sizeof en, "a part above its whole: %.0f > %.0f (%s)", parts, whole, rel->text_en);
        size_t line = seen->seen[rel->parts[0]];
        for (int i = 0; i < 4 && rel->parts[i] >= 0; i++)
            if (seen->seen[rel->parts[i]] > line)
                line = seen->seen[rel->parts[i]];
        county_rows_problem(rd, ITEMS[d->item].number, d->key, line, zh, en);
        reported++;
    }
    return reported;
}

/* The definition of a slot: a field's, or the `present` field of province veto k. */
static county_input_def slot_def(const county_rows_ctx *ctx, int slot, const char **number)
{
    if (slot < CI_FIELD_COUNT) {
        *number = ITEMS[COUNTY_INPUT_DEFS[slot].item].number;
        return COUNTY_INPUT_DEFS[slot];
    }
    *number = ctx->rules->extra_veto[slot - CI_FIELD_COUNT].number;
    county_input_def xd = { CI_FIELD_COUNT, ITEM_5_6, "present", "", "", CIT_VETO, 0, 1 };
    return xd;
}

/* The checks after the value parsed: evidence where it is required, not too
 * long, not repeated. Returns true, or false with the reason in zh / en. */
static bool evidence_ok(const county_rows_ctx *ctx, const county_input_def *d, int slot, double v, const char *value, const char *evidence,
                        const county_rows_seen *seen, char *zh, char *en, size_t n)
{
    if (!evidence[0] && ((d->type == CIT_JUDGEMENT && v == 1) || (d->type == CIT_VETO && v == 0))) {
        const char *word = d->type == CIT_JUDGEMENT ? "yes" : "absent";
        snprintf(zh, n, "填“%s”须附佐证材料", value);
        snprintf(en, n, "'%s' needs evidence (%s requires the documents it rests on)", value, word);
        return false;
    }
    if (!evidence[0] && slot < CI_FIELD_COUNT && ITEMS[d->item].source == SOURCE_EXTERNAL) {
        snprintf(zh, n, "外部结果须在佐证材料中注明来源（组织单位、年份）");
        snprintf(en, n, "an external result needs its source as evidence (who ran it, which year)");
        return false;
    }
    if (strlen(evidence) > COUNTY_EVIDENCE_MAX) {
        snprintf(zh, n, "佐证材料超过%d字节", COUNTY_EVIDENCE_MAX);
        snprintf(en, n, "evidence longer than %d bytes", COUNTY_EVIDENCE_MAX);
        return false;
    }
    if (seen->seen[slot]) {
        snprintf(zh, n, "字段重复（第%zu%s已填）", seen->seen[slot], ctx->row_zh);
        snprintf(en, n, "repeated field (already given on %s %zu)", ctx->row_en, seen->seen[slot]);
        return false;
    }
    return true;
}

int county_rows_set(const county_rows_ctx *ctx, county_inputs *inputs, county_rows_seen *seen, int slot,
                    const char *value, const char *evidence, size_t line)
{
    const char *num;
    county_input_def d = slot_def(ctx, slot, &num);
    char zh[400], en[400];
    double v = 0;
    bool pct = false;
    if (!evidence)
        evidence = "";
    bool good = parse_value(&d, value, &v, &pct, zh, en, sizeof zh) &&
                evidence_ok(ctx, &d, slot, v, value, evidence, seen, zh, en, sizeof zh);
    if (!good) {
        county_rows_problem(ctx, num, d.key, line, zh, en);
        return 0;
    }
    seen->seen[slot] = line;
    int rc = slot < CI_FIELD_COUNT ? county_inputs_set(inputs, (county_input_field)slot, v, pct, evidence)
                                   : county_inputs_set_extra_veto(inputs, slot - CI_FIELD_COUNT, v, evidence);
    return rc == 0 ? 1 : -1;
}

int county_rows_apply(const county_rows_ctx *ctx, county_inputs *inputs, county_rows_seen *seen,
                      const char *item_text, const char *field_text, const char *value, const char *evidence,
                      size_t line)
{
    if (!value || !value[0])
        return 1;
    int slot = county_rows_slot(ctx, item_text ? item_text : "", field_text ? field_text : "", line);
    if (slot < 0)
        return 0;
    return county_rows_set(ctx, inputs, seen, slot, value, evidence, line);
}

/* Whether `text` is read back by parse_value as exactly (value, as_percent) for a ratio. */
static bool reads_back(const char *text, double value, bool as_percent)
{
    county_input_def d = { CI_FIELD_COUNT, ITEM_4_1, "", "", "", CIT_RATIO, 0, INFINITY };
    double v = 0;
    bool pct = false;
    char zh[200], en[200];
    return parse_value(&d, text, &v, &pct, zh, en, sizeof zh) && v == value && pct == as_percent;
}

/* Writes a ratio as a percentage that reads back exactly into buf; false when
 * no near form does (the caller writes the ratio itself). */
static bool percent_text(double value, char buf[COUNTY_VALUE_TEXT_MAX])
{
    double p = value * 100.0, lo = p, hi = p;
    for (int step = 0; step < 8; step++) {
        double tries[2] = { lo, hi };
        for (int k = 0; k < 2; k++) {
            size_t n = real_format_shortest(tries[k], buf);
            if (n > 2 && strcmp(buf + n - 2, ".0") == 0)
                n -= 2;
            buf[n] = '%';
            buf[n + 1] = '\0';
            if (reads_back(buf, value, true))
                return true;
        }
        lo = nextafter(lo, -INFINITY);
        hi = nextafter(hi, INFINITY);
    }
    return false;
}

void county_input_value_text(county_input_type type, const county_input_value *v, char buf[COUNTY_VALUE_TEXT_MAX])
{
    if (type == CIT_JUDGEMENT) {
        snprintf(buf, COUNTY_VALUE_TEXT_MAX, "%s", v->value != 0 ? "yes" : "no");
        return;
    }
    if (type == CIT_VETO) {
        snprintf(buf, COUNTY_VALUE_TEXT_MAX, "%s", v->value != 0 ? "present" : "absent");
        return;
    }
    if (type == CIT_RATIO && v->as_percent && isfinite(v->value) && percent_text(v->value, buf))
        return;
    size_t n = real_format_shortest(v->value, buf);
    if (n > 2 && strcmp(buf + n - 2, ".0") == 0)
        buf[n - 2] = '\0';
}
