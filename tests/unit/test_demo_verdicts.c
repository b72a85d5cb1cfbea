/* test_demo_verdicts.c -- keeps the demo honest: reads the demo's registry,
 * school submissions and county-inputs files (deploy/demo-data/) with the
 * readers of common/, computes every county's whole verdict the way the
 * daemon does (county_assess + county_verdict_assess, the national rules
 * file deploy/rules/national-2017.conf the demo's daemon runs) and
 * checks the story docs/demo-data.md tells: 齐河县 passes everything, 乐陵市
 * is pending on the items it has not sent yet, 平原县 fails on the 5.3 veto,
 * 庆云县 fails 3.1 under net_mobility (and 齐河县 would fail it under raw),
 * and the other counties fail on school data with their county items
 * pending. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "assess_items.h"
#include "county_inputs.h"
#include "county_inputs_csv.h"
#include "file_read.h"
#include "rules_file.h"
#include "submission_csv.h"

#define PERIOD 2025

static rules_config R;
static school_info *SCHOOLS;
static size_t N_SCHOOLS;
static county_info *COUNTIES;
static size_t N_COUNTIES;
static submission_file *SUBS[2];   /* submissions-2025.csv, then the GBK sample (its newer revisions) */
static county_inputs_file *INPUTS[2]; /* county-inputs-2025.csv, then 乐陵市's GBK file */

/* The whole of deploy/demo-data/<name> (caller frees); fails the test when it cannot be read. */
static char *demo_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", JUNHENG_DEMO_DATA, name);
    char *buf = NULL;
    cr_assert_eq(file_read_all(path, 0, FILE_READ_REGULAR, &buf, len, NULL), 0, "cannot read %s", path);
    return buf;
}

/* Reads a county-inputs file; every row must be accepted. */
static county_inputs_file *read_inputs(const char *name)
{
    size_t len;
    char *bytes = demo_file(name, &len);
    problem_list pl = { 0 };
    county_inputs_file *f = NULL;
    int rc = county_inputs_read(bytes, len, &R, NULL, 0, &f, &pl);
    char msg[2048];
    problem_list_format(&pl, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s: %s", name, msg);
    cr_assert_eq(pl.count, 0, "%s: %s", name, msg);
    problem_list_clear(&pl);
    free(bytes);
    return f;
}

/* Reads a submission file; every row must parse. */
static submission_file *read_subs(const char *name)
{
    size_t len;
    char *bytes = demo_file(name, &len);
    problem_list pl = { 0 };
    submission_file *f = NULL;
    cr_assert_eq(submission_file_read(bytes, len, &f, &pl), 0, "%s", name);
    for (size_t i = 0; i < f->n_rows; i++)
        cr_assert_eq(f->rows[i].errors.count, 0, "%s line %zu", name, f->rows[i].line);
    free(bytes);
    return f;
}

/* Loads the national rules, the registry, both submission files and both
 * county-inputs files once per test. */
static void setup(void)
{
    char err[256];
    cr_assert_eq(rules_config_load(&R, JUNHENG_RULES_DIR "/national-2017.conf", err, sizeof err), RULES_OK, "%s", err);
    size_t len;
    problem_list pl = { 0 };
    char *bytes = demo_file("schools.csv", &len);
    cr_assert_eq(registry_schools_read(bytes, len, &SCHOOLS, &N_SCHOOLS, &pl), 1000);
    cr_assert_eq(pl.count, 0);
    free(bytes);
    bytes = demo_file("counties.csv", &len);
    cr_assert_eq(registry_counties_read(bytes, len, &COUNTIES, &N_COUNTIES, &pl), 12);
    cr_assert_eq(pl.count, 0);
    free(bytes);
    SUBS[0] = read_subs("submissions-2025.csv");
    SUBS[1] = read_subs("submissions-2025-gbk-sample.csv");
    INPUTS[0] = read_inputs("county-inputs-2025.csv");
    INPUTS[1] = read_inputs("county-inputs-2025-371481-gbk.csv");
}

/* Frees what setup() loaded. */
static void teardown(void)
{
    for (int k = 0; k < 2; k++) {
        submission_file_destroy(&SUBS[k]);
        county_inputs_file_destroy(&INPUTS[k]);
    }
    free(SCHOOLS);
    free(COUNTIES);
}

TestSuite(demo_verdicts, .init = setup, .fini = teardown);

/* The county's current inputs: every revision of the files, in order,
 * merged as the daemon applies them. Clear with county_inputs_clear. */
static void inputs_of(const char *county, county_inputs *out)
{
    memset(out, 0, sizeof *out);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < INPUTS[k]->n_sets; i++) {
            const county_inputs_revision *rev = &INPUTS[k]->sets[i];
            if (strcmp(rev->county_code, county) == 0 && rev->period == PERIOD)
                cr_assert_eq(county_inputs_merge(out, &rev->inputs), 0);
        }
}

