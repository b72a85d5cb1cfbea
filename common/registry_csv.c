/* registry_csv.c -- the school registry and county name list CSVs to
 * school_info / county_info. See submission_csv.h.
 *
 * Headers: English name (any case) or Chinese label, free order; every column
 * is required except the county list's `note` (备注), which is ignored.  An
 * unknown or duplicate column is a file-level error.  A bad row is reported as
 * "line N: column" + reason and skipped; the good rows are returned.
 *
 * Values: kind is the English key (any case) or the Chinese kind name, with or
 * without the trailing 学校 ("九年一贯制学校", "九年一贯制"); location is
 * urban/town/rural or 城区/镇区/乡村 (also 城市/城镇/农村); public and boarding
 * are 1/0 (also 是/否, yes/no, true/false).  A school code or county code seen
 * twice in one file is refused on the later line (found by hashing the codes
 * of the good rows so far, so a national file of 200,000 rows is linear).
 *
 * The school registry may also carry a `public_key` (公钥) column: the
 * school's CURVE public key (Z85, 40 characters, as in its NAME.key file),
 * bound to the school when the file is imported. It is optional, a cell may
 * be blank, and a key given for two schools is refused on the later line. */
#include "submission_csv.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "header_match.h"
#include "admin_code.h"
#include "hashmap.h"
#include "keys.h"


/* Whether a 6-digit code is a city's or province's (NNNN00, admin_code.h):
 * cities are not assessed, and their codes carry the monitors' heartbeats
 * (proto/README.md). */
static int county_code_is_city(const char *code)
{
    admin_code c;
    return admin_code_parse(code, &c) == 0 && c.kind != ADMIN_COUNTY;
}

/* One registry column: English name, up to two Chinese labels, whether it
 * is read at all (ignored columns are optional), and whether it may be
 * missing from the file (optional). */
typedef struct {
    const char *name;
    const char *zh[2];
    int ignored;
    int optional;
} reg_col;

enum { S_CODE, S_NAME, S_COUNTY, S_KIND, S_LOCATION, S_PUBLIC, S_BOARDING, S_KEY, S_NCOLS };
static const reg_col SCHOOL_COLS[S_NCOLS] = {
    { "school_code", { "学校标识码", NULL }, 0, 0 }, { "name", { "学校名称", NULL }, 0, 0 },
    { "county_code", { "县区代码", NULL }, 0, 0 },   { "kind", { "办学类型", NULL }, 0, 0 },
    { "location", { "城乡分类", NULL }, 0, 0 },      { "public", { "公办", NULL }, 0, 0 },
    { "boarding", { "寄宿制", NULL }, 0, 0 },        { "public_key", { "公钥", NULL }, 0, 1 },
};

enum { C_CODE, C_NAME, C_NOTE, C_NCOLS };
static const reg_col COUNTY_COLS[C_NCOLS] = {
    { "county_code", { "县区代码", NULL }, 0, 0 },
    { "name", { "名称", "县区名称" }, 0, 0 },
    { "note", { "备注", NULL }, 1, 1 },
};

/* The index in cols of the column heading h names, or -1. */
static int column_find(const char *h, const reg_col *cols, int ncols)
{
    for (int c = 0; c < ncols; c++)
        if (strcasecmp(h, cols[c].name) == 0 || (cols[c].zh[0] && strcmp(h, cols[c].zh[0]) == 0) ||
            (cols[c].zh[1] && strcmp(h, cols[c].zh[1]) == 0))
            return c;
    return -1;
}

/* Maps each header position to an index of cols (-1: blank heading, -2: an
 * ignored column). Problems go to errors. Returns a new array (caller frees),
 * or NULL on a file-level problem. */
