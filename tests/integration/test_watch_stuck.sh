#!/usr/bin/env bash
# Stuck monitors never slow ingest: four monitors of everything whose output
# nobody reads (so they stop reading their subscription after the snapshot)
# stay connected while submissions are acknowledged as fast as without them
# (generous bound: at least half the rate), every publication still goes out
# to a healthy monitor, and that one ends on the daemon's state.
# The rates are of runs measured in turn -- without, with, with, without --
# and the best of each kind is compared: the machine's load (a shared runner,
# other tests in parallel) moves a run's rate by up to about a third, and
# the runs without the monitors are taken before and after those with them,
# so that load that rises or falls during the test weighs on both kinds.
# What the test guards against -- a publisher that waits for a subscriber
# that does not read -- stalls ingest (a stuck monitor's queue fills within
# the first hundreds of publications) and takes the rate far below half.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/tools/watch_lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
D="$SRC/deploy/demo-data/submissions-2025.csv"
jh submit "$D" >/dev/null || fail "submit"
N=3000

# rate NAME: acknowledged submissions per second of one bounded load run.
rate() {
    local t0 t1
    t0=$(now_ms)
    probe load "$EP_SUBMIT" "$D" $N 64 "$T/acks.$1" >/dev/null || fail "load $1"
    t1=$(now_ms)
    [ "$(wc -l <"$T/acks.$1")" -eq $N ] || fail "load $1: not every submission was acknowledged"
    echo $((N * 1000 / (t1 - t0 + 1)))
}
best() { if [ "$1" -gt "$2" ]; then echo "$1"; else echo "$2"; fi; }

# the healthy monitor's own queue is unbounded (--rcvhwm 0): a monitor the
# machine's load slows keeps every publication the daemon sends it, so a
# loss it reports is the daemon's. It runs throughout: the runs with and
# without the stuck monitors differ by them alone.
monitor_start healthy watch --city 3714 --json --rcvhwm 0
for _ in $(seq 1 300); do grep -q -- "-- live" "$T/healthy.err" && break; sleep 0.1; done
grep -q -- "-- live" "$T/healthy.err" || fail "the healthy monitor is not live"
without=$(rate a)

# the stuck monitors hold one publication each (--rcvhwm 1): the daemon
# meets a subscriber that does not read at once, not after thousands of
# publications queued (and decrypted, on the same cores) in the monitor
for i in 1 2 3 4; do
    monitor_start_piped "stuck$i" 'exec sleep 600' watch --all --json --rcvhwm 1
done
for i in 1 2 3 4; do
    for _ in $(seq 1 300); do grep -q -- "-- snapshot" "$T/stuck$i.err" && break; sleep 0.1; done
done
for _ in $(seq 1 300); do grep -q -- "-- live" "$T/healthy.err" && break; sleep 0.1; done
grep -q -- "-- live" "$T/healthy.err" || fail "the healthy monitor is not live"
sleep 1
# Their queues in the daemon filled first: 600 publications or more (the
# healthy monitor of the whole demo city counts them), a few schools a commit
# (window 4: small commits). A queue holds 1,000 messages, and a monitor of
# everything gets more than the publications of one view (heartbeats
# besides); a publisher made to wait for a full queue stalled here after
# about 400. From then on every publication meets four full queues.
before=$(wc -l <"$T/healthy.out")
for k in $(seq 1 12); do
    [ $(($(wc -l <"$T/healthy.out") - before)) -ge 600 ] && break
    probe load "$EP_SUBMIT" "$D" 300 4 "$T/acks.w$k" >/dev/null || fail "load w$k"
done
[ $(($(wc -l <"$T/healthy.out") - before)) -ge 600 ] ||
    fail "only $(($(wc -l <"$T/healthy.out") - before)) publications to fill the stuck monitors' queues"

with=$(best "$(rate c)" "$(rate d)")
echo "info - with 4 stuck monitors: $with acks/s"
for i in 1 2 3 4; do
    kill -0 "${MONITORS[$(((i - 1) * 2 + 2))]}" 2>/dev/null || fail "stuck monitor $i is gone"
    [ ! -s "$T/stuck$i.out" ] || fail "stuck monitor $i's output was read"
done
echo "ok - the stuck monitors are still connected, still stuck"
# the stuck monitors go (each reader first: its client's write then fails)
for p in "${MONITORS[@]:1:8}"; do
    pkill -TERM -P "$p" 2>/dev/null || true
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
done
without=$(best "$without" "$(rate b)")
echo "info - without the stuck monitors (before and after): $without acks/s"
[ $((with * 2)) -ge "$without" ] || fail "stuck monitors slowed ingest: $with acks/s against $without"
echo "ok - stuck monitors did not slow ingest ($with vs $without acks/s)"
wait_converged healthy 3714 30
check_same_states healthy 3714
# (a loss is a gap in a county's sequence or a heartbeat ahead of it; a
# resync on heartbeats late by a second under a heavy load is not one: the
# rates above say the daemon was not held up)
if grep -qE -- "-- resync: (gap in|lost publications)" "$T/healthy.err"; then
    cat "$T/healthy.err"
    fail "the healthy monitor lost publications"
fi
echo "ok - a healthy monitor beside them got every publication"
finish
