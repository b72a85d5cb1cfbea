#!/usr/bin/env bash
# A monitor whose subscription loses publications: its receive high-water
# mark is 1 and its output is held (a reader that does not read yet), so it
# stops reading while hundreds of publications go out; the daemon's PUB drops
# what does not fit its high-water mark. Once it reads again it must see the
# loss (a gap in a county's sequence, or a heartbeat ahead of it), take a fresh
# snapshot, say so, and end on exactly the state a healthy monitor shows.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tools/watch_lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
D="$SRC/deploy/demo-data/submissions-2025.csv"
jh submit "$D" >/dev/null || fail "submit"

# the healthy monitor's own queue is unbounded (--rcvhwm 0): a monitor the
# machine's load slows keeps every publication the daemon sends it, so a
# loss it reports is the daemon's
monitor_start healthy watch --city 3714 --json --rcvhwm 0
monitor_start_piped lossy 'while [ ! -e "$T/go" ]; do sleep 0.1; done; exec cat' \
    watch --city 3714 --json --rcvhwm 1
for _ in $(seq 1 300); do grep -q -- "-- live" "$T/healthy.err" && grep -q -- "-- snapshot" "$T/lossy.err" && break; sleep 0.1; done
grep -q -- "-- live" "$T/healthy.err" || fail "the healthy monitor is not live"
sleep 1 # the lossy monitor is now blocked writing its snapshot

# Many small commits, each published at once: far more than the PUB keeps.
probe load "$EP_SUBMIT" "$D" 4000 8 "$T/acks" >/dev/null || fail "load"
published=$(($(wc -l <"$T/healthy.out")))
echo "info - the healthy monitor printed $published statuses"
[ "$published" -gt 400 ] || fail "too few publications ($published) to overflow the high-water marks"

touch "$T/go"
wait_converged lossy 3714 60
wait_converged healthy 3714 60
grep -E -- "-- resync: (gap in|lost publications)" "$T/lossy.err" >"$T/resyncs" ||
    { cat "$T/lossy.err"; fail "the lossy monitor did not report a loss"; }
echo "ok - the lossy monitor detected the loss: $(head -n 1 "$T/resyncs" | cut -d' ' -f2-)"
check_same_states lossy 3714
check_same_states healthy 3714
# The healthy monitor lost nothing: no gap, no heartbeat ahead of it. A
# resync on heartbeats late by more than 3 s (a heavily loaded machine
# starves the daemon's loop or the monitor) takes a fresh snapshot, which may
# skip a sequence legitimately: then every line in order is not asked for.
if grep -qE -- "-- resync: (gap in|lost publications)" "$T/healthy.err"; then
    cat "$T/healthy.err"
    fail "the healthy monitor lost publications"
fi
if grep -q -- "-- resync" "$T/healthy.err"; then
    echo "info - the healthy monitor resynchronised on late heartbeats: $(grep -c -- "-- resync" "$T/healthy.err")"
else
    check_consecutive healthy
fi
echo "ok - the healthy monitor lost nothing"
lines=$(wc -l <"$T/lossy.out")
[ "$lines" -lt "$published" ] || fail "the lossy monitor printed $lines statuses, no fewer than the healthy one"
echo "ok - the lossy monitor skipped what it lost ($lines of $published statuses) and recovered"
finish
