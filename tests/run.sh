#!/usr/bin/env bash
# tests/run.sh -- the one test command (README; .ci/run calls exactly this).
# Installs what is missing (apt-get), builds twice -- a normal build with
# warnings as errors and an AddressSanitizer + UBSan build -- and runs every
# test of both with ctest: Criterion unit tests, and integration tests that
# each start their own throwaway PostgreSQL and the real daemon and client.
#
#   tests/run.sh            everything
#   tests/run.sh -L unit    only what ctest selects (arguments go to ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

deploy/install-deps.sh

echo "== build (RelWithDebInfo, -Wall -Wextra -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJUNHENG_WERROR=ON >/dev/null
cmake --build build -j"$JOBS"

echo "== build (AddressSanitizer + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DJUNHENG_SANITIZE=ON -DJUNHENG_WERROR=ON >/dev/null
cmake --build build-asan -j"$JOBS"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Time (the whole suite must stay under 20 minutes on 2 cores): ctest starts
# the longest integration tests first (their COST, tests/CMakeLists.txt). The
# sanitizer build leaves out the integration tests that measure speed or
# whose C paths run under the sanitizers elsewhere (tests/CMakeLists.txt says
# why for each): the three timed watch tests and valgrind's; failover,
# backup/restore, cmake --install and the browser test (shell and other
# programs around daemon code the others run); test_rectify (the planner's
# unit tests run under the sanitizers, the daemon side is test_whatif's);
# test_load_smoke (its C is the load generator, a test tool; the daemon paths
# it drives are test_submit's, test_flood's and test_sigterm_under_load's,
# its wire and ingest parts unit tests').
status=0
echo "== tests (normal build)"
(cd build && ctest --output-on-failure -j"$JOBS" --timeout 600 "$@") || status=1
echo "== tests (sanitizer build)"
(cd build-asan && ctest --output-on-failure -j"$JOBS" --timeout 900 "$@") || status=1
if [ $status -ne 0 ]; then
    echo "tests/run.sh: FAILED" >&2
else
    echo "tests/run.sh: all tests passed"
fi
exit $status
