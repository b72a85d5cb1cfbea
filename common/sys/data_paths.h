/* data_paths.h -- where the migrations and the rules are by default: the
 * source tree's migrations/ and deploy/rules/ when the program runs from the
 * build tree it was built in (as every test and `build/junhengd` do), else
 * the installed ones, PREFIX/share/junheng/migrations and .../rules, where
 * PREFIX is the folder above the program's bin/ (so an install moved with
 * --prefix or DESTDIR still finds them), else CMake's
 * CMAKE_INSTALL_FULL_DATADIR/junheng (e.g. /usr/local/share/junheng).
 * System room (common/sys): it reads /proc/self/exe. */
#ifndef JUNHENG_DATA_PATHS_H
#define JUNHENG_DATA_PATHS_H

#include <stdbool.h>

/* Whether this program is the one in the build tree it was built in. */
bool data_paths_in_build_tree(void);
/* The default folder of numbered migrations (static string, not freed). */
const char *data_paths_migrations_dir(void);
/* The default folder of rules files (static string, not freed). */
const char *data_paths_rules_dir(void);
/* The default costs file of `junheng plan`: deploy/plan/costs.csv in the
 * source tree, PREFIX/share/junheng/plan/costs.csv installed (static string). */
const char *data_paths_plan_costs(void);
/* The message catalogues' folder (LOCALE/zh_CN/LC_MESSAGES/junheng.mo):
 * the build tree's locale/ (built by msgfmt), else the installed
 * PREFIX/share/locale (static string, not freed). */
const char *data_paths_locale_dir(void);

#endif
