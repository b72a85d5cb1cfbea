#!/usr/bin/env bash
# check_walls.sh -- the walls between the parts of the product code
# (docs/architecture.md), checked over the source tree:
#
#   1. only server/store/ sees libpq: no libpq-fe.h (or libpq/) include
#      outside it, and no CMake target but junheng_store links PkgConfig::PQ;
#   2. common/ (outside common/sys/, its one I/O corner) does no I/O and
#      reads no clock: no fopen/open/read/write/fread/fwrite, no printing to
#      stdout or stderr, no clock_gettime/gettimeofday/time(;
#   3. no module includes another module's private header: from another
#      folder a server module is seen only through its public header
#      server/X/X.h (and the headers X.h itself includes); the unit tests
#      may also include the test-visible headers listed below; and no file
#      includes a server .c file.
#
#   tests/tools/check_walls.sh [SOURCE_DIR]     (ctest structure/walls)
set -u
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$src" || exit 2
status=0
fail() {
    echo "WALL: $*"
    status=1
}

# The second public headers, for their module's own files and tests/unit
# only (each says so at its top).
TEST_VISIBLE="server/store/store_array.h server/ingest/ingest_senders.h server/state/revision_pack.h"

# C text with comments, string and character literals blanked, for the
# checks that must not trip on prose: every line of the files given as
# "FILE:LINE:text" (one awk for all of them: a process per file costs more
# than the check on a loaded machine).
code_only() {
    awk '
    FNR == 1 { incomment = 0 }
    {
        s = $0; out = ""
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1); d = substr(s, i, 2)
            if (incomment) { if (d == "*/") { incomment = 0; i++ } continue }
            if (d == "/*") { incomment = 1; i++; out = out " "; continue }
            if (d == "//") break
            if (c == "\"" || c == "\047") {
                q = c
                for (i++; i <= length(s); i++) {
                    c = substr(s, i, 1)
                    if (c == "\\") { i++; continue }
                    if (c == q) break
                }
                out = out q q
                continue
            }
            out = out c
        }
        print FILENAME ":" FNR ":" out
    }' "$@"
}

# --- 1. libpq only in server/store/ -----------------------------------------
while IFS= read -r hit; do
    fail "$hit: libpq outside server/store/"
done < <(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](libpq-fe\.h|libpq/|postgres)' \
             --include='*.c' --include='*.h' common server client tests deploy 2>/dev/null | grep -v '^server/store/')
while IFS= read -r hit; do
    fail "$hit: only junheng_store links libpq"
done < <(grep -rn 'PkgConfig::PQ\|PQ_LIBRARIES\|PQ_LDFLAGS' --include=CMakeLists.txt --include='*.cmake' . 2>/dev/null |
             grep -v '^\./build' | grep -v 'junheng_store')

# --- 2. no I/O and no clock in common/ (outside common/sys/) ----------------
IO_CALLS='fopen|fdopen|freopen|open|openat|read|write|fread|fwrite|printf|puts|clock_gettime|gettimeofday|time'
while IFS= read -r hit; do
    fail "$hit: I/O or clock in common/ (use common/sys/)"
done < <(code_only common/*.c | grep -E "(^|[^A-Za-z0-9_.>])($IO_CALLS)[[:space:]]*\(|\<(stdout|stderr|stdin)\>")

# --- 3. modules through their public headers only ----------------------------
# header name -> the server folder that owns it, and whether it is public
declare -A owner=() public=() test_visible=()
# (parameter expansions, not basename/dirname: no process a header or a line)
for h in server/*/*.h; do
    folder=${h%/*}
    folder=${folder##*/}
    name=${h##*/}
    owner[$name]=$folder
    [ "$name" = "$folder.h" ] && public[$name]=1
done
for folder_h in server/*/*.h; do
    folder=${folder_h%/*}
    folder=${folder##*/}
    [ "${folder_h##*/}" = "$folder.h" ] || continue
    # the headers of its own folder that the public header includes are public too
    for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$folder_h"); do
        [ "${owner[$inc]:-}" = "$folder" ] && public[$inc]=1
    done
done
for h in $TEST_VISIBLE; do test_visible[${h##*/}]=1; done

while IFS=: read -r f line directive; do
    inc=${directive#*\"}
    inc=${inc%%\"*}
    case $f in
    server/*/*) own=${f%/*}; own=${own##*/} ;;
    *) own="" ;;
    esac
    case $inc in
    *server/*.c | *../server/*) fail "$f:$line: includes $inc (server code is reached through its headers)"; continue ;;
    esac
    name=${inc##*/}
    folder=${owner[$name]:-}
    [ -z "$folder" ] && continue           # not a server module's header
    [ "$folder" = "$own" ] && continue     # a module's own headers
    [ -n "${public[$name]:-}" ] && continue
    case $f in
    tests/unit/*) [ -n "${test_visible[$name]:-}" ] && continue ;;
    esac
    fail "$f:$line: includes $name, private to server/$folder/ (include $folder.h)"
done < <(find common server client tests -name '*.[ch]' -print0 | sort -z |
             xargs -0 grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"')

[ $status -eq 0 ] && echo "walls: ok"
exit $status
