#!/usr/bin/env bash
# deploy/demo.sh -- the main job on a fresh Debian machine, in one command:
# installs what is missing, builds, starts an embedded PostgreSQL cluster
# under ./var/pg (owned by a non-root user when run as root), starts junhengd
# on 127.0.0.1:7401-7404, loads the demo registry of Dezhou city (德州市,
# 371400: 12 county-level units, 1,000 schools), submits one school year of
# their data (plus a file of typical mistakes, to show refusals), then the
# county bureaus' inputs (county items and vetoes), and prints what was
# accepted, one county's full page and every county's verdict: 达标 /
# 未达标 / 待定 (docs/demo-data.md says which county shows which and why);
# then runs the review chain a little: the clean submissions approved, one
# county sealed, the city returning it with a problem (docs/review.md); and
# shows each role with its own key -- a school, the county bureau, the city's
# monitor, the admin -- and what each sees.
#
#   ./deploy/demo.sh           leave the daemon and database running afterwards
#   ./deploy/demo.sh --once    tear everything down and exit
#   ./deploy/demo.sh --stop    stop a demo left running
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VAR="$ROOT/var"
BUILD="$ROOT/build"
ONCE=0

stop_all() {
    if [ -f "$VAR/junheng-web.pid" ]; then
        kill -TERM "$(cat "$VAR/junheng-web.pid")" 2>/dev/null || true
        rm -f "$VAR/junheng-web.pid"
    fi
    if [ -f "$VAR/junhengd.pid" ]; then
        local pid
        pid=$(cat "$VAR/junhengd.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$VAR/junhengd.pid"
    fi
    [ -d "$VAR/pg" ] && "$ROOT/deploy/pg.sh" stop "$VAR/pg" >/dev/null 2>&1 || true
}

case "${1:-}" in
--once) ONCE=1 ;;
--stop)
    stop_all
    echo "demo stopped (data kept in $VAR; rm -rf var/ to start afresh)"
    exit 0
    ;;
"") ;;
-h | --help)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "usage: deploy/demo.sh [--once|--stop]" >&2
    exit 2
    ;;
esac

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
deploy/install-deps.sh

step "build"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" 2>&1 | grep -E 'error|warning|Built target (junhengd|junheng)$' || true

stop_all
rm -rf "$VAR"
mkdir -p "$VAR"
if [ "$ONCE" = 1 ]; then
    trap 'stop_all; "$ROOT/deploy/pg.sh" destroy "$VAR/pg" >/dev/null 2>&1 || true; rm -rf "$VAR"' EXIT
fi

step "PostgreSQL cluster in var/pg"
eval "$(deploy/pg.sh start "$VAR/pg")"
export PGHOST PGPORT PGUSER PGDATABASE
echo "PGHOST=$PGHOST PGPORT=$PGPORT PGDATABASE=$PGDATABASE"

step "CurveZMQ keys in var/keys: the daemon's, and an admin's for this demo"
mkdir -p "$VAR/keys"
"$BUILD/junheng" keygen "$VAR/keys/junhengd" | head -n 1
"$BUILD/junheng" keygen "$VAR/keys/admin" >/dev/null
# The client reads these (docs/security.md); its spool goes under var/ too.
export JUNHENG_KEY="$VAR/keys/admin.key_secret" JUNHENG_SERVER_KEY="$VAR/keys/junhengd.key"
export XDG_DATA_HOME="$VAR/data"

step "junhengd"
"$BUILD/junhengd" deploy/junhengd.conf --database "" --secret_key_file "$VAR/keys/junhengd.key_secret" \
    --admin_public_keys "$VAR/keys/admin.key" >>"$VAR/junhengd.log" 2>&1 &
echo $! >"$VAR/junhengd.pid"
J="$BUILD/junheng"
for _ in $(seq 1 100); do
    "$J" --timeout 200 --retries 0 admin ping >/dev/null 2>&1 && break
    kill -0 "$(cat "$VAR/junhengd.pid")" 2>/dev/null || { tail -20 "$VAR/junhengd.log"; exit 1; }
    sleep 0.1
