/* client.h -- shared state of the junheng command-line client. */
#ifndef JUNHENG_CLIENT_H
#define JUNHENG_CLIENT_H

#include <stdbool.h>
#include <stdio.h>

#include "transport.h"
#include "wire.h"

/* Exit codes, the same for every command. */
enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

#define ENDPOINT_MAX 1024

#define KEY_PATH_MAX 4096

typedef struct {
    char server[1024];                  /* --server: HOST[:PORT], comma-separated, one per daemon */
    char key_file[KEY_PATH_MAX];        /* --key: this client's NAME.key_secret */
    char server_key_file[KEY_PATH_MAX]; /* --server-key: the daemon's public NAME.key */
    bool plaintext;                     /* --plaintext: no CURVE (allow_plaintext daemons only) */
    char tz[128];                       /* --tz: the time zone of the times shown (local_time.h); "" default */
    /* each endpoint: one, or a comma-separated list (one per daemon, tried in turn: transport.h) */
    char submit_endpoint[ENDPOINT_MAX];
    char publish_endpoint[ENDPOINT_MAX];
    char snapshot_endpoint[ENDPOINT_MAX];
    char admin_endpoint[ENDPOINT_MAX];
    bool cli_endpoint[4];               /* submit, publish, snapshot, admin given as --*-endpoint */
    transport_options transport;
} client_options;


/* Sends one admin or status request (msg owned by the caller) and waits for
 * its reply. Returns the reply (caller frees with junheng__reply__free_unpacked)
 * or NULL when the daemon did not answer. */
Junheng__Reply *client_request_one(const char *endpoint, const uint8_t *msg, size_t len, const uint8_t *rid,
                                   const transport_options *opts);

/* Packs an Envelope carrying a StatusQuery for code (a county, or a prefix),
 * period (0: the newest), history, and view ("live" or NULL: the field left
 * absent, which the daemon takes as live; "official"). Returns 0 with *out
 * (caller frees), or -1 (out of memory). status_query.c */
int client_pack_status_query(const uint8_t rid[WIRE_REQUEST_ID_LEN], const char *code, int32_t period, bool history,
                             const char *view, uint8_t **out, size_t *len);

/* Packs an Envelope carrying a StatusQuery for one school's own result
 * (StatusQuery.school_code; "" asks for the key's own school), period (0:
 * the newest) and view as client_pack_status_query. Returns 0 with *out
 * (caller frees), or -1. status_query.c */
int client_pack_school_query(const uint8_t rid[WIRE_REQUEST_ID_LEN], const char *school_code, int32_t period,
                             const char *view, uint8_t **out, size_t *len);

/* Reads --view's text into *view ("live" or "official", static strings).
 * Returns 0, or -1 after saying why on stderr (cmd names the command). */
int client_parse_view(const char *cmd, const char *text, const char **view);

/* Prints one problem as "  PREFIXfield (中文列名): reason"; the Chinese
 * column label is added when field is a submission column. */
void client_print_problem(FILE *out, const char *prefix, const char *field, const char *reason);

/* Prints a reply's errors as "  field (中文): reason" lines to out. */
void client_print_problems(FILE *out, const char *prefix, Junheng__Issue **items, size_t n);

/* Loads the client's keypair and the daemon's public key into
 * opts->transport (from --key/--server-key, else $JUNHENG_KEY /
 * $JUNHENG_SERVER_KEY, else $XDG_CONFIG_HOME/junheng/client.key_secret and
 * server.key). Prints why on stderr and returns -1 when they cannot be read;
 * does nothing with --plaintext. */
int client_load_keys(client_options *opts);

int cmd_submit(client_options *opts, int argc, char **argv);
int cmd_keygen(client_options *opts, int argc, char **argv);
int cmd_admin(client_options *opts, int argc, char **argv);
int cmd_status(client_options *opts, int argc, char **argv);
int cmd_watch(client_options *opts, int argc, char **argv);   /* cmd_watch.c */
int cmd_report(client_options *opts, int argc, char **argv);  /* cmd_report.c */
int cmd_county(client_options *opts, int argc, char **argv);  /* cmd_county.c: county submit, county template */
int cmd_template(int argc, char **argv);                      /* cmd_template.c: the blank files to fill in */
int cmd_review(client_options *opts, int argc, char **argv);  /* cmd_review.c: the review chain (docs/review.md) */
int cmd_inbox(client_options *opts, int argc, char **argv);   /* cmd_audit.c: what was returned to me */
int cmd_audit(client_options *opts, int argc, char **argv);   /* cmd_audit.c: the audit log */
int cmd_whatif(client_options *opts, int argc, char **argv);  /* cmd_whatif.c: hypothetical changes (docs/whatif.md) */
int cmd_plan(client_options *opts, int argc, char **argv);    /* cmd_plan.c: the cheapest path (docs/plan.md) */
int cmd_session(client_options *opts, int argc, char **argv); /* cmd_users.c: a web user's login, check, logout */
/* cmd_users.c: admin add-user, lock-user, unlock-user, reset-password, list-users */
int cmd_admin_users(client_options *opts, int argc, char **argv);
/* `report --self-assessment` (cmd_selfassess.c): the self-assessment table 自评表. */
int cmd_report_self_assessment(client_options *opts, int argc, char **argv);

#endif
