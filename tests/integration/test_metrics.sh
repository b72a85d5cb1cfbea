#!/usr/bin/env bash
# /metrics and /healthz on metrics_listen (a free 127.0.0.1 port): the
# exposition parses (every sample line `name{labels} value`, every family
# with HELP and TYPE), the counters move by exactly what was sent (school
# submissions accepted / duplicate / refused, a county's inputs accepted,
# requests by socket and role, the latency and group histograms), /healthz
# is 200 "ready", turns 503 with the reason while PostgreSQL is stopped and
# 200 again once it is back; any other path is 404.
source "$(dirname "$0")/lib.sh"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
rc=0
"$BIN/junhengd" --allow_plaintext yes --metrics_listen localhost:9464 --check-config >/dev/null 2>"$T/bad" || rc=$?
check_eq "$rc" "2" "metrics_listen with a host name: a configuration error"
check_contains "$T/bad" "metrics_listen: 'localhost:9464': the host must be a numeric address" "naming the key"
pg_start
daemon_start --metrics_listen "127.0.0.1:$PORT" --reconnect_ms 250 --publish_interval_ms 0
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
uuid() { cat /proc/sys/kernel/random/uuid; }
scrape() { curl -sS --max-time 5 -o "$T/$1" -w '%{http_code} %{content_type}' "$URL/metrics"; }
# value FILE NAME [LABELS]: the sample's value (0 when absent)
value() {
    local k=$2
    [ -z "${3:-}" ] || k="$2{$3}"
    awk -v k="$k" '$1 == k { v = $2 } END { print v + 0 }' "$T/$1"
}
delta() { echo $(($(value m1 "$1" "${2:-}") - $(value m0 "$1" "${2:-}"))); }

check_eq "$(scrape m0)" "200 text/plain; version=0.0.4; charset=utf-8" "GET /metrics: 200, Prometheus text 0.0.4"

# --- what is sent: 3 accepted, 1 duplicate, 1 refused; one county's inputs -------
ID=$(uuid)
for row in 0 1 2; do
    read -r st _ < <(probe submit "$EP_SUBMIT" "$CSV" "$row" "$([ "$row" = 0 ] && echo "$ID" || uuid)")
    check_eq "$st" "accepted" "submission $row accepted"
done
read -r st _ < <(probe submit "$EP_SUBMIT" "$CSV" 0 "$ID")
check_eq "$st" "duplicate" "a resend is a duplicate"
probe garbage "$EP_SUBMIT" >"$T/g" || true
check_contains "$T/g" "refused" "garbage refused"
key_new county
key_set county 371402 county
printf '2.8|teacher_avg_pay_yuan|98500|县人社局2025年工资统计表\n' >"$T/one.rows"
read -r st _ < <(probe_as county county "$EP_SUBMIT" 371402 2025 "$(uuid)" "$T/one.rows")
check_eq "$st" "accepted" "a county's inputs accepted"
check_eq "$(scrape m1)" "200 text/plain; version=0.0.4; charset=utf-8" "second scrape"

check_eq "$(delta junheng_submissions_total 'outcome="accepted"')" "3" "submissions accepted +3"
check_eq "$(delta junheng_submissions_total 'outcome="duplicate"')" "1" "submissions duplicate +1"
check_eq "$(delta junheng_submissions_total 'outcome="refused"')" "1" "submissions refused +1"
check_eq "$(delta junheng_submissions_total 'outcome="retry_later"')" "0" "submissions retry_later +0"
check_eq "$(delta junheng_county_inputs_total 'outcome="accepted"')" "1" "county inputs accepted +1"
check_eq "$(delta junheng_county_inputs_total 'outcome="refused"')" "0" "county inputs refused +0"
check_eq "$(delta junheng_requests_total 'socket="submit",role="admin"')" "5" "submit requests by the admin key +5"
check_eq "$(delta junheng_requests_total 'socket="submit",role="county"')" "1" "submit requests by the county key +1"
check_eq "$(delta junheng_ack_latency_seconds_count)" "6" "six acknowledgements timed"
check_eq "$(delta junheng_ack_latency_seconds_bucket 'le="+Inf"')" "6" "the +Inf bucket is the count"
[ "$(delta junheng_group_size_sum)" -ge 6 ] || fail "group sizes sum to the six messages"
echo "ok - group sizes cover the six messages"
[ "$(delta junheng_group_commit_seconds_count)" -ge 1 ] || fail "group commits timed"
echo "ok - group commit time measured"
[ "$(delta junheng_publications_total)" -ge 1 ] || fail "publications counted"
echo "ok - publications counted"
check_eq "$(value m1 junheng_database_up 'connection="main"')" "1" "main connection up"
check_eq "$(value m1 junheng_database_up 'connection="commit"')" "1" "commit connection up"
check_eq "$(value m1 junheng_ready)" "1" "junheng_ready 1"
grep -q '^junheng_build_info{version="0.1.0",' "$T/m1" || fail "build info with the version"
echo "ok - build info"

