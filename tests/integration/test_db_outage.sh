#!/usr/bin/env bash
# PostgreSQL stopped for ~10 s in the middle of a load (deploy/pg.sh stop /
# start): the daemon answers "retry later" -- never "accepted" -- while it
# cannot commit, reconnects by itself, and afterwards every submission any
# client saw acknowledged is stored exactly once, the database holds exactly
# what was sent, and every client ends with nothing pending.
source "$(dirname "$0")/lib.sh"
CLIENTS=3
PER_CLIENT=1000
CHUNKS=10
OUTAGE_S=10
pg_start
# Groups of 8 pace the daemon at its commit rate, so the outage lands mid-load
# even on a fast machine.
daemon_start --batch_max 8 --batch_max_ms 5 --reconnect_ms 250
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
for c in $(seq 1 $CLIENTS); do
    row=$(sed -n "$((c + 1))p" "$CSV")
    key_new "school$c"
    key_set school "${row%%,*}" "school$c"
    { head -n 1 "$CSV"; for _ in $(seq 1 $((PER_CLIENT / CHUNKS))); do echo "$row"; done; } >"$T/c$c.csv"
done

# client N: CHUNKS files one after the other (a school office sending all
# day), then --flush until nothing is pending (bounded).
client() {
    local c=$1 rc=0
    for _ in $(seq 1 $CHUNKS); do
        jh_as "school$c" --timeout 1000 --retries 4 submit --quiet --spool "$T/sp$c" --receipts "$T/r$c" \
            "$T/c$c.csv" >>"$T/c$c.out" 2>&1 || true
        sleep 0.2
    done
    spool_drain "$c" 40 "$rc"
}
pids=()
for c in $(seq 1 $CLIENTS); do
    client "$c" &
    pids+=($!)
done

total=$((CLIENTS * PER_CLIENT))
for _ in $(seq 1 1500); do
    [ "$(sql "SELECT count(*) FROM submissions")" -ge 400 ] && break
    sleep 0.02
done
before=$(sql "SELECT count(*) FROM submissions")
sql "SELECT submission_id FROM submissions" | sort >"$T/before_ids"
pg_stop
t_down=$(date +%s%N)
echo "ok - PostgreSQL stopped with $before of $total stored"
[ "$before" -lt "$total" ] || fail "the outage came after the load had finished"
sleep 2
jh admin stats --json >"$T/stats_down" || fail "admin stats during the outage"
check_eq "$(jq .database_up "$T/stats_down")" "false" "the daemon knows the database is down"
sleep $((OUTAGE_S - 2))
"$SRC/deploy/pg.sh" start "$T/pg" "$PGPORT" >/dev/null
t_up=$(date +%s%N)
echo "ok - PostgreSQL back after $(((t_up - t_down) / 1000000)) ms"
for p in "${pids[@]}"; do wait "$p"; done

for c in $(seq 1 $CLIENTS); do
    check_eq "$(cat "$T/c$c.end")" "0 0" "client $c finished with exit 0 and nothing pending"
done
cat "$T"/r* | awk '$2 == "accepted" || $2 == "duplicate" {print $1}' | sort -u >"$T/acked"
sql "SELECT submission_id FROM submissions" | sort >"$T/stored"
check_eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" "0" "every acknowledged submission is stored ($(wc -l <"$T/acked"))"
check_eq "$(sql "SELECT count(*) - count(DISTINCT submission_id) FROM submissions")" "0" "no submission stored twice"
check_eq "$(sql "SELECT count(*) FROM submissions")" "$total" "exactly the $total submissions are stored"
jh admin stats --json >"$T/stats"
retry=$(jq .retry_later "$T/stats")
failures=$(jq .store_failures "$T/stats")
[ "$retry" -gt 0 ] || fail "no retry-later answered during the outage"
echo "ok - $retry retry-later answers and $failures failed group commits during the outage, none acknowledged"
check_eq "$(jq .database_up "$T/stats")" "true" "database back up"
check_contains "$T/daemon.0.log" "database connection restored" "the daemon reconnected by itself"
check_eq "${DAEMON_RUNS}" "1" "the same daemon ran throughout"
acc=$(jq .accepted "$T/stats")
[ "$acc" -le "$total" ] || fail "the daemon answered accepted $acc times for $total submissions"
echo "ok - $acc accepted answers for $total stored (the rest: duplicates of commits whose outcome the outage hid)"
daemon_stop || fail "daemon did not exit 0"
