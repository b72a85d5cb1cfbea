/* admin.c -- requests on the admin socket (admin keys only): ping, registry
 * imports, stats, the quarantine list and the key registry.
 * The daemon does the database work; the client only sends the file's bytes.
 * See admin.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "log.h"
#include "admin.h"
#include "submission_csv.h"
#include "wire.h"

/* The admin handler's dependencies (admin.h, borrowed). */
struct admin {
    const config *cfg;
    store *db;
    registry *reg;
    county_book *book;
    auth *keys;
    const auth_policy *policy;
    const char *curve_public;
    void *admin_sock;
    net_counters *counters;
    const publisher *pub;
    int64_t started_ms;
};

admin *admin_new(const admin_deps *deps)
{
    admin *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cfg = deps->cfg;
    self->db = deps->db;
    self->reg = deps->reg;
    self->book = deps->book;
    self->keys = deps->keys;
    self->policy = deps->policy;
    self->curve_public = deps->curve_public;
    self->admin_sock = deps->reply_sock;
    self->counters = deps->counters;
    self->pub = deps->pub;
    self->started_ms = deps->started_ms;
    return self;
}

void admin_destroy(admin **p)
{
    if (!*p)
        return;
    free(*p);
    *p = NULL;
}

/* Sends an OK reply with a JSON body (consumes body). */
static void admin_reply_json(admin *self, const peer_address *peer, const Junheng__Envelope *env, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        problem_list errs = { 0 };
        problem_list_add(&errs, "", "server out of memory");
        net_reply(self->admin_sock, peer, env->request_id.data, env->request_id.len,
                     JUNHENG__REPLY_STATUS__RETRY_LATER, 0, &errs, NULL, NULL);
        problem_list_clear(&errs);
        return;
    }
    net_reply(self->admin_sock, peer, env->request_id.data, env->request_id.len, JUNHENG__REPLY_STATUS__OK,
                 0, NULL, NULL, text);
    free(text);
}

/* Replies refused (or retry later when the database is down) with errors. */
static void admin_reply_problems(admin *self, const peer_address *peer, const Junheng__Envelope *env,
                                 Junheng__ReplyStatus status, const problem_list *errs)
{
    net_reply(self->admin_sock, peer, env->request_id.data, env->request_id.len, status, 0, errs, NULL,
                 NULL);
}

/* Reply for a failed store call: retry later when the database is down. */
static void admin_reply_store_error(admin *self, const peer_address *peer, const Junheng__Envelope *env, int rc)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "%s", store_last_error(self->db));
    admin_reply_problems(self, peer, env,
                         rc == STORE_DOWN ? JUNHENG__REPLY_STATUS__RETRY_LATER : JUNHENG__REPLY_STATUS__REFUSED,
                         &errs);
    problem_list_clear(&errs);
}

static void admin_import_counties(admin *self, const peer_address *peer, const Junheng__Envelope *env)
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
            if (registry_put_county(self->reg, &rows[i]) != 0 ||
                county_book_county_renamed(self->book, &rows[i]) != 0)
                log_error("out of memory importing county %s", rows[i].code);
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
        if (school_record_active(c->schools[j]) &&
            !hashmap_get(scope->file_schools, school_record_code(c->schools[j]))) {
            school_record_set_active(c->schools[j], false);
            if (county_book_school_changed(scope->book, c->schools[j], NULL) != 0)
                log_error("out of memory updating county %s", c->info.code);
        }
}

/* Why a key may not be bound (to anything) by an admin request, or NULL:
 * the daemon's own key, a bootstrap admin key of the config, a revoked key. */
static const char *key_unbindable(const admin *self, const char *public_key)
{
    const auth_key *k = auth_lookup(self->keys, public_key);
    if (self->curve_public[0] && strcmp(public_key, self->curve_public) == 0)
        return "is the daemon's own key";
    if (k && k->from_config)
        return "is an admin key of admin_public_keys (change it in the config file)";
    if (k && k->revoked)
        return "was revoked; a revoked key stays revoked (make a new one with junheng keygen)";
    return NULL;
}

