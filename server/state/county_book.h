/* county_book.h -- the daemon's county statuses, in two views
 * (docs/review.md): per (county, period) one incremental county_state
 * (common/county_state.h) fed by each school's newest revision (live) and
 * one fed by each school's approved revision (official), with the county's
 * merged inputs (live) and its latest seal's inputs (official); a
 * publication sequence per county and view, and the set of (entry, view)
 * changed since last published. Built from the registry's revisions at
 * start; updated in O(1) per committed submission or approval. Each view
 * also keeps every counted school's item facts (item_school), updated when
 * a revision is set, so a rendering reads plain structs and decodes nothing.
 *
 * Ownership: the book owns its states; statuses it returns are new objects
 * the caller destroys with county_status_destroy(). */
#ifndef JUNHENG_COUNTY_BOOK_H
#define JUNHENG_COUNTY_BOOK_H

#include <stdint.h>

#include "assess.h"
#include "assess_items.h"
#include "county_inputs.h"
#include "county_state.h"
#include "plan.h"
#include "registry.h"
#include "problems.h"
#include "review_state.h"
#include "validate.h"

typedef struct county_book county_book;

/* Which status: the newest of everything (live) or the approved and sealed
 * data with the city's overrides (official). */
typedef enum { VIEW_LIVE = 0, VIEW_OFFICIAL = 1 } status_view;

/* The item facts (item_school) of a view's counted schools, sorted by
 * school code (owned by the entry). */
typedef struct {
    item_school *items;
    size_t n, cap;
} school_facts_list;

/* One (county, period) the book holds. The live view's fields keep their
 * names (state, dirty, inputs, inputs_revision); the official view's are
 * official_*. Read a view through county_entry_view(). */
typedef struct {
    char county_code[COUNTY_CODE_LEN + 1];
    int32_t period;
    county_state *state;      /* live: the newest revision of every school */
    bool dirty;               /* live: changed since last published */
    county_inputs *inputs;    /* the county's inputs: every revision merged in order (owned); NULL: none */
    int64_t inputs_revision;  /* the newest county-inputs revision merged in, 0 when none */
    county_state *official_state;     /* official: each school's approved revision */
    bool official_dirty;
    county_inputs *official_inputs;   /* the latest seal's inputs (owned copy); NULL: none sealed */
    int64_t official_inputs_revision; /* the county-inputs revision that seal folded in, 0 when none */
    school_facts_list facts[2];       /* per view (status_view): the counted schools' item facts */
} county_entry;

/* Creates an empty book over reg (borrowed; must outlive the book) with the
 * given rules (copied). NULL when out of memory. */
county_book *county_book_new(const rules_config *rules, registry *reg);
void county_book_destroy(county_book **p);

/* Builds every (county, period) state from the registry's newest revisions.
 * Returns 0 or -1 (out of memory). */
int county_book_load(county_book *self);

/* A school's new revision for period has been committed and is now the
 * registry's newest (sub: that revision, borrowed): updates its county in
 * O(1) and marks it changed. Returns 0 or -1. */
int county_book_school_submitted(county_book *self, const school_record *rec, int32_t period,
                                 const submission *sub);

/* A county-inputs revision of (county, period) was committed (or is loaded
 * at start, in revision order): merges it into the entry's inputs
 * (county_inputs_merge; an older revision than the newest merged is
 * ignored) and, when mark_changed, marks the entry changed. Returns 0, or -1
 * for an unknown county or out of memory. */
int county_book_county_inputs(county_book *self, const char *county_code, int32_t period, int64_t revision,
                              const county_inputs *rev, bool mark_changed);

/* The whole verdict of an entry's live view: county_verdict_assess over st
 * (the entry's full status, county_state_status), the item facts the entry
 * keeps for its schools (no decoding) and the entry's merged inputs.
 * O(schools of the county). Returns a new verdict (caller destroys), or
 * NULL when out of memory. (county_book_render covers both views.) */
county_verdict *county_book_verdict(county_book *self, const county_entry *e, const county_status *st);

