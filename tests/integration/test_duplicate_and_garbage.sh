#!/usr/bin/env bash
# A resent submission id is a duplicate with the original revision and stores
# nothing; garbage, empty, multi-frame and oversized messages get a refusal or
# are dropped, and the daemon keeps serving others.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
ID=6f1d3c1e-8a7b-4c2d-9e0f-123456789abc

read -r st1 rev1 < <(probe submit "$EP_SUBMIT" "$CSV" 0 "$ID")
check_eq "$st1" "accepted" "first send accepted"
read -r st2 rev2 < <(probe submit "$EP_SUBMIT" "$CSV" 0 "$ID")
check_eq "$st2" "duplicate" "resend is a duplicate"
check_eq "$rev2" "$rev1" "duplicate carries the original revision"
# Same id, different content: still the original (the id is the key).
read -r st3 rev3 < <(probe submit "$EP_SUBMIT" "$CSV" 1 "$ID")
check_eq "$st3 $rev3" "duplicate $rev1" "same id with other content is a duplicate"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE submission_id = '$ID'")" "1" "stored once"
# ... and the other school of the reused id stays unsubmitted in its county's status.
other=$(sed -n 3p "$CSV" | cut -d, -f1)
county=$(sql "SELECT county_code FROM schools WHERE school_code = '$other'")
jh status --county "$county" --json >"$T/st.json"
check_eq "$(jq -r --arg s "$other" '.coverage.missing | index($s) != null' "$T/st.json")" "true" \
    "a reused id does not submit another school"

probe garbage "$EP_SUBMIT" >"$T/g" || true
check_contains "$T/g" "refused" "garbage refused"
probe empty "$EP_SUBMIT" >"$T/e" || true
check_contains "$T/e" "refused" "empty frame refused"
probe frames "$EP_SUBMIT" 7 >"$T/f" || true
check_contains "$T/f" "refused" "seven-frame message refused"
probe oversize "$EP_SUBMIT" $((2 * 1024 * 1024)) >"$T/o" || true
check_contains "$T/o" "no-reply" "oversized message dropped by ZMQ_MAXMSGSIZE"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE reason IN ('undecodable', 'unsupported version')")" "2" "garbage and empty quarantined"

# The daemon still serves others.
read -r st4 _ < <(probe submit "$EP_SUBMIT" "$CSV" 2 "$(cat /proc/sys/kernel/random/uuid)")
check_eq "$st4" "accepted" "daemon still serving after hostile input"
jh admin ping >/dev/null || fail "admin ping after hostile input"
daemon_stop || fail "daemon did not exit 0"
