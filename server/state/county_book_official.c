/* county_book_official.c -- the two views of the county book
 * (docs/review.md): each view's item facts per school (so a verdict decodes
 * nothing), the official view's approved revisions and sealed inputs, and
 * the review state the book reads. See county_book.h. */
#include <stdlib.h>
#include <string.h>

#include "county_book_internal.h"

const char *status_view_key(status_view v)
{
    return v == VIEW_OFFICIAL ? "official" : "live";
}

const char *status_view_zh(status_view v)
{
    return v == VIEW_OFFICIAL ? "正式" : "实时";
}

/* ---- item facts, sorted by school code --------------------------------------- */

/* The index of school_code in l, or where it would go (*found says which). */
static size_t facts_find(const school_facts_list *l, const char *school_code, bool *found)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->items[mid].school_code, school_code);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* Room for one more item. 0 or -1 (out of memory). */
static int facts_grow(school_facts_list *l)
{
    if (l->n < l->cap)
        return 0;
    size_t cap = l->cap ? l->cap * 2 : 16;
    item_school *items = realloc(l->items, cap * sizeof *items);
    if (!items)
        return -1;
    l->items = items;
    l->cap = cap;
    return 0;
}

int facts_put(school_facts_list *l, const item_school *f)
{
    bool found;
    size_t i = facts_find(l, f->school_code, &found);
    if (found) {
        l->items[i] = *f;
        return 0;
    }
    if (facts_grow(l) != 0)
        return -1;
    memmove(l->items + i + 1, l->items + i, (l->n - i) * sizeof *l->items);
    l->items[i] = *f;
    l->n++;
    return 0;
}

void facts_remove(school_facts_list *l, const char *school_code)
{
    bool found;
    size_t i = facts_find(l, school_code, &found);
    if (!found)
        return;
    memmove(l->items + i, l->items + i + 1, (l->n - i - 1) * sizeof *l->items);
    l->n--;
}

int facts_append(school_facts_list *l, const item_school *f)
{
    if (facts_grow(l) != 0)
        return -1;
    l->items[l->n++] = *f;
    return 0;
}

/* qsort order of item facts by school code. */
static int facts_cmp(const void *a, const void *b)
{
    return strcmp(((const item_school *)a)->school_code, ((const item_school *)b)->school_code);
}

void facts_sort(school_facts_list *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, facts_cmp);
    if (l->n > 0 && l->n < l->cap) {
        /* built: exactly its size (a national book holds 200,000 of them) */
        item_school *items = realloc(l->items, l->n * sizeof *items);
        if (items) {
            l->items = items;
            l->cap = l->n;
        }
    }
}

