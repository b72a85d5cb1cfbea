#!/usr/bin/env bash
# junheng-web in a real browser (tests/browser/web_test.cjs: Debian's
# chromium driven by playwright-core), every page behind a real login (the
# daemon's web users, SessionRequest): a city monitor logs in through the
# form and the city page lists every county; a submission sent from the CLI
# changes the county's row within 2 s without a reload; killing the daemon
# shows the resync banner and greys the rows, restarting it brings the fresh
# state (and ends the daemon's sessions: the monitor logs in again); the
# county page renders, with the city's plan beside the measured figures and
# the cheapest path computed on a button press; logout ends the session. A county user sees only its
# county and gets 403 for another county's page and JSON endpoint (and the
# daemon refuses that user's session for it too, asked directly through the
# CLI); a school user lands on its school's page. Without a session the pages
# lead to /login; wrong passwords are refused then rate-limited; a login
# without the form's CSRF token is refused. Screenshots go to
# $JUNHENG_WEB_SHOTS (docs/ when refreshing them), else this test's
# temporary folder.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || fail "node not installed (deploy/install-deps.sh installs it)"
command -v npm >/dev/null || fail "npm not installed (deploy/install-deps.sh installs it)"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
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

# The web users: a city monitor, a county user of 371425, a school user of
# one of its schools that has data (one that falls short of a standard).
PW='correct horse battery'
jh status --county 371425 --json >"$T/371425.json" || fail "status of 371425"
SCHOOL=$(jq -r '[.sections[] | select((.shortfalls | length) > 0) | .school_code] + [.sections[0].school_code] | .[0]' \
    "$T/371425.json")   # one that needs something, so its page shows the needs
[ -n "$SCHOOL" ] || fail "no school of 371425 in the initial data"
echo "$PW" | jh admin add-user chen --role monitor --scope 3714 --password-stdin >/dev/null || fail "add-user chen"
echo "$PW" | jh admin add-user zhang --role county --scope 371425 --password-stdin >/dev/null || fail "add-user zhang"
echo "$PW" | jh admin add-user wang --role school --scope "$SCHOOL" --password-stdin >/dev/null ||
    fail "add-user wang"

# Past the gateway: the daemon itself refuses the county user's session for
# another county (what the gateway's 403 stands in front of).
echo "$PW" | jh session login zhang --password-stdin >"$T/zhang.json" || fail "session login zhang"
TOK=$(jq -r .session "$T/zhang.json")
jh --session "$TOK" status --county 371425 --json >/dev/null || fail "the county user reads its own county"
rc=0
jh --retries 0 --session "$TOK" status --county 371424 >"$T/other" 2>&1 || rc=$?
[ $rc = 1 ] || fail "the daemon let the county user's session read another county (rc $rc)"
jh session logout "$TOK" >/dev/null || fail "session logout"
echo "ok - the daemon refuses a county user's session for another county"

WEB_PIDS=()
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P_WEB=$(free_port)
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
web_start "$P_WEB" web.log
echo "ok - the gateway is up"

