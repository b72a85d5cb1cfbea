#!/usr/bin/env bash
# pg-promote.sh -- promotes a standby made by deploy/pg-standby.sh to primary.
#
#   deploy/pg-promote.sh STANDBY_DIR
#
# `pg_ctl promote` (waits until the server accepts writes), then checks that
# it is out of recovery. Run it only once the old primary is dead and fenced
# (stopped, its machine off, or its port unreachable): two primaries would
# each take writes. The promoted server has no synchronous standby (its
# synchronous_standby_names is empty): commits no longer wait for a second
# copy until a new standby is made with deploy/pg-standby.sh. Prints the
# server's `export PGHOST=... PGPORT=...` line on stdout.
#
# Environment: JUNHENG_PG_BINDIR, JUNHENG_PG_TIMEOUT (seconds, default 60).
set -euo pipefail

PROG=pg-promote.sh
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${JUNHENG_PG_TIMEOUT:-60}

die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

[[ $# -eq 1 ]] || { sed -n '4,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ -d $1 ]] || die "$1 does not exist"
DIR=$(cd -- "$1" && pwd -P)
if [[ -n ${JUNHENG_PG_BINDIR:-} ]]; then
    BINDIR=$JUNHENG_PG_BINDIR
else
    BINDIR=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r | head -n 1)
fi
[[ -x $BINDIR/pg_ctl ]] || die "no pg_ctl in $BINDIR (run deploy/install-deps.sh)"
state_get() { sed -n "s/^# $1=//p" "$DIR/pg.env" | tail -n 1; }
"$HERE/pg.sh" env "$DIR" >/dev/null || die "no running cluster in $DIR"
HOME_DIR=$(state_get home)
SOCK=$(state_get socket)
PORT=$(state_get port)
RUN_USER=$(state_get user)
[[ -n $HOME_DIR && -n $SOCK && -n $PORT && -n $RUN_USER ]] || die "$DIR/pg.env lacks home, socket, port or user"

as_user() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u "$RUN_USER" -- env LC_ALL=C "$@")
    else
        (cd / && env LC_ALL=C "$@")
    fi
}
in_recovery() {
    "$BINDIR/psql" -X -q -h "$SOCK" -p "$PORT" -U junheng -d postgres -tA -c "SELECT pg_is_in_recovery()"
}

[[ $(in_recovery) == t ]] || die "$DIR is not a standby (already a primary?)"
as_user "$BINDIR/pg_ctl" promote -D "$HOME_DIR/data" -w -t "$TIMEOUT" -s || die "pg_ctl promote failed; see $HOME_DIR/postgres.log"
deadline=$((SECONDS + TIMEOUT))
until [[ $(in_recovery) == f ]]; do
    ((SECONDS < deadline)) || die "still in recovery after ${TIMEOUT}s"
    sleep 0.1
done
say "promoted: 127.0.0.1:$PORT accepts writes"
"$HERE/pg.sh" env "$DIR"
