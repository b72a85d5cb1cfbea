/* test_auth_scope.c -- the daemon's monitor-scope logic through its public
 * headers (net.h for the key registry and the per-message policy, library
 * junheng_net; publish.h for the publish socket's subscription filter,
 * library junheng_publish): what a school, monitor (province, city, county
 * scope) and admin key may submit, read and administer, codes inside and
 * outside each scope, revoked and unknown keys, plaintext mode, and what a
 * subscription becomes for each key. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "publish.h"
#include "i18n_init.h"

/* 40-character stand-ins for Z85 public keys (the registry does not decode them). */
#define K_SCHOOL   "school-key-00000000000000000000000000001"
#define K_PROVINCE "monitor-province-00000000000000000000037"
#define K_CITY     "monitor-city-000000000000000000000003714"
#define K_COUNTY   "monitor-county-0000000000000000000371402"
#define K_ADMIN    "admin-key-000000000000000000000000000001"
#define K_REVOKED  "revoked-monitor-000000000000000000000037"
#define K_UNKNOWN  "unknown-key-0000000000000000000000000001"
#define K_BUREAU   "county-bureau-00000000000000000000371424"

static auth *KEYS;
static auth_policy POLICY;

static void setup(void)
{
    KEYS = auth_new();
    cr_assert_not_null(KEYS);
    cr_assert_eq(auth_put(KEYS, K_SCHOOL, ROLE_SCHOOL, "3714020001", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_PROVINCE, ROLE_MONITOR, "37", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_CITY, ROLE_MONITOR, "3714", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_COUNTY, ROLE_MONITOR, "371402", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_ADMIN, ROLE_ADMIN, "alice", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_BUREAU, ROLE_COUNTY, "371424", false, false), 0);
    cr_assert_eq(auth_put(KEYS, K_REVOKED, ROLE_MONITOR, "37", false, false), 0);
    cr_assert_eq(auth_revoke(KEYS, K_REVOKED), 0);
    POLICY.keys = KEYS;
    POLICY.plaintext = false;
}

static void teardown(void)
{
    auth_destroy(&KEYS);
    cr_assert_null(KEYS);
}

TestSuite(auth_scope, .init = setup, .fini = teardown);

/* A peer whose connection was admitted with `key` ("" for none). */
static peer_address peer_of(const char *key)
{
    peer_address p;
    memset(&p, 0, sizeof p);
    snprintf(p.user_id, sizeof p.user_id, "%s", key);
    return p;
}

static bool may_query(const char *key, const char *code)
{
    peer_address p = peer_of(key);
    char why[256] = "";
    bool ok = auth_may_query(&POLICY, &p, code, why, sizeof why);
    cr_assert(ok || why[0], "a refusal says why (%s, %s)", key, code);
    return ok;
}

/* The registry's county of a school: here, as in the demo registry, the
 * first six digits of its code. */
static bool may_submit(const char *key, const char *school, const char **reason)
{
    peer_address p = peer_of(key);
    char why[256] = "", county[7] = "";
    snprintf(county, sizeof county, "%.6s", school);
    *reason = NULL;
    bool ok = auth_may_submit(&POLICY, &p, school, county, reason, why, sizeof why);
    cr_assert(ok || (why[0] && *reason), "a refusal says why (%s, %s)", key, school);
    return ok;
}

static bool may_admin(const char *key)
{
    peer_address p = peer_of(key);
    char why[256] = "";
    return auth_may_admin(&POLICY, &p, why, sizeof why);
}

Test(auth_scope, province_monitor_reads_its_province_only)
{
    cr_assert(may_query(K_PROVINCE, "371402"));
    cr_assert(may_query(K_PROVINCE, "371400"), "a city inside");
    cr_assert(may_query(K_PROVINCE, "3714"));
    cr_assert(may_query(K_PROVINCE, "370000"), "the province itself");
    cr_assert(may_query(K_PROVINCE, "37"));
    cr_assert_not(may_query(K_PROVINCE, "440106"), "a county of another province");
    cr_assert_not(may_query(K_PROVINCE, "440000"));
    cr_assert_not(may_query(K_PROVINCE, ""), "everything is wider than a province");
    cr_assert_not(may_query(K_PROVINCE, "all"));
}