static int *map_columns(const csv_table *t, const reg_col *cols, int ncols, problem_list *errors)
{
    int *map = calloc(t->n_cols ? t->n_cols : 1, sizeof *map);
    int seen[16];
    for (int c = 0; c < 16; c++)
        seen[c] = -1;
    if (!map) {
        problem_list_add(errors, "", _("out of memory"));
        return NULL;
    }
    int bad = 0;
    for (size_t j = 0; j < t->n_cols; j++) {
        const char *h = t->header[j];
        map[j] = -1;
        if (h[0] == '\0')
            continue;
        char bare[256]; /* "名称（全称）": the heading without its bracketed part */
        int found = column_find(h, cols, ncols);
        if (found < 0 && header_without_unit(h, bare, sizeof bare))
            found = column_find(bare, cols, ncols);
        if (found < 0) {
            const char *names[48] = { 0 };
            for (int c = 0; c < ncols && c < 16; c++)
                names[3 * c] = cols[c].name, names[3 * c + 1] = cols[c].zh[0], names[3 * c + 2] = cols[c].zh[1];
            const char *near = header_nearest(h, names, (size_t)(ncols < 16 ? ncols : 16) * 3);
            if (near)
                problem_list_add(errors, h, _("unknown column '%s': did you mean '%s'?"), h, near);
            else
                problem_list_add(errors, h, _("unknown column '%s'"), h);
            bad = 1;
        } else if (seen[found] >= 0) {
            problem_list_add(errors, h, _("duplicate column: '%s' and '%s' are both %s"), t->header[seen[found]], h,
                             cols[found].name);
            bad = 1;
        } else {
            seen[found] = (int)j;
            map[j] = cols[found].ignored ? -2 : found;
        }
    }
    for (int c = 0; c < ncols; c++) {
        if (!cols[c].ignored && !cols[c].optional && seen[c] < 0) {
            problem_list_add(errors, cols[c].name, _("missing column %s (%s)"), cols[c].name, cols[c].zh[0]);
            bad = 1;
        }
    }
    if (bad) {
        free(map);
        return NULL;
    }
    return map;
}

/* Fills cells[c] with the row's value of column c ("" when the row is short).
 * Returns 0, or -1 when the row has a value under no heading (reported). */
static int row_cells(const csv_row *r, const int *map, size_t n_cols, const char **cells, int ncols,
                     problem_list *errors)
{
    for (int c = 0; c < ncols; c++)
        cells[c] = "";
    int rc = 0;
    for (size_t j = 0; j < r->n_fields; j++) {
        if (j < n_cols && map[j] >= 0) {
            cells[map[j]] = r->fields[j];
        } else if (r->fields[j][0] != '\0' && (j >= n_cols || map[j] == -1)) {
            char field[32];
            snprintf(field, sizeof field, "line %zu", r->line);
            problem_list_add(errors, field, _("cell %zu has a value but no column heading"), j + 1);
            rc = -1;
        }
    }
    return rc;
}

/* Adds a row problem with the field "line N: column"; the reason is
 * printf-formatted. */
