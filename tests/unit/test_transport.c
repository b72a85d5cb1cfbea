/* test_transport.c -- the client's endpoint lists (client/transport.c): one
 * endpoint per daemon, comma-separated, taken in turn by the Lazy Pirate
 * retries. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"

Test(transport, one_endpoint_is_a_list_of_one)
{
    char ep[64];
    cr_assert_eq(transport_endpoint_at("tcp://10.0.0.1:7401", 0, ep, sizeof ep), 1);
    cr_assert_str_eq(ep, "tcp://10.0.0.1:7401");
    cr_assert_eq(transport_endpoint_at("tcp://10.0.0.1:7401", 5, ep, sizeof ep), 1);
    cr_assert_str_eq(ep, "tcp://10.0.0.1:7401", "the index wraps round");
}

Test(transport, several_endpoints_in_turn)
{
    const char *list = "tcp://a:7401,ipc:///run/junheng/submit,tcp://c:9001";
    char ep[64];
    cr_assert_eq(transport_endpoint_at(list, 0, ep, sizeof ep), 3);
    cr_assert_str_eq(ep, "tcp://a:7401");
    transport_endpoint_at(list, 1, ep, sizeof ep);
    cr_assert_str_eq(ep, "ipc:///run/junheng/submit");
    transport_endpoint_at(list, 2, ep, sizeof ep);
    cr_assert_str_eq(ep, "tcp://c:9001");
    transport_endpoint_at(list, 3, ep, sizeof ep);
    cr_assert_str_eq(ep, "tcp://a:7401", "after the last, the first again");
}

Test(transport, empty_items_are_skipped)
{
    char ep[64];
    cr_assert_eq(transport_endpoint_at(",tcp://a:1,,tcp://b:2,", 1, ep, sizeof ep), 2);
    cr_assert_str_eq(ep, "tcp://b:2");
    cr_assert_eq(transport_endpoint_at("", 0, ep, sizeof ep), 0);
    cr_assert_str_eq(ep, "");
}

Test(transport, at_most_max_servers)
{
    char list[512] = "";
    for (int i = 0; i < TRANSPORT_MAX_SERVERS + 3; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%stcp://h%d:1", i ? "," : "", i);
    char ep[64];
    cr_assert_eq(transport_endpoint_at(list, 0, ep, sizeof ep), TRANSPORT_MAX_SERVERS);
}

Test(transport, truncated_to_the_buffer)
{
    char ep[8];
    transport_endpoint_at("tcp://long-host-name:7401", 0, ep, sizeof ep);
    cr_assert_str_eq(ep, "tcp://l");
}
