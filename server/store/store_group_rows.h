/* store_group_rows.h -- the rows of a group commit, private to
 * store_group.c and store_group_rows.c: the group being written and what
 * is done per item (store_group_rows.c). */
#ifndef JUNHENG_STORE_GROUP_ROWS_H
#define JUNHENG_STORE_GROUP_ROWS_H

#include "store_internal.h"

#define SUB_COLS 8          /* the county inputs use the first 7 */
#define CIN_COLS 7
#define QUAR_COLS 5

/* The group being written. Arrays are indexed like items. */
typedef struct {
    store_item *items;
    size_t n;
    uint8_t (*ids)[16];    /* parsed submission ids */
    size_t *first;         /* index of the first item with the same id (itself when first) */
    bool *stored;          /* inserted by this group: revision came from RETURNING */
    pgarray sub[SUB_COLS];
    pgarray quar[QUAR_COLS];
    pgarray cin[SUB_COLS];  /* county inputs: the submissions' column types */
} group;

/* Whether item i goes to the database itself (not failed, not a repeat of
 * an earlier id in the group). */
bool group_sends(const group *g, size_t i);
/* Parses the ids of items[0..n) (the caller's, borrowed) and finds repeats
 * within the group. Returns 0 or -1 (out of memory; group_free still due). */
int group_init(group *g, store_item *items, size_t n);
/* Frees what group_init and group_build allocated (not the items). */
void group_free(group *g);
/* Fills the statement parameters (g->sub, g->quar, g->cin) for the items
 * idx[0..m) that go to the database; *n_sub / *n_quar / *n_cin get the row
 * counts. Returns 0 or -1 (out of memory). */
int group_build(group *g, const size_t *idx, size_t m, size_t *n_sub, size_t *n_quar, size_t *n_cin);
/* Records the RETURNING rows (id, revision) of the submissions (or county
 * inputs: kind) insert for the items idx[0..m). */
void apply_returned(group *g, const PGresult *r, const size_t *idx, size_t m, store_item_kind kind);
/* After the commit: repeats follow their first item; revisions of `kind`
 * not inserted were stored before, and their original revision is read
 * (a failed lookup leaves revision 0 and notes the error). */
void resolve_duplicates(store *self, group *g, store_item_kind kind);

#endif
