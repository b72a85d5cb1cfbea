#!/usr/bin/env bash
# The daemon dies (SIGKILL: no goodbye) under live monitors. Each must notice
# within 3 s that heartbeats stopped -- silence is never "nothing changed" --
# and say so; when a new daemon starts (new epoch, sequences from 0) and
# statuses change, each must take the new snapshot and end on the new state.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tools/watch_lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start
load_demo_registry
D="$SRC/deploy/demo-data/submissions-2025.csv"
jh submit "$D" >/dev/null || fail "submit"
demo_rows 371425 >"$T/c25.csv"

monitor_start json watch --city 3714 --json
monitor_start plain watch --county 371425
for _ in $(seq 1 300); do grep -q -- "-- live" "$T/json.err" && grep -q -- "-- live" "$T/plain.out" && break; sleep 0.1; done
grep -q -- "-- live" "$T/json.err" || fail "the JSON monitor is not live"
grep -q -- "-- live" "$T/plain.out" || fail "the plain monitor is not live"
old_epoch=$(jh status --county 371425 --json | jq -r .epoch)
sleep 1.5

kill -KILL "$DPID"
t_kill=$(now_ms)
wait "$DPID" 2>/dev/null || true
DPID=""
noticed() { grep -q -- "-- resync: no heartbeat" "$T/json.err" && grep -q -- "-- resync: no heartbeat" "$T/plain.out"; }
# LATE: how late a 50 ms sleep of this shell wakes up at worst while the
# monitors wait (measured in the same interval): what the machine's load
# adds to any process's timer, the monitors' included -- a few ms on a
# quiet machine, hundreds at a load average of 20. The bound is the
# monitors' 3 s plus 300 ms plus three times that (a monitor that waited for
# anything longer than the heartbeats, or never noticed, still misses it).
LATE=0
while ! noticed && [ $(($(now_ms) - t_kill)) -lt $((6000 + 3 * LATE)) ]; do
    s0=$(now_ms)
    sleep 0.05
    d=$(($(now_ms) - s0 - 50))
    [ "$d" -le "$LATE" ] || LATE=$d
done
t_seen=$(now_ms)
noticed || { cat "$T/json.err" "$T/plain.out" | tail; fail "the monitors did not notice the daemon's death within 6 s"; }
BOUND=$((3300 + 3 * LATE))
note_ms() { # the monitor's own time of the note, as ms since the kill
    grep -h -- "-- resync: no heartbeat" "$1" | head -n 1 | cut -d' ' -f1 |
        awk -v k="$(TZ=Asia/Shanghai date -d @$((t_kill / 1000)) +%H:%M:%S).$(printf %03d $((t_kill % 1000)))" \
            'function ms(t, p) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
             { print ms($1) - ms(k) }'
}
echo "info - noticed $(note_ms "$T/json.err") ms (JSON) and $(note_ms "$T/plain.out") ms (plain) after SIGKILL"
[ $((t_seen - t_kill)) -le $BOUND ] ||
    fail "noticed only $((t_seen - t_kill)) ms after the kill (3 s allowed; bound $BOUND ms, timers $LATE ms late)"
echo "ok - both monitors said the daemon went silent within 3 s ($((t_seen - t_kill)) ms; bound $BOUND ms)"

sleep 1
daemon_start
new_epoch=$(jh status --county 371425 --json | jq -r .epoch)
[ "$new_epoch" != "$old_epoch" ] || fail "the restarted daemon kept its epoch"
probe load "$EP_SUBMIT" "$T/c25.csv" 6 1 "$T/acks" >/dev/null || fail "submissions after the restart"
wait_converged json 3714 30
check_same_states json 3714
grep -q -- "-- live: .* epoch $new_epoch" "$T/json.err" || { cat "$T/json.err"; fail "no live note with the new epoch"; }
echo "ok - the JSON monitor follows the new daemon (epoch ${new_epoch:0:8})"
seq=$(jh status --county 371425 --json | jq .seq)
for _ in $(seq 1 300); do grep " 371425 " "$T/plain.out" | tail -n 1 | grep -q " seq $seq " && break; sleep 0.1; done
grep " 371425 " "$T/plain.out" | tail -n 1 | grep -q " seq $seq " || { tail "$T/plain.out"; fail "the plain monitor did not reach seq $seq"; }
grep -q -- "-- live: .* epoch $new_epoch" "$T/plain.out" || fail "the plain monitor did not report the new epoch"
echo "ok - the plain monitor follows the new daemon (371425 at seq $seq)"
finish
