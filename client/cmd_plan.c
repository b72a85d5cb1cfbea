/* cmd_plan.c -- `junheng plan`: the cheapest path (整改方案) for a county.
 * Fetches the county's schools through the daemon's what-if (with_schools,
 * no changes), plans with common/rectify.h, checks the plan by sending its
 * additions as what-if changes and reading the answer's "after" status, and
 * prints the table (or CSV, XLSX, JSON). docs/plan.md. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data_paths.h"
#include "file_read.h"
#include "i18n.h"
#include "plan_cli.h"
#include "rules_file.h"
#include "wire.h"

static void plan_usage(FILE *out)
{
    /* xgettext:no-c-format */
    fputs(_("Usage: junheng [GLOBAL OPTIONS] plan --county CODE [--period Y] [--costs FILE] [--budget YUAN]\n"
            "                                     [--rules FILE] [--csv FILE | --xlsx FILE] [--json]\n"
            "\n"
            "The cheapest path (整改方案): the least a county must hire, build and buy, school by\n"
            "school, so that its resource allocation (资源配置) passes -- every assessed section\n"
            "meets 6 of the 7 indicators with the rest at 85 % or more, every coefficient within\n"
            "its limit -- and item 2.3 (music and art rooms) passes. The plan is solved with GLPK\n"
            "and checked by the daemon's what-if (the same rules code as the status); beside its\n"
            "cost: the naive plan (every school raised to every standard) and a lower bound on\n"
            "the optimum. docs/plan.md explains the method and every cost.\n"
            "\n"
            "  --county CODE   the county (6 digits)\n"
            "  --period Y      school year by its starting year (default: newest with data)\n"
            "  --costs FILE    unit costs (CSV: item,unit,yuan); default the shipped costs.csv\n"
            "  --budget YUAN   at most this much: when a passing plan costs more, the plan that\n"
            "                  passes the most sections within it\n"
            "  --rules FILE    the rules file the daemon uses (default: the national 2017 rules)\n"
            "  --csv FILE      write the table as CSV;  --xlsx FILE  as an Excel workbook\n"
            "  --json          print the plan as JSON\n"
            "\n"
            "Exit status: 0 the plan passes (checked), 1 no passing plan (or not within the\n"
            "budget, or the check failed), 2 bad usage, 3 no answer.\n"),
          out);
}

typedef struct {
    const char *county, *costs_path, *rules_path, *csv, *xlsx;
    int32_t period;
    double budget;
    bool json;
} plan_args;

/* Reads the arguments. Returns -1 to go on, or the exit status to end with. */
static int parse_plan_args(plan_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool more = i + 1 < argc;
        char *end = NULL;
        if (strcmp(arg, "--help") == 0) {
            plan_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "--county") == 0 && more) {
            a->county = argv[++i];
        } else if (strcmp(arg, "--period") == 0 && more) {
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng plan: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            a->period = (int32_t)p;
        } else if (strcmp(arg, "--budget") == 0 && more) {
            errno = 0;
            a->budget = strtod(argv[++i], &end);
            if (*end || errno || !(a->budget > 0) || !isfinite(a->budget)) {
                fprintf(stderr, _("junheng plan: --budget '%s' is not an amount of yuan above 0\n"), argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(arg, "--costs") == 0 && more) {
            a->costs_path = argv[++i];
        } else if (strcmp(arg, "--rules") == 0 && more) {
            a->rules_path = argv[++i];
        } else if (strcmp(arg, "--csv") == 0 && more) {
            a->csv = argv[++i];
        } else if (strcmp(arg, "--xlsx") == 0 && more) {
            a->xlsx = argv[++i];
        } else if (strcmp(arg, "--json") == 0) {
            a->json = true;
        } else {
            fprintf(stderr, _("junheng plan: unexpected argument '%s' (see junheng plan --help)\n"), arg);
            return EXIT_USAGE;
        }
    }
    if (!a->county || !code_is_digits(a->county, COUNTY_CODE_LEN) || (a->csv && a->xlsx)) {
        fprintf(stderr, _("junheng plan: give --county with a 6-digit code (and at most one of --csv, --xlsx)\n"));
        return EXIT_USAGE;
    }
    return -1;
}

