/* review_send.h -- one ReviewRequest to the daemon's admin socket, shared
 * by the CLI (`junheng review`, review_call.c) and the web gateway's review
 * desk (client/web/web_review.c): the Envelope is packed here, once. */
#ifndef JUNHENG_CLIENT_REVIEW_SEND_H
#define JUNHENG_CLIENT_REVIEW_SEND_H

#include <stdbool.h>

#include "transport.h"
#include "wire.h"

/* Whether an action changes state (and so carries an action id). */
bool review_action_changes_state(const char *action);

/* Packs an Envelope{review: req} with request id rid, lang (NULL: none) and
 * session (a web user's token; NULL or "": none). Returns 0 with *out
 * (caller frees), or -1 (out of memory). */
int review_pack(const uint8_t rid[WIRE_REQUEST_ID_LEN], Junheng__ReviewRequest *req, const char *lang,
                const char *session, uint8_t **out, size_t *len);

/* Sends req (packed as review_pack does, with a fresh request id) to
 * endpoint and waits for the reply (the transport's resends carry the same
 * bytes, so the same action id). Returns the reply (caller frees with
 * junheng__reply__free_unpacked), or NULL: *out_of_memory says whether it
 * could not even be packed, else nothing answered. */
Junheng__Reply *review_send(const char *endpoint, Junheng__ReviewRequest *req, const char *lang, const char *session,
                            const transport_options *opts, bool *out_of_memory);

#endif
