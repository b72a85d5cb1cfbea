#!/usr/bin/env bash
# Bursts coalesce: a dozen submissions to one county, each its own commit,
# inside one publish_interval_ms window, give exactly one publication, with
# the final state; the next burst gives the next one. Monitors and the stored
# history see one status per window, not one per submission. The monitor
# uses a county-scoped monitor key, which may not watch the whole city.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tools/watch_lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 4000
load_demo_registry
demo_rows 371402 >"$T/c02.csv"

# The monitor holds a monitor key for its county only: it gets the county and
# its city's heartbeat, and nothing else.
key_new mon
key_set monitor 371402 mon
monitor_start_as mon mon watch --county 371402 --json
for _ in $(seq 1 50); do grep -q -- "-- live" "$T/mon.err" && break; sleep 0.1; done
grep -q -- "-- live" "$T/mon.err" || fail "the monitor is not live"

# burst N: N submissions one at a time (window 1: one commit each), timed.
burst() {
    local t0 t1
    t0=$(now_ms)
    probe load "$EP_SUBMIT" "$T/c02.csv" "$1" 1 "$T/acks" >/dev/null || fail "burst"
    t1=$(now_ms)
    [ "$(awk '{ print $2 }' "$T/acks" | sort -u | wc -l)" -eq "$1" ] || fail "the burst's revisions are not distinct"
    [ $((t1 - t0)) -lt 3000 ] || fail "the burst took $((t1 - t0)) ms, longer than the 4 s window allows to test"
    echo "ok - $1 submissions, each its own commit, in $((t1 - t0)) ms"
}
# lines_after N SECONDS: waits until the monitor printed N lines, then that long again.
lines_after() {
    for _ in $(seq 1 60); do [ "$(wc -l <"$T/mon.out")" -ge "$1" ] && break; sleep 0.1; done
    sleep "$2"
    wc -l <"$T/mon.out"
}

burst 12
n=$(lines_after 1 2.5)
check_eq "$n" 1 "one publication for the burst"
check_eq "$(jq -r .seq "$T/mon.out")" 1 "its sequence"
check_eq "$(jq -r .coverage.schools_submitted "$T/mon.out")" 12 "it carries the final state (12 schools)"
jh status --county 371402 --json | jq -cS 'del(.computed_at)' >"$T/want"
tail -n 1 "$T/mon.out" | jq -cS 'del(.computed_at)' >"$T/got"
cmp -s "$T/want" "$T/got" || fail "the publication is not the county's final state"
echo "ok - the one publication is the county's current state"

burst 8
n=$(lines_after 2 2.5)
check_eq "$n" 2 "the next burst is the next publication"
check_eq "$(tail -n 1 "$T/mon.out" | jq -r .seq)" 2 "its sequence"
hist=$(jh status --county 371402 --history | grep -c "period 2025" || true)
check_eq "$hist" 2 "the stored history holds one status per window"
if grep -q -- "-- resync" "$T/mon.err"; then cat "$T/mon.err"; fail "the county-scoped monitor resynchronised"; fi
echo "ok - the county-scoped monitor stayed live on its city's heartbeats"
monitor_start_as mon out watch --city 3714 --json
outside=${MONITORS[-1]}
for _ in $(seq 1 100); do kill -0 "$outside" 2>/dev/null || break; sleep 0.1; done
rc=0
wait "$outside" || rc=$?
check_eq "$rc" 1 "watching outside the key's scope is refused"
check_contains "$T/out.err" "scope is 371402" "and says why"
finish