/* The rules the book judges by (borrowed). */
const rules_config *county_book_rules(const county_book *self);

/* A school's registry row changed (import): updates every period of its
 * county (and of its old county if it moved). Returns 0 or -1. */
int county_book_school_changed(county_book *self, const school_record *rec, const char *old_county_code);

/* The changed (entry, view) whose change is oldest, its dirty flag cleared
 * (*view set to which view changed), or NULL when none is left. The entry
 * stays the book's. O(1). */
county_entry *county_book_pop_dirty(county_book *self, status_view *view);

/* A county's name changed in the registry: renames it in every period's
 * state and marks them changed. Returns 0 or -1. */
int county_book_county_renamed(county_book *self, const county_info *county);

/* How many (entry, view) changed since they were last published. */
size_t county_book_dirty_count(const county_book *self);

/* The entry for (county, period), or NULL (unknown county, or no data at all
 * when period is 0). period 0 = the county's newest period with data (or the
 * newest of any county when it has none). A period without data is answered
 * from a scratch entry (every school missing) owned by the book and valid
 * until the next call: reads never create lasting entries. */
county_entry *county_book_entry(county_book *self, const char *county_code, int32_t period);

/* The newest period with any data, or 0. */
int32_t county_book_newest_period(const county_book *self);

/* The next publication sequence of a county in a view (+1 per
 * publication), and the current one without advancing.
 * Each view has its own sequences. */
uint64_t county_book_next_seq(county_book *self, const char *county_code, status_view view);
uint64_t county_book_current_seq(county_book *self, const char *county_code, status_view view);

/* Calls fn for every county of the registry whose code starts with prefix
 * ("" for all), in code order. */
void county_book_foreach_county(county_book *self, const char *prefix, void (*fn)(void *arg, county_record *c),
                                void *arg);

/* --- The official view (docs/review.md "Two views"). Declared here by the
 * lead as the contract between the review requests (server/admin) and the
 * state/publish side; implemented in server/state. ---------------------- */

/* status_view: declared at the top of this header (the entries use it). */

/* "live" / "official"; 实时 / 正式. */
const char *status_view_key(status_view v);
const char *status_view_zh(status_view v);

/* The review state the book reads (borrowed; must outlive the book): the
 * city's overrides and the "review" object of every status. Set once, before
 * county_book_load. */
void county_book_set_review(county_book *self, const review_state *rs);

/* A school revision was approved (after COMMIT; or at load): when it is
 * newer than the school's approved revision held for period, it becomes the
 * school's official revision (kept packed in the registry) and the official
 * view of its county is updated and marked changed. sub: that revision's
 * data (borrowed). Returns 1 when it became the official one, 0 when older,
 * -1 when out of memory. */
int county_book_school_approved(county_book *self, const school_record *rec, int32_t period, int64_t revision,
                                const submission *sub);

/* The county sealed (after COMMIT; or at load, for the newest seal): the
 * official view of (county, period) now uses these inputs (merged is the
 * county's inputs folded up to inputs_revision, borrowed and copied; NULL:
 * none). Marks the official view changed. Returns 0, or -1. */
int county_book_official_inputs(county_book *self, const char *county_code, int32_t period, int64_t inputs_revision,
                                const county_inputs *merged);

/* Something the "review" object or the overrides show changed for (county,
 * period) -- a revision approved or returned, a package state, a problem, an
 * override, a period's dates: marks the views changed (the official only
 * when official_only). Returns 0, or -1 for an unknown county. */
int county_book_review_changed(county_book *self, const char *county_code, int32_t period, bool official_only);

/* One school of a seal: its code and the revision counted (0 and sub NULL:
 * none approved). */
typedef struct {
    const char *school_code;
    int64_t revision;
    const submission *sub;
} seal_school;

/* The status a seal freezes (docs/review.md "Sealed packages are
 * reproducible"): the official status of (county, period) computed from
 * exactly these schools' revisions and these inputs, without the city's
 * overrides and without the "review" object, rendered with seq 0, epoch
 * null and computed_at = sealed_at. The same function serves the seal and
 * its verification, so equal inputs give identical bytes. Returns a
 * malloc'd string (caller frees), or NULL (unknown county, out of memory). */
