#!/usr/bin/env bash
# PostgreSQL hangs without closing anything: every backend of the daemon is
# stopped (SIGSTOP) while submissions arrive. After commit_timeout_ms the
# daemon gives the group in flight up -- its senders hear "retry later",
# never "accepted" -- closes that connection and opens another; it answers
# admin requests throughout. Once PostgreSQL runs again every submission is
# stored exactly once. Admin requests and history queries never wait on it
# either: each is answered ("retry later" when PostgreSQL does not answer)
# within the timeout, while pings, snapshots and monitors are served; a
# review action too, applied once when resent with its action id. And a
# SIGTERM while PostgreSQL hangs returns within the timeout instead of
# waiting forever.
source "$(dirname "$0")/lib.sh"
N=40
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
row=$(sed -n '2p' "$CSV")
pg_start
# now_ms: wall-clock milliseconds.
now_ms() { date +%s%3N; }

# statement_timeout_ms is set on the daemon's connections: a statement that
# waits on a lock longer is cancelled by PostgreSQL, and the admin request is
# answered "retry later" at once (long before commit_timeout_ms, while the
# lock is still held).
# (the migrations first, without the short statement_timeout_ms)
"$BIN/junhengd" --database "" --migrations_dir "$SRC/migrations" --migrate-only 2>"$T/migrate.err" ||
    { cat "$T/migrate.err"; fail "--migrate-only"; }
daemon_start --reconnect_ms 250 --commit_timeout_ms 20000 --statement_timeout_ms 300

# The calibration of this run: what one admin request answered at once costs
# end to end (the client's start, its CURVE handshake, the daemon's loop),
# the slowest of three, on this machine under its present load (a shared
# runner's load changes it tenfold). The bounds below are multiples of it, and
# commit_timeout_ms (TIMEOUT_MS) is at least five times it: a request that is
# answered at once then takes less than TIMEOUT_MS, one that waited for
# PostgreSQL to be given up more -- on a quiet machine (tens of ms a request)
# the bounds are 1.5 s and 3.5 s.
CAL=0
for _ in 1 2 3; do
    t0=$(now_ms)
    jh --timeout 20000 --retries 0 admin stats >/dev/null || fail "stats (calibration)"
    ms=$(($(now_ms) - t0))
    [ "$ms" -le "$CAL" ] || CAL=$ms
done
TIMEOUT_MS=$((5 * CAL > 1500 ? 5 * CAL : 1500))
echo "info - one admin request costs up to $CAL ms here: commit_timeout_ms $TIMEOUT_MS"

key_new schoolT
psql -XAtq -c "BEGIN; LOCK TABLE keys IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;" >/dev/null 2>&1 &
LOCKER=$!
locked() {
    sql "SELECT count(*) FROM pg_locks WHERE relation = 'keys'::regclass AND mode = 'AccessExclusiveLock' AND granted"
}
for _ in $(seq 1 200); do [ "$(locked)" = 1 ] && break; sleep 0.05; done
[ "$(locked)" = 1 ] || fail "the lock on keys was not taken within 10 s"
rc=0
t0=$(now_ms)
jh --timeout 10000 --retries 0 admin set-key admin locked "$KEYS/schoolT.key" >"$T/locked.out" 2>"$T/locked.err" ||
    rc=$?
ms=$(($(now_ms) - t0))
check_eq "$rc" "3" "set-key behind a lock: exit 3 (retry later)"
check_contains "$T/locked.err" "statement timeout" "the statement was cancelled by statement_timeout"
# (the lock is held for 120 s and commit_timeout_ms is 20 s: an answer while
# it is still held was not waited for)
[ "$(locked)" = 1 ] || fail "set-key behind a lock took $ms ms: the lock is gone"
echo "ok - set-key behind a lock answered retry later in $ms ms, the lock still held"
sql "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE relation = 'keys'::regclass AND mode = 'AccessExclusiveLock'" \
    >/dev/null
wait $LOCKER || true
jh --timeout 5000 --retries 0 admin set-key admin locked "$KEYS/schoolT.key" >/dev/null ||
    fail "set-key once the lock is gone"
echo "ok - set-key succeeds once the lock is gone"
daemon_stop || fail "junhengd did not exit 0 on SIGTERM"

