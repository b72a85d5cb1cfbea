/* web_skim.h -- the gateway's subscription reads each publication's status
 * only for the county's row (client/watch_state.c), and parsing the whole
 * status (~50 kB of JSON for a county of ten schools) was most of its CPU
 * under a national load. These leave out, before the parse, what a row
 * never reads. Pure text functions; no I/O. */
#ifndef JUNHENG_WEB_SKIM_H
#define JUNHENG_WEB_SKIM_H

/* The JSON text without the object members whose key is in drop (a NULL-
 * terminated list; at any depth), whitespace removed. Malloc'd; NULL when
 * out of memory or the text is not JSON as this reader sees it (the caller
 * then parses the text as it is). */
char *web_skim_json(const char *text, const char *const *drop);

/* web_skim_json with what a row never reads (watch_state's status filter:
 * arg unused). */
char *web_skim_status(const char *status_json, void *arg);

#endif
