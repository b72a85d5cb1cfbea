/* status_query.c -- the StatusQuery envelope of status, report and the
 * self-assessment table, with the view it asks for (docs/review.md). */
#include <string.h>

#include "client.h"
#include "wire.h"

int client_pack_status_query(const uint8_t rid[WIRE_REQUEST_ID_LEN], const char *code, int32_t period, bool history,
                             const char *view, uint8_t **out, size_t *len)
{
    Junheng__StatusQuery q = JUNHENG__STATUS_QUERY__INIT;
    q.county_code = (char *)code;
    q.has_period = period != 0;
    q.period = period;
    q.has_history = history;
    q.history = history;
    if (view && strcmp(view, "live") != 0)
        q.view = (char *)view; /* absent means live: a daemon without views answers as before */
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    return wire_pack_message(&env.base, out, len);
}

int client_pack_school_query(const uint8_t rid[WIRE_REQUEST_ID_LEN], const char *school_code, int32_t period,
                             const char *view, uint8_t **out, size_t *len)
{
    Junheng__StatusQuery q = JUNHENG__STATUS_QUERY__INIT;
    q.school_code = (char *)school_code;
    q.has_period = period != 0;
    q.period = period;
    if (view && strcmp(view, "live") != 0)
        q.view = (char *)view;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.body_case = JUNHENG__ENVELOPE__BODY_STATUS_QUERY;
    env.status_query = &q;
    return wire_pack_message(&env.base, out, len);
}

int client_parse_view(const char *cmd, const char *text, const char **view)
{
    if (strcmp(text, "live") == 0 || strcmp(text, "official") == 0) {
        *view = strcmp(text, "live") == 0 ? "live" : "official";
        return 0;
    }
    fprintf(stderr, "junheng %s: --view '%s': give live (实时, the newest data received) or official (正式, "
                    "approved and sealed data)\n", cmd, text);
    return -1;
}
