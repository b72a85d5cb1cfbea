#!/usr/bin/env bash
# restore.sh -- brings back a junheng database from a base backup of
# deploy/backup.sh plus its archived WAL, as it was at a point in time (or
# as late as the archive goes), into a NEW cluster of deploy/pg.sh: the
# original is never touched.
#
#   deploy/restore.sh BACKUP NEW_DIR [--target-time TIME | --target-lsn LSN | --latest]
#                     [--archive ARCHIVE] [--port PORT]
#
#   BACKUP         a folder written by `backup.sh base` (base.tar.gz, pg_wal.tar.gz, backup.info)
#   NEW_DIR        the new cluster's folder (deploy/pg.sh's layout); must hold no cluster yet
#   --target-time  replay up to this moment, inclusive, e.g. '2026-12-05 14:05:00+08'
#                  (give the time zone); commits after it are not restored
#   --target-lsn   replay up to this WAL position (pg_current_wal_lsn() taken earlier)
#   --latest       replay every archived segment (the default)
#   --archive      the WAL archive (default: the one backup.info names)
#   --port         the new cluster's port (default: a free one)
#
# Prints the new cluster's `export PGHOST=... PGPORT=...` line on stdout
# (as `deploy/pg.sh start` does) once it has replayed to the target and
# been promoted: it then takes writes. Point a junhengd at it to check it
# (the daemon rebuilds every county's status from the restored revisions).
#
# How: the backup is unpacked into NEW_DIR/data (or, when the server's user
# cannot reach NEW_DIR or the backup has no config files, into an empty
# cluster `pg.sh start`/`stop` made there, which decides the layout);
# recovery.signal with restore_command (copy from ARCHIVE) and the target
# are set in postgresql.auto.conf, with archive_mode off so the restored
# cluster never writes into the original's archive (run `backup.sh
# archive-setup` with a new ARCHIVE if it becomes the primary); `pg.sh
# start` again replays; the script waits for the promotion and removes the
# recovery settings. The time target needs archived WAL from after it (a
# commit past the target ends the replay): `backup.sh check` shows how far
# the archive goes. A target before the backup's end fails: pick an older
# backup.
set -euo pipefail

PROG=restore.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PG_SH=${JUNHENG_PG_SH:-$HERE/pg.sh}
TIMEOUT=${JUNHENG_PG_TIMEOUT:-120}
die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }
usage() { sed -n '7,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[[ $# -ge 2 ]] || usage
BACKUP=$1
NEW_DIR=$2
shift 2
TARGET_KIND=latest TARGET="" ARCHIVE="" PORT=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --target-time) TARGET_KIND=time TARGET=${2:?}; shift 2 ;;
    --target-lsn) TARGET_KIND=lsn TARGET=${2:?}; shift 2 ;;
    --latest) TARGET_KIND=latest; shift ;;
    --archive) ARCHIVE=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    *) usage ;;
    esac
done

[[ -f $BACKUP/base.tar.gz && -f $BACKUP/backup.info ]] || die "$BACKUP is not a backup of backup.sh base"
BACKUP=$(cd -- "$BACKUP" && pwd -P)
[[ -n $ARCHIVE ]] || ARCHIVE=$(sed -n 's/^archive //p' "$BACKUP/backup.info")
[[ -d $ARCHIVE ]] || die "no WAL archive at '$ARCHIVE' (give --archive)"
ARCHIVE=$(cd -- "$ARCHIVE" && pwd -P)
[[ $ARCHIVE =~ ^[A-Za-z0-9_./+-]+$ ]] || die "ARCHIVE path '$ARCHIVE' may hold only letters, digits and _ . / + -"
[[ $TARGET != *"'"* ]] || die "the target may not hold a quote"
if [[ -f $NEW_DIR/pg.env ]] && "$PG_SH" status "$NEW_DIR" >/dev/null 2>&1; then
    die "$NEW_DIR already holds a running cluster"
fi
[[ ! -e $NEW_DIR/data/PG_VERSION && ! -e $NEW_DIR/cluster ]] || die "$NEW_DIR already holds a cluster"