Test(auth_scope, city_monitor_reads_its_city_only)
{
    cr_assert(may_query(K_CITY, "371402"));
    cr_assert(may_query(K_CITY, "371428"));
    cr_assert(may_query(K_CITY, "371400"), "the city itself");
    cr_assert(may_query(K_CITY, "3714"));
    cr_assert_not(may_query(K_CITY, "371502"), "a county of the next city");
    cr_assert_not(may_query(K_CITY, "371500"));
    cr_assert_not(may_query(K_CITY, "370000"), "the whole province is wider");
    cr_assert_not(may_query(K_CITY, "37"));
    cr_assert_not(may_query(K_CITY, "all"));
}

Test(auth_scope, county_monitor_reads_its_county_only)
{
    cr_assert(may_query(K_COUNTY, "371402"));
    cr_assert_not(may_query(K_COUNTY, "371403"), "the next county");
    cr_assert_not(may_query(K_COUNTY, "371400"), "its city is wider");
    cr_assert_not(may_query(K_COUNTY, "3714"));
    cr_assert_not(may_query(K_COUNTY, ""));
}

Test(auth_scope, monitors_neither_submit_nor_administer)
{
    const char *reason;
    cr_assert_not(may_submit(K_COUNTY, "3714020001", &reason));
    cr_assert_str_eq(reason, "not a school key");
    cr_assert_not(may_submit(K_PROVINCE, "3714020001", &reason));
    cr_assert_not(may_admin(K_PROVINCE));
    cr_assert_not(may_admin(K_CITY));
}

Test(auth_scope, school_key_submits_for_its_school_only)
{
    const char *reason;
    cr_assert(may_submit(K_SCHOOL, "3714020001", &reason));
    cr_assert_not(may_submit(K_SCHOOL, "3714020002", &reason));
    cr_assert_str_eq(reason, "wrong school");
    cr_assert_not(may_submit(K_SCHOOL, "", &reason));
    cr_assert_not(may_query(K_SCHOOL, "371402"), "a school key reads no statuses");
    cr_assert_not(may_admin(K_SCHOOL));
}

Test(auth_scope, admin_key_does_everything)
{
    const char *reason;
    cr_assert(may_submit(K_ADMIN, "3714020001", &reason));
    cr_assert(may_submit(K_ADMIN, "4401060001", &reason));
    cr_assert(may_query(K_ADMIN, "440106"));
    cr_assert(may_query(K_ADMIN, ""));
    cr_assert(may_query(K_ADMIN, "all"));
    cr_assert(may_admin(K_ADMIN));
}

Test(auth_scope, revoked_unknown_and_missing_keys_may_nothing)
{
    const char *reason;
    peer_address p = peer_of(K_REVOKED);
    char why[256] = "";
    cr_assert_null(auth_peer(&POLICY, &p, why, sizeof why));
    cr_assert_not_null(strstr(why, "revoked"), "%s", why);
    cr_assert_not(may_query(K_REVOKED, "371402"), "revoked, though inside its old scope");
    cr_assert_not(may_submit(K_REVOKED, "3714020001", &reason));
    cr_assert_str_eq(reason, "unauthorised key");
    cr_assert_not(may_admin(K_REVOKED));

    p = peer_of(K_UNKNOWN);
    cr_assert_null(auth_peer(&POLICY, &p, why, sizeof why));
    cr_assert_not_null(strstr(why, "not registered"), "%s", why);
    cr_assert_not(may_query(K_UNKNOWN, "371402"));
    cr_assert_not(may_admin(K_UNKNOWN));

    p = peer_of("");
    cr_assert_null(auth_peer(&POLICY, &p, why, sizeof why));
    cr_assert_not_null(strstr(why, "no authenticated key"), "%s", why);
    cr_assert_not(may_query("", "371402"));
}

Test(auth_scope, a_revoked_key_stays_revoked)
{
    cr_assert_eq(auth_put(KEYS, K_REVOKED, ROLE_ADMIN, "mallory", false, false), 0);
    const auth_key *k = auth_lookup(KEYS, K_REVOKED);
    cr_assert_not_null(k);
    cr_assert(k->revoked);
    cr_assert_eq(k->role, ROLE_MONITOR, "the binding of a revoked key is not changed");
    cr_assert_not(may_admin(K_REVOKED));
    cr_assert_eq(auth_revoke(KEYS, K_UNKNOWN), -1);
    cr_assert_eq(auth_count(KEYS, ROLE_MONITOR), 3, "revoked keys are not counted");
    cr_assert_eq(auth_count(KEYS, ROLE_SCHOOL), 1);
    cr_assert_eq(auth_count(KEYS, ROLE_ADMIN), 1);
}

