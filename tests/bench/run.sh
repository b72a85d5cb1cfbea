#!/usr/bin/env bash
# run.sh -- the national-scale benchmark of docs/benchmarks.md: one command,
# one run, every figure measured on the same PostgreSQL (deploy/pg.sh, fsync
# and synchronous_commit on, checked with SHOW).
#
#   tests/bench/run.sh [--build DIR] [--clients K] [--window W] [--rate R]
#                      [--rate-count N] [--bulk-window MS] [--schools N]
#                      [--counties N] [--keep] [-- DAEMON_OPTIONS...]
#
# Prints, in order:
#   1. the baseline: COPY of the run's 200,000 submission rows into an identical table
#   2. junheng end to end: all of them acknowledged (committed) and every county
#      republished with its final count; the rate and its ratio to COPY
#      (publication coalesced over --bulk-window ms, default 1000)
#   3. acknowledgement latency at an offered R submissions/s (default 2,000),
#      daemon defaults (publication window 50 ms)
#   4. commit -> monitor latency in the same run
#   5. the daemon's peak resident memory (VmHWM), and restart-to-ready with
#      every school and submission in the database
#   6. one county update, incremental against a full recompute
#   7. the ingest path alone (publication deferred): acknowledgement rate and
#      latency at R/s, to separate what ingest costs from what publication costs
# then one `BENCH key=value ...` line with every figure, for scripts.
#
# Everything runs under a temporary folder (removed at the end unless --keep):
# its own PostgreSQL cluster, CURVE keys and ipc:// endpoints. About 5 minutes
# on 2 cores. Build first:
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-bench -j2
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${JUNHENG_BIN:-$SRC/build-bench}
CLIENTS=8
WINDOW=256
RATE=2000
RATE_COUNT=20000
BULK_WINDOW=1000
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
    --rate-count) RATE_COUNT=$2; shift 2 ;;
    --bulk-window) BULK_WINDOW=$2; shift 2 ;;
    --schools) SCHOOLS=$2; shift 2 ;;
    --counties) COUNTIES=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --) shift; DAEMON_OPTS=("$@"); break ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for b in junhengd junheng tests/junheng-load tests/county_bench tests/memory_bench; do
    [ -x "$BIN/$b" ] || { echo "run.sh: $BIN/$b missing; build first (see --help)" >&2; exit 2; }
done
LOAD="$BIN/tests/junheng-load"
# Each school submits at most once per school year and run, which lets the
# monitor match every commit to the publication that first counts it: the
# end-to-end run uses last year, the latency run this year, the ingest-only
# runs the year before last.
YEAR=$(date +%Y)
P1=$((YEAR - 1))
P2=$YEAR
P0=$((YEAR - 2))

