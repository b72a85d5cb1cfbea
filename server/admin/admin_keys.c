/* admin_keys.c -- the key registry's admin commands: set-key, revoke-key and
 * keys. Each change is written in one statement sent without waiting, and
 * reaches the key registry in memory (seen by the very next message) once
 * PostgreSQL confirmed it. See admin_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "i18n.h"
#include "log.h"

const char *admin_key_unbindable(const admin *self, const char *public_key)
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

static void set_key_finish(admin *self, int rc, const store_answer *answer)
{
    (void)answer;
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    const char *role = key_role_name((key_role)self->role);
    const auth_key *old = auth_lookup(self->keys, self->key);
    json_t *was = old ? json_pack("{s:s, s:s}", "role", key_role_name(old->role), "subject", old->subject) : json_null();
    if (auth_put(self->keys, self->key, (key_role)self->role, self->subject, false, false) != 0 ||
        auth_set_review(self->keys, self->key, self->may_review) != 0)
        log_error("out of memory binding key %s", self->key);
    log_info("key %s bound: %s %s", self->key, role, self->subject);
    admin_reply_json(self, &self->cur,
                     json_pack("{s:s, s:s, s:s, s:b, s:o}", "public_key", self->key, "role", role, "subject",
                               self->subject, "may_review", self->may_review, "was", was ? was : json_null()));
}

/* Checks set-key's SUBJECT for the role and keeps it (normalised) in
 * self->subject. Returns NULL, or why it is refused. */
const char *admin_key_subject(admin *self, const char *subject)
{
    char scope[7];
    if (self->role == ROLE_SCHOOL) {
        if (!code_is_digits(subject, SCHOOL_CODE_LEN) || !registry_school(self->reg, subject))
            return "is not a school of the registry (import it first)";
    } else if (self->role == ROLE_MONITOR) {
        if (auth_scope_normalize(subject, scope) != 0)
            return "a monitor's scope is a province (37), city (3714 or 371400) or county (371425) code";
        subject = scope;
    } else if (self->role == ROLE_COUNTY) {
        if (!code_is_digits(subject, COUNTY_CODE_LEN) || !registry_county(self->reg, subject))
            return "is not a county of the registry (a 6-digit code; import it first)";
    } else {
        size_t n = strlen(subject);
        bool ok = n >= 1 && n < AUTH_SUBJECT_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = (unsigned char)subject[i] >= 0x20 && subject[i] != 0x7f;
        if (!ok)
            return "an admin key's subject is a name of 1 to 64 printable bytes";
    }
    snprintf(self->subject, sizeof self->subject, "%s", subject);
    return NULL;
}

/* set-key ROLE SUBJECT PUBLIC_KEY [--review]: binds a key to a role (a
 * school code, a monitor scope, a county code, an admin name); --review
 * gives a monitor key the review right (docs/review.md). Takes effect for
 * the next message. */
void admin_set_key(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    self->may_review = req->n_args == 4 && (strcmp(req->args[3], "review") == 0 || strcmp(req->args[3], "--review") == 0);
    if (req->n_args != 3 && !self->may_review) {
        admin_refuse(self, &self->cur, "args", "set-key needs ROLE SUBJECT PUBLIC_KEY [--review]");
        return;
    }
    const char *subject = req->args[1], *key = req->args[2];
    char reason[256];
    const char *why;
    self->role = key_role_parse(req->args[0]);
    if (self->role < 0) {
        admin_refuse(self, &self->cur, "role", "the role is school, monitor, county or admin");
        return;
    }
    if (!key_z85_valid(key)) {
        admin_refuse(self, &self->cur, "public_key", "not a CURVE public key (40 characters of Z85)");
        return;
    }
    if ((why = admin_key_unbindable(self, key)) != NULL) {
        snprintf(reason, sizeof reason, "key %s %s", key, why);
        admin_refuse(self, &self->cur, "public_key", reason);
        return;
    }
    if ((why = admin_key_subject(self, subject)) != NULL) {
        if (self->role == ROLE_SCHOOL || self->role == ROLE_COUNTY)
            snprintf(reason, sizeof reason, "'%.32s' %s", subject, why);
        else
            snprintf(reason, sizeof reason, "%s", why);
        admin_refuse(self, &self->cur, "subject", reason);
        return;
    }
    if (self->may_review && self->role != ROLE_MONITOR) {
        admin_refuse(self, &self->cur, "args", _("--review is a monitor key's right"));
        return;
    }
    snprintf(self->key, sizeof self->key, "%s", key);
    store_key_row row = { self->key, key_role_name((key_role)self->role), self->subject, false, self->may_review };
    store_call *call = NULL;
    char *audit = admin_audit_text(self, "set_key",
                                   json_pack("{s:s, s:s, s:s, s:b}", "public_key", self->key, "role", row.role,
                                             "subject", self->subject, "may_review", self->may_review));
    int rc = audit ? store_keys_put_send(self->db, &row, 1, audit, &call) : STORE_DOWN;
    free(audit);
    admin_send(self, rc, call, set_key_finish);
}

