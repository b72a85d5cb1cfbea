/* county_book_render.c -- a view of a county rendered as its status JSON
 * (docs/formats.md §5, docs/review.md "In the status JSON"): the status,
 * the verdict (the official view with the city's overrides applied field by
 * field on a copy of the sealed inputs), the "review" object; and the
 * frozen status of a seal. See county_book.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "county_book_internal.h"
#include "status_json.h"

/* Days since 1970-01-01 of a YYYYMMDD date (the proleptic Gregorian
 * calendar; H. Hinnant's days_from_civil). */
static int64_t days_of(int32_t ymd)
{
    int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The three lists of the review object's "schools" (owned). */
typedef struct {
    char (*codes)[SCHOOL_CODE_LEN + 1]; /* not submitted, then awaiting, then returned: one allocation */
} review_lists;

/* Sorts e's schools (its live view's facts: every active school, in code
 * order) into not submitted / awaiting approval / returned / approved by
 * the review state of each one's newest revision. 0 or -1. */
static int review_schools(county_book *self, const county_entry *e, status_review *r, review_lists *lists)
{
    const school_facts_list *l = &e->facts[VIEW_LIVE];
    lists->codes = malloc((l->n ? l->n : 1) * 3 * sizeof *lists->codes);
    if (!lists->codes)
        return -1;
    char (*ns)[SCHOOL_CODE_LEN + 1] = lists->codes;
    char (*aw)[SCHOOL_CODE_LEN + 1] = lists->codes + l->n;
    char (*rt)[SCHOOL_CODE_LEN + 1] = lists->codes + 2 * l->n;
    size_t n_ns = 0, n_aw = 0, n_rt = 0;
    r->registered = (int64_t)l->n;
    r->approved = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *code = l->items[i].school_code;
        const school_record *rec = registry_school(self->reg, code);
        int64_t revision = 0;
        if (!rec || !school_record_has_latest(rec, e->period, &revision)) {
            memcpy(ns[n_ns++], code, SCHOOL_CODE_LEN + 1);
            continue;
        }
        revision_review st = self->review ? review_state_revision(self->review, revision) : REVIEW_SUBMITTED;
        if (st == REVIEW_APPROVED)
            r->approved++;
        else if (st == REVIEW_RETURNED)
            memcpy(rt[n_rt++], code, SCHOOL_CODE_LEN + 1);
        else
            memcpy(aw[n_aw++], code, SCHOOL_CODE_LEN + 1);
    }
    r->not_submitted = (const char (*)[SCHOOL_CODE_LEN + 1])ns;
    r->n_not_submitted = n_ns;
    r->awaiting_approval = (const char (*)[SCHOOL_CODE_LEN + 1])aw;
    r->n_awaiting_approval = n_aw;
    r->returned = (const char (*)[SCHOOL_CODE_LEN + 1])rt;
    r->n_returned = n_rt;
    return 0;
}

/* The review object of e (lists in *lists, freed by the caller with free(lists->codes)). 0 or -1. */
static int review_build(county_book *self, const county_entry *e, const county_render_opts *o, status_review *r,
                        review_lists *lists)
{
    memset(r, 0, sizeof *r);
    const package_info *p = self->review ? review_state_package(self->review, e->county_code, e->period) : NULL;
    package_state ps = p ? p->state : PACKAGE_COLLECTING;
    r->package_state = package_state_key(ps);
    r->package_state_zh = package_state_zh(ps);
    if (p) {
        r->seal = p->seal;
        r->sealed_at = p->sealed_at;
        r->problems_open = p->problems_open;
        r->problems_rectified = p->problems_rectified;
        r->problems_closed = p->problems_closed;
    }
    const period_info *pi = self->review ? review_state_period(self->review, e->period) : NULL;
    if (pi) {
        r->has_period = true;
        r->period = pi->period;
        r->closes_on = pi->closes_on;
        r->closed = pi->closed;
        if (pi->closes_on > 0 && o->today > 0) {
            r->days_left = (int32_t)(days_of(pi->closes_on) - days_of(o->today));
            r->closed = r->closed || r->days_left < 0;
            r->closing_soon = !r->closed && r->days_left <= o->warning_days;
        }
    }
    return review_schools(self, e, r, lists);
}

/* The words an override's value is written in, for what a field of type t
 * holds (value 1 or 0); a number for the other types. */
static void value_words(county_input_type t, const county_input_value *v, char *buf, size_t size)
{
    if (t == CIT_VETO)
        snprintf(buf, size, "%s", v->value != 0 ? "present" : "absent");
    else if (t == CIT_JUDGEMENT)
        snprintf(buf, size, "%s", v->value != 0 ? "yes" : "no");
    else
        snprintf(buf, size, "%.15g", v->value);
}

