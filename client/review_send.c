/* review_send.c -- packing and sending one ReviewRequest (review_send.h),
 * for the CLI and the web gateway alike. */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "review_send.h"

bool review_action_changes_state(const char *action)
{
    static const char *const changing[] = { "approve", "return", "reopen", "seal", "finding", "override",
                                            "return_package", "pass", "answer", "close" };
    for (size_t i = 0; action && i < sizeof changing / sizeof changing[0]; i++)
        if (strcmp(action, changing[i]) == 0)
            return true;
    return false;
}

int review_pack(const uint8_t rid[WIRE_REQUEST_ID_LEN], Junheng__ReviewRequest *req, const char *lang,
                const char *session, uint8_t **out, size_t *len)
{
    Junheng__Envelope env;
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.lang = (char *)lang;
    env.session = session && *session ? (char *)session : NULL;
    env.body_case = JUNHENG__ENVELOPE__BODY_REVIEW;
    env.review = req;
    return wire_pack_message(&env.base, out, len);
}

Junheng__Reply *review_send(const char *endpoint, Junheng__ReviewRequest *req, const char *lang, const char *session,
                            const transport_options *opts, bool *out_of_memory)
{
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    *out_of_memory = false;
    if (wire_request_id_new(rid) != 0 || review_pack(rid, req, lang, session, &msg, &len) != 0) {
        *out_of_memory = true;
        return NULL;
    }
    Junheng__Reply *reply = client_request_one(endpoint, msg, len, rid, opts);
    free(msg);
    return reply;
}
