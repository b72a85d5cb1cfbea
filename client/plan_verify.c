/* plan_verify.c -- the daemon's what-if for `junheng plan` (plan_cli.h):
 * the request, and a plan checked by it -- the additions as WhatIfChange
 * lines, the "after" status read back. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan_cli.h"
#include "wire.h"

#define VALUE_MAX 64

/* The changes of one what-if, with their text owned here. */
typedef struct {
    Junheng__WhatIfChange *items;
    Junheng__WhatIfChange **ptrs;
    char (*field)[64];
    char **value;       /* each malloc'd */
    size_t n, cap;
} change_list;

static void changes_free(change_list *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->value[i]);
    free(c->items);
    free(c->ptrs);
    free(c->field);
    free(c->value);
    memset(c, 0, sizeof *c);
}

/* Adds one change (value copied). 0, or -1 when out of memory. */
static int change_add(change_list *c, const char *code, const char *field, const char *value)
{
    if (!(c->value[c->n] = strdup(value)))
        return -1;
    snprintf(c->field[c->n], sizeof c->field[c->n], "%s", field);
    Junheng__WhatIfChange *w = &c->items[c->n];
    junheng__what_if_change__init(w);
    w->school_code = (char *)code;
    w->field = c->field[c->n];
    w->value = c->value[c->n];
    c->ptrs[c->n] = w;
    c->n++;
    return 0;
}

/* Adds "+v" on field when v is not 0. */
static int change_plus(change_list *c, const char *code, const char *field, double v)
{
    if (v == 0)
        return 0;
    char text[VALUE_MAX];
    snprintf(text, sizeof text, "+%.0f", v);
    return change_add(c, code, field, text);
}

/* The room list with k rooms of area appended, as "a;b;c" (caller frees), or NULL. */
static char *room_list(const double *areas, size_t n, int64_t k, double area)
{
    size_t total = n + (size_t)k, cap = total * 32 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < total; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%.15g", i ? ";" : "", i < n ? areas[i] : area);
    return out;
}

/* Adds one school's changes; with_rooms also its room lists. 0, or -1. */
static int school_changes(change_list *c, const submission *sub, const plan_additions *a,
                          const rules_config *rules, bool with_rooms)
{
    const char *code = sub->school_code;
    static const char *const hire_field[HIRE_COUNT] = { "qualified_teachers", "backbone_teachers",
                                                        "pe_art_teachers" };
    int64_t hired = 0;
    int rc = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        int64_t n = 0;
        char field[64];
        for (int h = 0; h < HIRE_COUNT; h++) {
            n += a->teachers[s][h];
            snprintf(field, sizeof field, "%s_%s", STAGE_KEYS[s], hire_field[h]);
            rc |= change_plus(c, code, field, (double)a->teachers[s][h]);
        }
        snprintf(field, sizeof field, "%s_teachers", STAGE_KEYS[s]);
        rc |= change_plus(c, code, field, (double)n);
        hired += n;
    }
    rc |= change_plus(c, code, "certified_teachers", (double)hired);
    rc |= change_plus(c, code, "trained_teachers", (double)hired);
    rc |= change_plus(c, code, "teaching_area_m2", a->teaching_area_m2);
    rc |= change_plus(c, code, "sports_area_m2", a->sports_area_m2);
    rc |= change_plus(c, code, "equipment_value_yuan", a->equipment_yuan);
    rc |= change_plus(c, code, "multimedia_rooms", (double)a->multimedia_rooms);
    for (int kind = 0; with_rooms && kind < 2 && rc == 0; kind++) {
        int64_t k = kind ? a->art_rooms : a->music_rooms;
        if (k == 0)
            continue;
        char *list = kind ? room_list(sub->art_room_areas_m2, sub->n_art_rooms, k, rules->art_room_min_area_m2)
                          : room_list(sub->music_room_areas_m2, sub->n_music_rooms, k,
                                      rules->music_room_min_area_m2);
        rc |= list ? change_add(c, code, kind ? "art_room_areas_m2" : "music_room_areas_m2", list) : -1;
        free(list);
    }
    return rc;
}