source "$SRC/tests/bench/bench_lib.sh"
bench_start jh-bench
say() { printf '%s\n' "$*"; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# result KEY LABEL: the value of KEY in the last RESULT line tagged LABEL
result() { grep "^RESULT label=$2 " "$T/results.txt" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
ratio() { awk "BEGIN {printf \"%.3f\", $1 / $2}"; }
vm() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$DPID/status"; }
# CPU time (clock ticks, user + system) of a process, and of the whole cluster
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {
    local master s p
    master=$(head -n 1 "$T/pg/data/postmaster.pid")
    s=$(cpu_of "$master")
    for p in $(pgrep -P "$master"); do s=$((s + $(cpu_of "$p"))); done
    echo "$s"
}
# busy and idle ticks of the machine (/proc/stat)
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; }
: >"$T/results.txt"

say "junheng national-scale benchmark: $SCHOOLS schools in $COUNTIES counties"
say "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)," \
    "$(free -g | awk '/Mem:/ {print $2}') GB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- PostgreSQL ----------------------------------------------------------------
bench_pg_start
sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
FSYNC=$(sql "SHOW fsync")
SYNC=$(sql "SHOW synchronous_commit")
say "PostgreSQL $(sql 'SHOW server_version'): fsync=$FSYNC synchronous_commit=$SYNC"
if [ "$FSYNC" != on ] || [ "$SYNC" != on ]; then
    say "run.sh: fsync and synchronous_commit must be on" >&2
    exit 1
fi

# --- keys, registry, daemon ----------------------------------------------------
bench_keys
LOAD_KEYS=""
for i in $(seq 1 "$CLIENTS"); do
    "$BIN/junheng" keygen "$K/load-$i" >/dev/null
    LOAD_KEYS="$LOAD_KEYS${LOAD_KEYS:+,}$K/load-$i.key_secret"
done
ready() { "$LOAD" ready --admin "$EP/admin" --key "$K/admin.key_secret" --server-key "$K/server.key" "$@"; }
# load LABEL ARGS...: one junheng-load run on the synthetic registry
load() {
    local label=$1
    shift
    "$LOAD" run --submit "$EP/submit" --key "$LOAD_KEYS" --server-key "$K/server.key" --schools "$SCHOOLS" \
        --counties "$COUNTIES" --clients "$CLIENTS" --window "$WINDOW" --timeout-ms 300000 --label "$label" "$@" |
        tee -a "$T/results.txt" | grep -v '^RESULT' | sed 's/^/   /'
}

mkdir -p "$T/reg"
"$LOAD" registry "$T/reg" --schools "$SCHOOLS" --counties "$COUNTIES" >/dev/null
daemon_start --publish_interval_ms "$BULK_WINDOW"
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
say "registry: $(sql 'SELECT count(*) FROM schools') schools imported in $IMPORT_MS ms (admin import-schools," \
    "$(ls "$T/reg"/schools-*.csv | wc -l) files)"

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
say "1. COPY baseline: $COPY_ROWS rows in $COPY_MS ms = $COPY_RATE rows/s (one transaction, identical table)"

# --- 2. end to end ---------------------------------------------------------------
sql "CHECKPOINT"
say "2. junheng end to end (publication window $BULK_WINDOW ms):"
load bulk --publish "$EP/publish" --snapshot "$EP/snapshot" --period "$P1"
E2E_RATE=$(result e2e_rate bulk)
ACK_RATE=$(result acks_rate bulk)
HWM_BULK=$(vm VmHWM)
say "   => $(result n bulk) acknowledged at $ACK_RATE/s ($(ratio "$ACK_RATE" "$COPY_RATE") x COPY); every county" \
    "republished after $(result e2e_s bulk) s: $E2E_RATE/s = $(ratio "$E2E_RATE" "$COPY_RATE") x COPY"

# --- 5. restart --------------------------------------------------------------------
REVISIONS=$(sql "SELECT count(*) FROM submissions")
daemon_stop
t0=$(date +%s%N)
daemon_start
ready --since-ns "$t0" --timeout-ms 120000 >>"$T/results.txt"
READY_MS=$(result ready_ms ready)
RSS_RESTART=$(vm VmRSS)

# --- 3, 4. latency at the offered rate, daemon defaults ----------------------------
say "3, 4. latency at $RATE/s offered (daemon defaults):"
load rate --publish "$EP/publish" --snapshot "$EP/snapshot" --period "$P2" --first 0 --count "$RATE_COUNT" --rate "$RATE"
HWM_ALL=$(vm VmHWM)
say "   => ack p50 $(result ack_p50_ms rate) ms, p99 $(result ack_p99_ms rate) ms;" \
    "commit -> monitor p50 $(result pub_p50_ms rate) ms, p99 $(result pub_p99_ms rate) ms"
say "5. daemon peak RSS (VmHWM): $HWM_BULK MB after the end-to-end run; restart with $SCHOOLS schools and" \
    "$REVISIONS revisions ready in $READY_MS ms, then $RSS_RESTART MB resident"
"$BIN/tests/memory_bench" --schools "$SCHOOLS" --counties "$COUNTIES" | tee -a "$T/results.txt" |
    grep -v '^RESULT' | sed 's/^/   /'

# --- 6. one county update ----------------------------------------------------------
say "6. one county update:"
"$BIN/tests/county_bench" --schools 70 | tee -a "$T/results.txt" | grep -v '^RESULT' | sed 's/^/   /'
"$BIN/tests/county_bench" --schools 1000 | sed 's/^RESULT label=county /RESULT label=county1000 /' |
    tee -a "$T/results.txt" | grep -v '^RESULT' | sed 's/^/   /'

# --- 7. the ingest path alone --------------------------------------------------------
daemon_stop
daemon_start --publish_interval_ms 60000
ready --since-ns "$(date +%s%N)" --timeout-ms 120000 >/dev/null
say "7. the ingest path alone (publication deferred 60 s):"
load ingest_rate --period "$P0" --first 0 --count "$RATE_COUNT" --rate "$RATE"
D0=$(cpu_of "$DPID"); G0=$(pg_cpu); read -r B0 I0 < <(machine_ticks)
load ingest --period "$P0" --first "$RATE_COUNT"
D1=$(cpu_of "$DPID"); G1=$(pg_cpu); read -r B1 I1 < <(machine_ticks)
TCK=$(getconf CLK_TCK)
N_INGEST=$(result n ingest)
CPU_DAEMON=$(awk "BEGIN {printf \"%.1f\", ($D1 - $D0) / $TCK / $N_INGEST * 1e6}")
CPU_PG=$(awk "BEGIN {printf \"%.1f\", ($G1 - $G0) / $TCK / $N_INGEST * 1e6}")
BUSY=$(awk "BEGIN {printf \"%.0f\", ($B1 - $B0) * 100 / ($B1 - $B0 + $I1 - $I0)}")
say "   CPU per submission: daemon $CPU_DAEMON us (all its threads), PostgreSQL $CPU_PG us (every backend);" \
    "both cores $BUSY % busy (the rest: the load generator, CURVE, the kernel)"
say "   => acknowledged at $(result acks_rate ingest)/s = $(ratio "$(result acks_rate ingest)" "$COPY_RATE") x COPY;" \
    "ack p99 at $RATE/s: $(result ack_p99_ms ingest_rate) ms ($(result ack_warm_p99_ms ingest_rate) ms after the first second)"
kill -KILL "$DPID" 2>/dev/null || true   # nothing to keep: skip its final publication round
wait "$DPID" 2>/dev/null || true
DPID=""

say ""
say "BENCH copy_rate=$COPY_RATE ack_rate=$ACK_RATE e2e_rate=$E2E_RATE e2e_s=$(result e2e_s bulk)" \
    "ack_ratio=$(ratio "$ACK_RATE" "$COPY_RATE") e2e_ratio=$(ratio "$E2E_RATE" "$COPY_RATE")" \
    "bulk_publications=$(result publications bulk)" \
    "rate_ack_p50_ms=$(result ack_p50_ms rate) rate_ack_p99_ms=$(result ack_p99_ms rate)" \
    "rate_pub_p50_ms=$(result pub_p50_ms rate) rate_pub_p99_ms=$(result pub_p99_ms rate)" \
    "hwm_bulk_mb=$HWM_BULK hwm_all_mb=$HWM_ALL restart_rss_mb=$RSS_RESTART ready_ms=$READY_MS" \
    "import_ms=$IMPORT_MS update_us=$(result update_us county) assess_us=$(result assess_us county)" \
    "render_us=$(result render_us county) ingest_rate=$(result acks_rate ingest)" \
    "ingest_ratio=$(ratio "$(result acks_rate ingest)" "$COPY_RATE")" \
    "ingest_ack_p99_ms=$(result ack_p99_ms ingest_rate) ingest_ack_p50_ms=$(result ack_p50_ms ingest_rate)" \
    "ingest_ack_warm_p99_ms=$(result ack_warm_p99_ms ingest_rate) rate_ack_warm_p99_ms=$(result ack_warm_p99_ms rate)" \
    "ingest_cpu_daemon_us=$CPU_DAEMON ingest_cpu_pg_us=$CPU_PG ingest_busy_pct=$BUSY"
