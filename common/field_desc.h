/* field_desc.h -- the machinery behind a table of data fields (a record of
 * counts, amounts and lists of them, e.g. a school submission: see
 * submission_fields.h; a county's inputs can use it the same way).
 *
 * A record's fields are one X-macro list, each line
 *   X(name, type, label_zh, unit, lower, max)                        a scalar
 *   L(name, n_name, type, label_zh, unit, lower, max, item, measure) a list
 *     name     the struct member, the CSV column and the protobuf field
 *     n_name   lists: the member holding the element count
 *     type     FIELD_COUNT, FIELD_AMOUNT, FIELD_COUNT_LIST, FIELD_AMOUNT_LIST
 *     label_zh the Chinese CSV label
 *     unit     of the value, for messages ("students", "m²", "yuan")
 *     lower    FIELD_AT_LEAST(v) or FIELD_ABOVE(v): the lowest accepted value
 *              (lists: of each element)
 *     max      the highest accepted value, FIELD_NO_MAX for none
 *     item     lists: what one element is, for messages ("class", "room")
 *     measure  amount lists: what an element measures ("area"); else ""
 * and each user expands the list with the generators it needs: the struct
 * members (FIELD_*_MEMBER), straight-line code where speed matters (the
 * protobuf mapping, copy and free below; validation and the registry's packed
 * form in their files), and a descriptor array (field_desc) where code looks
 * a field up by name or position (the CSV reader, compare, tests).
 *
 * `lower` expands to two values (min, exclusive). A generator taking the
 * line's parameters one by one sees it as one; one that passes it on to
 * another macro passes two.
 *
 * The four types and their C storage:
 *   FIELD_COUNT        int64_t                  whole number ("12", "12.0")
 *   FIELD_AMOUNT       double                   decimal (m², yuan)
 *   FIELD_COUNT_LIST   int64_t *, size_t count  ';'-separated whole numbers
 *   FIELD_AMOUNT_LIST  double *, size_t count   ';'-separated decimals
 * A list owns its array (NULL when empty). In the protobuf-c message a scalar
 * is `has_<name>` and `<name>`, a list `n_<name>` and `<name>`. */
#ifndef JUNHENG_FIELD_DESC_H
#define JUNHENG_FIELD_DESC_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum { FIELD_COUNT, FIELD_AMOUNT, FIELD_COUNT_LIST, FIELD_AMOUNT_LIST } field_type;

/* The C type of a field's value (lists: of one element), by field_type name:
 * FIELD_CTYPE(FIELD_COUNT) is int64_t. */
#define FIELD_CTYPE(type) FIELD_CTYPE_##type
#define FIELD_CTYPE_FIELD_COUNT int64_t
#define FIELD_CTYPE_FIELD_AMOUNT double
#define FIELD_CTYPE_FIELD_COUNT_LIST int64_t
#define FIELD_CTYPE_FIELD_AMOUNT_LIST double

/* The bound columns: v accepted / only values above v accepted; no maximum. */
#define FIELD_AT_LEAST(v) (v), false
#define FIELD_ABOVE(v) (v), true
#define FIELD_NO_MAX HUGE_VAL

/* One field of a record, for code that walks the fields. */
typedef struct {
    const char *key;       /* English name: the CSV column and the protobuf field (per-stage: without the
                              stage prefix, "students") */
    const char *label_zh;  /* Chinese CSV label (per-stage: without the stage name, "在校生数") */
    field_type type;
    const char *unit;      /* of the value, for messages: "students", "m²", "yuan" */
    const char *item;      /* lists: what one element is ("class", "room"); else "" */
    const char *measure;   /* amount lists: what an element measures ("area"); else "" */
    double min;            /* lowest accepted value (lists: of each element) */
    bool min_exclusive;    /* min itself is refused too ("a room is larger than 0") */
    double max;            /* highest accepted value, FIELD_NO_MAX when none */
    size_t offset;         /* of the value (lists: of the element pointer) in the record */
    size_t n_offset;       /* lists: of the size_t element count in the record; else 0 */
} field_desc;

/* ---- generators (each expands one line of a field list) ------------------ */

