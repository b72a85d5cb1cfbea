/* review_call.c -- one ReviewRequest to the daemon's admin socket and its
 * answer (review.h). A state-changing action carries an action id, a UUID
 * made here once: the transport's resends (Lazy Pirate) send the very same
 * bytes, so a resend the daemon already applied is answered "duplicate" with
 * the original's answer and never applied twice. */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "wire.h"

bool review_action_changes_state(const char *action)
{
    static const char *const changing[] = { "approve", "return", "reopen", "seal", "finding", "override",
                                            "return_package", "pass", "answer", "close" };
    for (size_t i = 0; i < sizeof changing / sizeof changing[0]; i++)
        if (strcmp(action, changing[i]) == 0)
            return true;
    return false;
}

/* Packs an Envelope carrying req. Returns 0 with *out (caller frees), or -1. */
static int pack_review(const uint8_t rid[WIRE_REQUEST_ID_LEN], Junheng__ReviewRequest *req, uint8_t **out,
                       size_t *len)
{
    Junheng__Envelope env;
    junheng__envelope__init(&env);
    env.has_version = 1;
    env.version = WIRE_PROTOCOL_VERSION;
    env.has_request_id = 1;
    env.request_id.data = (uint8_t *)rid;
    env.request_id.len = WIRE_REQUEST_ID_LEN;
    env.lang = wire_lang();
    env.body_case = JUNHENG__ENVELOPE__BODY_REVIEW;
    env.review = req;
    return wire_pack_message(&env.base, out, len);
}

/* Prints body through print (or as it is with json, or when it is not JSON). */
static void print_body(const char *action, const char *body, bool json, review_printer print)
{
    if (json) {
        puts(body);
        return;
    }
    json_t *parsed = json_loads(body, JSON_DECODE_ANY, NULL);
    if (!parsed)
        puts(body);
    else
        (print ? print : review_print_generic)(action, parsed);
    json_decref(parsed);
}

/* Says on stderr that nothing answered, and how to send the action again. */
static void say_unreachable(const client_options *opts, const char *what, const Junheng__Reply *reply,
                            const char *action_id)
{
    fprintf(stderr, "junheng %s: no answer from %s%s%s\n", what, opts->admin_endpoint,
            reply && reply->n_errors ? ": " : "", reply && reply->n_errors ? reply->errors[0]->reason : "");
    if (action_id && *action_id)
        fprintf(stderr, "  it may or may not have been applied; send the same command again with\n"
                        "  --action-id %s: the daemon applies it at most once\n",
                action_id);
}

int review_run(client_options *opts, Junheng__ReviewRequest *req, const char *what, bool json, review_printer print)
{
    char action_id[SUBMISSION_ID_LEN + 1];
    if (review_action_changes_state(req->action) && (!req->action_id || !*req->action_id)) {
        wire_uuid_new(action_id);
        req->action_id = action_id;
    }
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 || pack_review(rid, req, &msg, &len) != 0) {
        fprintf(stderr, "junheng %s: out of memory\n", what);
        return EXIT_USAGE;
    }
    Junheng__Reply *reply = client_request_one(opts->admin_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    int code = EXIT_OK;
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER ||
        reply->status == JUNHENG__REPLY_STATUS__REPLY_STATUS_UNKNOWN) {
        say_unreachable(opts, what, reply, req->action_id);
        code = EXIT_UNREACHABLE;
    } else if (reply->status == JUNHENG__REPLY_STATUS__REFUSED) {
        fprintf(stderr, "junheng %s: refused\n", what);
        client_print_problems(stderr, "", reply->errors, reply->n_errors);
        if (json && reply->body && *reply->body)
            puts(reply->body);
        code = EXIT_REFUSED;
    } else {
        if (reply->status == JUNHENG__REPLY_STATUS__DUPLICATE)
            fprintf(stderr, "junheng %s: duplicate: action %s was applied before; this is its original answer\n",
                    what, req->action_id ? req->action_id : "?");
        print_body(req->action, reply->body && *reply->body ? reply->body : "{}", json, print);
        client_print_problems(stdout, "warning: ", reply->warnings, reply->n_warnings);
    }
    if (reply)
        junheng__reply__free_unpacked(reply, NULL);
    return code;
}
