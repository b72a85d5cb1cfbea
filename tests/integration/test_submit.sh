#!/usr/bin/env bash
# A whole county file through the real client and daemon: every accepted row
# is in the database exactly once; a file mixing good and bad rows stores the
# good ones and refuses the bad ones by column; daemon-side refusals are
# quarantined with their reasons.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start
load_demo_registry
check_eq "$(sql 'SELECT count(*) FROM schools')" "1000" "registry imported"

rc=0
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/out1" || rc=$?
check_eq "$rc" "0" "demo submissions exit status"
rows=$(($(wc -l <"$SRC/deploy/demo-data/submissions-2025.csv") - 1))
check_contains "$T/out1" "$rows accepted or duplicate, 0 refused, 0 not answered" "every demo row accepted"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$rows" "one revision per row"
check_eq "$(sql 'SELECT count(DISTINCT submission_id) FROM submissions')" "$rows" "submission ids unique"
check_eq "$(sql 'SELECT count(*) FROM (SELECT school_code FROM submissions GROUP BY 1 HAVING count(*) > 1) d')" "0" \
    "no school stored twice"

# Mixed file: good rows stored, bad rows refused with column and reason.
rc=0
jh submit "$SRC/deploy/demo-data/submissions-bad.csv" >"$T/out2" || rc=$?
check_eq "$rc" "1" "bad file exit status is 1 (some refused)"
check_contains "$T/out2" "exceeds" "a count exceeding its total is named"
check_contains "$T/out2" "class_sizes" "class sizes problem named by column"
check_contains "$T/out2" "period" "period out of range named"
check_contains "$T/out2" "is not in the school registry" "unknown school refused by the daemon"
good=$(grep -c ' accepted revision ' "$T/out2" || true)
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$((rows + good))" "only the good rows of the mixed file stored"
q=$(sql "SELECT count(*) FROM quarantine WHERE reason = 'unknown school'")
[ "$q" -ge 1 ] || fail "unknown-school refusal not quarantined"
echo "ok - refusals quarantined ($q)"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE length(raw) = 0 OR errors = '[]'")" "0" \
    "quarantine rows keep raw bytes and errors"

# GBK file with Chinese headers is read and accepted (same schools: new revisions).
rc=0
jh submit "$SRC/deploy/demo-data/submissions-2025-gbk-sample.csv" >"$T/out3" || rc=$?
check_eq "$rc" "0" "GBK/Chinese-header file accepted"

# Revisions are append-only.
if sql "UPDATE submissions SET period = 2024 WHERE revision = 1" 2>/dev/null; then
    fail "an UPDATE of a revision was allowed"
fi
echo "ok - revisions cannot be updated"

# stats --json counts in the database and since start.
jh admin stats --json >"$T/stats"
check_contains "$T/stats" "\"revisions_stored\":$(sql 'SELECT count(*) FROM submissions')" "stats revisions_stored"
daemon_stop || fail "daemon did not exit 0 on SIGTERM"
echo "ok - clean stop"
