# bench_lib.sh -- the start-up shared by the benchmarks (tests/bench/run.sh,
# whatif.sh; docs/benchmarks.md): a temporary folder with its own PostgreSQL
# cluster (deploy/pg.sh), CURVE keys and ipc:// endpoints, the real junhengd
# on them and the real junheng client as its admin. Source it after setting
# SRC (the source tree), BIN (the build) and KEEP (1: keep the folder and
# its cluster at the end); optionally DAEMON_OPTS, options every
# daemon_start adds. Then call bench_start PREFIX: everything is torn down on
# exit; bench_pg_start and bench_keys then give T (the folder) its cluster
# (PGHOST and friends exported), K (the keys: server, admin) and EP
# ("ipc://$T": $EP/submit, $EP/publish, $EP/snapshot, $EP/admin) for the
# functions below.

DPID=""

# bench_cleanup: the exit trap -- stops the daemon, destroys the cluster and
# removes the folder (unless KEEP=1), and exits with the status it found.
bench_cleanup() {
    local rc=$?
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kill -TERM "$DPID" 2>/dev/null || true
        wait "$DPID" 2>/dev/null || true
    fi
    if [ "$KEEP" = 1 ]; then
        echo "kept: $T (stop its cluster with deploy/pg.sh stop $T/pg)"
    else
        "$SRC/deploy/pg.sh" destroy "$T/pg" >/dev/null 2>&1 || true
        rm -rf "$T"
    fi
    exit $rc
}

# bench_start PREFIX: the folder /tmp/PREFIX.XXXXXX (T) with the exit trap.
bench_start() {
    T=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$T"
    trap bench_cleanup EXIT
}

# bench_pg_start: this run's PostgreSQL cluster ($T/pg), started, PG* exported.
bench_pg_start() {
    eval "$("$SRC/deploy/pg.sh" start "$T/pg" 2>/dev/null)"
    export PGHOST PGPORT PGUSER PGDATABASE
}

# bench_keys: the daemon's and the admin's keypairs in K ($T/keys), and EP.
bench_keys() {
    K="$T/keys"
    mkdir -p "$K"
    "$BIN/junheng" keygen "$K/server" >/dev/null
    "$BIN/junheng" keygen "$K/admin" >/dev/null
    EP="ipc://$T"
}

# jh ARGS...: the client as the admin, on this run's endpoints.
jh() {
    "$BIN/junheng" --key "$K/admin.key_secret" --server-key "$K/server.key" --submit-endpoint "$EP/submit" \
        --publish-endpoint "$EP/publish" --snapshot-endpoint "$EP/snapshot" --admin-endpoint "$EP/admin" "$@"
}

# daemon_start [--key value ...]: junhengd on this run's cluster, keys and
# endpoints (log $T/daemon.log), in the background (DPID); does not wait.
daemon_start() {
    "$BIN/junhengd" --database "" --secret_key_file "$K/server.key_secret" --admin_public_keys "$K/admin.key" \
        --submit_endpoint "$EP/submit" --publish_endpoint "$EP/publish" --snapshot_endpoint "$EP/snapshot" \
        --admin_endpoint "$EP/admin" --migrations_dir "$SRC/migrations" \
        --rules_file "$SRC/deploy/rules/national-2017.conf" ${DAEMON_OPTS[@]+"${DAEMON_OPTS[@]}"} "$@" \
        >>"$T/daemon.log" 2>&1 &
    DPID=$!
}

# daemon_wait_ping: waits until the daemon answers an admin ping (at most
# 10 s; returns 1 if it does not).
daemon_wait_ping() {
    local _
    for _ in $(seq 1 100); do
        jh --timeout 200 --retries 0 admin ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# daemon_stop: SIGTERM, and waits for the daemon (whatever its status).
daemon_stop() {
    kill -TERM "$DPID"
    wait "$DPID" || true
    DPID=""
}
