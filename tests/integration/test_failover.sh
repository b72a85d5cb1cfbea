#!/usr/bin/env bash
# High availability on one machine (loopback only, bounded): a primary
# PostgreSQL with a synchronous standby (deploy/pg-standby.sh), two junhengd
# with the same configuration and database conninfo listing both servers
# (target_session_attrs=read-write), one active and one standby (it waits on
# the advisory lock, its sockets not bound), and clients given both daemons.
#
#   (a) under load, SIGKILL the primary PostgreSQL (postmaster and backends)
#       and promote the standby (deploy/pg-promote.sh): the daemons'
#       connections move to the promoted server by themselves and serving
#       resumes (by the active daemon, or by the standby one when it took the
#       lock first: then the other steps down with exit 75 and is restarted
#       as a standby, as systemd would);
#   (b) under load, SIGKILL the active daemon: the standby one takes the
#       lock, loads the state from the database and serves; the clients move
#       to it (Lazy Pirate across servers).
#
# After each: every submission a client saw acknowledged is stored, none
# twice, exactly what was sent is stored, every client ends with nothing
# pending, and the time to resume is measured and printed.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
CLIENTS=3
PER_CLIENT=400
# 20 files of 20 rows, 0.2 s apart: the load lasts several seconds, so the
# kills below land mid-load even when a loaded machine is slow to notice
# the first 150 stored (with 4 files of 100 every row could be stored first)
CHUNKS=20
PG2="$T/pg2"
DAEMON_PIDS=()

ha_cleanup() {
    local rc=$?
    set +e
    local p
    for p in "${DAEMON_PIDS[@]}"; do
        [ -n "$p" ] && kill -TERM "$p" 2>/dev/null
    done
    for p in "${DAEMON_PIDS[@]}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null
    done
    "$SRC/deploy/pg.sh" destroy "$PG2" >/dev/null 2>&1
    (exit $rc)
    cleanup
}
trap ha_cleanup EXIT

# --- PostgreSQL: a primary and its synchronous standby -----------------------
pg_start
P1=$PGPORT
"$SRC/deploy/pg-standby.sh" "$T/pg" "$PG2" >"$T/pg2.env" 2>"$T/pg-standby.log" \
    || { cat "$T/pg-standby.log"; fail "pg-standby.sh"; }
P2=$(sed -n 's/^# port=//p' "$PG2/pg.env")
check_eq "$(psql -XAtq -p "$P1" -c "SELECT sync_state FROM pg_stat_replication")" "sync" \
    "the standby streams synchronously"
CONNINFO="host=127.0.0.1,127.0.0.1 port=$P1,$P2 user=junheng dbname=junheng target_session_attrs=read-write"
# every query goes to whichever server is read-write now
sql() { psql -XAtq -v ON_ERROR_STOP=1 -d "$CONNINFO" -c "$1"; }
count() { sql "SELECT count(*) FROM submissions" 2>/dev/null || echo -1; }

# --- two daemons, five free loopback ports each (four sockets, /metrics) -------
free_base() {
    local b p ok
    for _ in $(seq 1 100); do
        b=$((12000 + RANDOM % 7000))
        ok=1
        for p in $b $((b + 1)) $((b + 2)) $((b + 3)) $((b + 4)); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                ok=0
                break
            fi
        done
        [ $ok = 1 ] && { echo "$b"; return 0; }
    done
    fail "no five free ports"
}
BASE=("$(free_base)")
BASE+=("$(free_base)")
[ "${BASE[0]}" -ne "${BASE[1]}" ] || BASE[1]=$((BASE[1] + 10))
NAMES=(A B)

# daemon_up I: starts daemon I (0 or 1) on its ports, appending to its log.
daemon_up() {
    local i=$1 b=${BASE[$1]}
    "$BIN/junhengd" --database "$CONNINFO" --submit_endpoint "tcp://127.0.0.1:$b" \
        --publish_endpoint "tcp://127.0.0.1:$((b + 1))" --snapshot_endpoint "tcp://127.0.0.1:$((b + 2))" \
        --admin_endpoint "tcp://127.0.0.1:$((b + 3))" --migrations_dir "$SRC/migrations" \
        --rules_file "$SRC/deploy/rules/national-2017.conf" "${DAEMON_KEY_ARGS[@]}" \
        --batch_max 8 --batch_max_ms 5 --reconnect_ms 200 --standby_poll_ms 200 --lease_timeout_ms 2000 \
        --commit_timeout_ms 5000 --metrics_listen "127.0.0.1:$((b + 4))" >>"$T/daemon.${NAMES[$i]}.log" 2>&1 &
    DAEMON_PIDS[$i]=$!
}

