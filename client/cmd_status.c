/* cmd_status.c -- `junheng status`: a county's status page (indicators with
 * their Chinese names, coefficients against limits, verdicts, the
 * rectification list 整改清单, guarantee items), its JSON, its history, or
 * one summary line per county of a city. The page is rendered from the JSON
 * of docs/formats.md §5 (status_page.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "i18n.h"
#include "school_page.h"
#include "status_page.h"
#include "wire.h"

static void status_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] status (--county CODE | --city CODE | --school CODE) [--period P]\n"
          "                                       [--json] [--history] [--view live|official]\n"
          "\n"
          "  --county CODE   a county's page: coverage; per stage (小学, 初中) the seven\n"
          "                  indicators with Chinese name, mean, standard, difference\n"
          "                  coefficient (校际差异系数) against its limit and sections meeting;\n"
          "                  the verdicts; the failing sections with what each needs\n"
          "                  (整改清单); the government-guarantee items (政府保障程度); the\n"
          "                  whole verdict, 达标 / 未达标 / 待定 with the failing and pending\n"
          "                  items (待定 with the reason when the daemon sends none), and\n"
          "                  every item by part -- 资源配置 1.1-1.7, 政府保障程度 2.1-2.15,\n"
          "                  教育质量 3.1-3.9, 社会认可度 4.1 -- and the vetoes (否决项 5.1-5.6+):\n"
          "                  number, Chinese name, id, outcome (达标/未达标/不适用/待补充),\n"
          "                  value vs threshold, formula, reason\n"
          "  --city CODE     one summary line per county with its verdict (city 371400 or\n"
          "                  3714; province 37)\n"),
          out);
    fputs(_("  --school CODE   one school's own result: per section (小学, 初中) the seven\n"
            "                  indicators (Chinese name and id) with value, standard and\n"
            "                  met ✓/✗, whether the section passes or why it is not\n"
            "                  assessed, what it needs as Chinese sentences\n"
            "                  (需增加体育运动场馆面积 1,137 平方米), the guarantee items,\n"
            "                  its revisions and their review state, and the county's\n"
            "                  verdict (a school's pass is not the county's). A school\n"
            "                  key reads its own school only (with no --county, --city\n"
            "                  or --school, a school key reads its own), a county key\n"
            "                  its county's schools, a monitor its scope, an admin any\n"
            "                  school\n"),
          out);
    fputs(_("  --period P      school year by its starting year (default: newest with data)\n"
          "  --json          print the status object (docs/formats.md) (with --city: one\n"
          "                  object per line)\n"
          "  --history       how the county's verdicts and coefficients changed over time\n"
          "  --view V        live (实时, default): the newest revision of everything received;\n"
          "                  official (正式): approved school revisions, the county's latest\n"
          "                  sealed inputs and the city's overrides (docs/review.md). The page\n"
          "                  says which, and shows the review state when the daemon sends it:\n"
          "                  the package (收集中 collecting ... 市级复核通过 city_passed, problems),\n"
          "                  schools awaiting approval, not submitted or returned, the period's\n"
          "                  closing date\n"
          "\n"
          "Examples:\n"
          "  junheng status --county 371425\n"
          "  junheng status --city 371400\n"
          "  junheng status --county 371425 --json | jq .verdict\n"
          "  junheng status --county 371425 --view official\n"
          "  junheng status --school 3714250001\n"
          "  junheng status --school 3714250001 --view official --json\n"),
          out);
    fputs(_("\nWith the city's plan imported (junheng admin import-plan), the county page has a\n"
            "plan section (each planned figure beside the measured one, those behind marked,\n"
            "the year the county is due to apply) and --city a plan column: on plan, N behind,\n"
            "or N behind, DUE YEAR when the county is behind in the year it is due to apply.\n"),
          out);
}

/* The options of `junheng status`. The strings point into argv. */
typedef struct {
    const char *county, *city, *school;
    const char *view;   /* "live" or "official" */
    int32_t period;
    bool json, history;
} status_args;