/* Expands to nothing: for the lines a pass has no use for. */
#define FIELD_NONE(...)

/* How many fields a list has: FIELD_TALLY(SUBMISSION_STAGE_FIELDS). */
#define FIELD_TALLY_ONE(...) +1
#define FIELD_TALLY(list) (0 list(FIELD_TALLY_ONE, FIELD_TALLY_ONE))

/* The struct members: `SUBMISSION_STAGE_FIELDS(FIELD_SCALAR_MEMBER, FIELD_LIST_MEMBER)`. */
#define FIELD_SCALAR_MEMBER(name, type, ...) FIELD_CTYPE(type) name;
#define FIELD_LIST_MEMBER(name, n_name, type, ...) \
    FIELD_CTYPE(type) *name; /* owned */           \
    size_t n_name;

/* A descriptor initialiser; FIELD_RECORD names the record's struct type
 * (#define it around the expansion). */
#define FIELD_DESC_SCALAR(name, type, label_zh, unit, lower, max) \
    { #name, label_zh, type, unit, "", "", lower, max, offsetof(FIELD_RECORD, name), 0 },
#define FIELD_DESC_LIST(name, n_name, type, label_zh, unit, lower, max, item, measure) \
    { #name, label_zh, type, unit, item, measure, lower, max, offsetof(FIELD_RECORD, name), offsetof(FIELD_RECORD, n_name) },

/* Statements over a record `rec` (pointer) and a protobuf-c message `pb`
 * (pointer) in scope. To the message: every scalar present, every list
 * borrowing rec's array (nothing allocated). From the message: an absent
 * scalar is 0, every list a fresh copy owned by rec; `oom` (int *) is set
 * when out of memory. */
#define FIELD_TO_PB_SCALAR(name, ...) \
    pb->has_##name = 1;               \
    pb->name = rec->name;
#define FIELD_TO_PB_LIST(name, n_name, ...) \
    pb->n_##name = rec->n_name;             \
    pb->name = rec->name;
#define FIELD_FROM_PB_SCALAR(name, ...) rec->name = pb->has_##name ? pb->name : 0;
#define FIELD_FROM_PB_LIST(name, n_name, ...)                                            \
    rec->name = field_copy_elements(pb->name, pb->n_##name, sizeof *rec->name, oom); \
    rec->n_name = rec->name ? pb->n_##name : 0;

/* Statements over records `rec` and `src` (pointers) in scope: free rec's
 * lists; replace rec's lists (a shallow copy of src's) with fresh copies,
 * setting `oom` (int *) when out of memory (that list is then NULL, n kept:
 * free the record). */
#define FIELD_FREE_LIST(name, ...) free(rec->name);
#define FIELD_DUP_LIST(name, n_name, ...) rec->name = field_copy_elements(src->name, src->n_name, sizeof *src->name, oom);

/* ---- walks over a descriptor table ------------------------------------- */

/* Whether a field is a list. */
static inline bool field_is_list(const field_desc *f)
{
    return f->type == FIELD_COUNT_LIST || f->type == FIELD_AMOUNT_LIST;
}

/* The size of one value (lists: of one element). */
static inline size_t field_elem_size(const field_desc *f)
{
    return (f->type == FIELD_COUNT || f->type == FIELD_COUNT_LIST) ? sizeof(int64_t) : sizeof(double);
}

/* A list field's element array and count in a record. */
static inline void *field_list(const field_desc *f, const void *record, size_t *n)
{
    void *a;
    memcpy(&a, (const char *)record + f->offset, sizeof a);
    memcpy(n, (const char *)record + f->n_offset, sizeof *n);
    return a;
}

/* Copies n elements of `size` bytes into a fresh array (caller frees); NULL
 * for none, or when out of memory (*oom is then set). */
void *field_copy_elements(const void *src, size_t n, size_t size, int *oom);

/* Whether every field of a and b is the same: scalars and list elements
 * compared by their bits (so NaN equals the same NaN and -0.0 is not 0.0). */
bool field_all_equal(const field_desc *table, size_t n_fields, const void *a, const void *b);

#endif