char *county_book_render_seal(county_book *self, const char *county_code, int32_t period, const seal_school *schools,
                              size_t n_schools, const county_inputs *inputs, int64_t inputs_revision,
                              const char *sealed_at);

/* --- Both views, for the publisher (server/publish). --- */

/* A view of an entry: its state and the inputs its verdict starts from
 * (official: the seal's, before the city's overrides). Borrowed. */
typedef struct {
    county_state *state;
    const county_inputs *inputs;   /* NULL: none */
    int64_t inputs_revision;
} county_view_ref;
void county_entry_view(const county_entry *e, status_view v, county_view_ref *out);

/* What a rendering needs besides the entry: the sequence, the run's epoch
 * (NULL: null), the time and today's date for the "review" object's period
 * (YYYYMMDD at UTC+period_utc_offset_hours) with period_warning_days. */
typedef struct {
    uint64_t seq;
    const char *epoch;
    const char *computed_at;
    int32_t today;
    int warning_days;
} county_render_opts;

/* Renders a view of an entry (docs/formats.md §5 with "view" and "review";
 * the official view with the city's overrides applied field by field):
 * the status, its verdict and the review object are computed once, then
 * *full (the status) and *summary (the history's form) are written from
 * them; either pointer may be NULL (not wanted). O(schools of the county),
 * nothing decoded. Returns 0 (the wanted texts malloc'd, caller frees), or
 * -1 when out of memory (both NULL). */
int county_book_render(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                       char **full, char **summary);

/* The status of one view of an entry: county_book_render's full text
 * (*full) and the status and verdict it was written from (*st, *v), each
 * new (the caller frees and destroys them). The one function the published
 * status, a status query and a what-if all compute a status with. Returns
 * 0, or -1 when out of memory (all three NULL). */
int county_book_evaluate(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                         char **full, county_status **st, county_verdict **v);

/* A what-if (docs/whatif.md): changes applied to a copy of one view of
 * (county, period) -- nothing stored, nothing published, no sequence used. */
typedef struct {
    const char *school_code;
    const char *field;      /* a submission column id */
    const char *value;      /* "1200", "+300", "-2"; lists "45;45", "+96" */
} whatif_change;

typedef struct {
    const char *county_code;
    int32_t period;         /* 0: the newest with data */
    status_view view;
    const whatif_change *changes;
    size_t n_changes;
    bool with_schools;      /* also every school's submission values */
    const validate_limits *limits;
} whatif_request;

/* Answers a what-if: 0 with *answer (the JSON text of docs/whatif.md,
 * malloc'd, caller frees); 1 when refused, each reason in errors (field
 * "school_code.field" for a change, "county_code" or "period" for the
 * request); -1 when out of memory. The current status is rendered with o
 * (its seq, time); the status after the changes with the same o. */
int county_book_whatif(county_book *self, const whatif_request *req, const county_render_opts *o,
                       problem_list *errors, char **answer);

/* Marks both views of every entry of period changed (the day turned: the
 * "review" object's days_left and closing_soon moved). Returns 0 or -1. */
int county_book_period_changed(county_book *self, int32_t period);

/* --- The city's plan (common/plan.h; docs/formats.md "The city's plan"). --- */

/* Puts plan rows in force (each replaces the row of its (county, period);
 * copied), in revision order at load, and, when mark_changed, marks every
 * entry of their counties changed (both views) so they are republished.
 * Returns 0 or -1 (out of memory). */
int county_book_plan_put(county_book *self, const plan_row *rows, size_t n, bool mark_changed);

/* The plan in force for (county, period): the row for that school year,
 * else the county's every-year row (period 0), else NULL. Borrowed: valid
 * until the next county_book_plan_put. */
const plan_row *county_book_plan(const county_book *self, const char *county_code, int32_t period);

/* The review state set with county_book_set_review, or NULL. */
const review_state *county_book_review(const county_book *self);

#endif
