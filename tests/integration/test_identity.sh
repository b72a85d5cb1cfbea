#!/usr/bin/env bash
# Identity and scope (CurveZMQ + ZAP + the key registry): a school key submits
# for its own school only; an unknown key, a revoked key, a school key for
# another school, a monitor key submitting, a monitor asking or subscribing
# outside its scope, a non-admin key on the admin socket, a county key for
# another county's school or status -- each is refused
# and stores nothing. A revocation also refuses the next message of a
# connection already open. Keys come from keygen (mode 0600), set-key and the
# registry CSV's public_key column.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
HDR=$(head -n 1 "$CSV")
A=$(sed -n 2p "$CSV" | cut -d, -f1)     # 371402
B=$(sed -n 3p "$CSV" | cut -d, -f1)     # 371402
C=$(grep -m1 '^2137250' "$CSV" | cut -d, -f1)  # 371425
one_school() { { echo "$HDR"; grep -m1 "^$1," "$CSV"; } >"$T/$1.csv"; }
one_school "$A"
one_school "$B"
one_school "$C"
revisions() { sql "SELECT count(*) FROM submissions"; }
quarantined() { sql "SELECT count(*) FROM quarantine"; }

# --- keygen -------------------------------------------------------------------
key_new schoolA
check_eq "$(stat -c %a "$KEYS/schoolA.key_secret")" "600" "secret key file is mode 0600"
check_eq "$(stat -c %a "$KEYS/schoolA.key")" "644" "public key file is mode 0644"
check_contains "$KEYS/schoolA.key_secret" "secret-key = \"" "secret file holds the secret key"
if grep -q "secret-key" "$KEYS/schoolA.key"; then fail "public key file holds a secret"; fi
rc=0
"$BIN/junheng" keygen "$KEYS/schoolA" 2>"$T/kg" || rc=$?
check_eq "$rc" "2" "keygen never overwrites"
check_contains "$T/kg" "already exists" "keygen says why"

key_new schoolB
key_new mon
key_new stranger
key_set school "$A" schoolA
key_set school "$B" schoolB
key_set monitor 371402 mon

# --- a school key submits for its own school -----------------------------------
jh_as schoolA submit --spool "$T/spA" "$T/$A.csv" >"$T/own" || fail "own school refused: $(cat "$T/own")"
check_contains "$T/own" "$A accepted revision" "school key submits for its own school"
check_eq "$(sql "SELECT submitted_by FROM submissions WHERE school_code = '$A'")" "$(key_pub schoolA)" \
    "the revision records the key that sent it"
n0=$(revisions)
q0=$(quarantined)

# --- an unknown key gets no reply at all and stores nothing --------------------
rc=0
jh_as stranger --timeout 400 --retries 1 submit --spool "$T/spX" "$T/$A.csv" >"$T/unknown" 2>&1 || rc=$?
check_eq "$rc" "3" "unknown key: no answer (exit 3)"
check_contains "$T/unknown" "not answered" "unknown key: submission left pending"
check_eq "$(ls "$T/spX" | wc -l)" "1" "unknown key: the submission stays in its spool"
read -r st _ < <(probe_as stranger submit "$EP_SUBMIT" "$CSV" 0 "$(cat /proc/sys/kernel/random/uuid)")
check_eq "$st" "no-reply" "unknown key on the wire: no reply"
rc=0
jh_as stranger --timeout 400 --retries 0 admin ping >/dev/null 2>&1 || rc=$?
check_eq "$rc" "3" "unknown key on the admin socket: no answer"
rc=0
jh --plaintext --timeout 400 --retries 0 admin ping >/dev/null 2>&1 || rc=$?
check_eq "$rc" "3" "plaintext client to a CURVE daemon: no answer"
check_eq "$(revisions) $(quarantined)" "$n0 $q0" "unknown key stored nothing (not even quarantine)"
check_contains "$T/daemon.0.log" "is not registered" "refused handshake logged"

# --- a school key submitting for another school ---------------------------------
rc=0
jh_as schoolA submit --spool "$T/spA" "$T/$B.csv" >"$T/other" || rc=$?
check_eq "$rc" "1" "school key for another school: refused"
check_contains "$T/other" "this key belongs to school $A; it cannot submit for school $B" "refusal names both schools"
check_eq "$(revisions)" "$n0" "nothing stored for the other school"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE reason = 'wrong school' AND school_code = '$B'")" "1" \
    "the attempt is quarantined for audit"
check_eq "$(ls "$T/spA" | wc -l)" "0" "a refusal is final: the spool is empty"
jh admin rejected --since "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)" >"$T/rejected"
check_contains "$T/rejected" "$B wrong school" "admin rejected lists the attempt with its reason"
check_contains "$T/rejected" "this key belongs to school $A" "and the refusal text"
jh admin rejected --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" >"$T/rejected_none"
check_contains "$T/rejected_none" "no rejected messages" "--since filters by time"

