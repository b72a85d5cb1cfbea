#!/usr/bin/env bash
# web.sh -- the browser gateway under load (docs/benchmarks.md "Web
# gateway", docs/web.md): one junhengd with its own PostgreSQL (tests/
# integration/lib.sh), one junheng-web on 127.0.0.1 watching the whole
# country, a monitor of one city of 12 counties logged in through its form,
# N live /events streams of that session (tests/bench/web_bench), and a
# national-shaped submission load (junheng-load, open loop, 372 counties).
#
#   tests/bench/web.sh [--build DIR] [--streams N] [--seconds S] [--requests Q]
#
# The registry: 372 counties (31 cities of 12), 10 schools each; a phase is
# every school once, spread over the country, at 3,720/S a second (S = 20:
# 186/s). Phase 1 (the baseline, same run): 1 stream. Phase 2: N streams
# (default 1000).
# For each it prints the latency from each commit (its acknowledgement,
# junheng-load --trace) to the first event showing it on each stream, and
# from the daemon's publication (published_at_ms) to the moment a stream
# read the event (p50/p99/max over every event of every stream), the events
# lost (must be 0), the load's own commit -> monitor latency (a direct
# ZeroMQ subscriber, the reference), the gateway's peak RSS (VmHWM),
# threads and CPU (its feed's thread, and all), and the hub's counters
# (/healthz). Then Q (default 200) requests of /api/city, /api/county/CODE
# and / (the city page), one after another, idle and while phase 2's load
# and streams run, against /healthz, and /api/city against its 50 ms
# target. Ends with a BENCH line; exits 1 when an event was lost, a stream
# resynced or closed, or a commit never shown.
# Several minutes. Build first (a RelWithDebInfo build, e.g. build-bench).
set -euo pipefail
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${JUNHENG_BIN:-$SRC_DIR/build-bench}
STREAMS=1000
SECONDS_LOAD=20
REQUESTS=200
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --streams) STREAMS=$2; shift 2 ;;
    --seconds) SECONDS_LOAD=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "web.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
BUILD=$(cd "$BUILD" && pwd)
for b in junhengd junheng junheng-web tests/junheng-load tests/web_bench; do
    [ -x "$BUILD/$b" ] || { echo "web.sh: $BUILD/$b missing; build first (see --help)" >&2; exit 2; }
done
export JUNHENG_BIN=$BUILD
source "$SRC_DIR/tests/integration/lib.sh"
WB="$BIN/tests/web_bench"
LOAD="$BIN/tests/junheng-load"
SIZE=(--schools 3720 --counties 372) # 31 provinces x 1 city x 12 counties, 10 schools each
RATE=$((3720 / SECONDS_LOAD))
YEAR=$(date +%Y)

