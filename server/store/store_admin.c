/* store_admin.c -- the admin requests that change the database: registry
 * imports and key changes, each one call (store_call.c) -- sent without
 * waiting, one transaction. See store.h.
 *
 * Each statement takes its rows as array parameters (binary format,
 * store_array.c) and the server unnests them, so a national registry of
 * 200,000 schools is imported without a round trip per row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

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

/* A revoked key is updated too: the trigger keys_revoked_final then refuses
 * it, naming the key, and with it the whole transaction. A key given twice
 * must not be (ON CONFLICT updates a row once per statement): the caller
 * sends each key once. */
static const char KEYS_SQL[] =
    "INSERT INTO keys (public_key, role, subject, may_review) SELECT u.k, u.r, u.s, u.m "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[]) AS u(k, r, s, m) "
    "ON CONFLICT (public_key) DO UPDATE SET role = EXCLUDED.role, subject = EXCLUDED.subject, "
    "may_review = EXCLUDED.may_review, updated_at = now()";

/* Whether the key exists; revokes it unless revoked already (the trigger
 * refuses any update of a revoked key). */
static const char REVOKE_SQL[] =
    "WITH k AS (SELECT 1 FROM keys WHERE public_key = $1), "
    "u AS (UPDATE keys SET revoked_at = now() WHERE public_key = $1 AND revoked_at IS NULL RETURNING 1) "
    "SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM u)";

/* Queues one statement whose n parameters are the (finished) arrays. */
static bool add_arrays(store *self, store_call *c, const char *sql, const pgarray *cols, int n)
{
    const char *values[8];
    int lengths[8], formats[8];
    for (int i = 0; i < n && i < 8; i++) {
        values[i] = (const char *)cols[i].buf;
        lengths[i] = (int)cols[i].len;
        formats[i] = 1;
    }
    return store_call_add(self, c, sql, n, values, lengths, formats, 0);
}

/* The number of rows a command reported (PQcmdTuples). */
static size_t cmd_rows(const PGresult *r)
{
    return r ? (size_t)strtoul(PQcmdTuples((PGresult *)r), NULL, 10) : 0;
}

/* Finishes arrays; returns 0, or -1 (out of memory, error noted as what). */
static int arrays_finish(store *self, pgarray *cols, int n, const char *what)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        rc |= pgarray_finish(&cols[i]);
    if (rc)
        snprintf(self->error, sizeof self->error, "%s: out of memory", what);
    return rc ? -1 : 0;
}

/* Frees arrays. */
static void arrays_free(pgarray *cols, int n)
{
    for (int i = 0; i < n; i++)
        pgarray_free(&cols[i]);
}

static int parse_counties(store *self, PGresult *const *res, int n, store_answer *out)
{
    (void)self;
    out->changed = n > 0 ? cmd_rows(res[0]) : 0;
    return STORE_OK;
}

int store_counties_send(store *self, const county_info *rows, size_t n, const char *audit_json, store_call **call)
{
    *call = NULL;
    pgarray cols[2] = { { 0 } };
    pgarray_begin(&cols[0], PG_OID_TEXT);
    pgarray_begin(&cols[1], PG_OID_TEXT);
    for (size_t i = 0; i < n; i++) {
        pgarray_add_text(&cols[0], rows[i].code);
        pgarray_add_text(&cols[1], rows[i].name);
    }
    int rc = STORE_ERROR;
    if (arrays_finish(self, cols, 2, "import counties") == 0) {
        store_call *c = store_call_begin(self, "import counties", parse_counties);
        rc = c ? store_call_end(self, c,
                                add_arrays(self, c, COUNTIES_SQL, cols, 2) && store_call_add_audit(self, c, audit_json),
                                call)
               : store_failure_code(self);
    }
    arrays_free(cols, 2);
    return rc;
}

/* The keys of rows[0..n) as the four array columns. Returns 0 or -1. */
static int keys_arrays(store *self, const store_key_row *rows, size_t n, pgarray cols[4])
{
    for (int c = 0; c < 3; c++)
        pgarray_begin(&cols[c], PG_OID_TEXT);
    pgarray_begin(&cols[3], PG_OID_BOOL);
    for (size_t i = 0; i < n; i++) {
        pgarray_add_text(&cols[0], rows[i].public_key);
        pgarray_add_text(&cols[1], rows[i].role);
        pgarray_add_text(&cols[2], rows[i].subject);
        pgarray_add_bool(&cols[3], rows[i].may_review);
    }
    return arrays_finish(self, cols, 4, "bind keys");
}

/* Import schools: [0] the upsert (one row per school written: inserted or
 * not), [1] the deactivation, [2] the keys (when any). */