static void row_problem(problem_list *errors, size_t line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_problem(problem_list *errors, size_t line, const char *column, const char *fmt, ...)
{
    char field[96], reason[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(field, sizeof field, "line %zu: %s", line, column);
    problem_list_add(errors, field, "%s", reason);
}

/* Parses a yes/no cell. Returns 1, 0, or -1 when it is neither. */
static int parse_flag(const char *s)
{
    static const char *const yes[] = { "1", "是", "yes", "true", "y" };
    static const char *const no[] = { "0", "否", "no", "false", "n" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* Parses a kind: English key (any case) or Chinese name, 学校 optional. */
static int parse_kind(const char *s)
{
    static const char suffix[] = "学校";
    for (int k = 0; k < KIND_COUNT; k++) {
        const char *zh = SCHOOL_KIND_NAMES_ZH[k];
        size_t n = strlen(zh), sn = sizeof suffix - 1;
        if (strcasecmp(s, SCHOOL_KIND_KEYS[k]) == 0 || strcmp(s, zh) == 0)
            return k;
        if (n > sn && strcmp(zh + n - sn, suffix) == 0 && strlen(s) == n - sn && strncmp(s, zh, n - sn) == 0)
            return k;
    }
    return -1;
}

/* Parses a location: urban/town/rural (any case) or a Chinese label. */
static int parse_location(const char *s)
{
    static const char *const zh[LOCATION_COUNT][2] = { { "城区", "城市" }, { "镇区", "城镇" }, { "乡村", "农村" } };
    for (int l = 0; l < LOCATION_COUNT; l++)
        if (strcasecmp(s, LOCATION_KEYS[l]) == 0 || strcmp(s, zh[l][0]) == 0 || strcmp(s, zh[l][1]) == 0)
            return l;
    return -1;
}

/* Reads one registry row into *out; every problem is reported. Returns 0 when
 * the row is good. */
static int school_row(const csv_row *r, const char **v, school_info *out, problem_list *errors)
{
    int bad = 0;
    memset(out, 0, sizeof *out);
    if (!code_is_digits(v[S_CODE], SCHOOL_CODE_LEN)) {
        row_problem(errors, r->line, "school_code", "'%s' is not a 10-digit school code", v[S_CODE]);
        bad = 1;
    } else {
        memcpy(out->school_code, v[S_CODE], SCHOOL_CODE_LEN + 1);
    }
    if (v[S_NAME][0] == '\0' || strlen(v[S_NAME]) >= sizeof out->name) {
        row_problem(errors, r->line, "name", "%s", v[S_NAME][0] ? "is longer than 255 bytes" : "is empty");
        bad = 1;
    } else {
        strcpy(out->name, v[S_NAME]);
    }
    if (!code_is_digits(v[S_COUNTY], COUNTY_CODE_LEN)) {
        row_problem(errors, r->line, "county_code", "'%s' is not a 6-digit county code", v[S_COUNTY]);
        bad = 1;
    } else if (county_code_is_city(v[S_COUNTY])) {
        row_problem(errors, r->line, "county_code", "'%s' ends in 00: that is a city's code, not a county's",
                    v[S_COUNTY]);
        bad = 1;
    } else {
        memcpy(out->county_code, v[S_COUNTY], COUNTY_CODE_LEN + 1);
    }
    int kind = parse_kind(v[S_KIND]);
    if (kind < 0) {
        row_problem(errors, r->line, "kind",
                    "'%s' is not a school kind (primary, junior, nine_year, twelve_year, complete_secondary, "
                    "teaching_point, special)",
                    v[S_KIND]);
        bad = 1;
    }
    int loc = parse_location(v[S_LOCATION]);
    if (loc < 0) {
        row_problem(errors, r->line, "location", "'%s' is not a location (urban, town, rural)", v[S_LOCATION]);
        bad = 1;
    }
    int pub = parse_flag(v[S_PUBLIC]), board = parse_flag(v[S_BOARDING]);
    if (pub < 0) {
        row_problem(errors, r->line, "public", "'%s' is not 1 (public) or 0 (private)", v[S_PUBLIC]);
        bad = 1;
    }
    if (board < 0) {
        row_problem(errors, r->line, "boarding", "'%s' is not 1 (boarding) or 0", v[S_BOARDING]);
        bad = 1;
    }
    if (v[S_KEY][0] && !key_z85_valid(v[S_KEY])) {
        row_problem(errors, r->line, "public_key",
                    "'%.48s' is not a CURVE public key (40 characters of Z85, as in a NAME.key file)", v[S_KEY]);
        bad = 1;
    } else if (v[S_KEY][0]) {
        memcpy(out->public_key, v[S_KEY], KEY_Z85_LEN + 1);
    }
    if (bad)
        return -1;
    out->kind = (school_kind)kind;
    out->location = (school_location)loc;
    out->is_public = pub == 1;
    out->boarding = board == 1;
    out->active = true;
    return 0;
}

/* Whether key was recorded in seen (by seen_add) for an earlier good row;
 * then *at is that row's index. One hash lookup: a national registry has
 * 200,000 rows, and comparing each with every earlier one was quadratic. */
static int seen_get(const hashmap *seen, const char *key, size_t *at)
{
    void *v = hashmap_get(seen, key);
    if (!v)
        return 0;
    *at = (size_t)((uintptr_t)v - 1);
    return 1;
}

/* Records that good row `index` holds key (copied by the map). Returns 0, or
 * -1 when out of memory. */
static int seen_add(hashmap *seen, const char *key, size_t index)
{
    return hashmap_put(seen, key, (void *)(uintptr_t)(index + 1));
}

/* Opens a registry file: parses the CSV, maps its header onto cols, and
 * allocates one zeroed output row (row_size bytes) and one line number per
 * data row. Returns 0 with everything set (caller frees *map, *rows, *lines
 * and destroys *t), or -1 with the problem in errors and nothing to free. */
static int registry_open(const char *bytes, size_t len, const reg_col *cols, int ncols, size_t row_size,
                         csv_table **t, int **map, void **rows, size_t **lines, problem_list *errors)
{
    char err[256];
    if (csv_table_parse(bytes, len, t, err, sizeof err) != 0) {
        problem_list_add(errors, "", "%s", err);
        return -1;
    }
    size_t nr = (*t)->n_rows;
    *map = map_columns(*t, cols, ncols, errors);
    *rows = nr ? calloc(nr, row_size) : NULL;
    *lines = nr ? calloc(nr, sizeof **lines) : NULL;
    if (!*map || (nr && (!*rows || !*lines))) {
        if (*map)
            problem_list_add(errors, "", _("out of memory"));
        free(*map);
        free(*rows);
        free(*lines);
        csv_table_destroy(t);
        return -1;
    }
    return 0;
}

/* See submission_csv.h. Returns the number of good rows (also in *n); *out is
 * owned by the caller (free()), NULL when there are none. -1 on a file-level
 * problem. */
int registry_schools_read(const char *bytes, size_t len, school_info **out, size_t *n, problem_list *errors)
{
    *out = NULL;
    *n = 0;
    csv_table *t = NULL;
    int *map = NULL;
    size_t *lines = NULL;
    school_info *rows = NULL;
    if (registry_open(bytes, len, SCHOOL_COLS, S_NCOLS, sizeof *rows, &t, &map, (void **)&rows, &lines, errors) != 0)
        return -1;
    size_t good = 0;
    hashmap *codes = hashmap_new(NULL), *keys = hashmap_new(NULL);
    if (!codes || !keys) {
        problem_list_add(errors, "", _("out of memory"));
        goto fail;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const char *v[S_NCOLS];
        const csv_row *r = &t->rows[i];
        int stray = row_cells(r, map, t->n_cols, v, S_NCOLS, errors);
        if (school_row(r, v, &rows[good], errors) != 0 || stray)
            continue;
        size_t at;
        if (seen_get(codes, rows[good].school_code, &at)) {
            row_problem(errors, r->line, "school_code", "%s appears again (first on line %zu); a school code is unique",
                        rows[good].school_code, lines[at]);
            continue;
        }
        if (rows[good].public_key[0] && seen_get(keys, rows[good].public_key, &at)) {
            row_problem(errors, r->line, "public_key", "this key is also school %s's (line %zu); one key, one school",
                        rows[at].school_code, lines[at]);
            continue;
        }
        if (seen_add(codes, rows[good].school_code, good) != 0 ||
            (rows[good].public_key[0] && seen_add(keys, rows[good].public_key, good) != 0)) {
            problem_list_add(errors, "", _("out of memory"));
            goto fail;
        }
        lines[good++] = r->line;
    }
    hashmap_destroy(&codes);
    hashmap_destroy(&keys);
    free(map);
    free(lines);
    csv_table_destroy(&t);
    if (good == 0) {
        free(rows);
        rows = NULL;
    }
    *out = rows;
    *n = good;
    return (int)good;
fail:
    hashmap_destroy(&codes);
    hashmap_destroy(&keys);
    free(map);
    free(lines);
    free(rows);
    csv_table_destroy(&t);
    return -1;
}

/* See submission_csv.h. Returns the number of good rows (also in *n); *out is
 * owned by the caller (free()), NULL when there are none. -1 on a file-level
 * problem. */
int registry_counties_read(const char *bytes, size_t len, county_info **out, size_t *n, problem_list *errors)
{
    *out = NULL;
    *n = 0;
    csv_table *t = NULL;
    int *map = NULL;
    size_t *lines = NULL;
    county_info *rows = NULL;
    if (registry_open(bytes, len, COUNTY_COLS, C_NCOLS, sizeof *rows, &t, &map, (void **)&rows, &lines, errors) != 0)
        return -1;
    size_t good = 0;
    hashmap *codes = hashmap_new(NULL);
    if (!codes) {
        problem_list_add(errors, "", _("out of memory"));
        goto fail;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const char *v[C_NCOLS];
        const csv_row *r = &t->rows[i];
        int bad = row_cells(r, map, t->n_cols, v, C_NCOLS, errors);
        county_info *c = &rows[good];
        memset(c, 0, sizeof *c);
        if (!code_is_digits(v[C_CODE], COUNTY_CODE_LEN)) {
            row_problem(errors, r->line, "county_code", "'%s' is not a 6-digit county code", v[C_CODE]);
            bad = 1;
        } else if (county_code_is_city(v[C_CODE])) {
            row_problem(errors, r->line, "county_code", "'%s' ends in 00: that is a city's code, not a county's",
                        v[C_CODE]);
            bad = 1;
        }
        if (v[C_NAME][0] == '\0' || strlen(v[C_NAME]) >= sizeof c->name) {
            row_problem(errors, r->line, "name", "%s", v[C_NAME][0] ? "is longer than 127 bytes" : "is empty");
            bad = 1;
        }
        if (bad)
            continue;
        memcpy(c->code, v[C_CODE], COUNTY_CODE_LEN + 1);
        strcpy(c->name, v[C_NAME]);
        size_t at;
        if (seen_get(codes, c->code, &at)) {
            row_problem(errors, r->line, "county_code", "%s appears again (first on line %zu)", c->code, lines[at]);
            continue;
        }
        if (seen_add(codes, c->code, good) != 0) {
            problem_list_add(errors, "", _("out of memory"));
            goto fail;
        }
        lines[good++] = r->line;
    }
    hashmap_destroy(&codes);
    free(map);
    free(lines);
    csv_table_destroy(&t);
    if (good == 0) {
        free(rows);
        rows = NULL;
    }
    *out = rows;
    *n = good;
    return (int)good;
fail:
    hashmap_destroy(&codes);
    free(map);
    free(lines);
    free(rows);
    csv_table_destroy(&t);
    return -1;
}
