#!/usr/bin/env bash
# whatif.sh -- the latency of `junheng whatif` (docs/whatif.md,
# docs/benchmarks.md "What-if"): one run, one daemon, its own PostgreSQL
# (deploy/pg.sh), CURVE keys and ipc:// endpoints under a temporary folder.
#
#   tests/bench/whatif.sh [--build DIR] [--requests R] [--keep]
#
# For a county of 100 schools and one of 1,000 (synthetic, tests/load/synth.h,
# every school submitted) it prints p50 and p99 of R requests (default 500)
# sent one at a time: a plain status query of the county (the baseline,
# measured in the same run), a what-if of one change, and a what-if with
# with_schools (what junheng plan asks), with the ratios to the baseline;
# then one `BENCH key=value ...` line. About half a minute. Build first:
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-bench -j2
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${JUNHENG_BIN:-$SRC/build-bench}
REQUESTS=500
KEEP=0
while [ $# -gt 0 ]; do
    case $1 in
    --build) BIN=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "whatif.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for b in junhengd junheng tests/whatif_bench; do
    [ -x "$BIN/$b" ] || { echo "whatif.sh: $BIN/$b missing; build first (see --help)" >&2; exit 2; }
done
source "$SRC/tests/bench/bench_lib.sh"
bench_start jh-whatif-bench

echo "junheng what-if benchmark: $REQUESTS requests of each kind, one at a time"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench_pg_start
bench_keys
export JUNHENG_KEY="$K/admin.key_secret" JUNHENG_SERVER_KEY="$K/server.key" # for whatif_bench
daemon_start --log_level debug
daemon_wait_ping || { echo "whatif.sh: junhengd did not answer ping within 10 s" >&2; exit 1; }
B="$BIN/tests/whatif_bench"
BENCH=""
for spec in 379801:100 379802:1000; do
    county=${spec%%:*} n=${spec##*:}
    mkdir -p "$T/reg-$county"
    "$B" prepare --county "$county" --schools "$n" --out "$T/reg-$county"
    jh admin import-counties "$T/reg-$county/counties.csv" >/dev/null
    jh admin import-schools "$T/reg-$county/schools.csv" >/dev/null
    "$B" submit --submit "$EP/submit" --county "$county" --schools "$n"
    sleep 1 # the last publication out of the way
    "$B" measure --snapshot "$EP/snapshot" --admin "$EP/admin" --county "$county" --schools "$n" \
        --requests "$REQUESTS" | tee "$T/m-$county.txt" | grep -v '^RESULT'
    # the daemon's own time per what-if (its debug log), without the transfer:
    # wall time, and the event loop's CPU time (what it costs whatever else runs)
    grep -o "whatif $county: 1 changes answered in [0-9.]* ms, [0-9]* bytes, cpu [0-9.]* ms" "$T/daemon.log" |
        awk '{print $7, $9, $12}' >"$T/d-$county.txt"
    pct() { cut -d' ' -f"$1" "$T/d-$county.txt" | sort -n | awk -v q="$2" '{a[NR] = $1} END {print a[int((NR - 1) * q) + 1]}'; }
    d50=$(pct 1 0.5) d99=$(pct 1 0.99) c50=$(pct 3 0.5) c99=$(pct 3 0.99)
    echo "  in the daemon, every what-if: wall p50 $d50 ms p99 $d99 ms; CPU p50 $c50 ms p99 $c99 ms;" \
        "answers $(pct 2 0)-$(pct 2 1) bytes"
    r="$(grep '^RESULT' "$T/m-$county.txt" | sed 's/^RESULT //') daemon_p50_ms=$d50 daemon_p99_ms=$d99"
    r="$r daemon_cpu_p50_ms=$c50 daemon_cpu_p99_ms=$c99"
    BENCH="$BENCH $(echo "$r" | tr ' ' '\n' | grep -v '^schools=' | sed "s/^/n${n}_/" | tr '\n' ' ')"
done
echo "BENCH$BENCH"
