/* county_book_whatif.c -- a what-if (docs/whatif.md): hypothetical changes
 * to schools' submissions applied to a COPY of one view of a county (its
 * incremental state and item facts), then the status before and after
 * computed by county_book_evaluate -- the function every published status
 * and status query is computed with, so the rules are the same code. The
 * book itself is not touched: nothing is stored, marked changed or
 * published, and no sequence is used. Each changed submission must pass
 * validate_submission, as a real one must. See county_book.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#include "county_book_internal.h"
#include "json_writer.h"
#include "submission_csv.h"
#include "whatif.h"

/* One school the changes touch: its registry row and submission as held
 * (orig) and as changed (cur). */
typedef struct {
    school_record *rec;
    school_info info;
    submission orig, cur;
    bool ok;                       /* found, of the county, with a submission */
} whatif_school;

/* A what-if being answered: the copy of the view, the schools changed. */
typedef struct {
    county_book *book;
    const whatif_request *req;
    county_entry *e;               /* the book's entry (read only) */
    county_entry tmp;              /* shallow copy of *e whose view's state and facts are copies (owned) */
    whatif_school *schools;
    size_t n_schools;
    json_writer changes;           /* the "changes" array, written as they are applied */
} whatif_run;

/* The state slot of a view of e. */
static county_state **view_slot(county_entry *e, status_view v)
{
    return v == VIEW_OFFICIAL ? &e->official_state : &e->state;
}

/* Makes run->tmp: e with the view's state and facts copied (an official
 * view not built yet is built from the registry for the occasion). 0 or -1. */
static int copy_view(whatif_run *run)
{
    status_view v = run->req->view;
    run->tmp = *run->e;
    county_state **slot = view_slot(&run->tmp, v);
    school_facts_list *facts = &run->tmp.facts[v];
    memset(facts, 0, sizeof *facts);
    if (!*slot) {
        *slot = NULL;
        return book_official_materialize(run->book, &run->tmp);
    }
    const school_facts_list *from = &run->e->facts[v];
    *slot = county_state_copy(*view_slot(run->e, v));
    facts->items = malloc((from->n ? from->n : 1) * sizeof *facts->items);
    if (!*slot || !facts->items) {
        county_state_destroy(slot);
        facts_free(facts);
        return -1;
    }
    if (from->n)
        memcpy(facts->items, from->items, from->n * sizeof *facts->items);
    facts->n = facts->cap = from->n;
    return 0;
}

/* Frees what copy_view made. */
static void free_view(whatif_run *run)
{
    county_state_destroy(view_slot(&run->tmp, run->req->view));
    facts_free(&run->tmp.facts[run->req->view]);
}

/* The school of a change into *out (found, or added to run->schools with
 * its submission read from the registry); *out NULL when the school cannot
 * be changed (unknown, of another county, inactive, nothing submitted in
 * the view: the reason added to errors). Returns 0, or -1 when out of memory. */
static int school_of(whatif_run *run, const whatif_change *c, problem_list *errors, whatif_school **out)
{
    const char *code = c->school_code ? c->school_code : "";
    *out = NULL;
    for (size_t i = 0; i < run->n_schools; i++)
        if (strcmp(school_record_code(run->schools[i].rec), code) == 0) {
            *out = run->schools[i].ok ? &run->schools[i] : NULL;
            return 0;
        }
    school_record *rec = registry_school(run->book->reg, code);
    char field[96];
    snprintf(field, sizeof field, "%.16s.%.64s", code, c->field ? c->field : "");
    if (!rec || strcmp(school_record_county(rec), run->e->county_code) != 0 || !school_record_active(rec)) {
        problem_list_add(errors, field, _("school '%.16s' is not an active school of county %s"), code,
                         run->e->county_code);
        return errors->oom ? -1 : 0;
    }
    whatif_school *s = &run->schools[run->n_schools++];
    memset(s, 0, sizeof *s);
    s->rec = rec;
    school_record_info(rec, &s->info);
    int have = run->req->view == VIEW_OFFICIAL ? school_record_approved(rec, run->e->period, NULL, &s->orig)
                                               : school_record_latest(rec, run->e->period, NULL, &s->orig);
    if (have < 0)
        return -1;
    if (have == 0) {
        problem_list_add(errors, field, _("school %s has no %s submission for %d to change"), code,
                         status_view_key(run->req->view), run->e->period);
        return errors->oom ? -1 : 0;
    }
    if (submission_copy(&s->cur, &s->orig) != 0)
        return -1;
    s->ok = true;
    *out = s;
    return 0;
}

