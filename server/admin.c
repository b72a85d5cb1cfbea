/* admin.c -- requests on the admin socket: ping, registry imports, stats and
 * the quarantine list. The daemon does the database work; the client only
 * sends the file's bytes. See server.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "log.h"
#include "server.h"
#include "submission_csv.h"
#include "wire.h"

/* Sends an OK reply with a JSON body (consumes body). */
static void admin_reply_json(server *self, const peer_address *peer, const Junheng__Envelope *env, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        problem_list errs = { 0 };
        problem_list_add(&errs, "", "server out of memory");
        server_reply(self, self->admin_sock, peer, env->request_id.data, env->request_id.len,
                     JUNHENG__REPLY_STATUS__RETRY_LATER, 0, &errs, NULL, NULL);
        problem_list_clear(&errs);
        return;
    }
    server_reply(self, self->admin_sock, peer, env->request_id.data, env->request_id.len, JUNHENG__REPLY_STATUS__OK,
                 0, NULL, NULL, text);
    free(text);
}

/* Replies refused (or retry later when the database is down) with errors. */
static void admin_reply_problems(server *self, const peer_address *peer, const Junheng__Envelope *env,
                                 Junheng__ReplyStatus status, const problem_list *errs)
{
    server_reply(self, self->admin_sock, peer, env->request_id.data, env->request_id.len, status, 0, errs, NULL,
                 NULL);
}

/* Reply for a failed store call: retry later when the database is down. */
static void admin_reply_store_error(server *self, const peer_address *peer, const Junheng__Envelope *env, int rc)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "%s", store_last_error(self->db));
    admin_reply_problems(self, peer, env,
                         rc == STORE_DOWN ? JUNHENG__REPLY_STATUS__RETRY_LATER : JUNHENG__REPLY_STATUS__REFUSED,
                         &errs);
    problem_list_clear(&errs);
}

static void admin_import_counties(server *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    county_info *rows = NULL;
    size_t n = 0, changed = 0;
    problem_list errs = { 0 };
    int rc = registry_counties_read((const char *)req->file.data, req->file.len, &rows, &n, &errs);
    if (rc < 0 || errs.count > 0) {
        /* A registry is all or nothing: the admin fixes the file and sends it again. */
        admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    } else if ((rc = store_upsert_counties(self->db, rows, n, &changed)) != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
    } else {
        for (size_t i = 0; i < n; i++)
            registry_put_county(self->reg, &rows[i]);
        log_info("imported %zu counties (%zu changed)", n, changed);
        admin_reply_json(self, peer, env, json_pack("{s:I, s:I}", "rows", (json_int_t)n, "changed", (json_int_t)changed));
    }
    problem_list_clear(&errs);
    free(rows);
}

typedef struct {
    hashmap *file_schools;   /* school codes in the file */
    hashmap *file_counties;  /* county codes in the file */
    county_book *book;
} deactivate_scope;

/* Marks in memory the schools of the file's counties that the file omits
 * (the database did the same in store_upsert_schools). */
static void deactivate_missing(void *arg, county_record *c)
{
    deactivate_scope *scope = arg;
    if (!hashmap_get(scope->file_counties, c->info.code))
        return;
    for (size_t j = 0; j < c->n_schools; j++)
        if (c->schools[j]->info.active && !hashmap_get(scope->file_schools, c->schools[j]->info.school_code)) {
            c->schools[j]->info.active = false;
            if (county_book_school_changed(scope->book, c->schools[j], NULL) != 0)
                log_error("out of memory updating county %s", c->info.code);
        }
}

