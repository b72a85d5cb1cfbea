/* submit_request.h -- one school submission made ready for the ingest
 * socket, the same way for `junheng submit` (cmd_submit.c) and the web
 * gateway's school upload (client/web/web_upload.c): a fresh submission id,
 * a fresh request id, the Envelope packed; and which replies end its life. */
#ifndef JUNHENG_SUBMIT_REQUEST_H
#define JUNHENG_SUBMIT_REQUEST_H

#include <stdbool.h>

#include "submission.h"
#include "transport.h"

/* Gives sub a fresh submission id (a UUID) and packs it into req, zeroed
 * first, as a Submission Envelope with a fresh request id. req->msg is then
 * req's (transport_request_clear frees it). Returns 0, or -1 when there was
 * no randomness or memory (req left zeroed; sub keeps its new id). */
int submit_request_make(submission *sub, transport_request *req);

/* Whether a reply is the daemon's last word on a submission (accepted,
 * duplicate, refused): not none, not "retry later". */
bool submit_reply_is_final(const Junheng__Reply *r);

#endif
