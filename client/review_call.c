/* review_call.c -- one ReviewRequest to the daemon's admin socket and its
 * answer (review.h); review_send.c packs and sends it. A state-changing
 * action carries an action id, a UUID made here once: the transport's resends (Lazy Pirate) send the very same
 * bytes, so a resend the daemon already applied is answered "duplicate" with
 * the original's answer and never applied twice. */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "wire.h"

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
    bool out_of_memory = false;
    Junheng__Reply *reply = review_send(opts->admin_endpoint, req, wire_lang(), NULL, &opts->transport, &out_of_memory);
    if (out_of_memory) {
        fprintf(stderr, "junheng %s: out of memory\n", what);
        return EXIT_USAGE;
    }
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
