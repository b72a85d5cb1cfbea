#!/usr/bin/env bash
# The review chain end to end (docs/review.md) on the demo data, county 371423
# 庆云县, school year 2025, with a CURVE key per role: a school's revision
# returned (reason, columns, deadline), seen in the school's inbox, sent again
# and approved; the official status changes only at approval and sealing (a
# newer submitted revision changes live, not official; watch --view official
# sees the approval); scope refusals (a
# county key approving another county's school, a school key approving, a
# monitor key without the review right recording a finding); a period closed
# refuses a school's submission with a Chinese reason naming the period, the
# county reopens it for that school and the submission is taken, marked late;
# a resent approval with the same action id is "duplicate" and applied once;
# the county seals; the city (a monitor key with --review) records two
# findings, overrules veto 5.2 (official view only, the county's value beside)
# and returns the package; the county answers both and seals again;
# the city closes both and passes; `review package --verify` says identical;
# the audit log lists every action of the run with its actor, exactly; after
# kill -9 nothing approved is lost and a resent action id is still
# "duplicate"; an approval sent while PostgreSQL hangs (the client resending
# the same action id) is applied exactly once.
source "$(dirname "$0")/lib.sh"
pg_start
DAEMON_ARGS=(--publish_interval_ms 0 --commit_timeout_ms 1500 --reconnect_ms 250)
daemon_start "${DAEMON_ARGS[@]}"
load_demo_registry
COUNTY=371423
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
HDR=$(head -n 1 "$CSV")
{ echo "$HDR"; grep '^2137230' "$CSV"; } >"$T/county.csv"
A=$(sed -n 2p "$T/county.csv" | cut -d, -f1)       # the school whose revision is returned
OTHER=$(grep -m1 '^2137020' "$CSV" | cut -d, -f1) # a school of 371402
{ echo "$HDR"; grep -m1 "^$OTHER," "$CSV"; } >"$T/other.csv"
uuid() { cat /proc/sys/kernel/random/uuid; }
# official / live FILE: the county's status in that view, as JSON.
view_json() { jh status --county $COUNTY --period 2025 --view "$1" --json >"$2" || fail "status --view $1"; }
# The official status without what changes with every publication: what approval and sealing change.
official_data() { jq -S 'del(.seq, .computed_at, .epoch, .review)' "$1"; }
# A revision's id from the school's row of `review submissions --json` (newest first).
newest_revision() { jh review submissions --school "$1" --period 2025 --json | jq -r '.[0].revision'; }
# run EXPECTED_RC WHAT ARGS...: runs the client (as key $AS, admin when empty) into $T/out and $T/err, checks
# the exit status.
AS=""
run() {
    local want=$1 what=$2 rc=0
    shift 2
    if [ -n "$AS" ]; then jh_as "$AS" "$@" >"$T/out" 2>"$T/err" || rc=$?; else jh "$@" >"$T/out" 2>"$T/err" || rc=$?; fi
    [ "$rc" = "$want" ] || { cat "$T/out" "$T/err"; fail "$what: exit $rc, expected $want"; }
    echo "ok - $what (exit $rc)"
}

key_new county
key_new county2
key_new school
key_new city
key_new mon
key_set county $COUNTY county
key_set county 371402 county2
key_set school "$A" school
jh admin set-key monitor 3714 "$KEYS/city.key" --review >/dev/null || fail "set-key monitor --review"
key_set monitor 3714 mon

# --- submissions; the official view before any approval ---------------------------------------
AS=county run 0 "the county sends its schools' submissions" submit --spool "$T/spC" "$T/county.csv"
AS=county2 run 0 "another county sends one of its own" submit --spool "$T/spO" "$T/other.csv"
NSCHOOLS=$(($(wc -l <"$T/county.csv") - 1))
view_json live "$T/live0.json"
view_json official "$T/off0.json"
check_eq "$(jq -r .view "$T/live0.json") $(jq -r .view "$T/off0.json")" "live official" "each status says its view"
check_eq "$(jq -r .review.schools.approved "$T/off0.json")" "0" "nothing approved yet"
check_eq "$(jq -r '.review.schools.awaiting_approval | length' "$T/off0.json")" "$NSCHOOLS" "every school awaits approval"
RA1=$(newest_revision "$A")
RO=$(newest_revision "$OTHER")

