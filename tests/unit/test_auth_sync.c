/* test_auth_sync.c -- SIGHUP's key reload in memory (auth_sync, net.h,
 * library junheng_net): the registry made to match a fresh one -- keys added,
 * rebound, revoked, un-configured and removed, each counted once; nothing
 * counted when nothing changed; a removed key is unknown to the policy. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "net.h"

/* 40-character stand-ins for Z85 public keys (the registry does not decode them). */
#define K_A "key-a-0000000000000000000000000000000001"
#define K_B "key-b-0000000000000000000000000000000002"
#define K_C "key-c-0000000000000000000000000000000003"
#define K_D "key-d-0000000000000000000000000000000004"

Test(auth_sync, adds_changes_and_removes)
{
    auth *have = auth_new(), *fresh = auth_new();
    cr_assert(have && fresh);
    cr_assert_eq(auth_put(have, K_A, ROLE_SCHOOL, "3714020001", false, false), 0);
    cr_assert_eq(auth_put(have, K_B, ROLE_MONITOR, "3714", false, false), 0);
    cr_assert_eq(auth_put(have, K_C, ROLE_ADMIN, "config:old", false, true), 0);
    /* fresh: A unchanged, B rebound, C gone, D new and revoked */
    cr_assert_eq(auth_put(fresh, K_A, ROLE_SCHOOL, "3714020001", false, false), 0);
    cr_assert_eq(auth_put(fresh, K_B, ROLE_MONITOR, "37", false, false), 0);
    cr_assert_eq(auth_put(fresh, K_D, ROLE_COUNTY, "371402", true, false), 0);
    cr_assert_eq(auth_sync(have, fresh), 3, "B rebound, C removed, D added");
    cr_assert_str_eq(auth_lookup(have, K_B)->subject, "37");
    cr_assert_null(auth_lookup(have, K_C), "a key the fresh registry lacks is removed");
    cr_assert(auth_lookup(have, K_D)->revoked);
    cr_assert_eq(auth_count(have, ROLE_ADMIN), 0);
    cr_assert_eq(auth_count(have, ROLE_MONITOR), 1);
    cr_assert_eq(auth_sync(have, fresh), 0, "nothing changes the second time");
    auth_destroy(&have);
    auth_destroy(&fresh);
}

Test(auth_sync, revocation_and_config_flag_are_synced)
{
    auth *have = auth_new(), *fresh = auth_new();
    cr_assert(have && fresh);
    cr_assert_eq(auth_put(have, K_A, ROLE_ADMIN, "alice", false, true), 0);
    cr_assert_eq(auth_put(have, K_B, ROLE_SCHOOL, "3714020001", false, false), 0);
    /* A left the config but is in the table; B was revoked in the table */
    cr_assert_eq(auth_put(fresh, K_A, ROLE_ADMIN, "alice", false, false), 0);
    cr_assert_eq(auth_put(fresh, K_B, ROLE_SCHOOL, "3714020001", true, false), 0);
    cr_assert_eq(auth_sync(have, fresh), 2);
    cr_assert_not(auth_lookup(have, K_A)->from_config, "A is now revocable online");
    cr_assert(auth_lookup(have, K_B)->revoked);
    auth_policy policy = { have, false };
    peer_address peer;
    memset(&peer, 0, sizeof peer);
    snprintf(peer.user_id, sizeof peer.user_id, "%s", K_B);
    char why[256];
    cr_assert_null(auth_peer(&policy, &peer, why, sizeof why));
    cr_assert(strstr(why, "revoked"), "%s", why);
    auth_destroy(&have);
    auth_destroy(&fresh);
}

Test(auth_sync, the_review_right_is_synced)
{
    auth *have = auth_new(), *fresh = auth_new();
    cr_assert(have && fresh);
    cr_assert_eq(auth_put(have, K_B, ROLE_MONITOR, "3714", false, false), 0);
    cr_assert_eq(auth_put(fresh, K_B, ROLE_MONITOR, "3714", false, false), 0);
    cr_assert_eq(auth_set_review(fresh, K_B, true), 0);
    cr_assert_eq(auth_sync(have, fresh), 1, "the right granted by SQL is a change");
    cr_assert(auth_lookup(have, K_B)->may_review);
    cr_assert_eq(auth_set_review(fresh, K_B, false), 0);
    cr_assert_eq(auth_sync(have, fresh), 1, "and withdrawn");
    cr_assert_not(auth_lookup(have, K_B)->may_review);
    auth_destroy(&have);
    auth_destroy(&fresh);
}
