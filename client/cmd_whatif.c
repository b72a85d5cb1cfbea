/* cmd_whatif.c -- `junheng whatif`: hypothetical changes to schools'
 * submissions sent to the daemon (Envelope.whatif on the admin socket),
 * which applies them to a copy of the county's current state -- nothing
 * stored, nothing published -- and answers the status after them and what
 * differs from now (docs/whatif.md). Printed as the verdict before and
 * after, the sections that flip, the coefficients against their limits and
 * the items that change; or, with --json, the daemon's JSON as it is. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assess_items.h"
#include "client.h"
#include "csv_table.h"
#include "i18n.h"
#include "indicators.h"
#include "items.h"
#include "table_input.h"
#include "whatif_print.h"
#include "wire.h"

static void whatif_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] whatif --county CODE [--period Y] [--view live|official]\n"
            "                                       [--changes FILE] [SCHOOL.FIELD=VALUE | SCHOOL.FIELD=+DELTA ...]\n"
            "                                       [--json]\n"
            "\n"
            "Applies hypothetical changes to a copy of the county's current state in the daemon\n"
            "and shows the status they would give: nothing is stored or published.\n"
            "\n"
            "  --county CODE   the county (6 digits)\n"
            "  --period Y      school year by its starting year (default: newest with data)\n"
            "  --view V        live (default) or official: the state the changes apply to\n"
            "  --changes FILE  a CSV or XLSX table with columns school_code, field, value\n"
            "                  (学校标识码, 字段, 值)\n"
            "  SCHOOL.FIELD=VALUE    sets a submission column (docs/formats.md §1) of a school:\n"
            "                  3714250001.sports_area_m2=1200\n"
            "  SCHOOL.FIELD=+DELTA   adds to it (+300) or takes from it (-2); a list\n"
            "                  (class_sizes, music_room_areas_m2, art_room_areas_m2) is set\n"
            "                  with 45;45;40 and grown with +96 (one more room of 96 m²)\n"
            "  --json          print the daemon's answer (docs/whatif.md)\n"
            "\n"
            "Who may: admin keys, monitor keys in their scope, a county's own key.\n"
            "\n"
            "Examples:\n"
            "  junheng whatif --county 371425 3714250001.sports_area_m2=+800\n"
            "  junheng whatif --county 371425 --changes plan.csv --json\n"),
          out);
}

/* The options of `junheng whatif`; the changes' strings point into argv or
 * into the table read (kept until the command ends). */
typedef struct {
    const char *county, *view, *changes_file;
    int32_t period;
    bool json;
    Junheng__WhatIfChange *changes;
    size_t n_changes, cap_changes;
    csv_table *table;
} whatif_args;

/* Adds one change. 0, or -1 when out of memory. */
static int add_change(whatif_args *a, char *school, char *field, char *value)
{
    if (a->n_changes == a->cap_changes) {
        size_t cap = a->cap_changes ? a->cap_changes * 2 : 16;
        Junheng__WhatIfChange *c = realloc(a->changes, cap * sizeof *c);
        if (!c)
            return -1;
        a->changes = c;
        a->cap_changes = cap;
    }
    Junheng__WhatIfChange *c = &a->changes[a->n_changes++];
    junheng__what_if_change__init(c);
    c->school_code = school;
    c->field = field;
    c->value = value;
    return 0;
}

/* Reads SCHOOL.FIELD=VALUE (arg changed in place). 0, or -1 having said why. */
static int change_arg(whatif_args *a, char *arg)
{
    char *eq = strchr(arg, '=');
    char *dot = eq ? memchr(arg, '.', (size_t)(eq - arg)) : NULL;
    if (!eq || !dot || dot == arg || dot + 1 == eq) {
        fprintf(stderr, _("junheng whatif: '%s' is not SCHOOL.FIELD=VALUE (see junheng whatif --help)\n"), arg);
        return -1;
    }
    *dot = '\0';
    *eq = '\0';
    return add_change(a, arg, dot + 1, eq + 1);
}

/* Which column of the changes table a heading is: 0 school, 1 field, 2 value, -1 none. */
static int heading_of(const char *h)
{
    static const char *const names[3][4] = { { "school_code", "学校标识码", "学校代码", "学校" },
                                             { "field", "字段", "列", "项目" },
                                             { "value", "值", "数值", "取值" } };
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 4; j++)
            if (strcasecmp(h, names[k][j]) == 0)
                return k;
    return -1;
}

