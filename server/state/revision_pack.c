/* revision_pack.c -- the registry's compact form of a submission. See
 * revision_pack.h.
 *
 * Layout: one flags byte; the submission id (16 bytes, or a length byte and
 * the text); the school code and period when they are not the holder's;
 * the fields of each stage, then the whole-school fields, each in the order
 * of submission_fields.h: a count as a zigzag varint, an amount as
 * put_double() writes it, a list as its element count (varint) and the
 * elements. A field added at the end of its list changes the form only
 * for what follows it: the form is never stored, so nothing old must be
 * read. */
#include "revision_pack.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PACK_PRIMARY 0x01u  /* stage[STAGE_PRIMARY].present */
#define PACK_JUNIOR 0x02u   /* stage[STAGE_JUNIOR].present */
#define PACK_UUID 0x04u     /* submission_id as 16 bytes */
#define PACK_CODE 0x08u     /* school_code written (not the holder's) */
#define PACK_PERIOD 0x10u   /* period written (not the holder's) */

/* Double tags: the low two bits of the varint. */
#define DBL_WHOLE 0u        /* zigzag(k) << 2: the double is k */
#define DBL_CENTS 1u        /* zigzag(k) << 2 | 1: the double is k / 100.0 */
#define DBL_RAW 2u          /* 2, then the 8 bytes */

/* Writes v as a base-128 varint at p; returns the byte after it. */
static uint8_t *put_uvarint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

/* Maps signed to unsigned so that small magnitudes stay small. */
static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* The inverse of zigzag(). */
static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Writes a signed v as a zigzag varint; returns the byte after it. */
static uint8_t *put_svarint(uint8_t *p, int64_t v)
{
    return put_uvarint(p, zigzag(v));
}

/* Writes v exactly: as a whole number or hundredths when that converts back
 * to the same bits, else raw. */
static uint8_t *put_double(uint8_t *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* |v| < 1e15 also keeps NaN and the infinities out (their comparisons
     * are false); -0.0 == 0 but is not the same bits, so it goes raw. */
    if (v > -1e15 && v < 1e15 && !(v == 0 && bits != 0)) {
        int64_t k = (int64_t)v;
        if ((double)k == v)
            return put_uvarint(p, zigzag(k) << 2 | DBL_WHOLE);
        double c = v * 100.0;
        k = (int64_t)(c < 0 ? c - 0.5 : c + 0.5);
        if ((double)k / 100.0 == v)
            return put_uvarint(p, zigzag(k) << 2 | DBL_CENTS);
    }
    *p++ = DBL_RAW;
    memcpy(p, &bits, sizeof bits);
    return p + sizeof bits;
}

