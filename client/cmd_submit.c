/* cmd_submit.c -- `junheng submit FILE...`: read school submission CSVs,
 * validate every row with the daemon's own rules (common/validate.c), spool
 * the valid rows on disk (spool.h), send them, and print one verdict per row.
 * A row leaves the spool only when the daemon answered it for good; `submit
 * --flush` sends what is still there. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "i18n.h"
#include "spool.h"
#include "submit_request.h"
#include "submission_csv.h"
#include "table_input.h"
#include "sys_clock.h"
#include "validate.h"
#include "wire.h"

static void submit_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] submit [--quiet] [--spool DIR] [--receipts FILE] [--sheet S] FILE...\n"
          "       junheng [GLOBAL OPTIONS] submit --flush [--spool DIR] [--receipts FILE] [FILE...]\n"
          "\n"
          "Reads each FILE (CSV per docs/formats.md: UTF-8 with or without BOM, or GBK as\n"
          "Excel saves it; or an Excel workbook, .xlsx; English or Chinese column headers,\n"
          "a unit in brackets allowed; one row per school; `junheng template submissions`\n"
          "writes a blank one),\n"
          "checks every row locally with the same rules the daemon uses, writes the valid\n"
          "rows to the spool (on disk, fsynced) and only then sends them; prints one line\n"
          "per row:\n"
          "  FILE:LINE SCHOOL accepted revision N      stored as a new revision\n"
          "  FILE:LINE SCHOOL duplicate revision N     this exact submission was stored before\n"
          "  FILE:LINE SCHOOL refused                  followed by every error as `column: reason`\n"
          "  FILE:LINE SCHOOL not answered             still pending in the spool\n"
          "Warnings (suspicious but accepted values) are printed under the row.\n"
          "\n"
          "A row leaves the spool when the daemon has answered accepted, duplicate or\n"
          "refused. When no answer comes (daemon down, database down: \"retry later\") the\n"
          "client retries with growing pauses (--timeout, --retries), then lists what is\n"
          "still pending and exits 3; `junheng submit --flush` sends it again later. Each\n"
          "submission keeps its id, so a resend is stored once (\"duplicate\").\n"
          "\n"
          "  --quiet            print only refused rows, warnings and the summary\n"
          "  --flush            send every submission pending in the spool (and FILEs, if any)\n"
          "  --spool DIR        the spool folder (default $XDG_DATA_HOME/junheng/spool, else\n"
          "                     ~/.local/share/junheng/spool)\n"
          "  --receipts FILE    append one line per answered submission:\n"
          "                     SUBMISSION_ID STATUS REVISION SCHOOL FILE:LINE\n"
          "  --sheet S          the sheet of each .xlsx FILE to read: its name, or its\n"
          "                     position from 1 (default: the first sheet); LINE is the\n"
          "                     sheet's row number\n"
          "\n"
          "Exit status: 0 all accepted or duplicate, 1 some refused, 2 bad usage or\n"
          "unreadable file or spool, 3 some submissions still pending (listed).\n"
          "\n"
          "Examples:\n"
          "  junheng submit deploy/demo-data/submissions-2025.csv\n"
          "  junheng submit --flush\n"),
          out);
}

/* One submission to report, in order: a row of a FILE, or a spooled one. */
typedef struct {
    char origin[512];                            /* FILE:LINE */
    char school[SCHOOL_CODE_LEN + 1];
    char submission_id[SUBMISSION_ID_LEN + 1];
    submission_row *row;                         /* NULL for a spooled submission */
    transport_request *req;                      /* NULL when refused locally */
} submit_line;

typedef struct {
    int ok, refused, pending;
} submit_counts;

static void print_line(const submit_line *l, bool quiet, submit_counts *c)
{
    const char *code = l->school[0] ? l->school : "(no school_code)";
    if (!l->req) {
        c->refused++;
        printf(_("%s %s refused (checked locally, not sent)\n"), l->origin, code);
        for (size_t i = 0; i < l->row->errors.count; i++)
            client_print_problem(stdout, "", l->row->errors.items[i].field, l->row->errors.items[i].reason);
        return;
    }
    Junheng__Reply *r = l->req->reply;
    if (!submit_reply_is_final(r)) {
        c->pending++;
        printf(_("%s %s not answered%s%s (submission %s, still pending)\n"), l->origin, code, r && r->body ? ": " : "",
               r && r->body ? r->body : "", l->submission_id);
        return;
    }
    switch (r->status) {
    case JUNHENG__REPLY_STATUS__ACCEPTED:
    case JUNHENG__REPLY_STATUS__DUPLICATE:
        c->ok++;
        if (!quiet || r->n_warnings)
            printf(_("%s %s %s revision %lld\n"), l->origin, code, _(wire_reply_status_name(r->status)),
                   (long long)r->revision);
        break;
    default:
        c->refused++;
        printf("%s %s %s\n", l->origin, code, _(wire_reply_status_name(r->status)));
        client_print_problems(stdout, "", r->errors, r->n_errors);
        break;
    }
    client_print_problems(stdout, _("warning: "), r->warnings, r->n_warnings);
}