done
echo "junhengd running (pid $(cat "$VAR/junhengd.pid"), log var/junhengd.log)"

step "registry of 德州市 (371400)"
"$J" admin import-counties deploy/demo-data/counties.csv
"$J" admin import-schools deploy/demo-data/schools.csv

step "submissions for school year 2025"
"$J" submit --quiet deploy/demo-data/submissions-2025.csv | tail -n 1
echo "-- a GBK file with Chinese headers, as Excel saves it (corrections: new revisions):"
"$J" submit --quiet deploy/demo-data/submissions-2025-gbk-sample.csv | tail -n 1
echo "-- a file with typical mistakes (every row is refused, each error by column):"
"$J" submit deploy/demo-data/submissions-bad.csv | head -n 12 || true
echo "   ..."

step "accepted per county"
psql -XAq -F ' ' -P footer=off -c "SELECT c.county_code, c.name, count(DISTINCT s.school_code) AS schools_submitted,
    count(*) AS revisions FROM submissions s JOIN schools k USING (school_code)
    JOIN counties c ON c.county_code = k.county_code GROUP BY 1, 2 ORDER BY 1" |
    awk 'NR == 1 {printf "%-8s %9s %9s  %s\n", "county", "schools", "revisions", "name"; next}
         {printf "%-8s %9s %9s  %s\n", $1, $3, $4, $2}'

step "county inputs for 2025 (junheng county submit)"
# What only a county education bureau knows: the county items of 2.1-4.1
# and the six vetoes, one row per field with its evidence. The admin key
# sends them here; a bureau's own key is bound with
# `junheng admin set-key county 371425 qihe-bureau.key`.
echo "-- six counties in one file (English headers, UTF-8):"
"$J" county submit deploy/demo-data/county-inputs-2025.csv
echo "-- 乐陵市's own file, Chinese headers in GBK, as Excel saves it:"
"$J" county submit deploy/demo-data/county-inputs-2025-371481-gbk.csv

step "the city's plan (junheng admin import-plan)"
# Dezhou's 2023-2025 action plan: per county the coefficient and the shares
# of schools it expects, and the year it applies for review (齐河县 2023;
# 德城区, 禹城市, 乐陵市, 天衢新区 2024; the others 2025). Each figure is set
# beside the measured one; a county behind plan in its due year is called out.
"$J" admin import-plan deploy/demo-data/dezhou-plan.csv | head -n 1
echo "-- 宁津县 (371422), due to apply in 2025, against its plan:"
"$J" status --county 371422 | sed -n '/^plan 推进方案/,/figures behind/p'

sleep 0.2
step "one county in full (junheng status --county 371425)"
"$J" status --county 371425

step "county verdicts (junheng status --city 3714)"
# 齐河县 达标; 乐陵市 待定 (inputs and one school missing); 平原县 未达标 on
# veto 5.3; 庆云县 未达标 on 3.1 (net_mobility); the rest 未达标 on school data.
"$J" status --city 3714

step "the review chain: approval, the county's seal, the city's review (docs/review.md)"
# What a school sends counts at once in the live view; it becomes official
# once its county approves it, and the county's inputs once the county seals
# its self-assessment. Here: every county's clean submissions approved (an
# admin may act for any county), then 齐河县's bureau -- with its own key --
# seals, and the city's reviewer -- a monitor key with the review right --
# records a problem and returns the package for rectification.
"$J" keygen "$VAR/keys/qihe-bureau" >/dev/null
"$J" keygen "$VAR/keys/dezhou-review" >/dev/null
"$J" admin set-key county 371425 "$VAR/keys/qihe-bureau.key" >/dev/null
"$J" admin set-key monitor 3714 "$VAR/keys/dezhou-review.key" --review >/dev/null
QIHE=(--key "$VAR/keys/qihe-bureau.key_secret")
CITY=(--key "$VAR/keys/dezhou-review.key_secret")
echo "-- junheng review approve --county CODE --period 2025 --all-clean, for each county:"
for c in $(tail -n +2 deploy/demo-data/counties.csv | cut -d, -f1); do
    printf '%s ' "$c"
    "$J" review approve --county "$c" --period 2025 --all-clean | grep -m1 'approved' || echo "(none)"