void facts_free(school_facts_list *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- the views' schools ------------------------------------------------------ */

/* The state of one view of e. */
static county_state *view_state(const county_entry *e, status_view view)
{
    return view == VIEW_OFFICIAL ? e->official_state : e->state;
}

int book_view_put(county_entry *e, status_view view, const school_info *info, const submission *sub)
{
    item_school f;
    item_school_from(info, sub, &f);
    if (county_state_set_school(view_state(e, view), info, sub) != ASSESS_OK)
        return -1;
    return facts_put(&e->facts[view], &f);
}

int book_view_load(county_entry *e, status_view view, const school_record *rec, bool append)
{
    school_info info;
    submission sub;
    school_record_info(rec, &info);
    int have = view == VIEW_OFFICIAL ? school_record_approved(rec, e->period, NULL, &sub)
                                     : school_record_latest(rec, e->period, NULL, &sub);
    if (have < 0)
        return -1;
    int rc;
    if (append) {
        item_school f;
        item_school_from(&info, have ? &sub : NULL, &f);
        rc = county_state_set_school(view_state(e, view), &info, have ? &sub : NULL) == ASSESS_OK &&
                     facts_append(&e->facts[view], &f) == 0
                 ? 0
                 : -1;
    } else {
        rc = book_view_put(e, view, &info, have ? &sub : NULL);
    }
    if (have)
        submission_clear(&sub);
    return rc;
}

int book_views_remove(county_entry *e, const char *school_code)
{
    int held = 0;
    for (int v = VIEW_LIVE; v <= VIEW_OFFICIAL; v++) {
        if (!view_state(e, (status_view)v))
            continue; /* an official view not built yet */
        int rc = county_state_remove_school(view_state(e, (status_view)v), school_code);
        if (rc == ASSESS_OK)
            held = 1;
        else if (rc != ASSESS_ENOTFOUND)
            return -1;
        facts_remove(&e->facts[v], school_code);
    }
    return held;
}

void book_official_drop(county_entry *e)
{
    county_state_destroy(&e->official_state);
    facts_free(&e->facts[VIEW_OFFICIAL]);
}

void book_official_free(county_entry *e)
{
    book_official_drop(e);
    if (e->official_inputs) {
        county_inputs_clear(e->official_inputs);
        free(e->official_inputs);
        e->official_inputs = NULL;
    }
}

void county_entry_view(const county_entry *e, status_view v, county_view_ref *out)
{
    out->state = view_state(e, v);
    out->inputs = v == VIEW_OFFICIAL ? e->official_inputs : e->inputs;
    out->inputs_revision = v == VIEW_OFFICIAL ? e->official_inputs_revision : e->inputs_revision;
}

county_verdict *county_book_verdict(county_book *self, const county_entry *e, const county_status *st)
{
    const school_facts_list *l = &e->facts[VIEW_LIVE];
    return county_verdict_assess(&self->rules, st, l->items, l->n, e->inputs);
}

/* ---- the review chain's changes -------------------------------------------- */

void county_book_set_review(county_book *self, const review_state *rs)
{
    self->review = rs;
}

const review_state *county_book_review(const county_book *self)
{
    return self->review;
}

int county_book_school_approved(county_book *self, const school_record *rec, int32_t period, int64_t revision,
                                const submission *sub)
{
    /* the registry's record is the book's to change (it holds the revisions) */
    int rc = school_record_set_approved((school_record *)rec, period, revision, sub);
    if (rc <= 0 || !self->loaded || !school_record_active(rec))
        return rc; /* before the load, the load builds every entry from the registry */
    const char *county_code = school_record_county(rec);
    bool existed = book_entry_find(self, county_code, period) != NULL;
    county_entry *e = book_entry_get_or_create(self, county_code, period);
    if (!e)
        return -1;
    if (existed && !e->official_state) {
        /* the county's first approval for the period: the official view is
         * built now, from the registry (which holds this approval) */
        if (book_official_materialize(self, e) != 0)
            return -1;
    } else if (existed) {
        school_info info;
        school_record_info(rec, &info);
        if (book_view_put(e, VIEW_OFFICIAL, &info, sub) != 0)
            return -1;
    }
    return book_mark_dirty(self, e, VIEW_OFFICIAL) == 0 ? 1 : -1;
}

int county_book_official_inputs(county_book *self, const char *county_code, int32_t period, int64_t inputs_revision,
                                const county_inputs *merged)
{
    county_entry *e = book_entry_get_or_create(self, county_code, period);
    if (!e)
        return -1;
    county_inputs *copy = NULL;
    if (merged) {
        copy = calloc(1, sizeof *copy);
        if (!copy || county_inputs_copy(copy, merged) != 0) {
            free(copy);
            return -1;
        }
    }
    if (e->official_inputs) {
        county_inputs_clear(e->official_inputs);
        free(e->official_inputs);
    }
    e->official_inputs = copy;
    e->official_inputs_revision = merged ? inputs_revision : 0;
    return book_mark_dirty(self, e, VIEW_OFFICIAL);
}

int county_book_review_changed(county_book *self, const char *county_code, int32_t period, bool official_only)
{
    if (!registry_county(self->reg, county_code))
        return -1;
    /* A (county, period) without an entry has nothing published: its reads
     * are rendered afresh, so there is nothing to mark. */
    county_entry *e = book_entry_find(self, county_code, period);
    if (!e)
        return 0;
    if (!official_only && book_mark_dirty(self, e, VIEW_LIVE) != 0)
        return -1;
    return book_mark_dirty(self, e, VIEW_OFFICIAL);
}
