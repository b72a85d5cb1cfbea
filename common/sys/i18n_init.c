/* i18n_init.c -- the locale, the catalogue's folder and the per-request
 * language. See i18n_init.h. */
#include "i18n_init.h"

#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_paths.h"
#include "i18n.h"
#include "log.h"

/* Whether a locale name is the untranslated C one ("C", "POSIX", "C.UTF-8"). */
static bool is_c_locale(const char *name)
{
    return !name || !*name || strcmp(name, "POSIX") == 0 || strcmp(name, "C") == 0 || strncmp(name, "C.", 2) == 0;
}

/* The locale the environment asks for messages: LC_ALL, else LC_MESSAGES,
 * else LANG (NULL when none is set). */
static const char *asked_locale(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* The environment names a locale this machine has not generated: C.UTF-8
 * for the rest, and its language ("zh_CN" of "zh_CN.UTF-8") through
 * LANGUAGE, which gettext honours under C.UTF-8, unless LANGUAGE is set. */
static void fall_back(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    setlocale(LC_MESSAGES, "C.UTF-8");
    const char *asked = asked_locale(), *language = getenv("LANGUAGE");
    if (is_c_locale(asked) || (language && *language))
        return;
    char lang[32];
    size_t n = strcspn(asked, ".@");
    if (n == 0 || n >= sizeof lang)
        return;
    memcpy(lang, asked, n);
    lang[n] = '\0';
    setenv("LANGUAGE", lang, 0);
}

int i18n_bind(const char *dir)
{
    if (!bindtextdomain(JUNHENG_TEXT_DOMAIN, dir))
        return -1;
    return bind_textdomain_codeset(JUNHENG_TEXT_DOMAIN, "UTF-8") ? 0 : -1;
}

int i18n_init(void)
{
    /* Only the messages' language and the characters follow the
     * environment: numbers, times and sorting stay C's, so what is parsed
     * and what machines read (JSON, CSV) never change with the language. */
    if (!setlocale(LC_CTYPE, "") || !setlocale(LC_MESSAGES, ""))
        fall_back();
    const char *dir = getenv("JUNHENG_LOCALEDIR");
    return i18n_bind(dir && *dir ? dir : data_paths_locale_dir());
}

const char *i18n_language(void)
{
    const char *messages = setlocale(LC_MESSAGES, NULL), *language = getenv("LANGUAGE");
    const char *name = messages;
    /* gettext reads LANGUAGE first, except under the plain C locale */
    bool plain_c = !messages || strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0;
    if (!plain_c && language && *language)
        name = language;
    return name && strncmp(name, "zh", 2) == 0 ? "zh_CN" : "en";
}

/* The message locales of the two languages, made once: index 0 English
 * (plain C: gettext returns the English ids, LANGUAGE ignored), 1 Chinese
 * ((locale_t)0 when the machine lacks zh_CN.UTF-8). */
static locale_t language_locale(bool chinese)
{
    static locale_t made[2];
    static bool tried[2];
    int i = chinese ? 1 : 0;
    if (tried[i])
        return made[i];
    tried[i] = true;
    static const char *const zh[] = { "zh_CN.UTF-8", "zh_CN.utf8", "zh_CN" };
    for (size_t k = 0; k < (chinese ? sizeof zh / sizeof zh[0] : 1) && !made[i]; k++) {
        locale_t base = duplocale(LC_GLOBAL_LOCALE);
        if (!base)
            break;
        made[i] = newlocale(LC_MESSAGES_MASK, chinese ? zh[k] : "C", base);
        if (!made[i])
            freelocale(base);
    }
    if (!made[i] && chinese)
        log_warn("the zh_CN.UTF-8 locale is not generated on this machine (deploy/install-deps.sh): "
                 "requests asking for Chinese are answered in the daemon's own language");
    return made[i];
}

locale_t i18n_use(const char *lang)
{
    if (!lang || !*lang)
        return (locale_t)0;
    locale_t l = language_locale(strncmp(lang, "zh", 2) == 0);
    return l ? uselocale(l) : (locale_t)0;
}

void i18n_restore(locale_t prev)
{
    if (prev)
        uselocale(prev);
}
