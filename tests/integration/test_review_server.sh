#!/usr/bin/env bash
# The review chain on the daemon's side (docs/review.md): rights and scope
# (a county key cannot approve another county's school, a school key cannot
# approve, a monitor key without the review right cannot record a finding;
# each refusal names role, subject and what was asked); an approval applied
# once (a resend with its action id answers DUPLICATE); the state machine's
# refusals naming the field; a period closed (a school's submission refused
# on field "period", quarantined) and reopened for one school (accepted,
# stored late); the seal verified byte for byte; the audit log complete and
# append-only (UPDATE, DELETE and TRUNCATE refused by the database).
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
for k in c402 c424 school mon rev; do key_new $k; done
key_set county 371402 c402
key_set county 371424 c424
key_set monitor 3714 mon
jh admin set-key monitor 3714 "$KEYS/rev.key" --review >/dev/null || fail "set-key --review"
check_eq "$(sql "SELECT may_review FROM keys WHERE public_key = '$(key_pub rev)'")" "t" "the review right is stored"
S424=$(sql "SELECT school_code FROM schools WHERE county_code = '371424' ORDER BY school_code LIMIT 1")
key_set school "$S424" school
REV=$(sql "SELECT max(revision) FROM submissions WHERE school_code = '$S424' AND period = 2025")
[ -n "$REV" ] || fail "no revision of $S424"

# --- rights and scope ---------------------------------------------------------
rc=0
jh_as c402 --retries 0 review approve "$REV" >"$T/o1" 2>&1 || rc=$?
check_eq "$rc" "1" "a county key cannot approve another county's school"
check_contains "$T/o1" "this county key (371402) may not approve revision $REV of school $S424" "the refusal names role, subject and what was asked"
LANG=zh_CN.UTF-8 jh_as c402 --retries 0 review approve "$REV" >"$T/o1zh" 2>&1 || true
check_contains "$T/o1zh" "县级密钥（371402）无权审核通过学校$S424" "... in Chinese under LANG=zh_CN.UTF-8 (Envelope.lang)"
rc=0
jh_as school --retries 0 review approve "$REV" >"$T/o2" 2>&1 || rc=$?
check_eq "$rc" "1" "a school key cannot approve"
check_contains "$T/o2" "a school key cannot review" "the school's refusal says why"
rc=0
jh_as mon --retries 0 review findings --county 371424 --period 2025 --item 2.8 --finding x >"$T/o3" 2>&1 || rc=$?
check_eq "$rc" "1" "a monitor key without the review right cannot record a finding"
check_contains "$T/o3" "no review right" "the monitor's refusal says why"
check_eq "$(sql "SELECT count(*) FROM revision_reviews")" "0" "nothing reviewed by the refused keys"

# --- an approval, once ----------------------------------------------------------
AID=6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab
jh_as c424 review approve "$REV" --action-id "$AID" --json >"$T/a1" || fail "approve"
check_eq "$(jq -r '.approved[0]' "$T/a1")" "$REV" "the county approves its school's revision"
check_eq "$(jq -r '.duplicate' "$T/a1")" "false" "first time: not a duplicate"
rc=0
jh_as c424 review approve "$REV" --action-id "$AID" --json >"$T/a2" || rc=$?
check_eq "$rc" "0" "a resend with the same action id is answered"
check_eq "$(jq -r '.duplicate' "$T/a2")" "true" "... as a duplicate"
check_eq "$(jq -r '.audit_id' "$T/a2")" "$(jq -r '.audit_id' "$T/a1")" "... with the original's audit row"
check_eq "$(sql "SELECT count(*) FROM revision_reviews WHERE revision = $REV")" "1" "applied once"
rc=0
jh_as c424 --retries 0 review approve "$REV" >"$T/a3" 2>&1 || rc=$?
check_eq "$rc" "1" "an approved revision cannot be approved again (a new action id)"
check_contains "$T/a3" "already reviewed" "the refusal says it was reviewed"
if grep -q "已审核" "$T/a3"; then fail "Chinese in the English refusal"; fi
LANG=zh_CN.UTF-8 jh_as c424 --retries 0 review approve "$REV" >"$T/a3zh" 2>&1 || true
check_contains "$T/a3zh" "修订${REV}已审核（已通过）" "... in Chinese under LANG=zh_CN.UTF-8, the state by its Chinese name"
if grep -q "already reviewed" "$T/a3zh"; then fail "English in the Chinese refusal"; fi
rc=0
jh_as c424 --retries 0 review pass --county 371424 --period 2025 >"$T/p1" 2>&1 || rc=$?
check_eq "$rc" "1" "a county key cannot pass its own package"

