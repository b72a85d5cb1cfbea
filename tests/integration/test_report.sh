#!/usr/bin/env bash
# junheng report: the HTML report is one self-contained file that parses as
# HTML (xmllint --html; inline SVG is HTML5, which libxml2's HTML 4 parser
# only names as unknown tags) and as well-formed XML, with one chart per
# county and applicable stage, Chinese names next to English ids, and the
# failing schools; the two CSV tables carry a BOM and one row per county ×
# stage × indicator and per school section, with the daemon's numbers; the
# header names the city (德州市) and the time zone, the footer the endpoint and
# epoch; --county, the 县区汇总表, missing schools by name, --encoding gbk.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
command -v xmllint >/dev/null || fail "xmllint not installed (Debian package libxml2-utils)"
pg_start
daemon_start
load_demo_registry
jh submit "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
jh status --city 3714 --json >"$T/statuses"

jh report --city 3714 --out "$T/report.html" --csv "$T/csv" 2>"$T/report.err" || { cat "$T/report.err"; fail "report"; }
H="$T/report.html"

xmllint --noout "$H" 2>"$T/xml.err" || { head "$T/xml.err"; fail "the report is not well-formed"; }
echo "ok - well-formed (XHTML-compatible) markup"
xmllint --html --noout "$H" 2>"$T/html.err" || true
grep -E "error|warning" "$T/html.err" | grep -vE "Tag (svg|rect|text|line|g|title) invalid" >"$T/html.bad" || true
[ ! -s "$T/html.bad" ] || { head "$T/html.bad"; fail "xmllint --html found problems"; }
echo "ok - parses as HTML ($(grep -c 'invalid' "$T/html.err" || true) inline-SVG tags unknown to HTML 4, nothing else)"

want=$(jq -s '[.[].stages[] | select(.applicable)] | length' "$T/statuses")
check_eq "$(grep -c '<svg class="chart"' "$H")" "$want" "one chart per county and applicable stage"
check_eq "$(grep -o '<div class="county" id="c[0-9]*"' "$H" | wc -l)" "$(wc -l <"$T/statuses")" "one part per county"
if grep -qiE '<script|<link|<img|src="|url\(|https?://[^"]*\.(css|js|png)' "$H"; then
    fail "the report refers to something outside itself"
fi
echo "ok - self-contained (no script, link, image or URL)"
for c in $(jq -r '.county.code' "$T/statuses"); do
    name=$(jq -r "select(.county.code == \"$c\") | .county.name" "$T/statuses")
    grep -q "$c $name" "$H" || fail "county $c $name missing"
done
echo "ok - every county by code and name"
check_contains "$H" "生均体育运动场馆面积 <span class=\"muted\">sports_area</span>" "Chinese names next to English ids"
check_contains "$H" "limit 0.45" "junior charts show their limit"
fs=$(jq -r 'select(.county.code == "371403") | [.sections[] | select(.excluded == null and .pass == false)][0].school_code' "$T/statuses")
check_contains "$H" "$fs" "a failing school is listed"
check_contains "$H" "rectification list: failing schools" "the rectification list"
# The same report under LANG=zh_CN.UTF-8: its words in Chinese, the ids beside the Chinese names.
LANG=zh_CN.UTF-8 jh report --city 3714 --out "$T/report.zh.html" 2>"$T/report.zh.err" || { cat "$T/report.zh.err"; fail "report (zh_CN)"; }
check_contains "$T/report.zh.html" "整改清单：未达标学校" "the Chinese report's rectification list"
check_contains "$T/report.zh.html" "限值 0.45" "the Chinese report's chart limit"
check_contains "$T/report.zh.html" "生均体育运动场馆面积 <span class=\"muted\">sports_area</span>" "... with the ids beside"
if grep -q "rectification list" "$T/report.zh.html"; then fail "English headings in the Chinese report"; fi

CV="$T/csv/校际差异系数表.csv"
SC="$T/csv/达标学校名单.csv"
check_eq "$(head -c 3 "$CV" | od -An -tx1 | tr -d ' ')" "efbbbf" "校际差异系数表 starts with a BOM"
check_eq "$(head -c 3 "$SC" | od -An -tx1 | tr -d ' ')" "efbbbf" "达标学校名单 starts with a BOM"
check_eq "$(($(wc -l <"$CV") - 1))" "$((want * 7))" "one row per county × stage × indicator"
AS="$T/csv/参评学校一览.csv"
check_eq "$(($(wc -l <"$SC") - 1))" "$(jq -s '[.[].sections[] | select(.excluded == null and .pass == true)] | length' "$T/statuses")" \
    "达标学校名单: one row per passing school section, no other"