# --- a monitor key submitting ---------------------------------------------------
rc=0
jh_as mon submit --spool "$T/spM" "$T/$A.csv" >"$T/monsub" || rc=$?
check_eq "$rc" "1" "monitor key submitting: refused"
check_contains "$T/monsub" "this is a monitor key (371402)" "refusal names the monitor key"
check_eq "$(revisions)" "$n0" "nothing stored for a monitor"

# --- a monitor reads inside its scope only ---------------------------------------
jh_as mon status --county 371402 --json >"$T/in" || fail "monitor inside its scope refused"
check_contains "$T/in" "371402" "monitor reads its county"
for q in "--county 371425" "--city 371400" "--city 37"; do
    rc=0
    # shellcheck disable=SC2086
    jh_as mon status $q >"$T/out" 2>&1 || rc=$?
    check_eq "$rc" "1" "monitor asking outside its scope ($q): refused"
    check_contains "$T/out" "scope is 371402" "refusal names the scope ($q)"
done
rc=0
jh_as mon admin stats >"$T/monadm" 2>&1 || rc=$?
check_eq "$rc" "1" "monitor key on the admin socket: refused"
check_contains "$T/monadm" "admin requests need an admin key" "admin refusal says why"
rc=0
jh_as schoolA status --county 371402 >"$T/schstat" 2>&1 || rc=$?
check_eq "$rc" "1" "school key reading statuses: refused"
rc=0
jh_as schoolA admin set-key admin mallory "$KEYS/stranger.key" >/dev/null 2>&1 || rc=$?
check_eq "$rc" "1" "school key cannot make itself an admin"

# --- subscriptions stay inside the monitor's scope -------------------------------
probe_as mon subscribe "$EP_PUBLISH" "" 60000 >"$T/sub_mon" &
S1=$!
probe subscribe "$EP_PUBLISH" "" 60000 >"$T/sub_admin" &
S2=$!
probe_as schoolA subscribe "$EP_PUBLISH" "" 60000 >"$T/sub_school" &
S3=$!
# Subscribed once the heartbeats (about one a second per city) arrive.
for _ in $(seq 1 100); do [ -s "$T/sub_mon" ] && [ -s "$T/sub_admin" ] && break; sleep 0.1; done
jh submit --quiet --spool "$T/spAdmin" "$CSV" >/dev/null || fail "admin submits the demo file"
for _ in $(seq 1 100); do grep -qx 371402 "$T/sub_mon" && [ "$(sort -u "$T/sub_admin" | wc -l)" -ge 12 ] && break; sleep 0.1; done
sleep 0.5
kill -TERM $S1 $S2 $S3
wait $S1 $S2 $S3 || true
sort -u "$T/sub_mon" >"$T/sub_mon_topics"
grep -qx 371402 "$T/sub_mon_topics" || fail "monitor got nothing of its own county"
others=$({ grep -vx -e 371402 -e 371400 "$T/sub_mon_topics" || true; } | wc -l)
check_eq "$others" "0" "monitor subscribed to everything receives its county (and its city heartbeat) only"
[ "$(sort -u "$T/sub_admin" | wc -l)" -ge 12 ] || fail "admin subscription should see every county"
echo "ok - admin subscription sees $(sort -u "$T/sub_admin" | grep -vc '00$') counties"
check_eq "$(grep -c '^3714[0-9][1-9]$' "$T/sub_school" || true)" "0" "school key receives no county statuses"
# --- a county key: its county's schools and status, nothing else ------------------------
key_new countyK
rc=0
jh admin set-key county 3714 "$KEYS/countyK.key" >"$T/cset" 2>&1 || rc=$?
check_eq "$rc" "1" "a county key is bound to a 6-digit county code"
key_set county 371402 countyK
jh_as countyK submit --spool "$T/spK" "$T/$B.csv" >"$T/kown" || fail "county key, own county's school: $(cat "$T/kown")"
check_contains "$T/kown" "$B accepted" "county key submits for a school registered in its county"
rc=0
jh_as countyK submit --spool "$T/spK" "$T/$C.csv" >"$T/kother" 2>&1 || rc=$?
check_eq "$rc" "1" "county key for another county's school: refused"
check_contains "$T/kother" "this key belongs to county 371402; school $C is not registered in it" "refusal names both"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE reason = 'other county' AND school_code = '$C'")" "1" \
    "the attempt is quarantined for audit"
jh_as countyK status --county 371402 --json >"$T/kin" || fail "county key reading its county refused"
check_contains "$T/kin" "371402" "county key reads its county"
rc=0
jh_as countyK status --city 371400 >"$T/kout" 2>&1 || rc=$?
check_eq "$rc" "1" "county key reading its city: refused"
check_contains "$T/kout" "scope is 371402" "refusal names the county"
rc=0
jh_as countyK admin stats >"$T/kadm" 2>&1 || rc=$?
check_eq "$rc" "1" "county key on the admin socket: refused"
check_contains "$T/kadm" "admin requests need an admin key" "and says why"
jh admin keys >"$T/kkeys"
check_contains "$T/kkeys" "county" "admin keys lists the county key"
n1=$(revisions)