static void revoke_key_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    if (!answer->found) {
        admin_refuse(self, &self->cur, "public_key", "this key is not in the key registry");
        return;
    }
    const auth_key *k = auth_lookup(self->keys, self->key);
    char role[16] = "?", subject[AUTH_SUBJECT_MAX] = "?";
    if (k) {
        snprintf(role, sizeof role, "%s", key_role_name(k->role));
        snprintf(subject, sizeof subject, "%s", k->subject);
    }
    auth_revoke(self->keys, self->key);
    log_info("key %s revoked (%s %s)", self->key, role, subject);
    admin_reply_json(self, &self->cur,
                     json_pack("{s:s, s:b, s:s, s:s}", "public_key", self->key, "revoked", 1, "role", role, "subject",
                               subject));
}

/* revoke-key PUBLIC_KEY: new connections with the key are refused at the
 * handshake, and messages on connections already open are refused. */
void admin_revoke_key(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    const char *key = req->n_args == 1 ? req->args[0] : "";
    if (!key_z85_valid(key)) {
        admin_refuse(self, &self->cur, "public_key", "revoke-key needs one CURVE public key (40 characters of Z85)");
        return;
    }
    const auth_key *k = auth_lookup(self->keys, key);
    if (k && k->from_config) {
        admin_refuse(self, &self->cur, "public_key",
                     "this admin key comes from admin_public_keys: remove it from the config file and restart");
        return;
    }
    snprintf(self->key, sizeof self->key, "%s", key);
    store_call *call = NULL;
    char *audit = admin_audit_text(self, "revoke_key", json_pack("{s:s}", "public_key", self->key));
    int rc = audit ? store_key_revoke_send(self->db, self->key, audit, &call) : STORE_DOWN;
    free(audit);
    admin_send(self, rc, call, revoke_key_finish);
}

/* keys: the key registry (the table), then the admin keys of the config. */
static void list_keys_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    json_t *list = json_loads(answer->text, 0, NULL);
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
    admin_reply_json(self, &self->cur, list);
}

void admin_list_keys(admin *self)
{
    store_call *call;
    int rc = store_keys_list_send(self->db, &call);
    admin_send(self, rc, call, list_keys_finish);
}

/* One row of the key table (JSON from store_keys_list_send) into the fresh
 * registry; an admin key of the config wins over the table, as at start.
 * Returns 0, or -1 when out of memory. */
static int reload_put_row(auth *fresh, json_t *row)
{
    const char *key = json_string_value(json_object_get(row, "public_key"));
    const char *role_name = json_string_value(json_object_get(row, "role"));
    const char *subject = json_string_value(json_object_get(row, "subject"));
    int role = key_role_parse(role_name);
    const auth_key *have = key ? auth_lookup(fresh, key) : NULL;
    if (!key || !subject || role < 0) {
        log_warn("key reload: key %s skipped (role '%s')", key ? key : "?", role_name ? role_name : "?");
        return 0;
    }
    if (have && have->from_config)
        return 0;
    if (auth_put(fresh, key, (key_role)role, subject, !json_is_null(json_object_get(row, "revoked_at")), false) != 0)
        return -1;
    /* a monitor key's review right (docs/review.md) travels with it */
    return auth_set_review(fresh, key, json_is_true(json_object_get(row, "may_review")));
}

/* The key table read: a fresh registry of it and admin_public_keys,
 * synced into the one in memory. */
static void reload_keys_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    char err[1024];
    json_t *rows = json_loads(answer->text, 0, NULL);
    auth *fresh = auth_new();
    int admins = fresh ? auth_add_config_admins(fresh, self->cfg->admin_public_keys, err, sizeof err) : -1;
    int bad = !rows || !json_is_array(rows) || admins < 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        bad = bad || reload_put_row(fresh, row) != 0;
    int changes = bad ? -1 : auth_sync(self->keys, fresh);
    if (admins < 0 && fresh)
        log_error("key reload not done: %s (the keys in memory are kept)", err);
    else if (changes < 0)
        log_error("key reload not done: out of memory or an unreadable key table (the keys in memory are kept)");
    else
        log_info("keys reloaded: %d change%s; %zu school, %zu monitor, %zu county and %zu admin keys (%d from "
                 "admin_public_keys)",
                 changes, changes == 1 ? "" : "s", auth_count(self->keys, ROLE_SCHOOL),
                 auth_count(self->keys, ROLE_MONITOR), auth_count(self->keys, ROLE_COUNTY),
                 auth_count(self->keys, ROLE_ADMIN), admins);
    auth_destroy(&fresh);
    json_decref(rows);
}

void admin_reload_keys_start(admin *self)
{
    store_call *call;
    int rc = store_keys_list_send(self->db, &call);
    admin_send(self, rc, call, reload_keys_finish);
}
