/* cmd_review.c -- `junheng review ACTION ...`: the review chain's commands
 * (docs/review.md, "Commands"). Each reads its options into one
 * ReviewRequest and sends it on the admin socket (review_call.c); the daemon
 * checks the key's rights and the states. Only the shape of the options is
 * checked here (digits, dates, what each action needs). */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "wire.h"

/* The options an action takes (bits of review_action.allowed). */
enum {
    O_COUNTY = 1u << 0, O_SCHOOL = 1u << 1, O_PERIOD = 1u << 2, O_STATE = 1u << 3, O_ALL_CLEAN = 1u << 4,
    O_REASON = 1u << 5, O_COLUMNS = 1u << 6, O_DEADLINE = 1u << 7, O_ITEM = 1u << 8, O_FIELD = 1u << 9,
    O_VALUE = 1u << 10, O_FINDING = 1u << 11, O_EVIDENCE = 1u << 12, O_SEAL = 1u << 13, O_VERIFY = 1u << 14,
    O_ACTION_ID = 1u << 15
};

/* What one command word takes. */
typedef struct {
    const char *word;     /* the command word, e.g. "approve" */
    unsigned allowed;     /* O_* bits (--json and --help always) */
    int numbers;          /* positional ids: 0 none, 1 one or more, -1 exactly one */
    review_printer print;
} review_action;

#define O_PACKAGE (O_COUNTY | O_PERIOD)
static const review_action ACTIONS[] = {
    { "submissions", O_COUNTY | O_SCHOOL | O_PERIOD | O_STATE, 0, review_print_submissions },
    { "approve", O_PACKAGE | O_ALL_CLEAN | O_ACTION_ID, 1, review_print_action },
    { "return", O_PACKAGE | O_REASON | O_COLUMNS | O_DEADLINE | O_ACTION_ID, 1, review_print_action },
    { "reopen", O_SCHOOL | O_PERIOD | O_REASON | O_ACTION_ID, 0, review_print_action },
    { "seal", O_PACKAGE | O_ACTION_ID, 0, review_print_package },
    { "package", O_PACKAGE | O_SEAL | O_VERIFY, 0, review_print_package },
    { "findings", O_PACKAGE | O_ITEM | O_FINDING | O_DEADLINE | O_ACTION_ID, 0, review_print_problems },
    { "override", O_PACKAGE | O_ITEM | O_FIELD | O_VALUE | O_REASON | O_ACTION_ID, 0, review_print_action },
    { "answer", O_EVIDENCE | O_ACTION_ID, -1, review_print_action },
    { "close", O_ACTION_ID, -1, review_print_action },
    { "pass", O_PACKAGE | O_ACTION_ID, 0, review_print_package },
    { "pending", O_COUNTY | O_PERIOD, 0, review_print_pending },
};

/* The parsed command line; the strings point into argv, except columns. */
typedef struct {
    Junheng__ReviewRequest req;
    char *columns_text;   /* owned copy of --columns, split in place into req.columns */
    unsigned given;       /* O_* bits seen */
    bool json;
} review_cmd;

/* Whether s is exactly n digits. */
static bool digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* Whether s is a date YYYY-MM-DD (its shape; the daemon checks the calendar). */
static bool date_shaped(const char *s)
{
    return strlen(s) == 10 && strspn(s, "0123456789") == 4 && s[4] == '-' && strspn(s + 5, "0123456789") == 2 &&
           s[7] == '-' && strspn(s + 8, "0123456789") == 2;
}

/* Parses a positive id (revision, problem, seal). Returns it, or -1. */
static int64_t parse_id(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    return (*s && !*end && v > 0) ? (int64_t)v : -1;
}