/* The current submission of a school (the last row for it), or NULL. */
static const submission *submission_of(const char *school)
{
    const submission *found = NULL;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < SUBS[k]->n_rows; i++)
            if (strcmp(SUBS[k]->rows[i].sub.school_code, school) == 0 && SUBS[k]->rows[i].sub.period == PERIOD)
                found = &SUBS[k]->rows[i].sub;
    return found;
}

/* The whole verdict of one county under `rules` (caller destroys). */
static county_verdict *verdict_under(const rules_config *rules, const char *county)
{
    const county_info *c = NULL;
    for (size_t i = 0; i < N_COUNTIES; i++)
        if (strcmp(COUNTIES[i].code, county) == 0)
            c = &COUNTIES[i];
    cr_assert_not_null(c, "county %s", county);
    assess_entry *e = calloc(N_SCHOOLS, sizeof *e);
    item_school *is = calloc(N_SCHOOLS, sizeof *is);
    cr_assert(e && is);
    size_t n = 0;
    for (size_t i = 0; i < N_SCHOOLS; i++) {
        if (strcmp(SCHOOLS[i].county_code, county) != 0)
            continue;
        e[n].school = &SCHOOLS[i];
        e[n].sub = submission_of(SCHOOLS[i].school_code);
        item_school_from(&SCHOOLS[i], e[n].sub, &is[n]);
        n++;
    }
    county_status *st = county_assess(rules, c, PERIOD, e, n);
    cr_assert_not_null(st);
    county_inputs in;
    inputs_of(county, &in);
    county_verdict *v = county_verdict_assess(rules, st, is, n, &in);
    cr_assert_not_null(v);
    county_inputs_clear(&in);
    county_status_destroy(&st);
    free(e);
    free(is);
    return v;
}

/* The whole verdict of one county under the national rules (caller destroys). */
static county_verdict *verdict_of(const char *county)
{
    return verdict_under(&R, county);
}

/* Fails the test unless item i of v has outcome o. */
static void expect(const county_verdict *v, const char *county, item_id i, item_outcome o)
{
    const item_result *r = &v->items[i];
    cr_assert_eq(r->outcome, o, "%s item %s: %s, expected %s (%s)", county, ITEMS[i].number,
                 ITEM_OUTCOME_KEYS[r->outcome], ITEM_OUTCOME_KEYS[o], r->reason_en);
}

/* The pending items of v as "3.3 3.5 ..." into buf. */
static void pending_list(const county_verdict *v, char *buf, size_t size)
{
    const item_result *pend[ITEM_COUNT + RULES_EXTRA_VETO_MAX];
    size_t n = county_verdict_pending(v, pend, sizeof pend / sizeof pend[0]);
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", k ? " " : "", pend[k]->number);
    }
}

/* Every item decided by county inputs (2.1, 2.2, 2.8, ..., the vetoes),
 * except `but`, has outcome o. */
static void county_items_are(const county_verdict *v, const char *county, item_id but, item_outcome o)
{
    for (int i = 0; i < ITEM_COUNT; i++)
        if (i != (int)but && ITEMS[i].source != SOURCE_SCHOOL_DATA && i != ITEM_2_6 && i != ITEM_2_7)
            expect(v, county, (item_id)i, o);
}

