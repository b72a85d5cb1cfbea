#!/usr/bin/env bash
# junheng-web in a real browser (tests/browser/web_test.cjs: Debian's
# chromium driven by playwright-core): the city page lists every county; a
# submission sent from the CLI changes the county's row within 2 s without a
# reload; killing the daemon shows the resync banner and greys the rows,
# restarting it brings the fresh state; the county and school pages render
# (with the city's plan beside the measured figures, and the cheapest path
# computed on a button press);
# a county outside the scope is refused; without a session the pages lead to
# /login, wrong passwords are refused then rate-limited, a login without the
# form's CSRF token is refused. Screenshots go to $JUNHENG_WEB_SHOTS (docs/
# when refreshing them), else this test's temporary folder.
#
# The city, county and school pages run on a gateway in --dev-open mode (the
# gateway's own monitor key): the daemon's web users (SessionRequest) are
# not on this branch yet; a second gateway requires a login.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || fail "node not installed (deploy/install-deps.sh installs it)"
command -v npm >/dev/null || fail "npm not installed (deploy/install-deps.sh installs it)"
[ -x /usr/bin/chromium ] || fail "chromium not installed (deploy/install-deps.sh installs it)"
[ -x "$BIN/junheng-web" ] || fail "no $BIN/junheng-web"

# playwright-core from the lock file, installed once per build folder.
NODE_DIR="$BIN/tests/browser-node"
if ! cmp -s "$SRC/tests/browser/package-lock.json" "$NODE_DIR/package-lock.json" 2>/dev/null ||
    [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
    mkdir -p "$NODE_DIR"
    cp "$SRC/tests/browser/package.json" "$SRC/tests/browser/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 ||
        { cat "$T/npm.log"; fail "npm ci in $NODE_DIR"; }
fi

pg_start
daemon_start
load_demo_registry
D="$SRC/deploy/demo-data/submissions-2025.csv"
# Two schools of 371425 (齐河县) held back: one sent while the page watches,
# one after the daemon's restart.
mapfile -t held < <(grep -E "^213725" "$D" | head -n 2)
[ ${#held[@]} = 2 ] || fail "the demo data has no schools of 371425"
grep -vxF -e "${held[0]}" -e "${held[1]}" "$D" >"$T/initial.csv"
{ head -n 1 "$D"; echo "${held[0]}"; } >"$T/one.csv"
{ head -n 1 "$D"; echo "${held[1]}"; } >"$T/two.csv"
jh submit "$T/initial.csv" >/dev/null || fail "submit"
# Dezhou's plan: the city page's plan column, the county page's plan section.
jh admin import-plan "$SRC/deploy/demo-data/dezhou-plan.csv" >/dev/null || fail "import-plan"

key_new web
key_set monitor 3714 web
WEB_PIDS=()
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P_OPEN=$(free_port)
P_LOGIN=$(free_port)
web_start() { # PORT LOG ARGS...
    local port=$1 log=$2
    shift 2
    "$BIN/junheng-web" --listen "127.0.0.1:$port" --key "$KEYS/web.key_secret" --server-key "$KEYS/server.key" \
        --publish-endpoint "$EP_PUBLISH" --snapshot-endpoint "$EP_SNAPSHOT" --admin-endpoint "$EP_ADMIN" \
        --watch 3714 "$@" >"$T/$log" 2>&1 &
    WEB_PIDS+=($!)
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
        sleep 0.1
    done
    cat "$T/$log"
    fail "junheng-web did not answer on port $port"
}
web_start "$P_OPEN" web-open.log --dev-open
web_start "$P_LOGIN" web-login.log
echo "ok - two gateways up (one --dev-open, one with logins)"

SHOTS=${JUNHENG_WEB_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
coproc NODE { NODE_PATH="$NODE_DIR/node_modules" exec node "$SRC/tests/browser/web_test.cjs" \
    "http://127.0.0.1:$P_OPEN" "http://127.0.0.1:$P_LOGIN" 12 "$SHOTS" 2>&1; }
result=""
while IFS= read -r -t 120 line <&"${NODE[0]}"; do
    echo "$line"
    case $line in
    "STEP submit") jh submit "$T/one.csv" >/dev/null || fail "submit one school" ;;
    "STEP kill")
        kill -KILL "$DPID"
        wait "$DPID" 2>/dev/null || true
        DPID=""
        ;;
    "STEP restart")
        daemon_start
        jh submit "$T/two.csv" >/dev/null || fail "submit after the restart"
        ;;
    DONE) result=done; break ;;
    FAIL*) result=fail; break ;;
    *) continue ;;
    esac
    echo done >&"${NODE[1]}"
done
[ "$result" = done ] || { tail -n 5 "$T"/web-open.log; fail "the browser test did not finish"; }
for p in "${WEB_PIDS[@]}"; do
    kill -TERM "$p"
    rc=0
    wait "$p" || rc=$?
    [ $rc = 0 ] || fail "junheng-web exited $rc on SIGTERM"
done
echo "ok - the gateways stop cleanly on SIGTERM (their event streams end)"
daemon_stop || fail "junhengd did not stop cleanly"