/* Growable arrays of lines and requests (requests point into nothing, so a
 * realloc of either is safe until the lines are linked to requests). */
typedef struct {
    submit_line *lines;
    size_t n_lines, cap_lines;
    transport_request *reqs;
    size_t n_reqs, cap_reqs;
    spool_entry *fresh;        /* new rows to spool (messages borrowed from reqs) */
    size_t n_fresh;
    long *line_req;            /* index into reqs per line, -1 when none */
} submit_set;

/* Makes room for `more` lines and requests. Returns 0 or -1 (out of memory). */
static int set_grow(submit_set *s, size_t more)
{
    if (s->n_lines + more > s->cap_lines) {
        size_t cap = s->cap_lines ? s->cap_lines : 64;
        while (cap < s->n_lines + more)
            cap *= 2;
        submit_line *l = realloc(s->lines, cap * sizeof *l);
        if (!l)
            return -1;
        s->lines = l;
        long *lr = realloc(s->line_req, cap * sizeof *lr);
        if (!lr)
            return -1;
        s->line_req = lr;
        transport_request *r = realloc(s->reqs, cap * sizeof *r);
        if (!r)
            return -1;
        s->reqs = r;
        spool_entry *f = realloc(s->fresh, cap * sizeof *f);
        if (!f)
            return -1;
        s->fresh = f;
        s->cap_lines = s->cap_reqs = cap;
    }
    return 0;
}