/* The county every part of the demo points to as the one that passes. */
Test(demo_verdicts, qihe_is_complete_and_passes_every_item)
{
    county_verdict *v = verdict_of("371425");
    cr_assert_eq(v->verdict, VERDICT_PASS, "%s", v->reason_en);
    cr_assert_eq(v->schools_submitted, 100);
    cr_assert_eq(v->schools_registered, 100);
    for (int i = 0; i < ITEM_COUNT; i++)
        expect(v, "371425", (item_id)i, OUTCOME_PASS);
    cr_assert_eq(v->items_passing, ITEM_SCORED_COUNT);
    cr_assert_eq(v->vetoes_present + v->vetoes_pending, 0);
    cr_assert_eq(county_verdict_pending(v, NULL, 0), 0);
    /* 3.1 under the configured formula: 4882 / (5412 + 96 - 402 - 3) */
    const item_result *r = &v->items[ITEM_3_1];
    cr_assert_str_eq(r->formula, "net_mobility");
    cr_assert_str_eq(r->formula_key, "junior_retention.formula");
    cr_assert_float_eq(r->value, 4882.0 / 5103.0, 1e-12);
    county_verdict_destroy(&v);
}

/* The spec's point about the formula: the same numbers, read as G / A, fail. */
Test(demo_verdicts, qihe_would_fail_3_1_under_raw)
{
    rules_config raw = R;
    raw.retention_formula = RETENTION_RAW;
    county_verdict *v = verdict_under(&raw, "371425");
    expect(v, "371425", ITEM_3_1, OUTCOME_FAIL);
    cr_assert_str_eq(v->items[ITEM_3_1].formula, "raw");
    cr_assert_float_eq(v->items[ITEM_3_1].value, 4882.0 / 5412.0, 1e-12);
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    cr_assert(strstr(v->reason_en, "failing items: 3.1;"), "%s", v->reason_en);
    county_verdict_destroy(&v);
}

/* Everything 乐陵市 has sent passes; the quality items, 4.1, the vetoes
 * and one school are still missing. */
Test(demo_verdicts, laoling_is_pending_on_what_it_has_not_sent)
{
    county_verdict *v = verdict_of("371481");
    cr_assert_eq(v->verdict, VERDICT_PENDING, "%s", v->reason_en);
    cr_assert_eq(v->items_failing, 0);
    cr_assert_eq(v->vetoes_present, 0);
    cr_assert_eq(v->schools_registered - v->schools_submitted, 1);
    char list[256];
    pending_list(v, list, sizeof list);
    cr_assert_str_eq(list, "3.3 3.5 3.6 3.7 3.8 3.9 4.1 5.1 5.2 5.3 5.4 5.5 5.6");
    cr_assert(strstr(v->reason_en, "schools not submitted: 1"), "%s", v->reason_en);
    const item_id sent[] = { ITEM_2_1, ITEM_2_2, ITEM_2_6, ITEM_2_8, ITEM_2_10, ITEM_2_14, ITEM_2_15, ITEM_3_1, ITEM_3_2 };
    for (size_t k = 0; k < sizeof sent / sizeof sent[0]; k++)
        expect(v, "371481", sent[k], OUTCOME_PASS);
    for (int i = ITEM_1_1; i <= ITEM_1_7; i++)
        expect(v, "371481", (item_id)i, OUTCOME_PASS);
    county_verdict_destroy(&v);
}

/* 平原县 answers everything and meets every county item, but key classes were found. */
Test(demo_verdicts, pingyuan_fails_on_the_key_class_veto)
{
    county_verdict *v = verdict_of("371426");
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    expect(v, "371426", ITEM_5_3, OUTCOME_FAIL);
    cr_assert_eq(v->vetoes_present, 1);
    cr_assert(strstr(v->reason_en, "vetoes present: 5.3"), "%s", v->reason_en);
    cr_assert_not_null(v->items[ITEM_5_3].facts);
    cr_assert(strstr(v->items[ITEM_5_3].facts[0].evidence, "重点班"), "%s", v->items[ITEM_5_3].facts[0].evidence);
    county_items_are(v, "371426", ITEM_5_3, OUTCOME_PASS);
    cr_assert_eq(county_verdict_pending(v, NULL, 0), 0);
    county_verdict_destroy(&v);
}