done
echo "-- 齐河县 (371425) seals its self-assessment (县级自评), with the bureau's key:"
"$J" "${QIHE[@]}" review seal --county 371425 --period 2025
echo "-- the city records a problem (问题清单) and returns the package (退回整改):"
"$J" "${CITY[@]}" review findings --county 371425 --period 2025 --item 2.8 --finding "绩效工资未落实" \
    --deadline 2026-04-30 | head -n 4
"$J" "${CITY[@]}" review return --county 371425 --period 2025 --reason "见问题清单" | head -n 3
echo "-- what the bureau now sees (junheng inbox with its key):"
"$J" "${QIHE[@]}" inbox
echo "-- the official status of 齐河县 (junheng status --county 371425 --view official), its review part:"
"$J" status --county 371425 --view official | sed -n '1p;/^verdict/p;/^审核与复核/,$p'

step "each role with its own key, and what it sees"
# A key is made with `junheng keygen` and bound to a role by the admin
# (`junheng admin set-key ROLE SUBJECT KEY.key`, docs/security.md). The
# county bureau's and the city reviewer's keys were made above; here a
# school gets one too -- the school of the city with the most to rectify,
# so its page shows what it needs.
# sample N CMD...: runs CMD and shows its first N lines, indented.
sample() {
    local n=$1
    shift
    "$@" >"$VAR/sample.out" 2>&1 || true
    head -n "$n" "$VAR/sample.out" | sed 's/^/   /'
}
SCHOOL=$("$J" status --city 3714 --json | jq -rs '[.[].sections[] | select(.excluded == null)] |
    max_by(.shortfalls | length) | .school_code')
SCHOOL_COUNTY=$(awk -F, -v s="$SCHOOL" '$1 == s {print $3}' deploy/demo-data/schools.csv)
OTHER=$(awk -F, -v s="$SCHOOL" -v c="$SCHOOL_COUNTY" 'NR > 1 && $1 != s && $3 == c {print $1; exit}' \
    deploy/demo-data/schools.csv)
"$J" keygen "$VAR/keys/school" >/dev/null
"$J" admin set-key school "$SCHOOL" "$VAR/keys/school.key" >/dev/null
SCH=(--key "$VAR/keys/school.key_secret")
echo "-- 学校 a school ($SCHOOL of county $SCHOOL_COUNTY; key var/keys/school): junheng status"
echo "   (its own school only: values against each standard, what it needs, guarantee items, revisions)"
sample 22 "$J" "${SCH[@]}" status
echo "   ..."
echo "-- the school asks for another school ($OTHER):"
sample 2 "$J" "${SCH[@]}" status --school "$OTHER"
echo "-- 县级 the county bureau of 齐河县 (key var/keys/qihe-bureau): status --county 371425, review pending, inbox"
sample 5 "$J" "${QIHE[@]}" status --county 371425
sample 6 "$J" "${QIHE[@]}" review pending --county 371425
sample 4 "$J" "${QIHE[@]}" inbox
echo "-- 市级 the city's monitor with the review right (key var/keys/dezhou-review): watch --city 3714, report"
sample 8 timeout 3 "$J" "${CITY[@]}" watch --city 3714 --plain
sample 2 "$J" "${CITY[@]}" report --city 3714 --out "$VAR/dezhou.html"
echo "   report: var/dezhou.html"
echo "-- 管理员 the admin (key var/keys/admin): admin stats"
sample 8 "$J" admin stats

step "the web pages: junheng-web on http://127.0.0.1:8080"
# The gateway is a client of the daemon with its own key, a monitor of the
# city it serves (docs/web.md); people log in with the users the daemon
# holds (docs/security.md "Web users"), one per role here, all with the
# demo's password (loopback only).
WEB_PASSWORD="junheng-demo-2025"
"$J" keygen "$VAR/keys/web" >/dev/null
"$J" admin set-key monitor 3714 "$VAR/keys/web.key" >/dev/null
"$J" admin add-user chen --role monitor --scope 3714 --review --password-stdin <<<"$WEB_PASSWORD" >/dev/null
"$J" admin add-user qihe --role county --scope 371425 --password-stdin <<<"$WEB_PASSWORD" >/dev/null
"$J" admin add-user xuexiao --role school --scope "$SCHOOL" --password-stdin <<<"$WEB_PASSWORD" >/dev/null
"$BUILD/junheng-web" --listen 127.0.0.1:8080 --key "$VAR/keys/web.key_secret" \
    --server-key "$VAR/keys/junhengd.key" --watch 3714 >>"$VAR/junheng-web.log" 2>&1 &
echo $! >"$VAR/junheng-web.pid"
for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:8080/healthz" && break
    sleep 0.1
done
printf '   GET /login: HTTP %s (log var/junheng-web.log)\n' \
    "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/login || echo none)"

if [ "$ONCE" = 1 ]; then
    step "tearing down (--once)"
    exit 0
fi
cat <<MSG

The daemon and its database keep running (CURVE: the client needs the keys):
  export JUNHENG_KEY=$VAR/keys/admin.key_secret JUNHENG_SERVER_KEY=$VAR/keys/junhengd.key
  $BUILD/junheng status --county 371426        a county's page (--json for the JSON)
  $BUILD/junheng admin stats                   counters
Each role with its own key (docs/security.md; the keys are in var/keys):
  a school      $BUILD/junheng --key $VAR/keys/school.key_secret status                 its own school ($SCHOOL)
  the county    $BUILD/junheng --key $VAR/keys/qihe-bureau.key_secret status --county 371425
                $BUILD/junheng --key $VAR/keys/qihe-bureau.key_secret review pending --county 371425
  the city      $BUILD/junheng --key $VAR/keys/dezhou-review.key_secret watch --city 3714
                (the live table of every county: run it in a terminal of 100 columns or more; Ctrl-C quits)
                $BUILD/junheng --key $VAR/keys/dezhou-review.key_secret report --city 3714 --out dezhou.html
  the admin     $BUILD/junheng admin stats
Web pages (junheng-web, docs/web.md): open http://127.0.0.1:8080 and log in, password $WEB_PASSWORD:
  chen          the city (德州市) with the review right: every county live, county pages, the review desk (/review)
  qihe          the county bureau of 齐河县 (371425): its county page (history chart, downloads), the review desk
  xuexiao       the school $SCHOOL: its own page, and the upload of its CSV or XLSX file
The review chain (docs/review.md), to try:
  $BUILD/junheng review pending --county 371424                  who has not submitted, who awaits approval
  $BUILD/junheng status --county 371425 --view official          the official view (approved, sealed)
  $BUILD/junheng review findings --county 371425 --period 2025   the city's problem list
  $BUILD/junheng --key $VAR/keys/qihe-bureau.key_secret review answer 1 --evidence "县政府办〔2026〕3号"
  $BUILD/junheng --key $VAR/keys/qihe-bureau.key_secret review seal --county 371425 --period 2025
  $BUILD/junheng --key $VAR/keys/dezhou-review.key_secret review close 1     then: review pass --county 371425 --period 2025
  $BUILD/junheng audit --county 371425                           every action, who and when
  psql (with: eval "\$(deploy/pg.sh env var/pg)")
Stop everything with:  ./deploy/demo.sh --stop
MSG