/* Adds the spooled submissions (taking their messages). */
static int add_spooled(submit_set *s, spool_entry *entries, size_t n)
{
    if (set_grow(s, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        Junheng__Envelope *env = junheng__envelope__unpack(NULL, entries[i].len, entries[i].msg);
        bool ok = env && env->has_request_id && env->request_id.len == WIRE_REQUEST_ID_LEN;
        if (!ok) {
            fprintf(stderr, _("junheng submit: spooled submission %s has no request id; left in the spool\n"),
                    entries[i].submission_id);
            if (env)
                junheng__envelope__free_unpacked(env, NULL);
            continue;
        }
        transport_request *req = &s->reqs[s->n_reqs];
        memset(req, 0, sizeof *req);
        memcpy(req->request_id, env->request_id.data, WIRE_REQUEST_ID_LEN);
        junheng__envelope__free_unpacked(env, NULL);
        req->msg = entries[i].msg;
        req->len = entries[i].len;
        entries[i].msg = NULL;
        submit_line *l = &s->lines[s->n_lines];
        memset(l, 0, sizeof *l);
        snprintf(l->origin, sizeof l->origin, "%s", entries[i].origin[0] ? entries[i].origin : "(spool)");
        snprintf(l->school, sizeof l->school, "%s", entries[i].school_code);
        snprintf(l->submission_id, sizeof l->submission_id, "%s", entries[i].submission_id);
        s->line_req[s->n_lines++] = (long)s->n_reqs++;
    }
    return 0;
}

/* Adds the rows of one file: validated, given an id and packed; the valid
 * ones are listed for the spool. */
static int add_rows(submit_set *s, const char *path, submission_file *f, const validate_limits *limits)
{
    if (set_grow(s, f->n_rows) != 0)
        return -1;
    for (size_t r = 0; r < f->n_rows; r++) {
        submission_row *row = &f->rows[r];
        submit_line *l = &s->lines[s->n_lines];
        memset(l, 0, sizeof *l);
        l->row = row;
        snprintf(l->origin, sizeof l->origin, "%s:%zu", path, row->line);
        snprintf(l->school, sizeof l->school, "%s", row->sub.school_code);
        s->line_req[s->n_lines++] = -1;
        validate_read_row(&row->sub, limits, &row->errors, &row->warnings);
        if (row->errors.count > 0)
            continue;
        transport_request *req = &s->reqs[s->n_reqs];
        int made = submit_request_make(&row->sub, req);
        snprintf(l->submission_id, sizeof l->submission_id, "%s", row->sub.submission_id);
        if (made != 0) {
            problem_list_add(&row->errors, "", _("could not be encoded (out of memory)"));
            continue;
        }
        spool_entry *e = &s->fresh[s->n_fresh++];
        memset(e, 0, sizeof *e);
        memcpy(e->submission_id, row->sub.submission_id, sizeof e->submission_id);
        snprintf(e->school_code, sizeof e->school_code, "%s", row->sub.school_code);
        snprintf(e->origin, sizeof e->origin, "%s", l->origin);
        e->msg = req->msg;
        e->len = req->len;
        s->line_req[s->n_lines - 1] = (long)s->n_reqs++;
    }
    return 0;
}

/* Appends one receipt line per answered submission and syncs the file. */
static int write_receipts(const char *path, const submit_set *s)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return -1;
    for (size_t i = 0; i < s->n_lines; i++) {
        const submit_line *l = &s->lines[i];
        const Junheng__Reply *r = l->req ? l->req->reply : NULL;
        if (submit_reply_is_final(r))
            fprintf(f, "%s %s %lld %s %s\n", l->submission_id, wire_reply_status_name(r->status),
                    (long long)r->revision, l->school[0] ? l->school : "-", l->origin);
    }
    int rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* The options of `junheng submit`. spool_path points into argv or at dir
 * (the default folder, when no --spool was given). */
typedef struct {
    bool quiet, flush;
    const char *spool_path, *receipts;
    const char *sheet; /* --sheet: the sheet of each .xlsx FILE (NULL: the first) */
    int first; /* argv index of the first FILE */
    char dir[4096];
} submit_args;

/* Reads the arguments of `junheng submit` into a, choosing the default spool
 * folder when none is given. Returns -1 to go on, or the exit status to end
 * with at once (--help, a bad argument, no spool folder). */
static int parse_submit_args(submit_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *arg = argv[first];
        if (strcmp(arg, "--help") == 0) {
            submit_usage(stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "--quiet") == 0)
            a->quiet = true;
        else if (strcmp(arg, "--flush") == 0)
            a->flush = true;
        else if ((strcmp(arg, "--spool") == 0 || strcmp(arg, "--receipts") == 0) && first + 1 < argc) {
            if (arg[2] == 's')
                a->spool_path = argv[++first];
            else
                a->receipts = argv[++first];
        } else if (strcmp(arg, "--sheet") == 0 && first + 1 < argc) {
            a->sheet = argv[++first];
        } else {
            fprintf(stderr, _("junheng submit: unknown option or missing value '%s'\n"), arg);
            return EXIT_USAGE;
        }
    }
    a->first = first;
    if (first >= argc && !a->flush) {
        submit_usage(stderr);
        return EXIT_USAGE;
    }
    if (!a->spool_path) {
        if (spool_default_dir(a->dir, sizeof a->dir) != 0) {
            fprintf(stderr, _("junheng submit: no spool folder (set HOME or XDG_DATA_HOME, or give --spool DIR)\n"));
            return EXIT_USAGE;
        }
        a->spool_path = a->dir;
    }
    return -1;
}

/* Reads and checks the nfiles files paths[] into files[] (owned by the
 * caller) and adds their rows to s. A file that cannot be read sets
 * *exit_code to EXIT_USAGE and is skipped. Returns -1 when out of memory. */
