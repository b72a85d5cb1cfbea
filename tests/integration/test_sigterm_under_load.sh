#!/usr/bin/env bash
# SIGTERM under load: the daemon finishes and acknowledges the group in
# flight, exits 0 within 5 s, and the acknowledged set equals the stored set.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start --batch_max 64 --batch_max_ms 20
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"

probe load "$EP_SUBMIT" "$CSV" 20000 200 "$T/acks" >"$T/load.out" &
LPID=$!
# Let some groups commit, then stop the daemon mid-stream.
# Wait on progress, not on time: sanitizer builds are several times slower.
for _ in $(seq 1 600); do
    [ -s "$T/acks" ] && [ "$(grep -c ' accepted$' "$T/acks" || true)" -ge 500 ] && break
    kill -0 "$LPID" 2>/dev/null || fail "the load generator ended before 500 acks"
    sleep 0.05
done
t0=$(date +%s%N)
rc=0
daemon_stop || rc=$?
t1=$(date +%s%N)
check_eq "$rc" "0" "exit status after SIGTERM"
ms=$(((t1 - t0) / 1000000))
[ "$ms" -le 5000 ] || fail "stop took $ms ms"
echo "ok - stopped in $ms ms"
wait "$LPID" || true
acked=$(grep -c ' accepted$' "$T/acks" || true)
[ "$acked" -ge 500 ] || fail "only $acked acks before the stop"
stored=$(sql "SELECT count(*) FROM submissions")
check_eq "$stored" "$acked" "every stored submission was acknowledged, and every ack is stored"
awk '$3 == "accepted" {print $1}' "$T/acks" | sort >"$T/acked_ids"
sql "SELECT submission_id FROM submissions" | sort >"$T/stored_ids"
cmp -s "$T/acked_ids" "$T/stored_ids" || fail "acknowledged ids differ from stored ids"
echo "ok - acknowledged ids == stored ids ($acked)"
