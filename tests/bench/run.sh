#!/usr/bin/env bash
# run.sh -- the national-scale benchmark of docs/benchmarks.md: one command,
# one run, every figure measured on the same PostgreSQL (deploy/pg.sh, fsync
# and synchronous_commit on, checked with SHOW).
#
#   tests/bench/run.sh [--build DIR] [--clients K] [--window W] [--rate R]
#                      [--latency-count N] [--schools N] [--counties N]
#                      [--keep] [-- DAEMON_OPTIONS...]
#
# Prints, in order:
#   1. the baseline: COPY of the run's 200,000 submission rows into an identical table
#   2. junheng end to end: all of them acknowledged (committed) and every county
#      republished with its final count; the rate and its ratio to COPY
#   3. acknowledgement latency at an offered R submissions/s (default 2,000)
#   4. commit -> monitor latency at that rate
#   5. the daemon's peak resident memory (VmHWM), and restart-to-ready with
#      every school and submission in the database
#   6. one county update, incremental against a full recompute
# then one `BENCH key=value ...` line with every figure, for scripts.
#
# Everything runs under a temporary folder (removed at the end unless --keep):
# its own PostgreSQL cluster, CURVE keys and ipc:// endpoints. Build first:
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-bench -j2
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${JUNHENG_BIN:-$SRC/build-bench}
CLIENTS=8
WINDOW=256
RATE=2000
LAT_COUNT=30000
SCHOOLS=200000
COUNTIES=2850
KEEP=0
DAEMON_OPTS=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) BIN=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --latency-count) LAT_COUNT=$2; shift 2 ;;
    --schools) SCHOOLS=$2; shift 2 ;;
    --counties) COUNTIES=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --) shift; DAEMON_OPTS=("$@"); break ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for b in junhengd junheng tests/junheng-load tests/county_bench; do
    [ -x "$BIN/$b" ] || { echo "run.sh: $BIN/$b missing; build first (see --help)" >&2; exit 2; }
done
LOAD="$BIN/tests/junheng-load"
# the bulk run uses one school year, the latency run the next one (each
# school submits at most once per year, which lets the monitor match every
# commit to the publication that first counts it)
YEAR=$(date +%Y)
P1=$((YEAR - 1))
P2=$YEAR

