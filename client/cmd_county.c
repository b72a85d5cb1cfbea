/* cmd_county.c -- `junheng county`: the county education bureau's inputs
 * (the items school data cannot decide, and the vetoes).
 *
 *   county submit FILE   reads a county-inputs file (UTF-8 or GBK, English or
 *                        Chinese headings), checks it with the daemon's own
 *                        reader (common/county_inputs_csv.h), spools each
 *                        (county, period) revision with a new submission id
 *                        (spool.h), sends it on the submit socket and prints
 *                        the answer per revision
 *   county template      writes the blank file to fill in (county_inputs_template)
 *
 * A revision with any refused row is not sent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "csv_out.h"
#include "i18n.h"
#include "county_inputs_csv.h"
#include "file_read.h"
#include "rules_file.h"
#include "spool.h"
#include "table_input.h"
#include "wire.h"
#include "wire_county.h"

/* `junheng county --help`. */
static void county_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] county submit [--county CODE] [--period P] [--rules FILE]\n"
          "                                      [--spool DIR] [--sheet S] FILE\n"
          "       junheng [GLOBAL OPTIONS] county submit --flush [--spool DIR]\n"
          "       junheng county template --county CODE --period P [--zh] [--bom] [--xlsx] [--out FILE]\n"
          "\n"
          "The county education bureau's inputs: the facts only a county holds (2.1, 2.2, 2.8,\n"
          "2.10, 2.14, 2.15, 3.1–3.3, 3.5–3.8), the external results it forwards (3.9 quality\n"
          "monitoring, 4.1 social recognition) and its answers to the vetoes (否决项 5.1–5.6 and\n"
          "any the province adds). The file's format is in docs/formats.md.\n"
          "\n"
          "county submit FILE   reads FILE (CSV, UTF-8 with or without BOM or GBK, or an .xlsx\n"
          "                     workbook; English or\n"
          "                     Chinese headings; one row per field), checks every row with\n"
          "                     the same reader the daemon uses and prints each refusal with\n"
          "                     its line, item, field and reason (Chinese and English). Each\n"
          "                     (county, period) in the file is one new revision: one with a\n"
          "                     refused row is not sent; the others get a submission id, are\n"
          "                     written to the spool and then sent. One line per revision:\n"
          "  FILE:LINE COUNTY accepted revision N   stored as the county's new revision\n"
          "  FILE:LINE COUNTY duplicate revision N  this exact revision was stored before\n"
          "  FILE:LINE COUNTY refused               followed by every reason\n"
          "  FILE:LINE COUNTY not answered          still pending in the spool (retry later)\n"
          "  --county CODE      the county when the file has no county_code (县区代码) column\n"
          "  --period P         the school year when the file has no period (学年) column\n"
          "  --rules FILE       the province's rules file, so its extra vetoes (5.7…) are\n"
          "                     known here (without it only 5.1–5.6 are; the daemon checks\n"
          "                     against its own rules in any case)\n"
          "  --spool DIR        the spool folder (as for junheng submit)\n"
          "  --flush            send everything still pending in the spool (= submit --flush)\n"
          "  --sheet S          the sheet of an .xlsx FILE: its name or position from 1\n"
          "                     (default: the first)\n"
          "\n"
          "county template      writes the file to fill in: one row per field of every item,\n"
          "                     with the item's name, the field's Chinese label, its unit and\n"
          "                     rule; fill in value and evidence, leave unknown values blank\n"
          "  --county CODE --period P   the county and school year written on every row\n"
          "  --zh               Chinese column headings (and a UTF-8 BOM, for Excel)\n"
          "  --bom              a UTF-8 BOM with English headings\n"
          "  --encoding gbk     GBK (no BOM) instead of UTF-8, for an older Excel\n"
          "  --xlsx             an Excel workbook with a note on every heading (needs --out;\n"
          "                     = junheng template county-inputs --xlsx)\n"
          "  --out FILE         write to FILE (default stdout)\n"
          "\n"
          "Exit status: 0 all accepted or duplicate, 1 some refused, 2 bad usage or\n"
          "unreadable file or spool, 3 some revisions still pending (junheng county submit --flush).\n"
          "\n"
          "Examples:\n"
          "  junheng county template --county 371424 --period 2025 --zh --out 临邑县-县级填报.csv\n"
          "  junheng county submit 临邑县-县级填报.csv\n"),
          out);
}

/* Parses a school year. Returns 0, or prints why and -1. */
static int parse_period(const char *text, int32_t *out)
{
    char *end;
    long p = strtol(text, &end, 10);
    if (*end || p < 1900 || p > 2200) {
        fprintf(stderr, _("junheng county: --period '%s' is not a school year like 2025\n"), text);
        return -1;
    }
    *out = (int32_t)p;
    return 0;
}

