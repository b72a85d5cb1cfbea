# lib.sh -- shared by every integration test: a throwaway PostgreSQL cluster
# (deploy/pg.sh, under this test's own temporary folder), the real junhengd on
# ipc:// endpoints, and the real junheng client. Source it; call pg_start and
# daemon_start; everything is torn down on exit.
set -euo pipefail
# The tests read the programs' English messages: English whatever the
# caller's locale (a test that checks Chinese sets LANG=zh_CN.UTF-8 for
# that one command).
export LANG=C.UTF-8 LANGUAGE=
unset LC_ALL LC_MESSAGES

BIN=${JUNHENG_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
SRC=${JUNHENG_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T=$(mktemp -d /tmp/jh-it.XXXXXX)
chmod 755 "$T"
DPID=""
TEST_NAME=$(basename "$0" .sh)

cleanup() {
    local rc=$?
    set +e
    # Background helpers of a failed test (clients, monitors, load) must not
    # outlive it: ctest would wait for them.
    pkill -TERM -P $$ 2>/dev/null
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kill -TERM "$DPID" 2>/dev/null || true
        wait "$DPID" 2>/dev/null || true
    fi
    "$SRC/deploy/pg.sh" destroy "$T/pg" >/dev/null 2>&1 || true
    if [ $rc -ne 0 ]; then
        echo "--- $TEST_NAME failed (rc=$rc); daemon log tail:"
        tail -n 40 "$T"/daemon*.log 2>/dev/null || true
    fi
    rm -rf "$T"
    exit $rc
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# check_eq ACTUAL EXPECTED WHAT
check_eq() {
    if [ "$1" != "$2" ]; then
        fail "$3: expected '$2', got '$1'"
    fi
    echo "ok - $3"
}

# check_contains FILE TEXT WHAT
check_contains() {
    grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "$3: '$2' not found"; }
    echo "ok - $3"
}

pg_start() {
    eval "$("$SRC/deploy/pg.sh" start "$T/pg")"
    export PGHOST PGPORT PGUSER PGDATABASE
}

pg_stop() { "$SRC/deploy/pg.sh" stop "$T/pg" >/dev/null; }
pg_restart() { eval "$("$SRC/deploy/pg.sh" start "$T/pg")"; }

# sql QUERY -> prints the unaligned result
sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

EP_SUBMIT="ipc://$T/submit"
EP_PUBLISH="ipc://$T/publish"
EP_SNAPSHOT="ipc://$T/snapshot"
EP_ADMIN="ipc://$T/admin"

# --- CurveZMQ keys ----------------------------------------------------------
# Every test runs the daemon with CURVE (the default): $KEYS holds the
# daemon's keypair (server), a bootstrap admin key (admin, the daemon's
# admin_public_keys) and whatever keys a test makes with key_new. jh, probe
# and every tool that reads JUNHENG_KEY / JUNHENG_SERVER_KEY act as that
# admin unless told otherwise (jh_as / probe_as NAME).
# A test that sets JH_PLAINTEXT=1 before sourcing lib.sh gets a daemon with
# allow_plaintext yes and a client with --plaintext instead.
KEYS="$T/keys"
mkdir -p "$KEYS"
# The client's default spool and key folders: this test's own, never $HOME's.
export XDG_DATA_HOME="$T/xdg-data" XDG_CONFIG_HOME="$T/xdg-config"

# key_new NAME: a new keypair $KEYS/NAME.key and $KEYS/NAME.key_secret.
key_new() { "$BIN/junheng" keygen "$KEYS/$1" >/dev/null; }

# key_pub NAME: the Z85 public key of NAME.
key_pub() { sed -n 's/^ *public-key = "\(.*\)"$/\1/p' "$KEYS/$1.key"; }

if [ "${JH_PLAINTEXT:-0}" = 1 ]; then
    DAEMON_KEY_ARGS=(--allow_plaintext yes)
    JH_KEY_ARGS=(--plaintext)
    unset JUNHENG_KEY JUNHENG_SERVER_KEY
else
    key_new server
    key_new admin
    DAEMON_KEY_ARGS=(--secret_key_file "$KEYS/server.key_secret" --admin_public_keys "$KEYS/admin.key")
    JH_KEY_ARGS=()
    export JUNHENG_KEY="$KEYS/admin.key_secret" JUNHENG_SERVER_KEY="$KEYS/server.key"
fi

# daemon_start [extra --key value ...]: starts junhengd and waits until it answers ping.
daemon_start() {
    local n=${DAEMON_RUNS:-0}
    DAEMON_RUNS=$((n + 1))
    "$BIN/junhengd" --database "" --submit_endpoint "$EP_SUBMIT" --publish_endpoint "$EP_PUBLISH" \
        --snapshot_endpoint "$EP_SNAPSHOT" --admin_endpoint "$EP_ADMIN" \
        --migrations_dir "$SRC/migrations" --rules_file "$SRC/deploy/rules/national-2017.conf" \
        "${DAEMON_KEY_ARGS[@]}" "$@" >>"$T/daemon.$n.log" 2>&1 &
    DPID=$!
    # (a deadline, not a count: under a heavy load each try costs more; the
    # pings' own timeout grows for a loaded machine's CURVE handshakes)
    local deadline=$(($(date +%s) + 60)) wait_ms=200
    while [ "$(date +%s)" -lt $deadline ]; do
        if jh --timeout $wait_ms --retries 0 admin ping >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$DPID" 2>/dev/null || fail "junhengd exited at start"
        [ $wait_ms -ge 2000 ] || wait_ms=$((wait_ms + 200))
        sleep 0.1
    done
    fail "junhengd did not answer ping within 60 s"
}

# daemon_stop: SIGTERM, and returns the daemon's exit status.
daemon_stop() {
    kill -TERM "$DPID"
    local rc=0
    wait "$DPID" || rc=$?
    DPID=""
    return $rc
}

jh() {
    "$BIN/junheng" --submit-endpoint "$EP_SUBMIT" --publish-endpoint "$EP_PUBLISH" \
        --snapshot-endpoint "$EP_SNAPSHOT" --admin-endpoint "$EP_ADMIN" "${JH_KEY_ARGS[@]}" "$@"
}

# jh_as NAME ARGS...: the client with key NAME (made by key_new).
jh_as() {
    local name=$1
    shift
    jh --key "$KEYS/$name.key_secret" "$@"
}

probe() { "$BIN/tests/wire_probe" "$@"; }

# probe_as NAME ARGS...: wire_probe with key NAME.
probe_as() {
    local name=$1
    shift
    JUNHENG_KEY="$KEYS/$name.key_secret" probe "$@"
}

# key_set ROLE SUBJECT NAME: binds key NAME (as admin).
key_set() { jh admin set-key "$1" "$2" "$KEYS/$3.key" >/dev/null; }

# load_demo_registry: the Dezhou demo registry.
load_demo_registry() {
    jh admin import-counties "$SRC/deploy/demo-data/counties.csv" >/dev/null
    jh admin import-schools "$SRC/deploy/demo-data/schools.csv" >/dev/null
}

# registry_synth ARGS...: a synthetic registry of junheng-load (ARGS: its
# `registry` options, e.g. --schools N --counties M) written to $T/reg and
# imported (counties, then every schools-*.csv).
registry_synth() {
    local f
    mkdir -p "$T/reg"
    "$BIN/tests/junheng-load" registry "$T/reg" "$@" >/dev/null
    jh admin import-counties "$T/reg/counties.csv" >/dev/null
    for f in "$T/reg"/schools-*.csv; do
        jh admin import-schools "$f" >/dev/null
    done
}

# spool_drain C ROUNDS [RC]: client C (key "schoolC", spool $T/spC, receipts
# $T/rC, output $T/cC.out) flushes its spool until nothing is pending, at most
# ROUNDS times, half a second apart; writes "EXIT PENDING" to $T/cC.end. RC is
# the exit status of the client's first run (kept when nothing needed flushing).
spool_drain() {
    local c=$1 rounds=$2 rc=${3:-0} _
    for _ in $(seq 1 "$rounds"); do
        [ "$(ls "$T/sp$c" | wc -l)" = 0 ] && break
        sleep 0.5
        rc=0
        jh_as "school$c" --timeout 1000 --retries 4 submit --quiet --flush --spool "$T/sp$c" \
            --receipts "$T/r$c" >>"$T/c$c.out" 2>&1 || rc=$?
    done
    echo "$rc $(ls "$T/sp$c" | wc -l)" >"$T/c$c.end"
}
