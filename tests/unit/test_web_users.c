/* test_web_users.c -- the web users' pieces in memory (server/net/sessions.c,
 * server/users/): sessions end at their idle and absolute expiry, at
 * logout and for a locked user; a session bound to a peer makes auth_peer
 * answer the user's identity, not the key's; the login limiter refuses
 * after too many failures for a growing interval, per name and per
 * address; the password worker hashes and checks off the calling thread,
 * an unknown user (empty hash) always failing. */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "users.h"

Test(sessions, expire_idle_and_absolute)
{
    sessions *s = sessions_new(10, 25);
    cr_assert(s);
    const session *a = sessions_open(s, "zhang", ROLE_COUNTY, "371424", false, 1000);
    cr_assert(a);
    char token[SESSION_TOKEN_LEN + 1];
    snprintf(token, sizeof token, "%s", a->token);
    cr_assert_eq(strlen(token), SESSION_TOKEN_LEN);
    cr_assert_not_null(sessions_use(s, token, 10000), "used within the idle time");
    cr_assert_not_null(sessions_use(s, token, 19000), "idle time counted from the last use");
    cr_assert_null(sessions_use(s, token, 26000), "ended at its absolute age, however used");
    cr_assert_eq(sessions_count(s), 0);
    a = sessions_open(s, "zhang", ROLE_COUNTY, "371424", false, 0);
    snprintf(token, sizeof token, "%s", a->token);
    cr_assert_null(sessions_use(s, token, 10000), "ended after 10 s unused");
    cr_assert_null(sessions_use(s, "not-a-token", 0));
    sessions_destroy(&s);
    cr_assert_null(s);
}

Test(sessions, logout_and_lock)
{
    sessions *s = sessions_new(100, 100);
    char t1[SESSION_TOKEN_LEN + 1], t2[SESSION_TOKEN_LEN + 1], t3[SESSION_TOKEN_LEN + 1];
    snprintf(t1, sizeof t1, "%s", sessions_open(s, "zhang", ROLE_COUNTY, "371424", false, 0)->token);
    snprintf(t2, sizeof t2, "%s", sessions_open(s, "zhang", ROLE_COUNTY, "371424", false, 0)->token);
    snprintf(t3, sizeof t3, "%s", sessions_open(s, "li", ROLE_MONITOR, "3714", true, 0)->token);
    cr_assert_str_neq(t1, t2, "every login its own token");
    cr_assert(sessions_close(s, t1));
    cr_assert_not(sessions_close(s, t1), "logged out once");
    cr_assert_eq(sessions_close_user(s, "zhang"), 1, "a locked user's sessions end");
    cr_assert_null(sessions_use(s, t2, 1));
    const session *li = sessions_use(s, t3, 1);
    cr_assert(li && li->key.may_review && li->key.role == ROLE_MONITOR);
    sessions_destroy(&s);
}

Test(sessions, auth_peer_acts_as_the_user)
{
    auth *keys = auth_new();
    sessions *s = sessions_new(100, 100);
    cr_assert_eq(auth_put(keys, "key-a-0000000000000000000000000000000001", ROLE_ADMIN, "gw", false, false), 0);
    auth_policy policy = { keys, false, s };
    peer_address peer = { 0 };
    snprintf(peer.user_id, sizeof peer.user_id, "%s", "key-a-0000000000000000000000000000000001");
    char why[256];
    cr_assert(auth_may_query(&policy, &peer, "371402", why, sizeof why), "the admin key reads any county");
    char token[SESSION_TOKEN_LEN + 1];
    snprintf(token, sizeof token, "%s", sessions_open(s, "zhang", ROLE_COUNTY, "371424", false, net_now_ms())->token);
    cr_assert(auth_peer_session(&policy, &peer, token, why, sizeof why));
    cr_assert_str_eq(peer.user, "zhang");
    cr_assert_not(auth_may_query(&policy, &peer, "371402", why, sizeof why), "the session's county user may not");
    cr_assert(auth_may_query(&policy, &peer, "371424", why, sizeof why));
    cr_assert_not(auth_may_admin(&policy, &peer, why, sizeof why));
    sessions_close_user(s, "zhang");
    cr_assert_not(auth_may_query(&policy, &peer, "371424", why, sizeof why), "an ended session has no rights");
    cr_assert_not(auth_peer_session(&policy, &peer, token, why, sizeof why));
    sessions_destroy(&s);
    auth_destroy(&keys);
}

