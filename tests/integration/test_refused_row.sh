#!/usr/bin/env bash
# A row the database itself refuses (here: a CHECK constraint added for the
# test) does not sink its group: the group commit, sent as one pipeline and
# finished while the daemon went on, falls back to savepoints, halves the
# group down to the refused rows, and commits the others. The refused rows'
# senders hear "the database refused this submission", every other row is
# accepted and stored once, and with the constraint gone the same rows go in.
source "$(dirname "$0")/lib.sh"
pg_start
# One group for the whole file (the client sends its rows at once).
daemon_start --batch_max 512 --batch_max_ms 300
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
ROWS=40
head -n $((ROWS + 1)) "$CSV" >"$T/file.csv"
A=$(sed -n 5p "$CSV" | cut -d, -f1)
B=$(sed -n 30p "$CSV" | cut -d, -f1)
sql "ALTER TABLE submissions ADD CONSTRAINT test_refuse CHECK (school_code NOT IN ('$A', '$B')) NOT VALID"

rc=0
jh submit --spool "$T/sp" "$T/file.csv" >"$T/out1" 2>&1 || rc=$?
check_eq "$rc" "1" "exit status 1: some rows refused"
check_eq "$(grep -c 'the database refused this submission' "$T/out1" || true)" "2" "the two rows refused, and only they"
check_contains "$T/out1" "$((ROWS - 2)) accepted or duplicate, 2 refused, 0 not answered" "every other row accepted"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$((ROWS - 2))" "the other rows stored"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code IN ('$A', '$B')")" "0" "the refused rows not stored"
check_eq "$(sql 'SELECT count(*) - count(DISTINCT submission_id) FROM submissions')" "0" "nothing stored twice"
jh admin stats --json >"$T/stats1"
check_eq "$(jq .groups_committed "$T/stats1")" "1" "all in one group"
check_eq "$(jq .refused "$T/stats1")" "2" "stats: 2 refused"

sql "ALTER TABLE submissions DROP CONSTRAINT test_refuse"
{ head -n 1 "$CSV"; sed -n 5p "$CSV"; sed -n 30p "$CSV"; } >"$T/again.csv"
rc=0
jh submit --spool "$T/sp2" "$T/again.csv" >"$T/out2" 2>&1 || rc=$?
check_eq "$rc" "0" "the same two rows accepted once the constraint is gone"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$ROWS" "every row of the file stored once"
daemon_stop || fail "daemon did not exit 0"