static int read_files(submit_set *s, submission_file **files, char **paths, int nfiles, const char *sheet,
                      const validate_limits *limits, int *exit_code)
{
    for (int f = 0; f < nfiles; f++) {
        const char *path = paths[f];
        char *bytes;
        size_t len;
        if (table_input_read("submit", path, sheet, &bytes, &len) != 0) {
            *exit_code = EXIT_USAGE;
            continue;
        }
        problem_list errs = { 0 };
        int rc = 0;
        if (submission_file_read(bytes, len, &files[f], &errs) != 0) {
            fprintf(stderr, _("junheng submit: %s: not read:\n"), path);
            for (size_t i = 0; i < errs.count; i++)
                client_print_problem(stderr, "", errs.items[i].field, errs.items[i].reason);
            *exit_code = EXIT_USAGE;
        } else if (add_rows(s, path, files[f], limits) != 0) {
            rc = -1;
        }
        problem_list_clear(&errs);
        free(bytes);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Sends s's requests and takes every line answered for good out of the
 * spool sp. */
static void send_and_unspool(client_options *opts, spool *sp, submit_set *s)
{
    for (size_t i = 0; i < s->n_lines; i++)
        s->lines[i].req = s->line_req[i] >= 0 && (size_t)s->line_req[i] < s->n_reqs ? &s->reqs[s->line_req[i]] : NULL;
    int unreached = s->n_reqs ? transport_exchange(opts->submit_endpoint, s->reqs, s->n_reqs, &opts->transport) : 0;
    if (unreached < 0)
        fprintf(stderr, _("junheng submit: cannot open a socket to %s\n"), opts->submit_endpoint);
    /* Answered for good: out of the spool. */
    for (size_t i = 0; i < s->n_lines; i++)
        if (s->lines[i].req && submit_reply_is_final(s->lines[i].req->reply) &&
            spool_remove(sp, s->lines[i].submission_id) != 0)
            fprintf(stderr, _("junheng submit: cannot remove %s from the spool: %s (it will be sent again, harmlessly)\n"),
                    s->lines[i].submission_id, strerror(errno));
}

/* Writes the receipts (with --receipts), prints a line per submission and
 * the totals, and says what is still pending. Returns the exit status,
 * starting from exit_code. */
static int report_results(const client_options *opts, const submit_args *a, spool *sp, const submit_set *s,
                          int exit_code, size_t earlier_pending)
{
    if (a->receipts && write_receipts(a->receipts, s) != 0) {
        fprintf(stderr, _("junheng submit: receipts %s: %s\n"), a->receipts, strerror(errno));
        exit_code = EXIT_USAGE;
    }
    submit_counts c = { 0 };
    for (size_t i = 0; i < s->n_lines; i++)
        if (s->lines[i].row || s->lines[i].req)
            print_line(&s->lines[i], a->quiet, &c);
    printf(_("%d accepted or duplicate, %d refused, %d not answered\n"), c.ok, c.refused, c.pending);
    bool own_spool = a->spool_path != a->dir;
    if (c.pending > 0) {
        fprintf(stderr,
                _("junheng submit: %d submission%s not answered by %s; still pending in %s (listed above). "
                "Send them again with: junheng submit --flush%s%s\n"),
                c.pending, c.pending == 1 ? "" : "s", opts->submit_endpoint, spool_dir(sp),
                own_spool ? " --spool " : "", own_spool ? a->spool_path : "");
        exit_code = EXIT_UNREACHABLE;
    } else if (exit_code == EXIT_OK && c.refused > 0)
        exit_code = EXIT_REFUSED;
    if (earlier_pending > 0)
        fprintf(stderr, _("junheng submit: %zu earlier submission%s also pending in %s (junheng submit --flush)\n"),
                earlier_pending, earlier_pending == 1 ? " is" : "s are", spool_dir(sp));
    return exit_code;
}

int cmd_submit(client_options *opts, int argc, char **argv)
{
    submit_args a;
    int rc = parse_submit_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    char err[4400];
    spool *sp = NULL;
    if (spool_new(a.spool_path, &sp, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng submit: %s\n"), err);
        return EXIT_USAGE;
    }
    int nfiles = argc - a.first, exit_code = EXIT_OK;
    submission_file **files = calloc((size_t)nfiles + 1, sizeof *files);
    submit_set s = { 0 };
    spool_entry *spooled = NULL;
    size_t n_spooled = 0;
    validate_limits limits;
    validate_limits_default(&limits);
    bool oom = !files;
    if (!oom && spool_list(sp, &spooled, &n_spooled, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng submit: %s\n"), err);
        exit_code = EXIT_USAGE;
    }
    size_t earlier_pending = a.flush ? 0 : n_spooled;
    if (!oom && a.flush && add_spooled(&s, spooled, n_spooled) != 0)
        oom = true;
    if (!oom && read_files(&s, files, argv + a.first, nfiles, a.sheet, &limits, &exit_code) != 0)
        oom = true;
    if (oom) {
        fprintf(stderr, _("junheng submit: out of memory; nothing was sent\n"));
        exit_code = EXIT_USAGE;
        goto done;
    }
    /* Durable before sent: a crash from here on loses nothing. */
    if (s.n_fresh > 0 && spool_put(sp, s.fresh, s.n_fresh, err, sizeof err) != 0) {
        fprintf(stderr, _("junheng submit: %s; nothing was sent (what was spooled goes with the next --flush)\n"), err);
        exit_code = EXIT_USAGE;
        goto done;
    }
    send_and_unspool(opts, sp, &s);
    exit_code = report_results(opts, &a, sp, &s, exit_code, earlier_pending);
done:
    for (size_t i = 0; i < s.n_reqs; i++)
        transport_request_clear(&s.reqs[i]);
    for (int f = 0; files && f < nfiles; f++)
        submission_file_destroy(&files[f]);
    free(files);
    free(s.lines);
    free(s.line_req);
    free(s.reqs);
    free(s.fresh);
    spool_entries_free(spooled, n_spooled);
    spool_destroy(&sp);
    return exit_code;
}