static int parse_schools(store *self, PGresult *const *res, int n, store_answer *out)
{
    (void)self;
    for (int row = 0; n > 0 && row < PQntuples(res[0]); row++) {
        if (PQgetvalue(res[0], row, 0)[0] == 't')
            out->inserted++;
        else
            out->updated++;
    }
    out->deactivated = n > 1 ? cmd_rows(res[1]) : 0;
    out->keys = n > 2 ? cmd_rows(res[2]) : 0;
    return STORE_OK;
}

/* The schools of rows[0..n) as seven array columns (cols) and the file's
 * counties (repeats are harmless in = ANY). Returns 0 or -1. */
static int schools_arrays(store *self, const school_info *rows, size_t n, pgarray cols[7], pgarray *counties)
{
    static const uint32_t OIDS[7] = { PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT, PG_OID_TEXT,
                                      PG_OID_TEXT, PG_OID_BOOL, PG_OID_BOOL };
    for (int c = 0; c < 7; c++)
        pgarray_begin(&cols[c], OIDS[c]);
    pgarray_begin(counties, PG_OID_TEXT);
    for (size_t i = 0; i < n; i++) {
        const school_info *s = &rows[i];
        pgarray_add_text(&cols[0], s->school_code);
        pgarray_add_text(&cols[1], s->name);
        pgarray_add_text(&cols[2], s->county_code);
        pgarray_add_text(&cols[3], SCHOOL_KIND_KEYS[s->kind]);
        pgarray_add_text(&cols[4], LOCATION_KEYS[s->location]);
        pgarray_add_bool(&cols[5], s->is_public);
        pgarray_add_bool(&cols[6], s->boarding);
        if (i == 0 || strcmp(rows[i - 1].county_code, s->county_code) != 0)
            pgarray_add_text(counties, s->county_code);
    }
    int rc = arrays_finish(self, cols, 7, "import schools");
    return rc | arrays_finish(self, counties, 1, "import schools");
}

int store_schools_send(store *self, const school_info *rows, size_t n, const store_key_row *keys, size_t n_keys,
                       const char *audit_json, store_call **call)
{
    *call = NULL;
    pgarray cols[7] = { { 0 } }, counties = { 0 }, key_cols[4] = { { 0 } };
    int rc = STORE_ERROR;
    if (schools_arrays(self, rows, n, cols, &counties) == 0 &&
        (n_keys == 0 || keys_arrays(self, keys, n_keys, key_cols) == 0)) {
        store_call *c = store_call_begin(self, "import schools", parse_schools);
        if (c) {
            /* cols[0] holds the file's school codes */
            pgarray deactivate[2] = { counties, cols[0] };
            bool ok = add_arrays(self, c, SCHOOLS_SQL, cols, 7) &&
                      add_arrays(self, c, DEACTIVATE_SQL, deactivate, 2) &&
                      (n_keys == 0 || add_arrays(self, c, KEYS_SQL, key_cols, 4)) &&
                      store_call_add_audit(self, c, audit_json);
            rc = store_call_end(self, c, ok, call);
        } else {
            rc = store_failure_code(self);
        }
    }
    arrays_free(cols, 7);
    arrays_free(&counties, 1);
    arrays_free(key_cols, 4);
    return rc;
}

static int parse_keys_put(store *self, PGresult *const *res, int n, store_answer *out)
{
    (void)self;
    out->keys = n > 0 ? cmd_rows(res[0]) : 0;
    return STORE_OK;
}

int store_keys_put_send(store *self, const store_key_row *rows, size_t n, const char *audit_json,
                        store_call **call)
{
    *call = NULL;
    pgarray cols[4] = { { 0 } };
    int rc = STORE_ERROR;
    if (keys_arrays(self, rows, n, cols) == 0) {
        store_call *c = store_call_begin(self, "set key", parse_keys_put);
        rc = c ? store_call_end(self, c,
                                add_arrays(self, c, KEYS_SQL, cols, 4) && store_call_add_audit(self, c, audit_json),
                                call)
               : store_failure_code(self);
    }
    arrays_free(cols, 4);
    return rc;
}

static int parse_revoke(store *self, PGresult *const *res, int n, store_answer *out)
{
    if (n < 1 || PQntuples(res[0]) != 1) {
        snprintf(self->error, sizeof self->error, "revoke key: unexpected answer");
        return STORE_ERROR;
    }
    out->found = strtol(PQgetvalue(res[0], 0, 0), NULL, 10) > 0;
    return STORE_OK;
}

int store_key_revoke_send(store *self, const char *public_key, const char *audit_json, store_call **call)
{
    *call = NULL;
    store_call *c = store_call_begin(self, "revoke key", parse_revoke);
    if (!c)
        return store_failure_code(self);
    const char *values[1] = { public_key };
    return store_call_end(self, c,
                          store_call_add(self, c, REVOKE_SQL, 1, values, NULL, NULL, 0) &&
                              store_call_add_audit(self, c, audit_json),
                          call);
}