Test(login_limit, refuses_after_failures_for_a_growing_interval)
{
    login_limit *l = login_limit_new(3, 900, 60);
    cr_assert(l);
    for (int i = 0; i < 2; i++)
        login_limit_failed(l, "li", "10.0.0.1", 1000);
    cr_assert_eq(login_limit_wait_ms(l, "li", "10.0.0.2", 1000), 0, "under the limit");
    login_limit_failed(l, "li", "10.0.0.1", 2000);
    cr_assert_eq(login_limit_wait_ms(l, "li", "10.0.0.2", 2000), 60000, "the name is refused 60 s");
    cr_assert_eq(login_limit_wait_ms(l, "zhang", "10.0.0.1", 2000), 60000, "... and the address");
    cr_assert_eq(login_limit_wait_ms(l, "zhang", "10.0.0.3", 2000), 0, "others are not");
    login_limit_failed(l, "li", "10.0.0.9", 70000);
    cr_assert_eq(login_limit_wait_ms(l, "li", "", 70000), 120000, "one more failure: twice as long");
    login_limit_succeeded(l, "li", 200000);
    cr_assert_eq(login_limit_wait_ms(l, "li", "", 200000), 0, "a login forgets the name's failures");
    login_limit_failed(l, "wang", "a", 0);
    login_limit_failed(l, "wang", "b", 0);
    login_limit_failed(l, "wang", "c", 1000000);
    cr_assert_eq(login_limit_wait_ms(l, "wang", "d", 1000000), 0, "failures outside the window are forgotten");
    login_limit_destroy(&l);
}

/* Waits for the worker's next finished job. */
static pwhash_job *wait_job(pwhash_worker *w)
{
    for (int i = 0; i < 200; i++) {
        struct pollfd p = { pwhash_worker_fd(w), POLLIN, 0 };
        poll(&p, 1, 100);
        pwhash_job *job = pwhash_worker_take(w);
        if (job)
            return job;
    }
    return NULL;
}

Test(pwhash_worker, hashes_and_checks_off_the_thread)
{
    pwhash_worker *w = pwhash_worker_new(1);
    cr_assert(w);
    pwhash_job job = { .kind = PWHASH_HASH }, other = { .kind = PWHASH_HASH };
    snprintf(job.password, sizeof job.password, "%s", "correct horse battery");
    cr_assert_eq(pwhash_worker_submit(w, &job), 0);
    cr_assert_eq(pwhash_worker_submit(w, &other), -1, "a full queue refuses (busy, retry)");
    cr_assert_eq(wait_job(w), &job);
    cr_assert(job.ok);
    cr_assert_eq(strncmp(job.hash, "$argon2id$", 10), 0, "an Argon2id string");
    cr_assert_eq(job.password[0], '\0', "the password is wiped");
    job.kind = PWHASH_VERIFY;
    snprintf(job.password, sizeof job.password, "%s", "correct horse battery");
    cr_assert_eq(pwhash_worker_submit(w, &job), 0);
    cr_assert(wait_job(w)->ok, "the right password");
    snprintf(job.password, sizeof job.password, "%s", "wrong");
    pwhash_worker_submit(w, &job);
    cr_assert_not(wait_job(w)->ok, "a wrong one");
    job.hash[0] = '\0';
    snprintf(job.password, sizeof job.password, "%s", "anything");
    pwhash_worker_submit(w, &job);
    cr_assert_not(wait_job(w)->ok, "an unknown user (no hash) always fails");
    pwhash_worker_destroy(&w, NULL);
}