# --- the format ------------------------------------------------------------------
bad=$(grep -v '^#' "$T/m1" |
    grep -Evc '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9][0-9.e+-]*$' || true)
check_eq "$bad" "0" "every sample line is name{labels} value"
awk '/^# TYPE/ { type[$3] = $4 } /^# HELP/ { help[$3] = 1 }
     !/^#/ { n = $1; sub(/\{.*/, "", n); f = n
             if (!(f in type)) { sub(/_(bucket|sum|count)$/, "", f); if (type[f] != "histogram") f = n }
             if (!(f in type) || !(f in help)) { print "no HELP/TYPE for " n; bad = 1 } }
     END { exit bad }' "$T/m1" || fail "a sample without its family's HELP and TYPE"
echo "ok - every sample has its family's HELP and TYPE"
awk '/^# TYPE .* counter$/ && $3 !~ /_total$/ { print; bad = 1 } END { exit bad }' "$T/m1" ||
    fail "a counter not named _total"
echo "ok - counters end in _total"

# --- subscribers: one monitor connected, then gone -----------------------------------
# wait_value FILE NAME WANT: scrapes until NAME is WANT (5 s at most); prints it
wait_value() {
    local v=""
    for _ in $(seq 1 50); do
        scrape "$1" >/dev/null
        v=$(value "$1" "$2")
        [ "$v" = "$3" ] && break
        sleep 0.1
    done
    echo "$v"
}
check_eq "$(value m1 junheng_subscribers)" "0" "no subscriber yet"
probe subscribe "$EP_PUBLISH" 3714 3000 >/dev/null &
SUB=$!
check_eq "$(wait_value m4 junheng_subscribers 1)" "1" "a monitor connected: one subscriber"
# the connection is counted when it is accepted, its subscription when the message arrives: wait for both
for _ in $(seq 1 50); do
    scrape m4 >/dev/null
    [ "$(value m4 junheng_subscriptions)" -ge 1 ] && break
    sleep 0.1
done
[ "$(value m4 junheng_subscriptions)" -ge 1 ] || fail "its subscription counted"
echo "ok - its subscription counted ($(value m4 junheng_subscriptions))"
wait $SUB
check_eq "$(wait_value m5 junheng_subscribers 0)" "0" "the monitor gone: no subscriber"
check_eq "$(wait_value m5 junheng_subscriptions 0)" "0" "and no subscription left"

# --- /healthz and the other paths --------------------------------------------------
health() { curl -sS --max-time 5 -o "$T/h" -w '%{http_code}' "$URL/healthz"; }
check_eq "$(health) $(cat "$T/h")" "200 ready" "/healthz: 200 ready"
check_eq "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "$URL/nothing")" "404" "another path: 404"
check_eq "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -X POST "$URL/metrics")" "405" "POST /metrics: 405"

pg_stop
code=""
for _ in $(seq 1 100); do
    code=$(health)
    [ "$code" = 503 ] && break
    sleep 0.1
done
check_eq "$code" "503" "/healthz: 503 while PostgreSQL is stopped"
# the first to notice: a connection found down, or the lock's session lost with the server
grep -qE "not ready: (database down|the active daemon's lock was lost)" "$T/h" || { cat "$T/h"; fail "503 without why"; }
echo "ok - and says why: $(head -c 80 "$T/h")"
# the main connection is found down within reconnect_ms of the stop
for _ in $(seq 1 100); do
    scrape m2 >/dev/null
    [ "$(value m2 junheng_database_up 'connection="main"')" = 0 ] && break
    sleep 0.1
done
check_eq "$(value m2 junheng_database_up 'connection="main"')" "0" "junheng_database_up main 0"
check_eq "$(value m2 junheng_ready)" "0" "junheng_ready 0"
"$SRC/deploy/pg.sh" start "$T/pg" "$PGPORT" >/dev/null
for _ in $(seq 1 150); do
    code=$(health)
    [ "$code" = 200 ] && break
    sleep 0.1
done
check_eq "$code $(cat "$T/h")" "200 ready" "/healthz: 200 ready again once PostgreSQL is back"
scrape m3 >/dev/null
[ "$(value m3 junheng_database_reconnects_total 'connection="main"')" -ge 1 ] || fail "the main reconnection counted"
echo "ok - reconnections counted"
read -r st _ < <(probe submit "$EP_SUBMIT" "$CSV" 3 "$(uuid)")
check_eq "$st" "accepted" "submissions accepted again"
daemon_stop || fail "junhengd exited non-zero"