/* Builds the changes of the whole plan. 0, or -1 when out of memory. */
static int plan_changes(change_list *c, const plan_county_data *d, const plan_result *res,
                        const rules_config *rules, bool with_rooms)
{
    c->cap = d->n * 20 + 1;   /* at most 16 changes a school */
    c->items = calloc(c->cap, sizeof *c->items);
    c->ptrs = calloc(c->cap, sizeof *c->ptrs);
    c->field = calloc(c->cap, sizeof *c->field);
    c->value = calloc(c->cap, sizeof *c->value);
    if (!c->items || !c->ptrs || !c->field || !c->value)
        return -1;
    for (size_t i = 0; i < d->n && i < res->n; i++)
        if (d->entries[i].sub && school_changes(c, d->entries[i].sub, &res->add[i], rules, with_rooms) != 0)
            return -1;
    return 0;
}

Junheng__Reply *plan_whatif(client_options *opts, const char *county, int32_t period, bool with_schools,
                            Junheng__WhatIfChange **changes, size_t n_changes)
{
    Junheng__WhatIfRequest w = JUNHENG__WHAT_IF_REQUEST__INIT;
    w.county_code = (char *)county;
    w.has_period = period != 0;
    w.period = period;
    w.has_with_schools = with_schools;
    w.with_schools = with_schools;
    w.changes = changes;
    w.n_changes = n_changes;
    Junheng__Envelope env = JUNHENG__ENVELOPE__INIT;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    if (wire_request_id_new(rid) != 0)
        return NULL;
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.body_case = JUNHENG__ENVELOPE__BODY_WHATIF;
    env.whatif = &w;
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_pack_message(&env.base, &msg, &len) != 0)
        return NULL;
    Junheng__Reply *reply = client_request_one(opts->admin_endpoint, msg, len, rid, &opts->transport);
    free(msg);
    return reply;
}

/* Whether a refusal names a room list. */
static bool refused_rooms(const Junheng__Reply *r)
{
    for (size_t i = 0; i < r->n_errors; i++)
        if (r->errors[i]->field && strstr(r->errors[i]->field, "room_areas_m2"))
            return true;
    return false;
}

/* Reads "after" of an OK answer into check. */
static void read_after(const char *body, plan_check *check)
{
    json_t *j = json_loads(body ? body : "", 0, NULL);
    json_t *after = json_object_get(j, "after");
    if (!json_is_object(after)) {
        snprintf(check->note, sizeof check->note, "%s", _("the what-if answer has no \"after\" status"));
        json_decref(j);
        return;
    }
    check->done = true;
    check->resource_pass = json_is_true(json_object_get(after, "resource_allocation_pass"));
    json_t *rooms = json_object_get(json_object_get(after, "guarantee"), "music_art_rooms");
    if (!check->rooms_local_only)
        check->rooms_pass = json_is_true(json_object_get(rooms, "pass"));
    const char *verdict = json_string_value(json_object_get(after, "verdict"));
    snprintf(check->verdict, sizeof check->verdict, "%s", verdict ? verdict : "");
    json_decref(j);
}

void plan_verify(client_options *opts, const plan_county_data *d, const plan_result *res,
                 const rules_config *rules, plan_check *check)
{
    memset(check, 0, sizeof *check);
    for (int attempt = 0; attempt < 2; attempt++) {
        bool with_rooms = attempt == 0;
        change_list c;
        memset(&c, 0, sizeof c);
        if (plan_changes(&c, d, res, rules, with_rooms) != 0) {
            snprintf(check->note, sizeof check->note, "%s", _("out of memory"));
            changes_free(&c);
            return;
        }
        /* nothing to add (the county passes as it is): the daemon takes no empty what-if
           except with with_schools, whose "after" is the status as it is */
        Junheng__Reply *reply = plan_whatif(opts, d->county.code, d->period, c.n == 0, c.ptrs, c.n);
        changes_free(&c);
        if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
            snprintf(check->note, sizeof check->note, _("no answer from %s"), opts->admin_endpoint);
        } else if (reply->status == JUNHENG__REPLY_STATUS__OK) {
            read_after(reply->body, check);
        } else if (with_rooms && refused_rooms(reply)) {
            check->rooms_local_only = true;   /* the daemon takes no room lists: send the rest */
            check->rooms_pass = res->rooms_pass;
            junheng__reply__free_unpacked(reply, NULL);
            continue;
        } else {
            snprintf(check->note, sizeof check->note, _("the daemon refused the plan's what-if: %s"),
                     reply->n_errors && reply->errors[0]->reason ? reply->errors[0]->reason : "?");
        }
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        return;
    }
}
