/* watch_view.c -- the monitor's screen and lines. See watch_view.h. */
#include "watch_view.h"

#include "i18n.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define ESC "\033["
#define C_RESET ESC "0m"
#define C_RED ESC "31m"
#define C_GREEN ESC "32m"
#define C_YELLOW ESC "33m"
#define C_BOLD ESC "1m"
#define C_DIM ESC "2m"
#define C_REVERSE ESC "7m"

/* Decodes one UTF-8 character at *s (advancing it); invalid bytes count as
 * one character each. */
static unsigned long utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned long c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        (*s)++;
        return 0xFFFD;
    }
    c = n ? c & (0x3F >> n) : c;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return 0xFFFD;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *s += n + 1;
    return c;
}

/* Columns of one character: CJK and full-width forms take two. */
static int char_width(unsigned long c)
{
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    if (c >= 0x300 && c <= 0x36F)
        return 0; /* combining accents */
    return 1;
}

int watch_text_width(const char *s)
{
    int w = 0;
    while (*s)
        w += char_width(utf8_next(&s));
    return w;
}

/* A screen line being built: text with colours, never wider than max. */
typedef struct {
    FILE *out;
    int used, max;
    bool color;
} line;

/* Writes text padded (or cut) to width columns, the last one a blank that
 * separates it from the next cell (width < 0: as is, no blank), in colour
 * when one is given and colours are on; cuts at the line's end. */
static void cell(line *l, const char *text, int width, const char *color)
{
    int room = l->max - l->used;
    if (room <= 0)
        return;
    int target = width < 0 ? watch_text_width(text) : width - 1;
    if (target > room)
        target = room;
    if (color && l->color)
        fputs(color, l->out);
    int w = 0;
    const char *s = text;
    while (*s) {
        const char *start = s;
        int cw = char_width(utf8_next(&s));
        if (w + cw > target)
            break;
        fwrite(start, 1, (size_t)(s - start), l->out);
        w += cw;
    }
    if (color && l->color)
        fputs(C_RESET, l->out);
    if (width >= 0 && target < room)
        target++; /* the separating blank */
    for (; w < target; w++)
        fputc(' ', l->out);
    l->used += target;
}

/* Ends a screen line: clears the rest of it. */
static void line_end(line *l)
{
    fputs(ESC "K\n", l->out);
}

