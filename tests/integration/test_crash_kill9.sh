#!/usr/bin/env bash
# Nothing acknowledged is lost, nothing is counted twice, across crashes: four
# concurrent clients (the real junheng, each with its own school key, spool
# and receipts) submit 10,000 submissions while the daemon is killed with
# SIGKILL three times and restarted. Afterwards every submission any client
# saw acknowledged is in the database exactly once, the database holds
# exactly the 10,000 (no more), and every client ends with nothing pending.
source "$(dirname "$0")/lib.sh"
CLIENTS=4
PER_CLIENT=2500
KILLS=3
pg_start
daemon_start --batch_max 8 --batch_max_ms 5
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
t_start=$(date +%s%N)

for c in $(seq 1 $CLIENTS); do
    row=$(sed -n "$((c + 1))p" "$CSV")
    code=${row%%,*}
    key_new "school$c"
    key_set school "$code" "school$c"
    { head -n 1 "$CSV"; for _ in $(seq 1 $PER_CLIENT); do echo "$row"; done; } >"$T/c$c.csv"
done

# client N: submit, then --flush until nothing is pending (bounded).
client() {
    local c=$1 rc=0
    jh_as "school$c" --timeout 1000 --retries 4 submit --quiet --spool "$T/sp$c" --receipts "$T/r$c" \
        "$T/c$c.csv" >"$T/c$c.out" 2>&1 || rc=$?
    spool_drain "$c" 30 "$rc"
}
pids=()
for c in $(seq 1 $CLIENTS); do
    client "$c" &
    pids+=($!)
done

# Kill the daemon mid-load at fixed shares of the total stored (20 %, 45 %,
# 70 %): progress, not time. Groups of at most 8 (--batch_max) keep the
# daemon's pace at its commit rate, so the test's polls see every threshold
# well before the end even on a fast machine (the default groups store a
# client's whole backlog in a few commits). Restart it each time.
total=$((CLIENTS * PER_CLIENT))
at=0
for k in $(seq 1 $KILLS); do
    target=$((total * (20 + 25 * (k - 1)) / 100))
    for _ in $(seq 1 1200); do
        [ "$(sql "SELECT count(*) FROM submissions")" -ge "$target" ] && break
        sleep 0.02
    done
    kill -KILL "$DPID"
    wait "$DPID" 2>/dev/null || true
    at=$(sql "SELECT count(*) FROM submissions")
    [ "$at" -lt "$total" ] || fail "kill #$k came after the load had finished"
    echo "ok - kill -9 #$k with $at of $total stored"
    sleep 0.3
    daemon_start --batch_max 8 --batch_max_ms 5
done
for p in "${pids[@]}"; do wait "$p"; done
t_end=$(date +%s%N)

for c in $(seq 1 $CLIENTS); do
    check_eq "$(cat "$T/c$c.end")" "0 0" "client $c finished with exit 0 and nothing pending"
done
cat "$T"/r* | awk '$2 == "accepted" || $2 == "duplicate" {print $1}' | sort -u >"$T/acked"
sql "SELECT submission_id FROM submissions" | sort >"$T/stored"
acked=$(wc -l <"$T/acked")
dups=$(cat "$T"/r* | awk '$2 == "duplicate"' | wc -l)
check_eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" "0" "every acknowledged submission is stored ($acked acknowledged, $dups of them as duplicates after a crash)"
check_eq "$(sql "SELECT count(*) - count(DISTINCT submission_id) FROM submissions")" "0" "no submission stored twice"
check_eq "$(sql "SELECT count(*) FROM submissions")" "$total" "exactly the $total submissions are stored, no more"
check_eq "$acked" "$total" "every submission was acknowledged in the end"
for c in $(seq 1 $CLIENTS); do
    code=$(sed -n "$((c + 1))p" "$CSV" | cut -d, -f1)
    check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code = '$code' AND submitted_by = '$(key_pub "school$c")'")" \
        "$PER_CLIENT" "client $c: $PER_CLIENT revisions, each from its own key"
done
check_eq "$(sql "SELECT count(*) FROM quarantine")" "0" "nothing refused"
check_eq "${DAEMON_RUNS}" "$((KILLS + 1))" "daemon ran $((KILLS + 1)) times"
echo "ok - $total submissions through $KILLS kill -9 in $(((t_end - t_start) / 1000000)) ms"
daemon_stop || fail "daemon did not exit 0"
