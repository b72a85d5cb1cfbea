/* snapshot.c -- status queries on the snapshot socket: the current status of
 * one county, of every county under a city/province prefix (the snapshot of
 * ZeroMQ's Clone pattern that monitors start from), or a county's stored
 * history (queued to the history writer, answered when PostgreSQL has,
 * publish_history.c). See proto/README.md.
 *
 * Consistency: an answer reads the county book as it is now and never
 * publishes (nor marks anything published): each status is the county's
 * current state, rendered with the sequence of the county's last
 * publication. That state holds every publication up to that sequence, and
 * possibly changes the next publication (a higher sequence, rendered later)
 * will carry again; so the answer's "seqs" are the sequences it is
 * consistent with: a monitor applies every publication above them.
 *
 * Scope: a monitor key reads inside its scope only (auth_may_query, before
 * anything is rendered); the publish socket narrows its subscriptions the
 * same way (publish_subscriptions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_code.h"
#include "i18n.h"
#include "i18n_init.h"
#include "json_writer.h"
#include "log.h"
#include "publish_internal.h"
#include "wire.h"

/* Answers a query with status and one problem (field, reason). */
static void snapshot_refuse(publisher *self, const peer_address *peer, const Junheng__Envelope *env,
                            Junheng__ReplyStatus status, const char *field, const char *reason)
{
    problem_list errs = { 0 };
    problem_list_add(&errs, field, "%s", reason);
    net_reply(self->snapshot_sock, peer, env && env->has_request_id ? env->request_id.data : NULL,
                 env && env->has_request_id ? env->request_id.len : 0, status, 0, &errs, NULL, NULL);
    problem_list_clear(&errs);
}

typedef struct {
    publisher *srv;
    int32_t period;
    status_view view;
    json_writer seqs;     /* the "seqs" object's members so far */
    json_writer list;     /* the "counties" array's elements so far */
    bool oom;
} prefix_ctx;

/* Adds one county of the prefix: its sequence, and its status in the
 * query's period when it has one. */
static void add_county(void *arg, county_record *c)
{
    prefix_ctx *ctx = arg;
    uint64_t seq = county_book_current_seq(ctx->srv->book, c->info.code, ctx->view);
    json_writer_key(&ctx->seqs, c->info.code);
    json_writer_int(&ctx->seqs, (int64_t)seq);
    county_entry *e = county_book_entry(ctx->srv->book, c->info.code, ctx->period);
    if (!e)
        return;
    char *status = publish_render(ctx->srv, e, ctx->view, seq);
    if (!status) {
        ctx->oom = true;
        return;
    }
    json_writer_raw(&ctx->list, status, strlen(status));
    free(status);
}

/* The answer for every county under prefix ("" for all) in a view:
 * {"prefix","period","view","epoch","seqs":{code:seq},"counties":[status...]},
 * each status rendered as publish_render does and copied in as text; seqs
 * are the view's. Returns compact JSON text (caller frees), or NULL when
 * out of memory. */
static char *answer_prefix(publisher *self, const char *prefix, int32_t period, status_view view)
{
    prefix_ctx ctx = { .srv = self, .period = period, .view = view };
    json_writer_init(&ctx.seqs);
    json_writer_init(&ctx.list);
    json_writer_object_begin(&ctx.seqs);
    json_writer_array_begin(&ctx.list);
    county_book_foreach_county(self->book, prefix, add_county, &ctx);
    json_writer_object_end(&ctx.seqs);
    json_writer_array_end(&ctx.list);

    json_writer w;
    json_writer_init(&w);
    json_writer_object_begin(&w);
    json_writer_key(&w, "prefix");
    json_writer_string(&w, prefix);
    json_writer_key(&w, "period");
    json_writer_int(&w, period);
    json_writer_key(&w, "view");
    json_writer_string(&w, status_view_key(view));
    json_writer_key(&w, "epoch");
    json_writer_string(&w, self->epoch);
    size_t len;
    const char *text = json_writer_text(&ctx.seqs, &len);
    json_writer_key(&w, "seqs");
    json_writer_raw(&w, text, len);
    text = json_writer_text(&ctx.list, &len);
    json_writer_key(&w, "counties");
    json_writer_raw(&w, text, len);
    json_writer_object_end(&w);
    if (ctx.oom || ctx.seqs.oom || ctx.list.oom)
        json_writer_release(&w);
    json_writer_release(&ctx.seqs);
    json_writer_release(&ctx.list);
    return json_writer_take(&w);
}

/* The prefix a query names (admin_code.h): a province (37 or 370000), a city
 * (3714 or 371400),
 * "" or "all" (everything), or -- for monitor snapshots -- a 6-digit county.
 * Returns 0 with prefix filled, or -1. */
static int query_prefix(const char *code, bool snapshot, char prefix[COUNTY_CODE_LEN + 1])
{
    memset(prefix, 0, COUNTY_CODE_LEN + 1);
    if (*code == '\0' || strcmp(code, "all") == 0)
        return 0;
    admin_code c;
    if (admin_code_parse(code, &c) != 0 || (c.kind == ADMIN_COUNTY && !snapshot))
        return -1;
    memcpy(prefix, c.prefix, strlen(c.prefix));
    return 0;
}

