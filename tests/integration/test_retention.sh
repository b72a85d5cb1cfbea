#!/usr/bin/env bash
# Retention: with quarantine_retention_days 1 and status_history_retention_days
# 1 the daemon deletes, shortly after start, the quarantined messages and
# status history rows older than a day (backdated here by psql) and keeps the
# recent ones; submissions -- an old one too -- are never deleted; a DELETE of
# history outside the retention is still refused by the database.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
uuid() { cat /proc/sys/kernel/random/uuid; }
for row in 0 1; do
    read -r st _ < <(probe submit "$EP_SUBMIT" "$CSV" "$row" "$(uuid)")
    check_eq "$st" "accepted" "submission $row accepted"
done
probe garbage "$EP_SUBMIT" >/dev/null || true
for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM county_status_history")" -ge 1 ] && break
    sleep 0.1
done
daemon_stop || fail "junhengd exited non-zero"

# Old rows: three days back (a quarantined message, two history rows, a submission).
sql "INSERT INTO quarantine (received_at, reason, raw) VALUES (now() - interval '3 days', 'undecodable', '\\x00')"
sql "INSERT INTO county_status_history (county_code, period, seq, epoch, rules_version, computed_at, status)
     SELECT county_code, period, seq, 'old-epoch', rules_version, now() - interval '3 days', status
     FROM county_status_history ORDER BY id LIMIT 1"
sql "INSERT INTO county_status_history (county_code, period, seq, epoch, rules_version, computed_at, status)
     SELECT county_code, period, seq, 'old-epoch', rules_version, now() - interval '2 days', status
     FROM county_status_history ORDER BY id LIMIT 1"
sql "INSERT INTO submissions (submission_id, school_code, period, received_at, payload, warnings)
     SELECT gen_random_uuid(), school_code, period, now() - interval '3 days', payload, warnings
     FROM submissions ORDER BY revision LIMIT 1"
q_recent=$(sql "SELECT count(*) FROM quarantine WHERE received_at > now() - interval '1 day'")
h_recent=$(sql "SELECT count(*) FROM county_status_history WHERE computed_at > now() - interval '1 day'")
subs=$(sql "SELECT count(*) FROM submissions")
check_eq "$q_recent $subs" "1 3" "one recent quarantined message, three submissions (one old)"
[ "$h_recent" -ge 1 ] || fail "recent history rows"

if sql "DELETE FROM county_status_history WHERE epoch = 'old-epoch'" 2>"$T/del.err"; then
    fail "history rows could be deleted outside the retention"
fi
check_contains "$T/del.err" "append-only" "a plain DELETE of history is refused"
if sql "DELETE FROM submissions" 2>/dev/null; then fail "submissions could be deleted"; fi
echo "ok - submissions cannot be deleted"

daemon_start --quarantine_retention_days 1 --status_history_retention_days 1
for _ in $(seq 1 200); do
    [ "$(sql "SELECT count(*) FROM county_status_history WHERE epoch = 'old-epoch'")" = 0 ] &&
        [ "$(sql "SELECT count(*) FROM quarantine WHERE received_at < now() - interval '1 day'")" = 0 ] && break
    sleep 0.1
done
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE received_at < now() - interval '1 day'")" "0" \
    "the old quarantined message is deleted"
check_eq "$(sql "SELECT count(*) FROM county_status_history WHERE epoch = 'old-epoch'")" "0" \
    "the old history rows are deleted"
check_eq "$(sql "SELECT count(*) FROM quarantine")" "$q_recent" "the recent quarantined message is kept"
[ "$(sql "SELECT count(*) FROM county_status_history WHERE epoch <> 'old-epoch'")" -ge "$h_recent" ] ||
    fail "recent history rows deleted"
echo "ok - the recent history rows are kept"
check_eq "$(sql "SELECT count(*) FROM submissions")" "$subs" "every submission kept, the old one too"
check_contains "$T/daemon.1.log" "retention: 1 quarantined messages and 2 status history rows deleted" \
    "the daemon logs what it deleted"
daemon_stop || fail "junhengd exited non-zero"
