#!/usr/bin/env bash
# SIGHUP: the key registry is read again from the database and
# admin_public_keys from the config file, on the admin connection without
# stopping the loop, keeping the sockets bound; log_file is reopened after a
# rotation. A key inserted into the keys table behind the daemon's back is
# accepted after SIGHUP, one revoked there is refused, and an admin key taken
# out of the config loses its rights.
source "$(dirname "$0")/lib.sh"
D="$(dirname "$0")/data"
pg_start
key_new admin2
key_new school1
LOG="$T/daemon-file.log"
write_conf() { # ADMIN_KEY_FILES...
    cat >"$T/jhd.conf" <<CONF
database ""
submit_endpoint $EP_SUBMIT
publish_endpoint $EP_PUBLISH
snapshot_endpoint $EP_SNAPSHOT
admin_endpoint $EP_ADMIN
migrations_dir $SRC/migrations
rules_file $SRC/deploy/rules/national-2017.conf
secret_key_file $KEYS/server.key_secret
admin_public_keys "$*"
log_file $LOG
CONF
}
write_conf "$KEYS/admin.key" "$KEYS/admin2.key"
"$BIN/junhengd" "$T/jhd.conf" >>"$T/daemon.0.log" 2>&1 &
DPID=$!
for _ in $(seq 1 100); do
    jh --timeout 200 --retries 0 admin ping >/dev/null 2>&1 && break
    kill -0 "$DPID" 2>/dev/null || fail "junhengd exited at start"
    sleep 0.1
done
check_contains "$LOG" "junhengd ready" "the daemon logs into log_file"
jh admin import-counties "$D/status-counties.csv" >/dev/null
jh admin import-schools "$D/status-schools.csv" >/dev/null
head -n 2 "$D/status-submissions.csv" >"$T/one.csv"

# hup WHAT: SIGHUP, then wait for the reload's log line (in the file now in place).
hup() {
    local before
    before=$(cat "$LOG"* 2>/dev/null | grep -c "keys reloaded" || true)
    kill -HUP "$DPID"
    for _ in $(seq 1 100); do
        [ "$(cat "$LOG"* 2>/dev/null | grep -c "keys reloaded" || true)" -gt "$before" ] && { echo "ok - SIGHUP: $1"; return 0; }
        sleep 0.1
    done
    fail "no 'keys reloaded' after SIGHUP ($1)"
}

# 1. A school key added by SQL is unknown until SIGHUP.
jh_as school1 --timeout 500 --retries 0 admin ping >"$T/ping1.out" 2>&1 || true
grep -q "school key" "$T/ping1.out" && fail "school1 known before it was added"
sql "INSERT INTO keys (public_key, role, subject) VALUES ('$(key_pub school1)', 'school', '3799010001')"
hup "school key added by SQL"
check_contains "$LOG" "keys reloaded: 1 change" "one change reloaded"
jh_as school1 --timeout 3000 submit "$T/one.csv" >"$T/sub1.out" 2>&1 || { cat "$T/sub1.out"; fail "submit with the new key"; }
check_contains "$T/sub1.out" "1 accepted or duplicate, 0 refused" "the key added by SQL is accepted after SIGHUP"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code = '3799010001'")" "1" "its submission stored"

# 2. Revoked by SQL: refused after SIGHUP (connections stay; the next message is refused).
sql "UPDATE keys SET revoked_at = now() WHERE public_key = '$(key_pub school1)'"
hup "school key revoked by SQL"
rc=0
jh_as school1 --timeout 1000 --retries 0 submit "$T/one.csv" >"$T/sub2.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || { cat "$T/sub2.out"; fail "a key revoked by SQL still submits after SIGHUP"; }
check_contains "$T/sub2.out" "0 accepted or duplicate" "the key revoked by SQL is refused after SIGHUP (at the handshake)"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code = '3799010001'")" "1" "nothing more stored"

# 3. admin2 taken out of the config file: no admin rights after SIGHUP.
jh_as admin2 --timeout 2000 --retries 0 admin ping >/dev/null || fail "admin2 is an admin at start"
write_conf "$KEYS/admin.key"
hup "admin2 removed from admin_public_keys"
check_contains "$LOG" "admin_public_keys changed (1 key)" "the config's admin keys re-read"
jh_as admin2 --timeout 1000 --retries 0 admin ping >/dev/null 2>&1 && fail "admin2 still an admin after SIGHUP"
echo "ok - admin2 refused after SIGHUP"
jh --timeout 2000 admin ping >/dev/null || fail "the remaining admin key still works"

# 4. Log rotation: the file moved away, SIGHUP, a new file is written.
mv "$LOG" "$LOG.1"
hup "log rotated"
[ -f "$LOG" ] || fail "no new log file after SIGHUP"
check_contains "$LOG" "SIGHUP: log file $LOG reopened" "the new log file is written"
check_contains "$LOG.1" "SIGHUP: key registry reload queued" "the old file has the lines before the rotation"
jh --timeout 2000 admin stats >/dev/null || fail "stats after the reloads"
check_eq "$(grep -c 'bound to' "$LOG.1")" "4" "the sockets were bound once, never again"

kill -TERM "$DPID"
rc=0
wait "$DPID" || rc=$?
DPID=""
check_eq "$rc" "0" "clean stop"
check_contains "$LOG" "stopped:" "the stop is logged into the new file"