/* 庆云县 answers everything; its junior retention is 5837 / (6418 + 87 - 295 - 4) = 0.9405. */
Test(demo_verdicts, qingyun_fails_3_1_under_net_mobility)
{
    county_verdict *v = verdict_of("371423");
    cr_assert_eq(v->verdict, VERDICT_FAIL);
    const item_result *r = &v->items[ITEM_3_1];
    expect(v, "371423", ITEM_3_1, OUTCOME_FAIL);
    cr_assert_str_eq(r->formula, "net_mobility");
    cr_assert_float_eq(r->value, 5837.0 / 6206.0, 1e-12);
    cr_assert_eq(r->comparison, CMP_AT_LEAST);
    cr_assert_float_eq(r->threshold, 0.95, 1e-12);
    cr_assert(strstr(v->reason_en, "3.1"), "%s", v->reason_en);
    county_items_are(v, "371423", ITEM_3_1, OUTCOME_PASS);
    cr_assert_eq(county_verdict_pending(v, NULL, 0), 0);
    county_verdict_destroy(&v);
}

/* The counties that have sent part of their inputs: what they sent is
 * judged, the rest is listed as pending; school data already fails them. */
Test(demo_verdicts, partial_counties_list_their_pending_items)
{
    static const struct {
        const char *code, *pending;
    } want[] = {
        { "371402", "3.1 3.2 3.3 3.5 3.6 3.7 3.8 3.9 4.1 5.1 5.2 5.3 5.4 5.5 5.6" },
        { "371424", "2.1 2.2 2.6 2.8 2.10 2.14 2.15 3.3 3.5 3.6 3.7 3.8 3.9 4.1" },
        { "371428", "2.1 2.2 2.6 2.8 2.10 2.14 2.15 3.1 3.2 3.3 3.5 3.6 3.7 3.8 5.1 5.2 5.3 5.4 5.5 5.6" },
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        county_verdict *v = verdict_of(want[k].code);
        char list[256];
        pending_list(v, list, sizeof list);
        cr_assert_str_eq(list, want[k].pending, "%s", want[k].code);
        cr_assert_eq(v->verdict, VERDICT_FAIL, "%s: %s", want[k].code, v->reason_en);
        cr_assert_eq(v->vetoes_present, 0);
        for (int i = 0; i < ITEM_COUNT; i++)
            if (v->items[i].outcome == OUTCOME_FAIL)
                cr_assert_eq(ITEMS[i].source, SOURCE_SCHOOL_DATA, "%s fails %s on a county input", want[k].code,
                             ITEMS[i].number);
        county_verdict_destroy(&v);
    }
}

/* Every county's verdict, as docs/demo-data.md tells it. */
Test(demo_verdicts, every_county)
{
    static const struct {
        const char *code;
        county_verdict_value verdict;
        bool inputs;
    } want[] = {
        { "371402", VERDICT_FAIL, true },  { "371403", VERDICT_FAIL, false }, { "371422", VERDICT_FAIL, false },
        { "371423", VERDICT_FAIL, true },  { "371424", VERDICT_FAIL, true },  { "371425", VERDICT_PASS, true },
        { "371426", VERDICT_FAIL, true },  { "371427", VERDICT_FAIL, false }, { "371428", VERDICT_FAIL, true },
        { "371481", VERDICT_PENDING, true }, { "371482", VERDICT_FAIL, false }, { "371471", VERDICT_FAIL, false },
    };
    cr_assert_eq(N_COUNTIES, sizeof want / sizeof want[0]);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        county_verdict *v = verdict_of(want[k].code);
        cr_assert_eq(v->verdict, want[k].verdict, "%s: %s, expected %s (%s)", want[k].code, VERDICT_KEYS[v->verdict],
                     VERDICT_KEYS[want[k].verdict], v->reason_en);
        if (!want[k].inputs)
            county_items_are(v, want[k].code, ITEM_COUNT, OUTCOME_PENDING);
        county_verdict_destroy(&v);
    }
}
