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
        --submit-endpoint "$EP_SUBMIT" \
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

# The daemon's login refusal in the browser's language (Accept-Language ->
# Envelope.lang; Chinese when the browser names neither). From 127.0.0.2:
# the browser test's wrong passwords rate-limited 127.0.0.1.
web_login_refused() { # ACCEPT-LANGUAGE ("": none) OUT
    local jar="$T/jar.$2" csrf
    curl -s --interface 127.0.0.2 -c "$jar" "http://127.0.0.1:$P_WEB/login" >"$T/form.$2"
    csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/form.$2")
    [ -n "$csrf" ] || fail "no CSRF token in the login form"
    curl -s --interface 127.0.0.2 -b "$jar" ${1:+-H "Accept-Language: $1"} --data-urlencode "user=nobody" \
        --data-urlencode "password=wrong password" --data "csrf=$csrf" "http://127.0.0.1:$P_WEB/login" >"$T/$2"
}
web_login_refused "en-US,en;q=0.9" login.en
check_contains "$T/login.en" "wrong user name or password" "a browser asking for English gets the daemon's refusal in English"
web_login_refused "" login.zh
check_contains "$T/login.zh" "用户名或密码错误" "... one naming no language gets it in Chinese"
# The gateway's own refusal (a form without its CSRF token) in the browser's language too.
curl -s --interface 127.0.0.2 -H "Accept-Language: en" --data "user=nobody&password=x&csrf=0" \
    "http://127.0.0.1:$P_WEB/login" >"$T/csrf.en"
check_contains "$T/csrf.en" "The form has expired; please log in again." "the gateway's own refusal in English for an English browser"
grep -q "表单已过期" "$T/csrf.en" && fail "the English refusal page also carries the Chinese sentence"
curl -s --interface 127.0.0.2 --data "user=nobody&password=x&csrf=0" "http://127.0.0.1:$P_WEB/login" >"$T/csrf.zh"
check_contains "$T/csrf.zh" "表单已过期，请重新登录。" "... and in Chinese for one naming no language"
for p in "${WEB_PIDS[@]}"; do
    kill -TERM "$p"
    rc=0
    wait "$p" || rc=$?
    [ $rc = 0 ] || fail "junheng-web exited $rc on SIGTERM"
done
echo "ok - the gateway stops cleanly on SIGTERM (their event streams end)"
daemon_stop || fail "junhengd did not stop cleanly"

# The review desk (tests/browser/review_test.cjs) on the same database and
# users: the county user zhang approves, returns (the CLI confirms), seals;
# liu, a city monitor with the review right, opens the package, records a
# finding and returns it; zhang answers, seals again; liu closes the problem
# and passes. zhang cannot act on another county (403 at the gateway, and
# the daemon refuses a revision of 371424). The wrong passwords above
# left 127.0.0.1 rate-limited (the gateway's limiter for login_window, the
# daemon's for login_lockout_s, both in memory): the daemon starts again on
# its database, and a second gateway serves the desk (waiting up to 10 s
# for each answer: a login's Argon2id is slow on a loaded machine).
daemon_start
WEB_PIDS=()
P_REVIEW=$(free_port)
echo "timeout 10000" >"$T/web-review.conf"
web_start "$P_REVIEW" web-review.log --config "$T/web-review.conf"
echo "$PW" | jh admin add-user liu --role monitor --scope 3714 --review --password-stdin >/dev/null ||
    fail "add-user liu --review"
jh review submissions --county 371424 --state submitted --json >"$T/other.json" || fail "review submissions 371424"
OTHER_REV=$(jq -r '.[0].revision' "$T/other.json")
[ "$OTHER_REV" != null ] || fail "no submitted revision of 371424"
coproc REVIEW { NODE_PATH="$NODE_DIR/node_modules" exec node "$SRC/tests/browser/review_test.cjs" \
    "http://127.0.0.1:$P_REVIEW" "$SHOTS" "$PW" "$OTHER_REV" 2>&1; }
result=""
while IFS= read -r -t 60 line <&"${REVIEW[0]}"; do
    echo "$line"
    answer=ok
    case $line in
    "STEP check "*)
        read -r _ _ approved returned <<<"$line"
        jh review submissions --county 371425 --json >"$T/subs.json" || answer="review submissions failed"
        jq -e --argjson a "$approved" --argjson r "$returned" '(.[] | select(.revision == $a) | .state == "approved") and
            (.[] | select(.revision == $r) | .state == "returned" and (.reason | length > 0) and .columns == ["sports_area_m2"])' \
            "$T/subs.json" >/dev/null || answer="revision $approved not approved or $returned not returned with its reason"
        ;;
    "STEP final")
        P=$(jh review pending --county 371425 --json | jq -r .period)
        jh review package --county 371425 --period "$P" --json >"$T/pkg.json" || answer="review package failed"
        jq -e '.state == "city_passed"' "$T/pkg.json" >/dev/null || answer="the package is $(jq -r .state "$T/pkg.json")"
        jh audit --county 371425 --json >"$T/audit.json" || answer="audit failed"
        jq -e 'any(.[]; .actor_user == "zhang") and any(.[]; .actor_user == "liu")' "$T/audit.json" >/dev/null ||
            answer="the audit rows do not name the web users"
        ;;
    DONE) result=done; break ;;
    FAIL*) result=fail; break ;;
    *) continue ;;
    esac
    echo "$answer" >&"${REVIEW[1]}"
