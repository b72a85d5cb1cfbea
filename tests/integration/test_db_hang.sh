#!/usr/bin/env bash
# PostgreSQL hangs without closing anything: every backend of the daemon is
# stopped (SIGSTOP) while submissions arrive. After commit_timeout_ms the
# daemon gives the group in flight up -- its senders hear "retry later",
# never "accepted" -- closes that connection and opens another; it answers
# admin requests throughout. Once PostgreSQL runs again every submission is
# stored exactly once. And a SIGTERM while PostgreSQL hangs returns within
# the timeout instead of waiting forever.
source "$(dirname "$0")/lib.sh"
N=40
TIMEOUT_MS=1500
pg_start
daemon_start --batch_max 8 --batch_max_ms 5 --reconnect_ms 250 --commit_timeout_ms $TIMEOUT_MS
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
row=$(sed -n '2p' "$CSV")
key_new school1
key_set school "${row%%,*}" school1
{ head -n 1 "$CSV"; for _ in $(seq 1 $N); do echo "$row"; done; } >"$T/c1.csv"

# the daemon's backends (application_name junhengd), stopped
backends() { sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'junhengd'" | tr '\n' ' '; }
HUNG=$(backends)
[ -n "$HUNG" ] || fail "no backend of the daemon found"
# shellcheck disable=SC2086
kill -STOP $HUNG
resume() {
    # shellcheck disable=SC2086
    [ -n "${HUNG:-}" ] && kill -CONT $HUNG 2>/dev/null
    HUNG=""
}
trap 'resume; cleanup' EXIT
echo "ok - backends $HUNG stopped"

rc=0
jh_as school1 --timeout 1000 --retries 3 submit --quiet --spool "$T/sp1" --receipts "$T/r1" "$T/c1.csv" \
    >"$T/c1.out" 2>&1 || rc=$?
echo "ok - first submit run ended with exit $rc while PostgreSQL hung"
jh --timeout 1000 --retries 0 admin ping >/dev/null || fail "the daemon did not answer ping while PostgreSQL hung"
echo "ok - the daemon answers admin requests while PostgreSQL hangs"
check_contains "$T/daemon.0.log" "given up: no answer from PostgreSQL in $TIMEOUT_MS ms" \
    "the group in flight was given up after commit_timeout_ms"
# nothing the stopped backend held can have been acknowledged: whatever was
# accepted went through a new connection and is stored already, while the
# stopped backend still hangs (sql opens a backend of its own)
awk '$2 == "accepted" {print $1}' "$T/r1" 2>/dev/null | sort -u >"$T/acked_hung"
sql "SELECT submission_id FROM submissions" | sort >"$T/stored_hung"
check_eq "$(comm -23 "$T/acked_hung" "$T/stored_hung" | wc -l)" "0" \
    "every submission accepted during the hang is already stored ($(wc -l <"$T/acked_hung"))"
resume
echo "ok - backends resumed"

spool_drain 1 40 "$rc"
check_eq "$(cat "$T/c1.end")" "0 0" "the client finished with nothing pending"
awk '$2 == "accepted" || $2 == "duplicate" {print $1}' "$T/r1" | sort -u >"$T/acked"
sql "SELECT submission_id FROM submissions" | sort >"$T/stored"
check_eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" "0" "every acknowledged submission is stored ($(wc -l <"$T/acked"))"
check_eq "$(sql "SELECT count(*) - count(DISTINCT submission_id) FROM submissions")" "0" "no submission stored twice"
check_eq "$(sql "SELECT count(*) FROM submissions")" "$N" "exactly the $N submissions are stored"
check_contains "$T/daemon.0.log" "database connection restored (group commits)" "the commit connection was reopened"

# SIGTERM while PostgreSQL hangs: bounded by the timeout (history included)
jh_as school1 --timeout 1000 --retries 0 submit --quiet "$T/c1.csv" >/dev/null 2>&1 || true
HUNG=$(backends)
# shellcheck disable=SC2086
kill -STOP $HUNG
jh_as school1 --timeout 500 --retries 0 submit --quiet "$T/c1.csv" >/dev/null 2>&1 &
sleep 0.3
t0=$(date +%s%N)
daemon_stop || fail "junhengd did not exit 0 on SIGTERM while PostgreSQL hung"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt $((3 * TIMEOUT_MS + 2000)) ] || fail "SIGTERM took $ms ms while PostgreSQL hung"
echo "ok - SIGTERM while PostgreSQL hung: exit 0 after $ms ms"
resume
wait
echo "ok - all"