# --- scope ---------------------------------------------------------------------------------------
AS=county2 run 1 "a county key approving another county's school: refused" review approve "$RA1"
AS=school run 1 "a school key approving: refused" review approve "$RA1"
AS=county run 1 "a county key approving another county's school: refused" review approve "$RO"
AS=mon run 1 "a monitor key without the review right: refused" review findings --county $COUNTY --period 2025 \
    --item 2.8 --finding "x"
check_contains "$T/err" "refused" "the refusal says so"
check_contains "$T/err" "no review right" "and why"

# --- a school's revision returned, seen in its inbox, sent again and approved -------------------
AS=county run 0 "the county returns school $A's revision" review return "$RA1" --reason "生均体育场地面积与台账不符" \
    --columns sports_area_m2 --deadline 2026-03-20 --json
check_eq "$(jq -c '[.returned, .columns, .deadline]' "$T/out")" "[$RA1,[\"sports_area_m2\"],\"2026-03-20\"]" \
    "the answer names the revision, the columns and the deadline"
AS=school run 0 "the school's inbox" inbox --json
check_eq "$(jq -r '.returned[0] | "\(.revision) \(.state) \(.reason) \(.deadline)"' "$T/out")" \
    "$RA1 returned 生均体育场地面积与台账不符 2026-03-20" "the inbox shows the returned revision and why"
AS=school run 0 "the school's inbox as text" inbox
check_contains "$T/out" "已退回 returned" "the inbox says 已退回 returned"
check_contains "$T/out" "sports_area_m2 (" "the inbox names the column with its Chinese name"
check_contains "$T/out" "returned revisions: 1" "the inbox's words in English under LANG=C"
LANG=zh_CN.UTF-8 jh_as school inbox >"$T/out.zh" 2>&1 || fail "the school's inbox under LANG=zh_CN.UTF-8"
check_contains "$T/out.zh" "退回的修订：1" "the inbox's words in Chinese under LANG=zh_CN.UTF-8"
check_contains "$T/out.zh" "已退回 returned" "... the state in Chinese with its id beside"
check_contains "$T/out.zh" "整改期限：2026-03-20" "... the deadline's label in Chinese"
if grep -q "returned revisions\|deadline:" "$T/out.zh"; then fail "English labels in the Chinese inbox"; fi

jh watch --county $COUNTY --view official --json >"$T/watch.official" 2>/dev/null &
WO=$!
jh watch --county $COUNTY --json >"$T/watch.live" 2>/dev/null &
WL=$!
for _ in $(seq 1 100); do [ -s "$T/watch.official" ] && [ -s "$T/watch.live" ] && break; sleep 0.1; done
AS=county run 0 "the county approves every clean submission" review approve --county $COUNTY --period 2025 --all-clean \
    --json
NAPPROVED=$(jq '.approved | length' "$T/out")
check_eq "$NAPPROVED" "$((NSCHOOLS - 1))" "all but the returned one approved"
view_json official "$T/off1.json"
check_eq "$(jq -r .review.schools.approved "$T/off1.json")" "$NAPPROVED" "the official view counts them"
[ "$(official_data "$T/off0.json")" != "$(official_data "$T/off1.json")" ] || fail "approval did not change official"
echo "ok - approval changed the official view"
for _ in $(seq 1 50); do
    jq -e --argjson n "$NAPPROVED" 'select(.review.schools.approved == $n)' "$T/watch.official" >/dev/null 2>&1 && break
    sleep 0.1
done
kill "$WO" "$WL"
wait "$WO" "$WL" 2>/dev/null || true
jq -e --argjson n "$NAPPROVED" 'select(.review.schools.approved == $n)' "$T/watch.official" >/dev/null ||
    fail "watch --view official did not show the approval"
check_eq "$(jq -r .view "$T/watch.official" | sort -u)" "official" "watch --view official shows only the official view"
check_eq "$(jq -r .view "$T/watch.live" | sort -u)" "live" "watch shows only the live view"

# The school sends a corrected revision: live changes, official does not.
grep -E "^(school_code|$A,)" "$T/county.csv" >"$T/a.csv"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sports_area_m2") c = i; print; next }
                  { $c = $c + 100; print }' "$T/a.csv" >"$T/a2.csv"