/* Whether id is a lower-case 8-4-4-4-12 UUID. */
static bool uuid_lower(const char *id)
{
    for (int i = 0; i < 36; i++) {
        char ch = id[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return id[36] == '\0';
}

/* The value of a lower-case hex digit. */
static unsigned hex_value(char ch)
{
    return ch <= '9' ? (unsigned)(ch - '0') : (unsigned)(ch - 'a' + 10);
}

/* Writes a list: its element count, then each element. */
static uint8_t *put_count_list(uint8_t *p, const int64_t *a, size_t n)
{
    p = put_uvarint(p, n);
    for (size_t i = 0; i < n; i++)
        p = put_svarint(p, a[i]);
    return p;
}

static uint8_t *put_amount_list(uint8_t *p, const double *a, size_t n)
{
    p = put_uvarint(p, n);
    for (size_t i = 0; i < n; i++)
        p = put_double(p, a[i]);
    return p;
}

/* The generators over a record `rec` and the write position `p`, one line
 * of a field list each (submission_fields.h): the most bytes a value takes
 * (a varint 10, a double 9), and the value written by its type. */
#define MAX_BYTES(v) _Generic((v), int64_t: 10, double: 9)
#define BOUND_SCALAR(name, ...) +MAX_BYTES(rec->name)
#define BOUND_LIST(name, n_name, ...) +10 + rec->n_name * MAX_BYTES(*rec->name)
#define PUT_SCALAR(name, ...) p = _Generic(rec->name, int64_t: put_svarint, double: put_double)(p, rec->name);
#define PUT_LIST(name, n_name, ...) \
    p = _Generic(rec->name, int64_t *: put_count_list, double *: put_amount_list)(p, rec->name, rec->n_name);

/* The most bytes pack_stage() / pack_school() write for rec. */
static size_t stage_bound(const stage_data *rec)
{
    return 0 SUBMISSION_STAGE_FIELDS(BOUND_SCALAR, BOUND_LIST);
}

static size_t school_bound(const submission *rec)
{
    return 0 SUBMISSION_SCHOOL_FIELDS(BOUND_SCALAR, BOUND_LIST);
}

size_t revision_pack_bound(const submission *sub)
{
    size_t bound = 1 + 1 + SUBMISSION_ID_LEN + 1 + SCHOOL_CODE_LEN + 10; /* flags, id, code, period */
    for (int st = 0; st < STAGE_COUNT; st++)
        bound += stage_bound(&sub->stage[st]);
    return bound + school_bound(sub);
}

/* Writes the fields of a stage / the whole-school fields at p, in the order
 * of submission_fields.h; returns the byte after them. */
static uint8_t *pack_stage(const stage_data *rec, uint8_t *p)
{
    SUBMISSION_STAGE_FIELDS(PUT_SCALAR, PUT_LIST)
    return p;
}

static uint8_t *pack_school(const submission *rec, uint8_t *p)
{
    SUBMISSION_SCHOOL_FIELDS(PUT_SCALAR, PUT_LIST)
    return p;
}

size_t revision_pack(const submission *sub, const char *school_code, int32_t period, uint8_t *out)
{
    uint8_t *p = out + 1;
    unsigned flags = 0;
    if (sub->stage[STAGE_PRIMARY].present)
        flags |= PACK_PRIMARY;
    if (sub->stage[STAGE_JUNIOR].present)
        flags |= PACK_JUNIOR;
    if (uuid_lower(sub->submission_id)) {
        flags |= PACK_UUID;
        const char *id = sub->submission_id;
        for (int i = 0, half = 0; i < 36; i++) {
            if (id[i] == '-')
                continue;
            if (half++ % 2 == 0)
                *p = (uint8_t)(hex_value(id[i]) << 4);
            else
                *p++ |= (uint8_t)hex_value(id[i]);
        }
    } else {
        size_t n = strnlen(sub->submission_id, SUBMISSION_ID_LEN);
        *p++ = (uint8_t)n;
        memcpy(p, sub->submission_id, n);
        p += n;
    }
    if (strncmp(sub->school_code, school_code, SCHOOL_CODE_LEN + 1) != 0) {
        flags |= PACK_CODE;
        size_t n = strnlen(sub->school_code, SCHOOL_CODE_LEN);
        *p++ = (uint8_t)n;
        memcpy(p, sub->school_code, n);
        p += n;
    }
    if (sub->period != period) {
        flags |= PACK_PERIOD;
        p = put_svarint(p, sub->period);
    }
    out[0] = (uint8_t)flags;
    for (int st = 0; st < STAGE_COUNT; st++)
        p = pack_stage(&sub->stage[st], p);
    p = pack_school(sub, p);
    return (size_t)(p - out);
}

/* A bounds-checked reader; bad is set on any overrun or malformed value. */
typedef struct {
    const uint8_t *p, *end;
    bool bad;
} reader;

/* Reads a varint (0 and bad set when malformed or cut short). */
static uint64_t get_uvarint(reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            break;
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

/* Reads a zigzag varint. */
static int64_t get_svarint(reader *r)
{
    return unzigzag(get_uvarint(r));
}

/* Copies the next n bytes into dst (zeros and bad set when short). */
static void get_bytes(reader *r, void *dst, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p, n);
    r->p += n;
}

/* Reads a double written by put_double(). */
static double get_double(reader *r)
{
    uint64_t v = get_uvarint(r);
    switch (v & 3) {
    case DBL_WHOLE:
        return (double)unzigzag(v >> 2);
    case DBL_CENTS:
        return (double)unzigzag(v >> 2) / 100.0;
    default: {
        uint64_t bits;
        double d;
        get_bytes(r, &bits, sizeof bits);
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    }
}

/* Reads a count of n elements of `size` bytes each and allocates them
 * (NULL for none). Sets r->bad on an impossible count or out of memory. */
static void *get_array(reader *r, size_t *n, size_t size)
{
    uint64_t count = get_uvarint(r);
    *n = 0;
    if (r->bad || count == 0)
        return NULL;
    if (count > (uint64_t)(r->end - r->p)) { /* every element is at least a byte */
        r->bad = true;
        return NULL;
    }
    void *a = malloc((size_t)count * size);
    if (!a)
        r->bad = true;
    else
        *n = (size_t)count;
    return a;
}

/* Reads a list written by put_count_list() / put_amount_list() into a new
 * array (NULL for none) and its count. */
static int64_t *get_count_list(reader *r, size_t *n)
{
    int64_t *a = get_array(r, n, sizeof *a);
    for (size_t i = 0; i < *n; i++)
        a[i] = get_svarint(r);
    return a;
}

static double *get_amount_list(reader *r, size_t *n)
{
    double *a = get_array(r, n, sizeof *a);
    for (size_t i = 0; i < *n; i++)
        a[i] = get_double(r);
    return a;
}

/* The generators over a record `rec` and a reader `r`: each value read by
 * its type; a list's array is rec's (also when r->bad is set). */
#define GET_SCALAR(name, ...) rec->name = _Generic(rec->name, int64_t: get_svarint, double: get_double)(r);
#define GET_LIST(name, n_name, ...) \
    rec->name = _Generic(rec->name, int64_t *: get_count_list, double *: get_amount_list)(r, &rec->n_name);

/* Reads what pack_stage() / pack_school() wrote. */
static void unpack_stage(reader *r, stage_data *rec)
{
    SUBMISSION_STAGE_FIELDS(GET_SCALAR, GET_LIST)
}

static void unpack_school(reader *r, submission *rec)
{
    SUBMISSION_SCHOOL_FIELDS(GET_SCALAR, GET_LIST)
}

int revision_unpack(const uint8_t *data, size_t len, const char *school_code, int32_t period, submission *out)
{
    reader r = { data, data + len, len == 0 };
    memset(out, 0, sizeof *out);
    unsigned flags = r.bad ? 0 : *r.p++;
    if (flags & PACK_UUID) {
        static const char hex[] = "0123456789abcdef";
        uint8_t raw[16];
        get_bytes(&r, raw, sizeof raw);
        char *id = out->submission_id;
        for (int i = 0, k = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                id[k++] = '-';
            id[k++] = hex[raw[i] >> 4];
            id[k++] = hex[raw[i] & 15];
        }
    } else {
        size_t n = (size_t)get_uvarint(&r);
        if (n > SUBMISSION_ID_LEN)
            r.bad = true;
        else
            get_bytes(&r, out->submission_id, n);
    }
    if (flags & PACK_CODE) {
        size_t n = (size_t)get_uvarint(&r);
        if (n > SCHOOL_CODE_LEN)
            r.bad = true;
        else
            get_bytes(&r, out->school_code, n);
    } else {
        memcpy(out->school_code, school_code, strnlen(school_code, SCHOOL_CODE_LEN));
    }
    out->period = flags & PACK_PERIOD ? (int32_t)get_svarint(&r) : period;
    for (int st = 0; st < STAGE_COUNT && !r.bad; st++) {
        stage_data *s = &out->stage[st];
        s->present = (flags & (st == STAGE_PRIMARY ? PACK_PRIMARY : PACK_JUNIOR)) != 0;
        unpack_stage(&r, s);
    }
    unpack_school(&r, out);
    if (r.bad || r.p != r.end) {
        submission_clear(out);
        return -1;
    }
    return 0;
}