Test(auth_scope, plaintext_gives_every_peer_every_right)
{
    const char *reason;
    POLICY.plaintext = true;
    cr_assert(may_submit("", "3714020001", &reason));
    cr_assert(may_query("", "440106"));
    cr_assert(may_query("", "all"));
    cr_assert(may_admin(""));
    cr_assert(may_admin(K_REVOKED), "plaintext has no identities to revoke");
}

Test(auth_scope, scopes_normalise_to_their_prefix)
{
    char out[7];
    cr_assert_eq(auth_scope_normalize("370000", out), 0);
    cr_assert_str_eq(out, "37");
    cr_assert_eq(auth_scope_normalize("37", out), 0);
    cr_assert_str_eq(out, "37");
    cr_assert_eq(auth_scope_normalize("371400", out), 0);
    cr_assert_str_eq(out, "3714");
    cr_assert_eq(auth_scope_normalize("371402", out), 0);
    cr_assert_str_eq(out, "371402");
    cr_assert_eq(auth_scope_normalize("371", out), -1);
    cr_assert_eq(auth_scope_normalize("37140x", out), -1);
    cr_assert_eq(auth_scope_normalize("", out), -1);
}

Test(auth_scope, role_names_round_trip)
{
    for (int r = ROLE_SCHOOL; r <= ROLE_ADMIN; r++)
        cr_assert_eq(key_role_parse(key_role_name((key_role)r)), r);
    cr_assert_eq(key_role_parse("root"), -1);
    cr_assert_eq(key_role_parse(NULL), -1);
    cr_assert_str_eq(key_role_name(ROLE_NONE), "none");
}

Test(auth_scope, config_admin_keys)
{
    char err[256] = "";
    const char *a = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    const char *b = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    char list[128];
    snprintf(list, sizeof list, "%s, %s", a, b);
    cr_assert_eq(auth_add_config_admins(KEYS, list, err, sizeof err), 2, "%s", err);
    const auth_key *k = auth_lookup(KEYS, a);
    cr_assert_not_null(k);
    cr_assert_eq(k->role, ROLE_ADMIN);
    cr_assert(k->from_config);
    cr_assert(may_admin(b));
    cr_assert_eq(auth_add_config_admins(KEYS, "/nonexistent/alice.key", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "admin_public_keys"), "%s", err);
    cr_assert_eq(auth_add_config_admins(KEYS, "", err, sizeof err), 0);
}

/* What a subscription to `topic` by `key` (NULL: no usable key) becomes:
 * the topic applied, or "-" when refused. */
static const char *subscribed(const char *key, const char *topic)
{
    static char out[64];
    const auth_key *k = NULL;
    if (key) {
        peer_address p = peer_of(key);
        char why[256];
        k = auth_peer(&POLICY, &p, why, sizeof why);
    }
    const char *applied;
    size_t len;
    if (!publish_allowed_topic(k, topic, strlen(topic), &applied, &len))
        return "-";
    snprintf(out, sizeof out, "%.*s", (int)len, applied);
    return out;
}

Test(auth_scope, subscriptions_narrowed_to_the_scope)
{
    cr_assert_str_eq(subscribed(K_CITY, "371402"), "371402", "inside");
    cr_assert_str_eq(subscribed(K_CITY, "3714"), "3714");
    cr_assert_str_eq(subscribed(K_CITY, ""), "3714", "everything, narrowed to the city");
    cr_assert_str_eq(subscribed(K_CITY, "37"), "3714", "the province, narrowed");
    cr_assert_str_eq(subscribed(K_CITY, "371"), "3714");
    cr_assert_str_eq(subscribed(K_CITY, "3715"), "-", "the next city");
    cr_assert_str_eq(subscribed(K_CITY, "371502"), "-");
    cr_assert_str_eq(subscribed(K_PROVINCE, "440106"), "-");
    cr_assert_str_eq(subscribed(K_PROVINCE, ""), "37");
    cr_assert_str_eq(subscribed(K_PROVINCE, "371402"), "371402");
}