if grep -q ",未达标," "$SC"; then fail "达标学校名单 lists a failing school"; fi
check_eq "$(($(wc -l <"$AS") - 1))" "$(jq -s '[.[].sections[]] | length' "$T/statuses")" "参评学校一览: one row per school section"
ind() { jq -r "select(.county.code == \"371402\") | .stages.primary.indicators[] | select(.id == \"sports_area\") | .$1" "$T/statuses"; }
row=$(awk -v m="$(ind mean)" -v c="$(ind cv)" 'BEGIN { printf "%.2f,%.3f", m, c }')
check_contains "$CV" "371402,德城区,小学,sports_area,生均体育运动场馆面积,7.50,$row,0.50," \
    "the coefficient row of 371402 primary sports_area"
check_contains "$AS" "$fs," "the failing school's row in 参评学校一览"
grep "^371403,.*,$fs," "$AS" | grep -q ",未达标," || fail "the failing school is not marked 未达标"
grep "^371403,.*,$fs," "$AS" | grep -qE "：需增加[^ ]+ [0-9,]+ (平方米|人|元|间)" ||
    { grep "^371403,.*,$fs," "$AS"; fail "the shortfall is not a Chinese sentence with its unit"; }
echo "ok - the failing school is marked 未达标, its shortfall in Chinese (需增加… 平方米)"

jh report --city 37140 --out "$T/x.html" 2>/dev/null && fail "a bad city code was accepted"
# The whole verdict: per county in the HTML and in 县域评估结论 as the JSON says (待定 without one), never PASS;
# 评估指标结果 one row per county and item.
if grep -q "PASS" "$H"; then fail "the report says PASS"; fi
VC="$T/csv/县域评估结论.csv"
check_eq "$(($(wc -l <"$VC") - 1))" "$(wc -l <"$T/statuses")" "one verdict row per county"
for c in $(jq -r '.county.code' "$T/statuses"); do
    v=$(jq -r "select(.county.code == \"$c\") | {\"pass\":\"达标\",\"fail\":\"未达标\"}[.verdict // \"pending\"] // \"待定\"" "$T/statuses")
    grep -q "^$c,[^,]*,[^,]*,$v," "$VC" || fail "县域评估结论: $c is not $v"
    grep -A2 "<div class=\"county\" id=\"c$c\"" "$H" | grep -q "$v" || fail "HTML: $c is not $v"
done
echo "ok - the verdict of every county is shown as the JSON says"
check_eq "$(($(wc -l <"$T/csv/评估指标结果.csv") - 1))" "$(jq -s '[.[] | .items // [] | .[]] | length' "$T/statuses")" \
    "one 评估指标结果 row per county and item"
jh report --help | grep -q "校际差异系数表" || fail "report --help"
echo "ok - usage errors and --help"

# The header says what an official needs -- the city by name, the school year, the view, when (the zone named
# once) -- and the footer where it came from: the endpoint and the epoch are in the footer, not the header.
header=$(sed -n '/<div class="header">/,/<\/div>/p' "$H")
footer=$(sed -n '/<div class="footer">/,/<\/div>/p' "$H")
epoch=$(jq -r '.epoch' "$T/statuses" | head -1)
[ -n "$epoch" ] && [ "$epoch" != null ] || fail "the statuses carry no epoch"
grep -q "德州市 (3714)" <<<"$header" || { echo "$header"; fail "the header does not name the city 德州市"; }
if grep -q "市 3714" "$H"; then fail "the report still says 市 3714"; fi
grep -q "(Asia/Shanghai, UTC+8)" <<<"$header" || { echo "$header"; fail "the header does not name the time zone"; }
grep -q "2025" <<<"$header" || fail "the header does not say the school year"
grep -q "实时" <<<"$header" || fail "the header does not say the view"
for p in "$epoch" "$EP_SNAPSHOT"; do
    grep -qF "$p" <<<"$footer" || { echo "$footer"; fail "the footer lacks $p"; }
    if grep -qF "$p" <<<"$header"; then fail "the header shows $p"; fi
done
if grep -qE '[0-9]T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z' "$H"; then fail "a UTC time is shown beside the local ones"; fi
echo "ok - header: 德州市, school year, view, local time with its zone; footer: endpoint and epoch"
jh --tz UTC report --city 3714 --out "$T/utc.html" 2>/dev/null || fail "report --tz UTC"
check_contains "$T/utc.html" "(UTC, UTC+0)" "--tz names the zone it was given"
jh --tz Mars/Olympus report --city 3714 --out "$T/x.html" 2>"$T/tz.err" && fail "an unknown time zone was accepted"
check_contains "$T/tz.err" "Mars/Olympus" "an unknown zone is refused by name"