T=$(mktemp -d /tmp/jh-bench.XXXXXX)
chmod 755 "$T"
DPID=""
cleanup() {
    local rc=$?
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kill -TERM "$DPID" 2>/dev/null || true
        wait "$DPID" 2>/dev/null || true
    fi
    if [ $KEEP = 1 ]; then
        echo "kept: $T (stop its cluster with deploy/pg.sh stop $T/pg)"
    else
        "$SRC/deploy/pg.sh" destroy "$T/pg" >/dev/null 2>&1 || true
        rm -rf "$T"
    fi
    exit $rc
}
trap cleanup EXIT
say() { printf '%s\n' "$*"; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# result KEY LABEL: the value of KEY in the RESULT line tagged LABEL
result() { grep "^RESULT label=$2 " "$T/results.txt" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }

say "junheng national-scale benchmark: $SCHOOLS schools in $COUNTIES counties, $(nproc) cores"
say "machine: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(free -g | awk '/Mem:/ {print $2}') GB"

# --- PostgreSQL ----------------------------------------------------------------
eval "$("$SRC/deploy/pg.sh" start "$T/pg" 2>/dev/null)"
export PGHOST PGPORT PGUSER PGDATABASE
sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
FSYNC=$(sql "SHOW fsync")
SYNC=$(sql "SHOW synchronous_commit")
say "PostgreSQL: $(sql 'SHOW server_version'), fsync=$FSYNC synchronous_commit=$SYNC"
if [ "$FSYNC" != on ] || [ "$SYNC" != on ]; then
    say "run.sh: fsync and synchronous_commit must be on" >&2
    exit 1
fi

# --- keys, registry, daemon ----------------------------------------------------
K="$T/keys"
mkdir -p "$K"
"$BIN/junheng" keygen "$K/server" >/dev/null
"$BIN/junheng" keygen "$K/admin" >/dev/null
LOAD_KEYS=""
for i in $(seq 1 "$CLIENTS"); do
    "$BIN/junheng" keygen "$K/load-$i" >/dev/null
    LOAD_KEYS="$LOAD_KEYS${LOAD_KEYS:+,}$K/load-$i.key_secret"
done
EP="ipc://$T"
jh() {
    "$BIN/junheng" --key "$K/admin.key_secret" --server-key "$K/server.key" --submit-endpoint "$EP/submit" \
        --publish-endpoint "$EP/publish" --snapshot-endpoint "$EP/snapshot" --admin-endpoint "$EP/admin" "$@"
}
daemon_start() {
    "$BIN/junhengd" --database "" --secret_key_file "$K/server.key_secret" --admin_public_keys "$K/admin.key" \
        --submit_endpoint "$EP/submit" --publish_endpoint "$EP/publish" --snapshot_endpoint "$EP/snapshot" \
        --admin_endpoint "$EP/admin" --migrations_dir "$SRC/migrations" \
        --rules_file "$SRC/deploy/rules/national-2017.conf" "${DAEMON_OPTS[@]}" >>"$T/daemon.log" 2>&1 &
    DPID=$!
}
daemon_stop() {
    kill -TERM "$DPID"
    wait "$DPID" || true
    DPID=""
}
ready() { "$LOAD" ready --admin "$EP/admin" --key "$K/admin.key_secret" --server-key "$K/server.key" "$@"; }

mkdir -p "$T/reg"
"$LOAD" registry "$T/reg" --schools "$SCHOOLS" --counties "$COUNTIES" >/dev/null
daemon_start
ready --since-ns "$(date +%s%N)" --timeout-ms 60000 >/dev/null
t0=$(date +%s%N)
jh admin import-counties "$T/reg/counties.csv" >/dev/null
for f in "$T/reg"/schools-*.csv; do
    jh --timeout 120000 admin import-schools "$f" >/dev/null
done
IMPORT_MS=$(ms_since "$t0")
for i in $(seq 1 "$CLIENTS"); do
    jh admin set-key admin "load-$i" "$K/load-$i.key" >/dev/null
done
say "registry: $(sql 'SELECT count(*) FROM schools') schools imported in $IMPORT_MS ms (admin import-schools)"

# --- 1. the baseline: COPY of the same rows into an identical table ------------
"$LOAD" copy "$T/copy.tsv" --period "$P1" --schools "$SCHOOLS" --counties "$COUNTIES"
sql "CREATE TABLE copy_baseline (LIKE submissions INCLUDING ALL)"
sql "ALTER TABLE copy_baseline ADD FOREIGN KEY (school_code) REFERENCES schools (school_code)"
sql "CHECKPOINT"
t0=$(date +%s%N)
psql -XAtq -v ON_ERROR_STOP=1 -c "\\copy copy_baseline (submission_id, school_code, period, payload, warnings) FROM '$T/copy.tsv'"
COPY_MS=$(ms_since "$t0")
COPY_ROWS=$(sql "SELECT count(*) FROM copy_baseline")
COPY_RATE=$((COPY_ROWS * 1000 / (COPY_MS > 0 ? COPY_MS : 1)))
sql "DROP TABLE copy_baseline"
rm -f "$T/copy.tsv"
say ""
say "1. COPY baseline: $COPY_ROWS rows in $COPY_MS ms = $COPY_RATE rows/s (one transaction, same rows, identical table)"

# --- 2. end to end ---------------------------------------------------------------
sql "CHECKPOINT"
"$LOAD" run --submit "$EP/submit" --publish "$EP/publish" --key "$LOAD_KEYS" --server-key "$K/server.key" \
    --schools "$SCHOOLS" --counties "$COUNTIES" --period "$P1" --clients "$CLIENTS" --window "$WINDOW" \
    --timeout-ms 300000 --label bulk | tee -a "$T/results.txt" | sed 's/^/   /' | grep -v RESULT
E2E_RATE=$(result e2e_rate bulk)
ACK_RATE=$(result acks_rate bulk)
say "2. junheng end to end: $(result n bulk) submissions acknowledged at $ACK_RATE/s ($(awk "BEGIN {printf \"%.2f\", $ACK_RATE / $COPY_RATE}") x COPY);"
say "   every county republished after $(result e2e_s bulk) s: $E2E_RATE/s = $(awk "BEGIN {printf \"%.2f\", $E2E_RATE / $COPY_RATE}") x COPY"

