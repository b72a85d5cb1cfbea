/* web_daemon.h -- the gateway's requests to junhengd: the login, check and
 * logout of a web user (SessionRequest on the admin endpoint), and status
 * queries carrying the user's session (the daemon acts as that user and
 * checks role and scope itself). Each call opens its own socket
 * (transport.h), so any HTTP thread may make one. */
#ifndef JUNHENG_WEB_DAEMON_H
#define JUNHENG_WEB_DAEMON_H

#include <stddef.h>

#include "web_config.h"
#include "web_session.h"

/* What a call came to. */
typedef enum {
    WEB_DAEMON_OK = 0,
    WEB_DAEMON_REFUSED,      /* field and reason say why */
    WEB_DAEMON_UNREACHABLE,  /* no answer (or retry later, or out of memory) */
    WEB_DAEMON_BAD_ANSWER    /* an answer the gateway could not read */
} web_daemon_result;

typedef struct {
    char field[64];
    char reason[512];
} web_daemon_refusal;

/* Logs user in: on OK fills s (token, user, role, scope, may_review,
 * expires_ms) from the daemon's answer; a refusal's reason comes in lang
 * (Envelope.lang: "zh_CN", "en"; NULL: the daemon's own language). */
web_daemon_result web_daemon_login(const web_config *cfg, const char *user, const char *password,
                                   const char *client_address, const char *lang, web_session *s,
                                   web_daemon_refusal *no);

/* Ends the daemon's session of token (its answer is not waited for long). */
void web_daemon_logout(const web_config *cfg, const char *token);

/* A status query as the session's user (token "" : as the gateway's own
 * key): county (6 digits) or school (a school code; county NULL). On OK
 * *body is the daemon's JSON text (caller frees). */
web_daemon_result web_daemon_status(const web_config *cfg, const char *token, const char *county,
                                    const char *school, char **body, web_daemon_refusal *no);

/* The county's stored history (StatusQuery.history) as the session's user:
 * on OK *body is the daemon's JSON list, oldest first (caller frees). */
web_daemon_result web_daemon_history(const web_config *cfg, const char *token, const char *county, char **body,
                                     web_daemon_refusal *no);

/* Reads the login answer's JSON (the contract of docs/web.md) into s.
 * Returns 0, or -1 when a member is missing or malformed. Exposed for tests. */
int web_daemon_read_login(const char *body, web_session *s);

#endif
