/* i18n_init.h -- binds the message catalogue (gettext) and picks the
 * language messages are shown in (README "Language").
 *
 * The client calls i18n_init() once at start: its LANG / LC_ALL /
 * LC_MESSAGES / LANGUAGE choose the language, and i18n_language() names it
 * for Envelope.lang. The daemon calls i18n_init() too (its own default) and
 * formats each answer in the language the request asked for, between
 * i18n_use() and i18n_restore() (a per-thread locale: uselocale(3)).
 *
 * The catalogue is found in $JUNHENG_LOCALEDIR when set (tests), else the
 * build tree's locale/ for a program run from the build tree, else the
 * installed PREFIX/share/locale (data_paths.h). System room (common/sys):
 * it reads the environment and the locale. Not thread-safe: the daemon's
 * main thread is the one that answers requests. */
#ifndef JUNHENG_I18N_INIT_H
#define JUNHENG_I18N_INIT_H

#include <locale.h>

/* Sets the program's messages and characters locale (LC_MESSAGES,
 * LC_CTYPE; numbers, times and sorting stay C's) from the environment and
 * binds the "junheng" text domain (UTF-8). When the environment names a locale this machine has
 * not generated (a bare Debian has only C.UTF-8), it falls back to C.UTF-8
 * and, unless LANGUAGE is set, shows the messages of the language named
 * (LANG=zh_CN.UTF-8 still reads Chinese). Returns 0, or -1 when the
 * catalogue folder could not be bound (messages stay English). */
int i18n_init(void);

/* Binds the text domain to dir (a folder holding zh_CN/LC_MESSAGES/
 * junheng.mo): for tests. Returns 0 or -1. */
int i18n_bind(const char *dir);

/* The language this process shows messages in, as Envelope.lang sends it:
 * "zh_CN" for Chinese, "en" otherwise (static string). */
const char *i18n_language(void);

/* Switches the calling thread's messages to lang ("zh_CN", "zh", "en", ...;
 * any zh* is Chinese, anything else English; NULL or "" changes nothing).
 * Returns what i18n_restore() needs, (locale_t)0 when nothing changed (also
 * when the machine lacks the zh_CN.UTF-8 locale: the daemon's own language
 * then answers). */
locale_t i18n_use(const char *lang);

/* Undoes i18n_use(): prev is its return value. */
void i18n_restore(locale_t prev);

#endif