view_json live "$T/live1.json"
AS=school run 0 "the school sends a corrected revision" submit --spool "$T/spS" "$T/a2.csv"
RA2=$(newest_revision "$A")
[ "$RA2" -gt "$RA1" ] || fail "a new revision ($RA2 after $RA1)"
view_json live "$T/live2.json"
view_json official "$T/off2.json"
[ "$(jq -S 'del(.seq, .computed_at, .epoch)' "$T/live1.json")" != "$(jq -S 'del(.seq, .computed_at, .epoch)' "$T/live2.json")" ] ||
    fail "the new revision did not change live"
check_eq "$(official_data "$T/off2.json")" "$(official_data "$T/off1.json")" "a submitted revision leaves official as it was"
check_eq "$(jq -r --arg a "$A" '.review.schools.awaiting_approval | index($a) != null' "$T/off2.json")" "true" \
    "the school awaits approval again"
AS=county run 0 "the county approves the corrected revision" review approve "$RA2"
check_contains "$T/out" "审核通过 approve" "the answer says 审核通过 approve"
check_contains "$T/out" "approved revision (approved): $RA2" "... and which revision, in English under LANG=C"
view_json official "$T/off3.json"
[ "$(official_data "$T/off2.json")" != "$(official_data "$T/off3.json")" ] || fail "approving $RA2 did not change official"
echo "ok - approving the corrected revision changed the official view"

# --- a period closed, reopened for one school: the late submission --------------------------------
run 0 "admin opens the period" admin period open 2025 --closes 2099-12-31
run 0 "admin closes the period" admin period close 2025
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sports_area_m2") c = i; print; next }
                  { $c = $c + 150; print }' "$T/a.csv" >"$T/a3.csv"
AS=school LANG=zh_CN.UTF-8 run 1 "a school's submission after the close: refused" submit --spool "$T/spS" "$T/a3.csv"
check_contains "$T/out" "2025学年的填报已由管理员提前截止" "the refusal names the period in Chinese, closed early"
if grep -q "2099" "$T/out"; then fail "the refusal names a closing date that has not come"; fi
AS=county run 0 "the county reopens the period for the school" review reopen --school "$A" --period 2025 \
    --reason "台风停电，延期3天"
AS=school run 0 "the school's late submission is taken" submit --spool "$T/spS" "$T/a3.csv"
RA3=$(newest_revision "$A")
check_eq "$(jh review submissions --school "$A" --period 2025 --json | jq -r '.[0].late')" "true" "marked late"

# --- an approval resent with the same action id: duplicate, applied once ---------------------------
ACT=$(uuid)
AS=county run 0 "the county approves the late revision" review approve "$RA3" --action-id "$ACT" --json
check_eq "$(jq -r .duplicate "$T/out")" "false" "first: applied"
AS=county run 0 "the same approval resent" review approve "$RA3" --action-id "$ACT" --json
check_eq "$(jq -r .duplicate "$T/out")" "true" "resent: duplicate"
check_contains "$T/err" "duplicate" "the client says duplicate"

# --- the county seals; the city reviews ------------------------------------------------------------
grep -E "^(county_code|$COUNTY,)" "$SRC/deploy/demo-data/county-inputs-2025.csv" >"$T/inputs.csv"
view_json official "$T/off4.json"
AS=county run 0 "the county sends its inputs" county submit --spool "$T/spC" "$T/inputs.csv"
view_json official "$T/off5.json"
view_json live "$T/live5.json"
[ "$(jq -r .county_inputs_revision "$T/live5.json")" != null ] || fail "live shows the county's inputs"
check_eq "$(official_data "$T/off5.json")" "$(official_data "$T/off4.json")" "county inputs leave official as it was"
AS=county run 0 "the county seals" review seal --county $COUNTY --period 2025 --json
SEAL1=$(jq -r .seal "$T/out")
check_eq "$(jq -r .state "$T/out")" "sealed" "the package is sealed"
view_json official "$T/off6.json"
[ "$(official_data "$T/off5.json")" != "$(official_data "$T/off6.json")" ] || fail "sealing did not change official"
check_eq "$(jq -r .county_inputs_revision "$T/off6.json")" "$(jq -r .county_inputs_revision "$T/live5.json")" \
    "the seal folds in the county's inputs"
check_eq "$(jq -r .review.package.state "$T/off6.json")" "sealed" "the status shows the sealed package"

