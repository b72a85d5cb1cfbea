/* store_registry.c -- the school registry and county names in PostgreSQL.
 * See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Appends `item` to a growing PostgreSQL array literal "{a,b,...}". Codes are
 * digits only (checked by the reader), so no quoting is needed. */
static int array_append(char **buf, size_t *len, size_t *cap, const char *item)
{
    size_t need = *len + strlen(item) + 3;
    if (need > *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        while (nc < need)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    *len += (size_t)sprintf(*buf + *len, "%s%s", *len > 1 ? "," : "", item);
    return 0;
}

int store_upsert_counties(store *self, const county_info *rows, size_t n, size_t *changed)
{
    *changed = 0;
    if (!store_is_up(self))
        return STORE_DOWN;
    int rc = store_exec(self, "BEGIN");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        const char *values[2] = { rows[i].code, rows[i].name };
        PGresult *r = PQexecParams(self->conn,
                                   "INSERT INTO counties (county_code, name) VALUES ($1, $2) "
                                   "ON CONFLICT (county_code) DO UPDATE SET name = EXCLUDED.name, updated_at = now() "
                                   "WHERE counties.name IS DISTINCT FROM EXCLUDED.name",
                                   2, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            *changed += (size_t)strtoul(PQcmdTuples(r), NULL, 10);
        else {
            store_note_error(self, "import counties", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    if (rc == STORE_OK)
        return store_exec(self, "COMMIT");
    if (store_is_up(self))
        store_exec(self, "ROLLBACK");
    return rc;
}

int store_upsert_schools(store *self, const school_info *rows, size_t n, size_t *inserted, size_t *updated,
                         size_t *deactivated)
{
    size_t ins = 0, upd = 0, deact = 0;
    if (!store_is_up(self))
        return STORE_DOWN;
    char *codes = NULL, *counties = NULL;
    size_t codes_len = 1, codes_cap = 0, counties_len = 1, counties_cap = 0;
    int rc = array_append(&codes, &codes_len, &codes_cap, "") || array_append(&counties, &counties_len, &counties_cap, "")
                 ? STORE_ERROR
                 : STORE_OK;
    if (rc == STORE_OK) {
        codes[0] = '{';
        codes_len = 1;
        counties[0] = '{';
        counties_len = 1;
        rc = store_exec(self, "BEGIN");
    }
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        const school_info *s = &rows[i];
        const char *values[7] = { s->school_code, s->name, s->county_code, SCHOOL_KIND_KEYS[s->kind],
                                  LOCATION_KEYS[s->location], s->is_public ? "t" : "f", s->boarding ? "t" : "f" };
        PGresult *r = PQexecParams(
            self->conn,
            "INSERT INTO schools (school_code, name, county_code, kind, location, is_public, boarding, active) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, true) ON CONFLICT (school_code) DO UPDATE SET "
            "name = EXCLUDED.name, county_code = EXCLUDED.county_code, kind = EXCLUDED.kind, "
            "location = EXCLUDED.location, is_public = EXCLUDED.is_public, boarding = EXCLUDED.boarding, "
            "active = true, updated_at = now() "
            "WHERE (schools.name, schools.county_code, schools.kind, schools.location, schools.is_public, "
            "schools.boarding, schools.active) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.county_code, "
            "EXCLUDED.kind, EXCLUDED.location, EXCLUDED.is_public, EXCLUDED.boarding, true) "
            "RETURNING (xmax = 0)",
            7, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            if (PQntuples(r) == 1) {
                if (PQgetvalue(r, 0, 0)[0] == 't')
                    ins++;
                else
                    upd++;
            }
        } else {
            store_note_error(self, "import schools", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
        if (rc == STORE_OK && (array_append(&codes, &codes_len, &codes_cap, s->school_code) ||
                               array_append(&counties, &counties_len, &counties_cap, s->county_code)))
            rc = STORE_ERROR;
    }
    if (rc == STORE_OK) {
        strcat(codes, "}");
        strcat(counties, "}");
        const char *values[2] = { counties, codes };
        PGresult *r = PQexecParams(self->conn,
                                   "UPDATE schools SET active = false, updated_at = now() "
                                   "WHERE active AND county_code = ANY($1::text[]) AND school_code <> ALL($2::text[])",
                                   2, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            deact = (size_t)strtoul(PQcmdTuples(r), NULL, 10);
        else {
            store_note_error(self, "deactivate schools", r);
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    free(codes);
    free(counties);
    if (rc == STORE_OK)
        rc = store_exec(self, "COMMIT");
    else if (store_is_up(self))
        store_exec(self, "ROLLBACK");
    if (rc == STORE_OK) {
        if (inserted)
            *inserted = ins;
        if (updated)
            *updated = upd;
        if (deactivated)
            *deactivated = deact;
    }
    return rc;
}

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
