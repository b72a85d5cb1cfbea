/* watch_view.h -- what `junheng watch` shows: the full-screen table (ANSI
 * escapes, redrawn in place), the plain one-line-per-change form for pipes
 * and logs, and the status line. Only writes to the given stream; knows
 * nothing of sockets. */
#ifndef JUNHENG_WATCH_VIEW_H
#define JUNHENG_WATCH_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "watch_state.h"

/* What the view needs besides the rows. */
typedef struct {
    const char *scope;        /* "city 3714", "county 371402", ... */
    const char *endpoint;     /* the publish endpoint */
    int32_t period;           /* 0 = newest */
    int rows, cols;           /* terminal size */
    bool color;
    int64_t mono_ms;          /* the clock the state was fed with */
    int64_t wall_ms;          /* Unix ms at mono_ms, to show times of day */
    int64_t last_lag_ms;      /* publication → display of the last update, -1 unknown */
    const char *last_code;    /* the county of the last change shown ("" none) */
    uint64_t last_seq;        /* and its sequence */
    bool snapshot_in_flight;
    int snapshot_failures;    /* consecutive snapshot requests without an answer */
    const char *const *notices; /* the newest verdict flips (watch_view_flip), oldest first */
    int n_notices;
} watch_view_info;

/* The event line of a verdict flip: "14:02:11 371424 临邑县 verdict 待定 → 达标
 * (pending → pass)", into buf. */
void watch_view_flip(char *buf, size_t size, const watch_row *row, int64_t wall_ms);

/* Terminal columns taken by UTF-8 text (CJK characters take two). */
int watch_text_width(const char *s);

/* Redraws the whole table from the top-left corner, clearing what is left. */
void watch_view_table(FILE *out, const watch_state *ws, const watch_view_info *info);

/* One plain line for a publication: "HH:MM:SS.mmm CODE NAME ...", ending
 * "| unchanged 无变化" when it changed nothing the table shows (the same data
 * sent again). The caller prints a verdict flip's line after it. */
void watch_view_line(FILE *out, const watch_row *row, int64_t wall_ms);

/* The status line's text (no colour): connection state, epoch, counters. */
void watch_view_status(char *buf, size_t size, const watch_state *ws, const watch_view_info *info);

/* Formats wall-clock Unix ms as local "HH:MM:SS.mmm" (with_ms) or "HH:MM:SS". */
void watch_format_time(char *buf, size_t size, int64_t wall_ms, bool with_ms);

/* Enters/leaves the alternate screen with the cursor hidden. */
void watch_view_enter(FILE *out);
void watch_view_leave(FILE *out);

#endif
