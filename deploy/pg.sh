#!/usr/bin/env bash
# pg.sh -- a PostgreSQL cluster owned by the project, for the demo and for
# every integration test.  Never touches the distribution's own cluster.
#
#   deploy/pg.sh start   DIR [PORT]  initdb when DIR has no cluster, start it, create database
#                                    junheng; prints `export PGHOST=... PGPORT=... PGUSER=...
#                                    PGDATABASE=junheng` on stdout (use with eval)
#   deploy/pg.sh env     DIR         prints the same export line for a started cluster
#   deploy/pg.sh stop    DIR         fast shutdown (clean checkpoint)
#   deploy/pg.sh kill    DIR         immediate shutdown: no checkpoint, crash recovery on next start
#   deploy/pg.sh status  DIR         exit 0 running, 3 stopped, 4 no cluster
#   deploy/pg.sh destroy DIR         stop if running and delete the cluster
#
# Layout: the cluster lives in DIR/data with its unix socket and postgres.log
# in DIR; DIR/pg.env holds the export line.  The server listens on 127.0.0.1
# and the socket only, with trust authentication, fsync on.
#
# As root the server runs as the system user `junheng` (created when missing;
# JUNHENG_PG_USER overrides), which owns DIR.  When that user cannot reach DIR
# (say DIR is under /root, mode 700) the cluster is placed instead in
# /tmp/junheng-pg-<uid>-<hash of DIR> (mode 700, owned by that user) and
# DIR/cluster is a symlink to it: no permission of DIR's parents is changed.
# The socket also goes there when DIR's path is too long for a unix socket.
#
# Environment: JUNHENG_PG_USER (run-as user when root), JUNHENG_PG_BINDIR
# (PostgreSQL binaries; default the newest /usr/lib/postgresql/*/bin),
# JUNHENG_PG_TIMEOUT (seconds to wait for start/stop, default 60),
# JUNHENG_PG_RUNDIR (parent of the fallback directories, default /tmp).
set -euo pipefail

PROG=pg.sh
TIMEOUT=${JUNHENG_PG_TIMEOUT:-60}
RUNBASE=${JUNHENG_PG_RUNDIR:-/tmp}
DBNAME=junheng
DBUSER=junheng

die() { echo "$PROG: $*" >&2; exit 1; }
say() { echo "$PROG: $*" >&2; }