/* Checks the public_key cells of a registry file before anything is
 * written: each key must be bindable and not already a monitor's or an
 * admin's (a registry file never demotes those). Problems go to errs. */
static void admin_check_school_keys(admin *self, const school_info *rows, size_t n, problem_list *errs)
{
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].public_key[0])
            continue;
        const auth_key *k = auth_lookup(self->keys, rows[i].public_key);
        const char *why = key_unbindable(self, rows[i].public_key);
        if (why)
            problem_list_add(errs, "public_key", "school %s: key %s %s", rows[i].school_code, rows[i].public_key, why);
        else if (k && k->role != ROLE_SCHOOL)
            problem_list_add(errs, "public_key", "school %s: key %s is a %s key (%s); a key has one role",
                             rows[i].school_code, rows[i].public_key, key_role_name(k->role), k->subject);
    }
}

/* Binds the public_key cells of imported rows to their schools, in the
 * database and then in memory. *count gets how many. */
static int admin_put_school_keys(admin *self, const school_info *rows, size_t n, size_t *count)
{
    *count = 0;
    store_key_row *keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return STORE_ERROR;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].public_key[0])
            keys[k++] = (store_key_row){ rows[i].public_key, "school", rows[i].school_code, false };
    int rc = k ? store_keys_put(self->db, keys, k) : STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < k; i++)
        if (auth_put(self->keys, keys[i].public_key, ROLE_SCHOOL, keys[i].subject, false, false) != 0)
            log_error("out of memory binding key %s", keys[i].public_key);
    if (rc == STORE_OK && k)
        log_info("bound %zu school keys from the registry file", k);
    free(keys);
    *count = k;
    return rc;
}

static void admin_import_schools(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    school_info *rows = NULL;
    size_t n = 0, inserted = 0, updated = 0, deactivated = 0;
    problem_list errs = { 0 };
    int rc = registry_schools_read((const char *)req->file.data, req->file.len, &rows, &n, &errs);
    if (rc >= 0 && errs.count == 0)
        admin_check_school_keys(self, rows, n, &errs);
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
        log_info("imported %zu schools: %zu new, %zu changed, %zu marked inactive", n, inserted, updated, deactivated);
        size_t keys = 0;
        rc = admin_put_school_keys(self, rows, n, &keys);
        if (rc != STORE_OK)
            admin_reply_store_error(self, peer, env, rc); /* schools are in; sending the file again binds the keys */
        else
            admin_reply_json(self, peer, env,
                             json_pack("{s:I, s:I, s:I, s:I, s:I}", "rows", (json_int_t)n, "inserted",
                                       (json_int_t)inserted, "updated", (json_int_t)updated, "deactivated",
                                       (json_int_t)deactivated, "keys", (json_int_t)keys));
    }
    problem_list_clear(&errs);
    free(rows);
}

static void admin_stats(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    int64_t stored = store_count_revisions(self->db);
    const net_counters *c = self->counters;
    json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "version", "0.1.0",
                          "database_up", store_is_up(self->db), "uptime_s",
                          (json_int_t)((net_now_ms() - self->started_ms) / 1000), "schools",
                          (json_int_t)registry_school_count(self->reg), "counties",
                          (json_int_t)registry_county_count(self->reg), "received", (json_int_t)c->received,
                          "accepted", (json_int_t)c->accepted, "duplicate", (json_int_t)c->duplicate, "refused",
                          (json_int_t)c->refused, "retry_later", (json_int_t)c->retry_later, "groups_committed",
                          (json_int_t)c->groups_committed, "store_failures", (json_int_t)c->store_failures);
    if (o) {
        json_object_set_new(o, "revisions_stored", stored >= 0 ? json_integer(stored) : json_null());
        json_object_set_new(o, "connections_refused", json_integer((json_int_t)c->zap_denied));
        json_object_set_new(o, "refused_by_key", json_integer((json_int_t)c->auth_refused));
        json_object_set_new(o, "plaintext", json_boolean(self->cfg->allow_plaintext));
        publish_counts pc;
        publisher_counts(self->pub, &pc);
        json_object_set_new(o, "publications", json_integer((json_int_t)pc.publications));
        json_object_set_new(o, "history_stored", json_integer((json_int_t)pc.history_stored));
        json_object_set_new(o, "history_queued", json_integer((json_int_t)pc.history_queued));
        json_object_set_new(o, "history_dropped", json_integer((json_int_t)pc.history_dropped));
    }
    admin_reply_json(self, peer, env, o);
}