Test(auth_scope, county_monitor_gets_its_city_heartbeat_only)
{
    cr_assert_str_eq(subscribed(K_COUNTY, "371402"), "371402");
    cr_assert_str_eq(subscribed(K_COUNTY, ""), "371402");
    cr_assert_str_eq(subscribed(K_COUNTY, "371400"), "371400", "its own city's heartbeat topic");
    cr_assert_str_eq(subscribed(K_COUNTY, "371500"), "-", "another city's heartbeat");
    cr_assert_str_eq(subscribed(K_COUNTY, "371403"), "-");
}

Test(auth_scope, subscriptions_of_other_keys)
{
    cr_assert_str_eq(subscribed(K_ADMIN, ""), "", "admins as asked");
    cr_assert_str_eq(subscribed(K_ADMIN, "440106"), "440106");
    cr_assert_str_eq(subscribed(K_SCHOOL, "371402"), "-", "school keys read no statuses");
    cr_assert_str_eq(subscribed(K_SCHOOL, ""), "-");
    cr_assert_str_eq(subscribed(K_REVOKED, "371402"), "-");
    cr_assert_str_eq(subscribed(K_UNKNOWN, ""), "-");
    cr_assert_str_eq(subscribed(NULL, "HB"), "HB", "non-county topics are for every key");
    cr_assert_str_eq(subscribed(K_SCHOOL, "hb"), "hb");
    POLICY.plaintext = true;
    cr_assert_str_eq(subscribed("", ""), "", "plaintext: everything");
}

/* A county bureau's key: its own county's inputs and schools, and reads of
 * its own county; nothing outside it, no admin commands. */
Test(auth_scope, county_key)
{
    const char *reason = NULL;
    char why[256] = "";
    peer_address p = peer_of(K_BUREAU);
    cr_assert(may_submit(K_BUREAU, "3714240007", &reason));
    cr_assert_not(may_submit(K_BUREAU, "3714020001", &reason));
    cr_assert_not_null(reason);
    cr_assert(auth_may_send_county_inputs(&POLICY, &p, "371424", &reason, why, sizeof why));
    reason = NULL;
    cr_assert_not(auth_may_send_county_inputs(&POLICY, &p, "371402", &reason, why, sizeof why));
    cr_assert(reason && why[0], "a refusal says why");
    cr_assert(may_query(K_BUREAU, "371424"));
    cr_assert_not(may_query(K_BUREAU, "371402"));
    cr_assert_not(may_query(K_BUREAU, "3714"));
    cr_assert_not(may_admin(K_BUREAU));
    peer_address s = peer_of(K_SCHOOL);
    cr_assert_not(auth_may_send_county_inputs(&POLICY, &s, "371402", &reason, why, sizeof why));
}

/* Whether key may do right about county (and school), auth_may_review. */
static bool may_review(const char *key, review_right right, const char *county, const char *school, char *why)
{
    peer_address p = peer_of(key);
    const auth_key *k;
    return auth_may_review(&POLICY, &p, right, county, school, "approve revision 7", "审核通过修订7", &k, why, 640);
}

