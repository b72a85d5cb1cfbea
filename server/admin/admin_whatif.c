/* admin_whatif.c -- a what-if on the admin socket (Envelope.whatif,
 * docs/whatif.md): answered at once from memory (county_book_whatif), never
 * queued behind the database, nothing stored or published. Who may: admin
 * keys, monitor keys inside their scope and county keys for their own
 * county (the keys that may read the county's status); school keys are
 * refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_internal.h"
#include "i18n.h"
#include "log.h"

/* A clock in milliseconds (the debug log's timing): CLOCK_MONOTONIC, or
 * CLOCK_THREAD_CPUTIME_ID (this thread's CPU time: what the event loop
 * spends, whatever else the machine runs). */
static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Whether the sender may ask a what-if of county_code; refuses it when not. */
static bool whatif_allowed(admin *self, const admin_request *r, const char *county_code)
{
    char why[256];
    const auth_key *k = auth_peer(self->policy, &r->peer, why, sizeof why);
    if (k && k->role == ROLE_SCHOOL) {
        snprintf(why, sizeof why, _("this is a school key (%s); a what-if is asked with a county, monitor or admin key"),
                 k->subject);
        k = NULL;
    } else if (k && !auth_may_query(self->policy, &r->peer, county_code, why, sizeof why)) {
        k = NULL;
    }
    if (k)
        return true;
    self->counters->auth_refused++;
    log_info("whatif refused: %s", why);
    admin_refuse(self, r, "county_code", why);
    return false;
}

/* Reads the request's view into *view; refuses an unknown one. */
static bool whatif_view(admin *self, const admin_request *r, const char *text, status_view *view)
{
    *view = VIEW_LIVE;
    if (!text || !*text || strcmp(text, "live") == 0)
        return true;
    if (strcmp(text, "official") == 0) {
        *view = VIEW_OFFICIAL;
        return true;
    }
    char reason[128];
    snprintf(reason, sizeof reason, _("unknown view '%.20s': live or official"), text);
    admin_refuse(self, r, "view", reason);
    return false;
}

void admin_whatif(admin *self, const admin_request *r)
{
    const Junheng__WhatIfRequest *q = r->env->whatif;
    const char *county = q->county_code ? q->county_code : "";
    status_view view;
    if (!whatif_allowed(self, r, county) || !whatif_view(self, r, q->view, &view))
        return;
    whatif_change *changes = calloc(q->n_changes ? q->n_changes : 1, sizeof *changes);
    if (!changes) {
        admin_refuse(self, r, "", _("server out of memory"));
        return;
    }
    for (size_t i = 0; i < q->n_changes; i++)
        changes[i] = (whatif_change){ q->changes[i]->school_code, q->changes[i]->field, q->changes[i]->value };
    whatif_request req = { county, q->has_period ? q->period : 0, view, changes, q->n_changes,
                           q->has_with_schools && q->with_schools, self->limits };
    char now[32];
    county_render_opts o;
    publish_render_opts(self->pub, county_book_current_seq(self->book, county, view), now, sizeof now, &o);
    problem_list errors = { 0 };
    char *answer = NULL;
    double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
    int rc = county_book_whatif(self->book, &req, &o, &errors, &answer);
    /* the event loop's time on it (tests/bench/whatif.sh reads this line) */
    log_debug("whatif %.6s: %zu changes answered in %.3f ms, %zu bytes, cpu %.3f ms", county, q->n_changes,
              clock_ms(CLOCK_MONOTONIC) - t0, answer ? strlen(answer) : 0, clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0);
    if (rc == 0)
        admin_reply_text(self, r, answer);
    else if (rc > 0)
        admin_reply_problems(self, r, JUNHENG__REPLY_STATUS__REFUSED, &errors);
    else
        admin_reply_problems(self, r, JUNHENG__REPLY_STATUS__RETRY_LATER, &(problem_list){ 0 });
    free(answer);
    free(changes);
    problem_list_clear(&errors);
}