echo "junheng web gateway benchmark: $STREAMS streams, 3,720 submissions at $RATE/s"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
pg_start
daemon_start
registry_synth "${SIZE[@]}"
key_new load1
key_set admin load1 load1
key_new web
key_set admin web web
KEYARGS=(--key "$KEYS/load1.key_secret" --server-key "$KEYS/server.key")
CITY=$(awk -F, 'NR == 2 {print substr($1, 1, 4)}' "$T/reg/counties.csv")
COUNTY=$(awk -F, 'NR == 2 {print $1}' "$T/reg/counties.csv")
# The city's schools come first (the registry is grouped by county): they
# submit once (school year N-2, closed loop) so that its pages have data.
CITY_SCHOOLS=$(cat "$T/reg"/schools-*.csv | awk -F, -v c="$CITY" 'substr($3, 1, 4) == c' | wc -l)
"$LOAD" run --submit "$EP_SUBMIT" "${KEYARGS[@]}" "${SIZE[@]}" --period $((YEAR - 2)) --count "$CITY_SCHOOLS" \
    --clients 2 --window 32 --timeout-ms 120000 --label city >"$T/load-city.out" ||
    { cat "$T/load-city.out"; fail "junheng-load (the city)"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web_start() { # PORT LOG WATCH -> WEB_PID (a child of this shell: lib.sh's cleanup stops it)
    "$BIN/junheng-web" --listen "127.0.0.1:$1" --key "$KEYS/web.key_secret" --server-key "$KEYS/server.key" \
        --publish-endpoint "$EP_PUBLISH" --snapshot-endpoint "$EP_SNAPSHOT" --admin-endpoint "$EP_ADMIN" \
        --watch "$3" >"$T/$2" 2>&1 &
    WEB_PID=$!
}
wait_web() { # PORT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
        sleep 0.1
    done
    fail "junheng-web did not answer on port $1"
}
P_WEB=$(free_port)
web_start "$P_WEB" web.log all
WEB=$WEB_PID
wait_web "$P_WEB"
# A monitor of the city logs in through the form (its CSRF token is the
# jh_login cookie's value); every stream and page uses that one session.
PASS="bench-pass-$$-$RANDOM"
# (on a loaded machine the client may resend the request after the daemon
# took it: "exists" then means the first one was done)
jh admin add-user bench --role monitor --scope "$CITY" --password-stdin <<<"$PASS" >/dev/null 2>"$T/add-user.err" ||
    grep -q "exists" "$T/add-user.err" || { cat "$T/add-user.err"; fail "add-user"; }
# (up to three tries: on a loaded machine the daemon may answer after the
# gateway's timeout)
for try in 1 2 3; do
    curl -sf -c "$T/jar" "http://127.0.0.1:$P_WEB/login" >/dev/null
    CSRF=$(awk '$6 == "jh_login" {print $7}' "$T/jar")
    curl -sf -b "$T/jar" -c "$T/jar" --data-urlencode "user=bench" --data-urlencode "password=$PASS" \
        --data-urlencode "csrf=$CSRF" "http://127.0.0.1:$P_WEB/login" >/dev/null && break
    [ "$try" -lt 3 ] || fail "login"
    sleep 2
done
SESSION=$(awk '$6 == "jh_session" {print $7}' "$T/jar")
[ -n "$SESSION" ] || fail "no session cookie after the login"
export WEB_BENCH_COOKIE="jh_session=$SESSION"
echo "registry: $(($(wc -l <"$T/reg/counties.csv") - 1)) counties, 3,720 schools; city page: $CITY" \
    "($(grep -c "^$CITY" "$T/reg/counties.csv") counties, $CITY_SCHOOLS schools submitted), county $COUNTY"

# gw_mem PID -> "rss_peak_kb threads"
gw_mem() { awk '/^VmHWM/ {h = $2} /^Threads/ {t = $2} END {print h, t}' "/proc/$1/status"; }
# gw_cpu PID -> "feed_ticks all_ticks": CPU (user+system, clock ticks) of the
# feed's thread (the main thread) and of the whole gateway
gw_cpu() { echo "$(awk '{print $14 + $15}' "/proc/$1/task/$1/stat") $(awk '{print $14 + $15}' "/proc/$1/stat")"; }
pages() { # LABEL: every page Q times, one after another
    local p
    for p in /healthz /api/city "/api/county/$COUNTY" /; do
        "$WB" get 127.0.0.1 "$P_WEB" "$p" "$REQUESTS" | sed "s/^RESULT /RESULT phase=$1 /"
    done
}
# phase LABEL STREAMS PERIOD: streams open, every school at RATE, streams read what follows.
phase() {
    local label=$1 n=$2 period=$3
    WEB_BENCH_TRACE="$T/trace-$label" "$WB" sse 127.0.0.1 "$P_WEB" "$n" >"$T/sse-$label.out" 2>"$T/sse-$label.err" &
    local sse=$!
    for _ in $(seq 1 1300); do
        grep -q '^ready' "$T/sse-$label.out" 2>/dev/null && break
        kill -0 $sse 2>/dev/null || { cat "$T/sse-$label.err"; fail "web_bench sse ($n streams) gave up"; }
        sleep 0.1
    done
    grep -q '^ready' "$T/sse-$label.out" || fail "$n streams did not join in 120 s"
    echo "== $label: $(head -n 1 "$T/sse-$label.out"); gateway (peak RSS kB, threads): $(gw_mem "$WEB")"
    "$LOAD" run --submit "$EP_SUBMIT" --publish "$EP_PUBLISH" "${KEYARGS[@]}" "${SIZE[@]}" --period "$period" \
        --rate "$RATE" --clients 2 --window 64 --timeout-ms 120000 --label "$label" --trace "$T/trace-$label" \
        >"$T/load-$label.out" &
    local load=$! cpu0 t0 pg=
    cpu0=$(gw_cpu "$WEB") t0=$(date +%s.%N)
    if [ "$label" = streams ]; then
        pages loaded >"$T/pages-loaded.out" &
        pg=$!
    fi
    # (junheng-load exits 1 when a county's final count was never seen by its
    # own subscriber; what matters here is that every submission was taken)
    wait $load || true
    grep -q "^RESULT label=$label n=3720 accepted=3720 refused=0 " "$T/load-$label.out" ||
        { cat "$T/load-$label.out"; fail "junheng-load ($label)"; }
    local mem cpu1 t1
    mem=$(gw_mem "$WEB") cpu1=$(gw_cpu "$WEB") t1=$(date +%s.%N)
    awk -v a="$cpu0" -v b="$cpu1" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        split(a, x, " "); split(b, y, " "); s = t1 - t0
        printf "   gateway CPU during the load (%.1f s): feed thread %.0f %%, all threads %.0f %% of a core\n",
            s, 100 * (y[1] - x[1]) / hz / s, 100 * (y[2] - x[2]) / hz / s }'
    echo "   hub: $(curl -s "http://127.0.0.1:$P_WEB/healthz")"
    [ -z "$pg" ] || wait $pg || fail "page requests during the load"
    # the last publications reach the gateway (every county of the city with
    # its final count in this period, at most 60 s), then the streams
    local waited=0
    until curl -s -b "$WEB_BENCH_COOKIE" "http://127.0.0.1:$P_WEB/api/city" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["counties"]
sys.exit(0 if rows and all(r["period"] == int(sys.argv[1]) and r["submitted"] == r["registered"] for r in rows) else 1)' "$period"; do
        [ $waited -lt 600 ] || break
        sleep 0.1
        waited=$((waited + 1))
    done
    echo "   the city's final counts reached the gateway $((waited / 10)).$((waited % 10)) s after the last acknowledgement"
    sleep 1
    kill -USR1 $sse
    wait $sse || { cat "$T/sse-$label.err"; fail "web_bench sse ($label)"; }
    grep -E 'commit -> monitor' "$T/load-$label.out" | sed 's/^ */   load: /'
    local r
    r=$(grep '^RESULT' "$T/sse-$label.out")
    echo "   publication -> stream: $r"
    echo "   gateway after the load: peak RSS ${mem% *} kB (now $(awk '/^VmRSS/ {print $2}' "/proc/$WEB/status") kB)," \
        "${mem#* } threads; its feed:" \
        "$(curl -s -b "$WEB_BENCH_COOKIE" "http://127.0.0.1:$P_WEB/api/city" |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')"
    echo "$r gw_rss_kb=${mem% *} gw_threads=${mem#* }" >"$T/r-$label"
}
pages idle >"$T/pages-idle.out"
phase baseline 1 $((YEAR - 1))
phase streams "$STREAMS" "$YEAR"
val() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
echo "== pages as the city's monitor ($REQUESTS each, one at a time, a new connection each; ms):" \
    "idle (1 stream, no load), and during the $STREAMS-stream load"
