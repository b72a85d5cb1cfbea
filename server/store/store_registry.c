/* store_registry.c -- loading the school registry and county names from
 * PostgreSQL at start. Imports are store_admin.c. See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int store_load_registry(store *self, void (*county_fn)(void *arg, const county_info *c),
                        void (*school_fn)(void *arg, const school_info *s), void *arg)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    PGresult *r = PQexec(self->conn, "SELECT county_code, name FROM counties ORDER BY county_code");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load counties", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        county_info c = { 0 };
        snprintf(c.code, sizeof c.code, "%s", PQgetvalue(r, i, 0));
        snprintf(c.name, sizeof c.name, "%s", PQgetvalue(r, i, 1));
        county_fn(arg, &c);
    }
    PQclear(r);
    r = PQexec(self->conn, "SELECT school_code, name, county_code, kind, location, is_public, boarding, active "
                           "FROM schools ORDER BY school_code");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_note_error(self, "load schools", r);
        PQclear(r);
        return store_failure_code(self);
    }
    for (int i = 0; i < PQntuples(r); i++) {
        school_info s = { 0 };
        snprintf(s.school_code, sizeof s.school_code, "%s", PQgetvalue(r, i, 0));
        snprintf(s.name, sizeof s.name, "%s", PQgetvalue(r, i, 1));
        snprintf(s.county_code, sizeof s.county_code, "%s", PQgetvalue(r, i, 2));
        int kind = school_kind_parse(PQgetvalue(r, i, 3));
        int loc = school_location_parse(PQgetvalue(r, i, 4));
        s.kind = kind < 0 ? KIND_PRIMARY : (school_kind)kind;
        s.location = loc < 0 ? LOCATION_URBAN : (school_location)loc;
        s.is_public = PQgetvalue(r, i, 5)[0] == 't';
        s.boarding = PQgetvalue(r, i, 6)[0] == 't';
        s.active = PQgetvalue(r, i, 7)[0] == 't';
        school_fn(arg, &s);
    }
    PQclear(r);
    return STORE_OK;
}
