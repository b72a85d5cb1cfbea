#!/usr/bin/env bash
# The whole verdict, daemon side: a county key (set-key county 371402) sends
# its county's inputs (CountyInputs on the submit socket) and its schools'
# submissions; another county's inputs or schools are refused and
# quarantined; each kind of bad row is refused naming item and field; a
# resend of the same submission id is DUPLICATE with the same revision; the
# status carries the items and the verdict (pending, then fail on a veto
# present); kill -9 and restart reloads the inputs (same verdict); watch
# --json shows the change; PostgreSQL down answers retry later.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
HDR=$(head -n 1 "$CSV")
A=$(grep -m1 '^2137020' "$CSV" | cut -d, -f1)   # a school of 371402
C=$(grep -m1 '^2137250' "$CSV" | cut -d, -f1)   # a school of 371425
one_school() { { echo "$HDR"; grep -m1 "^$1," "$CSV"; } >"$T/$1.csv"; }
one_school "$A"
one_school "$C"
uuid() { cat /proc/sys/kernel/random/uuid; }
inputs() { sql "SELECT count(*) FROM county_inputs"; }
quarantined() { sql "SELECT count(*) FROM quarantine WHERE reason = '$1'"; }
status_json() { jh_as county status --county 371402 --period 2025 --json >"$T/status.json" || fail "status of 371402"; }
item() { jq -r --arg n "$1" ".items[] | select(.number == \$n) | $2" "$T/status.json"; }

key_new county
key_set county 371402 county
jh admin keys >"$T/keys.out"
check_contains "$T/keys.out" "county" "admin keys lists the county key"
rc=0
jh admin set-key county 379999 "$KEYS/county.key" >"$T/badset" 2>&1 || rc=$?
check_eq "$rc" "1" "a county key is bound to a county of the registry"

# --- its county's inputs --------------------------------------------------------------
cat >"$T/good.rows" <<'ROWS'
2.8|teacher_avg_pay_yuan|98500|县人社局2025年工资统计表
2.8|civil_servant_avg_pay_yuan|97200|县人社局2025年工资统计表
2.8|performance_pay_approved|yes|临政发〔2025〕12号
3.9|math.school_difference_rate|12.1%|2024年国家义务教育质量监测报告
5.3|present|absent|教育局2025年招生工作检查报告
ROWS
status_json
check_eq "$(jq -r .verdict "$T/status.json")" "pending" "before any input: pending"
check_eq "$(jq -r .county_inputs_revision "$T/status.json")" "null" "no inputs revision yet"
jq -e '.awaiting_county_input | index("teacher_pay")' "$T/status.json" >/dev/null || fail "2.8 awaits input"
jh_as county watch --county 371402 --json >"$T/watch" 2>&1 &
W=$!
for _ in $(seq 1 100); do [ -s "$T/watch" ] && break; sleep 0.1; done
ID1=$(uuid)
read -r st rev1 rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$ID1" "$T/good.rows")
check_eq "$st" "accepted" "county key sends its county's inputs ($rest)"
[ "$rev1" -gt 0 ] || fail "accepted with a revision"
read -r st rev rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$ID1" "$T/good.rows")
check_eq "$st $rev" "duplicate $rev1" "a resend of the same submission id: duplicate with the original revision"
check_eq "$(inputs)" "1" "stored once"
check_eq "$(sql "SELECT submitted_by FROM county_inputs")" "$(key_pub county)" "the revision records its key"
read -r st _ rest < <(probe_as county county "$EP_SUBMIT" 371425 2025 "$(uuid)" "$T/good.rows")
check_eq "$st" "refused" "county key for another county's inputs: refused"
check_eq "$(quarantined 'other county')" "1" "and quarantined"
read -r st _ rest < <(probe county "$EP_SUBMIT" 379999 2025 "$(uuid)" "$T/good.rows")
check_eq "$st" "refused" "an unknown county: refused"
check_eq "$(quarantined 'unknown county')" "1" "and quarantined"
check_eq "$(inputs)" "1" "nothing else stored"

