/* wire_county.h -- the county inputs on the wire (proto/junheng.proto
 * CountyInputs): one revision (county_inputs_csv.h county_inputs_revision)
 * written as rows of text the same reader reads back exactly, packed into an
 * Envelope (what a county's client sends) or bare (the form stored in the
 * database); and a received message read back into the model through the
 * very row checks of the county-inputs file (county_inputs_rows.h), so a
 * refusal names item and field the same way. No sockets here. */
#ifndef JUNHENG_WIRE_COUNTY_H
#define JUNHENG_WIRE_COUNTY_H

#include <stddef.h>
#include <stdint.h>

#include "county_inputs_csv.h"
#include "junheng.pb-c.h"
#include "problems.h"
#include "wire.h"

/* Packs one revision as a bare CountyInputs message (the stored form):
 * every present field as a row (item number, field id, value text,
 * evidence), then the province vetoes of `rules` (NULL: none) it answers.
 * Returns 0 and *out (caller frees), or -1 when out of memory. */
int wire_county_inputs_pack(const char *submission_id, const county_inputs_revision *rev, const rules_config *rules,
                            uint8_t **out, size_t *len);

/* Packs an Envelope carrying one revision as CountyInputs, with the request
 * id and the submission id (a UUID, the idempotency key). Same returns. */
int wire_envelope_pack_county_inputs(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *submission_id,
                                     const county_inputs_revision *rev, const rules_config *rules, uint8_t **out,
                                     size_t *len);

/* Reads a decoded CountyInputs into *out (zeroed first; clear its inputs
 * with county_inputs_clear) and submission_id: the submission id must be a
 * UUID, the county 6 digits, the period a 4-digit year, and every row passes
 * the county-inputs file's checks (row k is "row k", from 1), then the
 * parts-of-whole relations. Each refusal is added to errors (its field
 * "<item number> <field id>", or the message's field name). The message is
 * acceptable when errors stays empty; out->n_errors counts the refused rows.
 * Returns 0, or -1 when out of memory (*out then cleared). */
int wire_county_inputs_from_pb(const Junheng__CountyInputs *pb, const rules_config *rules,
                               char submission_id[SUBMISSION_ID_LEN + 1], county_inputs_revision *out,
                               problem_list *errors);

/* Unpacks bytes written by wire_county_inputs_pack. Returns 0, or -1 when
 * they do not decode or do not pass the checks (or out of memory). */
int wire_county_inputs_unpack(const uint8_t *data, size_t len, const rules_config *rules,
                              char submission_id[SUBMISSION_ID_LEN + 1], county_inputs_revision *out);

#endif