# Every client, admin command and probe is given both daemons.
SERVERS="127.0.0.1:${BASE[0]},127.0.0.1:${BASE[1]}"
jh() { "$BIN/junheng" --server "$SERVERS" "${JH_KEY_ARGS[@]}" "$@"; }
# answers I: whether daemon I alone answers an admin ping
answers() { "$BIN/junheng" --server "127.0.0.1:${BASE[$1]}" "${JH_KEY_ARGS[@]}" --timeout 300 --retries 0 admin ping >/dev/null 2>&1; }

# metric I NAME_AND_LABELS: the value daemon I's /metrics gives it (0 when absent)
metric() {
    curl -sS --max-time 5 "http://127.0.0.1:$((BASE[$1] + 4))/metrics" 2>/dev/null |
        awk -v m="$2" '$1 == m { v = $2 } END { print v + 0 }'
}

# wait_log I TEXT SECONDS
wait_log() {
    local i=$1 text=$2 s=$3
    for _ in $(seq 1 $((s * 10))); do
        grep -qF -- "$text" "$T/daemon.${NAMES[$i]}.log" 2>/dev/null && return 0
        sleep 0.1
    done
    fail "daemon ${NAMES[$i]} did not log '$text' within $s s"
}

daemon_up 0
wait_log 0 "junhengd ready" 30
answers 0 || fail "daemon A does not answer"
daemon_up 1
wait_log 1 "standby: another junhengd holds the lock" 30
check_contains "$T/daemon.B.log" "sockets not bound" "daemon B waits as a standby"
if (exec 3<>"/dev/tcp/127.0.0.1/${BASE[1]}") 2>/dev/null; then fail "the standby daemon bound its submit port"; fi
echo "ok - the standby daemon has not bound its sockets"
load_demo_registry
echo "ok - two clusters and two daemons ready at t+${SECONDS}s"

CSV="$SRC/deploy/demo-data/submissions-2025.csv"
for c in $(seq 1 $CLIENTS); do
    row=$(sed -n "$((c + 1))p" "$CSV")
    key_new "school$c"
    key_set school "${row%%,*}" "school$c"
    { head -n 1 "$CSV"; for _ in $(seq 1 $((PER_CLIENT / CHUNKS))); do echo "$row"; done; } >"$T/c$c.csv"
done

# client N: CHUNKS files one after the other, then --flush until nothing is
# pending (bounded). Receipts and spool per client (lib.sh spool_drain).
client() {
    local c=$1
    for _ in $(seq 1 $CHUNKS); do
        jh_as "school$c" --timeout 1000 --retries 4 submit --quiet --spool "$T/sp$c" --receipts "$T/r$c" \
            "$T/c$c.csv" >>"$T/c$c.out" 2>&1 || true
        sleep 0.2
    done
    spool_drain "$c" 40 0
}

# run_load PHASE: starts the clients in the background (pids in LOAD_PIDS).
run_load() {
    LOAD_PIDS=()
    for c in $(seq 1 $CLIENTS); do
        client "$c" &
        LOAD_PIDS+=($!)
    done
}

# wait_stored N: until at least N submissions are stored (bounded).
wait_stored() {
    for _ in $(seq 1 1500); do
        [ "$(count)" -ge "$1" ] && return 0
        sleep 0.02
    done
    fail "fewer than $1 submissions stored after 30 s"
}

# resume_time T0_NS BEFORE: waits until a submission beyond BEFORE is
# stored; prints the seconds since T0_NS.
resume_time() {
    local t0=$1 before=$2
    for _ in $(seq 1 600); do
        if [ "$(count)" -gt "$before" ]; then
            awk -v d=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.1f", d / 1e9 }'
            return 0
        fi
        sleep 0.05
    done
    fail "no submission stored within 30 s of the failover"
}