/* `county template`. Returns the exit status. */
static int county_template(int argc, char **argv)
{
    const char *county = NULL, *out_path = NULL, *period_text = NULL;
    int32_t period = 0;
    unsigned flags = 0;
    bool xlsx = false;
    csv_encoding enc = CSV_UTF8;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--county") == 0 && i + 1 < argc)
            county = argv[++i];
        else if (strcmp(a, "--encoding") == 0 && i + 1 < argc) {
            if (csv_encoding_parse(argv[++i], &enc) != 0) {
                fprintf(stderr, _("junheng county template: --encoding '%s': give utf-8 or gbk\n"), argv[i]);
                return EXIT_USAGE;
            }
        }
        else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            if (parse_period(period_text = argv[++i], &period) != 0)
                return EXIT_USAGE;
        } else if (strcmp(a, "--xlsx") == 0)
            xlsx = true;
        else if (strcmp(a, "--zh") == 0)
            flags |= COUNTY_TEMPLATE_ZH_HEADERS | COUNTY_TEMPLATE_BOM;
        else if (strcmp(a, "--bom") == 0)
            flags |= COUNTY_TEMPLATE_BOM;
        else if (strcmp(a, "--out") == 0 && i + 1 < argc)
            out_path = argv[++i];
        else {
            fprintf(stderr, _("junheng county template: unexpected '%s' (see junheng county --help)\n"), a);
            return EXIT_USAGE;
        }
    }
    if (!county || strlen(county) != 6 || strspn(county, "0123456789") != 6 || !period) {
        fprintf(stderr, _("junheng county template: give --county CODE (6 digits) and --period P\n"));
        return EXIT_USAGE;
    }
    if (xlsx) { /* the workbook: = junheng template county-inputs --xlsx */
        char *sub[] = { "template", "county-inputs", "--county", (char *)county, "--period", (char *)period_text,
                        "--xlsx", out_path ? "--out" : NULL, (char *)out_path, NULL };
        return cmd_template(out_path ? 9 : 7, sub);
    }
    char *text = county_inputs_template(NULL, county, period, NULL, flags);
    if (!text) {
        fprintf(stderr, _("junheng county template: out of memory\n"));
        return EXIT_USAGE;
    }
    FILE *f = out_path ? fopen(out_path, "wb") : stdout;
    int code = EXIT_OK;
    char err[512] = "";
    if (!f) {
        snprintf(err, sizeof err, "%s", strerror(errno));
    } else {
        bool bad = enc == CSV_GBK ? csv_out_write(f, text, strlen(text), enc, err, sizeof err) != 0
                                  : fputs(text, f) == EOF;
        if (bad && !err[0])
            snprintf(err, sizeof err, "%s", strerror(errno));
        if (out_path && fclose(f) != 0 && !err[0])
            snprintf(err, sizeof err, "%s", strerror(errno));
    }
    if (err[0]) {
        fprintf(stderr, _("junheng county template: %s: %s\n"), out_path ? out_path : "stdout", err);
        code = EXIT_USAGE;
    }
    free(text);
    return code;
}

/* The options of `county submit`. */
typedef struct {
    const char *county, *rules_path, *spool_path, *file, *sheet;
    int32_t period;
    bool flush;
} submit_opts;

/* Parses `county submit` options. Returns 0, 1 for --help, or -1 (printed). */
static int parse_submit(int argc, char **argv, submit_opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0)
            return 1;
        if (strcmp(a, "--county") == 0 && i + 1 < argc)
            o->county = argv[++i];
        else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            if (parse_period(argv[++i], &o->period) != 0)
                return -1;
        } else if (strcmp(a, "--rules") == 0 && i + 1 < argc)
            o->rules_path = argv[++i];
        else if (strcmp(a, "--spool") == 0 && i + 1 < argc)
            o->spool_path = argv[++i];
        else if (strcmp(a, "--sheet") == 0 && i + 1 < argc)
            o->sheet = argv[++i];
        else if (strcmp(a, "--flush") == 0)
            o->flush = true;
        else if (a[0] != '-' && !o->file)
            o->file = a;
        else {
            fprintf(stderr, _("junheng county submit: unexpected '%s' (see junheng county --help)\n"), a);
            return -1;
        }
    }
    if (!o->file && !o->flush) {
        fprintf(stderr, _("junheng county submit: give the county-inputs FILE (or --flush)\n"));
        return -1;
    }
    return 0;
}