/* The overrides of e applied to a copy of its sealed inputs (*in; the
 * caller clears it) and described for the JSON (shown[i], county_value
 * texts in values[i], both n long). 0 or -1 (out of memory). */
static int apply_overrides(county_book *self, const county_entry *e, const city_override *ov, size_t n,
                           county_inputs *in, status_override *shown, char (*values)[24])
{
    if (e->official_inputs && county_inputs_copy(in, e->official_inputs) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        shown[i] = (status_override){ ov[i].item, ov[i].field, ov[i].value, ov[i].reason, ov[i].at, NULL };
        double value = strcmp(ov[i].value, "yes") == 0 || strcmp(ov[i].value, "present") == 0 ? 1 : 0;
        const county_input_value *was = NULL;
        county_input_type type = CIT_VETO;
        int rc = 0;
        const item_def *item = item_find(ov[i].item);
        int f = item ? county_input_find(item->item, ov[i].field) : -1;
        if (f >= 0) {
            was = &in->v[f];
            type = COUNTY_INPUT_DEFS[f].type;
            if (was->present)
                value_words(type, was, values[i], sizeof values[i]);
            rc = county_inputs_set(in, (county_input_field)f, value, false, ov[i].reason);
        } else {
            for (int k = 0; k < self->rules.n_extra_vetoes; k++)
                if ((strcmp(self->rules.extra_veto[k].number, ov[i].item) == 0 ||
                     strcmp(self->rules.extra_veto[k].key, ov[i].item) == 0) &&
                    strcmp(ov[i].field, "present") == 0) {
                    was = &in->extra_veto[k];
                    if (was->present)
                        value_words(CIT_VETO, was, values[i], sizeof values[i]);
                    rc = county_inputs_set_extra_veto(in, k, value, ov[i].reason);
                }
        }
        if (rc != 0)
            return -1;
        if (was && values[i][0])
            shown[i].county_value = values[i];
    }
    return 0;
}

/* The verdict of one view of e over st: the official view's inputs carry
 * the city's overrides (shown/values filled, *n_shown their number). */
static county_verdict *view_verdict(county_book *self, const county_entry *e, status_view view,
                                    const county_status *st, status_override **shown, size_t *n_shown)
{
    const school_facts_list *l = &e->facts[view];
    county_view_ref ref;
    county_entry_view(e, view, &ref);
    const city_override *ov = NULL;
    size_t n = view == VIEW_OFFICIAL && self->review
                   ? review_state_overrides(self->review, e->county_code, e->period, &ov)
                   : 0;
    *shown = NULL;
    *n_shown = 0;
    if (n == 0)
        return county_verdict_assess(&self->rules, st, l->items, l->n, ref.inputs);
    county_inputs in;
    memset(&in, 0, sizeof in);
    /* one allocation: the descriptions, then their county_value texts */
    status_override *d = calloc(n, sizeof *d + 24);
    county_verdict *v = NULL;
    if (d && apply_overrides(self, e, ov, n, &in, d, (char (*)[24])(d + n)) == 0)
        v = county_verdict_assess(&self->rules, st, l->items, l->n, &in);
    county_inputs_clear(&in);
    if (!v) {
        free(d);
        return NULL;
    }
    *shown = d;
    *n_shown = n;
    return v;
}

static int render_parts(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                        char **full, char **summary, county_status **st_out, county_verdict **v_out);

/* render_parts for an entry whose official view is not built (no school
 * approved yet): rendered from a copy built for the occasion (every school
 * missing), which is then dropped. */
static int render_unbuilt(county_book *self, const county_entry *e, const county_render_opts *o, char **full,
                          char **summary, county_status **st_out, county_verdict **v_out)
{
    county_entry tmp = *e;
    memset(&tmp.facts[VIEW_OFFICIAL], 0, sizeof tmp.facts[VIEW_OFFICIAL]);
    if (book_official_materialize(self, &tmp) != 0)
        return -1;
    int rc = render_parts(self, &tmp, VIEW_OFFICIAL, o, full, summary, st_out, v_out);
    book_official_drop(&tmp);
    return rc;
}

/* county_book_render, also handing over the status and the verdict the
 * texts were written from (*st_out, *v_out when not NULL; the caller
 * destroys them; NULL on failure). */
