#!/usr/bin/env bash
# xgettext.sh -- writes the message template (po/junheng.pot) from the
# sources: every _("...") and N_("...") of common/, client/ and server/.
#   po/xgettext.sh SOURCE_DIR OUT.pot
# Run by `cmake --build build --target pot` and by tests/tools/check_po.sh.
set -euo pipefail
src=${1:?usage: xgettext.sh SOURCE_DIR OUT.pot}
out=${2:?usage: xgettext.sh SOURCE_DIR OUT.pot}
cd "$src"
find common client server -name '*.c' -o -name '*.h' | LC_ALL=C sort |
    xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
        --package-name=junheng --msgid-bugs-address=junheng --sort-by-file --no-wrap \
        --files-from=- --output=- |
    sed '/^"POT-Creation-Date:/d' >"$out"