# --- every kind of bad row, refused naming item and field --------------------------------
bad() {   # ROW FIELD TEXT
    printf '%s\n' "$1" >"$T/bad.rows"
    probe_as county county "$EP_SUBMIT" 371402 2025 "$(uuid)" "$T/bad.rows" >"$T/bad.out"
    check_contains "$T/bad.out" "refused" "bad row refused: $1"
    check_contains "$T/bad.out" "$2: " "names item and field: $2"
    check_contains "$T/bad.out" "$3" "says why: $3"
}
q0=$(quarantined invalid)
bad "9.9|met|yes|x" "9.9 met" "unknown item"
bad "2.8|teacher_pay_yuan|1|x" "2.8 teacher_pay_yuan" "has no field"
bad "2.8|teacher_avg_pay_yuan|abc|x" "2.8 teacher_avg_pay_yuan" "not a number"
bad "2.15|in_public_schools|-3|x" "2.15 in_public_schools" "negative count"
bad "2.1|met|yes|" "2.1 met" "needs evidence"
bad "3.9|math.school_difference_rate|12.1|x" "3.9 math.school_difference_rate" "where a ratio is expected"
printf '2.15|eligible_migrant_children|1000|x\n2.15|in_public_schools|1001|x\n' >"$T/bad.rows"
probe_as county county "$EP_SUBMIT" 371402 2025 "$(uuid)" "$T/bad.rows" >"$T/bad.out"
check_contains "$T/bad.out" "2.15 in_public_schools: " "part above whole names item and field"
check_contains "$T/bad.out" "a part above its whole" "part above whole refused"
printf '2.8|teacher_avg_pay_yuan|1|x\n2.8|teacher_avg_pay_yuan|2|x\n' >"$T/bad.rows"
probe_as county county "$EP_SUBMIT" 371402 2025 "$(uuid)" "$T/bad.rows" >"$T/bad.out"
check_contains "$T/bad.out" "2.8 teacher_avg_pay_yuan: " "repeated field names item and field"
check_contains "$T/bad.out" "repeated field" "repeated field refused"
check_eq "$(quarantined invalid)" "$((q0 + 8))" "every bad message is quarantined with its raw bytes"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE reason = 'invalid' AND length(raw) > 0")" "$((q0 + 8))" \
    "raw bytes kept"
check_eq "$(inputs)" "1" "no bad row stored"

# --- the status: items with the values, the verdict ---------------------------------
status_json
check_eq "$(jq -r .county_inputs_revision "$T/status.json")" "$rev1" "status names the inputs revision"
check_eq "$(jq -r .verdict "$T/status.json")" "pending" "pending while items are pending (no school has submitted)"
check_eq "$(jq -r .verdict_zh "$T/status.json")" "待定" "verdict in Chinese"
check_eq "$(item 2.8 .id)" "teacher_pay" "item 2.8 is there with its id"
check_eq "$(item 2.8 .inputs.teacher_avg_pay_yuan)" "98500" "item 2.8 carries the county's value"
check_eq "$(item 2.8 .outcome)" "pass" "item 2.8 passes (98500 >= 97200, pay approved)"
check_eq "$(item 2.8 '.evidence | length')" "2" "item 2.8 lists its distinct evidence"
check_eq "$(item 5.3 .outcome)" "pass" "veto 5.3 absent"
if jq -e '.awaiting_county_input | index("teacher_pay")' "$T/status.json" >/dev/null; then
    fail "2.8 no longer awaits input"
fi
jq -e '.items_summary.pending > 0' "$T/status.json" >/dev/null || fail "items_summary counts pending items"
jh_as county status --county 371425 >"$T/outside" 2>&1 && fail "county key reads another county"
check_contains "$T/outside" "scope is 371402" "county key reads its own county only"
rc=0
jh_as county admin stats >"$T/adm" 2>&1 || rc=$?
check_eq "$rc" "1" "county key on the admin socket: refused"

# --- its schools' submissions, not another county's ------------------------------------
jh_as county submit --spool "$T/spK" "$T/$A.csv" >"$T/own" || fail "own county's school refused: $(cat "$T/own")"
check_contains "$T/own" "$A accepted revision" "county key submits for a school of its county"
rc=0
jh_as county submit --spool "$T/spK" "$T/$C.csv" >"$T/other" 2>&1 || rc=$?
check_eq "$rc" "1" "county key for another county's school: refused"
check_contains "$T/other" "this key belongs to county 371402; school $C is not registered in it" "refusal names both"
check_eq "$(quarantined 'other county')" "2" "the attempt is quarantined"