static int render_parts(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                        char **full, char **summary, county_status **st_out, county_verdict **v_out)
{
    if (full)
        *full = NULL;
    if (summary)
        *summary = NULL;
    if (st_out)
        *st_out = NULL;
    if (v_out)
        *v_out = NULL;
    if (view == VIEW_OFFICIAL && !e->official_state)
        return render_unbuilt(self, e, o, full, summary, st_out, v_out);
    county_view_ref ref;
    county_entry_view(e, view, &ref);
    county_status *st = county_state_status(ref.state, e->period);
    status_override *shown = NULL;
    size_t n_shown = 0;
    county_verdict *v = st ? view_verdict(self, e, view, st, &shown, &n_shown) : NULL;
    status_review review;
    review_lists lists = { NULL };
    int rc = v && review_build(self, e, o, &review, &lists) == 0 ? 0 : -1;
    plan_status plan = { .plan = NULL };
    if (st)
        plan_compare(county_book_plan(self, e->county_code, e->period), st, &plan);
    status_view_info vi = { status_view_key(view), &review, shown, n_shown, &plan };
    if (rc == 0 && full &&
        !(*full = status_json_render_view(st, v, ref.inputs_revision, &vi, o->seq, o->epoch, o->computed_at, false)))
        rc = -1;
    if (rc == 0 && summary &&
        !(*summary = status_json_render_view(st, v, ref.inputs_revision, &vi, o->seq, o->epoch, o->computed_at, true)))
        rc = -1;
    if (rc != 0 && full) {
        free(*full);
        *full = NULL;
    }
    free(lists.codes);
    free(shown);
    if (rc == 0 && st_out && v_out) {
        *st_out = st;
        *v_out = v;
        return 0;
    }
    county_verdict_destroy(&v);
    county_status_destroy(&st);
    return rc;
}

int county_book_render(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                       char **full, char **summary)
{
    return render_parts(self, e, view, o, full, summary, NULL, NULL);
}

int county_book_evaluate(county_book *self, const county_entry *e, status_view view, const county_render_opts *o,
                         char **full, county_status **st, county_verdict **v)
{
    return render_parts(self, e, view, o, full, NULL, st, v);
}

/* qsort/bsearch order of seal schools by code. */
static int seal_cmp(const void *a, const void *b)
{
    return strcmp(((const seal_school *)a)->school_code, ((const seal_school *)b)->school_code);
}

/* Order of school records by code. */
static int rec_cmp(const void *a, const void *b)
{
    return strcmp(school_record_code(*(school_record *const *)a), school_record_code(*(school_record *const *)b));
}

/* A scratch entry of county c for period holding its active schools (in
 * code order) with the seal's revisions (sorted: the seal's list, by code).
 * Returns 0 with *e filled (free with seal_entry_free), or -1. */
static int seal_entry(county_book *self, const county_record *c, int32_t period, const seal_school *sorted,
                      size_t n_sorted, county_entry *e)
{
    memset(e, 0, sizeof *e);
    e->period = period;
    snprintf(e->county_code, sizeof e->county_code, "%s", c->info.code);
    e->official_state = county_state_new(&self->rules, &c->info);
    school_record **order = malloc((c->n_schools ? c->n_schools : 1) * sizeof *order);
    if (!e->official_state || !order) {
        free(order);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < c->n_schools; i++)
        if (school_record_active(c->schools[i]))
            order[n++] = c->schools[i];
    qsort(order, n, sizeof *order, rec_cmp);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        seal_school key = { school_record_code(order[i]), 0, NULL };
        const seal_school *s = n_sorted ? bsearch(&key, sorted, n_sorted, sizeof *sorted, seal_cmp) : NULL;
        school_info info;
        school_record_info(order[i], &info);
        rc = book_view_put(e, VIEW_OFFICIAL, &info, s && s->revision > 0 ? s->sub : NULL);
    }
    free(order);
    return rc;
}

char *county_book_render_seal(county_book *self, const char *county_code, int32_t period, const seal_school *schools,
                              size_t n_schools, const county_inputs *inputs, int64_t inputs_revision,
                              const char *sealed_at)
{
    const county_record *c = registry_county(self->reg, county_code);
    if (!c)
        return NULL;
    seal_school *sorted = malloc((n_schools ? n_schools : 1) * sizeof *sorted);
    if (!sorted)
        return NULL;
    if (n_schools)
        memcpy(sorted, schools, n_schools * sizeof *sorted);
    qsort(sorted, n_schools, sizeof *sorted, seal_cmp);
    county_entry e;
    char *json = NULL;
    if (seal_entry(self, c, period, sorted, n_schools, &e) == 0) {
        county_status *st = county_state_status(e.official_state, period);
        const school_facts_list *l = &e.facts[VIEW_OFFICIAL];
        county_verdict *v = st ? county_verdict_assess(&self->rules, st, l->items, l->n, inputs) : NULL;
        status_view_info vi = { status_view_key(VIEW_OFFICIAL), NULL, NULL, 0, NULL };
        if (v)
            json = status_json_render_view(st, v, inputs ? inputs_revision : 0, &vi, 0, NULL, sealed_at, false);
        county_verdict_destroy(&v);
        county_status_destroy(&st);
    }
    book_official_free(&e);
    free(sorted);
    return json;
}