/* Applies one change, writing it to run->changes. 0, or -1 out of memory. */
static int apply_change(whatif_run *run, const whatif_change *c, problem_list *errors)
{
    whatif_school *s;
    if (school_of(run, c, errors, &s) != 0)
        return -1;
    if (!s)
        return 0;
    char field[96], why[256];
    snprintf(field, sizeof field, "%s.%.64s", school_record_code(s->rec), c->field ? c->field : "");
    submission was;
    if (submission_copy(&was, &s->cur) != 0)
        return -1;
    int col;
    if (whatif_apply(&s->cur, c->field, c->value, &col, why, sizeof why) != 0) {
        submission_clear(&was);
        return problem_list_add(errors, field, "%s", why);
    }
    json_writer *w = &run->changes;
    json_writer_object_begin(w);
    json_writer_kv_str(w, "school_code", school_record_code(s->rec));
    json_writer_kv_str(w, "field", SUBMISSION_COLUMNS[col]);
    json_writer_kv_str(w, "value", c->value ? c->value : "");
    json_writer_key(w, "old");
    whatif_write_value(w, &was, col);
    json_writer_key(w, "new");
    whatif_write_value(w, &s->cur, col);
    json_writer_object_end(w);
    submission_clear(&was);
    return 0;
}

/* Validates every changed submission as a submission is validated on
 * arrival; refusals go to errors as "school_code.column". 0 or -1 (OOM). */
static int validate_changed(whatif_run *run, problem_list *errors)
{
    for (size_t i = 0; i < run->n_schools; i++) {
        whatif_school *s = &run->schools[i];
        if (!s->ok)
            continue;
        problem_list errs = { 0 }, warnings = { 0 };
        validate_submission(&s->cur, &s->info, &s->orig, run->req->limits, &errs, &warnings);
        for (size_t k = 0; k < errs.count; k++) {
            char field[96];
            snprintf(field, sizeof field, "%s.%.64s", s->info.school_code, errs.items[k].field);
            problem_list_add(errors, field, "%s", errs.items[k].reason);
        }
        int oom = errs.oom;
        problem_list_clear(&errs);
        problem_list_clear(&warnings);
        if (oom)
            return -1;
    }
    return errors->oom ? -1 : 0;
}

/* Writes the "schools" array: every school of the view after the changes
 * (code order), its values null when it has no submission. 0 or -1. */
static int write_schools(whatif_run *run, json_writer *w)
{
    const school_facts_list *l = &run->tmp.facts[run->req->view];
    json_writer_key(w, "schools");
    json_writer_array_begin(w);
    for (size_t i = 0; i < l->n; i++) {
        const char *code = l->items[i].school_code;
        school_record *rec = registry_school(run->book->reg, code);
        if (!rec)
            continue;
        const submission *sub = NULL;
        for (size_t k = 0; k < run->n_schools && !sub; k++)
            if (run->schools[k].rec == rec)
                sub = &run->schools[k].cur;
        submission held;
        int have = 0;
        if (!sub) {
            have = run->req->view == VIEW_OFFICIAL ? school_record_approved(rec, run->e->period, NULL, &held)
                                                   : school_record_latest(rec, run->e->period, NULL, &held);
            if (have < 0)
                return -1;
            sub = have ? &held : NULL;
        }
        json_writer_object_begin(w);
        json_writer_kv_str(w, "school_code", code);
        json_writer_kv_str(w, "name", school_record_name(rec));
        json_writer_kv_str(w, "kind", SCHOOL_KIND_KEYS[l->items[i].kind]);
        json_writer_key(w, "values");
        if (sub)
            whatif_write_values(w, sub);
        else
            json_writer_null(w);
        json_writer_object_end(w);
        if (have)
            submission_clear(&held);
    }
    json_writer_array_end(w);
    return 0;
}

