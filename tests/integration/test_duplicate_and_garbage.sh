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

# Truncated, pre-handshake and cross-socket garbage (under CURVE: from an
# authenticated admin key, and raw bytes from nobody at all).
probe truncated "$EP_SUBMIT" "$CSV" >"$T/tr" || true
check_contains "$T/tr" "refused" "truncated envelope refused"
check_contains "$T/tr" "protobuf decode failed" "and says it does not decode"
for ep in "$EP_SUBMIT" "$EP_SNAPSHOT" "$EP_ADMIN" "$EP_PUBLISH"; do
    probe raw "$ep" 100000 >/dev/null || fail "raw bytes into $ep"
    probe raw "$ep" 0 >/dev/null || fail "connect-and-close on $ep"
done
echo "ok - raw non-ZMTP bytes into every socket"
probe garbage "$EP_ADMIN" >"$T/ga" || true
check_contains "$T/ga" "refused" "garbage on the admin socket refused"
probe garbage "$EP_SNAPSHOT" >"$T/gs" || true
check_contains "$T/gs" "refused" "garbage on the snapshot socket refused"
probe frames "$EP_ADMIN" 3 >"$T/fa" || true
check_contains "$T/fa" "refused" "three-frame admin message refused"
# Twenty hostile peers at once while an honest one submits.
hostile=()
for i in $(seq 1 5); do
    probe garbage "$EP_SUBMIT" >/dev/null &
    hostile+=($!)
    probe frames "$EP_SUBMIT" 50 >/dev/null &
    hostile+=($!)
    probe oversize "$EP_SUBMIT" $((3 * 1024 * 1024)) >/dev/null &
    hostile+=($!)
    probe raw "$EP_SUBMIT" 200000 >/dev/null &
    hostile+=($!)
done
read -r st5 _ < <(probe submit "$EP_SUBMIT" "$CSV" 3 "$(cat /proc/sys/kernel/random/uuid)")
check_eq "$st5" "accepted" "an honest submission is served amid twenty hostile peers"
for p in "${hostile[@]}"; do wait "$p" || true; done
kill -0 "$DPID" || fail "the daemon died under hostile input"

# The daemon still serves others.
read -r st4 _ < <(probe submit "$EP_SUBMIT" "$CSV" 2 "$(cat /proc/sys/kernel/random/uuid)")
check_eq "$st4" "accepted" "daemon still serving after hostile input"
jh admin ping >/dev/null || fail "admin ping after hostile input"
daemon_stop || fail "daemon did not exit 0"