/* Reads and checks the file, printing every refusal. Returns the file
 * (caller destroys) or NULL (printed why). */
static county_inputs_file *read_checked(const submit_opts *o, const rules_config *rules, size_t *n_problems)
{
    char *bytes;
    size_t len;
    if (table_input_read("county submit", o->file, o->sheet, &bytes, &len) != 0)
        return NULL;
    county_inputs_file *f = NULL;
    problem_list problems = { 0 };
    int rc = county_inputs_read(bytes, len, rules, o->county, o->period, &f, &problems);
    free(bytes);
    if (rc != 0)
        fprintf(stderr, _("junheng county submit: %s: not read:\n"), o->file);
    for (size_t i = 0; i < problems.count; i++)
        client_print_problem(rc != 0 ? stderr : stdout, rc != 0 ? "" : "refused: ", problems.items[i].field,
                             problems.items[i].reason);
    *n_problems = problems.count;
    problem_list_clear(&problems);
    return f;
}

/* One revision to send. */
typedef struct {
    char origin[512];
    const county_inputs_revision *rev;
    spool_entry entry;
    transport_request req;
} county_send;

/* Packs the revisions without errors into sends (n_out of them). Returns 0 or -1 (OOM). */
static int pack_all(const county_inputs_file *f, const rules_config *rules, const char *path, county_send *sends,
                    size_t *n_out)
{
    *n_out = 0;
    for (size_t i = 0; i < f->n_sets; i++) {
        const county_inputs_revision *rev = &f->sets[i];
        if (rev->n_errors > 0)
            continue;
        county_send *s = &sends[(*n_out)++];
        memset(s, 0, sizeof *s);
        s->rev = rev;
        snprintf(s->origin, sizeof s->origin, "%s:%zu", path, rev->first_line);
        wire_uuid_new(s->entry.submission_id);
        if (wire_request_id_new(s->req.request_id) != 0 ||
            wire_envelope_pack_county_inputs(s->req.request_id, s->entry.submission_id, rev, rules, &s->req.msg,
                                             &s->req.len) != 0)
            return -1;
        snprintf(s->entry.school_code, sizeof s->entry.school_code, "%s", rev->county_code);
        snprintf(s->entry.origin, sizeof s->entry.origin, "%s", s->origin);
        s->entry.msg = s->req.msg;
        s->entry.len = s->req.len;
    }
    return 0;
}

/* Prints the answer of one revision and counts it. */
static void print_answer(const county_send *s, int *ok, int *refused, int *pending)
{
    const Junheng__Reply *r = s->req.reply;
    const char *code = s->rev->county_code;
    if (!r || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER || r->status == JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN) {
        (*pending)++;
        printf(_("%s %s period %d not answered%s%s (submission %s, still pending; retry later)\n"), s->origin, code,
               (int)s->rev->period, r && r->body ? ": " : "", r && r->body ? r->body : "", s->entry.submission_id);
        return;
    }
    if (r->status == JUNHENG__REPLY_STATUS__ACCEPTED || r->status == JUNHENG__REPLY_STATUS__DUPLICATE) {
        (*ok)++;
        printf(_("%s %s period %d %s revision %lld\n"), s->origin, code, (int)s->rev->period,
               _(wire_reply_status_name(r->status)), (long long)r->revision);
    } else {
        (*refused)++;
        printf(_("%s %s period %d %s\n"), s->origin, code, (int)s->rev->period, _(wire_reply_status_name(r->status)));
        client_print_problems(stdout, "", r->errors, r->n_errors);
    }
    client_print_problems(stdout, _("warning: "), r->warnings, r->n_warnings);
}