# --- 3, 4. latency at the offered rate --------------------------------------------
"$LOAD" run --submit "$EP/submit" --publish "$EP/publish" --key "$LOAD_KEYS" --server-key "$K/server.key" \
    --schools "$SCHOOLS" --counties "$COUNTIES" --period "$P2" --first 0 --count "$LAT_COUNT" --rate "$RATE" \
    --clients "$CLIENTS" --window "$WINDOW" --timeout-ms 120000 --label rate | tee -a "$T/results.txt" |
    sed 's/^/   /' | grep -v RESULT
say "3. ack latency at $RATE/s offered: p50 $(result ack_p50_ms rate) ms, p99 $(result ack_p99_ms rate) ms, max $(result ack_max_ms rate) ms"
say "4. commit -> monitor at $RATE/s: p50 $(result pub_p50_ms rate) ms, p99 $(result pub_p99_ms rate) ms"

# --- 5. memory and restart ----------------------------------------------------------
HWM_RUN=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$DPID/status")
REVISIONS=$(sql "SELECT count(*) FROM submissions")
daemon_stop
t0=$(date +%s%N)
daemon_start
ready --since-ns "$t0" --timeout-ms 120000 | tee -a "$T/results.txt" >/dev/null
READY_MS=$(result ready_ms ready)
HWM_RESTART=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$DPID/status")
RSS_RESTART=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$DPID/status")
say "5. daemon peak RSS (VmHWM): $HWM_RUN MB after both runs; after a restart with $SCHOOLS schools and"
say "   $REVISIONS revisions: ready in $READY_MS ms, VmHWM $HWM_RESTART MB, VmRSS $RSS_RESTART MB"

# --- 6. one county update ----------------------------------------------------------
"$BIN/tests/county_bench" --schools 70 | tee -a "$T/results.txt" | sed 's/^/   /' | grep -v RESULT >"$T/county70.txt"
"$BIN/tests/county_bench" --schools 1000 | tee -a "$T/results.txt" >/dev/null
say "6. one county update (70 schools): incremental $(sed -n 's/.*label=county schools=70 update_us=\([^ ]*\).*/\1/p' "$T/results.txt") us," \
    "full recompute $(sed -n 's/.*label=county schools=70 .*assess_us=\([^ ]*\).*/\1/p' "$T/results.txt") us" \
    "($(sed -n 's/.*label=county schools=70 .*ratio=\([^ ]*\).*/\1/p' "$T/results.txt")x);" \
    "1000 schools: $(sed -n 's/.*label=county schools=1000 .*ratio=\([^ ]*\).*/\1/p' "$T/results.txt")x"
cat "$T/county70.txt"

say ""
say "BENCH copy_rate=$COPY_RATE ack_rate=$ACK_RATE e2e_rate=$E2E_RATE e2e_s=$(result e2e_s bulk)" \
    "ack_ratio=$(awk "BEGIN {printf \"%.3f\", $ACK_RATE / $COPY_RATE}") e2e_ratio=$(awk "BEGIN {printf \"%.3f\", $E2E_RATE / $COPY_RATE}")" \
    "rate_ack_p50_ms=$(result ack_p50_ms rate) rate_ack_p99_ms=$(result ack_p99_ms rate)" \
    "rate_pub_p50_ms=$(result pub_p50_ms rate) rate_pub_p99_ms=$(result pub_p99_ms rate)" \
    "hwm_mb=$HWM_RUN restart_hwm_mb=$HWM_RESTART ready_ms=$READY_MS import_ms=$IMPORT_MS" \
    "update_us=$(sed -n 's/.*label=county schools=70 update_us=\([^ ]*\).*/\1/p' "$T/results.txt")" \
    "assess_us=$(sed -n 's/.*label=county schools=70 .*assess_us=\([^ ]*\).*/\1/p' "$T/results.txt")"