static void admin_rejected(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    const char *since = req->n_args > 0 ? req->args[0] : "";
    char *text = NULL;
    int rc = store_list_quarantine(self->db, since, 1000, &text);
    if (rc != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
        return;
    }
    net_reply(self->admin_sock, peer, env->request_id.data, env->request_id.len, JUNHENG__REPLY_STATUS__OK,
                 0, NULL, NULL, text);
    free(text);
}

/* Refuses with one problem. */
static void admin_refuse(admin *self, const peer_address *peer, const Junheng__Envelope *env, const char *field,
                         const char *reason)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, field, "%s", reason);
    admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    problem_list_clear(&errs);
}

/* set-key ROLE SUBJECT PUBLIC_KEY: binds a key to a role (a school code, a
 * monitor scope, a county code, an admin name). Takes effect for the next message. */
static void admin_set_key(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    if (req->n_args != 3) {
        admin_refuse(self, peer, env, "args", "set-key needs ROLE SUBJECT PUBLIC_KEY");
        return;
    }
    const char *role_name = req->args[0], *subject = req->args[1], *key = req->args[2];
    int role = key_role_parse(role_name);
    char reason[256], scope[7];
    const char *why;
    if (role < 0) {
        admin_refuse(self, peer, env, "role", "the role is school, monitor, county or admin");
        return;
    }
    if (!key_z85_valid(key)) {
        admin_refuse(self, peer, env, "public_key", "not a CURVE public key (40 characters of Z85)");
        return;
    }
    if ((why = key_unbindable(self, key)) != NULL) {
        snprintf(reason, sizeof reason, "key %s %s", key, why);
        admin_refuse(self, peer, env, "public_key", reason);
        return;
    }
    if (role == ROLE_SCHOOL) {
        const school_record *rec = code_is_digits(subject, SCHOOL_CODE_LEN) ? registry_school(self->reg, subject) : NULL;
        if (!rec) {
            snprintf(reason, sizeof reason, "'%.32s' is not a school of the registry (import it first)", subject);
            admin_refuse(self, peer, env, "subject", reason);
            return;
        }
    } else if (role == ROLE_MONITOR) {
        if (auth_scope_normalize(subject, scope) != 0) {
            admin_refuse(self, peer, env, "subject",
                         "a monitor's scope is a province (37), city (3714 or 371400) or county (371425) code");
            return;
        }
        subject = scope;
    } else if (role == ROLE_COUNTY) {
        if (!code_is_digits(subject, COUNTY_CODE_LEN) || !registry_county(self->reg, subject)) {
            snprintf(reason, sizeof reason, "'%.16s' is not a county of the registry (a 6-digit code; import it first)",
                     subject);
            admin_refuse(self, peer, env, "subject", reason);
            return;
        }
    } else {
        size_t n = strlen(subject);
        bool ok = n >= 1 && n < AUTH_SUBJECT_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = (unsigned char)subject[i] >= 0x20 && subject[i] != 0x7f;
        if (!ok) {
            admin_refuse(self, peer, env, "subject", "an admin key's subject is a name of 1 to 64 printable bytes");
            return;
        }
    }
    store_key_row row = { key, key_role_name((key_role)role), subject, false };
    int rc = store_keys_put(self->db, &row, 1);
    if (rc != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
        return;
    }
    const auth_key *old = auth_lookup(self->keys, key);
    json_t *was = old ? json_pack("{s:s, s:s}", "role", key_role_name(old->role), "subject", old->subject) : json_null();
    if (auth_put(self->keys, key, (key_role)role, subject, false, false) != 0)
        log_error("out of memory binding key %s", key);
    log_info("key %s bound: %s %s", key, key_role_name((key_role)role), subject);
    admin_reply_json(self, peer, env,
                     json_pack("{s:s, s:s, s:s, s:o}", "public_key", key, "role", key_role_name((key_role)role),
                               "subject", subject, "was", was ? was : json_null()));
}

