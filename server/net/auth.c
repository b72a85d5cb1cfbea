/* auth.c -- the key registry in memory and the per-message checks of each
 * socket. The ZAP handler is in auth_zap.c, the publish socket's
 * subscription filter in server/publish/subscriptions.c. See auth.h. */
#include "auth.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_code.h"
#include "hashmap.h"
#include "i18n.h"
#include "log.h"
#include "config.h"
#include "net.h"
#include "submission.h"

struct auth {
    hashmap *by_key;   /* Z85 public key -> auth_key (owned) */
};

auth *auth_new(void)
{
    auth *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->by_key = hashmap_new(free);
    if (!self->by_key) {
        free(self);
        return NULL;
    }
    return self;
}

void auth_destroy(auth **p)
{
    if (!p || !*p)
        return;
    hashmap_destroy(&(*p)->by_key);
    free(*p);
    *p = NULL;
}

int auth_put(auth *self, const char *public_key, key_role role, const char *subject, bool revoked, bool from_config)
{
    auth_key *k = hashmap_get(self->by_key, public_key);
    if (!k) {
        k = calloc(1, sizeof *k);
        if (!k)
            return -1;
        snprintf(k->public_key, sizeof k->public_key, "%s", public_key);
        if (hashmap_put(self->by_key, public_key, k) != 0) {
            free(k);
            return -1;
        }
    }
    if (k->revoked)
        return 0; /* a revoked key stays revoked */
    k->role = role;
    snprintf(k->subject, sizeof k->subject, "%s", subject);
    k->revoked = revoked;
    k->from_config = from_config;
    return 0;
}

int auth_revoke(auth *self, const char *public_key)
{
    auth_key *k = hashmap_get(self->by_key, public_key);
    if (!k)
        return -1;
    k->revoked = true;
    return 0;
}

int auth_set_review(auth *self, const char *public_key, bool may_review)
{
    auth_key *k = hashmap_get(self->by_key, public_key);
    if (!k)
        return -1;
    k->may_review = may_review;
    return 0;
}

const auth_key *auth_lookup(const auth *self, const char *public_key)
{
    return public_key && *public_key ? hashmap_get(self->by_key, public_key) : NULL;
}

/* auth_sync's walks: the registries, the changes counted, keys to remove,
 * and whether memory ran out. */
typedef struct {
    auth *self;
    const auth *from;
    int changes;
    char (*gone)[KEY_Z85_LEN + 1];
    size_t n_gone, cap_gone;
    bool oom;
} sync_ctx;

/* hashmap_foreach callback: one key of from into self (added or changed). */
static void sync_copy(void *arg, const char *key, void *value)
{
    sync_ctx *c = arg;
    const auth_key *want = value;
    auth_key *have = hashmap_get(c->self->by_key, key);
    if (!have) {
        have = calloc(1, sizeof *have);
        if (!have || hashmap_put(c->self->by_key, key, have) != 0) {
            free(have);
            c->oom = true;
            return;
        }
    } else if (have->role == want->role && have->revoked == want->revoked &&
               have->from_config == want->from_config && have->may_review == want->may_review &&
               strcmp(have->subject, want->subject) == 0) {
        return;
    }
    *have = *want;
    c->changes++;
}

/* hashmap_foreach callback: notes a key of self that from lacks. */
static void sync_note_gone(void *arg, const char *key, void *value)
{
    (void)value;
    sync_ctx *c = arg;
    if (c->oom || hashmap_contains(c->from->by_key, key))
        return;
    if (c->n_gone == c->cap_gone) {
        size_t cap = c->cap_gone ? c->cap_gone * 2 : 16;
        void *grown = realloc(c->gone, cap * sizeof c->gone[0]);
        if (!grown) {
            c->oom = true;
            return;
        }
        c->gone = grown;
        c->cap_gone = cap;
    }
    snprintf(c->gone[c->n_gone++], KEY_Z85_LEN + 1, "%s", key);
}

int auth_sync(auth *self, const auth *from)
{
    sync_ctx c = { self, from, 0, NULL, 0, 0, false };
    hashmap_foreach(from->by_key, sync_copy, &c);
    if (!c.oom)
        hashmap_foreach(self->by_key, sync_note_gone, &c);
    for (size_t i = 0; !c.oom && i < c.n_gone; i++)
        if (hashmap_remove(self->by_key, c.gone[i]) == 1)
            c.changes++;
    free(c.gone);
    return c.oom ? -1 : c.changes;
}

