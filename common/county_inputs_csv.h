/* county_inputs_csv.h -- the county-inputs file: CSV (UTF-8 or GBK, English
 * or Chinese headers) in a long form, one row per field, read into
 * county_inputs value sets and validated; and the template writer that gives
 * a county the blank (or filled) file with every item, field, Chinese label,
 * unit and rule.
 *
 * Columns (English / Chinese heading, any order, any case for English):
 *   county_code / 县区代码   6 digits (optional when the caller gives a default)
 *   period      / 学年       the school year by its starting year (optional likewise)
 *   item        / 序号 or 指标   the item's number ("2.8") or id ("teacher_pay")
 *   field       / 字段       the field's id ("teacher_avg_pay_yuan", "math.level") or its Chinese label
 *   value       / 数值       a number, a ratio (a percentage only with '%'), yes/no (是/否), present/absent (有/无)
 *   evidence    / 佐证材料   what the value rests on; required for yes and for absent
 * and, written by the template and ignored on reading: item_name / 指标名称,
 * label / 名称, unit / 单位, rule / 填写规则. A row whose value is blank gives
 * nothing (the field stays pending).
 *
 * Every refusal is a problem whose field is "<item number> <field id>" (the
 * raw texts when they are unknown) and whose reason says the line and the
 * reason in Chinese, then in English. No file I/O. */
#ifndef JUNHENG_COUNTY_INPUTS_CSV_H
#define JUNHENG_COUNTY_INPUTS_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "county_inputs.h"
#include "county_inputs_rows.h"
#include "problems.h"
#include "submission.h"

/* One (county, period) of a file: one new revision of that county's inputs. */
typedef struct {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    county_inputs inputs;   /* the fields given (problem rows left out) */
    size_t n_errors;        /* problems refusing this set */
    size_t first_line;      /* the line of its first row */
} county_inputs_revision;

typedef struct {
    county_inputs_revision *sets; /* in order of first appearance */
    size_t n_sets;
} county_inputs_file;

/* Reads and validates a county-inputs file. `rules` names the province
 * vetoes a file may answer (NULL: the six national ones only). default_county (NULL: none) and
 * default_period (0: none) stand in for a missing county_code / period
 * column. File-level problems (undecodable bytes, unknown or repeated column,
 * a required column missing) go to problems and the call returns -1 with
 * *out NULL. Otherwise returns 0 and *out (caller frees with
 * county_inputs_file_destroy); each refused row is in problems and counted
 * in its set's n_errors. The file is acceptable when problems stays empty. */
int county_inputs_read(const char *bytes, size_t len, const rules_config *rules, const char *default_county,
                       int32_t default_period, county_inputs_file **out, problem_list *problems);

/* Frees a file and every set's inputs; sets *p to NULL. */
void county_inputs_file_destroy(county_inputs_file **p);

/* Template flags. */
enum {
    COUNTY_TEMPLATE_ZH_HEADERS = 1, /* Chinese column headings */
    COUNTY_TEMPLATE_BOM = 2         /* start with a UTF-8 BOM (Excel then opens it as UTF-8) */
};

/* Writes the county-inputs file for one county and period: a header and one
 * row per field of every item, in table order, with the item's name, the
 * field's Chinese label, unit and rule; values and evidence from `values`
 * (NULL: a blank template), and a row for each province veto of `rules`
 * (NULL: none). Ratios are written as ratios. Returns a new
 * NUL-terminated UTF-8 CSV text (caller frees), or NULL when out of memory. */
char *county_inputs_template(const rules_config *rules, const char *county_code, int32_t period,
                             const county_inputs *values, unsigned flags);

/* The rule text of one field ("整数，≥ 0 / whole number >= 0", with any
 * parts-of-whole relation it takes part in) into buf. */
void county_input_rule_text(county_input_field field, char *buf, size_t size);

#endif
