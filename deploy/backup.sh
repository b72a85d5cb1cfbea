#!/usr/bin/env bash
# backup.sh -- junheng's database backups: continuous WAL archiving plus
# base backups (pg_basebackup), so deploy/restore.sh can bring back the
# database as it was at any moment since the oldest base backup kept.
#
#   deploy/backup.sh archive-setup ARCHIVE          archive every WAL segment into ARCHIVE
#   deploy/backup.sh base ARCHIVE BACKUPS [LABEL]   take a base backup into BACKUPS/<UTC time>[-LABEL]
#   deploy/backup.sh list BACKUPS                   the base backups, oldest first
#   deploy/backup.sh check                          is archiving working? (exit 1 when it fails)
#   deploy/backup.sh prune ARCHIVE BACKUPS KEEP     keep the newest KEEP base backups and the WAL they need
#
# The cluster is the one the standard libpq variables point at (PGHOST,
# PGPORT, PGUSER, PGDATABASE; `eval "$(deploy/pg.sh env DIR)"` sets them for
# the project's own clusters). The user must be a superuser (ALTER SYSTEM)
# with the REPLICATION right (pg_basebackup), and pg_hba.conf must let it in
# for `replication` too (deploy/pg.sh's clusters do).
#
# archive-setup sets, with ALTER SYSTEM (postgresql.auto.conf, which wins over
# postgresql.conf): archive_mode = on and an archive_command that copies
# each finished WAL segment into ARCHIVE (never overwriting one already
# there). ARCHIVE must be writable by the server's own OS user (as root the
# script creates it and gives it to the owner of the data directory); put it
# on another disk, better another machine (an NFS mount of the backup host).
# archive_mode takes effect only after a restart of PostgreSQL: the script
# says so when one is needed (deploy/pg.sh stop DIR && deploy/pg.sh start DIR,
# or systemctl restart postgresql@15-main).
#
# base writes BACKUPS/<time>[-LABEL]/ with base.tar.gz and pg_wal.tar.gz
# (pg_basebackup -Ft -z -X stream: restorable on its own, to the end of the
# backup) and backup.info (label, times, start LSN, ARCHIVE, server version);
# it is written under a .partial name and renamed when complete, so an
# interrupted backup is never mistaken for one. Needs PostgreSQL's client
# binaries (pg_basebackup, psql, pg_archivecleanup; postgresql-client and
# postgresql on Debian: deploy/install-deps.sh).
#
# docs/operations.md ("Backups") says how often, where, and how to check a
# backup by restoring it (tests/integration/test_backup_restore.sh does).
set -euo pipefail

PROG=backup.sh
die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }
usage() { sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# PostgreSQL's client binaries: PATH, else the newest /usr/lib/postgresql/*/bin.
find_bin() {
    local name=$1 d
    if [[ -n ${JUNHENG_PG_BINDIR:-} && -x $JUNHENG_PG_BINDIR/$name ]]; then
        echo "$JUNHENG_PG_BINDIR/$name"
        return
    fi
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r); do
        [[ -x $d/$name ]] && { echo "$d/$name"; return; }
    done
    command -v "$name" || die "$name not found (install postgresql-client: deploy/install-deps.sh)"
}

q() { "$(find_bin psql)" -XAtq -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -c "$1"; }

# ARCHIVE as an absolute path a shell command may hold unquoted.
archive_path() {
    [[ -n ${1:-} ]] || usage
    mkdir -p -- "$1" || die "cannot create $1"
    local abs
    abs=$(cd -- "$1" && pwd -P)
    [[ $abs =~ ^[A-Za-z0-9_./+-]+$ ]] || die "ARCHIVE path '$abs' may hold only letters, digits and _ . / + -"
    echo "$abs"
}

cmd_archive_setup() {
    local arch owner data wal_level
    arch=$(archive_path "${1:-}")
    wal_level=$(q "SHOW wal_level")
    [[ $wal_level != minimal ]] || die "wal_level is minimal: set it to replica (the default) and restart"
    if [[ $(id -u) -eq 0 ]]; then
        data=$(q "SHOW data_directory")
        owner=$(stat -c %U "$data" 2>/dev/null) || die "cannot see the data directory $data (another machine?)"
        chown "$owner:" "$arch"
        chmod 700 "$arch"
    fi
    local cmd="test ! -f $arch/%f && cp %p $arch/%f.part && mv $arch/%f.part $arch/%f"
    q "ALTER SYSTEM SET archive_mode = on" >/dev/null
    q "ALTER SYSTEM SET archive_command = '${cmd//\'/\'\'}'" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    sleep 0.2
    say "archive_command: $cmd"
    if [[ $(q "SELECT pending_restart FROM pg_settings WHERE name = 'archive_mode'") == t ]]; then
        say "archive_mode is set but takes effect at the next start: restart PostgreSQL now"
        echo "restart-needed"
    else
        say "archiving into $arch"
        echo "archiving"
    fi
}

