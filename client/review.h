/* review.h -- the client side of the review chain (docs/review.md): one
 * ReviewRequest on the admin socket per command, its answer printed as a
 * table in Chinese with the English ids beside, or as the daemon's JSON.
 *
 *   cmd_review.c     `junheng review ACTION ...`: the options of each action
 *   cmd_audit.c      `junheng audit` and `junheng inbox`
 *   review_call.c    sending a ReviewRequest (a fresh action id for the
 *                    state-changing actions, kept across the resends)
 *   review_send.c    its packing and sending, shared with junheng-web
 *   review_print.c   the answers of actions, the audit log, the periods
 *   review_tables.c  the tables of the queries (submissions, package, ...)
 *   review_help.c    each action's --help */
#ifndef JUNHENG_CLIENT_REVIEW_H
#define JUNHENG_CLIENT_REVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "client.h"
#include "review_send.h"

/* Prints one answer body (parsed JSON) as a table for the action named. */
typedef void (*review_printer)(const char *action, json_t *body);

/* Sends req (its action_id filled here when the action changes state and
 * req->action_id is NULL or "") to the admin socket and prints the answer:
 * the body as it is with json, else through print (NULL: the generic
 * printer). A refusal's reasons go to stderr; an answer marked duplicate says
 * so on stderr. what names the command in messages ("review approve").
 * Returns the exit status: EXIT_OK (ok or duplicate), EXIT_REFUSED,
 * EXIT_USAGE (out of memory), EXIT_UNREACHABLE (no answer: the action id is
 * printed, to send it again with --action-id). */
int review_run(client_options *opts, Junheng__ReviewRequest *req, const char *what, bool json,
               review_printer print);

/* The generic printer: an object as "key  value" lines, an array of objects
 * as one line per element. */
void review_print_generic(const char *action, json_t *body);

/* The tables of docs/review.md's answers (review_print.c). */
void review_print_submissions(const char *action, json_t *body);
void review_print_action(const char *action, json_t *body);
void review_print_package(const char *action, json_t *body);
void review_print_problems(const char *action, json_t *body);
void review_print_pending(const char *action, json_t *body);
void review_print_inbox(const char *action, json_t *body);
void review_print_audit(const char *action, json_t *body);
void review_print_periods(const char *action, json_t *body);

/* Helpers of the printers (review_print.c): a string member or fallback;
 * a state as "已通过 approved"; an item as "2.8 教师平均工资不低于公务员
 * teacher_pay"; a list of submission columns with their Chinese names. */
const char *review_text(json_t *o, const char *key, const char *fallback);
void review_print_state(FILE *out, const char *state);
void review_print_item(FILE *out, const char *item);
void review_print_columns(FILE *out, json_t *columns);

/* Chinese names of the English ids of docs/review.md ("approved" -> "已通过"),
 * or "" when unknown. */
const char *review_state_zh(const char *state);
const char *review_action_zh(const char *action);

/* `junheng review --help` (out) and one action's --help; false when the
 * action is unknown. */
void review_usage(FILE *out);
bool review_action_usage(FILE *out, const char *action);
void inbox_usage(FILE *out);
void audit_usage(FILE *out);

#endif
