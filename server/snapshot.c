/* snapshot.c -- status queries on the snapshot socket: the current status of
 * one county, of every county under a city/province prefix, or a county's
 * stored history. See proto/README.md. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "wire.h"

static void snapshot_refuse(server *self, const peer_address *peer, const Junheng__Envelope *env,
                            Junheng__ReplyStatus status, const char *field, const char *reason)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, field, "%s", reason);
    server_reply(self, self->snapshot_sock, peer, env && env->has_request_id ? env->request_id.data : NULL,
                 env && env->has_request_id ? env->request_id.len : 0, status, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
}

typedef struct {
    server *srv;
    int32_t period;
    json_t *list;
} prefix_ctx;

/* Adds the status of one county (in the query's period) to the list. */
static void add_county(void *arg, county_record *c)
{
    prefix_ctx *ctx = arg;
    county_entry *e = county_book_entry(ctx->srv->book, c->info.code, ctx->period);
    if (!e)
        return;
    char *json = publish_render(ctx->srv, e, county_book_current_seq(ctx->srv->book, c->info.code));
    json_t *o = json ? json_loads(json, 0, NULL) : NULL;
    if (o)
        json_array_append_new(ctx->list, o);
    free(json);
}

void snapshot_handle(server *self, const peer_address *peer, const uint8_t *data, size_t len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    if (!env || env->body_case != JUNHENG__ENVELOPE__BODY_STATUS_QUERY || !env->status_query->county_code) {
        snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "", "not a status query");
        if (env)
            junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    const Junheng__StatusQuery *q = env->status_query;
    const char *code = q->county_code;
    int32_t period = q->has_period ? q->period : 0;
    size_t n = strlen(code);
    char *body = NULL;
    bool is_county = n == 6 && code_is_digits(code, 6) && registry_county(self->reg, code) != NULL;
    if (q->has_history && q->history) {
        if (!is_county) {
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "county_code",
                            "history is kept per county: give a registered 6-digit county code");
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        int rc = store_status_history(self->db, code, period, 1000, &body);
        if (rc != STORE_OK) {
            snapshot_refuse(self, peer, env,
                            rc == STORE_DOWN ? JUNHENG__REPLY_STATUS__RETRY_LATER : JUNHENG__REPLY_STATUS__REFUSED, "",
                            store_last_error(self->db));
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
    } else if (is_county) {
        county_entry *e = county_book_entry(self->book, code, period);
        if (!e) {
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "period",
                            "no submissions yet for any period");
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        body = publish_render(self, e, county_book_current_seq(self->book, code));
    } else {
        /* A prefix: 2 digits (province), 4 digits or a city code NNNN00. */
        char prefix[7] = { 0 };
        if ((n == 2 || n == 4) && code_is_digits(code, n))
            memcpy(prefix, code, n);
        else if (n == 6 && code_is_digits(code, 6) && strcmp(code + 4, "00") == 0)
            memcpy(prefix, code, 4);
        else if (n == 0 || strcmp(code, "all") == 0)
            prefix[0] = '\0';
        else {
            char reason[128];
            snprintf(reason, sizeof reason, "'%.12s' is neither a registered county nor a city or province code", code);
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "county_code", reason);
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        prefix_ctx ctx = { self, period, json_array() };
        if (ctx.list)
            county_book_foreach_county(self->book, prefix, add_county, &ctx);
        json_t *o = ctx.list ? json_pack("{s:s, s:o}", "prefix", prefix, "counties", ctx.list) : NULL;
        body = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
    }
    if (!body)
        snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__RETRY_LATER, "", "server out of memory");
    else
        server_reply(self, self->snapshot_sock, peer, env->request_id.data, env->request_id.len,
                     JUNHENG__REPLY_STATUS__OK, 0, NULL, NULL, body);
    free(body);
    junheng__envelope__free_unpacked(env, NULL);
}
