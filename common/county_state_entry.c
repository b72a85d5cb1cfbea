/* county_state_entry.c -- a held school, compact. See county_state_entry.h. */
#include "county_state_entry.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(GUAR_COUNT <= 8, "guarantee bits fit in a uint8_t");
_Static_assert(IND_COUNT <= 8, "met bits fit in a uint8_t");

cs_entry *cs_entry_make(const school_info *info, const school_eval *ev)
{
    size_t n_sec = 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        if (ev->listed[s])
            n_sec++;
    size_t name_len = strnlen(info->name, sizeof info->name - 1);
    cs_entry *e = malloc(sizeof *e + n_sec * sizeof(cs_section) + name_len + 1);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    memcpy(e->code, info->school_code, SCHOOL_CODE_LEN);
    e->code[SCHOOL_CODE_LEN] = '\0';
    e->kind = (uint8_t)info->kind;
    e->flags = (uint8_t)((ev->counted ? CS_COUNTED : 0) | (ev->submitted ? CS_SUBMITTED : 0));
    for (int g = 0; g < GUAR_COUNT; g++) {
        if (!ev->g_applicable[g])
            continue;
        e->g_applicable |= (uint8_t)(1u << g);
        if (ev->g_complies[g])
            e->g_complies |= (uint8_t)(1u << g);
        if (GUARANTEES[g].unit == GUNIT_CLASSES) {
            e->class_units_applicable = ev->g_units_applicable[g];
            e->class_units_complying = ev->g_units_complying[g];
        }
    }
    e->exchange = ev->exchange;
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!ev->listed[s])
            continue;
        const section_status *from = &ev->sec[s];
        cs_section *to = &e->sec[e->n_sec++];
        memset(to, 0, sizeof *to);
        to->students = from->students;
        memcpy(to->resource, from->resource, sizeof to->resource);
        to->stage = (uint8_t)from->stage;
        to->excluded = (uint8_t)from->excluded;
        to->met_mask = (uint8_t)from->met_mask;
        to->pass = from->pass ? 1 : 0;
    }
    char *name = (char *)&e->sec[e->n_sec];
    memcpy(name, info->name, name_len);
    name[name_len] = '\0';
    return e;
}

const char *cs_entry_name(const cs_entry *e)
{
    return (const char *)&e->sec[e->n_sec];
}

void cs_entry_units(const cs_entry *e, int g, int64_t *applicable, int64_t *complying)
{
    if (!(e->g_applicable & (1u << g))) {
        *applicable = *complying = 0;
    } else if (GUARANTEES[g].unit == GUNIT_CLASSES) {
        *applicable = e->class_units_applicable;
        *complying = e->class_units_complying;
    } else {
        /* a per-school item counts the school once (assess_guarantee.c, set_item) */
        *applicable = 1;
        *complying = (e->g_complies & (1u << g)) ? 1 : 0;
    }
}

double cs_section_value(const cs_section *sec, int i)
{
    return assess_section_value(i, sec->resource[i], sec->students);
}

void cs_entry_expand(const rules_config *rules, const cs_entry *e, school_info *info, school_eval *ev)
{
    const char *name = cs_entry_name(e);
    size_t name_size = strlen(name) + 1;   /* at most sizeof info->name: cs_entry_make cut it */
    memset(info, 0, sizeof *info);
    memcpy(info->school_code, e->code, sizeof info->school_code);
    memcpy(info->name, name, name_size);
    info->kind = (school_kind)e->kind;

    /* Every field is set; of sec[] only the listed ones, as school_eval says
     * ("valid where listed"): not zeroing 1.4 kB a school keeps listing cheap. */
    ev->counted = (e->flags & CS_COUNTED) != 0;
    ev->submitted = (e->flags & CS_SUBMITTED) != 0;
    for (int s = 0; s < STAGE_COUNT; s++)
        ev->listed[s] = false;
    for (int g = 0; g < GUAR_COUNT; g++) {
        ev->g_applicable[g] = (e->g_applicable & (1u << g)) != 0;
        ev->g_complies[g] = (e->g_complies & (1u << g)) != 0;
        cs_entry_units(e, g, &ev->g_units_applicable[g], &ev->g_units_complying[g]);
    }
    ev->exchange = e->exchange;
    for (unsigned k = 0; k < e->n_sec; k++) {
        const cs_section *from = &e->sec[k];
        section_status *sec = &ev->sec[from->stage];
        ev->listed[from->stage] = true;
        /* as assess_sections() fills it before completing it */
        memset(sec, 0, sizeof *sec);
        memcpy(sec->school_code, e->code, sizeof sec->school_code);
        memcpy(sec->name, name, name_size);
        sec->kind = (school_kind)e->kind;
        sec->stage = (stage_t)from->stage;
        sec->students = from->students;
        memcpy(sec->resource, from->resource, sizeof sec->resource);
        assess_section_complete(rules, sec);
    }
}