/* revoke-key PUBLIC_KEY: new connections with the key are refused at the
 * handshake, and messages on connections already open are refused. */
static void admin_revoke_key(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    const Junheng__AdminRequest *req = env->admin;
    const char *key = req->n_args == 1 ? req->args[0] : "";
    if (!key_z85_valid(key)) {
        admin_refuse(self, peer, env, "public_key", "revoke-key needs one CURVE public key (40 characters of Z85)");
        return;
    }
    const auth_key *k = auth_lookup(self->keys, key);
    if (k && k->from_config) {
        admin_refuse(self, peer, env, "public_key",
                     "this admin key comes from admin_public_keys: remove it from the config file and restart");
        return;
    }
    bool found = false;
    int rc = store_key_revoke(self->db, key, &found);
    if (rc != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
        return;
    }
    if (!found) {
        admin_refuse(self, peer, env, "public_key", "this key is not in the key registry");
        return;
    }
    auth_revoke(self->keys, key);
    log_info("key %s revoked (%s %s)", key, k ? key_role_name(k->role) : "?", k ? k->subject : "?");
    admin_reply_json(self, peer, env,
                     json_pack("{s:s, s:b, s:s, s:s}", "public_key", key, "revoked", 1, "role",
                               k ? key_role_name(k->role) : "?", "subject", k ? k->subject : "?"));
}

/* keys: the key registry (the table), then the admin keys of the config. */
static void admin_list_keys(admin *self, const peer_address *peer, const Junheng__Envelope *env)
{
    char *text = NULL;
    int rc = store_list_keys(self->db, &text);
    if (rc != STORE_OK) {
        admin_reply_store_error(self, peer, env, rc);
        return;
    }
    json_t *list = json_loads(text, 0, NULL);
    free(text);
    char buf[CONFIG_STR];
    snprintf(buf, sizeof buf, "%s", self->cfg->admin_public_keys);
    char *save = NULL;
    for (char *item = strtok_r(buf, " \t,", &save); list && item; item = strtok_r(NULL, " \t,", &save)) {
        keypair kp;
        char err[64];
        if (!key_z85_valid(item) && keyfile_read(item, false, &kp, err, sizeof err) == 0)
            item = kp.public_key[0] ? kp.public_key : item;
        const auth_key *k = auth_lookup(self->keys, item);
        if (k)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "public_key", k->public_key, "role",
                                                  "admin", "subject", k->subject, "source", "config"));
    }
    admin_reply_json(self, peer, env, list);
}

void admin_handle(admin *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    problem_list errs = { 0 };
    if (!env || env->body_case != JUNHENG__ENVELOPE__BODY_ADMIN || !env->admin->command) {
        problem_list_add(&errs, "", "not an admin request");
        net_reply(self->admin_sock, peer, env && env->has_request_id ? env->request_id.data : NULL,
                     env && env->has_request_id ? env->request_id.len : 0, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs,
                     NULL, NULL);
        problem_list_clear(&errs);
        if (env)
            junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    const char *cmd = env->admin->command;
    char why[256];
    if (!auth_may_admin(self->policy, peer, why, sizeof why)) {
        self->counters->auth_refused++;
        log_info("admin %.32s refused: %s", cmd, why);
        problem_list_add(&errs, "", "%s", why);
        admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
        problem_list_clear(&errs);
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
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
    else if (strcmp(cmd, "set-key") == 0)
        admin_set_key(self, peer, env);
    else if (strcmp(cmd, "revoke-key") == 0)
        admin_revoke_key(self, peer, env);
    else if (strcmp(cmd, "keys") == 0)
        admin_list_keys(self, peer, env);
    else {
        problem_list_add(&errs, "command", "unknown admin command '%.64s'", cmd);
        admin_reply_problems(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, &errs);
        problem_list_clear(&errs);
    }
    junheng__envelope__free_unpacked(env, NULL);
}
