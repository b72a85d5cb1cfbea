#!/usr/bin/env bash
# check_po.sh -- the Chinese catalogue is complete: every message id the
# sources mark with _() or N_() has a translation in po/zh_CN.po, none
# untranslated or fuzzy (msgcmp), and the catalogue compiles with its format
# strings matching their ids (msgfmt --check).
#   tests/tools/check_po.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: check_po.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$src/po/xgettext.sh" "$src" "$tmp/junheng.pot"
msgfmt --check --statistics -o "$tmp/junheng.mo" "$src/po/zh_CN.po"
stats=$(msgfmt --statistics -o /dev/null "$src/po/zh_CN.po" 2>&1)
if grep -Eq 'fuzzy|untranslated' <<<"$stats"; then
    echo "check_po: po/zh_CN.po has fuzzy or untranslated messages: $stats" >&2
    exit 1
fi
if ! msgcmp "$src/po/zh_CN.po" "$tmp/junheng.pot"; then
    echo "check_po: messages above are marked in the sources but not translated in po/zh_CN.po" >&2
    echo "check_po: regenerate po/junheng.pot (cmake --build build --target pot), msgmerge, translate" >&2
    exit 1
fi
echo "check_po: $(grep -c '^msgid ' "$tmp/junheng.pot") message ids, all translated"
