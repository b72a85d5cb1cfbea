#!/usr/bin/env bash
# The official view on the daemon's side (docs/review.md "Two views"): every
# status says its view and carries the review object; the official view
# counts approved revisions only and is published under "O" + the county code
# with its own sequences and heartbeats ("O" + NNNN00); the scope filter
# narrows an official subscription as it does a live one; a status query of
# an unknown view is refused naming the field; the history keeps each view's
# rows apart.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
key_new mon402
key_set monitor 371402 mon402

# --- both views, before any approval ---------------------------------------------
jh status --county 371424 --json >"$T/live0" || fail "status (live)"
jh status --county 371424 --view official --json >"$T/off0" || fail "status --view official"
check_eq "$(jq -r .view "$T/live0")" "live" "a status says its view (live)"
check_eq "$(jq -r .view "$T/off0")" "official" "... and official"
SUBMITTED=$(jq -r .coverage.schools_submitted "$T/live0")
[ "$SUBMITTED" -gt 1 ] || fail "the demo county 371424 has submissions"
check_eq "$(jq -r .coverage.schools_submitted "$T/off0")" "0" "nothing approved: the official view counts no school"
check_eq "$(jq -r '.review.schools.awaiting_approval | length' "$T/live0")" "$SUBMITTED" \
    "the review object lists every submitted school as awaiting approval"
check_eq "$(jq -r .review.package.state "$T/off0")" "collecting" "the package is collecting"
check_eq "$(jq -r .review.period "$T/off0")" "null" "a year never opened has no period"

# --- an official subscription, narrowed to the key's scope ------------------------
probe subscribe "$EP_PUBLISH" "O371424" 60000 >"$T/sub_admin" &
S1=$!
probe_as mon402 subscribe "$EP_PUBLISH" "O" 60000 >"$T/sub_mon" &
S2=$!
for _ in $(seq 1 100); do [ -s "$T/sub_mon" ] && break; sleep 0.1; done
sleep 1.5 # heartbeats reach both

S424=$(sql "SELECT school_code FROM schools WHERE county_code = '371424' ORDER BY school_code LIMIT 1")
REV=$(sql "SELECT max(revision) FROM submissions WHERE school_code = '$S424' AND period = 2025")
jh review approve "$REV" --json >"$T/a1" || fail "approve"
for _ in $(seq 1 100); do grep -qx O371424 "$T/sub_admin" && break; sleep 0.1; done
sleep 0.5
kill -TERM $S1 $S2
wait $S1 $S2 || true
grep -qx O371424 "$T/sub_admin" || fail "the approval was not published on O371424"
check_eq "$(grep -cvx -e O371424 -e O371400 "$T/sub_admin" || true)" "0" "an official subscription gets only its topics"
sort -u "$T/sub_mon" >"$T/sub_mon_topics"
grep -qx O371400 "$T/sub_mon_topics" || fail "the official heartbeat O371400 did not reach the county monitor"
check_eq "$({ grep -vx -e O371402 -e O371400 "$T/sub_mon_topics" || true; } | wc -l)" "0" \
    "a monitor of 371402 subscribing to O gets its county's official topics only"

# --- the official view after the approval --------------------------------------------
jh status --county 371424 --view official --json >"$T/off1" || fail "status --view official after approval"
jh status --county 371424 --json >"$T/live1" || fail "status after approval"
check_eq "$(jq -r .coverage.schools_submitted "$T/off1")" "1" "the approved revision counts in the official view"
check_eq "$(jq -r .coverage.schools_submitted "$T/live1")" "$SUBMITTED" "the live view is unchanged"
check_eq "$(jq -r .review.schools.approved "$T/off1")" "1" "the review object counts the approval"
[ "$(jq -r .seq "$T/off1")" -ge 1 ] || fail "the official view has its own sequence"

# --- an unknown view is refused, naming the field ----------------------------------
probe view "$EP_SNAPSHOT" 371424 draft >"$T/v1"
check_contains "$T/v1" "refused" "a status query of view 'draft' is refused"
check_contains "$T/v1" "view: unknown view 'draft'" "... naming the field"
probe view "$EP_SNAPSHOT" 371424 official >"$T/v2"
check_contains "$T/v2" "ok" "view official is answered"

# --- the history keeps each view's rows -----------------------------------------------
for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM county_status_history WHERE county_code = '371424' AND view = 'official'")" -ge 1 ] && break
    sleep 0.1
done
[ "$(sql "SELECT count(*) FROM county_status_history WHERE county_code = '371424' AND view = 'official'")" -ge 1 ] ||
    fail "the official publication is not in the history"
check_eq "$(sql "SELECT DISTINCT status->>'view' FROM county_status_history WHERE view = 'official'")" "official" \
    "an official row holds an official summary"
check_eq "$(sql "SELECT count(*) FROM county_status_history WHERE view = 'live' AND status->>'view' <> 'live'")" "0" \
    "a live row holds a live summary"
echo "ok - test_official_view"
