/* auth.h -- who may do what: the daemon's key registry in memory, its ZAP
 * handler, and the checks every socket makes per message.
 *
 * Every socket is a CURVE server. libzmq asks the ZAP handler (a REP socket
 * on inproc://zeromq.zap.01, polled by the daemon's one event loop) about
 * each new connection; the handler admits a client public key only when the
 * registry holds it unrevoked, and names the key (Z85) as the connection's
 * ZAP User-Id. Each message then carries that User-Id
 * (zmq_msg_gets(msg, "User-Id")), and the socket's handler looks the key up
 * again, so a revocation refuses the very next message, even on a connection
 * that is already open. docs/security.md tells the whole story.
 *
 * Roles: a school key submits for its one school; a monitor key reads county
 * statuses inside its scope (a province, city or county code prefix); an
 * admin key does everything (including submitting for any school: it can
 * bind a school key anyway); a county key (a county education bureau, bound
 * to one 6-digit county code) sends its county's inputs and the submissions
 * of the schools registered in its county, and reads its own county like a
 * monitor of that county. With allow_plaintext (local endpoints only)
 * there is no identity and every peer has every right.
 *
 * Ownership: the registry owns its entries; pointers it returns stay valid
 * until the registry is destroyed or auth_sync runs (entries are updated in
 * place; only auth_sync, between two messages, removes any: hold none across
 * turns of the loop). */
#ifndef JUNHENG_AUTH_H
#define JUNHENG_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyfile_io.h"

typedef struct peer_address peer_address;

typedef enum { ROLE_NONE = 0, ROLE_SCHOOL, ROLE_MONITOR, ROLE_ADMIN, ROLE_COUNTY } key_role;

#define AUTH_SUBJECT_MAX 65
#define AUTH_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define AUTH_ZAP_DOMAIN "junheng"

/* One key and what it may do. */
typedef struct {
    char public_key[KEY_Z85_LEN + 1];
    key_role role;
    char subject[AUTH_SUBJECT_MAX];  /* school code, scope prefix (2/4/6 digits), admin name, or county code */
    bool revoked;
    bool from_config;                /* an admin key of admin_public_keys: not revocable online */
    bool may_review;                 /* a monitor key's review right in its scope (docs/review.md) */
} auth_key;

typedef struct auth auth;

/* Creates an empty registry; NULL when out of memory. */
auth *auth_new(void);
/* Frees the registry and every entry; nulls *p. */
void auth_destroy(auth **p);

/* Adds a key or updates its binding (a revoked key stays revoked). Returns
 * 0, or -1 when out of memory. */
int auth_put(auth *self, const char *public_key, key_role role, const char *subject, bool revoked, bool from_config);
/* Marks a key revoked; 0, or -1 when the key is unknown. */
int auth_revoke(auth *self, const char *public_key);
/* The entry of a public key (Z85), or NULL. */
const auth_key *auth_lookup(const auth *self, const char *public_key);
/* Number of unrevoked keys of a role. */
size_t auth_count(const auth *self, key_role role);

/* Makes self hold exactly the keys of from (SIGHUP's reload: the table and
 * admin_public_keys read again), each with from's role, subject, revoked and
 * from_config; keys from lacks are removed. Returns the number of keys
 * added, changed or removed, or -1 when out of memory (self then partly
 * synced: every key it holds is one of from's, or not yet removed). */
int auth_sync(auth *self, const auth *from);

/* "school", "monitor", "admin", "county" (or "none"); and back (-1 when unknown). */
const char *key_role_name(key_role role);
int key_role_parse(const char *name);

/* Normalises a monitor scope: 2 digits (province), 4 digits (city), 6
 * digits (county), read by admin_code_parse: a city code NNNN00 becomes NNNN and a province
 * code NN0000 becomes NN. Returns 0 with out (7 bytes), or -1. */
int auth_scope_normalize(const char *code, char out[7]);

/* Adds the bootstrap admin keys of the config key admin_public_keys: items
 * separated by blanks or commas, each a Z85 key or a key file. Returns the
 * number added, or -1 with err. */
int auth_add_config_admins(auth *self, const char *list, char *err, size_t errlen);

/* Creates the ZAP handler's REP socket and binds it to
 * inproc://zeromq.zap.01. Must run before any CURVE socket binds. Returns
 * the socket or NULL after logging why. */
