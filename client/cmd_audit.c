/* cmd_audit.c -- `junheng audit` (the audit log) and `junheng inbox` (what
 * was returned to me): two review-chain queries on the admin socket
 * (ReviewRequest actions "audit" and "inbox"; docs/review.md). */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "review.h"

/* Whether s looks like a time for --since: YYYY-MM-DD, optionally followed
 * by 'T' or ' ' and a time (the daemon parses it). */
static bool since_shaped(const char *s)
{
    return strlen(s) >= 10 && strspn(s, "0123456789") == 4 && s[4] == '-' && s[7] == '-' &&
           (s[10] == '\0' || s[10] == 'T' || s[10] == ' ');
}

int cmd_audit(client_options *opts, int argc, char **argv)
{
    Junheng__ReviewRequest req;
    junheng__review_request__init(&req);
    req.action = "audit";
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            audit_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0)
            json = true;
        else if (strcmp(a, "--county") == 0 && i + 1 < argc) {
            req.county_code = argv[++i];
            if (strlen(req.county_code) != 6 || strspn(req.county_code, "0123456789") != 6) {
                fprintf(stderr, _("junheng audit: --county '%s' is not a 6-digit county code\n"), req.county_code);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--since") == 0 && i + 1 < argc) {
            req.since = argv[++i];
            if (!since_shaped(req.since)) {
                fprintf(stderr, _("junheng audit: --since '%s' is not a time (YYYY-MM-DD or RFC 3339)\n"), req.since);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, _("junheng audit: unexpected '%s' (see junheng audit --help)\n"), a);
            return EXIT_USAGE;
        }
    }
    return review_run(opts, &req, "audit", json, review_print_audit);
}

int cmd_inbox(client_options *opts, int argc, char **argv)
{
    Junheng__ReviewRequest req;
    junheng__review_request__init(&req);
    req.action = "inbox";
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            inbox_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0)
            json = true;
        else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1900 || p > 2200) {
                fprintf(stderr, _("junheng inbox: --period '%s' is not a school year like 2025\n"), argv[i]);
                return EXIT_USAGE;
            }
            req.has_period = 1;
            req.period = (int32_t)p;
        } else {
            fprintf(stderr, _("junheng inbox: unexpected '%s' (see junheng inbox --help)\n"), a);
            return EXIT_USAGE;
        }
    }
    return review_run(opts, &req, "inbox", json, review_print_inbox);
}