/* Puts the web user of env's session (if any) in *as_user. Returns true, or
 * false after refusing the request on "session" and freeing env. */
static bool snapshot_as_session_user(publisher *self, peer_address *as_user, Junheng__Envelope *env)
{
    char why[256];
    if (auth_peer_session(self->policy, as_user, env->session, why, sizeof why))
        return true;
    snapshot_refuse(self, as_user, env, JUNHENG__REPLY_STATUS__REFUSED, "session", why);
    junheng__envelope__free_unpacked(env, NULL);
    return false;
}

/* Answers what is not a county or prefix status query: a school's own
 * result (snapshot_school.c), or a refusal. Returns true when it answered
 * (env freed), false for a county query, left to the caller. */
static bool snapshot_not_county_query(publisher *self, const peer_address *peer, Junheng__Envelope *env)
{
    if (env && env->body_case == JUNHENG__ENVELOPE__BODY_STATUS_QUERY && env->status_query->school_code) {
        snapshot_school(self, peer, env); /* one school's own result (snapshot_school.c) */
        junheng__envelope__free_unpacked(env, NULL);
        return true;
    }
    if (env && env->body_case == JUNHENG__ENVELOPE__BODY_STATUS_QUERY && env->status_query->county_code)
        return false;
    snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "", _("not a status query"));
    if (env)
        junheng__envelope__free_unpacked(env, NULL);
    return true;
}

/* Answers one query (env, may be NULL: not a message; taken). */
static void snapshot_answer(publisher *self, const peer_address *from, Junheng__Envelope *env)
{
    peer_address as_user = *from; /* with the web user's session, when the query names one */
    const peer_address *peer = &as_user;
    if (env && !snapshot_as_session_user(self, &as_user, env))
        return; /* refused and freed */
    if (snapshot_not_county_query(self, peer, env))
        return; /* answered and freed */
    char why[256];
    const Junheng__StatusQuery *q = env->status_query;
    const char *code = q->county_code;
    if (!auth_may_query(self->policy, peer, code, why, sizeof why)) { /* a monitor reads inside its scope only (auth.h) */
        snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "county_code", why);
        junheng__envelope__free_unpacked(env, NULL);
        return;
    }
    status_view view = VIEW_LIVE;
    if (q->view && q->view[0] && strcmp(q->view, "live") != 0) {
        if (strcmp(q->view, "official") != 0) {
            char reason[160];
            snprintf(reason, sizeof reason, _("unknown view '%.20s': live or official"), q->view);
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "view", reason);
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        view = VIEW_OFFICIAL;
    }
    int32_t period = q->has_period ? q->period : 0;
    bool snapshot = q->has_snapshot && q->snapshot;
    bool history = q->has_history && q->history;
    size_t n = strlen(code);
    char *body = NULL;
    bool is_county = n == 6 && code_is_digits(code, 6) && registry_county(self->reg, code) != NULL;
    if (history && !snapshot) {
        if (!is_county) {
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "county_code",
                            _("history is kept per county: give a registered 6-digit county code"));
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        /* answered once every publication so far is stored (never waited for) */
        publish_history_query(self, peer, env->request_id.data, env->request_id.len, code, period, view,
                              env->lang);
        junheng__envelope__free_unpacked(env, NULL);
        return;
    } else if (is_county && !snapshot) {
        county_entry *e = county_book_entry(self->book, code, period);
        if (!e) {
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "period",
                            _("no submissions yet for any period"));
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        body = publish_render(self, e, view, county_book_current_seq(self->book, code, view));
    } else {
        char prefix[COUNTY_CODE_LEN + 1];
        if (query_prefix(code, snapshot, prefix) != 0) {
            char reason[192];
            snprintf(reason, sizeof reason, _("'%.12s' is neither a registered county nor a city or province code"),
                     code);
            snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__REFUSED, "county_code", reason);
            junheng__envelope__free_unpacked(env, NULL);
            return;
        }
        body = answer_prefix(self, prefix, period, view);
    }
    if (!body)
        snapshot_refuse(self, peer, env, JUNHENG__REPLY_STATUS__RETRY_LATER, "", _("server out of memory"));
    else
        net_reply(self->snapshot_sock, peer, env->request_id.data, env->request_id.len,
                     JUNHENG__REPLY_STATUS__OK, 0, NULL, NULL, body);
    free(body);
    junheng__envelope__free_unpacked(env, NULL);
}

void snapshot_handle(publisher *self, const peer_address *from, const uint8_t *data, size_t len)
{
    Junheng__Envelope *env = junheng__envelope__unpack(NULL, len, data);
    /* refusals in the query's language (Envelope.lang; none: the daemon's);
     * the statuses themselves are JSON, the same in every language */
    locale_t lang = i18n_use(env ? env->lang : NULL);
    snapshot_answer(self, from, env);
    i18n_restore(lang);
}