SHOTS=${JUNHENG_WEB_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
coproc NODE { NODE_PATH="$NODE_DIR/node_modules" exec node "$SRC/tests/browser/web_test.cjs" \
    "http://127.0.0.1:$P_WEB" 12 "$SHOTS" "$PW" "$SCHOOL" 2>&1; }
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
[ "$result" = done ] || { tail -n 5 "$T"/web.log; fail "the browser test did not finish"; }
for p in "${WEB_PIDS[@]}"; do
    kill -TERM "$p"
    rc=0
    wait "$p" || rc=$?
    [ $rc = 0 ] || fail "junheng-web exited $rc on SIGTERM"
done
echo "ok - the gateway stops cleanly on SIGTERM (their event streams end)"
daemon_stop || fail "junhengd did not stop cleanly"

# --- The school upload (tests/browser/upload_test.cjs) ----------------------
# The school user wang uploads on its school's page: a file with bad rows
# (a negative teaching area on its own row, and a row of another school)
# shows each row's errors and sends nothing -- the CLI finds no new revision;
# the corrected file is checked clean, sent with wang's session, and the page
# shows the revision, which the CLI then finds, recorded as sent by wang;
# then the same row (changed again) as an Excel workbook (tests/tools/csv_to_xlsx), sent the same way.
UP="$T/upload"
mkdir -p "$UP"
python3 - "$D" "$SCHOOL" "$UP" <<'PY' || fail "cannot make the upload files"
import csv, sys
src, school, out = sys.argv[1:]
rows = list(csv.reader(open(src, encoding='utf-8-sig', newline='')))
head = rows[0]
mine = next(r for r in rows[1:] if r[0] == school)
other = next(r for r in rows[1:] if r[0] != school)
bad, good = list(mine), list(mine)
bad[head.index('teaching_area_m2')] = '-1'
sports = head.index('sports_area_m2')
good[sports] = '%g' % (float(mine[sports] or 0) + 10)
again = list(good)
again[sports] = '%g' % (float(mine[sports] or 0) + 20)
for name, body in (('bad.csv', [bad, other]), ('good.csv', [good]), ('again.csv', [again])):
    with open(f'{out}/{name}', 'w', encoding='utf-8', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows([head] + body)
PY
"$BIN/tests/csv_to_xlsx" "$UP/again.csv" "$UP/good.xlsx" || fail "csv_to_xlsx: the upload's workbook"
daemon_start
newest_revision() { jh status --school "$SCHOOL" --json | jq '[.revisions[].revision] | max'; }
stored_revisions() { sql "SELECT count(*) FROM submissions WHERE school_code = '$SCHOOL'"; }
REV0=$(newest_revision)
N0=$(stored_revisions)
[ -n "$REV0" ] && [ "$REV0" != null ] || fail "no revision of $SCHOOL before the upload"
P_UP=$(free_port)
WEB_PIDS=()
web_start "$P_UP" web-upload.log --submit-endpoint "$EP_SUBMIT"
coproc UPLOAD { NODE_PATH="$NODE_DIR/node_modules" exec node "$SRC/tests/browser/upload_test.cjs" \
    "http://127.0.0.1:$P_UP" "$PW" "$SCHOOL" "$UP" "$SHOTS" 2>&1; }
result=""
while IFS= read -r -t 120 line <&"${UPLOAD[0]}"; do
    echo "$line"
    case $line in
    "STEP bad")
        [ "$(newest_revision)" = "$REV0" ] && [ "$(stored_revisions)" = "$N0" ] ||
            fail "the file with bad rows stored a revision of $SCHOOL"
        echo "ok - the CLI finds no new revision of $SCHOOL (newest still $REV0)"
        ;;
    "STEP sent "*)
        rev=${line#STEP sent }
        [ "$(newest_revision)" = "$rev" ] || fail "the CLI's newest revision of $SCHOOL is not the page's $rev"
        [ "$(stored_revisions)" = $((N0 + 1)) ] || fail "the upload did not store exactly one revision"
        who=$(sql "SELECT coalesce(web_user, '-') FROM submissions WHERE revision = $rev")
        [ "$who" = wang ] || fail "revision $rev was recorded as sent by '$who', not the web user wang"
        echo "ok - the CLI finds revision $rev of $SCHOOL, recorded as sent by the web user wang"
        ;;
    "STEP xlsx "*)
        rev=${line#STEP xlsx }
        [ "$(newest_revision)" = "$rev" ] && [ "$(stored_revisions)" = $((N0 + 2)) ] ||
            fail "the workbook's row is not the CLI's newest revision $rev"
        echo "ok - the CLI finds the workbook's revision $rev of $SCHOOL"
        ;;
    DONE) result=done; break ;;
    FAIL*) result=fail; break ;;
    *) continue ;;
    esac
    echo done >&"${UPLOAD[1]}"
done
[ "$result" = done ] || { tail -n 5 "$T"/web-upload.log; fail "the upload browser test did not finish"; }
for p in "${WEB_PIDS[@]}"; do
    kill -TERM "$p"
    wait "$p" || fail "junheng-web (upload) did not stop cleanly"
done
daemon_stop || fail "junhengd did not stop cleanly after the upload"