/* Reads the changes table. 0, or -1 having said why. */
static int changes_file(whatif_args *a)
{
    char *bytes, err[256];
    size_t len;
    if (table_input_read("whatif", a->changes_file, NULL, &bytes, &len) != 0)
        return -1;
    int rc = csv_table_parse(bytes, len, &a->table, err, sizeof err);
    free(bytes);
    if (rc != 0) {
        fprintf(stderr, "junheng whatif: %s: %s\n", a->changes_file, err);
        return -1;
    }
    int col[3] = { -1, -1, -1 };
    for (size_t i = 0; i < a->table->n_cols; i++) {
        int k = heading_of(a->table->header[i]);
        if (k >= 0)
            col[k] = (int)i;
    }
    if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
        fprintf(stderr, _("junheng whatif: %s: the columns are school_code, field, value (学校标识码, 字段, 值)\n"),
                a->changes_file);
        return -1;
    }
    for (size_t r = 0; r < a->table->n_rows; r++) {
        csv_row *row = &a->table->rows[r];
        if ((size_t)col[0] >= row->n_fields || (size_t)col[1] >= row->n_fields) {
            fprintf(stderr, _("junheng whatif: %s line %zu: no school_code or field\n"), a->changes_file, row->line);
            return -1;
        }
        static char empty[] = "";
        char *value = (size_t)col[2] < row->n_fields ? row->fields[col[2]] : empty;
        if (add_change(a, row->fields[col[0]], row->fields[col[1]], value) != 0)
            return -1;
    }
    return 0;
}

/* Reads the arguments of `junheng whatif` into a. Returns -1 to go on, or
 * the exit status to end with at once (--help, a bad argument). */
static int parse_whatif_args(whatif_args *a, int argc, char **argv)
{
    a->view = "live";
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (strcmp(arg, "--help") == 0) {
            whatif_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "--county") == 0 && i + 1 < argc) {
            a->county = argv[++i];
        } else if (strcmp(arg, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng whatif: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            a->period = (int32_t)p;
        } else if (strcmp(arg, "--view") == 0 && i + 1 < argc) {
            if (client_parse_view("whatif", argv[++i], &a->view) != 0)
                return EXIT_USAGE;
        } else if (strcmp(arg, "--changes") == 0 && i + 1 < argc) {
            a->changes_file = argv[++i];
        } else if (strcmp(arg, "--json") == 0) {
            a->json = true;
        } else if (arg[0] != '-' && strchr(arg, '=')) {
            if (change_arg(a, arg) != 0)
                return EXIT_USAGE;
        } else {
            fprintf(stderr, _("junheng whatif: unexpected '%s' (see junheng whatif --help)\n"), arg);
            return EXIT_USAGE;
        }
    }
    if (a->changes_file && changes_file(a) != 0)
        return EXIT_USAGE;
    if (!a->county || a->n_changes == 0) {
        fprintf(stderr, _("junheng whatif: give --county CODE and at least one change (SCHOOL.FIELD=VALUE or "
                          "--changes FILE)\n"));
        return EXIT_USAGE;
    }
    return -1;
}

/* Packs the request. 0 with *out (caller frees), or -1. */
static int pack_whatif(const whatif_args *a, const uint8_t rid[WIRE_REQUEST_ID_LEN], uint8_t **out, size_t *len)
{
    Junheng__WhatIfRequest req;
    junheng__what_if_request__init(&req);
    req.county_code = (char *)a->county;
    req.has_period = a->period != 0;
    req.period = a->period;
    req.view = (char *)a->view;
    Junheng__WhatIfChange **list = malloc(a->n_changes * sizeof *list);
    if (!list)
        return -1;
    for (size_t i = 0; i < a->n_changes; i++)
        list[i] = &a->changes[i];
    req.n_changes = a->n_changes;
    req.changes = list;
    Junheng__Envelope env;
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.body_case = JUNHENG__ENVELOPE__BODY_WHATIF;
    env.whatif = &req;
    int rc = wire_pack_message(&env.base, out, len);
    free(list);
    return rc;
}

int cmd_whatif(client_options *opts, int argc, char **argv)
{
    whatif_args a;
    memset(&a, 0, sizeof a);
    int code = parse_whatif_args(&a, argc, argv);
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (code < 0 && (wire_request_id_new(rid) != 0 || pack_whatif(&a, rid, &msg, &len) != 0)) {
        fprintf(stderr, "junheng whatif: %s\n", _("out of memory"));
        code = EXIT_USAGE;
    }
    Junheng__Reply *reply = code < 0 ? client_request_one(opts->admin_endpoint, msg, len, rid, &opts->transport) : NULL;
    free(msg);
    if (code >= 0) {
        /* answered already */
    } else if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, _("junheng whatif: no answer from %s%s%s\n"), opts->admin_endpoint,
                reply && reply->n_errors ? ": " : "", reply && reply->n_errors ? reply->errors[0]->reason : "");
        code = EXIT_UNREACHABLE;
    } else if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, _("junheng whatif: refused\n"));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        code = EXIT_REFUSED;
    } else if (a.json) {
        puts(reply->body ? reply->body : "{}");
        code = EXIT_OK;
    } else {
        json_t *body = json_loads(reply->body ? reply->body : "null", 0, NULL);
        if (body)
            whatif_print(stdout, body);
        else
            fprintf(stderr, _("junheng whatif: the daemon's answer is not JSON\n"));
        code = body ? EXIT_OK : EXIT_REFUSED;
        json_decref(body);
    }
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    free(a.changes);
    csv_table_destroy(&a.table);
    return code;
}
