/* snapshot.c -- status queries on the snapshot socket. */
#include "server.h"

void snapshot_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    (void)data;
    (void)len;
    problem_list errs = { 0 };
    problem_list_add(&errs, "", "county status is not computed by this version yet");
    server_reply(self, self->snapshot_sock, peer, NULL, 0, JUNHENG__REPLY_STATUS__REFUSED, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
}
