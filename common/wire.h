/* wire.h -- encoding and decoding junheng's protobuf-c messages: the bridge
 * between the C model (submission.h, problems.h) and proto/junheng.proto.
 * No sockets here: callers send and receive the bytes. */
#ifndef JUNHENG_WIRE_H
#define JUNHENG_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "junheng.pb-c.h"
#include "problems.h"
#include "submission.h"

#define WIRE_PROTOCOL_VERSION 1
#define WIRE_REQUEST_ID_LEN 16
#define WIRE_MAX_MESSAGE (1024 * 1024) /* ZMQ_MAXMSGSIZE on every socket */

/* The language every Envelope this process packs asks its answer's
 * messages in (Envelope.lang: "zh_CN", "en"); NULL (the default) leaves it
 * absent. The client sets it once from its locale (i18n_language()); lang
 * must outlive the packing (a static string). */
void wire_set_lang(const char *lang);
/* What wire_set_lang() set, for envelopes built by hand (NULL: none). */
char *wire_lang(void);

/* Initializes env (junheng__envelope__init) with the protocol version,
 * the request id rid (borrowed: it must outlive the packing) and this
 * process's language (wire_lang()): the start of every Envelope. */
void wire_envelope_init(Junheng__Envelope *env, const uint8_t *rid);

/* Packs any message into a fresh buffer: returns 0 with *out (the
 * caller's to free) and *len, or -1 (out of memory). */
int wire_pack_message(const ProtobufCMessage *msg, uint8_t **out, size_t *len);

/* Packs a submission as a bare Submission message (the form stored in the
 * database). Returns 0 and *out (caller frees), or -1 when out of memory. */
int wire_submission_pack(const submission *sub, uint8_t **out, size_t *len);

/* Converts a decoded Submission into the model. Absent required fields
 * (submission_id, school_code, period) are reported in errors by column name.
 * *out owns copies of every array; clear it with submission_clear().
 * Returns 0, or -1 when out of memory. */
int wire_submission_from_pb(const Junheng__Submission *pb, submission *out, problem_list *errors);

/* Unpacks bytes written by wire_submission_pack into the model.
 * Returns 0, or -1 when the bytes do not decode (or out of memory). */
int wire_submission_unpack(const uint8_t *data, size_t len, submission *out);

/* Packs an Envelope carrying one submission. Returns 0 and *out (caller
 * frees), or -1. */
int wire_envelope_pack_submission(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const submission *sub,
                                  uint8_t **out, size_t *len);

/* Packs an Envelope carrying an admin request; file may be NULL. */
int wire_envelope_pack_admin(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *command,
                             const char *const *args, size_t n_args, const uint8_t *file, size_t file_len,
                             uint8_t **out, size_t *len);

/* Packs an Envelope carrying a status query (period 0 = newest). */
int wire_envelope_pack_status_query(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *county_code,
                                    int32_t period, int history, uint8_t **out, size_t *len);

/* Packs a Reply. request_id may be NULL (undecodable request); errors,
 * warnings and body may be NULL. Returns 0 and *out (caller frees), or -1. */
int wire_reply_pack(const uint8_t *request_id, size_t request_id_len, Junheng__ReplyStatus status,
                    int64_t revision, const problem_list *errors, const problem_list *warnings, const char *body,
                    uint8_t **out, size_t *len);

/* Human name of a reply status: "accepted", "duplicate", "refused", ...
 * (English; marked for gettext: _() it where a person reads it). */
const char *wire_reply_status_name(Junheng__ReplyStatus status);

/* Fills a fresh random request id (16 bytes from the OS). Returns 0 or -1. */
int wire_request_id_new(uint8_t request_id[WIRE_REQUEST_ID_LEN]);

/* Writes a new random (v4) lower-case UUID into out (37 bytes). */
void wire_uuid_new(char out[SUBMISSION_ID_LEN + 1]);

/* Whether s is a well-formed UUID (8-4-4-4-12 hex). */
int wire_uuid_valid(const char *s);

#endif
