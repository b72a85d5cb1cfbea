#!/usr/bin/env bash
# allow_plaintext yes (development only): accepted on ipc endpoints, warned
# about at start, served to --plaintext clients; a CURVE client gets nothing
# from it, and a client without keys refuses to fall back to plaintext.
JH_PLAINTEXT=1
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start
check_contains "$T/daemon.0.log" "allow_plaintext is yes" "plaintext warned about at start"
check_contains "$T/daemon.0.log" "(PLAINTEXT)" "sockets bound without CURVE"
load_demo_registry
head -n 3 "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/two.csv"
jh submit --spool "$T/sp" "$T/two.csv" >"$T/out" || fail "plaintext submit: $(cat "$T/out")"
check_contains "$T/out" "2 accepted or duplicate" "plaintext client served"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE submitted_by IS NULL")" "2" "no key recorded over plaintext"
key_new server
key_new someone
rc=0
"$BIN/junheng" --admin-endpoint "$EP_ADMIN" --key "$KEYS/someone.key_secret" --server-key "$KEYS/server.key" \
    --timeout 300 --retries 0 admin ping >/dev/null 2>&1 || rc=$?
check_eq "$rc" "3" "a CURVE client gets no answer from a plaintext daemon"
rc=0
"$BIN/junheng" --admin-endpoint "$EP_ADMIN" admin ping >/dev/null 2>"$T/nokey" || rc=$?
check_eq "$rc" "2" "no key and no --plaintext: the client refuses to start"
check_contains "$T/nokey" "no client key" "and says why"
daemon_stop || fail "daemon did not exit 0"
