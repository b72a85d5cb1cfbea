/* ingest_county.c -- a county's inputs on the submit socket: the key's right
 * to send its county's inputs, the county in the registry, and every row
 * checked by the county-inputs file's own code (common/wire_county.h). A
 * valid message then goes through the same group commit as the schools'
 * submissions (store item STORE_ITEM_COUNTY_INPUTS), and is merged into the
 * county book after COMMIT (ingest_commit.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"
#include "i18n.h"
#include "wire_county.h"

const char *ingest_check_county(ingest *self, const peer_address *peer, const Junheng__CountyInputs *pb,
                                pending_request *p)
{
    char why[256];
    const char *reason = NULL;
    const char *county = pb->county_code;
    /* Who sent it comes before what it says: a county key sends its own
     * county's inputs only. */
    if (!auth_may_send_county_inputs(self->policy, peer, county, &reason, why, sizeof why)) {
        problem_list_add(&p->errors, "county_code", "%s", why);
        self->counters->auth_refused++;
        return reason;
    }
    if (wire_county_inputs_from_pb(pb, county_book_rules(self->book), p->cin_submission_id, &p->cin, &p->errors) !=
        0)
        return "out of memory";
    if (p->cin.county_code[0] && !registry_county(self->reg, p->cin.county_code)) {
        problem_list_add(&p->errors, "county_code", _("'%s' is not in the county registry"),
                         p->cin.county_code);
        return "unknown county";
    }
    return p->errors.count > 0 ? "invalid" : NULL;
}

int ingest_prepare_county(ingest *self, pending_request *p)
{
    p->warnings_json = problem_list_to_json(&p->warnings);
    if (!p->warnings_json ||
        wire_county_inputs_pack(p->cin_submission_id, &p->cin, county_book_rules(self->book), &p->payload,
                                &p->payload_len) != 0)
        return -1;
    p->item.kind = STORE_ITEM_COUNTY_INPUTS;
    p->item.submission_id = p->cin_submission_id;
    p->item.county_code = p->cin.county_code;
    p->item.period = p->cin.period;
    p->item.payload = p->payload;
    p->item.payload_len = p->payload_len;
    p->item.warnings_json = p->warnings_json;
    p->item.submitted_by = p->peer.user_id[0] ? p->peer.user_id : NULL;
    p->item.web_user = p->peer.user[0] ? p->peer.user : NULL;
    return 0;
}