/* Spools, sends and reports the packed revisions. Returns the exit status. */
static int send_all(client_options *opts, spool *sp, county_send *sends, size_t n, int refused_locally)
{
    char err[4400];
    spool_entry *entries = calloc(n ? n : 1, sizeof *entries);
    transport_request *reqs = calloc(n ? n : 1, sizeof *reqs);
    if (!entries || !reqs) {
        free(entries);
        free(reqs);
        fprintf(stderr, _("junheng county submit: out of memory; nothing was sent\n"));
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < n; i++) {
        entries[i] = sends[i].entry;
        reqs[i] = sends[i].req;
    }
    int code = EXIT_OK;
    if (n > 0 && spool_put(sp, entries, n, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng county submit: %s; nothing was sent\n"), err);
        code = EXIT_USAGE;
    } else if (n > 0 && transport_exchange(opts->submit_endpoint, reqs, n, &opts->transport) < 0)
        fprintf(stderr, _("junheng county submit: cannot open a socket to %s\n"), opts->submit_endpoint);
    int ok = 0, refused = refused_locally, pending = 0;
    for (size_t i = 0; code == EXIT_OK && i < n; i++) {
        sends[i].req.reply = reqs[i].reply;
        reqs[i].reply = NULL;
        const Junheng__Reply *r = sends[i].req.reply;
        if (r && r->status != JUNHENG__REPLY_STATUS__RETRY_LATER && r->status != JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN)
            spool_remove(sp, sends[i].entry.submission_id);
        print_answer(&sends[i], &ok, &refused, &pending);
    }
    if (code == EXIT_OK) {
        printf(_("%d accepted or duplicate, %d refused, %d not answered\n"), ok, refused, pending);
        fflush(stdout); /* the lines above come before the note below, also into one file */
        if (pending > 0) {
            fprintf(stderr, _("junheng county submit: %d revision%s still pending in %s; send again with: junheng "
                            "county submit --flush\n"), pending, pending == 1 ? "" : "s", spool_dir(sp));
            code = EXIT_UNREACHABLE;
        } else if (refused > 0)
            code = EXIT_REFUSED;
    }
    free(entries);
    free(reqs);
    return code;
}

/* Opens the spool of --spool or the default one. Returns it or NULL (printed). */
static spool *open_spool(const char *path)
{
    char dir[4096], err[4400];
    if (!path) {
        if (spool_default_dir(dir, sizeof dir) != 0) {
            fprintf(stderr, _("junheng county submit: no spool folder (set HOME or XDG_DATA_HOME, or give --spool DIR)\n"));
            return NULL;
        }
        path = dir;
    }
    spool *sp = NULL;
    if (spool_new(path, &sp, err, sizeof err) != 0)
        fprintf(stderr, _("junheng county submit: %s\n"), err);
    return sp;
}

/* `county submit`. Returns the exit status. */
static int county_submit(client_options *opts, int argc, char **argv)
{
    submit_opts o = { 0 };
    int parsed = parse_submit(argc, argv, &o);
    if (parsed != 0) {
        if (parsed > 0)
            county_usage(stdout);
        return parsed > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (o.flush) { /* the spool holds whole Envelopes: submit --flush sends them alike */
        char *sub[] = { "submit", "--flush", "--spool", (char *)o.spool_path, NULL };
        return cmd_submit(opts, o.spool_path ? 4 : 2, sub);
    }
    rules_config rules;
    char err[512];
    rules_config_default(&rules);
    if (o.rules_path && rules_config_load(&rules, o.rules_path, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng county submit: %s\n"), err);
        return EXIT_USAGE;
    }
    size_t n_problems = 0;
    county_inputs_file *f = read_checked(&o, o.rules_path ? &rules : NULL, &n_problems);
    if (!f)
        return EXIT_USAGE;
    int refused = 0;
    if (f->n_sets == 0)
        fprintf(stderr, _("junheng county submit: %s gives no value (a blank value leaves its field pending); "
                        "nothing to send\n"), o.file);
    for (size_t i = 0; i < f->n_sets; i++)
        if (f->sets[i].n_errors > 0) {
            refused++;
            printf(_("%s:%zu %s period %d refused (checked locally, not sent: %zu row%s refused, listed above)\n"), o.file,
                   f->sets[i].first_line, f->sets[i].county_code, (int)f->sets[i].period, f->sets[i].n_errors,
                   f->sets[i].n_errors == 1 ? "" : "s");
        }
    int code = EXIT_USAGE;
    spool *sp = open_spool(o.spool_path);
    county_send *sends = calloc(f->n_sets ? f->n_sets : 1, sizeof *sends);
    size_t n = 0;
    if (sp && sends) {
        if (pack_all(f, o.rules_path ? &rules : NULL, o.file, sends, &n) != 0)
            fprintf(stderr, _("junheng county submit: out of memory; nothing was sent\n"));
        else
            code = send_all(opts, sp, sends, n, refused);
    } else if (!sends)
        fprintf(stderr, _("junheng county submit: out of memory; nothing was sent\n"));
    for (size_t i = 0; sends && i < f->n_sets; i++)
        transport_request_clear(&sends[i].req);
    free(sends);
    spool_destroy(&sp);
    county_inputs_file_destroy(&f);
    return code;
}

int cmd_county(client_options *opts, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        county_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "submit") == 0)
        return county_submit(opts, argc, argv);
    if (strcmp(argv[1], "template") == 0)
        return county_template(argc, argv);
    fprintf(stderr, _("junheng county: unknown command '%s' (submit or template; see junheng county --help)\n"), argv[1]);
    return EXIT_USAGE;
}
