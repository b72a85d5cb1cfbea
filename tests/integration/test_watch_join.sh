#!/usr/bin/env bash
# Monitors that join late (ZeroMQ's Clone pattern): one monitor is there from
# the start; after half the city's data, monitors of every prefix width join
# (a county, a city, a province, everything, and a plain-text one). Then
# more rounds of submissions. Every monitor must print the snapshot and then
# every later publication of each county exactly once, in order, end on the
# daemon's current state, and never resync. Also measures commit→monitor
# latency with the default coalescing window.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tools/watch_lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start
load_demo_registry
D="$SRC/deploy/demo-data/submissions-2025.csv"

monitor_start early watch --city 3714 --json
head -n 400 "$D" >"$T/part1.csv"
jh submit "$T/part1.csv" >/dev/null || fail "first half"

monitor_start city watch --city 3714 --json
monitor_start county watch --county 371402 --json
monitor_start province watch --province 37 --json
monitor_start all watch --all --json
monitor_start plain watch --city 371400
for m in early city county province all; do
    for _ in $(seq 1 50); do grep -q -- "-- live" "$T/$m.err" && break; sleep 0.1; done
    grep -q -- "-- live" "$T/$m.err" || { cat "$T/$m.err"; fail "$m is not live after 5 s"; }
done
for _ in $(seq 1 50); do grep -q -- "-- live" "$T/plain.out" && break; sleep 0.1; done
echo "ok - every monitor took its snapshot and is live"

# More rounds: separate commits, every county several times (new revisions).
{ head -n 1 "$D"; tail -n +401 "$D"; } >"$T/part2.csv"
jh submit "$T/part2.csv" >/dev/null || fail "second half"
for round in 1 2 3 4 5; do
    probe load "$EP_SUBMIT" "$D" $((round * 37)) 4 "$T/acks.$round" >/dev/null || fail "load round $round"
done
demo_rows 371402 >"$T/c02.csv"
probe load "$EP_SUBMIT" "$T/c02.csv" 20 1 "$T/acks.c02" >/dev/null || fail "load one county"

for m in early city province all; do
    wait_converged "$m" 3714 30
done
wait_converged county 371402 30
for m in early city county province all; do
    check_consecutive "$m"
done
check_same_states city 3714
check_same_states county 371402
check_same_states all 3714
check_same_states province 3714
[ "$(jq -r .county.code "$T/county.out" | sort -u)" = "371402" ] || fail "the county monitor printed other counties"
echo "ok - the county monitor printed only its county"
for m in city county province all; do
    if grep -q -- "-- resync" "$T/$m.err"; then cat "$T/$m.err"; fail "$m resynchronised without a loss"; fi
done
echo "ok - no monitor resynchronised"
seq=$(jh status --county 371402 --json | jq .seq)
plain_lines=$(grep -c " 371402 德城区 .* seq " "$T/plain.out" || true)
[ "$plain_lines" -ge 2 ] || fail "the plain monitor printed $plain_lines lines for 371402"
grep " 371402 " "$T/plain.out" | tail -n 1 | grep -q "seq $seq " || fail "plain monitor's last line is not seq $seq"
echo "ok - the plain monitor prints one line per change (371402 at seq $seq)"
# The verdict it shows is the whole verdict of the JSON (待定 when there is none), never PASS.
want=$(jh status --county 371402 --json | jq -r 'if .verdict then
    ({"pass":"达标","fail":"未达标","pending":"待定"}[.verdict]) + " (failing \(.items_summary.failing + .items_summary.vetoes_present), pending \(.items_summary.pending + .items_summary.vetoes_pending))"
    else "待定 (no whole verdict from the daemon)" end')
grep " 371402 " "$T/plain.out" | tail -n 1 | grep -qF "seq $seq $want coverage" ||
    { grep " 371402 " "$T/plain.out" | tail -n 1; fail "plain monitor's verdict is not '$want'"; }
if grep -q "PASS" "$T/plain.out"; then fail "the plain monitor says PASS"; fi
echo "ok - the plain monitor shows the whole verdict: $want"

# Latency: ack of one submission → the monitor's line (default 20 ms window).
lat=()
for i in 1 2 3 4 5; do
    before=$(grep -c " 371402 " "$T/plain.out" || true)
    t0=$(TZ=Asia/Shanghai date +%H:%M:%S.%3N) # the monitor prints its times in the client's zone (default Asia/Shanghai)
    probe submit "$EP_SUBMIT" "$T/c02.csv" $((i - 1)) "$(cat /proc/sys/kernel/random/uuid)" >/dev/null
    for _ in $(seq 1 100); do
        [ "$(grep -c " 371402 " "$T/plain.out" || true)" -gt "$before" ] && break
        sleep 0.02
    done
    t1=$(grep " 371402 " "$T/plain.out" | tail -n 1 | cut -d' ' -f1)
    lat+=("$(awk -v a="$t0" -v b="$t1" 'function ms(t, p) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
        BEGIN { print ms(b) - ms(a) }')")
done
echo "info - submission start→monitor line (default publish_interval_ms; includes starting wire_probe and the commit): ${lat[*]} ms"
for l in "${lat[@]}"; do [ "$l" -lt 2000 ] || fail "a change took $l ms to reach the monitor"; done
echo "ok - every change reached the monitor within 2 s"
finish
