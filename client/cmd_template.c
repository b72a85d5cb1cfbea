/* cmd_template.c -- `junheng template submissions|registry|county-inputs`:
 * the blank file to fill in, as CSV (UTF-8 with a BOM, for Excel) or as an
 * .xlsx workbook with a note on every heading (common/table_template.h,
 * client/template_xlsx.h). Needs no keys and no daemon. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "csv_out.h"
#include "i18n.h"
#include "rules_file.h"
#include "table_template.h"
#include "template_xlsx.h"

/* `junheng template --help`. */
static void template_usage(FILE *out)
{
    fputs(_("Usage: junheng template submissions|registry|county-inputs|plan [--xlsx] [--out FILE]\n"
          "                        [--encoding utf-8|gbk]\n"
          "                        [--county CODE --period P [--rules FILE]]   (county-inputs)\n"
          "\n"
          "Writes the blank file to fill in: Chinese column headings with the unit in\n"
          "brackets (体育运动场馆面积（平方米）; the readers ignore the bracket), and one\n"
          "example row to replace with real ones:\n"
          "  submissions     a school's data (junheng submit): one row per school\n"
          "  registry        the school registry (junheng admin import-schools)\n"
          "  county-inputs   a county bureau's inputs (junheng county submit): one row per\n"
          "                  field of every item, for --county CODE and --period P (--rules:\n"
          "                  the province's rules file, for its extra vetoes)\n"
          "  plan            the city's plan (junheng admin import-plan): one row per county\n"
          "                  (and school year, or blank for every year)\n"
          "\n"
          "  --xlsx          an Excel workbook: a note on every heading (meaning, unit, bounds),\n"
          "                  codes and lists kept as text, numbers formatted; needs --out\n"
          "  --out FILE      write to FILE (default: stdout; CSV only)\n"
          "  --encoding E    the CSV's encoding: utf-8 (default) or gbk, for an older Excel\n"
          "\n"
          "The UTF-8 CSV starts with a BOM so that Excel opens it as UTF-8. Either file,\n"
          "filled in, is read back by submit, admin import-schools and county submit.\n"
          "\n"
          "Examples:\n"
          "  junheng template submissions --xlsx --out 学校填报.xlsx\n"
          "  junheng template county-inputs --county 371424 --period 2025 --out 县级填报.csv\n"),
          out);
}

/* The options of `junheng template`. */
typedef struct {
    int kind;
    bool xlsx;
    csv_encoding encoding;
    const char *out, *county, *rules_path;
    int32_t period;
} template_opts;

/* Parses the arguments. Returns -1 to go on, or the exit status to end with. */
static int parse_template(int argc, char **argv, template_opts *o)
{
    o->kind = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            template_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--xlsx") == 0)
            o->xlsx = true;
        else if (strcmp(a, "--out") == 0 && i + 1 < argc)
            o->out = argv[++i];
        else if (strcmp(a, "--encoding") == 0 && i + 1 < argc) {
            if (csv_encoding_parse(argv[++i], &o->encoding) != 0) {
                fprintf(stderr, _("junheng template: --encoding '%s': give utf-8 or gbk\n"), argv[i]);
                return EXIT_USAGE;
            }
        }
        else if (strcmp(a, "--county") == 0 && i + 1 < argc)
            o->county = argv[++i];
        else if (strcmp(a, "--rules") == 0 && i + 1 < argc)
            o->rules_path = argv[++i];
        else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            char *end = NULL;
            long p = strtol(argv[++i], &end, 10);
            if (!end || *end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng template: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            o->period = (int32_t)p;
        } else if (a[0] != '-' && o->kind < 0 && (o->kind = table_template_kind_of(a)) >= 0)
            continue;
        else {
            fprintf(stderr, _("junheng template: unexpected '%s' (see junheng template --help)\n"), a);
            return EXIT_USAGE;
        }
    }
    const char *bad = o->kind < 0                                                        ? "say which: submissions, registry, county-inputs or plan"
                      : o->xlsx && !o->out                                               ? "--xlsx needs --out FILE"
                      : o->kind == TEMPLATE_COUNTY_INPUTS && (!o->county || !o->period) ? "county-inputs needs --county CODE and --period P"
                      : o->kind == TEMPLATE_COUNTY_INPUTS && (strlen(o->county) != 6 || strspn(o->county, "0123456789") != 6)
                          ? "--county is a 6-digit county code"
                          : NULL;
    if (bad) {
        fprintf(stderr, _("junheng template: %s\n"), bad);
        return EXIT_USAGE;
    }
    return -1;
}

/* Writes the CSV text of t to path (NULL: stdout) in enc. Returns the exit status. */
static int write_csv(const table_template *t, const char *path, csv_encoding enc)
{
    size_t len;
    char *text = table_template_csv(t, &len);
    if (!text) {
        fprintf(stderr, _("junheng template: out of memory\n"));
        return EXIT_USAGE;
    }
    char err[512];
    FILE *f = path ? fopen(path, "wb") : stdout;
    int code = EXIT_OK;
    if (!f) {
        fprintf(stderr, _("junheng template: %s: %s\n"), path, strerror(errno));
        code = EXIT_USAGE;
    } else if (csv_out_write(f, text, len, enc, err, sizeof err) != 0 || (path && fclose(f) != 0)) {
        fprintf(stderr, _("junheng template: %s: %s\n"), path ? path : "stdout", err);
        code = EXIT_USAGE;
    }
    free(text);
    return code;
}

/* See client.h. */
int cmd_template(int argc, char **argv)
{
    template_opts o = { 0 };
    int code = parse_template(argc, argv, &o);
    if (code >= 0)
        return code;
    rules_config rules;
    char err[512];
    rules_config_default(&rules);
    if (o.rules_path && rules_config_load(&rules, o.rules_path, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng template: %s\n"), err);
        return EXIT_USAGE;
    }
    table_template *t = NULL;
    if (table_template_build((template_kind)o.kind, o.rules_path ? &rules : NULL, o.county, o.period, &t) != 0) {
        fprintf(stderr, _("junheng template: out of memory\n"));
        return EXIT_USAGE;
    }
    static const char *const SHEETS[] = { "学校填报", "学校名册", "县级填报", "推进方案" };
    if (!o.xlsx)
        code = write_csv(t, o.out, o.encoding);
    else if (template_xlsx_write(t, o.out, SHEETS[o.kind], err, sizeof err) != 0) {
        fprintf(stderr, _("junheng template: %s\n"), err);
        code = EXIT_USAGE;
    } else
        code = EXIT_OK;
    table_template_destroy(&t);
    return code;
}