# --- a veto present: fail ---------------------------------------------------------------
printf '5.5|present|present|\n' >"$T/veto.rows"
read -r st rev2 rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$(uuid)" "$T/veto.rows")
check_eq "$st" "accepted" "a veto present is accepted ($rest)"
status_json
check_eq "$(jq -r .verdict "$T/status.json")" "fail" "a veto present: fail"
check_eq "$(jq -r .county_inputs_revision "$T/status.json")" "$rev2" "the newest revision"
check_eq "$(item 5.5 .outcome)" "fail" "veto 5.5 fails"
check_eq "$(jq -r .items_summary.vetoes_present "$T/status.json")" "1" "one veto present"
check_eq "$(item 2.8 .outcome)" "pass" "an earlier revision's items stay (merged)"
cp "$T/status.json" "$T/before.json"
hist() { sql "SELECT status->>'$1' FROM county_status_history WHERE county_code = '371402' ORDER BY id DESC LIMIT 1"; }
for _ in $(seq 1 50); do [ "$(hist verdict)" = "fail" ] && break; sleep 0.1; done
check_eq "$(hist verdict)" "fail" "the history keeps the verdict"
check_eq "$(sql "SELECT status->'item_outcomes'->>'5.5' FROM county_status_history WHERE county_code = '371402'
                 ORDER BY id DESC LIMIT 1")" "fail" "the history keeps each item's outcome"
check_eq "$(sql "SELECT status->'items_summary'->>'vetoes_present' FROM county_status_history
                 WHERE county_code = '371402' ORDER BY id DESC LIMIT 1")" "1" "the history keeps the items summary"
check_eq "$(sql "SELECT count(*) FROM county_status_history WHERE status ? 'items'")" "0" \
    "the history keeps no full items"

# --- watch --json saw the changes ------------------------------------------------------
for _ in $(seq 1 50); do grep -q "\"county_inputs_revision\":$rev2" "$T/watch" && break; sleep 0.1; done
kill -TERM $W
wait $W || true
grep -q "\"county_inputs_revision\":$rev1" "$T/watch" || fail "watch --json shows the first inputs"
grep -q "\"verdict\":\"fail\"" "$T/watch" || fail "watch --json shows the verdict"
echo "ok - watch --json shows the inputs and the verdict"

jh admin stats --json >"$T/stats"
check_eq "$(jq .county_inputs_accepted "$T/stats")" "2" "stats counts the county-inputs revisions"
check_eq "$(jq .revisions_stored "$T/stats")" "$(sql "SELECT count(*) FROM submissions")" \
    "revisions_stored counts school revisions only"

# --- kill -9 and restart: the inputs are reloaded ----------------------------------------
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null || true
daemon_start --publish_interval_ms 0
status_json
for k in verdict county_inputs_revision items_summary awaiting_county_input; do
    check_eq "$(jq -c ".$k" "$T/status.json")" "$(jq -c ".$k" "$T/before.json")" "after kill -9: same $k"
done
check_eq "$(item 2.8 .inputs.teacher_avg_pay_yuan)" "98500" "after kill -9: the values reloaded"
check_eq "$(jq -c '[.items[] | .outcome]' "$T/status.json")" "$(jq -c '[.items[] | .outcome]' "$T/before.json")" \
    "after kill -9: every item the same"
read -r st rev rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$ID1" "$T/good.rows")
check_eq "$st $rev" "duplicate $rev1" "after restart a resend is still a duplicate"
check_eq "$(inputs)" "2" "two revisions stored"
if sql "DELETE FROM county_inputs" 2>/dev/null; then fail "county inputs could be deleted"; fi
echo "ok - county inputs are append-only"

# --- PostgreSQL down: retry later, never accepted; the resend is accepted after --------------
pg_stop
sleep 1
ID3=$(uuid)
read -r st _ rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$ID3" "$T/good.rows")
check_eq "$st" "retry" "PostgreSQL down: retry later ($rest)"
"$SRC/deploy/pg.sh" start "$T/pg" "$PGPORT" >/dev/null
for _ in $(seq 1 100); do
    read -r st rev3 rest < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$ID3" "$T/good.rows")
    [ "$st" = "accepted" ] && break
    sleep 0.2
done
check_eq "$st" "accepted" "after the outage the resend is accepted"
check_eq "$(sql "SELECT count(*) FROM county_inputs WHERE submission_id = '$ID3'")" "1" "stored once"
status_json
check_eq "$(jq -r .county_inputs_revision "$T/status.json")" "$rev3" "the status folds the new revision in"
check_eq "$(jq -r .verdict "$T/status.json")" "fail" "the veto of the earlier revision stays (merged)"
daemon_stop || fail "daemon did not exit 0"
