/* admin_registry.c -- registry imports (import-counties, import-schools with
 * the schools' keys). A file is checked whole, then written in one
 * transaction sent without waiting; memory (the registry, the county book,
 * the key registry) changes only once PostgreSQL confirmed the COMMIT. A
 * registry is all or nothing: the admin fixes the file and sends it again.
 * See admin_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "hashmap.h"
#include "log.h"
#include "submission_csv.h"

static void counties_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    for (size_t i = 0; i < self->n_rows; i++)
        if (registry_put_county(self->reg, &self->counties[i]) != 0 ||
            county_book_county_renamed(self->book, &self->counties[i]) != 0)
            log_error("out of memory importing county %s", self->counties[i].code);
    log_info("imported %zu counties (%zu changed)", self->n_rows, answer->changed);
    admin_reply_json(self, &self->cur,
                     json_pack("{s:I, s:I}", "rows", (json_int_t)self->n_rows, "changed", (json_int_t)answer->changed));
}

void admin_import_counties(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    problem_list errs = { 0 };
    int rc = registry_counties_read((const char *)req->file.data, req->file.len, &self->counties, &self->n_rows,
                                    &errs);
    if (rc < 0 || errs.count > 0) {
        admin_reply_problems(self, &self->cur, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    } else {
        store_call *call = NULL;
        char *audit = admin_audit_text(self, "import_counties",
                                        json_pack("{s:I}", "counties", (json_int_t)self->n_rows));
        rc = audit ? store_counties_send(self->db, self->counties, self->n_rows, audit, &call) : STORE_DOWN;
        free(audit);
        admin_send(self, rc, call, counties_finish);
    }
    problem_list_clear(&errs);
}

typedef struct {
    hashmap *file_schools;   /* school codes in the file */
    hashmap *file_counties;  /* county codes in the file */
    county_book *book;
} deactivate_scope;

/* Marks in memory the schools of the file's counties that the file omits
 * (the database did the same in the import). */
static void deactivate_missing(void *arg, county_record *c)
{
    deactivate_scope *scope = arg;
    if (!hashmap_get(scope->file_counties, c->info.code))
        return;
    for (size_t j = 0; j < c->n_schools; j++)
        if (school_record_active(c->schools[j]) &&
            !hashmap_get(scope->file_schools, school_record_code(c->schools[j]))) {
            school_record_set_active(c->schools[j], false);
            if (county_book_school_changed(scope->book, c->schools[j], NULL) != 0)
                log_error("out of memory updating county %s", c->info.code);
        }
}

/* Checks the public_key cells of a registry file before anything is
 * written: each key must be bindable and not already a monitor's or an
 * admin's (a registry file never demotes those). Problems go to errs. */
static void check_school_keys(admin *self, const school_info *rows, size_t n, problem_list *errs)
{
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].public_key[0])
            continue;
        const auth_key *k = auth_lookup(self->keys, rows[i].public_key);
        const char *why = admin_key_unbindable(self, rows[i].public_key);
        if (why)
            problem_list_add(errs, "public_key", "school %s: key %s %s", rows[i].school_code, rows[i].public_key, why);
        else if (k && k->role != ROLE_SCHOOL)
            problem_list_add(errs, "public_key", "school %s: key %s is a %s key (%s); a key has one role",
                             rows[i].school_code, rows[i].public_key, key_role_name(k->role), k->subject);
    }
}

/* The keys of the file's public_key cells into self->bound, each key once
 * (a key given for two schools binds the later one). Returns 0 or -1. */
static int collect_school_keys(admin *self)
{
    self->bound = calloc(self->n_rows ? self->n_rows : 1, sizeof *self->bound);
    hashmap *seen = hashmap_new(NULL);
    int rc = self->bound && seen ? 0 : -1;
    for (size_t i = self->n_rows; rc == 0 && i-- > 0;) {
        const school_info *s = &self->schools[i];
        if (!s->public_key[0] || hashmap_get(seen, s->public_key))
            continue;
        if (hashmap_put(seen, s->public_key, (void *)s) != 0)
            rc = -1;
        else
            self->bound[self->n_bound++] = (store_key_row){ s->public_key, "school", s->school_code, false };
    }
    hashmap_destroy(&seen);
    return rc;
}