void watch_format_time(char *buf, size_t size, int64_t wall_ms, bool with_ms)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    if (with_ms)
        snprintf(buf, size, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
    else
        snprintf(buf, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "44/48" and "sports_area 0.612>0.50" for one stage; narrow: the
 * coefficient without the indicator ("0.612>0.50"). */
static void stage_cells(const watch_stage *st, bool narrow, char *count, size_t csize, char *cv, size_t vsize)
{
    if (!st->applicable) {
        snprintf(count, csize, "-");
        snprintf(cv, vsize, "%s", narrow ? "-" : _("not applicable"));
        return;
    }
    snprintf(count, csize, "%lld/%lld", st->passing, st->assessed);
    const char *id = narrow ? "" : st->worst_id, *gap = narrow ? "" : " ";
    if (!st->worst_id[0])
        snprintf(cv, vsize, "-");
    else if (isnan(st->worst_cv))
        snprintf(cv, vsize, "%s%snull", id, gap);
    else
        snprintf(cv, vsize, "%s%s%.3f%s%.2f", id, gap, st->worst_cv, st->worst_ok ? "<=" : "> ", st->worst_limit);
}

/* The Chinese word of a verdict key. */
static const char *verdict_zh(const char *v)
{
    return !strcmp(v, "pass") ? "达标" : !strcmp(v, "fail") ? "未达标" : "待定";
}

/* The verdict cell: "达标", "未达标 2✗ 9?", "待定 0✗ 9?", or "待定 no verdict"
 * for a status without one; *color gets its colour. */
static void verdict_cell(const watch_row *r, char *buf, size_t size, const char **color)
{
    bool pass = strcmp(r->verdict, "pass") == 0, fail = strcmp(r->verdict, "fail") == 0;
    *color = pass ? C_GREEN : fail ? C_RED : C_YELLOW;
    if (!r->has_verdict)
        snprintf(buf, size, "待定 no verdict");
    else if (pass)
        snprintf(buf, size, "达标");
    else
        snprintf(buf, size, "%s %lld✗ %lld?", fail ? "未达标" : "待定", r->items_failing, r->items_pending);
}

void watch_view_line(FILE *out, const watch_row *r, int64_t wall_ms)
{
    char when[32];
    watch_format_time(when, sizeof when, wall_ms, true);
    const char *v_zh = verdict_zh(r->verdict);
    char v[96];
    if (r->has_verdict)
        snprintf(v, sizeof v, "%s (failing %lld, pending %lld)", v_zh, r->items_failing, r->items_pending);
    else
        snprintf(v, sizeof v, "待定 (no whole verdict from the daemon)");
    fprintf(out, "%s %s %s period %d seq %llu %s coverage %lld/%lld", when, r->code, r->name[0] ? r->name : "?",
            (int)r->period, (unsigned long long)r->seq, v, r->submitted, r->registered);
    const char *names[2] = { "primary 小学", "junior 初中" };
    for (int s = 0; s < 2; s++) {
        char count[32], cv[96];
        stage_cells(&r->stage[s], false, count, sizeof count, cv, sizeof cv);
        fprintf(out, " | %s %s %s%s", names[s], count, cv,
                r->stage[s].applicable ? (r->stage[s].pass ? " pass" : " fail") : "");
    }
    fputs(r->visible_change ? "\n" : " | unchanged 无变化\n", out);
}

/* A verdict key as a word of the client's language ("pass": pass, 达标). */
static const char *verdict_word(const char *v)
{
    return !strcmp(v, "pass") ? _("pass") : !strcmp(v, "fail") ? _("fail") : _("pending");
}

void watch_view_flip(char *buf, size_t size, const watch_row *r, int64_t wall_ms)
{
    char when[16];
    watch_format_time(when, sizeof when, wall_ms, false);
    snprintf(buf, size, _("%s %s %s verdict %s → %s"), when, r->code, r->name[0] ? r->name : "?",
             verdict_word(r->prev_verdict), verdict_word(r->verdict));
}

void watch_view_status(char *buf, size_t size, const watch_state *ws, const watch_view_info *info)
{
    const watch_counters *c = watch_state_counters(ws);
    const char *epoch = watch_state_epoch(ws);
    int64_t hb = watch_state_heartbeat_age(ws, info->mono_ms);
    char hbtext[96];
    snprintf(hbtext, sizeof hbtext, "%s", _("no heartbeat yet"));
    if (hb >= 0)
        snprintf(hbtext, sizeof hbtext, _("heartbeat %.1f s ago"), hb / 1000.0);
    char lag[96] = "";
    if (info->last_code && info->last_code[0])
        snprintf(lag, sizeof lag, " · last %s #%llu", info->last_code, (unsigned long long)info->last_seq);
    if (info->last_lag_ms >= 0)
        snprintf(lag + strlen(lag), sizeof lag - strlen(lag), " · lag %lld ms", (long long)info->last_lag_ms);
    switch (watch_state_phase(ws)) {
    case WATCH_CONNECTING:
        snprintf(buf, size, _("connecting to %s …"), info->endpoint);
        break;
    case WATCH_SYNCING:
        snprintf(buf, size, _("resyncing: %s%s"), watch_state_reason(ws),
                 info->snapshot_failures > 0 ? _(" (snapshot not answered yet; retrying)") : "");
        break;
    case WATCH_LIVE:
        snprintf(buf, size,
                 _("live · epoch %.8s · %zu counties · %llu updates, %llu dropped, %llu gaps, %llu resyncs · %s%s"),
                 epoch, watch_state_count(ws), (unsigned long long)c->updates_applied,
                 (unsigned long long)c->updates_dropped, (unsigned long long)c->gaps, (unsigned long long)c->resyncs,
                 hbtext, lag);
        break;
    }
}

/* The table's columns: code, name, verdict, coverage, then per stage the
 * sections passing and the worst coefficient, when it changed, the sequence.
 * The wide layout (142 columns) names the worst indicator; the narrow one
 * fits a 100-column terminal and shows only its coefficient and limit. */
enum { N_COLS = 10 };
typedef struct {
    bool narrow;
    int w[N_COLS];
} table_layout;
static const table_layout WIDE = { false, { 7, 14, 16, 9, 9, 31, 9, 31, 9, 7 } };
static const table_layout NARROW = { true, { 7, 11, 15, 9, 8, 12, 8, 12, 9, 6 } };

/* The layout for a terminal of cols columns. */
static const table_layout *layout_for(int cols)
{
    int wide = 0;
    for (int k = 0; k < N_COLS; k++)
        wide += WIDE.w[k];
    return cols >= wide ? &WIDE : &NARROW;
}

/* The table's heading, two lines: the columns' names, then what their
 * figures count; translated (po/zh_CN.po) and padded by terminal columns
 * (a Chinese character takes two), so the cells line up in any language. */
static const char *const HEAD_NAMES[N_COLS] = { N_("code"), N_("name"), N_("verdict"), N_("coverage"),
                                                N_("primary"), N_("worst CV / limit"), N_("junior"),
                                                N_("worst CV / limit"), N_("changed"), N_("seq") };
static const char *const HEAD_UNITS[N_COLS] = { "", "", N_("✗fail ?pending"), "", N_("ok/all"), "",
                                                N_("ok/all"), "", "", "" };

/* Writes the title line, a blank line and the two heading lines of the
 * table to l. */
static void table_head(line *l, const watch_view_info *info, const table_layout *t)
{
    char now[16], title[256];
    watch_format_time(now, sizeof now, info->wall_ms, false);
    if (info->period)
        snprintf(title, sizeof title, _("junheng watch · %s · period %d"), info->scope, (int)info->period);
    else
        snprintf(title, sizeof title, _("junheng watch · %s · newest period"), info->scope);
    cell(l, title, -1, C_BOLD);
    cell(l, "  ", -1, NULL);
    if (!t->narrow) {
        cell(l, _("county status"), -1, NULL);
        cell(l, "  ", -1, NULL);
    }
    cell(l, now, -1, NULL);
    line_end(l);
    l->used = 0;
    line_end(l);
    for (int units = 0; units < 2; units++) {
        l->used = 0;
        for (int k = 0; k < N_COLS; k++) {
            const char *text = units ? HEAD_UNITS[k] : HEAD_NAMES[k];
            if (t->narrow && !units && (k == 5 || k == 7))
                text = N_("CV");
            cell(l, text[0] ? _(text) : "", t->w[k], units ? C_DIM : C_BOLD);
        }
        line_end(l);
    }
}

/* One cell of a row: marked (reverse video, or a trailing '*' without
 * colours) when its bit is among the cells the row's recent change touched;
 * everything dim while the monitor is not live (the data may be stale). */
static void row_cell(line *l, const char *text, int width, const char *color, bool marked, bool stale)
{
    if (stale) {
        cell(l, text, width, C_DIM);
    } else if (marked && !l->color) {
        char starred[160];
        snprintf(starred, sizeof starred, "%s*", text);
        cell(l, starred, width, NULL);
    } else {
        cell(l, text, width, marked ? C_REVERSE : color);
    }
}

/* Writes the table line of one county r to l: code, name, and with a
 * status its verdict, coverage, both stages' counts and worst coefficients,
 * when it changed and its sequence number. For 3 s after a change the
 * cells it touched are marked. */
static void table_row(line *l, const watch_row *r, const watch_view_info *info, const table_layout *t, bool stale)
{
    l->used = 0;
    bool recent = r->changed_ms && info->mono_ms - r->changed_ms < 3000;
    uint32_t marks = recent ? r->changed_cells : 0;
    row_cell(l, r->code, t->w[0], NULL, recent, stale);
    row_cell(l, r->name[0] ? r->name : "?", t->w[1], NULL, false, stale);
    if (!r->has_status) {
        cell(l, _("no data"), t->w[2], C_DIM);
    } else {
        char v[64];
        const char *color;
        verdict_cell(r, v, sizeof v, &color);
        row_cell(l, v, t->w[2], color, marks & WATCH_CELL_VERDICT, stale);
        char cover[32];
        snprintf(cover, sizeof cover, "%lld/%lld", r->submitted, r->registered);
        row_cell(l, cover, t->w[3], r->submitted < r->registered ? C_YELLOW : NULL, marks & WATCH_CELL_COVERAGE, stale);
        for (int s = 0; s < 2; s++) {
            char count[32], cv[96];
            stage_cells(&r->stage[s], t->narrow, count, sizeof count, cv, sizeof cv);
            const watch_stage *st = &r->stage[s];
            uint32_t count_bit = s ? WATCH_CELL_JUNIOR_COUNT : WATCH_CELL_PRIMARY_COUNT;
            uint32_t cv_bit = s ? WATCH_CELL_JUNIOR_CV : WATCH_CELL_PRIMARY_CV;
            row_cell(l, count, t->w[4 + 2 * s], st->applicable ? (st->passing < st->assessed ? C_RED : C_GREEN) : C_DIM,
                     marks & count_bit, stale);
            row_cell(l, cv, t->w[5 + 2 * s], st->applicable ? (st->worst_ok ? NULL : C_RED) : C_DIM, marks & cv_bit,
                     stale);
        }
        char when[16] = "-";
        if (r->changed_ms)
            watch_format_time(when, sizeof when, info->wall_ms - (info->mono_ms - r->changed_ms), false);
        row_cell(l, when, t->w[8], recent ? C_BOLD : NULL, false, stale);
        char seq[24];
        snprintf(seq, sizeof seq, "#%llu", (unsigned long long)r->seq);
        cell(l, seq, t->w[9], C_DIM);
    }
    line_end(l);
}

void watch_view_table(FILE *out, const watch_state *ws, const watch_view_info *info)
{
    fputs(ESC "H", out);
    line l = { out, 0, info->cols > 20 ? info->cols : 80, info->color };
    const table_layout *t = layout_for(l.max);
    table_head(&l, info, t);
    int notices = info->n_notices < 0 ? 0 : info->n_notices;
    int body_rows = info->rows - 6 - notices; /* title, blank, 2 headers, notices, blank, status */
    size_t n = watch_state_count(ws);
    size_t shown = 0;
    bool stale = watch_state_phase(ws) != WATCH_LIVE;
    for (size_t i = 0; i < n; i++) {
        if ((int)shown >= body_rows - (n > (size_t)body_rows ? 1 : 0))
            break;
        table_row(&l, watch_state_row(ws, i), info, t, stale);
        shown++;
    }
    if (shown < n) {
        char more[192];
        l.used = 0;
        snprintf(more, sizeof more, _("… %zu more counties (enlarge the terminal, or narrow the scope)"), n - shown);
        cell(&l, more, -1, C_DIM);
        line_end(&l);
    }
    if (n == 0 && watch_state_phase(ws) == WATCH_LIVE) {
        l.used = 0;
        cell(&l, _("no counties registered in this scope yet"), -1, C_DIM);
        line_end(&l);
    }
    l.used = 0;
    line_end(&l);
    for (int k = 0; k < notices; k++) {
        l.used = 0;
        cell(&l, info->notices[k], -1, C_BOLD);
        line_end(&l);
    }
    char status[512];
    watch_view_status(status, sizeof status, ws, info);
    l.used = 0;
    cell(&l, status, -1, stale ? C_YELLOW : C_GREEN);
    fputs(ESC "K" ESC "J", out); /* no newline after the status line: nothing scrolls */
    fflush(out);
}

void watch_view_enter(FILE *out)
{
    fputs(ESC "?1049h" ESC "?25l" ESC "2J", out);
    fflush(out);
}

void watch_view_leave(FILE *out)
{
    fputs(ESC "?25h" ESC "?1049l", out);
    fflush(out);
}
