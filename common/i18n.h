/* i18n.h -- message translation through GNU gettext (glibc's libintl).
 *
 * Every message a person reads (a refusal, a warning, a summary line, a
 * report's words, a --help text) is written in English in the source and
 * wrapped in _() where it is formatted; po/zh_CN.po holds its Chinese.
 * Which language is shown follows LANG / LC_ALL / LC_MESSAGES (the client)
 * or the request's Envelope.lang (the daemon, per answer).  N_() marks a
 * string in a static table for xgettext without translating it there; the
 * table's reader translates it with _() when it uses it.
 *
 * Machine output (--json, the status JSON, the wire's field ids) is never
 * translated.  The domain is bound by i18n_init (common/sys/i18n_init.h);
 * until then, and for a language without a catalogue, _() returns the
 * English text unchanged. */
#ifndef JUNHENG_I18N_H
#define JUNHENG_I18N_H

#include <libintl.h>

#define JUNHENG_TEXT_DOMAIN "junheng"

#define _(msgid) dgettext(JUNHENG_TEXT_DOMAIN, msgid)
#define N_(msgid) (msgid)

#endif