void *auth_zap_bind(void *zmq_ctx);
/* Answers every ZAP request waiting on the handler socket (never blocks);
 * each refused connection adds one to *denied. */
void auth_zap_handle(void *zap_sock, const auth *keys, uint64_t *denied);

/* The per-message policy: the key registry (borrowed), whether the
 * sockets are plaintext (then every peer has every right), and the web
 * users' sessions (borrowed; NULL: none). */
typedef struct {
    const auth *keys;
    bool plaintext;
    struct sessions *sessions;
} auth_policy;

/* The identity that sent a message (from its User-Id), or, over plaintext,
 * a trusted local identity with every right. NULL when the key is unknown or
 * revoked; why then says which. A peer with a session (auth_peer_session)
 * is, on a valid connection, the session's user: their role, scope and
 * review right (NULL when the session has ended). */
const auth_key *auth_peer(const auth_policy *policy, const peer_address *peer, char *why, size_t whylen);

/* Binds a request's Envelope.session (token; NULL or "": none) to peer:
 * its token and its user's name. Returns false with why when the token
 * names no live session (peer then has none). */
bool auth_peer_session(const auth_policy *policy, peer_address *peer, const char *token, char *why, size_t whylen);

/* Whether the peer may submit for school_code, whose county in the registry
 * is school_county (NULL when the school is unknown: then a county key may
 * not). When not, why names the key's role and subject and the school asked
 * for, and *reason gets a short quarantine reason ("wrong school", "not a
 * school key", "other county", ...). */
bool auth_may_submit(const auth_policy *policy, const peer_address *peer, const char *school_code,
                     const char *school_county, const char **reason, char *why, size_t whylen);

/* Whether the peer may send the county inputs of county_code: admins any
 * county, a county key its own only. Same outputs as auth_may_submit. */
bool auth_may_send_county_inputs(const auth_policy *policy, const peer_address *peer, const char *county_code,
                                 const char **reason, char *why, size_t whylen);

/* Whether the peer may read the status of `code` (a county, or a city or
 * province code or prefix, "" or "all" for everything) on the snapshot
 * socket: admins anything, monitors inside their scope only, a county key
 * its own county only. */
bool auth_may_query(const auth_policy *policy, const peer_address *peer, const char *code, char *why, size_t whylen);

/* Whether the peer may read the own status of one school (junheng status
 * --school) whose county in the registry is school_county (NULL when the
 * school is unknown: then only a school key's own code is refused or let
 * through here; the caller refuses the unknown school): admins any school,
 * monitors a school inside their scope, a county key its county's schools,
 * a school key its own school only. why (translated) names school_code. */
bool auth_may_query_school(const auth_policy *policy, const peer_address *peer, const char *school_code,
                           const char *school_county, char *why, size_t whylen);

/* Sets a key's review right (a monitor key: docs/review.md). 0, or -1 for
 * an unknown key. */
int auth_set_review(auth *self, const char *public_key, bool may_review);

/* What a review request asks for (docs/review.md "Who may do what"). */
typedef enum {
    REVIEW_RIGHT_READ = 0,     /* queries: a school its own, a county its own, a monitor its scope */
    REVIEW_RIGHT_COUNTY,       /* approve, return, reopen, seal, answer: the county's own key */
    REVIEW_RIGHT_CITY,         /* finding, override, return_package, pass, close: a monitor with the review right */
    REVIEW_RIGHT_ADMIN         /* admin only */
} review_right;

/* Whether the peer may do `asked` (an English phrase, "approve revision 881
 * of school 3714020001", and its Chinese, asked_zh) with the right needed,
 * about county_code (the county concerned; NULL or "" for none) and, for a
 * school key, school_code. When not, why says so, Chinese first then
 * English, naming the key's role and subject and what was asked. *k gets
 * the key (NULL when unknown). */
bool auth_may_review(const auth_policy *policy, const peer_address *peer, review_right right,
                     const char *county_code, const char *school_code, const char *asked, const char *asked_zh,
                     const auth_key **k, char *why, size_t whylen);

/* Whether the peer may send admin requests (admin keys only). */
bool auth_may_admin(const auth_policy *policy, const peer_address *peer, char *why, size_t whylen);


#endif
