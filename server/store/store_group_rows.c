/* store_group_rows.c -- the rows of a group commit (store_group.c): its
 * one job is what goes into the statements and what comes back per item --
 * parsing the submission ids, finding an id repeated within the group,
 * building the column arrays of each kind's insert, recording the revisions
 * the inserts return, and reading the original revision of an id stored
 * before (a duplicate). How the statements are sent (pipeline, savepoints)
 * is store_group.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "store_group_rows.h"

static const char *const FIND_SQL[2] = {
    "SELECT submission_id, revision FROM submissions WHERE submission_id = ANY($1::uuid[])",
    "SELECT submission_id, revision FROM county_inputs WHERE submission_id = ANY($1::uuid[])",
};

/* Whether an item is a revision with a submission id (a school's or a county's). */
static bool item_has_id(const store_item *it)
{
    return it->kind == STORE_ITEM_SUBMISSION || it->kind == STORE_ITEM_COUNTY_INPUTS;
}

/* Whether item i goes to the database itself (not failed, not a repeat of
 * an earlier id in the group). */
bool group_sends(const group *g, size_t i)
{
    return !g->items[i].failed && (!item_has_id(&g->items[i]) || g->first[i] == i);
}

/* Parses the ids and finds repeats within the group (small hash table).
 * Returns 0 or -1 (out of memory). */
int group_init(group *g, store_item *items, size_t n)
{
    memset(g, 0, sizeof *g);
    g->items = items;
    g->n = n;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    g->ids = calloc(n ? n : 1, sizeof *g->ids);
    g->first = calloc(n ? n : 1, sizeof *g->first);
    g->stored = calloc(n ? n : 1, sizeof *g->stored);
    size_t *table = malloc(cap * sizeof *table);
    if (!g->ids || !g->first || !g->stored || !table) {
        free(table);
        return -1;
    }
    for (size_t k = 0; k < cap; k++)
        table[k] = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        store_item *it = &items[i];
        g->first[i] = i;
        if (!item_has_id(it))
            continue;
        if (store_uuid_parse(it->submission_id, g->ids[i]) != 0) {
            it->failed = true;
            snprintf(it->error, sizeof it->error, "submission_id '%.40s' is not a UUID",
                     it->submission_id ? it->submission_id : "");
            continue;
        }
        size_t k = hash_probe_home(fnv1a(g->ids[i], 16), cap);
        while (table[k] != (size_t)-1 &&
               (memcmp(g->ids[table[k]], g->ids[i], 16) != 0 || items[table[k]].kind != it->kind))
            k = hash_probe_next(k, cap);
        if (table[k] == (size_t)-1)
            table[k] = i;
        else
            g->first[i] = table[k];
    }
    free(table);
    return 0;
}

/* Frees what group_init and group_build allocated (not the items). */
void group_free(group *g)
{
    for (int c = 0; c < SUB_COLS; c++)
        pgarray_free(&g->sub[c]);
    for (int c = 0; c < QUAR_COLS; c++)
        pgarray_free(&g->quar[c]);
    for (int c = 0; c < SUB_COLS; c++)
        pgarray_free(&g->cin[c]);
    free(g->ids);
    free(g->first);
    free(g->stored);
}

/* Adds one revision row (a school's submission or a county's inputs) to cols. */
static void add_revision(pgarray *cols, const uint8_t id[16], const store_item *it, const char *code)
{
    pgarray_add(&cols[0], id, 16);
    pgarray_add_text(&cols[1], code);
    pgarray_add_int4(&cols[2], it->period);
    pgarray_add(&cols[3], it->payload ? (const void *)it->payload : "", it->payload_len);
    pgarray_add_text(&cols[4], it->warnings_json);
    pgarray_add_text(&cols[5], it->submitted_by);
    pgarray_add_text(&cols[6], it->web_user);
    pgarray_add_bool(&cols[7], it->late);
}

/* Fills the statement parameters for the items idx[0..m) that go to the
 * database. *n_sub / *n_quar / *n_cin get the row counts. Returns 0 or -1 (OOM). */