static void admin_import_schools(server *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    school_info *rows = NULL;
    size_t n = 0, inserted = 0, updated = 0, deactivated = 0;
    problem_list errs = { 0 };
    int rc = registry_schools_read((const char *)req->file.data, req->file.len, &rows, &n, &errs);
    if (rc < 0 || errs.count > 0) {
        admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    } else if ((rc = store_upsert_schools(self->db, rows, n, &inserted, &updated, &deactivated)) != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
    } else {
        for (size_t i = 0; i < n; i++) {
            rows[i].active = true;
            school_record *old = registry_school(self->reg, rows[i].school_code);
            char old_county[COUNTY_CODE_LEN + 1] = "";
            if (old)
                snprintf(old_county, sizeof old_county, "%s", old->info.county_code);
            if (registry_put_school(self->reg, &rows[i]) != 0 ||
                county_book_school_changed(self->book, registry_school(self->reg, rows[i].school_code),
                                           old ? old_county : NULL) != 0)
                log_error("out of memory importing school %s", rows[i].school_code);
        }
        deactivate_scope scope = { hashmap_new(NULL), hashmap_new(NULL), self->book };
        for (size_t i = 0; scope.file_schools && scope.file_counties && i < n; i++) {
            hashmap_put(scope.file_schools, rows[i].school_code, &rows[i]);
            hashmap_put(scope.file_counties, rows[i].county_code, &rows[i]);
        }
        if (scope.file_schools && scope.file_counties)
            registry_foreach_county(self->reg, deactivate_missing, &scope);
        hashmap_destroy(&scope.file_schools);
        hashmap_destroy(&scope.file_counties);
        log_info("imported %zu schools: %zu new, %zu changed, %zu marked inactive", n, inserted, updated, deactivated);
        admin_reply_json(self, peer, env,
                         json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)n, "inserted", (json_int_t)inserted,
                                   "updated", (json_int_t)updated, "deactivated", (json_int_t)deactivated));
    }
    problem_list_clear(&errs);
    free(rows);
}

static void admin_stats(server *self, const peer_address *peer, const Junheng__Envelope *env)
{
    int64_t stored = store_count_revisions(self->db);
    const server_counters *c = &self->counters;
    json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "version", "0.1.0",
                          "database_up", store_is_up(self->db), "uptime_s",
                          (json_int_t)((server_now_ms() - self->started_ms) / 1000), "schools",
                          (json_int_t)registry_school_count(self->reg), "counties",
                          (json_int_t)registry_county_count(self->reg), "received", (json_int_t)c->received,
                          "accepted", (json_int_t)c->accepted, "duplicate", (json_int_t)c->duplicate, "refused",
                          (json_int_t)c->refused, "retry_later", (json_int_t)c->retry_later, "groups_committed",
                          (json_int_t)c->groups_committed, "store_failures", (json_int_t)c->store_failures);
    if (o)
        json_object_set_new(o, "revisions_stored", stored >= 0 ? json_integer(stored) : json_null());
    admin_reply_json(self, peer, env, o);
}

static void admin_rejected(server *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    const char *since = req->n_args > 0 ? req->args[0] : "";
    char *text = NULL;
    int rc = store_list_quarantine(self->db, since, 1000, &text);
    if (rc != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
        return;
    }
    server_reply(self, self->admin_sock, peer, env->request_id.data, env->request_id.len, JUNHENG__REPLY_STATUS__OK,
                 0, NULL, NULL, text);
    free(text);
}

void admin_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    problem_list errs = { 0 };
    if (!env || env->body_case != JUNHENG__ENVELOPE__BODY_ADMIN || !env->admin->command) {
        problem_list_add(&errs, "", "not an admin request");
        server_reply(self, self->admin_sock, peer, env && env->has_request_id ? env->request_id.data : NULL,
                     env && env->has_request_id ? env->request_id.len : 0, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs,
                     NULL, NULL);
        problem_list_clear(&errs);
        if (env)
            junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    const char *cmd = env->admin->command;
    if (strcmp(cmd, "ping") == 0)
        admin_reply_json(self, peer, env, json_pack("{s:s, s:b}", "pong", "junhengd", "database_up", store_is_up(self->db)));
    else if (strcmp(cmd, "import-counties") == 0)
        admin_import_counties(self, peer, env);
    else if (strcmp(cmd, "import-schools") == 0)
        admin_import_schools(self, peer, env);
    else if (strcmp(cmd, "stats") == 0)
        admin_stats(self, peer, env);
    else if (strcmp(cmd, "rejected") == 0)
        admin_rejected(self, peer, env);
    else {
        problem_list_add(&errs, "command", "unknown admin command '%.64s'", cmd);
        admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
        problem_list_clear(&errs);
    }
    junheng__envelope__free_unpacked(env, NULL);
}