Test(auth_scope, review_rights_by_role_and_scope)
{
    char why[640];
    /* the county's own steps: its own county only */
    cr_assert(may_review(K_BUREAU, REVIEW_RIGHT_COUNTY, "371424", NULL, why));
    cr_assert_not(may_review(K_BUREAU, REVIEW_RIGHT_COUNTY, "371402", NULL, why));
    cr_assert(strstr(why, "this county key (371424) may not approve revision 7") == why, "%s", why);
    /* for a reader of Chinese, the Chinese alone */
    cr_assert_eq(i18n_bind(JUNHENG_TEST_LOCALEDIR), 0);
    locale_t prev = i18n_use("zh_CN");
    cr_assert_neq(prev, (locale_t)0, "the zh_CN.UTF-8 locale (deploy/install-deps.sh)");
    cr_assert_not(may_review(K_BUREAU, REVIEW_RIGHT_COUNTY, "371402", NULL, why));
    i18n_restore(prev);
    cr_assert(strstr(why, "县级密钥（371424）无权审核通过修订7") == why, "%s", why);
    cr_assert_null(strstr(why, "may not"), "%s", why);
    cr_assert_not(may_review(K_BUREAU, REVIEW_RIGHT_CITY, "371424", NULL, why), "a county is not the city");
    /* a school never reviews; it reads its own school */
    cr_assert_not(may_review(K_SCHOOL, REVIEW_RIGHT_COUNTY, "371402", NULL, why));
    cr_assert(strstr(why, "a school key cannot review") != NULL, "%s", why);
    cr_assert(may_review(K_SCHOOL, REVIEW_RIGHT_READ, "371402", "3714020001", why));
    cr_assert_not(may_review(K_SCHOOL, REVIEW_RIGHT_READ, "371402", "3714020002", why));
    /* a monitor reads its scope; reviews it only with the right */
    cr_assert(may_review(K_CITY, REVIEW_RIGHT_READ, "371424", NULL, why));
    cr_assert_not(may_review(K_CITY, REVIEW_RIGHT_CITY, "371424", NULL, why));
    cr_assert(strstr(why, "no review right") != NULL, "%s", why);
    cr_assert_eq(auth_set_review(KEYS, K_CITY, true), 0);
    cr_assert(may_review(K_CITY, REVIEW_RIGHT_CITY, "371424", NULL, why));
    cr_assert_not(may_review(K_CITY, REVIEW_RIGHT_CITY, "370102", NULL, why), "outside its scope");
    cr_assert_not(may_review(K_CITY, REVIEW_RIGHT_COUNTY, "371424", NULL, why), "the county's own step");
    cr_assert_not(may_review(K_CITY, REVIEW_RIGHT_ADMIN, "371424", NULL, why));
    /* admin: everything; unknown and revoked keys: nothing */
    cr_assert(may_review(K_ADMIN, REVIEW_RIGHT_ADMIN, NULL, NULL, why));
    cr_assert(may_review(K_ADMIN, REVIEW_RIGHT_COUNTY, "371424", NULL, why));
    cr_assert_not(may_review(K_UNKNOWN, REVIEW_RIGHT_READ, "371424", NULL, why));
    cr_assert_not(may_review(K_REVOKED, REVIEW_RIGHT_READ, "371424", NULL, why));
    cr_assert_eq(auth_set_review(KEYS, K_UNKNOWN, true), -1);
}

/* Reads a school's own result (status --school); its county is the first six digits of its code. */
static bool may_query_school(const char *key, const char *school)
{
    peer_address p = peer_of(key);
    char why[256] = "", county[7] = "";
    snprintf(county, sizeof county, "%.6s", school);
    bool ok = auth_may_query_school(&POLICY, &p, school, county, why, sizeof why);
    cr_assert(ok || why[0], "a refusal says why (%s, %s)", key, school);
    /* a refusal for scope (a known, unrevoked key) names the school asked for */
    bool known = auth_lookup(KEYS, key) && !auth_lookup(KEYS, key)->revoked;
    cr_assert(ok || !known || strstr(why, school), "the refusal names %s: %s", school, why);
    return ok;
}

Test(auth_scope, school_results_by_role_and_scope)
{
    cr_assert(may_query_school(K_SCHOOL, "3714020001"));
    cr_assert_not(may_query_school(K_SCHOOL, "3714020002"), "a school reads its own school only");
    cr_assert_not(may_query_school(K_SCHOOL, "3714240001"), "nor a school of another county");
    cr_assert(may_query_school(K_BUREAU, "3714240001"), "a county key reads its county's schools");
    cr_assert_not(may_query_school(K_BUREAU, "3714020001"), "but not another county's");
    cr_assert(may_query_school(K_CITY, "3714240001"));
    cr_assert_not(may_query_school(K_CITY, "3715010001"), "a monitor reads inside its scope");
    cr_assert(may_query_school(K_COUNTY, "3714020002"));
    cr_assert_not(may_query_school(K_COUNTY, "3714240001"));
    cr_assert(may_query_school(K_ADMIN, "3715010001"), "an admin reads any school");
    cr_assert_not(may_query_school(K_REVOKED, "3714020001"));
    cr_assert_not(may_query_school(K_UNKNOWN, "3714020001"));
}
