#!/usr/bin/env bash
# One flooding key cannot starve the others: a school key floods the submit
# socket over two connections with thousands of submissions in flight and no
# back-off, while another school submits normally. The flooder is held to
# max_pending_per_peer per key (it gets "retry later" beyond it, over both
# connections together), and the other school is answered promptly.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start --max_pending_per_peer 64 --batch_max 256 --batch_max_ms 20
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
HDR=$(head -n 1 "$CSV")
A=$(sed -n 2p "$CSV" | cut -d, -f1)
rowB=$(sed -n 3p "$CSV")
key_new flooder
key_set school "$A" flooder
key_new polite
key_set school "${rowB%%,*}" polite
{ echo "$HDR"; for _ in $(seq 1 50); do echo "$rowB"; done; } >"$T/polite.csv"

t0=$(date +%s%N)
jh_as polite submit --quiet --spool "$T/sp" "$T/polite.csv" >/dev/null || fail "polite school alone"
quiet_ms=$((($(date +%s%N) - t0) / 1000000))

probe_as flooder flood "$EP_SUBMIT" "$CSV" 0 8000 2000 >"$T/flood1" &
F1=$!
probe_as flooder flood "$EP_SUBMIT" "$CSV" 0 8000 2000 >"$T/flood2" &
F2=$!
for _ in $(seq 1 200); do
    [ "$(sql "SELECT count(*) FROM submissions WHERE school_code = '$A'")" -ge 100 ] && break
    sleep 0.05
done
t0=$(date +%s%N)
jh_as polite --timeout 2000 --retries 10 submit --quiet --spool "$T/sp" "$T/polite.csv" >"$T/polite.out" ||
    fail "the polite school was not served during the flood: $(cat "$T/polite.out")"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
kill -0 "$F1" 2>/dev/null || kill -0 "$F2" 2>/dev/null || fail "the flood ended before the polite school was served; make it longer"
echo "ok - the polite school's 50 submissions answered in $ms ms during the flood ($quiet_ms ms without it)"
[ "$ms" -le 10000 ] || fail "the polite school waited $ms ms"
wait "$F1" "$F2"
read -r _ acc1 _ retry1 _ other1 <"$T/flood1"
read -r _ acc2 _ retry2 _ other2 <"$T/flood2"
echo "ok - flooder: accepted $acc1 + $acc2, retry-later $retry1 + $retry2, other $other1 + $other2"
[ "$retry1" -gt 0 ] && [ "$retry2" -gt 0 ] || fail "the flooder's two connections were not both held back"
echo "ok - the limit holds per key, across both of the flooder's connections"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code = '${rowB%%,*}'")" "100" "polite school: all 2 x 50 stored"
# A flooder that does not read its replies loses some (its receive queue is
# full); what it was told was accepted is stored, and more may be.
stored=$(sql "SELECT count(*) FROM submissions WHERE school_code = '$A'")
[ "$stored" -ge "$((acc1 + acc2))" ] || fail "flooder: told $((acc1 + acc2)) accepted, only $stored stored"
echo "ok - flooder: every submission it was told was accepted is stored ($stored stored)"
jh admin ping >/dev/null || fail "daemon still serving after the flood"
daemon_stop || fail "daemon did not exit 0"