cmd_base() {
    local arch root label stamp dest info start_lsn
    arch=$(archive_path "${1:-}")
    root=${2:-}
    label=${3:-}
    [[ -n $root ]] || usage
    [[ -z $label || $label =~ ^[A-Za-z0-9_.-]+$ ]] || die "LABEL may hold only letters, digits and _ . -"
    [[ $(q "SHOW archive_mode") != off ]] || die "archive_mode is off: run '$PROG archive-setup $arch' first"
    mkdir -p -- "$root"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    dest=$root/$stamp${label:+-$label}
    [[ ! -e $dest ]] || die "$dest exists"
    info=$(mktemp)
    say "base backup into $dest"
    if ! "$(find_bin pg_basebackup)" -D "$dest.partial" -Ft -z -X stream -c fast -l "junheng ${label:-$stamp}" \
        -v -w 2>"$info"; then
        cat "$info" >&2
        rm -rf -- "$dest.partial" "$info"
        die "pg_basebackup failed"
    fi
    start_lsn=$(sed -n 's/.*write-ahead log start point: \([0-9A-F/]*\).*/\1/p' "$info" | head -n 1)
    gzip -t "$dest.partial/base.tar.gz" "$dest.partial/pg_wal.tar.gz" || die "the backup's archives do not read back"
    {
        echo "label ${label:-$stamp}"
        echo "started $stamp"
        echo "finished $(date -u +%Y%m%dT%H%M%SZ)"
        echo "start_lsn $start_lsn"
        echo "archive $arch"
        echo "server $(q 'SHOW server_version')"
        echo "database_bytes $(q 'SELECT sum(pg_database_size(oid)) FROM pg_database')"
    } >"$dest.partial/backup.info"
    rm -f -- "$info"
    mv -- "$dest.partial" "$dest"
    # the segment holding the backup's end goes to the archive now, not when it fills
    q "SELECT pg_switch_wal()" >/dev/null
    say "done: $dest (start LSN $start_lsn)"
    echo "$dest"
}

cmd_list() {
    local root=${1:-} d
    [[ -n $root ]] || usage
    for d in "$root"/*/backup.info; do
        [[ -f $d ]] || continue
        printf '%s\t%s\t%s\n' "$(dirname -- "$d")" "$(sed -n 's/^finished //p' "$d")" "$(sed -n 's/^label //p' "$d")"
    done
}

cmd_check() {
    local row
    row=$(q "SELECT archived_count, coalesce(last_archived_wal, '-'),
                    coalesce(to_char(last_archived_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '-'),
                    failed_count, coalesce(last_failed_wal, '-'),
                    coalesce(last_failed_time > coalesce(last_archived_time, 'epoch'), false)
             FROM pg_stat_archiver")
    IFS='|' read -r count last last_time failed last_failed failing <<<"$row"
    echo "archive_mode $(q 'SHOW archive_mode'); archived $count (last $last at $last_time UTC); failed $failed (last $last_failed)"
    [[ $(q 'SHOW archive_mode') != off ]] || { say "archiving is off"; exit 1; }
    [[ $failing != t ]] || { say "the last archiving attempt failed: see the PostgreSQL log"; exit 1; }
}

cmd_prune() {
    local arch root=${2:-} keep=${3:-} oldest segment
    arch=$(archive_path "${1:-}")
    [[ -n $root && $keep =~ ^[1-9][0-9]*$ ]] || usage
    mapfile -t all < <(cmd_list "$root" | cut -f1)
    ((${#all[@]} > keep)) || { say "${#all[@]} base backups, keeping all"; return 0; }
    for ((i = 0; i < ${#all[@]} - keep; i++)); do
        say "removing ${all[i]}"
        rm -rf -- "${all[i]}"
    done
    oldest=${all[${#all[@]} - keep]}
    # the first WAL segment the oldest kept backup needs: its start LSN's
    segment=$(tar -xzOf "$oldest/base.tar.gz" backup_label 2>/dev/null | sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]*\)).*/\1/p')
    [[ -n $segment ]] || die "cannot read the start segment of $oldest"
    "$(find_bin pg_archivecleanup)" "$arch" "$segment"
    say "kept ${keep} base backups; WAL before $segment removed from $arch"
}

[[ $# -ge 1 ]] || usage
CMD=$1
shift
case $CMD in
archive-setup) cmd_archive_setup "$@" ;;
base) cmd_base "$@" ;;
list) cmd_list "$@" ;;
check) cmd_check ;;
prune) cmd_prune "$@" ;;
*) usage ;;
esac