# --- revocation: new connections and open ones --------------------------------------
rm -f "$T/go"
probe_as schoolB twice "$EP_SUBMIT" "$T/$B.csv" 0 "$T/go" >"$T/twice" &
P=$!
for _ in $(seq 1 100); do [ -s "$T/twice" ] && break; sleep 0.05; done
check_contains "$T/twice" "accepted" "school B accepted before revocation"
jh admin revoke-key "$KEYS/schoolB.key" >"$T/revoke" || fail "revoke-key"
touch "$T/go"
wait $P
check_eq "$(sed -n 2p "$T/twice" | cut -d' ' -f1)" "refused" "revoked key: next message on the open connection refused"
check_contains "$T/twice" "was revoked" "refusal says the key was revoked"
rc=0
jh_as schoolB --timeout 400 --retries 1 submit --spool "$T/spB" "$T/$B.csv" >/dev/null 2>&1 || rc=$?
check_eq "$rc" "3" "revoked key: a new connection gets no answer"
check_eq "$(revisions)" "$((n1 + 1))" "the revoked key stored nothing after revocation"
rc=0
jh admin set-key school "$B" "$KEYS/schoolB.key" >"$T/reinstate" 2>&1 || rc=$?
check_eq "$rc" "1" "a revoked key cannot be set again"
check_contains "$T/reinstate" "stays revoked" "reinstating refused with the reason"
rc=0
jh admin revoke-key "$KEYS/admin.key" >"$T/revadm" 2>&1 || rc=$?
check_eq "$rc" "1" "a config admin key cannot be revoked online"
rc=0
jh admin set-key admin x "$KEYS/server.key" >/dev/null 2>&1 || rc=$?
check_eq "$rc" "1" "the daemon's own key cannot be bound"
check_eq "$(sql "SELECT count(*) FROM keys WHERE revoked_at IS NOT NULL")" "1" "revocation stored"
if sql "DELETE FROM keys" 2>/dev/null; then fail "a key row could be deleted"; fi
echo "ok - keys are never deleted"

# --- the registry CSV binds school keys (public_key column) ------------------------
key_new schoolC
{
    echo "$(head -n 1 "$SRC/deploy/demo-data/schools.csv"),public_key"
    tail -n +2 "$SRC/deploy/demo-data/schools.csv" | while IFS= read -r line; do
        if [ "${line%%,*}" = "$C" ]; then echo "$line,$(key_pub schoolC)"; else echo "$line,"; fi
    done
} >"$T/schools_keys.csv"
jh admin import-schools "$T/schools_keys.csv" >"$T/imp" || fail "import with public_key"
check_contains "$T/imp" "keys" "import reports keys bound"
jh_as schoolC submit --spool "$T/spC" "$T/$C.csv" >"$T/c" || fail "school C key from the registry CSV: $(cat "$T/c")"
check_contains "$T/c" "$C accepted" "a key from the registry CSV submits for its school"
{ echo "$(head -n 1 "$SRC/deploy/demo-data/schools.csv"),public_key"; echo "$(grep "^$A," "$SRC/deploy/demo-data/schools.csv"),$(key_pub mon)"; } >"$T/bad_keys.csv"
rc=0
jh admin import-schools "$T/bad_keys.csv" >"$T/badimp" 2>&1 || rc=$?
check_eq "$rc" "1" "a registry file cannot turn a monitor key into a school key"
check_contains "$T/badimp" "is a monitor key" "and says why"
# A registry file and its keys are one transaction: a key the database holds
# revoked (revoked behind the daemon's back, so its memory cannot refuse it)
# refuses the whole file; nothing of it is written.
key_new schoolR
sql "INSERT INTO keys (public_key, role, subject, revoked_at) VALUES ('$(key_pub schoolR)', 'school', '$A', now())"
active_before=$(sql "SELECT count(*) FROM schools WHERE active")
{
    echo "$(head -n 1 "$SRC/deploy/demo-data/schools.csv"),public_key"
    echo "$(grep "^$A," "$SRC/deploy/demo-data/schools.csv" | sed 's/^\([^,]*\),\([^,]*\),/\1,\2（改）,/'),$(key_pub schoolR)"
} >"$T/revoked_keys.csv"
grep -q '（改）' "$T/revoked_keys.csv" || fail "the file with a renamed school was not made"
rc=0
jh admin import-schools "$T/revoked_keys.csv" >"$T/revimp" 2>&1 || rc=$?
check_eq "$rc" "1" "a registry file binding a key revoked in the database is refused"
check_contains "$T/revimp" "revoked" "and says why"
check_eq "$(sql "SELECT count(*) FROM schools WHERE name LIKE '%（改）'")" "0" "no school of the refused file is written"
check_eq "$(sql "SELECT count(*) FROM schools WHERE active")" "$active_before" "no school is marked inactive by it"

jh admin keys >"$T/keys.out"
check_contains "$T/keys.out" "revoked" "admin keys lists the revoked key"
check_contains "$T/keys.out" "active (config)" "admin keys lists the config admin"
jh admin stats --json >"$T/stats"
[ "$(jq .connections_refused "$T/stats")" -ge 3 ] || fail "connections_refused counted"
echo "ok - refused connections counted"
daemon_stop || fail "daemon did not exit 0"
