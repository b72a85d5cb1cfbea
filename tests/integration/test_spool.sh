#!/usr/bin/env bash
# The client's spool: a submission is on disk before it is sent and leaves
# only when answered. With the daemon down, submit lists what is pending and
# exits 3; submit --flush sends it once the daemon is back; a resend of
# something already stored (its removal lost) is a duplicate, stored once.
source "$(dirname "$0")/lib.sh"
pg_start
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
head -n 6 "$CSV" >"$T/five.csv"
SP="$T/spool"

# Daemon not running: nothing answers.
rc=0
jh --timeout 300 --retries 1 submit --spool "$SP" --receipts "$T/receipts" "$T/five.csv" >"$T/down.out" 2>"$T/down.err" || rc=$?
check_eq "$rc" "3" "daemon down: exit 3"
check_eq "$(grep -c 'still pending' "$T/down.out")" "5" "every row listed as still pending"
check_contains "$T/down.err" "junheng submit --flush" "the way to resend is named"
check_eq "$(ls "$SP" | wc -l)" "5" "five submissions in the spool"
check_eq "$(head -c 15 "$(ls -d "$SP"/*.jhs | head -n 1)")" "junheng-spool 1" "spool file format"
[ ! -s "$T/receipts" ] || fail "no receipt without an answer"
echo "ok - no receipt without an answer"
ids=$(ls "$SP" | sed 's/\.jhs$//' | sort)

daemon_start
load_demo_registry
# A plain submit of something else says the earlier ones are still pending.
head -n 1 "$CSV" >"$T/one.csv"
sed -n 10p "$CSV" >>"$T/one.csv"
jh submit --spool "$SP" "$T/one.csv" >/dev/null 2>"$T/note.err" || fail "submit one row"
check_contains "$T/note.err" "5 earlier submissions are also pending" "earlier pending submissions mentioned"

mkdir -p "$T/kept"
cp "$(ls -d "$SP"/*.jhs | head -n 1)" "$T/kept/"
jh submit --flush --spool "$SP" --receipts "$T/receipts" >"$T/flush.out" || fail "flush: $(cat "$T/flush.out")"
check_contains "$T/flush.out" "5 accepted or duplicate, 0 refused, 0 not answered" "flush sends the five"
check_contains "$T/flush.out" "five.csv:2" "flushed rows keep their origin FILE:LINE"
check_eq "$(ls "$SP" | wc -l)" "0" "spool empty after the flush"
check_eq "$(sql "SELECT count(*) FROM submissions")" "6" "five plus one stored"
stored=$(sql "SELECT submission_id FROM submissions" | sort)
for id in $ids; do grep -qx "$id" <<<"$stored" || fail "spooled $id not stored under its own id"; done
echo "ok - stored under the ids they were spooled with"
check_eq "$(grep -c ' accepted ' "$T/receipts")" "5" "one receipt per acknowledged submission"

# The removal of an answered submission was lost (crash): resent, duplicate.
cp "$T"/kept/*.jhs "$SP/"
jh submit --flush --spool "$SP" >"$T/dup.out" || fail "flush of a duplicate"
check_contains "$T/dup.out" "duplicate revision" "an already stored submission is a duplicate"
check_eq "$(sql "SELECT count(*) FROM submissions")" "6" "and is stored once"
check_eq "$(ls "$SP" | wc -l)" "0" "spool empty again"
jh submit --flush --spool "$SP" >"$T/none.out" || fail "empty flush"
check_contains "$T/none.out" "0 accepted or duplicate, 0 refused, 0 not answered" "nothing pending, nothing sent"

# An unreadable spool folder stops the submit before anything is sent.
rc=0
jh submit --spool /proc/junheng-no-such "$T/one.csv" >/dev/null 2>&1 || rc=$?
check_eq "$rc" "2" "unusable spool: exit 2, nothing sent"
check_eq "$(sql "SELECT count(*) FROM submissions")" "6" "nothing sent without a spool"
daemon_stop || fail "daemon did not exit 0"