typedef struct {
    key_role role;
    size_t n;
} count_ctx;

/* hashmap_foreach callback: counts one unrevoked key of the role asked. */
static void count_one(void *arg, const char *key, void *value)
{
    (void)key;
    count_ctx *c = arg;
    const auth_key *k = value;
    if (k->role == c->role && !k->revoked)
        c->n++;
}

size_t auth_count(const auth *self, key_role role)
{
    count_ctx c = { role, 0 };
    hashmap_foreach(self->by_key, count_one, &c);
    return c.n;
}

static const char *const ROLE_NAMES[] = { N_("none"), N_("school"), N_("monitor"), N_("admin"), N_("county") };

const char *key_role_name(key_role role)
{
    return (unsigned)role < sizeof ROLE_NAMES / sizeof ROLE_NAMES[0] ? ROLE_NAMES[role] : "none";
}

int key_role_parse(const char *name)
{
    for (int r = ROLE_SCHOOL; r <= ROLE_COUNTY; r++)
        if (name && strcmp(name, ROLE_NAMES[r]) == 0)
            return r;
    return -1;
}

int auth_scope_normalize(const char *code, char out[7])
{
    admin_code c;
    if (admin_code_parse(code, &c) != 0)
        return -1;
    memcpy(out, c.prefix, sizeof c.prefix);
    return 0;
}

