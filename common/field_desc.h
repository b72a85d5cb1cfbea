/* field_desc.h -- a descriptor of one data field of a record (a struct of
 * counts, amounts and lists of them) and the table walks every user of such
 * a record needs: free, copy, compare, test for blank, and map to and from
 * the protobuf-c message that carries it.
 *
 * A table of descriptors is generated from an X-macro list (see
 * submission_fields.h for the school submission's); the CSV reader, the
 * validator, the wire codec and the registry's packed form walk the table
 * instead of naming each field, so a new field is one line of the list (and
 * its .proto line). Any other record (e.g. a county's inputs) can describe
 * itself with the same type and reuse every walk.
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
 * FIELD_CTYPE(FIELD_COUNT) is int64_t. For the X-macro struct generators. */
#define FIELD_CTYPE(type) FIELD_CTYPE_##type
#define FIELD_CTYPE_FIELD_COUNT int64_t
#define FIELD_CTYPE_FIELD_AMOUNT double
#define FIELD_CTYPE_FIELD_COUNT_LIST int64_t
#define FIELD_CTYPE_FIELD_AMOUNT_LIST double

/* No upper bound (a field_desc's max). */
#define FIELD_NO_MAX HUGE_VAL

/* One field of a record. */
typedef struct {
    const char *key;       /* English name: the CSV column and the protobuf field (per-stage: without the
                              stage prefix, "students") */
    const char *label_zh;  /* Chinese CSV label (per-stage: without the stage name, "在校生数") */
    field_type type;
    const char *unit;      /* of the value, for messages: "students", "m²", "yuan" or "" */
    const char *item;      /* lists: what one element is, for messages ("class", "room"); else "" */
    const char *measure;   /* amount lists: what an element measures ("area"); else "" */
    double min;            /* lowest accepted value (lists: of each element) */
    bool min_exclusive;    /* min itself is refused too ("a room is larger than 0") */
    double max;            /* highest accepted value, FIELD_NO_MAX when none */
    size_t offset;         /* of the value (lists: of the element pointer) in the record */
    size_t n_offset;       /* lists: of the size_t element count in the record; else 0 */
    size_t pb_offset;      /* of the value (lists: element pointer) in the protobuf-c message */
    size_t pb_n_offset;    /* scalars: of the protobuf_c_boolean has_ flag; lists: of the size_t n_ */
} field_desc;

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

/* Frees the arrays of every list field of record and sets them to NULL / 0.
 * Scalars are left as they are. */
void field_lists_free(const field_desc *table, size_t n_fields, void *record);

/* Replaces every list array of dst (a shallow copy of src) with a fresh copy
 * of src's (caller owns them, as dst's lists). Returns 0, or -1 when out of
 * memory: the lists copied so far are then freed and every list of dst is
 * NULL / 0. */
int field_lists_dup(const field_desc *table, size_t n_fields, void *dst, const void *src);

/* Whether every field of a and b is the same: scalars and list elements
 * compared by their bits (so NaN equals the same NaN and -0.0 is not 0.0). */
bool field_all_equal(const field_desc *table, size_t n_fields, const void *a, const void *b);

/* Whether any field of record is non-zero or a non-empty list. */
bool field_any_set(const field_desc *table, size_t n_fields, const void *record);

/* Fills the fields of a protobuf-c message (already initialised) from
 * record: every scalar is marked present; every list points at record's
 * array, which must outlive the message (nothing is allocated). */
void field_to_pb(const field_desc *table, size_t n_fields, const void *record, void *pb);

/* Fills record's fields from a protobuf-c message: an absent scalar is 0;
 * every list is a fresh copy (record owns it). Sets *oom when out of memory
 * (the lists not copied are then NULL / 0). */
void field_from_pb(const field_desc *table, size_t n_fields, const void *pb, void *record, int *oom);

#endif