BENCH="streams=$STREAMS rate=$RATE seconds=$SECONDS_LOAD"
for p in /healthz /api/city "/api/county/$COUNTY" /; do
    i=$(grep " path=$p " "$T/pages-idle.out") l=$(grep " path=$p " "$T/pages-loaded.out")
    i50=$(echo "$i" | sed -n 's/.*p50_ms=\([^ ]*\).*/\1/p') i99=$(echo "$i" | sed -n 's/.*p99_ms=\([^ ]*\).*/\1/p')
    l50=$(echo "$l" | sed -n 's/.*p50_ms=\([^ ]*\).*/\1/p') l99=$(echo "$l" | sed -n 's/.*p99_ms=\([^ ]*\).*/\1/p')
    lmax=$(echo "$l" | sed -n 's/.*max_ms=\([^ ]*\).*/\1/p')
    printf '   %-20s idle p50 %6s p99 %6s   loaded p50 %6s p99 %6s max %6s  (loaded/idle p99 %s; %s bytes)\n' "$p" \
        "$i50" "$i99" "$l50" "$l99" "$lmax" "$(ratio "$l99" "$i99")" "$(echo "$l" | sed -n 's/.*bytes=\([^ ]*\).*/\1/p')"
    k=$(echo "$p" | sed 's|^/$|city_page|; s|/api/county/.*|api_county|; s|^/||; s|/|_|g')
    BENCH="$BENCH ${k}_idle_p99_ms=$i99 ${k}_loaded_p50_ms=$l50 ${k}_loaded_p99_ms=$l99"