AS=city run 0 "the city records a finding on 2.8" review findings --county $COUNTY --period 2025 --item 2.8 \
    --finding "绩效工资未落实" --deadline 2026-04-30 --json
P1=$(jq -r .problem "$T/out")
AS=city run 0 "the city records a finding on 3.9" review findings --county $COUNTY --period 2025 --item 3.9 \
    --finding "质量监测报告缺县级分析" --json
P2=$(jq -r .problem "$T/out")
check_eq "$(jq -r .state "$T/out")" "city_reviewing" "the package is under the city's review"
AS=city run 0 "the city overrules veto 5.2" review override --county $COUNTY --period 2025 --item 5.2 --field present \
    --value present --reason "督导组暗访发现跨区掐尖招生"
view_json official "$T/off8.json"
check_eq "$(jq -c '.items[] | select(.number == "5.2") | [.city_override.value, .city_override.reason]' "$T/off8.json")" \
    '["present","督导组暗访发现跨区掐尖招生"]' "the official item carries the city's override"
jq -e '.items[] | select(.number == "5.2") | has("county_value")' "$T/off8.json" >/dev/null ||
    fail "the overruled item keeps the county's value beside"
view_json live "$T/live8.json"
check_eq "$(jq -c '.items[] | select(.number == "5.2") | .city_override' "$T/live8.json")" "null" \
    "the live view has no override"
jh status --county $COUNTY --period 2025 --view official >"$T/page.official"
check_contains "$T/page.official" "view: 正式 official" "the page says which view"
check_contains "$T/page.official" "city overrides" "the page shows the city's override"
LANG=zh_CN.UTF-8 jh status --county $COUNTY --period 2025 --view official >"$T/page.official.zh"
check_contains "$T/page.official.zh" "视图: 正式 official" "the page says which view, in Chinese under zh_CN"
check_contains "$T/page.official.zh" "市级改判（" "the city's override, in Chinese under zh_CN"
check_contains "$T/page.official" "5.2" "of item 5.2"
AS=city run 1 "the city cannot pass with open problems" review pass --county $COUNTY --period 2025
AS=city run 0 "the city returns the package" review return --county $COUNTY --period 2025 --reason "见问题清单" --json
check_eq "$(jq -r .state "$T/out")" "returned" "the package is returned"
AS=county run 0 "the county's inbox" inbox --json
check_eq "$(jq -c '[.problems[].id] | sort' "$T/out")" "[$P1,$P2]" "the county's inbox lists both problems"
AS=county run 0 "the problem list as text" review findings --county $COUNTY --period 2025
check_contains "$T/out" "2.8 教师平均工资不低于公务员 teacher_pay" "items by number, Chinese name and id"
check_contains "$T/out" "待整改 open" "problems in Chinese with their English state"

AS=county run 0 "the county answers problem $P1" review answer "$P1" --evidence "县政府办〔2026〕3号，绩效工资已发放"
AS=county run 0 "the county answers problem $P2" review answer "$P2" --evidence "县级质量监测分析报告（2026年4月）"
AS=county run 0 "the county seals again" review seal --county $COUNTY --period 2025 --json
SEAL2=$(jq -r .seal "$T/out")
[ "$SEAL2" -gt "$SEAL1" ] || fail "a new seal ($SEAL2 after $SEAL1)"
AS=city run 0 "the city closes problem $P1" review close "$P1"
AS=city run 0 "the city closes problem $P2" review close "$P2" --json
check_eq "$(jq -r .state "$T/out")" "closed" "problem closed"
AS=city run 0 "the city passes the package" review pass --county $COUNTY --period 2025 --json
check_eq "$(jq -r .state "$T/out")" "city_passed" "市级复核通过"
AS=city run 0 "the sealed package recomputed" review package --county $COUNTY --period 2025 --verify --json
check_eq "$(jq -r .verify "$T/out")" "identical" "review package --verify: identical"
AS=city run 0 "the package as text" review package --county $COUNTY --period 2025 --verify
check_contains "$T/out" "市级复核通过 city_passed" "the package's state in Chinese and English"
check_contains "$T/out" "一致 identical" "the verification in Chinese and English"

