/* cmd_submit.c -- `junheng submit FILE...`: read school submission CSVs,
 * validate every row with the daemon's own rules (common/validate.c), send
 * the valid rows, and print one verdict per row. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "submission_csv.h"
#include "validate.h"
#include "wire.h"

static void submit_usage(FILE *out)
{
    fputs("Usage: junheng [GLOBAL OPTIONS] submit [--quiet] FILE...\n"
          "\n"
          "Reads each FILE (CSV per data-formats.md: UTF-8 with or without BOM, or GBK as\n"
          "Excel saves it; English or Chinese column headers; one row per school),\n"
          "checks every row locally with the same rules the daemon uses, sends the valid\n"
          "rows and prints one line per row:\n"
          "  FILE:LINE SCHOOL accepted revision N      stored as a new revision\n"
          "  FILE:LINE SCHOOL duplicate revision N     this exact submission was stored before\n"
          "  FILE:LINE SCHOOL refused                  followed by every error as `column: reason`\n"
          "Warnings (suspicious but accepted values) are printed under the row.\n"
          "\n"
          "  --quiet   print only refused rows, warnings and the summary\n"
          "\n"
          "Exit status: 0 all accepted or duplicate, 1 some refused, 2 bad usage or\n"
          "unreadable file, 3 daemon unreachable (rows left unanswered are listed).\n"
          "\n"
          "Example:\n"
          "  junheng submit deploy/demo-data/submissions-2025.csv\n",
          out);
}

/* One row to report, in file order. */
typedef struct {
    const char *file;
    submission_row *row;
    transport_request *req;   /* NULL when refused locally */
} submit_line;

static void print_row(const submit_line *l, bool quiet, int *refused, int *unanswered, int *ok)
{
    const submission_row *row = l->row;
    const char *code = row->sub.school_code[0] ? row->sub.school_code : "(no school_code)";
    if (!l->req) {
        (*refused)++;
        printf("%s:%zu %s refused (checked locally, not sent)\n", l->file, row->line, code);
        for (size_t i = 0; i < row->errors.count; i++)
            printf("  %s%s%s\n", row->errors.items[i].field, row->errors.items[i].field[0] ? ": " : "",
                   row->errors.items[i].reason);
        return;
    }
    Junheng__Reply *r = l->req->reply;
    if (!r || r->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        (*unanswered)++;
        printf("%s:%zu %s not answered%s%s (submission %s)\n", l->file, row->line, code, r && r->body ? ": " : "",
               r && r->body ? r->body : "", row->sub.submission_id);
        return;
    }
    switch (r->status) {
    case JUNHENG__REPLY_STATUS__ACCEPTED:
    case JUNHENG__REPLY_STATUS__DUPLICATE:
        (*ok)++;
        if (!quiet || r->n_warnings)
            printf("%s:%zu %s %s revision %lld\n", l->file, row->line, code, wire_reply_status_name(r->status),
                   (long long)r->revision);
        break;
    default:
        (*refused)++;
        printf("%s:%zu %s %s\n", l->file, row->line, code, wire_reply_status_name(r->status));
        client_print_problems(stdout, "", r->errors, r->n_errors);
        break;
    }
    client_print_problems(stdout, "warning: ", r->warnings, r->n_warnings);
}

int cmd_submit(client_options *opts, int argc, char **argv)
{
    bool quiet = false;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--help") == 0) {
            submit_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[first], "--quiet") == 0)
            quiet = true;
        else {
            fprintf(stderr, "junheng submit: unknown option '%s'\n", argv[first]);
            return EXIT_USAGE;
        }
    }
    if (first >= argc) {
        submit_usage(stderr);
        return EXIT_USAGE;
    }
    int nfiles = argc - first, exit_code = EXIT_OK;
    submission_file **files = calloc((size_t)nfiles, sizeof *files);
    size_t total = 0;
    validate_limits limits;
    validate_limits_default(&limits);
    for (int f = 0; files && f < nfiles; f++) {
        const char *path = argv[first + f];
        char *bytes;
        size_t len;
        if (client_read_file(path, &bytes, &len) != 0) {
            fprintf(stderr, "junheng submit: %s: %s\n", path, strerror(errno));
            exit_code = EXIT_USAGE;
            continue;
        }
        problem_list errs = { 0 };
        if (submission_file_read(bytes, len, &files[f], &errs) != 0) {
            fprintf(stderr, "junheng submit: %s: not read:\n", path);
            for (size_t i = 0; i < errs.count; i++)
                fprintf(stderr, "  %s%s%s\n", errs.items[i].field, errs.items[i].field[0] ? ": " : "",
                        errs.items[i].reason);
            exit_code = EXIT_USAGE;
        } else {
            total += files[f]->n_rows;
        }
        problem_list_clear(&errs);
        free(bytes);
    }
    submit_line *lines = calloc(total ? total : 1, sizeof *lines);
    transport_request *reqs = calloc(total ? total : 1, sizeof *reqs);
    if (!files || !lines || !reqs) {
        fprintf(stderr, "junheng submit: out of memory\n");
        exit_code = EXIT_USAGE;
        total = 0;
    }
    size_t n_lines = 0, n_reqs = 0;
    for (int f = 0; total && f < nfiles; f++) {
        for (size_t r = 0; files[f] && r < files[f]->n_rows; r++) {
            submission_row *row = &files[f]->rows[r];
            submit_line *l = &lines[n_lines++];
            l->file = argv[first + f];
            l->row = row;
            validate_submission(&row->sub, NULL, NULL, &limits, &row->errors, &row->warnings);
            if (row->errors.count > 0)
                continue;
            wire_uuid_new(row->sub.submission_id);
            transport_request *req = &reqs[n_reqs];
            if (wire_request_id_new(req->request_id) != 0 ||
                wire_envelope_pack_submission(req->request_id, &row->sub, &req->msg, &req->len) != 0) {
                problem_list_add(&row->errors, "", "could not be encoded (out of memory)");
                continue;
            }
            n_reqs++;
            l->req = req;
        }
    }
    int unreached = n_reqs ? transport_exchange(opts->submit_endpoint, reqs, n_reqs, &opts->transport) : 0;
    if (unreached < 0) {
        fprintf(stderr, "junheng submit: cannot open a socket to %s\n", opts->submit_endpoint);
        unreached = (int)n_reqs;
    }
    int refused = 0, unanswered = 0, ok = 0;
    for (size_t i = 0; i < n_lines; i++)
        print_row(&lines[i], quiet, &refused, &unanswered, &ok);
    printf("%d accepted or duplicate, %d refused, %d not answered\n", ok, refused, unanswered);
    if (unanswered > 0) {
        fprintf(stderr, "junheng submit: %d row%s not answered by %s (listed above with their submission ids); "
                        "they may not have been stored\n",
                unanswered, unanswered == 1 ? "" : "s", opts->submit_endpoint);
        exit_code = EXIT_UNREACHABLE;
    } else if (exit_code == EXIT_OK && refused > 0)
        exit_code = EXIT_REFUSED;
    for (size_t i = 0; i < n_reqs; i++)
        transport_request_clear(&reqs[i]);
    for (int f = 0; files && f < nfiles; f++)
        submission_file_destroy(&files[f]);
    free(files);
    free(lines);
    free(reqs);
    return exit_code;
}
