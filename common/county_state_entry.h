/* county_state_entry.h -- how county_state holds one school: compact.
 *
 * A school_eval is 1,728 bytes (two section_status with a name, an exclusion
 * text and seven shortfalls each) and a school_info 328; held for every
 * school of every (county, period) they were most of the daemon's memory.
 * An entry keeps only what the running sums read (counted/submitted, the
 * guarantee bits and units, the exchange totals, and per listed section its
 * students, resources, exclusion, met bits and pass) and what the full
 * listing cannot get otherwise (code, kind, name).  Everything else of a
 * section (values, exclusion text, met count, shortfalls) is re-derived by
 * assess_section_complete(), the same function that derived it first, so
 * the listing is identical to the school_eval it came from.
 *
 * One allocation per school: the fixed part, the listed sections, then the
 * name (NUL-terminated, right-sized).  Internal to county_state.c. */
#ifndef JUNHENG_COUNTY_STATE_ENTRY_H
#define JUNHENG_COUNTY_STATE_ENTRY_H

#include <stdint.h>

#include "assess_school.h"

/* One listed section of a held school. */
typedef struct {
    int64_t students;
    double resource[IND_COUNT];     /* the section's share of each resource */
    uint8_t stage;                  /* stage_t */
    uint8_t excluded;               /* section_exclusion */
    uint8_t met_mask;               /* bit i: indicator i meets */
    uint8_t pass;
} cs_section;

enum { CS_COUNTED = 1u, CS_SUBMITTED = 2u };

typedef struct cs_entry {
    struct cs_entry *next;          /* hash chain (county_state.c) */
    int64_t class_units_applicable; /* the units of the GUNIT_CLASSES item (class_size) */
    int64_t class_units_complying;
    exchange_totals exchange;
    uint32_t dense_index;           /* position in the dense array (county_state.c) */
    char code[SCHOOL_CODE_LEN + 1];
    uint8_t kind;                   /* school_kind */
    uint8_t flags;                  /* CS_COUNTED | CS_SUBMITTED */
    uint8_t g_applicable;           /* bit g: guarantee item g applies to the school */
    uint8_t g_complies;             /* bit g: and it complies */
    uint8_t n_sec;                  /* listed sections, ascending stage */
    cs_section sec[];               /* n_sec sections, then the name */
} cs_entry;

/* A new entry for a school (code and name taken from *info, truncated as a
 * school_info holds them) evaluated as *ev. next and dense_index are zero.
 * Returns NULL when out of memory; the caller frees it with free(). */
cs_entry *cs_entry_make(const school_info *info, const school_eval *ev);

/* The school's name, as held in the entry (borrowed). */
const char *cs_entry_name(const cs_entry *e);

/* Item g's units (classes for class_size, else 0/1 schools) into *applicable
 * and *complying; both 0 when the item does not apply. */
void cs_entry_units(const cs_entry *e, int g, int64_t *applicable, int64_t *complying);

/* The value of indicator i of a held section (assess_section_value()). */
double cs_section_value(const cs_section *sec, int i);

/* Re-creates what the entry was made from, as far as the listing reads it:
 * *info gets code, name and kind (other fields zero) and *ev equals the
 * school_eval given to cs_entry_make() in every field and every listed
 * section (an unlisted section is left unset: school_eval holds it "valid
 * where listed"). */
void cs_entry_expand(const rules_config *rules, const cs_entry *e, school_info *info, school_eval *ev);

#endif
