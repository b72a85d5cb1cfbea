/* data_paths.c -- the default migrations and rules folders: the source
 * tree's from the build tree, the installed ones elsewhere. See
 * data_paths.h. */
#include "data_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set by CMake for junheng_sys; the fallbacks keep a bare compile working. */
#ifndef JUNHENG_BUILD_DIR
#define JUNHENG_BUILD_DIR ""
#endif
#ifndef JUNHENG_SOURCE_DIR
#define JUNHENG_SOURCE_DIR "."
#endif
#ifndef JUNHENG_DATA_DIR
#define JUNHENG_DATA_DIR "/usr/local/share/junheng"
#endif
#ifndef JUNHENG_INSTALL_BINDIR
#define JUNHENG_INSTALL_BINDIR "bin"
#endif
#ifndef JUNHENG_INSTALL_DATADIR
#define JUNHENG_INSTALL_DATADIR "share"
#endif

/* The folder of the running program, resolved, into out; 0 or -1. */
static int exe_dir(char out[PATH_MAX])
{
    ssize_t n = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

/* Whether the folder holding the running program is the build tree (both
 * resolved, so a symlinked path still matches). Decided once. */
bool data_paths_in_build_tree(void)
{
    static int decided = -1;
    if (decided >= 0)
        return decided == 1;
    decided = 0;
    char exe[PATH_MAX], build[PATH_MAX];
    if (exe_dir(exe) != 0 || JUNHENG_BUILD_DIR[0] == '\0' || !realpath(JUNHENG_BUILD_DIR, build))
        return false;
    decided = strcmp(exe, build) == 0 ? 1 : 0;
    return decided == 1;
}

/* The installed data folder: PREFIX/DATADIR/junheng when the program is
 * PREFIX/BINDIR/NAME (so `cmake --install --prefix P` and DESTDIR packages
 * that move the tree keep working), else the configured one. Decided once
 * (static string). */
static const char *installed_data_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0])
        return dir;
    char exe[PATH_MAX];
    size_t n, tail = strlen("/" JUNHENG_INSTALL_BINDIR);
    if (exe_dir(exe) == 0 && (n = strlen(exe)) > tail && strcmp(exe + n - tail, "/" JUNHENG_INSTALL_BINDIR) == 0 &&
        n - tail + strlen("/" JUNHENG_INSTALL_DATADIR "/junheng") < sizeof dir) {
        /* the length was checked above; building it by hand keeps GCC's
         * -Wformat-truncation (Debug builds) quiet */
        memcpy(dir, exe, n - tail);
        static const char sub[] = "/" JUNHENG_INSTALL_DATADIR "/junheng";
        memcpy(dir + n - tail, sub, sizeof sub);
    } else {
        snprintf(dir, sizeof dir, "%s", JUNHENG_DATA_DIR);
    }
    return dir;
}

const char *data_paths_migrations_dir(void)
{
    static char dir[PATH_MAX + 32];
    if (!dir[0])
        snprintf(dir, sizeof dir, "%s/migrations",
                 data_paths_in_build_tree() ? JUNHENG_SOURCE_DIR : installed_data_dir());
    return dir;
}

const char *data_paths_rules_dir(void)
{
    static char dir[PATH_MAX + 32];
    if (dir[0])
        return dir;
    if (data_paths_in_build_tree())
        snprintf(dir, sizeof dir, "%s/deploy/rules", JUNHENG_SOURCE_DIR);
    else
        snprintf(dir, sizeof dir, "%s/rules", installed_data_dir());
    return dir;
}

const char *data_paths_plan_costs(void)
{
    static char path[PATH_MAX + 32];
    if (path[0])
        return path;
    if (data_paths_in_build_tree())
        snprintf(path, sizeof path, "%s/deploy/plan/costs.csv", JUNHENG_SOURCE_DIR);
    else
        snprintf(path, sizeof path, "%s/plan/costs.csv", installed_data_dir());
    return path;
}

const char *data_paths_locale_dir(void)
{
    static char dir[PATH_MAX + 32];
    if (dir[0])
        return dir;
    if (data_paths_in_build_tree()) {
        snprintf(dir, sizeof dir, "%s/locale", JUNHENG_BUILD_DIR);
    } else {
        /* the data folder is PREFIX/share/junheng: its parent holds locale/ */
        snprintf(dir, sizeof dir, "%s", installed_data_dir());
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        size_t n = strlen(dir);
        snprintf(dir + n, sizeof dir - n, "/locale");
    }
    return dir;
}