/* Loads the costs file (the shipped one by default) and the rules. 0, or -1 after saying why. */
static int load_inputs(const plan_args *a, plan_costs *costs, rules_config *rules)
{
    plan_costs_default(costs);
    rules_config_default(rules);
    char err[512];
    if (a->rules_path && rules_config_load(rules, a->rules_path, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng plan: rules %s: %s\n"), a->rules_path, err);
        return -1;
    }
    const char *path = a->costs_path ? a->costs_path : data_paths_plan_costs();
    char *text = NULL;
    size_t len = 0;
    if (file_read_all(path, 1 << 20, FILE_READ_REGULAR, &text, &len, NULL) != 0) {
        if (!a->costs_path)
            return 0;   /* no shipped file (a bare build): the built-in defaults are the same values */
        fprintf(stderr, _("junheng plan: cannot read costs file %s: %s\n"), path, strerror(errno));
        return -1;
    }
    int rc = plan_costs_parse(costs, text, err, sizeof err);
    free(text);
    if (rc != PLAN_OK) {
        fprintf(stderr, _("junheng plan: costs file %s: %s\n"), path, err);
        return -1;
    }
    return 0;
}

/* Parses an OK reply's body; NULL (after saying why) otherwise. exit gets the status to end with. */
static json_t *reply_json(client_options *opts, Junheng__Reply *reply, int *exit_code)
{
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, _("junheng plan: no answer from %s\n"), opts->admin_endpoint);
        *exit_code = EXIT_UNREACHABLE;
        return NULL;
    }
    if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, _("junheng plan: the daemon refused the what-if\n"));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        *exit_code = EXIT_REFUSED;
        return NULL;
    }
    json_t *j = json_loads(reply->body ? reply->body : "", 0, NULL);
    if (!j) {
        fprintf(stderr, _("junheng plan: the what-if answer is not JSON\n"));
        *exit_code = EXIT_REFUSED;
    }
    return j;
}

/* A submitted school of the county (from its status's sections) into code,
 * for the no-op change of fetch_county's fallback. 0, or -1. */
static int some_submitted_school(client_options *opts, const plan_args *a, char code[SCHOOL_CODE_LEN + 1])
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 ||
        client_pack_status_query(rid, a->county, a->period, false, NULL, &msg, &len) != 0)
        return -1;
    Junheng__Reply *reply = client_request_one(opts->snapshot_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    json_t *st = reply && reply->status == JUNHENG__REPLY_STATUS__OK && reply->body
                     ? json_loads(reply->body, 0, NULL) : NULL;
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    const char *c = json_string_value(json_object_get(json_array_get(json_object_get(st, "sections"), 0),
                                                      "school_code"));
    int rc = c && code_is_digits(c, SCHOOL_CODE_LEN) ? 0 : -1;
    if (rc == 0)
        snprintf(code, SCHOOL_CODE_LEN + 1, "%s", c);
    json_decref(st);
    return rc;
}

/* Whether a reply refuses a what-if for giving no change. */
static bool refused_no_change(const Junheng__Reply *r)
{
    if (!r || r->status != JUNHENG__REPLY_STATUS__REFUSED)
        return false;
    for (size_t i = 0; i < r->n_errors; i++)
        if (r->errors[i]->field && strcmp(r->errors[i]->field, "changes") == 0)
            return true;
    return false;
}

/* Fetches the county's schools into *d: a what-if with with_schools and no
 * change; a daemon that wants at least one change gets a no-op one ("+0"
 * on a submitted school's multimedia rooms). Returns -1 to go on, or the exit status. */