# 1. Where the cluster goes. The quick way, when the backup carries its own
# config files (a pg.sh cluster's does) and the server's user can reach
# NEW_DIR: straight into NEW_DIR/data, where `pg.sh start` finds it. Else
# pg.sh makes an empty cluster (its layout, user, config files) and the
# backup replaces it.
if [[ $(id -u) -eq 0 ]]; then RUN_USER=${JUNHENG_PG_USER:-junheng}; else RUN_USER=$(id -un); fi
as_user() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u "$RUN_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}
QUICK=0
if id -u "$RUN_USER" >/dev/null 2>&1 && tar -tzf "$BACKUP/base.tar.gz" postgresql.conf pg_hba.conf >/dev/null 2>&1; then
    mkdir -p -- "$NEW_DIR"
    NEW_DIR=$(cd -- "$NEW_DIR" && pwd -P)
    if ((${#NEW_DIR} <= 90)) && as_user test -x "$(dirname -- "$NEW_DIR")"; then
        QUICK=1
    fi
fi
if [[ $QUICK -eq 1 ]]; then
    [[ $(id -u) -ne 0 ]] || chown "$RUN_USER:" "$NEW_DIR"
    HOME_DIR=$NEW_DIR
    DATA=$HOME_DIR/data
    as_user mkdir -m 700 "$DATA"
else
    "$PG_SH" start "$NEW_DIR" ${PORT:+"$PORT"} >/dev/null
    "$PG_SH" stop "$NEW_DIR" >/dev/null 2>&1
    state() { sed -n "s/^# $1=//p" "$NEW_DIR/pg.env" | tail -n 1; }
    HOME_DIR=$(state home)
    RUN_USER=$(state user)
    PORT=$(state port)
    DATA=$HOME_DIR/data
    as_user test -f "$DATA/PG_VERSION" || die "pg.sh made no cluster at $DATA"
    # its config files, for a backup that has none (a cluster whose config lives in /etc)
    SAVE=$HOME_DIR/.restore-conf
    as_user mkdir -p "$SAVE"
    as_user cp "$DATA/postgresql.conf" "$DATA/pg_hba.conf" "$DATA/pg_ident.conf" "$SAVE/"
    as_user find "$DATA" -mindepth 1 -delete
fi

# 2. The backup (read by this user, written by the cluster's: pg_basebackup's files are 0600).
say "extracting $BACKUP into $DATA"
as_user tar -xzf - -C "$DATA" <"$BACKUP/base.tar.gz"
if [[ -f $BACKUP/pg_wal.tar.gz ]]; then
    as_user tar -xzf - -C "$DATA/pg_wal" <"$BACKUP/pg_wal.tar.gz"
fi
if [[ $QUICK -eq 0 ]]; then
    for f in postgresql.conf pg_hba.conf pg_ident.conf; do
        as_user test -f "$DATA/$f" || as_user cp "$SAVE/$f" "$DATA/$f"
    done
    as_user rm -rf "$SAVE"
fi
as_user grep -q "junheng.conf" "$DATA/postgresql.conf" ||
    printf "\ninclude_if_exists = 'junheng.conf'\n" | as_user tee -a "$DATA/postgresql.conf" >/dev/null
as_user chmod 700 "$DATA"

# 3. Recovery settings (postgresql.auto.conf is read last: these win).
{
    echo "# deploy/restore.sh: replay from $ARCHIVE ($(date -u +%FT%TZ)); removed after the promotion"
    echo "restore_command = 'cp $ARCHIVE/%f %p'"
    echo "recovery_target_action = 'promote'"
    echo "recovery_target_timeline = 'latest'"
    echo "archive_mode = 'off'"
    case $TARGET_KIND in
    time) echo "recovery_target_time = '$TARGET'" ;;
    lsn) echo "recovery_target_lsn = '$TARGET'" ;;
    esac
} | as_user tee -a "$DATA/postgresql.auto.conf" >/dev/null
as_user touch "$DATA/recovery.signal"
say "replaying to ${TARGET:-the end of the archive}"

# 4. Start: pg.sh waits until it accepts connections (read-only while it replays).
"$PG_SH" start "$NEW_DIR" ${PORT:+"$PORT"} >/dev/null || die "the restored cluster did not start (see $HOME_DIR/postgres.log)"
eval "$("$PG_SH" env "$NEW_DIR")"
export PGHOST PGPORT PGUSER PGDATABASE
PSQL=$(command -v psql) || die "psql not found (postgresql-client: deploy/install-deps.sh)"
deadline=$((SECONDS + TIMEOUT))
while [[ $("$PSQL" -XAtq -d postgres -c "SELECT pg_is_in_recovery()" 2>/dev/null) != f ]]; do
    ((SECONDS < deadline)) || die "still replaying after ${TIMEOUT}s (see $HOME_DIR/postgres.log)"
    "$PG_SH" status "$NEW_DIR" >/dev/null 2>&1 || die "the restored cluster stopped while replaying (target not in the archive?); see $HOME_DIR/postgres.log"
    sleep 0.2
done

# 5. Promoted: the recovery settings go (a later standby.signal must not pick them up).
for s in restore_command recovery_target_action recovery_target_timeline recovery_target_time recovery_target_lsn; do
    "$PSQL" -XAtq -d postgres -c "ALTER SYSTEM RESET $s" >/dev/null
done
"$PSQL" -XAtq -d postgres -c "SELECT pg_reload_conf()" >/dev/null
say "restored to ${TARGET:-the end of the archive} and promoted: $NEW_DIR, port $PGPORT"
"$PG_SH" env "$NEW_DIR"
