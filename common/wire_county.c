/* wire_county.c -- CountyInputs encode/decode. See wire_county.h. */
#include "wire_county.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell_text.h"

/* The rows of one revision being packed: one CountyInputRow per present
 * slot, with the value texts they point to (nothing else allocated). */
typedef struct {
    Junheng__CountyInputRow rows[CI_SLOT_COUNT];
    Junheng__CountyInputRow *ptrs[CI_SLOT_COUNT];
    char values[CI_SLOT_COUNT][COUNTY_VALUE_TEXT_MAX];
    size_t n;
} rows_view;

/* Adds one present value as a row. */
static void view_add(rows_view *rv, const char *number, const char *key, county_input_type type,
                     const county_input_value *v)
{
    Junheng__CountyInputRow *row = &rv->rows[rv->n];
    junheng__county_input_row__init(row);
    county_input_value_text(type, v, rv->values[rv->n]);
    row->item = (char *)number;
    row->field = (char *)key;
    row->value = rv->values[rv->n];
    row->evidence = v->evidence;
    rv->ptrs[rv->n] = row;
    rv->n++;
}

/* Fills a CountyInputs view over rev (pointers into rev and rv). */
static void county_inputs_to_pb(const char *submission_id, const county_inputs_revision *rev,
                                const rules_config *rules, Junheng__CountyInputs *pb, rows_view *rv)
{
    junheng__county_inputs__init(pb);
    pb->submission_id = (char *)submission_id;
    pb->county_code = (char *)rev->county_code;
    pb->has_period = 1;
    pb->period = rev->period;
    rv->n = 0;
    for (int f = 0; f < CI_FIELD_COUNT; f++) {
        const county_input_def *d = &COUNTY_INPUT_DEFS[f];
        if (rev->inputs.v[f].present)
            view_add(rv, ITEMS[d->item].number, d->key, d->type, &rev->inputs.v[f]);
    }
    for (int k = 0; rules && k < rules->n_extra_vetoes; k++)
        if (rev->inputs.extra_veto[k].present)
            view_add(rv, rules->extra_veto[k].number, "present", CIT_VETO, &rev->inputs.extra_veto[k]);
    pb->n_rows = rv->n;
    pb->rows = rv->ptrs;
}

int wire_county_inputs_pack(const char *submission_id, const county_inputs_revision *rev, const rules_config *rules,
                            uint8_t **out, size_t *len)
{
    Junheng__CountyInputs pb;
    rows_view *rv = malloc(sizeof *rv);
    if (!rv)
        return -1;
    county_inputs_to_pb(submission_id, rev, rules, &pb, rv);
    int rc = wire_pack_message(&pb.base, out, len);
    free(rv);
    return rc;
}

int wire_envelope_pack_county_inputs(const uint8_t request_id[WIRE_REQUEST_ID_LEN], const char *submission_id,
                                     const county_inputs_revision *rev, const rules_config *rules, uint8_t **out,
                                     size_t *len)
{
    Junheng__Envelope env;
    Junheng__CountyInputs pb;
    rows_view *rv = malloc(sizeof *rv);
    if (!rv)
        return -1;
    wire_envelope_init(&env, request_id); /* version, request id, this client's language */
    county_inputs_to_pb(submission_id, rev, rules, &pb, rv);
    env.body_case = JUNHENG__ENVELOPE__BODY_COUNTY_INPUTS;
    env.county_inputs = &pb;
    int rc = wire_pack_message(&env.base, out, len);
    free(rv);
    return rc;
}

/* Checks the message's submission id, county and period into submission_id / out. */
static void identity_from_pb(const Junheng__CountyInputs *pb, char submission_id[SUBMISSION_ID_LEN + 1],
                             county_inputs_revision *out, problem_list *errors)
{
    char b[64];
    if (!pb->submission_id || !pb->submission_id[0])
        problem_list_add(errors, "submission_id", "%s", _("missing"));
    else if (!wire_uuid_valid(pb->submission_id))
        problem_list_add(errors, "submission_id", _("'%s' is not a UUID"),
                         cell_text_shown(pb->submission_id, b, sizeof b));
    else
        snprintf(submission_id, SUBMISSION_ID_LEN + 1, "%s", pb->submission_id);
    if (!pb->county_code || !code_is_digits(pb->county_code, COUNTY_CODE_LEN))
        problem_list_add(errors, "county_code", _("county_code '%s' must be 6 digits"),
                         cell_text_shown(pb->county_code ? pb->county_code : "", b, sizeof b));
    else
        snprintf(out->county_code, sizeof out->county_code, "%s", pb->county_code);
    if (!pb->has_period || pb->period < 1000 || pb->period > 9999)
        problem_list_add(errors, "period", "%s", _("period must be a 4-digit year"));
    else
        out->period = pb->period;
}

int wire_county_inputs_from_pb(const Junheng__CountyInputs *pb, const rules_config *rules,
                               char submission_id[SUBMISSION_ID_LEN + 1], county_inputs_revision *out,
                               problem_list *errors)
{
    memset(out, 0, sizeof *out);
    submission_id[0] = '\0';
    identity_from_pb(pb, submission_id, out, errors);
    county_rows_ctx ctx = { rules, errors, "条", "row" };
    county_rows_seen *seen = calloc(1, sizeof *seen);
    if (!seen) {
        problem_list_add(errors, "", "out of memory");
        return -1;
    }
    int oom = 0;
    for (size_t i = 0; i < pb->n_rows && !oom; i++) {
        const Junheng__CountyInputRow *row = pb->rows[i];
        int rc = county_rows_apply(&ctx, &out->inputs, seen, row->item, row->field, row->value, row->evidence, i + 1);
        oom = rc < 0;
        out->n_errors += rc == 0;
    }
    if (!oom)
        out->n_errors += county_rows_check_relations(&ctx, &out->inputs, seen);
    free(seen);
    out->first_line = 1;
    if (oom || errors->oom) {
        county_inputs_clear(&out->inputs);
        return -1;
    }
    return 0;
}

int wire_county_inputs_unpack(const uint8_t *data, size_t len, const rules_config *rules,
                              char submission_id[SUBMISSION_ID_LEN + 1], county_inputs_revision *out)
{
    memset(out, 0, sizeof *out);
    Junheng__CountyInputs *pb = junheng__county_inputs__unpack(NULL, len, data);
    if (!pb)
        return -1;
    problem_list errs = { 0 };
    int rc = wire_county_inputs_from_pb(pb, rules, submission_id, out, &errs);
    if (rc == 0 && errs.count > 0) {
        county_inputs_clear(&out->inputs);
        rc = -1;
    }
    problem_list_clear(&errs);
    junheng__county_inputs__free_unpacked(pb, NULL);
    return rc;
}