usage() {
    sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- binaries ------------------------------------------------------------------
find_bindir() {
    if [[ -n ${JUNHENG_PG_BINDIR:-} ]]; then
        [[ -x $JUNHENG_PG_BINDIR/pg_ctl ]] || die "JUNHENG_PG_BINDIR=$JUNHENG_PG_BINDIR has no pg_ctl"
        BINDIR=$JUNHENG_PG_BINDIR
        return
    fi
    local best="" d
    # newest major version first
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r); do
        if [[ -x $d/pg_ctl && -x $d/initdb && -x $d/postgres ]]; then
            best=$d
            break
        fi
    done
    [[ -n $best ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (run deploy/install-deps.sh)"
    BINDIR=$best
}

# --- who runs the server --------------------------------------------------------
IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

setup_user() {
    if [[ $IS_ROOT -eq 0 ]]; then
        RUN_USER=$(id -un)
        return
    fi
    RUN_USER=${JUNHENG_PG_USER:-junheng}
    if ! id -u "$RUN_USER" >/dev/null 2>&1; then
        command -v useradd >/dev/null || die "useradd not found; cannot create user $RUN_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "junheng PostgreSQL clusters" "$RUN_USER" \
            || id -u "$RUN_USER" >/dev/null 2>&1 || die "cannot create system user $RUN_USER"
        say "created system user $RUN_USER"
    fi
    [[ $(id -u "$RUN_USER") -ne 0 ]] || die "JUNHENG_PG_USER must not be root"
    command -v runuser >/dev/null || die "runuser not found (util-linux)"
}

# Runs a command as the server's user, from / (the caller's cwd may be unreadable to it).
as_user() {
    if [[ $IS_ROOT -eq 1 ]]; then
        (cd / && runuser -u "$RUN_USER" -- env LC_ALL=C "$@")
    else
        (cd / && env LC_ALL=C "$@")
    fi
}

# --- where things are ------------------------------------------------------------
# Sets DIR (absolute), HOME_DIR (holds data/, log), SOCK_DIR, DATA, LOG, STATE.
resolve_dir() {
    local arg=$1 create=$2
    [[ -n $arg ]] || die "DIR is empty"
    if [[ $create -eq 1 ]]; then
        mkdir -p -- "$arg" || die "cannot create $arg"
    fi
    [[ -d $arg ]] || { DIR=""; return 1; }
    DIR=$(cd -- "$arg" && pwd -P)
    [[ $DIR != / ]] || die "refusing to use / as DIR"
    STATE=$DIR/pg.env
    local hash
    hash=$(printf '%s' "$DIR" | sha256sum | cut -c1-12)
    FALLBACK=$RUNBASE/junheng-pg-$(id -u "$RUN_USER")-$hash
    return 0
}

# Reads one key of the state file (plain text, never sourced).
state_get() {
    [[ -f $STATE ]] || return 0
    sed -n "s/^# $1=//p" "$STATE" | tail -n 1
}

# Can the run user reach and write DIR's parent chain? (Only matters as root.)
user_can_reach() {
    [[ $IS_ROOT -eq 0 ]] && return 0
    local parent
    parent=$(dirname -- "$1")
    runuser -u "$RUN_USER" -- test -x "$parent" 2>/dev/null
}

# Creates the fallback directory safely (it is under a world-writable /tmp).
make_fallback() {
    local uid
    uid=$(id -u "$RUN_USER")
    if [[ -L $FALLBACK ]]; then
        die "$FALLBACK is a symlink; refusing to use it"
    fi
    if [[ ! -d $FALLBACK ]]; then
        mkdir -m 700 -- "$FALLBACK" || die "cannot create $FALLBACK"
        [[ $IS_ROOT -eq 1 ]] && chown "$RUN_USER:" "$FALLBACK"
    fi
    [[ $(stat -c %u "$FALLBACK") == "$uid" ]] || die "$FALLBACK exists but is not owned by $RUN_USER"
    chmod 700 "$FALLBACK"
}

# Decides the layout for start (and records it); later commands read the record.
plan_layout() {
    local home sock
    home=$(state_get home)
    sock=$(state_get socket)
    if [[ -z $home ]]; then
        if [[ -L $DIR/cluster ]]; then
            home=$(readlink -- "$DIR/cluster")
        elif user_can_reach "$DIR"; then
            home=$DIR
        else
            home=$FALLBACK
            say "user $RUN_USER cannot reach $DIR; the cluster goes to $home (DIR/cluster links to it)"
        fi
    fi
    if [[ -z $sock ]]; then
        sock=$home
        # unix socket path: DIR/.s.PGSQL.NNNNN must fit in sun_path (108 bytes)
        if (( ${#sock} > 90 )); then
            sock=$FALLBACK
            say "socket path under $home would be too long; socket goes to $sock"
        fi
    fi
    HOME_DIR=$home
    SOCK_DIR=$sock
    DATA=$HOME_DIR/data
    LOG=$HOME_DIR/postgres.log
}

load_layout() {
    HOME_DIR=$(state_get home)
    SOCK_DIR=$(state_get socket)
    if [[ -z $HOME_DIR ]]; then
        if [[ -L $DIR/cluster ]]; then
            HOME_DIR=$(readlink -- "$DIR/cluster")
        else
            HOME_DIR=$DIR
        fi
    fi
    [[ -n $SOCK_DIR ]] || SOCK_DIR=$HOME_DIR
    DATA=$HOME_DIR/data
    LOG=$HOME_DIR/postgres.log
}

prepare_dirs() {
    if [[ $HOME_DIR == "$FALLBACK" || $SOCK_DIR == "$FALLBACK" ]]; then
        make_fallback
    fi
    if [[ $HOME_DIR == "$FALLBACK" ]]; then
        if [[ ! -L $DIR/cluster ]]; then
            ln -s -- "$FALLBACK" "$DIR/cluster"
        fi
    elif [[ $IS_ROOT -eq 1 ]]; then
        # DIR belongs to the server's user (its own mode is kept)
        chown "$RUN_USER:" "$DIR"
    fi
    [[ $IS_ROOT -eq 1 ]] || [[ -w $HOME_DIR ]] || die "$HOME_DIR is not writable"
}

# --- server state ----------------------------------------------------------------
has_cluster() { as_user test -f "$DATA/PG_VERSION" 2>/dev/null; }

is_running() { has_cluster && as_user "$BINDIR/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

running_port() {
    # line 4 of postmaster.pid is the port
    as_user sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true
}

port_busy() {
    local p=$1
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$p" 2>/dev/null && return 0
    [[ -e $SOCK_DIR/.s.PGSQL.$p ]] && return 0
    return 1
}

pick_port() {
    local start=$1 p i
    for ((i = 0; i < 200; i++)); do
        p=$((start + i))
        ((p >= 32000)) && p=$((20000 + p % 12000))
        if ! port_busy "$p"; then
            echo "$p"
            return 0
        fi
    done
    die "no free port near $start"
}

sq() { printf "'%s'" "${1//\'/\'\'}"; }   # a postgresql.conf string literal

write_conf() {
    local port=$1 tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# written by deploy/pg.sh at every start; edit deploy/pg.sh, not this file
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = $(sq "$SOCK_DIR")
unix_socket_permissions = 0770
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_buffers = 64MB
log_line_prefix = '%m [%p] '
log_min_messages = warning
EOF
    as_user tee "$DATA/junheng.conf" >/dev/null <"$tmp"
    rm -f "$tmp"
}

do_initdb() {
    say "initdb $DATA ($("$BINDIR/postgres" --version))"
    local out
    if ! out=$(as_user "$BINDIR/initdb" -D "$DATA" -U "$DBUSER" --auth=trust --encoding=UTF8 --locale=C \
        --no-instructions 2>&1); then
        echo "$out" >&2
        die "initdb failed in $DATA"
    fi
    printf "\ninclude_if_exists = 'junheng.conf'\n" | as_user tee -a "$DATA/postgresql.conf" >/dev/null
    # trust on the socket and on 127.0.0.1 only
    as_user tee "$DATA/pg_hba.conf" >/dev/null <<'EOF'
# written by deploy/pg.sh
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
local   replication all           trust
EOF
}

write_state() {
    local port=$1 tmp
    tmp=$(mktemp "$DIR/.pg.env.XXXXXX")
    {
        printf 'export PGHOST=%q PGPORT=%q PGUSER=%q PGDATABASE=%q\n' "$SOCK_DIR" "$port" "$DBUSER" "$DBNAME"
        printf '# home=%s\n# socket=%s\n# port=%s\n# user=%s\n' "$HOME_DIR" "$SOCK_DIR" "$port" "$RUN_USER"
    } >"$tmp"
    chmod 644 "$tmp"
    mv -f "$tmp" "$STATE"
}

print_env() {
    printf 'export PGHOST=%q PGPORT=%q PGUSER=%q PGDATABASE=%q\n' "$SOCK_DIR" "$1" "$DBUSER" "$DBNAME"
}

psql_q() {
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK_DIR" -p "$1" -U "$DBUSER" -d postgres -tA -c "$2"
}

wait_ready() {
    local port=$1 deadline=$((SECONDS + TIMEOUT))
    while ! "$BINDIR/pg_isready" -q -h "$SOCK_DIR" -p "$port" -d postgres -U "$DBUSER" -t 2 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

ensure_db() {
    local port=$1
    if [[ $(psql_q "$port" "select 1 from pg_database where datname = '$DBNAME'") != 1 ]]; then
        psql_q "$port" "create database $DBNAME" >/dev/null 2>&1 \
            || [[ $(psql_q "$port" "select 1 from pg_database where datname = '$DBNAME'") == 1 ]] \
            || die "cannot create database $DBNAME"
    fi
}

# --- commands --------------------------------------------------------------------
cmd_start() {
    local want_port=${1:-}
    if [[ -n $want_port ]]; then
        [[ $want_port =~ ^[0-9]+$ ]] && ((want_port >= 1024 && want_port <= 65535)) \
            || die "PORT must be a number in 1024..65535, not '$want_port'"
    fi
    resolve_dir "$DIR_ARG" 1
    plan_layout
    prepare_dirs
    if [[ -n $want_port ]] && ! is_running && port_busy "$want_port"; then
        die "port $want_port is already in use on 127.0.0.1"
    fi

    if ! has_cluster; then
        if [[ -e $DATA ]] && [[ -n $(as_user ls -A "$DATA" 2>/dev/null) ]]; then
            die "$DATA exists, is not empty and holds no cluster; remove it or use another DIR"
        fi
        do_initdb
    fi

    if is_running; then
        local port
        port=$(running_port)
        if [[ -n $want_port && $want_port != "$port" ]]; then
            die "already running on port $port (asked for $want_port); stop it first"
        fi
        wait_ready "$port" || die "server is running but not accepting connections on $SOCK_DIR port $port"
        ensure_db "$port"
        write_state "$port"
        say "already running (pid $(as_user sed -n 1p "$DATA/postmaster.pid"), port $port)"
        print_env "$port"
        return 0
    fi

    local port attempt hash
    hash=$(printf '%s' "$DIR" | sha256sum | cut -c1-4)
    for attempt in 1 2 3 4 5; do
        if [[ -n $want_port ]]; then
            port=$want_port
            port_busy "$port" && die "port $port is already in use on 127.0.0.1"
        else
            local prev
            prev=$(state_get port)
            if [[ $attempt -eq 1 && -n $prev ]] && ! port_busy "$prev"; then
                port=$prev
            else
                # 20000..31999: below Linux's ephemeral range (32768..60999)
                port=$(pick_port $((20000 + (16#$hash + attempt * 97) % 12000)))
            fi
        fi
        write_conf "$port"
        local log_start=0
        log_start=$(as_user stat -c %s "$LOG" 2>/dev/null || echo 0)
        if as_user "$BINDIR/pg_ctl" start -D "$DATA" -l "$LOG" -w -t "$TIMEOUT" -s >/dev/null 2>&1; then
            if ! wait_ready "$port"; then
                die "server started but not ready within ${TIMEOUT}s; see $LOG"
            fi
            ensure_db "$port"
            write_state "$port"
            say "started: data $DATA, socket $SOCK_DIR, 127.0.0.1:$port, log $LOG"
            print_env "$port"
            return 0
        fi
        local tail
        tail=$(as_user tail -c +"$((log_start + 1))" "$LOG" 2>/dev/null | tail -n 20 || true)
        if [[ -z $want_port ]] && grep -qiE 'could not (bind|create lock file)|address already in use' <<<"$tail"; then
            say "port $port was taken meanwhile; trying another"
            continue
        fi
        echo "$tail" >&2
        die "pg_ctl start failed (data $DATA, log $LOG)"
    done
    die "could not find a free port after 5 attempts"
}

need_existing() {
    if ! resolve_dir "$DIR_ARG" 0; then
        return 1
    fi
    load_layout
    return 0
}

cmd_env() {
    need_existing || die "$DIR_ARG does not exist"
    is_running || die "no running cluster in $DIR_ARG"
    print_env "$(running_port)"
}

cmd_stop() {
    local mode=$1
    if ! need_existing || ! has_cluster; then
        say "no cluster in $DIR_ARG"
        return 0
    fi
    if ! is_running; then
        say "not running"
        return 0
    fi
    if ! as_user "$BINDIR/pg_ctl" stop -D "$DATA" -m "$mode" -w -t "$TIMEOUT" -s; then
        die "pg_ctl stop -m $mode failed; see $LOG"
    fi
    say "stopped ($mode)"
}

cmd_status() {
    if ! need_existing || ! has_cluster; then
        echo "no cluster in $DIR_ARG"
        exit 4
    fi
    if is_running; then
        echo "running: pid $(as_user sed -n 1p "$DATA/postmaster.pid"), port $(running_port), socket $SOCK_DIR, data $DATA"
        exit 0
    fi
    echo "stopped: data $DATA"
    exit 3
}

cmd_destroy() {
    if ! need_existing; then
        say "nothing to destroy at $DIR_ARG"
        return 0
    fi
    if has_cluster && is_running; then
        as_user "$BINDIR/pg_ctl" stop -D "$DATA" -m immediate -w -t "$TIMEOUT" -s \
            || die "cannot stop the server in $DATA"
    fi
    local d
    for d in "$HOME_DIR" "$SOCK_DIR"; do
        # only the fallback directories are removed whole; DIR itself is emptied of what we made
        if [[ $d == "$RUNBASE"/junheng-pg-* && ! -L $d && -d $d ]]; then
            rm -rf -- "$d"
        fi
    done
    # DIR/data only when it is a cluster (or what is left of one), never someone's data folder
    if [[ -d $DIR/data ]] && { [[ -f $DIR/data/PG_VERSION ]] || [[ -z $(ls -A -- "$DIR/data") ]]; }; then
        rm -rf -- "$DIR/data"
    fi
    rm -f -- "$DIR/postgres.log" "$DIR/pg.env" "$DIR/cluster"
    rmdir -- "$DIR" 2>/dev/null || true
    say "destroyed"
}

# --- main ------------------------------------------------------------------------
[[ $# -ge 2 ]] || usage
CMD=$1
DIR_ARG=$2
shift 2
find_bindir
setup_user
case $CMD in
start) [[ $# -le 1 ]] || usage; cmd_start "${1:-}" ;;
env) cmd_env ;;
stop) cmd_stop fast ;;
kill) cmd_stop immediate ;;
status) cmd_status ;;
destroy) cmd_destroy ;;
*) usage ;;
esac