/* Applies the committed schools to the registry and the county book. */
static void apply_schools(admin *self)
{
    school_info *rows = self->schools;
    size_t n = self->n_rows;
    for (size_t i = 0; i < n; i++) {
        rows[i].active = true;
        school_record *old = registry_school(self->reg, rows[i].school_code);
        char old_county[COUNTY_CODE_LEN + 1] = "";
        if (old)
            snprintf(old_county, sizeof old_county, "%s", school_record_county(old));
        if (registry_put_school(self->reg, &rows[i]) != 0 ||
            county_book_school_changed(self->book, registry_school(self->reg, rows[i].school_code),
                                       old ? old_county : NULL) != 0)
            log_error("out of memory importing school %s", rows[i].school_code);
    }
    deactivate_scope scope = { hashmap_new(NULL), hashmap_new(NULL), self->book };
    bool indexed = scope.file_schools && scope.file_counties;
    for (size_t i = 0; indexed && i < n; i++)
        indexed = hashmap_put(scope.file_schools, rows[i].school_code, &rows[i]) == 0 &&
                  hashmap_put(scope.file_counties, rows[i].county_code, &rows[i]) == 0;
    /* With an incomplete index, memory could mark schools inactive that the
     * database kept active: skip, and let a restart reload the truth. */
    if (indexed)
        registry_foreach_county(self->reg, deactivate_missing, &scope);
    else
        log_error("out of memory: schools missing from the file stay active in memory until restart");
    hashmap_destroy(&scope.file_schools);
    hashmap_destroy(&scope.file_counties);
    for (size_t i = 0; i < self->n_bound; i++)
        if (auth_put(self->keys, self->bound[i].public_key, ROLE_SCHOOL, self->bound[i].subject, false, false) != 0)
            log_error("out of memory binding key %s", self->bound[i].public_key);
}

static void schools_finish(admin *self, int rc, const store_answer *a)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    apply_schools(self);
    log_info("imported %zu schools: %zu new, %zu changed, %zu marked inactive; %zu school keys bound", self->n_rows,
             a->inserted, a->updated, a->deactivated, self->n_bound);
    admin_reply_json(self, &self->cur,
                     json_pack("{s:I, s:I, s:I, s:I, s:I}", "rows", (json_int_t)self->n_rows, "inserted",
                               (json_int_t)a->inserted, "updated", (json_int_t)a->updated, "deactivated",
                               (json_int_t)a->deactivated, "keys", (json_int_t)self->n_bound));
}

void admin_import_schools(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    problem_list errs = { 0 };
    int rc = registry_schools_read((const char *)req->file.data, req->file.len, &self->schools, &self->n_rows,
                                   &errs);
    if (rc >= 0 && errs.count == 0)
        check_school_keys(self, self->schools, self->n_rows, &errs);
    if (rc < 0 || errs.count > 0) {
        admin_reply_problems(self, &self->cur, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    } else if (collect_school_keys(self) != 0) {
        problem_list_add(&errs, "", "server out of memory");
        admin_reply_problems(self, &self->cur, JUNHENG__REPLY_STATUS__RETRY_LATER, &errs);
    } else {
        store_call *call = NULL;
        char *audit = admin_audit_text(self, "import_schools",
                                        json_pack("{s:I, s:I}", "schools", (json_int_t)self->n_rows, "keys",
                                                  (json_int_t)self->n_bound));
        rc = audit ? store_schools_send(self->db, self->schools, self->n_rows, self->bound, self->n_bound, audit,
                                        &call)
                   : STORE_DOWN;
        free(audit);
        admin_send(self, rc, call, schools_finish);
    }
    problem_list_clear(&errs);
}