int group_build(group *g, const size_t *idx, size_t m, size_t *n_sub, size_t *n_quar, size_t *n_cin)
{
    static const uint32_t SUB_OIDS[SUB_COLS] = { PG_OID_UUID, PG_OID_TEXT, PG_OID_INT4,
                                                 PG_OID_BYTEA, PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT,
                                                 PG_OID_BOOL };
    static const uint32_t QUAR_OIDS[QUAR_COLS] = { PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT, PG_OID_BYTEA };
    for (int c = 0; c < SUB_COLS; c++)
        pgarray_begin(&g->sub[c], SUB_OIDS[c]);
    for (int c = 0; c < QUAR_COLS; c++)
        pgarray_begin(&g->quar[c], QUAR_OIDS[c]);
    for (int c = 0; c < SUB_COLS; c++)
        pgarray_begin(&g->cin[c], SUB_OIDS[c]);
    *n_sub = *n_quar = *n_cin = 0;
    for (size_t k = 0; k < m; k++) {
        size_t i = idx[k];
        const store_item *it = &g->items[i];
        if (!group_sends(g, i))
            continue;
        if (it->kind == STORE_ITEM_SUBMISSION) {
            add_revision(g->sub, g->ids[i], it, it->school_code);
            (*n_sub)++;
        } else if (it->kind == STORE_ITEM_COUNTY_INPUTS) {
            add_revision(g->cin, g->ids[i], it, it->county_code);
            (*n_cin)++;
        } else {
            pgarray_add_text(&g->quar[0], it->peer);
            pgarray_add_text(&g->quar[1], it->school_code);
            pgarray_add_text(&g->quar[2], it->reason ? it->reason : "");
            pgarray_add_text(&g->quar[3], it->errors_json);
            pgarray_add(&g->quar[4], it->raw ? (const void *)it->raw : "", it->raw ? it->raw_len : 0);
            (*n_quar)++;
        }
    }
    int rc = 0;
    for (int c = 0; c < SUB_COLS; c++)
        rc |= pgarray_finish(&g->sub[c]);
    for (int c = 0; c < QUAR_COLS; c++)
        rc |= pgarray_finish(&g->quar[c]);
    for (int c = 0; c < SUB_COLS; c++)
        rc |= pgarray_finish(&g->cin[c]);
    return rc ? -1 : 0;
}

/* Records the RETURNING rows (id, revision) of the submissions (or county
 * inputs: kind) statement for the items idx[0..m). Rows come in insertion
 * order, so one forward pass finds each; a full search covers any other order. */
void apply_returned(group *g, const PGresult *r, const size_t *idx, size_t m, store_item_kind kind)
{
    size_t cursor = 0;
    for (int row = 0; row < PQntuples(r); row++) {
        if (PQgetlength(r, row, 0) != 16 || PQgetlength(r, row, 1) != 8)
            continue;
        const char *id = PQgetvalue(r, row, 0);
        int64_t rev = store_be64(PQgetvalue(r, row, 1));
        for (size_t pass = 0; pass < 2; pass++) {
            size_t k = pass == 0 ? cursor : 0;
            for (; k < m; k++) {
                size_t i = idx[k];
                if (g->items[i].kind == kind && group_sends(g, i) && !g->stored[i] &&
                    memcmp(g->ids[i], id, 16) == 0)
                    break;
            }
            if (k < m) {
                g->stored[idx[k]] = true;
                g->items[idx[k]].revision = rev;
                cursor = k + 1;
                break;
            }
        }
    }
}

/* After the commit: repeats of an id in the group follow their first item;
 * revisions of `kind` not inserted were stored before, so their original
 * revision is read. A failed lookup leaves revision 0 (they are stored; the
 * sender hears "duplicate"). */
void resolve_duplicates(store *self, group *g, store_item_kind kind)
{
    pgarray ids = { 0 };
    pgarray_begin(&ids, PG_OID_UUID);
    for (size_t i = 0; i < g->n; i++) {
        store_item *it = &g->items[i];
        if (it->kind != kind || it->failed || g->stored[i])
            continue;
        if (g->first[i] != i && g->items[g->first[i]].failed) {
            it->failed = true;
            memcpy(it->error, g->items[g->first[i]].error, sizeof it->error);
            continue;
        }
        it->duplicate = true;
        pgarray_add(&ids, g->ids[i], 16);
    }
    if (ids.count > 0 && pgarray_finish(&ids) == 0) {
        const char *values[1] = { (const char *)ids.buf };
        int lengths[1] = { (int)ids.len }, formats[1] = { 1 };
        PGresult *r = PQexecParams(self->conn, FIND_SQL[kind == STORE_ITEM_COUNTY_INPUTS], 1, NULL, values, lengths,
                                   formats, 1);
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            for (int row = 0; row < PQntuples(r); row++) {
                if (PQgetlength(r, row, 0) != 16 || PQgetlength(r, row, 1) != 8)
                    continue;
                int64_t rev = store_be64(PQgetvalue(r, row, 1));
                for (size_t i = 0; i < g->n; i++)
                    if (g->items[i].kind == kind && g->items[i].duplicate &&
                        memcmp(g->ids[i], PQgetvalue(r, row, 0), 16) == 0)
                        g->items[i].revision = rev;
            }
        } else {
            store_note_error(self, "find duplicates", r);
        }
        PQclear(r);
    }
    pgarray_free(&ids);
}