int auth_add_config_admins(auth *self, const char *list, char *err, size_t errlen)
{
    char buf[CONFIG_STR];
    snprintf(buf, sizeof buf, "%s", list);
    int added = 0;
    char *save = NULL;
    for (char *item = strtok_r(buf, " \t,", &save); item; item = strtok_r(NULL, " \t,", &save)) {
        keypair kp;
        char subject[AUTH_SUBJECT_MAX];
        if (key_z85_valid(item)) {
            memset(&kp, 0, sizeof kp);
            memcpy(kp.public_key, item, KEY_Z85_LEN + 1);
            snprintf(subject, sizeof subject, "config");
        } else {
            char inner[600];
            if (keyfile_read(item, false, &kp, inner, sizeof inner) != 0) {
                snprintf(err, errlen, "admin_public_keys: '%.80s' is neither a Z85 key nor a readable key file (%s)",
                         item, inner);
                return -1;
            }
            snprintf(subject, sizeof subject, "config:%.40s", kp.name[0] ? kp.name : "admin");
        }
        key_wipe(kp.secret_key, sizeof kp.secret_key); /* never kept: the daemon needs public halves only */
        if (auth_put(self, kp.public_key, ROLE_ADMIN, subject, false, true) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        added++;
    }
    return added;
}

/* The identity every peer has over plaintext (allow_plaintext yes). */
static const auth_key PLAINTEXT_PEER = { "", ROLE_ADMIN, "plaintext", false, true };

/* The connection's own identity: its key, or the plaintext peer. */
static const auth_key *auth_connection(const auth_policy *policy, const peer_address *peer, char *why,
                                       size_t whylen)
{
    if (policy->plaintext)
        return &PLAINTEXT_PEER;
    const auth_key *k = auth_lookup(policy->keys, peer->user_id);
    if (!peer->user_id[0])
        snprintf(why, whylen, _("the connection has no authenticated key"));
    else if (!k)
        snprintf(why, whylen, _("key %s is not registered"), peer->user_id);
    else if (k->revoked)
        snprintf(why, whylen, _("key %s was revoked"), peer->user_id);
    else
        return k;
    return NULL;
}

/* Why a session token is refused. */
#define SESSION_ENDED_TEXT "the session has ended (expired, logged out, or the user locked): log in again"

const auth_key *auth_peer(const auth_policy *policy, const peer_address *peer, char *why, size_t whylen)
{
    const auth_key *k = auth_connection(policy, peer, why, whylen);
    if (!k || !peer->session[0])
        return k;
    const session *s = policy->sessions ? sessions_use(policy->sessions, peer->session, net_now_ms()) : NULL;
    if (!s) {
        snprintf(why, whylen, "%s", SESSION_ENDED_TEXT);
        return NULL;
    }
    return &s->key;
}

bool auth_peer_session(const auth_policy *policy, peer_address *peer, const char *token, char *why, size_t whylen)
{
    peer->session[0] = peer->user[0] = '\0';
    if (!token || !*token)
        return true;
    const session *s = policy->sessions ? sessions_use(policy->sessions, token, net_now_ms()) : NULL;
    if (!s) {
        snprintf(why, whylen, "%s", SESSION_ENDED_TEXT);
        return false;
    }
    snprintf(peer->session, sizeof peer->session, "%s", s->token);
    snprintf(peer->user, sizeof peer->user, "%s", s->user);
    return true;
}

bool auth_may_submit(const auth_policy *policy, const peer_address *peer, const char *school_code,
                     const char *school_county, const char **reason, char *why, size_t whylen)
{
    const auth_key *k = auth_peer(policy, peer, why, whylen);
    const char *code = school_code && *school_code ? school_code : "(none)";
    if (!k) {
        *reason = "unauthorised key";
        return false;
    }
    switch (k->role) {
    case ROLE_ADMIN:
        return true;
    case ROLE_SCHOOL:
        if (school_code && strcmp(school_code, k->subject) == 0)
            return true;
        snprintf(why, whylen, _("this key belongs to school %s; it cannot submit for school %.32s"), k->subject, code);
        *reason = "wrong school";
        return false;
    case ROLE_COUNTY:
        if (school_county && strcmp(school_county, k->subject) == 0)
            return true;
        snprintf(why, whylen, _("this key belongs to county %s; school %.32s is not registered in it"), k->subject,
                 code);
        *reason = "other county";
        return false;
    default:
        snprintf(why, whylen, _("this is a %s key (%s); only a school's own key submits for school %.32s"),
                 _(key_role_name(k->role)), k->subject, code);
        *reason = "not a school key";
        return false;
    }
}

bool auth_may_send_county_inputs(const auth_policy *policy, const peer_address *peer, const char *county_code,
                                 const char **reason, char *why, size_t whylen)
{
    const auth_key *k = auth_peer(policy, peer, why, whylen);
    const char *code = county_code && *county_code ? county_code : "(none)";
    if (!k) {
        *reason = "unauthorised key";
        return false;
    }
    if (k->role == ROLE_ADMIN)
        return true;
    if (k->role == ROLE_COUNTY) {
        if (county_code && strcmp(county_code, k->subject) == 0)
            return true;
        snprintf(why, whylen, _("this key belongs to county %s; it cannot send the inputs of county %.16s"), k->subject,
                 code);
        *reason = "other county";
        return false;
    }
    snprintf(why, whylen, _("this is a %s key (%s); only a county's own key sends the inputs of county %.16s"),
             _(key_role_name(k->role)), k->subject, code);
    *reason = "not a county key";
    return false;
}

/* The code prefix a status query covers: "" for everything, a province,
 * city or county code as its prefix (admin_code.h, as snapshot.c reads it),
 * anything else as given. */
static void query_prefix(const char *code, char *out, size_t size)
{
    admin_code c;
    if (!code || *code == '\0' || strcmp(code, "all") == 0)
        out[0] = '\0';
    else if (admin_code_parse(code, &c) == 0)
        snprintf(out, size, "%s", c.prefix);
    else
        snprintf(out, size, "%s", code);
}

bool auth_may_query(const auth_policy *policy, const peer_address *peer, const char *code, char *why, size_t whylen)
{
    const auth_key *k = auth_peer(policy, peer, why, whylen);
    if (!k)
        return false;
    if (k->role == ROLE_ADMIN)
        return true;
    if (k->role != ROLE_MONITOR && k->role != ROLE_COUNTY) {
        snprintf(why, whylen, _("this is a %s key (%s); county statuses are read with a monitor, county or admin key"),
                 _(key_role_name(k->role)), k->subject);
        return false;
    }
    char q[64];
    query_prefix(code, q, sizeof q);
    size_t n = strlen(k->subject);
    if (strncmp(q, k->subject, n) == 0)
        return true;
    snprintf(why, whylen, _("this %s key's scope is %s; '%.16s' is outside it"), _(key_role_name(k->role)), k->subject,
             code && *code ? code : "all");
    return false;
}

bool auth_may_query_school(const auth_policy *policy, const peer_address *peer, const char *school_code,
                           const char *school_county, char *why, size_t whylen)
{
    const auth_key *k = auth_peer(policy, peer, why, whylen);
    if (!k)
        return false;
    if (k->role == ROLE_ADMIN)
        return true;
    if (k->role == ROLE_SCHOOL) {
        if (strcmp(k->subject, school_code) == 0)
            return true;
        snprintf(why, whylen, _("this school key (%s) reads its own school only, not school %.16s"), k->subject,
                 school_code);
        return false;
    }
    if (!school_county || strncmp(school_county, k->subject, strlen(k->subject)) == 0)
        return true;
    snprintf(why, whylen, _("school %.16s is in county %s, outside this %s key's scope %s"), school_code,
             school_county, key_role_name(k->role), k->subject);
    return false;
}

bool auth_may_admin(const auth_policy *policy, const peer_address *peer, char *why, size_t whylen)
{
    const auth_key *k = auth_peer(policy, peer, why, whylen);
    if (!k)
        return false;
    if (k->role == ROLE_ADMIN)
        return true;
    snprintf(why, whylen, _("this is a %s key (%s); admin requests need an admin key"), _(key_role_name(k->role)),
             k->subject);
    return false;
}

/* The Chinese name of a role. */
static const char *role_zh(key_role role)
{
    switch (role) {
    case ROLE_SCHOOL:
        return "学校";
    case ROLE_MONITOR:
        return "监测";
    case ROLE_ADMIN:
        return "管理员";
    case ROLE_COUNTY:
        return "县级";
    default:
        return "未知";
    }
}

/* Whether key k holds the right about county_code / school_code; when not,
 * why_en and why_zh (static text) say what it lacks. */
static bool review_right_held(const auth_key *k, review_right right, const char *county_code,
                              const char *school_code, const char **why_en, const char **why_zh)
{
    const char *county = county_code ? county_code : "";
    if (k->role == ROLE_ADMIN)
        return true;
    if (right == REVIEW_RIGHT_ADMIN) {
        *why_en = "only an admin key may";
        *why_zh = "仅管理员密钥可以";
    } else if (k->role == ROLE_SCHOOL) {
        if (right == REVIEW_RIGHT_READ && school_code && strcmp(school_code, k->subject) == 0)
            return true;
        *why_en = right == REVIEW_RIGHT_READ ? "a school key sees its own school's submissions only"
                                             : "a school key cannot review";
        *why_zh = right == REVIEW_RIGHT_READ ? "学校密钥只能查看本校的填报" : "学校密钥不能审核";
    } else if (k->role == ROLE_COUNTY) {
        if (right != REVIEW_RIGHT_CITY && *county && strcmp(county, k->subject) == 0)
            return true;
        *why_en = right == REVIEW_RIGHT_CITY ? "the city's review is done with a monitor key with the review right"
                                             : "a county key acts for its own county only";
        *why_zh = right == REVIEW_RIGHT_CITY ? "市级复核须使用有复核权的监测密钥" : "县级密钥只能操作本县区";
    } else if (k->role == ROLE_MONITOR) {
        bool in_scope = strncmp(county, k->subject, strlen(k->subject)) == 0;
        if (right == REVIEW_RIGHT_READ && in_scope)
            return true;
        if (right == REVIEW_RIGHT_CITY && in_scope && k->may_review)
            return true;
        *why_en = right == REVIEW_RIGHT_COUNTY ? "this is the county's own step"
                  : !in_scope                   ? "it is outside the key's scope"
                                                : "the key has no review right (admin set-key ... --review)";
        *why_zh = right == REVIEW_RIGHT_COUNTY ? "这是县级的审核步骤"
                  : !in_scope                   ? "超出该密钥的范围"
                                                : "该密钥没有复核权";
    } else {
        *why_en = "this key has no role";
        *why_zh = "该密钥没有角色";
    }
    return false;
}

bool auth_may_review(const auth_policy *policy, const peer_address *peer, review_right right,
                     const char *county_code, const char *school_code, const char *asked, const char *asked_zh,
                     const auth_key **k, char *why, size_t whylen)
{
    *k = auth_peer(policy, peer, why, whylen);
    if (!*k)
        return false;
    const char *why_en = "", *why_zh = "";
    if (review_right_held(*k, right, county_code, school_code, &why_en, &why_zh))
        return true;
    /* the reader's language (TRANSLATORS: "en" names the catalogue's language, see county_inputs_rows.c) */
    if (strcmp(_("en"), "zh_CN") == 0)
        snprintf(why, whylen, "%s密钥（%s）无权%s：%s", role_zh((*k)->role), (*k)->subject, asked_zh, why_zh);
    else
        snprintf(why, whylen, "this %s key (%s) may not %s: %s", key_role_name((*k)->role), (*k)->subject, asked,
                 why_en);
    return false;
}