# since_log T0_NS PATTERN: seconds from T0_NS to the first daemon log line
# after it matching PATTERN (log lines start with their UTC time), or "?".
since_log() {
    local t0=$1 pat=$2 ts rest n
    while read -r ts rest; do
        n=$(date -d "$ts" +%s%N 2>/dev/null) || continue
        if [ "$n" -ge "$t0" ]; then
            awk -v d=$((n - t0)) 'BEGIN { printf "%.1f", d / 1e9 }'
            return 0
        fi
    done < <(grep -hE "$pat" "$T"/daemon.*.log | sort)
    echo "?"
}

# check_phase WHAT TOTAL: every client done and nothing pending; every
# acknowledged submission stored once; exactly TOTAL stored.
check_phase() {
    local what=$1 total=$2 c
    for p in "${LOAD_PIDS[@]}"; do wait "$p"; done
    for c in $(seq 1 $CLIENTS); do
        check_eq "$(cat "$T/c$c.end")" "0 0" "$what: client $c finished with exit 0 and nothing pending"
    done
    cat "$T"/r* | awk '$2 == "accepted" || $2 == "duplicate" {print $1}' | sort -u >"$T/acked"
    sql "SELECT submission_id FROM submissions" | sort >"$T/stored"
    check_eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" "0" \
        "$what: every acknowledged submission is stored ($(wc -l <"$T/acked"))"
    check_eq "$(sql "SELECT count(*) - count(DISTINCT submission_id) FROM submissions")" "0" \
        "$what: no submission stored twice"
    check_eq "$(sql "SELECT count(*) FROM submissions")" "$total" "$what: exactly the $total submissions sent are stored"
}

# --- (a) the primary PostgreSQL dies; the standby is promoted ------------------
phase_total=$((CLIENTS * PER_CLIENT))
run_load
wait_stored 150
pm=$(sed -n 1p "$T/pg/data/postmaster.pid")
t_kill=$(date +%s%N)
kill -9 "$pm" $(pgrep -P "$pm" | tr '\n' ' ')
echo "ok - primary PostgreSQL killed (SIGKILL, postmaster and backends) at t+${SECONDS}s"
"$SRC/deploy/pg-promote.sh" "$PG2" >/dev/null 2>"$T/pg-promote.log" || { cat "$T/pg-promote.log"; fail "pg-promote.sh"; }
# the moment of the promotion: the new timeline, in the server's log
promoted_at=$(grep -h "selected new timeline ID" "$PG2/postgres.log" | tail -n 1 | cut -d' ' -f1-3 || true)
if [ -n "$promoted_at" ]; then t_promoted=$(date -d "$promoted_at" +%s%N); else t_promoted=$(date +%s%N); fi
before=$(count)
[ "$before" -lt "$phase_total" ] || fail "the primary died after the load had finished"
stored=$(resume_time "$t_promoted" "$before")
resumed=$(since_log "$t_promoted" "database connection restored \(group commits\)")
echo "failover: database promoted, daemon resumed in $resumed s" \
    "(lock taken again in $(since_log "$t_promoted" "lease: lock taken again|standby: the lock is free") s," \
    "first new submission stored in $stored s, as the clients' backoff allows;" \
    "$(awk -v d=$((t_promoted - t_kill)) 'BEGIN { printf "%.1f", d / 1e9 }') s from the kill to the promotion)"
check_phase "(a)" "$phase_total"
echo "ok - (a) checked at t+${SECONDS}s"
# which daemon serves now? the other one stepped down (exit 75) or stands by
ACTIVE=-1
for i in 0 1; do answers "$i" && ACTIVE=$i; done
[ "$ACTIVE" -ge 0 ] || fail "no daemon answers after the database failover"
OTHER=$((1 - ACTIVE))
echo "ok - daemon ${NAMES[$ACTIVE]} serves on the promoted server"
if kill -0 "${DAEMON_PIDS[$OTHER]}" 2>/dev/null; then
    echo "ok - daemon ${NAMES[$OTHER]} still stands by"