static int fetch_county(client_options *opts, const plan_args *a, plan_county_data *d)
{
    Junheng__Reply *reply = plan_whatif(opts, a->county, a->period, true, NULL, 0);
    char code[SCHOOL_CODE_LEN + 1];
    if (refused_no_change(reply) && some_submitted_school(opts, a, code) == 0) {
        junheng__reply__free_unpacked(reply, NULL);
        Junheng__WhatIfChange noop = JUNHENG__WHAT_IF_CHANGE__INIT, *list[1] = { &noop };
        noop.school_code = code;
        noop.field = (char *)"multimedia_rooms";
        noop.value = (char *)"+0";
        reply = plan_whatif(opts, a->county, a->period, true, list, 1);
    }
    int code_out = EXIT_OK;
    json_t *answer = reply_json(opts, reply, &code_out);
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    if (!answer)
        return code_out;
    char err[256];
    int rc = plan_county_from_json(answer, d, err, sizeof err);
    json_decref(answer);
    if (rc != 0) {
        fprintf(stderr, _("junheng plan: %s\n"), err);
        return EXIT_REFUSED;
    }
    return -1;
}

/* Prints or writes the plan as asked. Returns 0, or -1 after saying why. */
static int output_plan(const plan_args *a, const plan_view *v)
{
    char err[256];
    if (a->csv && plan_write_csv(a->csv, v, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng plan: %s: %s\n"), a->csv, err);
        return -1;
    }
    if (a->xlsx && plan_write_xlsx(a->xlsx, v, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng plan: %s: %s\n"), a->xlsx, err);
        return -1;
    }
    if (a->json) {
        json_t *j = plan_to_json(v);
        char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!text)
            return -1;
        puts(text);
        free(text);
    } else {
        plan_print_table(stdout, v);
    }
    return 0;
}

/* Runs the planner on the fetched county, checks and outputs. Returns the exit status. */
static int plan_and_check(client_options *opts, const plan_args *a, const plan_county_data *d,
                          const plan_costs *costs, const rules_config *rules)
{
    plan_request req = { rules, costs, &d->county, d->period, d->entries, d->n, a->budget, 0 };
    plan_result *res = NULL;
    int rc = plan_solve_county(&req, &res);
    if (rc != PLAN_OK) {
        fprintf(stderr, _("junheng plan: the planner failed (%s)\n"),
                rc == PLAN_ENOMEM ? _("out of memory") : _("solver error"));
        return EXIT_REFUSED;
    }
    plan_check check;
    plan_verify(opts, d, res, rules, &check);
    plan_view v = { d, res, costs, rules, a->budget, &check };
    int code = output_plan(a, &v) == 0 ? EXIT_OK : EXIT_USAGE;
    bool passes = res->outcome == PLAN_PASSES && check.done && check.resource_pass && check.rooms_pass;
    if (code == EXIT_OK && !passes)
        code = check.done || res->outcome != PLAN_PASSES ? EXIT_REFUSED : EXIT_UNREACHABLE;
    plan_result_destroy(&res);
    return code;
}

int cmd_plan(client_options *opts, int argc, char **argv)
{
    plan_args a;
    int code = parse_plan_args(&a, argc, argv);
    if (code >= 0)
        return code;
    plan_costs costs;
    rules_config rules;
    if (load_inputs(&a, &costs, &rules) != 0)
        return EXIT_USAGE;
    plan_county_data d;
    memset(&d, 0, sizeof d);
    code = fetch_county(opts, &a, &d);
    if (code >= 0)
        return code;
    if (d.rules_version[0] && strcmp(d.rules_version, rules.version) != 0)
        fprintf(stderr, _("junheng plan: warning: the daemon assesses with rules %s, this plan uses %s "
                          "(give the same file with --rules)\n"),
                d.rules_version, rules.version);
    code = plan_and_check(opts, &a, &d, &costs, &rules);
    plan_county_data_clear(&d);
    return code;
}