# PostgreSQL hangs: the daemon with commit_timeout_ms TIMEOUT_MS.
daemon_start --batch_max 8 --batch_max_ms 5 --reconnect_ms 250 --commit_timeout_ms $TIMEOUT_MS
key_new school1
load_demo_registry
key_set school "${row%%,*}" school1
{ head -n 1 "$CSV"; for _ in $(seq 1 $N); do echo "$row"; done; } >"$T/c1.csv"

# the daemon's backends (application_name junhengd), stopped
backends() { sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'junhengd'" | tr '\n' ' '; }
HUNG=$(backends)
# backends_reopened: waits until every connection the daemon gave up is
# open again (after reconnect_ms it reopens one; each "given up" line of its
# log is followed by a "connection restored" one), at most 20 s.
backends_reopened() {
    local _ log="$T/daemon.1.log"
    for _ in $(seq 1 200); do
        [ "$(grep -c "given up" "$log")" = "$(grep -c "database connection restored" "$log")" ] && return 0
        sleep 0.1
    done
    fail "the connections given up were not open again within 20 s"
}
[ -n "$HUNG" ] || fail "no backend of the daemon found"
# shellcheck disable=SC2086
kill -STOP $HUNG
resume() {
    # shellcheck disable=SC2086
    [ -n "${HUNG:-}" ] && kill -CONT $HUNG 2>/dev/null
    HUNG=""
}
# (the status is handed on: cleanup exits with the status it finds; set +e
# first, or errexit would end the trap at `(exit $rc)` before the cleanup)
trap 'rc=$?; set +e; resume; (exit $rc); cleanup' EXIT
echo "ok - backends $HUNG stopped"

rc=0
jh_as school1 --timeout $((TIMEOUT_MS * 2 / 3)) --retries 3 submit --quiet --spool "$T/sp1" --receipts "$T/r1" "$T/c1.csv" \
    >"$T/c1.out" 2>&1 || rc=$?
echo "ok - first submit run ended with exit $rc while PostgreSQL hung"
jh --timeout 1000 --retries 0 admin ping >/dev/null || fail "the daemon did not answer ping while PostgreSQL hung"
echo "ok - the daemon answers admin requests while PostgreSQL hangs"
check_contains "$T/daemon.1.log" "given up: no answer from PostgreSQL in $TIMEOUT_MS ms" \
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
check_contains "$T/daemon.1.log" "database connection restored (group commits)" "the commit connection was reopened"

# Admin requests and status queries while PostgreSQL hangs: nothing the loop
# does waits on it. stats is answered from memory at once; rejected, a
# county's history and a registry import are answered "retry later" within
# commit_timeout_ms (+ slack), each on a backend stopped just before it is
# sent (a request given up closes its connection; the daemon reopens it);
# meanwhile pings, a county's status and a monitor's join are served.
COUNTY=371402
# BOUND: commit_timeout_ms, then the request's own cost -- at most
# TIMEOUT_MS / 5 by the calibration, allowed TIMEOUT_MS + 500 against the
# load's swings in this run (3.5 s on a quiet machine). PING_MS: what a
# request answered at once may take, well below TIMEOUT_MS, so that a
# request kept waiting behind the one PostgreSQL holds would miss it.
BOUND=$((2 * TIMEOUT_MS + 500))
PING_MS=$((2 * CAL > 500 ? 2 * CAL : 500))
sed 's/^\(2137020002,[^,]*\),/\1（改名）,/' "$SRC/deploy/demo-data/schools.csv" >"$T/schools-renamed.csv"
grep -q '（改名）' "$T/schools-renamed.csv" || fail "the renamed registry file was not made"
stop_backends() {
    backends_reopened # connections given up before are open again
    HUNG=$(backends)
    [ -n "$HUNG" ] || fail "no backend of the daemon found"
    # shellcheck disable=SC2086
    kill -STOP $HUNG
}
# hung_request NAME ARGS...: the client request ARGS while every backend of
# the daemon is stopped; must end with exit 3 ("no answer", from RETRY_LATER)
# saying "retry later", within BOUND ms.
hung_request() {
    local name=$1 rc=0
    shift
    stop_backends
    local t0=$(date +%s%N)
    jh --timeout $((BOUND + 3000)) --retries 0 "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    local ms=$((($(date +%s%N) - t0) / 1000000))
    resume
    check_eq "$rc" "3" "$name while PostgreSQL hung: exit 3 (retry later)"
    check_contains "$T/$name.err" "retry later" "$name while PostgreSQL hung: the reply says retry later"
    [ "$ms" -lt "$BOUND" ] || fail "$name while PostgreSQL hung took $ms ms (bound $BOUND)"
    echo "ok - $name answered in $ms ms while PostgreSQL hung"
}

stop_backends
t0=$(date +%s%N)
jh --timeout $TIMEOUT_MS --retries 0 admin stats >"$T/stats.hung" || fail "stats while PostgreSQL hung"
ms=$((($(date +%s%N) - t0) / 1000000))
# (below commit_timeout_ms: nothing of it waited for PostgreSQL to be given up)
[ "$ms" -lt "$TIMEOUT_MS" ] || fail "stats took $ms ms while PostgreSQL hung"
check_eq "$(awk '$1 == "revisions_stored" {print $2}' "$T/stats.hung")" "$N" \
    "stats from memory while PostgreSQL hung ($ms ms): revisions_stored"
resume

# a request hangs; the loop serves pings, snapshots and a monitor meanwhile
stop_backends
t0=$(date +%s%N)
jh --timeout $((BOUND + 3000)) --retries 0 admin rejected >"$T/rejected.out" 2>"$T/rejected.err" &
REJ=$!
sleep 0.2
for _ in 1 2 3; do
    jh --timeout $PING_MS --retries 0 admin ping >/dev/null || fail "ping not answered while an admin request hung"
done
jh --timeout $PING_MS --retries 0 status --county $COUNTY >"$T/county.hung" ||
    fail "status --county not answered while an admin request hung"
jh --timeout $PING_MS --retries 0 watch --county $COUNTY --json >"$T/watch.out" 2>"$T/watch.err" &
WATCH=$!
for _ in $(seq 1 $((PING_MS / 25))); do grep -q -- "-- live" "$T/watch.err" && break; sleep 0.05; done
grep -q -- "-- live" "$T/watch.err" || { cat "$T/watch.err"; fail "a watch could not join while PostgreSQL hung"; }
pkill -TERM -P "$WATCH" 2>/dev/null || true
kill -TERM "$WATCH" 2>/dev/null || true
wait $WATCH 2>/dev/null || true
echo "ok - pings, a county's status and a monitor's join served while an admin request hung"
rc=0
wait $REJ || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
resume
check_eq "$rc" "3" "rejected while PostgreSQL hung: exit 3 (retry later)"
check_contains "$T/rejected.err" "retry later" "rejected while PostgreSQL hung: the reply says retry later"
[ "$ms" -lt "$BOUND" ] || fail "rejected while PostgreSQL hung took $ms ms (bound $BOUND)"
echo "ok - rejected answered in $ms ms while PostgreSQL hung"

hung_request history status --county $COUNTY --history
hung_request import admin import-schools "$T/schools-renamed.csv"
# a review action (docs/review.md): retry later, and applied once when resent
REV=$(sql "SELECT max(revision) FROM submissions")
AID=0c9d3a52-7e41-4b8f-9a6d-5f2e1b3c4d5e
hung_request review review approve "$REV" --action-id "$AID"

# PostgreSQL runs again: everything works, and the import, resent, succeeds
backends_reopened
jh --timeout 5000 --retries 2 admin rejected >/dev/null || fail "rejected after PostgreSQL resumed"
jh --timeout 5000 --retries 2 status --county $COUNTY --history >"$T/history.after" ||
    fail "status --history after PostgreSQL resumed"
jh --timeout 5000 --retries 2 admin import-schools "$T/schools-renamed.csv" >"$T/import.after" ||
    fail "the import, resent after PostgreSQL resumed"
check_eq "$(sql "SELECT name FROM schools WHERE school_code = '2137020002'" | grep -c '（改名）')" "1" \
    "the resent import is stored"
jh --timeout 5000 --retries 2 review approve "$REV" --action-id "$AID" >/dev/null ||
    fail "the approval, resent after PostgreSQL resumed"
jh --timeout 5000 --retries 2 review approve "$REV" --action-id "$AID" >/dev/null ||
    fail "the approval, resent once more"
check_eq "$(sql "SELECT count(*) FROM revision_reviews WHERE revision = $REV")" "1" "the approval is applied once"
check_eq "$(sql "SELECT count(*) FROM audit_log WHERE action_id = '$AID'")" "1" "with one audit row"
jh --timeout 5000 --retries 2 admin stats >"$T/stats.after" || fail "stats after PostgreSQL resumed"
check_eq "$(awk '$1 == "database_up" {print $2}' "$T/stats.after")" "true" "the admin connection works again"
echo "ok - after PostgreSQL resumed: rejected, history and the resent import succeed"

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
