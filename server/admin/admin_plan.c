/* admin_plan.c -- `import-plan`: the city's plan (docs/formats.md "The
 * city's plan"). The file is read whole (common/plan_csv.c, counties by
 * code or by their registry name) and refused whole on any problem; a good
 * one appends one revision per row with the audit row in one transaction,
 * and once PostgreSQL confirmed it the rows are put in force in the county
 * book, which republishes their counties. See admin_internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "log.h"

/* The registry's counties as plan_county (borrowed strings). */
typedef struct {
    plan_county *list;
    size_t n, cap;
    int oom;
} county_list;

static void add_county(void *arg, county_record *c)
{
    county_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        plan_county *grown = realloc(l->list, cap * sizeof *grown);
        if (!grown) {
            l->oom = 1;
            return;
        }
        l->list = grown;
        l->cap = cap;
    }
    l->list[l->n++] = (plan_county){ c->info.code, c->info.name };
}

/* Puts the committed revisions (answer: [{county_code, period, revision,
 * imported_at}]) on the rows, the rows in force, and replies. */
static void plan_finish(admin *self, int rc, const store_answer *answer)
{
    if (rc != STORE_OK) {
        admin_reply_store_error(self, &self->cur, rc);
        return;
    }
    json_t *revs = json_loads(answer->text ? answer->text : "[]", 0, NULL);
    size_t i;
    json_t *r;
    json_array_foreach(revs, i, r)
    {
        const char *code = json_string_value(json_object_get(r, "county_code"));
        int32_t period = (int32_t)json_integer_value(json_object_get(r, "period"));
        for (size_t k = 0; code && k < self->n_plans; k++) {
            plan_row *p = &self->plans[k];
            if (strcmp(p->county_code, code) == 0 && p->period == period) {
                const char *at = json_string_value(json_object_get(r, "imported_at"));
                p->revision = json_integer_value(json_object_get(r, "revision"));
                snprintf(p->imported_at, sizeof p->imported_at, "%s", at ? at : "");
            }
        }
    }
    if (county_book_plan_put(self->book, self->plans, self->n_plans, true) != 0)
        log_error("out of memory putting the plan in force: it is shown after a restart");
    log_info("imported the plan: %zu rows", self->n_plans);
    admin_reply_json(self, &self->cur, json_pack("{s:I, s:o}", "rows", (json_int_t)self->n_plans, "revisions",
                                                 revs ? revs : json_array()));
}

/* The request of store_plan_send for the rows read, by key k from the file
 * named file_name: JSON text (caller frees), or NULL when out of memory. */
static char *plan_request(admin *self, const auth_key *k, const char *file_name)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < self->n_plans; i++) {
        char *figures = plan_row_to_json(&self->plans[i]);
        json_t *f = figures ? json_loads(figures, 0, NULL) : NULL;
        free(figures);
        if (!f || json_array_append_new(rows, json_pack("{s:s, s:i, s:I, s:o}", "county_code",
                                                        self->plans[i].county_code, "period",
                                                        (int)self->plans[i].period, "line",
                                                        (json_int_t)self->plans[i].line, "figures", f)) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    json_t *req = rows ? json_pack("{s:s, s:s, s:s, s:o}", "imported_by", k->subject, "actor_key",
                                   self->policy->plaintext ? "" : k->public_key, "file_name", file_name, "rows", rows)
                       : NULL;
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    return text;
}

void admin_import_plan(admin *self)
{
    const Junheng__AdminRequest *req = self->cur.env->admin;
    const char *file_name = req->n_args > 0 && req->args[0] ? req->args[0] : "";
    const auth_key *k = admin_review_actor(self);
    if (!k)
        return;
    county_list counties = { 0 };
    registry_foreach_county(self->reg, add_county, &counties);
    problem_list errs = { 0 };
    int rc = counties.oom ? -1
                          : plan_csv_read((const char *)req->file.data, req->file.len, counties.list, counties.n,
                                          &self->plans, &self->n_plans, &errs);
    free(counties.list);
    if (counties.oom || errs.oom) {
        problem_list_add(&errs, "", "server out of memory");
        admin_reply_problems(self, &self->cur, JUNHENG__REPLY_STATUS__RETRY_LATER, &errs);
    } else if (rc < 0 || errs.count > 0) {
        admin_reply_problems(self, &self->cur, JUNHENG__REPLY_STATUS__REFUSED, &errs);
    } else {
        json_t *codes = json_array();
        for (size_t i = 0; codes && i < self->n_plans; i++)
            json_array_append_new(codes, json_string(self->plans[i].county_code));
        char *audit = codes ? admin_audit_text(self, "import_plan",
                                               json_pack("{s:I, s:s, s:o}", "rows", (json_int_t)self->n_plans,
                                                         "file_name", file_name, "counties", codes))
                            : NULL;
        char *request = audit ? plan_request(self, k, file_name) : NULL;
        store_call *call = NULL;
        rc = request ? store_plan_send(self->db, request, audit, &call) : STORE_DOWN;
        free(audit);
        free(request);
        admin_send(self, rc, call, plan_finish);
    }
    problem_list_clear(&errs);
}
