#!/usr/bin/env bash
# Backups you have restored: PostgreSQL archiving its WAL (deploy/backup.sh
# archive-setup), the daemon under a bounded load, a base backup taken in
# the middle of it (backup.sh base); when the load stops, every county's
# status is recorded with the time; more submissions follow. The backup and
# the archive are restored to that time into a fresh cluster
# (deploy/restore.sh --target-time), a second daemon started on it, and each
# county's status it publishes is identical to the recorded one (but for
# seq, epoch and computed_at, which belong to a run); the submissions after
# the time are not there. This is the check docs/operations.md asks of every
# backup.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
trap 'rc=$?; set +e; "$SRC/deploy/pg.sh" destroy "$T/pg2" >/dev/null 2>&1; (exit $rc); cleanup' EXIT
LOAD="$BIN/tests/junheng-load"
SIZE=(--schools 600 --counties 6)
YEAR=$(date +%Y)
ARCH="$T/archive"
BACKUPS="$T/backups"

pg_start
out=$("$SRC/deploy/backup.sh" archive-setup "$ARCH")
check_eq "$out" "restart-needed" "archive_mode set, restart asked for"
pg_stop
pg_restart
check_eq "$(sql 'SHOW archive_mode')" "on" "archiving on after the restart"
daemon_start --publish_interval_ms 0

registry_synth "${SIZE[@]}"
key_new load1
key_set admin load1 load1
KEYARGS=(--key "$KEYS/load1.key_secret" --server-key "$KEYS/server.key")
load() { # FIRST COUNT RATE LABEL
    "$LOAD" run --submit "$EP_SUBMIT" "${KEYARGS[@]}" "${SIZE[@]}" --period "$YEAR" --first "$1" --count "$2" \
        --rate "$3" --clients 2 --window 16 --timeout-ms 30000 --label "$4" >"$T/$4.out" 2>&1
}

# Phase 1: 400 submissions over about 3 s, a base backup taken meanwhile.
load 0 400 150 phase1 &
LPID=$!
sleep 0.7
pre=$(sql "SELECT count(*) FROM submissions")
kill -0 "$LPID" 2>/dev/null || fail "phase 1 ended before the backup started"
backup=$("$SRC/deploy/backup.sh" base "$ARCH" "$BACKUPS" midload 2>"$T/backup.log") ||
    { cat "$T/backup.log"; fail "backup.sh base"; }
post=$(sql "SELECT count(*) FROM submissions")
wait "$LPID" || { cat "$T/phase1.out"; fail "phase 1 load"; }
check_contains "$T/phase1.out" "RESULT label=phase1 n=400 accepted=400 refused=0" "phase 1: 400 accepted"
[ "$pre" -lt 400 ] || fail "the backup did not start mid-load ($pre of 400 stored)"
echo "ok - base backup $(basename "$backup") taken mid-load: $pre of 400 stored at its start, $post at its end"
[ -f "$backup/base.tar.gz" ] && [ -f "$backup/backup.info" ] || fail "backup files"
"$SRC/deploy/backup.sh" list "$BACKUPS" | grep -q midload || fail "backup.sh list"

# The point: every county's status now, and the time.
strip() { jq -S 'walk(if type == "object" then del(.seq, .epoch, .computed_at) else . end)'; }
COUNTIES=$(tail -n +2 "$T/reg/counties.csv" | cut -d, -f1)
mkdir -p "$T/before" "$T/after"
for c in $COUNTIES; do
    jh status --county "$c" --json | strip >"$T/before/$c.json"
done
TARGET=$(date -u '+%Y-%m-%d %H:%M:%S.%3N+00')
check_eq "$(sql "SELECT count(*) FROM submissions")" "400" "400 stored at the point"
sleep 0.5

# Phase 2: 200 more, after the point; then the WAL holding them is archived.
load 400 200 0 phase2 || { cat "$T/phase2.out"; fail "phase 2 load"; }
check_eq "$(sql "SELECT count(*) FROM submissions")" "600" "600 stored after phase 2"
seg=$(sql "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 100); do
    [ -f "$ARCH/$seg" ] && break
    sleep 0.1
done
[ -f "$ARCH/$seg" ] || fail "WAL segment $seg not archived"
"$SRC/deploy/backup.sh" check >"$T/check.out" || { cat "$T/check.out"; fail "backup.sh check"; }
echo "ok - archiving works: $(cat "$T/check.out")"
daemon_stop || fail "first daemon exit status"

# Restore to the point into a new cluster; a second daemon on it.
"$SRC/deploy/restore.sh" "$backup" "$T/pg2" --target-time "$TARGET" >"$T/restore.env" 2>"$T/restore.log" ||
    { cat "$T/restore.log"; fail "restore.sh"; }
eval "$(cat "$T/restore.env")"
export PGHOST PGPORT PGUSER PGDATABASE
check_contains "$T/restore.log" "promoted" "restored to $TARGET and promoted"
check_eq "$(sql "SELECT pg_is_in_recovery()")" "f" "the restored cluster takes writes"
check_eq "$(sql "SHOW archive_mode")" "off" "the restored cluster does not write into the original's archive"
check_eq "$(sql "SELECT count(*) FROM submissions")" "400" "the restored database holds the 400 of the point, not the 200 after"
daemon_start --publish_interval_ms 0
for c in $COUNTIES; do
    jh status --county "$c" --json | strip >"$T/after/$c.json"
    cmp -s "$T/before/$c.json" "$T/after/$c.json" || {
        diff "$T/before/$c.json" "$T/after/$c.json" | head -n 20
        fail "county $c: the restored daemon's status differs from the recorded one"
    }
done
echo "ok - every county's status ($(echo $COUNTIES | wc -w)) identical on the restored database"
submitted=$(jq -r '.coverage.schools_submitted' "$T/after/$(echo $COUNTIES | cut -d' ' -f1).json")
[ "$submitted" -gt 0 ] || fail "the statuses compared carry submissions"
daemon_stop || fail "second daemon exit status"