# --- the audit log: every action of the run, with its actor ------------------------------------------
jh audit --json >"$T/audit.json" || fail "audit"
jq -r '.[] | "\(.action) \(.actor_role) \(.actor_subject)"' "$T/audit.json" >"$T/audit.txt"
cat >"$T/audit.want" <<EOF
import_counties admin config:admin
import_schools admin config:admin
set_key admin config:admin
set_key admin config:admin
set_key admin config:admin
set_key admin config:admin
set_key admin config:admin
return county $COUNTY
approve county $COUNTY
approve county $COUNTY
period_open admin config:admin
period_close admin config:admin
reopen county $COUNTY
approve county $COUNTY
seal county $COUNTY
finding monitor 3714
finding monitor 3714
override monitor 3714
return_package monitor 3714
answer county $COUNTY
answer county $COUNTY
seal county $COUNTY
close monitor 3714
close monitor 3714
pass monitor 3714
EOF
diff "$T/audit.want" "$T/audit.txt" || fail "the audit log is not the run's actions"
echo "ok - the audit log lists the $(wc -l <"$T/audit.txt") actions of the run with their actors"
check_eq "$(jq -r --arg k "$(key_pub county)" '[.[] | select(.actor_role == "county") | .actor_key == $k] | all' \
    "$T/audit.json")" "true" "the county's actions carry the county's key"
check_eq "$(jq -r --arg k "$(key_pub city)" '[.[] | select(.actor_role == "monitor") | .actor_key == $k] | all' \
    "$T/audit.json")" "true" "the city's actions carry the reviewer's key"
check_eq "$(jq -r '[.[] | select(.action == "return")][0] | "\(.target) \(.reason)"' "$T/audit.json")" \
    "$RA1 生均体育场地面积与台账不符" "the return's row names the revision and the reason"
AS=county run 0 "the county's audit as text" audit --county $COUNTY
check_contains "$T/out" "审核通过 approve" "actions in Chinese and English"

# --- kill -9: nothing approved is lost, nothing applied twice ----------------------------------------------
view_json official "$T/offk.json"
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null || true
DPID=""
daemon_start "${DAEMON_ARGS[@]}"
view_json official "$T/off7.json"
check_eq "$(jq -r '"\(.review.package.state) \(.review.schools.approved)"' "$T/off7.json")" "city_passed $NSCHOOLS" \
    "after kill -9: the package and the approvals are as they were"
check_eq "$(official_data "$T/off7.json")" "$(official_data "$T/offk.json")" "after kill -9: the same official status"
AS=county run 0 "the approval resent after the restart" review approve "$RA3" --action-id "$ACT" --json
check_eq "$(jq -r .duplicate "$T/out")" "true" "still duplicate after kill -9"

# --- PostgreSQL hangs while an approval is sent: the client resends the same action id -------------------
AS=school run 0 "another late revision" submit --spool "$T/spS" "$T/a2.csv"
RA4=$(newest_revision "$A")
backends() { sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'junhengd'" | tr '\n' ' '; }
HUNG=$(backends)
[ -n "$HUNG" ] || fail "no backend of the daemon found"
resume() {
    # shellcheck disable=SC2086
    [ -n "${HUNG:-}" ] && kill -CONT $HUNG 2>/dev/null
    HUNG=""
}
trap 'rc=$?; set +e; resume; (exit $rc); cleanup' EXIT
# shellcheck disable=SC2086
kill -STOP $HUNG
rc=0
jh_as county --timeout 1000 --retries 8 review approve "$RA4" >"$T/hang.out" 2>"$T/hang.err" &
CL=$!
sleep 3
resume
wait "$CL" || rc=$?
if [ "$rc" = 3 ]; then # every resend spent while it hung: the client printed the action id to send again
    id=$(sed -n 's/^ *--action-id \([0-9a-f-]*\):.*/\1/p' "$T/hang.err")
    [ -n "$id" ] || { cat "$T/hang.err"; fail "no action id printed after no answer"; }
    AS=county run 0 "the approval sent again with its action id" review approve "$RA4" --action-id "$id"
    rc=0
fi
check_eq "$rc" "0" "the approval sent while PostgreSQL hung is answered"
check_eq "$(jh review submissions --school "$A" --period 2025 --json | jq -r '.[0] | "\(.revision) \(.state)"')" \
    "$RA4 approved" "the revision is approved"
check_eq "$(jh audit --json | jq --argjson r "$RA4" '[.[] | select(.action == "approve" and
    ((.target == $r) or ((.detail.revisions // []) | index($r) != null)))] | length')" "1" "approved exactly once"