# --- seal, verified byte for byte ---------------------------------------------------
jh_as c424 review seal --county 371424 --period 2025 --json >"$T/seal" || fail "seal"
SEAL=$(jq -r '.seal' "$T/seal")
check_eq "$(jq -r --arg s "$S424" '.schools[] | select(.school_code == $s) | .revision' "$T/seal")" "$REV" \
    "the seal lists the approved revision"
jh review package --county 371424 --period 2025 --verify --json >"$T/pkg" || fail "package --verify"
check_eq "$(jq -r '.verify' "$T/pkg")" "identical" "the sealed package recomputes byte for byte"
check_eq "$(jq -r '.seal' "$T/pkg")" "$SEAL" "the package is the newest seal"
rc=0
jh_as rev --retries 0 review pass --county 371402 --period 2025 >"$T/p2" 2>&1 || rc=$?
check_eq "$rc" "1" "a package never sealed cannot be passed"
check_contains "$T/p2" "collecting" "the refusal names the state"
LANG=zh_CN.UTF-8 jh_as rev --retries 0 review pass --county 371402 --period 2025 >"$T/p2zh" 2>&1 || true
check_contains "$T/p2zh" "材料处于“收集中”状态，不能通过复核" "... in Chinese: the state and the action by their Chinese names"

# --- periods ------------------------------------------------------------------------
jh admin period open 2025 --closes 2020-01-31 >/dev/null || fail "period open"
Q0=$(sql "SELECT count(*) FROM quarantine")
grep -m1 "^$S424," "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/one.csv"
(head -n 1 "$SRC/deploy/demo-data/submissions-2025.csv"; cat "$T/one.csv") >"$T/late.csv"
rc=0
jh_as school --retries 0 submit --spool "$T/sp1" "$T/late.csv" >"$T/s1" 2>&1 || rc=$?
check_eq "$rc" "1" "a submission after the period closed is refused"
check_contains "$T/s1" "period 2025 closed on 2020-01-31" "the refusal says when"
check_contains "$T/s1" "period" "... on field period"
check_eq "$(sql "SELECT count(*) FROM quarantine")" "$((Q0 + 1))" "the refused submission is quarantined"
rc=0
jh_as c402 --retries 0 review reopen --school "$S424" --period 2025 --reason x >"$T/r0" 2>&1 || rc=$?
check_eq "$rc" "1" "another county cannot reopen the period for the school"
jh_as c424 review reopen --school "$S424" --period 2025 --reason "台风停电，延期3天" >/dev/null || fail "reopen"
jh_as school --retries 0 submit --spool "$T/sp2" "$T/late.csv" >"$T/s2" 2>&1 || fail "the reopened school's submission"
check_eq "$(sql "SELECT late FROM submissions WHERE school_code = '$S424' ORDER BY revision DESC LIMIT 1")" "t" \
    "it is stored late"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE late")" "1" "only it"

# --- the audit log --------------------------------------------------------------------
check_eq "$(sql "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log")" \
    "import_counties,import_schools,set_key,set_key,set_key,set_key,set_key,approve,seal,period_open,reopen" \
    "every action is in the audit log, in order (registry imports and key changes too)"
check_eq "$(sql "SELECT detail->>'may_review' FROM audit_log WHERE action = 'set_key' ORDER BY id OFFSET 3 LIMIT 1")" \
    "true" "the review right granted is in the audit log"
check_eq "$(sql "SELECT actor_role || ' ' || actor_subject FROM audit_log WHERE action = 'approve'")" \
    "county 371424" "the approval names its actor"
jh_as c424 audit --json >"$T/audit" || fail "audit as the county"
check_eq "$(jq -r 'map(.action) | join(",")' "$T/audit")" "approve,seal,reopen" "a county reads its county's audit rows"
for stmt in "UPDATE audit_log SET reason = 'x'" "DELETE FROM audit_log" "TRUNCATE audit_log CASCADE" \
    "DELETE FROM revision_reviews" "UPDATE seals SET status_json = '{}'"; do
    if psql -XAtq -v ON_ERROR_STOP=1 -c "$stmt" >"$T/pgout" 2>&1; then
        fail "the database allowed: $stmt"
    fi
    check_contains "$T/pgout" "append-only" "refused by the database: $stmt"
done

# --- restart: the review state is loaded --------------------------------------------
daemon_stop
daemon_start --publish_interval_ms 0
rc=0
jh_as c424 review approve "$REV" --action-id "$AID" --json >"$T/a4" || rc=$?
check_eq "$(jq -r '.duplicate' "$T/a4")" "true" "after a restart the action id is still known"
jh review package --county 371424 --period 2025 --verify --json >"$T/pkg2" || fail "package after restart"
check_eq "$(jq -r '.verify' "$T/pkg2")" "identical" "the seal still recomputes after a restart"
echo "PASS"