/* Computes both statuses and writes the answer into *answer. 0 or -1. */
static int answer_of(whatif_run *run, const county_render_opts *o, char **answer)
{
    status_view v = run->req->view;
    char *before = NULL, *after = NULL;
    county_status *bst = NULL, *ast = NULL;
    county_verdict *bv = NULL, *av = NULL;
    int rc = -1;
    for (size_t i = 0; i < run->n_schools; i++)
        if (book_view_put(&run->tmp, v, &run->schools[i].info, &run->schools[i].cur) != 0)
            goto done;
    if (county_book_evaluate(run->book, run->e, v, o, &before, &bst, &bv) != 0 ||
        county_book_evaluate(run->book, &run->tmp, v, o, &after, &ast, &av) != 0)
        goto done;
    json_writer w;
    json_writer_init(&w);
    json_writer_object_begin(&w);
    json_writer_kv_str(&w, "county_code", run->e->county_code);
    json_writer_kv_int(&w, "period", run->e->period);
    json_writer_kv_str(&w, "view", status_view_key(v));
    size_t len;
    const char *text = json_writer_text(&run->changes, &len);
    json_writer_key(&w, "changes");
    json_writer_raw(&w, text, len);
    json_writer_key(&w, "before");
    json_writer_raw(&w, before, strlen(before));
    json_writer_key(&w, "after");
    json_writer_raw(&w, after, strlen(after));
    json_writer_key(&w, "diff");
    whatif_write_diff(&w, bst, bv, ast, av);
    if (run->req->with_schools && write_schools(run, &w) != 0) {
        json_writer_release(&w);
        goto done;
    }
    json_writer_object_end(&w);
    *answer = json_writer_take(&w);
    rc = *answer ? 0 : -1;
done:
    free(before);
    free(after);
    county_status_destroy(&bst);
    county_status_destroy(&ast);
    county_verdict_destroy(&bv);
    county_verdict_destroy(&av);
    return rc;
}

int county_book_whatif(county_book *self, const whatif_request *req, const county_render_opts *o,
                       problem_list *errors, char **answer)
{
    *answer = NULL;
    const char *code = req->county_code ? req->county_code : "";
    if (!code_is_digits(code, COUNTY_CODE_LEN) || !registry_county(self->reg, code)) {
        problem_list_add(errors, "county_code", _("'%.16s' is not a registered county"), code);
        return errors->oom ? -1 : 1;
    }
    whatif_run run = { .book = self, .req = req };
    run.e = county_book_entry(self, code, req->period);
    if (!run.e) {
        problem_list_add(errors, "period", _("no submissions yet for any period"));
        return errors->oom ? -1 : 1;
    }
    if (req->n_changes == 0 && !req->with_schools) { /* with_schools alone: the schools as they are (junheng plan) */
        problem_list_add(errors, "changes", _("no change given: SCHOOL.FIELD=VALUE or --changes FILE"));
        return errors->oom ? -1 : 1;
    }
    run.schools = calloc(req->n_changes ? req->n_changes : 1, sizeof *run.schools);
    if (!run.schools)
        return -1;
    json_writer_init(&run.changes);
    json_writer_array_begin(&run.changes);
    int rc = 0;
    for (size_t i = 0; i < req->n_changes && rc == 0; i++)
        rc = apply_change(&run, &req->changes[i], errors);
    json_writer_array_end(&run.changes);
    if (rc == 0 && errors->count == 0)
        rc = validate_changed(&run, errors);
    if (rc == 0 && errors->count > 0)
        rc = 1;
    if (rc == 0) {
        rc = copy_view(&run);
        if (rc == 0)
            rc = answer_of(&run, o, answer);
        free_view(&run);
    }
    for (size_t i = 0; i < run.n_schools; i++) {
        submission_clear(&run.schools[i].orig);
        submission_clear(&run.schools[i].cur);
    }
    free(run.schools);
    json_writer_release(&run.changes);
    return rc;
}