else
    rc=0
    wait "${DAEMON_PIDS[$OTHER]}" || rc=$?
    check_eq "$rc" "75" "daemon ${NAMES[$OTHER]} stepped down with exit 75 (another took the lock)"
    daemon_up "$OTHER"
    wait_log "$OTHER" "standby: another junhengd holds the lock" 30
    echo "ok - daemon ${NAMES[$OTHER]} restarted as a standby"
fi
grep -hE "lease: lock taken again|standby: the lock is free" "$T"/daemon.*.log | head -n 1 | sed 's/^/  log: /'
db_failovers=$(metric "$ACTIVE" 'junheng_failovers_total{kind="database"}')
took=$(metric "$ACTIVE" 'junheng_failovers_total{kind="daemon"}')
[ $((db_failovers + took)) -ge 1 ] || fail "daemon ${NAMES[$ACTIVE]}'s /metrics counts no failover (database $db_failovers, daemon $took)"
check_eq "$(metric "$ACTIVE" junheng_lease_held)" "1" "daemon ${NAMES[$ACTIVE]}'s /metrics: junheng_lease_held 1"
echo "ok - daemon ${NAMES[$ACTIVE]}'s /metrics counts the failover (database $db_failovers, daemon $took)"

# --- (b) the active daemon dies; the standby daemon takes over -----------------
rm -f "$T"/sp*/* "$T"/c*.end
# a monitor given both daemons: it hears the active one's publisher
jh watch --city 3714 --json >/dev/null 2>"$T/watch.err" &
WATCH_PID=$!
old_epoch=$(jh status --county 371425 --json | jq -r .epoch)
for _ in $(seq 1 100); do grep -q -- "-- live: .* epoch $old_epoch" "$T/watch.err" && break; sleep 0.1; done
check_contains "$T/watch.err" "epoch $old_epoch" "the monitor is live on daemon ${NAMES[$ACTIVE]}"
base_count=$(count)
run_load
wait_stored $((base_count + 150))
# disowned first: bash would report the kill on stderr
disown "${DAEMON_PIDS[$ACTIVE]}"
t_kill=$(date +%s%N)
kill -9 "${DAEMON_PIDS[$ACTIVE]}"
DAEMON_PIDS[$ACTIVE]=""
before=$(count)
[ "$before" -lt $((base_count + phase_total)) ] || fail "the daemon died after the load had finished"
stored=$(resume_time "$t_kill" "$before")
echo "failover: active daemon killed, standby daemon ${NAMES[$OTHER]} serving in" \
    "$(since_log "$t_kill" "junhengd ready") s (lock taken in $(since_log "$t_kill" "standby: the lock is free") s," \
    "first new submission stored in $stored s)"
check_contains "$T/daemon.${NAMES[$OTHER]}.log" "standby: the lock is free; taking over" \
    "daemon ${NAMES[$OTHER]} took the lock over"
check_phase "(b)" $((base_count + phase_total))
check_eq "$(metric "$OTHER" 'junheng_failovers_total{kind="daemon"}')" "1" \
    "daemon ${NAMES[$OTHER]}'s /metrics: junheng_failovers_total{kind=\"daemon\"} 1"
echo "ok - (b) checked at t+${SECONDS}s"
answers "$OTHER" || fail "daemon ${NAMES[$OTHER]} does not answer"
new_epoch=$(jh status --county 371425 --json | jq -r .epoch)
[ "$new_epoch" != "$old_epoch" ] || fail "the daemon that took over kept the epoch"
for _ in $(seq 1 200); do grep -q -- "-- live: .* epoch $new_epoch" "$T/watch.err" && break; sleep 0.1; done
grep -q -- "-- live: .* epoch $new_epoch" "$T/watch.err" || { tail "$T/watch.err"; fail "the monitor did not resync on the new daemon"; }
echo "ok - the monitor resynced on daemon ${NAMES[$OTHER]} (epoch ${new_epoch:0:8})"
kill -TERM "$WATCH_PID"
wait "$WATCH_PID" || true
kill -TERM "${DAEMON_PIDS[$OTHER]}"
rc=0
wait "${DAEMON_PIDS[$OTHER]}" || rc=$?
DAEMON_PIDS[$OTHER]=""
check_eq "$rc" "0" "the serving daemon stops cleanly"
