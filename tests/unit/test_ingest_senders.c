/* test_ingest_senders.c -- the daemon's per-sender pending counts
 * (ingest_senders.h, library junheng_ingest): counts follow a naive
 * model through random adds and removes, senders are told apart by key, or
 * over plaintext by routing id, and a sender at 0 is removed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ingest_senders.h"

/* A CURVE sender (key k) or, when k < 0, a plaintext one (routing id r). */
static peer_address sender(int k, int r)
{
    peer_address p;
    memset(&p, 0, sizeof p);
    p.id_len = 5;
    p.id[0] = 0;
    memcpy(p.id + 1, &r, sizeof r);
    if (k >= 0)
        snprintf(p.user_id, sizeof p.user_id, "key%037d", k);
    return p;
}

Test(senders, key_whatever_the_connection_routing_id_over_plaintext)
{
    sender_table t = { 0 };
    peer_address a1 = sender(1, 100), a2 = sender(1, 200), b = sender(2, 100), p1 = sender(-1, 100),
                 p2 = sender(-1, 200);
    cr_assert_eq(senders_pending(&t, &a1), 0);
    cr_assert_eq(senders_add(&t, &a1), 0);
    cr_assert_eq(senders_add(&t, &a2), 0);
    cr_assert_eq(senders_add(&t, &p1), 0);
    cr_assert_eq(senders_pending(&t, &a1), 2, "one key over two connections is one sender");
    cr_assert_eq(senders_pending(&t, &b), 0, "another key on the same routing id is another sender");
    cr_assert_eq(senders_pending(&t, &p1), 1);
    cr_assert_eq(senders_pending(&t, &p2), 0, "over plaintext each connection is a sender");
    senders_remove(&t, &a2);
    senders_remove(&t, &a1);
    senders_remove(&t, &p1);
    cr_assert_eq(senders_count(&t), 0, "a sender at 0 is removed");
    cr_assert_eq(senders_pending(&t, &a1), 0);
    senders_free(&t);
}

Test(senders, random_adds_and_removes_follow_the_model)
{
    enum { SENDERS = 300, STEPS = 200000 };
    static size_t model[SENDERS];
    sender_table t = { 0 };
    unsigned seed = 12345;
    for (int step = 0; step < STEPS; step++) {
        seed = seed * 1103515245u + 12345u;
        int s = (int)((seed >> 8) % SENDERS);
        peer_address p = sender(s % 3 == 0 ? -1 : s, s);
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 8) % 2 == 0 || model[s] == 0) {
            cr_assert_eq(senders_add(&t, &p), 0);
            model[s]++;
        } else {
            senders_remove(&t, &p);
            model[s]--;
        }
        if (step % 997 == 0) {
            size_t live = 0;
            for (int k = 0; k < SENDERS; k++) {
                peer_address q = sender(k % 3 == 0 ? -1 : k, k);
                cr_assert_eq(senders_pending(&t, &q), model[k], "step %d sender %d", step, k);
                live += model[k] > 0;
            }
            cr_assert_eq(senders_count(&t), live);
        }
    }
    for (int k = 0; k < SENDERS; k++) {
        peer_address q = sender(k % 3 == 0 ? -1 : k, k);
        while (model[k]--)
            senders_remove(&t, &q);
    }
    cr_assert_eq(senders_count(&t), 0);
    senders_free(&t);
}
