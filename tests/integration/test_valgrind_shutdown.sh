#!/usr/bin/env bash
# The daemon's shutdown path under valgrind: after real work (registry import,
# submissions, a refusal, admin requests, the city's plan imported and
# refused, /metrics and /healthz scraped, the retention delete) a SIGTERM
# leaves no definitely or indirectly lost memory and no invalid access.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind not installed (deploy/install-deps.sh installs it)"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_start
valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --error-exitcode=99 --log-file="$T/valgrind.log" \
    "$BIN/junhengd" --database "" --submit_endpoint "$EP_SUBMIT" --publish_endpoint "$EP_PUBLISH" \
    --snapshot_endpoint "$EP_SNAPSHOT" --admin_endpoint "$EP_ADMIN" --migrations_dir "$SRC/migrations" \
    --rules_file "$SRC/deploy/rules/national-2017.conf" "${DAEMON_KEY_ARGS[@]}" \
    --metrics_listen "127.0.0.1:$PORT" --quarantine_retention_days 30 2>>"$T/daemon.0.log" &
DPID=$!
STARTED=$(date +%s)
up=0
for _ in $(seq 1 300); do
    if jh --timeout 300 --retries 0 admin ping >/dev/null 2>&1; then
        up=1
        break
    fi
    kill -0 "$DPID" 2>/dev/null || { cat "$T/valgrind.log"; fail "junhengd under valgrind exited at start"; }
    sleep 0.1
done
[ $up = 1 ] || fail "junhengd under valgrind did not answer ping within 30 s"
load_demo_registry
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025-zh-sample.csv" >/dev/null || fail "submit under valgrind"
jh submit --quiet "$SRC/deploy/demo-data/submissions-bad.csv" >/dev/null || true
jh admin stats >/dev/null
jh admin import-plan "$SRC/deploy/demo-data/dezhou-plan.csv" >/dev/null || fail "import-plan under valgrind"
printf 'county,sports_area_pct\n陵城区,180\n' >"$T/bad-plan.csv"
jh admin import-plan "$T/bad-plan.csv" >/dev/null 2>&1 && fail "a bad plan was accepted under valgrind"
jh status --county 371425 >/dev/null 2>&1 || true
curl -sS --max-time 10 -o "$T/metrics" "http://127.0.0.1:$PORT/metrics" || fail "GET /metrics under valgrind"
grep -q '^junheng_submissions_total{outcome="accepted"} [1-9]' "$T/metrics" || fail "submissions counted"
curl -sS --max-time 10 "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "GET /healthz under valgrind"
curl -sS --max-time 10 "http://127.0.0.1:$PORT/nothing" >/dev/null || fail "GET /nothing under valgrind"
# a connection left open at the stop
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n' >&3
# the first retention delete runs 5 s after the start
while [ $(($(date +%s) - STARTED)) -lt 8 ]; do sleep 0.5; done
rc=0
daemon_stop || rc=$?
exec 3>&-
if [ $rc -ne 0 ]; then
    cat "$T/valgrind.log"
    fail "valgrind reported errors or leaks (exit $rc)"
fi
grep -q "ERROR SUMMARY: 0 errors" "$T/valgrind.log" || { cat "$T/valgrind.log"; fail "valgrind errors"; }
echo "ok - no leaks or errors on the shutdown path"