done
[ "$result" = done ] || { tail -n 5 "$T"/web-review.log; fail "the review desk's browser test did not finish"; }
# --- The county page's history chart and downloads (tests/browser/county_test.cjs), on the
# review desk's daemon and gateway: the county user reads the chart of 371425's
# stored statuses, downloads every file (the HTML report, the official CSV tables, the 自评表
# workbook) and is refused another county's; the school user is refused the county's.
jh submit "$T/one.csv" >/dev/null || fail "submit again (one more stored status)"
P_WEB2=$P_REVIEW
for _ in $(seq 1 50); do   # the history is written behind the publications: wait until it has them
    jh status --county 371425 --history --json >"$T/hist.json" 2>/dev/null &&
        [ "$(jq length "$T/hist.json")" -ge 2 ] && break
    sleep 0.2
done
jq -e 'length >= 2 and all(.[]; .verdict != null and .stages.primary.cv_limit == 0.5 and .stages.junior.cv_limit == 0.45)' \
    "$T/hist.json" >/dev/null || { head -c 600 "$T/hist.json"; fail "the history rows lack their verdict or limits"; }
jh status --county 371425 --json >"$T/now.json" || fail "status of 371425"
check_eq "$(jq -r '.[-1].verdict' "$T/hist.json")" "$(jq -r .verdict "$T/now.json")" "the newest history row's verdict"
EXPECT=$(jq -c '{rows: length, last_verdict: .[-1].verdict,
    points: {primary: [.[].stages.primary.cv // {} | .[] | numbers] | length,
             junior: [.[].stages.junior.cv // {} | .[] | numbers] | length}}' "$T/hist.json")
mkdir -p "$T/dl"
NODE_PATH="$NODE_DIR/node_modules" timeout 90 node "$SRC/tests/browser/county_test.cjs" "http://127.0.0.1:$P_WEB2" \
    "$PW" "$SCHOOL" "$T/dl" "$SHOTS" "$EXPECT" >"$T/county_test.log" 2>&1 || true
cat "$T/county_test.log"
grep -qx DONE "$T/county_test.log" || { tail -n 5 "$T/web-review.log"; fail "the county page's browser test did not finish"; }
# The files: the CSV tables carry the official headings (the CLI's own, for the same county), the
# workbook is a zip with the county's sheet, the report is the CLI's HTML report.
jh report --county 371425 --csv "$T/cli-csv" 2>/dev/null || fail "junheng report --csv"
for f in "$T"/cli-csv/*.csv; do
    name=$(basename "$f" .csv)
    got=("$T"/dl/371425-"$name"-*.csv)
    [ -f "${got[0]}" ] || fail "no download of $name"
    check_eq "$(head -n 1 "${got[0]}")" "$(head -n 1 "$f")" "the headings of $name"
done
jh report --county 371425 --csv "$T/cli-gbk" --encoding gbk 2>/dev/null || fail "junheng report --csv --encoding gbk"
for f in "$T"/cli-gbk/*.csv; do
    name=$(basename "$f" .csv)
    got=("$T"/dl/gbk-371425-"$name"-*.csv)
    [ -f "${got[0]}" ] || fail "no GBK download of $name"
    cmp -s <(head -n 1 "${got[0]}") <(head -n 1 "$f") || fail "the GBK headings of $name are not the CLI's"
done
echo "ok - each CSV table's GBK download has the CLI's --encoding gbk headings, byte for byte"
python3 - "$T"/dl/371425-自评表-*.xlsx <<'PY' || fail "the 自评表 download is not a workbook with the county's sheet"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert "xl/worksheets/sheet1.xml" in z.namelist(), z.namelist()
wb = z.read("xl/workbook.xml").decode()
assert "371425" in wb, wb[:300]
assert "序号" in z.read("xl/sharedStrings.xml").decode()
PY
grep -q '<svg' "$T"/dl/371425-均衡报告-*.html && grep -q '371425' "$T"/dl/371425-均衡报告-*.html ||
    fail "the report download is not the HTML report"
echo "ok - the downloads: the CSV headings are the CLI's, the workbook holds the county's sheet, the report is HTML"
# --- The school upload (tests/browser/upload_test.cjs), on the same daemon and gateway
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
newest_revision() { jh status --school "$SCHOOL" --json | jq '[.revisions[].revision] | max'; }
stored_revisions() { sql "SELECT count(*) FROM submissions WHERE school_code = '$SCHOOL'"; }
REV0=$(newest_revision)
N0=$(stored_revisions)
[ -n "$REV0" ] && [ "$REV0" != null ] || fail "no revision of $SCHOOL before the upload"
P_UP=$P_REVIEW
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
[ "$result" = done ] || { tail -n 5 "$T"/web-review.log; fail "the upload browser test did not finish"; }
for p in "${WEB_PIDS[@]}"; do
    kill -TERM "$p"
    wait "$p" || fail "junheng-web (review desk, county page, upload) did not stop cleanly"
done
daemon_stop || fail "junhengd did not stop cleanly after the review desk, county page and upload"
