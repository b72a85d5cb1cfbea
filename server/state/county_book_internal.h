/* county_book_internal.h -- what the files of the county book share
 * (county_book.c: entries, load, changes, sequences; county_book_official.c:
 * item facts, verdicts, the official view's inputs and approvals;
 * county_book_render.c: the review object, renderings and the seal).
 * Private to server/state. */
#ifndef JUNHENG_COUNTY_BOOK_INTERNAL_H
#define JUNHENG_COUNTY_BOOK_INTERNAL_H

#include "county_book.h"
#include "hashmap.h"

/* One changed (entry, view) waiting for publication. */
typedef struct {
    county_entry *e;
    status_view view;
} dirty_item;

struct county_book {
    rules_config rules;
    registry *reg;            /* borrowed */
    const review_state *review; /* borrowed; NULL until county_book_set_review */
    hashmap *counties;        /* county code -> county_slot* (owned) */
    dirty_item *dirty;        /* changed (entry, view), each once, oldest change first */
    size_t dirty_head;        /* dirty[dirty_head .. n_dirty) are still to publish */
    size_t n_dirty, cap_dirty;
    int32_t newest_period;
    county_entry *scratch;    /* a read of a period without data: built on demand,
                                 never kept in entries (reads allocate nothing lasting) */
    bool loaded;              /* county_book_load has run: approvals now update entries */
    hashmap *plans;           /* "county:period" -> plan_row* in force (owned; county_book_plan.c) */
};

/* county_book.c: queues (e, view) for publication (once, at the back); the
 * entry of (county, period) or NULL; the same, created (fully built) when
 * missing. mark: 0 or -1 (out of memory). */
int book_mark_dirty(county_book *self, county_entry *e, status_view view);
county_entry *book_entry_find(county_book *self, const char *county_code, int32_t period);
county_entry *book_entry_get_or_create(county_book *self, const char *county_code, int32_t period);
/* county_book.c: marks both views of every entry of a county changed. 0 or -1. */
int book_mark_county(county_book *self, const char *county_code);

/* county_book_official.c: the item facts of a view's schools. facts_put
 * sets (or adds) one school's; facts_remove drops one; facts_append adds
 * without keeping the order, facts_sort restores it and trims the list to
 * its size (building); facts_free
 * frees the list. put/append: 0 or -1 (out of memory). */
int facts_put(school_facts_list *l, const item_school *f);
void facts_remove(school_facts_list *l, const char *school_code);
int facts_append(school_facts_list *l, const item_school *f);
void facts_sort(school_facts_list *l);
void facts_free(school_facts_list *l);

/* county_book_official.c: sets one active school in one view of e: its
 * state and item facts from sub (NULL: not submitted / none approved). 0 or -1. */
int book_view_put(county_entry *e, status_view view, const school_info *info, const submission *sub);
/* Sets rec (active) in view of e from the registry: its newest (live) or
 * approved (official) revision for e's period, decoded. append: building
 * (facts_append; the caller sorts). 0 or -1. */
int book_view_load(county_entry *e, status_view view, const school_record *rec, bool append);
/* Removes a school from both views of e. Returns 1 when it was held, 0
 * when not, -1 on error. */
int book_views_remove(county_entry *e, const char *school_code);
/* Frees what the official view of e owns (its state, facts and inputs). */
void book_official_free(county_entry *e);
/* Frees the official view's state and facts only (the entry then holds no
 * official state: every school missing). */
void book_official_drop(county_entry *e);
/* county_book.c: builds the official view's state and facts of e from the
 * registry's approved revisions (e holds none). 0 or -1 (e then holds none). */
int book_official_materialize(county_book *self, county_entry *e);

#endif