/* Reads the arguments of `junheng status` into a. Returns -1 to go on, or
 * the exit status to end with at once (--help, a bad argument). */
static int parse_status_args(status_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->view = "live";
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0) {
            status_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "--county") == 0 && i + 1 < argc)
            a->county = argv[++i];
        else if (strcmp(arg, "--city") == 0 && i + 1 < argc)
            a->city = argv[++i];
        else if (strcmp(arg, "--school") == 0 && i + 1 < argc)
            a->school = argv[++i];
        else if (strcmp(arg, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng status: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            a->period = (int32_t)p;
        } else if (strcmp(arg, "--json") == 0)
            a->json = true;
        else if (strcmp(arg, "--history") == 0)
            a->history = true;
        else if (strcmp(arg, "--view") == 0 && i + 1 < argc) {
            if (client_parse_view("status", argv[++i], &a->view) != 0)
                return EXIT_USAGE;
        }
        else {
            fprintf(stderr, _("junheng status: unexpected '%s' (see junheng status --help)\n"), arg);
            return EXIT_USAGE;
        }
    }
    int selectors = (a->county != NULL) + (a->city != NULL) + (a->school != NULL);
    if (selectors == 0 && !a->history) {
        a->school = ""; /* a school key's own school: the daemon knows the key (else it asks for --school) */
        return -1;
    }
    if (selectors != 1 || (a->history && !a->county)) {
        if (a->school) {
            fprintf(stderr, "%s", _("junheng status: give one of --county CODE, --city CODE or --school CODE\n"));
            return EXIT_USAGE;
        }
        fprintf(stderr, "%s", _("junheng status: give exactly one of --county CODE or --city CODE (--history needs --county)\n"));
        return EXIT_USAGE;
    }
    return -1;
}

/* Prints the status object body as a asks: JSON (a city's counties one a
 * line), the history, the city's summary lines or the county's page. */
static void print_status(const status_args *a, json_t *body)
{
    if (a->school && !a->json) {
        school_page_print(stdout, body);
    } else if (a->json) {
        if (a->city) {
            size_t i;
            json_t *o;
            json_array_foreach(json_object_get(body, "counties"), i, o)
            {
                char *t = json_dumps(o, JSON_COMPACT);
                if (t)
                    puts(t);
                free(t);
            }
        } else {
            char *t = json_dumps(body, JSON_INDENT(2));
            if (t)
                puts(t);
            free(t);
        }
    } else if (a->history) {
        status_page_history(stdout, a->county, body);
    } else if (a->city) {
        status_page_city(stdout, body);
    } else {
        status_page_county(stdout, body);
    }
}

int cmd_status(client_options *opts, int argc, char **argv)
{
    status_args a;
    int rc = parse_status_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    int packed = wire_request_id_new(rid);
    if (packed == 0)
        packed = a.school ? client_pack_school_query(rid, a.school, a.period, a.view, &msg, &len)
                          : client_pack_status_query(rid, a.county ? a.county : a.city, a.period, a.history, a.view,
                                                     &msg, &len);
    if (packed != 0) {
        fprintf(stderr, "%s", _("junheng status: out of memory\n"));
        return EXIT_USAGE;
    }
    Junheng__Reply *reply = client_request_one(opts->snapshot_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, _("junheng status: no answer from %s%s%s\n"), opts->snapshot_endpoint,
                reply && reply->n_errors ? ": " : "", reply && reply->n_errors ? reply->errors[0]->reason : "");
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        return EXIT_UNREACHABLE;
    }
    int code = EXIT_OK;
    if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, _("junheng status: %s\n"), _(wire_reply_status_name(reply->status)));
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        code = EXIT_REFUSED;
    } else {
        json_error_t jerr;
        json_t *body = json_loads(reply->body ? reply->body : "null", 0, &jerr);
        if (!body) {
            fprintf(stderr, _("junheng status: the daemon's answer is not JSON: %s\n"), jerr.text);
            code = EXIT_REFUSED;
        } else
            print_status(&a, body);
        json_decref(body);
    }
    junheng__reply__free_unpacked(reply, NULL);
    return code;
}
