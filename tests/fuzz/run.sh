#!/usr/bin/env bash
# run.sh FUZZER CORPUS SECONDS ARTIFACTS -- one bounded libFuzzer run (ctest
# calls it): the saved corpus is read, new inputs go to a scratch folder (the
# source tree is never written), a crash or leak leaves its input in
# ARTIFACTS and fails the test. To keep an input that found something, copy
# it into the corpus.
set -euo pipefail
FUZZER=$1 CORPUS=$2 SECONDS_=$3 ARTIFACTS=$4
SCRATCH=$(mktemp -d /tmp/jh-fuzz.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$ARTIFACTS"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
"$FUZZER" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/$(basename "$FUZZER")-" "$SCRATCH" "$CORPUS" >"$SCRATCH.log" 2>&1 || rc=$?
grep -E "^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|Done [0-9]+ runs" "$SCRATCH.log" || true
if [ $rc -ne 0 ]; then
    tail -n 60 "$SCRATCH.log"
    echo "FAIL: $(basename "$FUZZER") found a crash or leak (exit $rc); input saved under $ARTIFACTS" >&2
fi
rm -f "$SCRATCH.log"
exit $rc
