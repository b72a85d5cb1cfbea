#!/usr/bin/env bash
# Review actions across crashes (docs/review.md): a county approves its
# schools' revisions one by one, each with its own action id, while the
# daemon is killed with SIGKILL once mid-way and restarted. Afterwards every
# approval the county saw answered is stored, each exactly once with one
# audit row; resending every approval with its action id applies nothing
# twice (answered DUPLICATE, exit 0); the daemon restarted after the crash
# knows every approval (the pending list and the official view count them).
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
COUNTY=371424
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
key_new county
key_set county $COUNTY county
sql "SELECT max(s.revision) FROM submissions s JOIN schools USING (school_code) WHERE county_code = '$COUNTY'
     GROUP BY school_code ORDER BY 1" >"$T/revs"
N=$(wc -l <"$T/revs")
[ "$N" -ge 40 ] || fail "only $N revisions in county $COUNTY"
# one action id per revision, fixed for the whole test
awk '{printf "%s %08x-0000-4000-8000-%012x\n", $1, NR, $1}' "$T/revs" >"$T/actions"

# approve REV AID: one approval; records "REV exit" in $T/answers.
approve() {
    local rc=0
    jh_as county --timeout 800 --retries 1 review approve "$1" --action-id "$2" --json >>"$T/out" 2>&1 || rc=$?
    echo "$1 $rc" >>"$T/answers"
}
( while read -r rev aid; do approve "$rev" "$aid"; done <"$T/actions" ) &
LOOP=$!
for _ in $(seq 1 600); do
    [ "$(sql "SELECT count(*) FROM revision_reviews")" -ge $((N / 3)) ] && break
    sleep 0.05
done
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null || true
at=$(sql "SELECT count(*) FROM revision_reviews")
[ "$at" -lt "$N" ] || fail "the kill came after every approval"
echo "ok - kill -9 with $at of $N approvals stored"
sleep 0.5
daemon_start --publish_interval_ms 0
wait $LOOP

# every approval answered 0 is stored
awk '$2 == 0 {print $1}' "$T/answers" | sort >"$T/acked"
sql "SELECT revision FROM revision_reviews" | sort >"$T/stored"
check_eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" "0" "every approval answered is stored ($(wc -l <"$T/acked") answered)"
# resend all with the same action ids: nothing applied twice
: >"$T/answers"
while read -r rev aid; do approve "$rev" "$aid"; done <"$T/actions"
check_eq "$(awk '$2 != 0' "$T/answers" | wc -l)" "0" "every resend is answered (exit 0)"
check_eq "$(sql "SELECT count(*) FROM revision_reviews")" "$N" "all $N revisions are approved"
check_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'approve'")" "$N" "one audit row per approval"
check_eq "$(sql "SELECT count(DISTINCT action_id) FROM audit_log WHERE action = 'approve'")" "$N" "each action id once"
jh review pending --county $COUNTY --period 2025 --json >"$T/pending" || fail "pending"
check_eq "$(jq -r '.approved' "$T/pending")" "$N" "the pending list counts every approval"
check_eq "$(jq -r '.awaiting_approval | length' "$T/pending")" "0" "none awaits approval"
# the restarted daemon loaded them: approving again is refused (already reviewed)
rc=0
jh_as county --retries 0 review approve "$(head -n 1 "$T/revs")" >"$T/again" 2>&1 || rc=$?
check_eq "$rc" "1" "a new approval of an approved revision is refused after the restart"
check_contains "$T/again" "already reviewed" "... as already reviewed"
daemon_stop || fail "daemon did not exit 0"
echo "PASS"
