#!/usr/bin/env bash
# pg-standby.sh -- a synchronous streaming-replication standby of a cluster made
# by deploy/pg.sh, on this machine (loopback / unix socket only).
#
#   deploy/pg-standby.sh PRIMARY_DIR STANDBY_DIR [PORT]
#
# Copies the running primary in PRIMARY_DIR with `pg_basebackup -R` (which
# writes primary_conninfo and standby.signal) into STANDBY_DIR/data, starts it
# with deploy/pg.sh (a free port, or PORT) as a hot standby, waits until it
# streams, then makes it the primary's synchronous standby:
# synchronous_standby_names = 'NAME' and synchronous_commit = on (ALTER SYSTEM
# on the primary, then a reload). From then on a COMMIT on the primary returns
# only once the standby has the WAL on disk: an acknowledged submission exists
# on both. Prints the standby's `export PGHOST=... PGPORT=...` line on stdout
# (as pg.sh start does).
#
# Beware: with one synchronous standby, commits on the primary wait while the
# standby is down. docs/operations.md ("High availability") says what to do.
#
# Environment: JUNHENG_PG_STANDBY_NAME (the standby's application_name, default
# junheng_standby), JUNHENG_PG_BINDIR, JUNHENG_PG_TIMEOUT (seconds, default 60),
# JUNHENG_PG_USER (as pg.sh).
set -euo pipefail

PROG=pg-standby.sh
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${JUNHENG_PG_TIMEOUT:-60}
NAME=${JUNHENG_PG_STANDBY_NAME:-junheng_standby}

die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

[[ $# -ge 2 && $# -le 3 ]] || { sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
PRIMARY_ARG=$1
STANDBY_ARG=$2
PORT=${3:-}
[[ $NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "JUNHENG_PG_STANDBY_NAME must be a plain lower-case name, not '$NAME'"

if [[ -n ${JUNHENG_PG_BINDIR:-} ]]; then
    BINDIR=$JUNHENG_PG_BINDIR
else
    BINDIR=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r | head -n 1)
fi
[[ -x $BINDIR/pg_basebackup ]] || die "no pg_basebackup in $BINDIR (run deploy/install-deps.sh)"

# The primary: running, and who runs it (pg.sh's state file, never sourced).
[[ -d $PRIMARY_ARG ]] || die "$PRIMARY_ARG does not exist"
PRIMARY_DIR=$(cd -- "$PRIMARY_ARG" && pwd -P)
"$HERE/pg.sh" env "$PRIMARY_DIR" >/dev/null || die "no running cluster in $PRIMARY_DIR (deploy/pg.sh start it first)"
state_get() { sed -n "s/^# $2=//p" "$1/pg.env" | tail -n 1; }
P_SOCK=$(state_get "$PRIMARY_DIR" socket)
P_PORT=$(state_get "$PRIMARY_DIR" port)
RUN_USER=$(state_get "$PRIMARY_DIR" user)
[[ -n $P_SOCK && -n $P_PORT && -n $RUN_USER ]] || die "$PRIMARY_DIR/pg.env lacks socket, port or user"

as_user() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u "$RUN_USER" -- env LC_ALL=C "$@")
    else
        (cd / && env LC_ALL=C "$@")
    fi
}
psql_primary() {
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$P_SOCK" -p "$P_PORT" -U junheng -d postgres -tA -c "$1"
}

# The standby's folder: STANDBY_DIR/data, where deploy/pg.sh looks for it.
mkdir -p -- "$STANDBY_ARG"
STANDBY_DIR=$(cd -- "$STANDBY_ARG" && pwd -P)
[[ $STANDBY_DIR != "$PRIMARY_DIR" ]] || die "STANDBY_DIR must differ from PRIMARY_DIR"
if [[ -e $STANDBY_DIR/data || -e $STANDBY_DIR/pg.env ]]; then
    die "$STANDBY_DIR already holds a cluster (deploy/pg.sh destroy it first)"
fi
if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$RUN_USER" -- test -x "$(dirname -- "$STANDBY_DIR")" \
        || die "user $RUN_USER cannot reach $STANDBY_DIR; choose a folder it can reach"
    chown "$RUN_USER:" "$STANDBY_DIR"
fi
(( ${#STANDBY_DIR} <= 90 )) || die "STANDBY_DIR's path is too long for a unix socket; choose a shorter one"

say "base backup of $PRIMARY_DIR (port $P_PORT) into $STANDBY_DIR/data"
as_user "$BINDIR/pg_basebackup" -D "$STANDBY_DIR/data" -R -X stream -c fast \
    -d "host=$P_SOCK port=$P_PORT user=junheng application_name=$NAME" \
    || die "pg_basebackup failed"
# The copy must not wait for a standby of its own once promoted.
as_user sed -i '/^synchronous_standby_names/d' "$STANDBY_DIR/data/postgresql.auto.conf"

ENV_LINE=$("$HERE/pg.sh" start "$STANDBY_DIR" ${PORT:+"$PORT"}) || die "the standby did not start"

# Streaming, then synchronous.
deadline=$((SECONDS + TIMEOUT))
until [[ $(psql_primary "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$NAME' AND state = 'streaming'") -ge 1 ]]; do
    ((SECONDS < deadline)) || die "the standby does not stream after ${TIMEOUT}s; see $STANDBY_DIR/postgres.log"
    sleep 0.2
done
psql_primary "ALTER SYSTEM SET synchronous_standby_names = '$NAME'" >/dev/null
psql_primary "ALTER SYSTEM SET synchronous_commit = 'on'" >/dev/null
psql_primary "SELECT pg_reload_conf()" >/dev/null
until [[ $(psql_primary "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$NAME' AND sync_state = 'sync'") -ge 1 ]]; do
    ((SECONDS < deadline)) || die "the standby is not synchronous after ${TIMEOUT}s"
    sleep 0.2
done
S_PORT=$(state_get "$STANDBY_DIR" port)
say "standby $NAME streams synchronously: primary 127.0.0.1:$P_PORT, standby 127.0.0.1:$S_PORT"
say "daemon conninfo: host=127.0.0.1,127.0.0.1 port=$P_PORT,$S_PORT dbname=junheng user=junheng target_session_attrs=read-write"
echo "$ENV_LINE"
