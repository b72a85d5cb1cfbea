/* submit_request.c -- one submission ready for the ingest socket. See
 * submit_request.h. */
#include "submit_request.h"

#include <string.h>

#include "wire.h"

/* See submit_request.h. */
int submit_request_make(submission *sub, transport_request *req)
{
    memset(req, 0, sizeof *req);
    wire_uuid_new(sub->submission_id);
    if (wire_request_id_new(req->request_id) != 0 ||
        wire_envelope_pack_submission(req->request_id, sub, &req->msg, &req->len) != 0) {
        memset(req, 0, sizeof *req);
        return -1;
    }
    return 0;
}

/* See submit_request.h. */
bool submit_reply_is_final(const Junheng__Reply *r)
{
    return r && r->status != JUNHENG__REPLY_STATUS__RETRY_LATER &&
           r->status != JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN;
}