/* Splits --columns "a,b c" into req.columns. Returns 0 or -1 (out of memory). */
static int take_columns(review_cmd *c, const char *text)
{
    free(c->columns_text);
    free(c->req.columns);
    c->req.columns = NULL;
    c->req.n_columns = 0;
    if (!(c->columns_text = strdup(text)) || !(c->req.columns = calloc(strlen(text) / 2 + 1, sizeof(char *))))
        return -1;
    for (char *save = NULL, *t = strtok_r(c->columns_text, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        c->req.columns[c->req.n_columns++] = t;
    return 0;
}

/* Checks the shape of a coded option's value: returns what it should be, or
 * NULL when it is fine (or opt is not a coded option). */
static const char *value_shape_error(const char *opt, const char *v)
{
    if (strcmp(opt, "--county") == 0)
        return digits(v, 6) ? NULL : "a 6-digit county code";
    if (strcmp(opt, "--school") == 0)
        return digits(v, 10) ? NULL : "a 10-digit school code";
    if (strcmp(opt, "--period") == 0)
        return digits(v, 4) ? NULL : "a school year like 2025";
    if (strcmp(opt, "--deadline") == 0)
        return date_shaped(v) ? NULL : "a date YYYY-MM-DD";
    if (strcmp(opt, "--seal") == 0)
        return parse_id(v) > 0 ? NULL : "a seal number";
    if (strcmp(opt, "--action-id") == 0)
        return wire_uuid_valid(v) ? NULL : "an action id (a UUID, as printed when an answer did not come)";
    return NULL;
}

/* Takes one value option opt with its value v into c. Returns the O_* bit it
 * set, or -1 (printed why). */
static long take_value_option(review_cmd *c, const char *what, const char *opt, const char *v)
{
    Junheng__ReviewRequest *r = &c->req;
    const char *shape = value_shape_error(opt, v);
    if (shape) {
        fprintf(stderr, "junheng %s: %s '%s' is not %s\n", what, opt, v, shape);
        return -1;
    }
    if (strcmp(opt, "--period") == 0) {
        r->has_period = 1;
        r->period = atoi(v);
        return O_PERIOD;
    }
    if (strcmp(opt, "--seal") == 0) {
        r->has_seal = 1;
        r->seal = parse_id(v);
        return O_SEAL;
    }
    if (strcmp(opt, "--columns") == 0) {
        if (take_columns(c, v) == 0)
            return O_COLUMNS;
        fprintf(stderr, "junheng %s: out of memory\n", what);
        return -1;
    }
    struct { const char *name; char **field; long bit; } text[] = {
        { "--county", &r->county_code, O_COUNTY }, { "--school", &r->school_code, O_SCHOOL },
        { "--deadline", &r->deadline, O_DEADLINE }, { "--state", &r->state, O_STATE },
        { "--reason", &r->reason, O_REASON }, { "--item", &r->item, O_ITEM }, { "--field", &r->field, O_FIELD },
        { "--value", &r->value, O_VALUE }, { "--finding", &r->finding, O_FINDING },
        { "--evidence", &r->evidence, O_EVIDENCE }, { "--action-id", &r->action_id, O_ACTION_ID },
    };
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
        if (strcmp(opt, text[k].name) == 0) {
            *text[k].field = (char *)v;
            return text[k].bit;
        }
    return -1;
}

/* Adds a positional id to req.revisions (or problem_id). Returns 0 or -1. */
static int take_number(review_cmd *c, const char *what, const char *arg)
{
    int64_t id = parse_id(arg);
    if (id < 0) {
        fprintf(stderr, "junheng %s: '%s' is not a revision or problem number\n", what, arg);
        return -1;
    }
    int64_t *grown = realloc(c->req.revisions, (c->req.n_revisions + 1) * sizeof *grown);
    if (!grown) {
        fprintf(stderr, "junheng %s: out of memory\n", what);
        return -1;
    }
    c->req.revisions = grown;
    c->req.revisions[c->req.n_revisions++] = id;
    return 0;
}

/* Reads argv[2..] into c for action a. Returns -1 to go on, or the exit status. */
static int parse_options(review_cmd *c, const review_action *a, const char *what, int argc, char **argv)
{
    static const char *const value_options[] = { "--county", "--school", "--period", "--deadline", "--seal",
                                                 "--state", "--reason", "--item", "--field", "--value",
                                                 "--finding", "--evidence", "--action-id", "--columns" };
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        long bit = 0;
        if (strcmp(arg, "--help") == 0) {
            review_action_usage(stdout, a->word);
            return EXIT_OK;
        }
        if (strcmp(arg, "--json") == 0)
            c->json = true;
        else if (strcmp(arg, "--all-clean") == 0)
            bit = O_ALL_CLEAN, c->req.has_all_clean = 1, c->req.all_clean = 1;
        else if (strcmp(arg, "--verify") == 0)
            bit = O_VERIFY, c->req.has_verify = 1, c->req.verify = 1;
        else if (arg[0] != '-') {
            if (a->numbers == 0)
                fprintf(stderr, "junheng %s: unexpected '%s' (see junheng %s --help)\n", what, arg, what);
            if (a->numbers == 0 || take_number(c, what, arg) != 0)
                return EXIT_USAGE;
        } else {
            bool known = false;
            for (size_t k = 0; k < sizeof value_options / sizeof value_options[0]; k++)
                known = known || strcmp(arg, value_options[k]) == 0;
            if (!known) {
                fprintf(stderr, "junheng %s: unknown option '%s' (see junheng %s --help)\n", what, arg, what);
                return EXIT_USAGE;
            }
            if (i + 1 >= argc) {
                fprintf(stderr, "junheng %s: %s needs a value\n", what, arg);
                return EXIT_USAGE;
            }
            if ((bit = take_value_option(c, what, arg, argv[++i])) < 0)
                return EXIT_USAGE;
        }
        if (bit && !(a->allowed & (unsigned)bit)) {
            fprintf(stderr, "junheng %s: %s does not apply here (see junheng %s --help)\n", what, arg, what);
            return EXIT_USAGE;
        }
        c->given |= (unsigned)bit;
    }
    return -1;
}

/* Says what is missing: "junheng review seal: give --county and --period". */
static int missing(const char *what, const char *needs)
{
    fprintf(stderr, "junheng %s: give %s (see junheng %s --help)\n", what, needs, what);
    return EXIT_USAGE;
}

/* Sets the request's action from the options (return vs return_package,
 * findings vs finding) and checks what it needs. Returns -1 to go on or
 * EXIT_USAGE (printed why). */
static int settle_action(review_cmd *c, const review_action *a, const char *what)
{
    Junheng__ReviewRequest *r = &c->req;
    unsigned g = c->given;
    bool package = (g & O_PACKAGE) == O_PACKAGE, ids = r->n_revisions > 0;
    r->action = (char *)a->word;
    if (a->numbers < 0) { /* answer, close: one problem */
        if (r->n_revisions != 1)
            return missing(what, "exactly one PROBLEM number");
        r->has_problem_id = 1;
        r->problem_id = r->revisions[0];
        free(r->revisions);
        r->revisions = NULL;
        r->n_revisions = 0;
        if (strcmp(a->word, "answer") == 0 && !(g & O_EVIDENCE))
            return missing(what, "--evidence");
        return -1;
    }
    if (strcmp(a->word, "approve") == 0) {
        if (ids == package || (package && !(g & O_ALL_CLEAN)) || (ids && (g & (O_PACKAGE | O_ALL_CLEAN))))
            return missing(what, "REVISION... or --county CODE --period P --all-clean");
    } else if (strcmp(a->word, "return") == 0) {
        if (!(g & O_REASON) || ids == package || (ids && (g & O_PACKAGE)))
            return missing(what, "REVISION --reason TEXT [--columns C,...] [--deadline DATE], or --county CODE "
                                 "--period P --reason TEXT");
        if (package && (g & (O_COLUMNS | O_DEADLINE)))
            return missing(what, "--columns and --deadline only with a REVISION");
        if (package)
            r->action = "return_package";
    } else if (strcmp(a->word, "reopen") == 0) {
        if ((g & (O_SCHOOL | O_PERIOD | O_REASON)) != (O_SCHOOL | O_PERIOD | O_REASON))
            return missing(what, "--school CODE --period P --reason TEXT");
    } else if (strcmp(a->word, "findings") == 0) {
        if (!package || ((g & (O_ITEM | O_FINDING)) && (g & (O_ITEM | O_FINDING)) != (O_ITEM | O_FINDING)))
            return missing(what, "--county CODE --period P, and for a new finding --item N --finding TEXT");
        r->action = (g & O_FINDING) ? "finding" : "findings";
    } else if (strcmp(a->word, "override") == 0) {
        if ((g & a->allowed & ~(unsigned)O_ACTION_ID) != (a->allowed & ~(unsigned)O_ACTION_ID))
            return missing(what, "--county --period --item --field --value --reason");
    } else if (strcmp(a->word, "pending") == 0) {
        if (!(g & O_COUNTY))
            return missing(what, "--county CODE");
    } else if (strcmp(a->word, "seal") == 0 || strcmp(a->word, "package") == 0 || strcmp(a->word, "pass") == 0) {
        if (!package)
            return missing(what, "--county CODE --period P");
    }
    return -1;
}

/* Runs one action of `junheng review`. Returns the exit status. */
static int run_action(client_options *opts, const review_action *a, int argc, char **argv)
{
    char what[64];
    snprintf(what, sizeof what, "review %s", a->word);
    review_cmd c;
    memset(&c, 0, sizeof c);
    junheng__review_request__init(&c.req);
    int code = parse_options(&c, a, what, argc, argv);
    if (code < 0)
        code = settle_action(&c, a, what);
    if (code < 0)
        code = review_run(opts, &c.req, what, c.json, a->print);
    free(c.req.revisions);
    free(c.req.columns);
    free(c.columns_text);
    return code;
}

int cmd_review(client_options *opts, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        review_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (strcmp(argv[1], ACTIONS[i].word) == 0)
            return run_action(opts, &ACTIONS[i], argc, argv);
    fprintf(stderr, "junheng review: unknown action '%s' (see junheng review --help)\n", argv[1]);
    return EXIT_USAGE;
}
