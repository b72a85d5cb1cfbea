# watch_lib.sh -- helpers of the monitor tests (tests/integration/test_watch*.sh),
# sourced after lib.sh: real `junheng watch` processes in the background, their
# output files, and checks on what they printed. Every monitor started here is
# stopped on exit, before lib.sh's cleanup runs.

MONITORS=()

# monitor_start NAME ARGS...: `junheng ARGS` (a watch) in the background,
# stdout in $T/NAME.out, stderr in $T/NAME.err.
monitor_start() {
    local name=$1
    shift
    jh "$@" >"$T/$name.out" 2>"$T/$name.err" &
    MONITORS+=($!)
}

# monitor_start_as KEY NAME ARGS...: the same with key KEY (lib.sh's jh_as).
monitor_start_as() {
    local key=$1 name=$2
    shift 2
    jh_as "$key" "$@" >"$T/$name.out" 2>"$T/$name.err" &
    MONITORS+=($!)
}

# monitor_start_piped NAME READER ARGS...: the same, but stdout goes through a
# pipe to READER, a shell command reading stdin whose output lands in
# $T/NAME.out; READER decides when (and whether) the monitor may write.
monitor_start_piped() {
    local name=$1 reader=$2
    shift 2
    mkfifo "$T/$name.fifo"
    (exec 3<"$T/$name.fifo"; eval "$reader" <&3 >"$T/$name.out") &
    MONITORS+=($!)
    jh "$@" >"$T/$name.fifo" 2>"$T/$name.err" &
    MONITORS+=($!)
}

# monitors_stop: SIGTERM to every monitor (the client under each background
# job, then the job) and waits for them.
monitors_stop() {
    local p
    for p in "${MONITORS[@]}"; do
        pkill -TERM -P "$p" 2>/dev/null || true
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in "${MONITORS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    MONITORS=()
}

# (set +e first: under errexit the `(exit $rc)` that hands lib.sh's cleanup the
# status would end the trap before the cleanup ran.)
trap 'rc=$?; set +e; monitors_stop; (exit $rc); cleanup' EXIT

# finish: stops the monitors and the daemon (which must exit 0), and fails
# if a sanitizer (ASan, LSan, UBSan builds) reported anything in either.
finish() {
    monitors_stop
    if [ -n "$DPID" ]; then
        daemon_stop || fail "junhengd exited with an error"
    fi
    local pattern="ERROR: (Address|Leak)Sanitizer|runtime error:"
    if grep -lE "$pattern" "$T"/*.err "$T"/daemon.*.log >"$T/sanitized" 2>/dev/null; then
        grep -hE -A12 "$pattern" $(cat "$T/sanitized") | head -n 40
        fail "a sanitizer reported a problem in $(tr '\n' ' ' <"$T/sanitized")"
    fi
    echo "ok - monitors and daemon stopped cleanly"
}

# now_ms: wall-clock milliseconds.
now_ms() { date +%s%3N; }

# daemon_statuses PREFIX: the daemon's current status of every county under
# PREFIX (a city code, or one 6-digit county), one object per line.
daemon_statuses() {
    if [ ${#1} -eq 6 ] && [ "${1:4:2}" != 00 ]; then
        jh status --county "$1" --json | jq -c .
    else
        jh status --city "$1" --json
    fi
}

# daemon_seqs PREFIX: "code seq" for every county with a status, from the daemon.
daemon_seqs() {
    daemon_statuses "$1" | jq -r '"\(.county.code) \(.seq)"' | sort
}

# monitor_seqs NAME: "code seq" of the last status the monitor printed per county.
monitor_seqs() {
    jq -r '"\(.county.code) \(.seq)"' "$T/$1.out" | awk '{ last[$1] = $2 } END { for (c in last) print c, last[c] }' | sort
}

# wait_converged NAME PREFIX SECONDS: waits until the monitor's last seq of
# every county equals the daemon's; fails after SECONDS.
wait_converged() {
    local name=$1 prefix=$2 deadline=$(($(date +%s) + $3))
    daemon_seqs "$prefix" >"$T/want.seqs"
    while ! monitor_seqs "$name" | cmp -s - "$T/want.seqs"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "--- daemon:"; cat "$T/want.seqs"; echo "--- $name:"; monitor_seqs "$name"
            echo "--- $name.err:"; tail -n 20 "$T/$name.err"
            fail "$name did not converge within $3 s"
        fi
        sleep 0.2
    done
    echo "ok - $name converged to the daemon's sequences"
}

# check_same_states NAME PREFIX: the last status the monitor printed for every
# county equals the daemon's current one (all but computed_at).
check_same_states() {
    local name=$1 prefix=$2
    daemon_statuses "$prefix" | jq -cS 'del(.computed_at)' | sort >"$T/want.states"
    jq -c '.' "$T/$name.out" | jq -cs 'group_by(.county.code) | map(.[-1])[] | del(.computed_at)' |
        jq -cS . | sort >"$T/$name.states"
    cmp -s "$T/want.states" "$T/$name.states" ||
        { diff <(jq -r '.county.code + " " + (.seq|tostring)' "$T/want.states") \
            <(jq -r '.county.code + " " + (.seq|tostring)' "$T/$name.states") | head; fail "$name's states differ from the daemon's"; }
    echo "ok - $name shows exactly the daemon's current states ($(wc -l <"$T/want.states") counties)"
}

# check_consecutive NAME: in what the monitor printed, each county's seqs go up
# by exactly one from its first line (the snapshot) on: every update exactly
# once and in order.
check_consecutive() {
    local bad
    bad=$(jq -r '"\(.county.code) \(.seq)"' "$T/$1.out" |
        awk '{ if (($1 in last) && $2 != last[$1] + 1) print $1, last[$1], "->", $2; last[$1] = $2 }')
    [ -z "$bad" ] || fail "$1 printed out of sequence: $bad"
    echo "ok - $1 printed every county's updates once, in order ($(wc -l <"$T/$1.out") lines)"
}

# demo_rows COUNTY: the header and the demo submissions of one county's schools.
demo_rows() {
    local prefix="21${1:0:2}${1:4:2}"
    grep -E "^(school_code|$prefix)" "$SRC/deploy/demo-data/submissions-2025.csv"
}
