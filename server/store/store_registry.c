/* store_registry.c -- the school registry and county names in PostgreSQL.
 * See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Each call is one statement whatever the number of rows: the rows travel
 * as array parameters (binary format, store_array.c) and the server unnests
 * them, so a national registry of 200,000 schools is imported without a
 * round trip per row. */

static const char COUNTIES_SQL[] =
    "INSERT INTO counties (county_code, name) SELECT u.code, u.name FROM unnest($1::text[], $2::text[]) "
    "AS u(code, name) ON CONFLICT (county_code) DO UPDATE SET name = EXCLUDED.name, updated_at = now() "
    "WHERE counties.name IS DISTINCT FROM EXCLUDED.name";

static const char SCHOOLS_SQL[] =
    "INSERT INTO schools (school_code, name, county_code, kind, location, is_public, boarding, active) "
    "SELECT u.code, u.name, u.county, u.kind, u.location, u.pub, u.boarding, true "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[]) "
    "AS u(code, name, county, kind, location, pub, boarding) "
    "ON CONFLICT (school_code) DO UPDATE SET "
    "name = EXCLUDED.name, county_code = EXCLUDED.county_code, kind = EXCLUDED.kind, "
    "location = EXCLUDED.location, is_public = EXCLUDED.is_public, boarding = EXCLUDED.boarding, "
    "active = true, updated_at = now() "
    "WHERE (schools.name, schools.county_code, schools.kind, schools.location, schools.is_public, "
    "schools.boarding, schools.active) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.county_code, "
    "EXCLUDED.kind, EXCLUDED.location, EXCLUDED.is_public, EXCLUDED.boarding, true) "
    "RETURNING (xmax = 0)";

/* An anti-join (hashed), not "<> ALL(array)", which compares every school
 * of the file's counties with every code of the file. */
static const char DEACTIVATE_SQL[] =
    "UPDATE schools s SET active = false, updated_at = now() "
    "WHERE s.active AND s.county_code = ANY($1::text[]) "
    "AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS f(code) WHERE f.code = s.school_code::text)";

/* Runs one statement with binary array parameters; returns its result
 * (caller clears) after noting an error as `what`. */
static PGresult *exec_arrays(store *self, const char *sql, pgarray *cols, int n, const char *what)
{
    const char *values[8];
    int lengths[8], formats[8];
    for (int c = 0; c < n && c < 8; c++) {
        values[c] = (const char *)cols[c].buf;
        lengths[c] = (int)cols[c].len;
        formats[c] = 1;
    }
    PGresult *r = PQexecParams(self->conn, sql, n, NULL, values, lengths, formats, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        store_note_error(self, what, r);
    return r;
}

int store_upsert_counties(store *self, const county_info *rows, size_t n, size_t *changed)
{
    *changed = 0;
    if (!store_is_up(self))
        return STORE_DOWN;
    pgarray cols[2] = { { 0 } };
    pgarray_begin(&cols[0], PG_OID_TEXT);
    pgarray_begin(&cols[1], PG_OID_TEXT);
    for (size_t i = 0; i < n; i++) {
        pgarray_add_text(&cols[0], rows[i].code);
        pgarray_add_text(&cols[1], rows[i].name);
    }
    int rc = STORE_OK;
    if (pgarray_finish(&cols[0]) != 0 || pgarray_finish(&cols[1]) != 0) {
        snprintf(self->error, sizeof self->error, "import counties: out of memory");
        rc = STORE_ERROR;
    } else {
        PGresult *r = exec_arrays(self, COUNTIES_SQL, cols, 2, "import counties");
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            *changed = (size_t)strtoul(PQcmdTuples(r), NULL, 10);
        else
            rc = store_failure_code(self);
        PQclear(r);
    }
    pgarray_free(&cols[0]);
    pgarray_free(&cols[1]);
    return rc;
}

int store_upsert_schools(store *self, const school_info *rows, size_t n, size_t *inserted, size_t *updated,
                         size_t *deactivated)
{
    if (!store_is_up(self))
        return STORE_DOWN;
    enum { NCOLS = 7 };
    static const uint32_t OIDS[NCOLS] = { PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT,
                                          PG_OID_TEXT, PG_OID_BOOL, PG_OID_BOOL };
    pgarray cols[NCOLS] = { { 0 } }, counties = { 0 };
    for (int c = 0; c < NCOLS; c++)
        pgarray_begin(&cols[c], OIDS[c]);
    pgarray_begin(&counties, PG_OID_TEXT);
    for (size_t i = 0; i < n; i++) {
        const school_info *s = &rows[i];
        pgarray_add_text(&cols[0], s->school_code);
        pgarray_add_text(&cols[1], s->name);
        pgarray_add_text(&cols[2], s->county_code);
        pgarray_add_text(&cols[3], SCHOOL_KIND_KEYS[s->kind]);
        pgarray_add_text(&cols[4], LOCATION_KEYS[s->location]);
        pgarray_add_bool(&cols[5], s->is_public);
        pgarray_add_bool(&cols[6], s->boarding);
        /* the file's counties (repeats are harmless in = ANY) */
        if (i == 0 || strcmp(rows[i - 1].county_code, s->county_code) != 0)
            pgarray_add_text(&counties, s->county_code);
    }
    int rc = pgarray_finish(&counties) == 0 ? STORE_OK : STORE_ERROR;
    for (int c = 0; c < NCOLS; c++)
        if (pgarray_finish(&cols[c]) != 0)
            rc = STORE_ERROR;
    if (rc != STORE_OK)
        snprintf(self->error, sizeof self->error, "import schools: out of memory");
    size_t ins = 0, upd = 0, deact = 0;
    if (rc == STORE_OK)
        rc = store_exec(self, "BEGIN");
    if (rc == STORE_OK) {
        PGresult *r = exec_arrays(self, SCHOOLS_SQL, cols, NCOLS, "import schools");
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            for (int row = 0; row < PQntuples(r); row++) {
                if (PQgetvalue(r, row, 0)[0] == 't')
                    ins++;
                else
                    upd++;
            }
        } else {
            rc = store_failure_code(self);
        }
        PQclear(r);
    }
    if (rc == STORE_OK) {
        /* cols[0] holds the file's school codes */
        pgarray params[2] = { counties, cols[0] };
        PGresult *r = exec_arrays(self, DEACTIVATE_SQL, params, 2, "deactivate schools");
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            deact = (size_t)strtoul(PQcmdTuples(r), NULL, 10);
        else
            rc = store_failure_code(self);
        PQclear(r);
    }
    for (int c = 0; c < NCOLS; c++)
        pgarray_free(&cols[c]);
    pgarray_free(&counties);
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