done
c50=$(sed -n 's/.* path=\/api\/city .*p50_ms=\([^ ]*\).*/\1/p' "$T/pages-loaded.out")
c99=$(sed -n 's/.* path=\/api\/city .*p99_ms=\([^ ]*\).*/\1/p' "$T/pages-loaded.out")
echo "== /api/city of a city of 12 counties during the $STREAMS-stream load: p50 $c50 ms, p99 $c99 ms; target < 50 ms:" \
    "$(awk -v p="$c50" -v q="$c99" 'BEGIN {print (q < 50 ? "met at p99" : (p < 50 ? "met at p50, not at p99" : "missed"))}')"
b="$T/r-baseline" s="$T/r-streams"
echo "== commit -> browser event latency (each commit's acknowledgement to the first event showing it, on every" \
    "stream), $STREAMS streams against 1 (ms): p50 $(val "$s" commit_p50_ms) vs $(val "$b" commit_p50_ms)" \
    "($(ratio "$(val "$s" commit_p50_ms)" "$(val "$b" commit_p50_ms)") x), p99 $(val "$s" commit_p99_ms) vs" \
    "$(val "$b" commit_p99_ms) ($(ratio "$(val "$s" commit_p99_ms)" "$(val "$b" commit_p99_ms)") x), max" \
    "$(val "$s" commit_max_ms) vs $(val "$b" commit_max_ms); commits never shown $(val "$s" commit_unmatched) and" \
    "$(val "$b" commit_unmatched) (of $(val "$s" commit_timed) and $(val "$b" commit_timed) timed)"
echo "== publication -> stream latency, $STREAMS streams against 1 (ms):" \
    "p50 $(val "$s" p50_ms) vs $(val "$b" p50_ms) ($(ratio "$(val "$s" p50_ms)" "$(val "$b" p50_ms)") x)," \
    "p99 $(val "$s" p99_ms) vs $(val "$b" p99_ms) ($(ratio "$(val "$s" p99_ms)" "$(val "$b" p99_ms)") x)," \
    "max $(val "$s" max_ms) vs $(val "$b" max_ms); lost $(val "$s" lost) and $(val "$b" lost)," \
    "resyncs $(val "$s" resyncs) and $(val "$b" resyncs)"
echo "== gateway: peak RSS $(val "$s" gw_rss_kb) kB with $STREAMS streams vs $(val "$b" gw_rss_kb) kB with 1;" \
    "threads $(val "$s" gw_threads) vs $(val "$b" gw_threads); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
for x in b s; do
    f=${!x} k=$([ $x = b ] && echo one || echo many)
    for v in commit_p50_ms commit_p99_ms commit_max_ms commit_unmatched p50_ms p99_ms max_ms events lost resyncs \
        closed per_stream_min per_stream_max gw_rss_kb gw_threads; do
        BENCH="$BENCH ${k}_$v=$(val "$f" $v)"
    done
done
for x in baseline streams; do
    BENCH="$BENCH ${x}_commit_monitor_p50_ms=$(val "$T/load-$x.out" pub_p50_ms)"
    BENCH="$BENCH ${x}_commit_monitor_p99_ms=$(val "$T/load-$x.out" pub_p99_ms)"
done
echo "BENCH $BENCH"
bad=$(($(val "$s" lost) + $(val "$b" lost) + $(val "$s" resyncs) + $(val "$b" resyncs) + $(val "$s" closed) +
    $(val "$b" closed) + $(val "$s" commit_unmatched) + $(val "$b" commit_unmatched)))
[ "$bad" = 0 ] || fail "events lost, streams resynced or closed, or commits never shown: see above"
kill -TERM "$WEB"
wait "$WEB"