# Missing schools by name, shortfalls as Chinese sentences in the HTML too.
mname=$(jq -r '.coverage.missing_schools[0].name // empty' "$T/statuses" | head -1)
[ -n "$mname" ] || fail "no missing school is named in the status JSON"
check_contains "$H" "$mname" "a missing school is listed by name"
grep -q "：需增加[^ ]* [0-9,]* \(平方米\|人\|元\|间\)" "$H" || fail "the HTML's shortfalls are not Chinese sentences"
if grep -q "needs [0-9]* .* more" "$H"; then fail "an English shortfall remains in the HTML"; fi
check_contains "$H" "Noto Sans CJK SC" "the font stack names Noto CJK"
echo "ok - missing schools by name; shortfalls in Chinese; Noto CJK first in the font stack"

# 县区汇总表: one row per county, its verdict, coverage and worst coefficient against the limit.
SU="$T/csv/县区汇总表.csv"
check_eq "$(($(wc -l <"$SU") - 1))" "$(wc -l <"$T/statuses")" "县区汇总表: one row per county"
for c in $(jq -r '.county.code' "$T/statuses"); do
    row=$(jq -r "select(.county.code == \"$c\") | [.county.code, .county.name, .period,
        ({\"pass\":\"达标\",\"fail\":\"未达标\"}[.verdict // \"pending\"] // \"待定\"),
        .coverage.schools_submitted, .coverage.schools_registered] | @csv" "$T/statuses" | tr -d '"')
    c1=${row%%,*}; rest=${row#*,}; name=${rest%%,*}; rest=${rest#*,}; period=${rest%%,*}; rest=${rest#*,}
    v=${rest%%,*}; rest=${rest#*,}; sub=${rest%%,*}; reg=${rest#*,}
    grep -q "^$c1,$name,$period,$v,[a-z]*,$sub,$reg," "$SU" || { grep "^$c," "$SU"; fail "县区汇总表: $c is not $v $sub/$reg"; }
done
worst=$(jq -r 'select(.county.code == "371402") | .stages.primary.indicators | map(.cv) | max' "$T/statuses")
grep "^371402," "$SU" | grep -q ",$(awk -v c="$worst" 'BEGIN { printf "%.3f", c }'),0.50," ||
    { grep "^371402," "$SU"; fail "县区汇总表: 371402's worst primary coefficient is not $worst against 0.50"; }
echo "ok - 县区汇总表: every county's verdict and coverage, the worst coefficient against its limit"

# One county: --county writes its part only, titled with the city's and the county's names.
jh report --county 371403 --out "$T/county.html" --csv "$T/ccsv" 2>"$T/county.err" || { cat "$T/county.err"; fail "report --county"; }
check_eq "$(grep -o '<div class="county" id="c[0-9]*"' "$T/county.html" | wc -l)" "1" "report --county: one county part"
check_contains "$T/county.html" "德州市陵城区 (371403)" "report --county: titled with the city's and county's names"
check_eq "$(($(wc -l <"$T/ccsv/县区汇总表.csv") - 1))" "1" "report --county: one summary row"
check_eq "$(tail -n +2 "$T/ccsv/县域评估结论.csv" | cut -d, -f1 | sort -u)" "371403" "report --county: only that county's rows"
jh report --county 3714 --out "$T/x.html" 2>/dev/null && fail "--county took a city code"
jh report --city 3714 --county 371403 --out "$T/x.html" 2>/dev/null && fail "--city and --county together"

# --encoding gbk: the same tables in GBK (no BOM), which iconv reads back to the UTF-8 ones.
jh report --city 3714 --csv "$T/gbk" --encoding gbk 2>"$T/gbk.err" || { cat "$T/gbk.err"; fail "report --encoding gbk"; }
for f in "$T"/csv/*.csv; do
    b=$(basename "$f")
    iconv -f GBK -t UTF-8 "$T/gbk/$b" >"$T/gbk-utf8.csv" || fail "$b: not GBK"
    tail -c +4 "$f" | cmp -s - "$T/gbk-utf8.csv" || fail "$b: the GBK table does not read back to the UTF-8 one"
done
echo "ok - --encoding gbk: all $(ls "$T"/csv/*.csv | wc -l) tables read back with iconv to the UTF-8 ones"
jh template submissions --encoding gbk --out "$T/tpl-gbk.csv" || fail "template --encoding gbk"
jh template submissions --out "$T/tpl.csv" || fail "template"
iconv -f GBK -t UTF-8 "$T/tpl-gbk.csv" | cmp -s - <(tail -c +4 "$T/tpl.csv") || fail "the GBK template differs"
echo "ok - template --encoding gbk"
jh report --self-assessment --county 371403 --out "$T/sa.csv" 2>/dev/null || fail "self-assessment CSV"
jh report --self-assessment --county 371403 --out "$T/sa-gbk.csv" --encoding gbk 2>"$T/sa.err" ||
    { cat "$T/sa.err"; fail "self-assessment CSV --encoding gbk"; }
iconv -f GBK -t UTF-8 "$T/sa-gbk.csv" | cmp -s - <(tail -c +4 "$T/sa.csv") || fail "the GBK 自评表 differs"
echo "ok - report --self-assessment --encoding gbk"
