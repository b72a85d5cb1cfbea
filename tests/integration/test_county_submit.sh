#!/usr/bin/env bash
# junheng county template / county submit, client side of the whole verdict:
# the template opens in Excel (BOM, Chinese headings) and, filled in, is sent
# by a county key as one revision (accepted revision N; the status then
# carries it: county_inputs_revision N, item 2.8 达标 on the county page);
# a GBK copy reads the same; a file with a refused row prints line, item,
# field and reason and sends nothing (the daemon's table does not grow);
# another county's inputs are refused by the daemon with its reason; with
# the daemon down the revision stays in the spool (exit 3) and --flush
# delivers it once the daemon is back.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
PY=/usr/bin/python3
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
jh submit "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
key_new county
key_set county 371402 county
inputs() { sql "SELECT count(*) FROM county_inputs"; }
jc() { jh_as county --timeout 1000 --retries 2 "$@"; }

jh county template --county 371402 --period 2025 --zh --out "$T/tpl.csv" || fail "template"
check_eq "$(head -c 3 "$T/tpl.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the --zh template starts with a BOM"
head -n 1 "$T/tpl.csv" | grep -q "县区代码,学年,序号" || fail "Chinese headings"
grep -q "^371402,2025,2.8," "$T/tpl.csv" || fail "the template has 2.8 rows for the county"
jh county --help | grep -q "county submit" || fail "county --help"

# Fill in 2.8 and veto 5.3 (Excel would): the value and evidence columns by heading.
"$PY" - "$T/tpl.csv" "$T/filled.csv" <<'EOF' || fail "fill the template"
import csv, sys
fill = {("2.8", "teacher_avg_pay_yuan"): ("98500", "县人社局2025年工资统计表"),
        ("2.8", "civil_servant_avg_pay_yuan"): ("97200", "县人社局2025年工资统计表"),
        ("2.8", "performance_pay_approved"): ("是", "临政发〔2025〕12号"),
        ("5.3", "present"): ("无", "教育局2025年招生工作检查报告")}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
head = rows[0]
i, fld, v, e = head.index("序号"), head.index("字段"), head.index("数值"), head.index("佐证材料")
for r in rows[1:]:
    if (r[i], r[fld]) in fill:
        r[v], r[e] = fill[(r[i], r[fld])]
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
EOF

rc=0
jc county submit --spool "$T/sp" "$T/filled.csv" >"$T/out1" 2>&1 || rc=$?
cat "$T/out1"
check_eq "$rc" "0" "the filled template is accepted"
rev=$(sed -n 's/^.* 371402 period 2025 accepted revision \([0-9]*\)$/\1/p' "$T/out1")
[ -n "$rev" ] || fail "no 'accepted revision N' line"
check_eq "$(ls "$T/sp" | wc -l)" "0" "answered: out of the spool"
check_eq "$(inputs)" "1" "one revision stored"
jh status --county 371402 --period 2025 --json >"$T/s.json"
check_eq "$(jq -r .county_inputs_revision "$T/s.json")" "$rev" "the status carries revision $rev"
check_eq "$(jq -r '.items[] | select(.number == "2.8") | .outcome' "$T/s.json")" "pass" "2.8 passes"
jh status --county 371402 --period 2025 >"$T/page"
check_contains "$T/page" "2.8   教师平均工资不低于公务员 teacher_pay — 达标" "the county page shows 2.8 达标"
check_contains "$T/page" "否决项 veto (5.1–5.6+)" "the county page lists the vetoes"

# The same file in GBK reads the same (a new revision: a new submission id).
iconv -f UTF-8 -t GBK <(tail -c +4 "$T/filled.csv") >"$T/filled-gbk.csv" || fail "iconv"
jc county submit --spool "$T/sp" "$T/filled-gbk.csv" >"$T/out2" 2>&1 || { cat "$T/out2"; fail "GBK file"; }
grep -q "371402 period 2025 accepted revision" "$T/out2" || { cat "$T/out2"; fail "GBK file not accepted"; }
check_eq "$(inputs)" "2" "the GBK file is a second revision"

# Refused rows: named by line, item, field and reason; nothing is sent.
printf 'county_code,period,item,field,value,evidence\n371402,2025,2.1,met,yes,\n371402,2025,3.1,graduates,-5,\n' \
    >"$T/bad.csv"
rc=0
jc county submit --spool "$T/sp" "$T/bad.csv" >"$T/out3" 2>&1 || rc=$?
check_eq "$rc" "1" "a refused row: exit 1"
check_contains "$T/out3" "2.1 met: line 2: 'yes' needs evidence" "the refusal names item, field, line and reason"
check_contains "$T/out3" "3.1 graduates: line 3" "every refusal is printed"
LANG=zh_CN.UTF-8 jc county submit --spool "$T/sp" "$T/bad.csv" >"$T/out3zh" 2>&1 || true
check_contains "$T/out3zh" "2.1 met: 第2行：" "in Chinese under LANG=zh_CN.UTF-8"
if grep -q "needs evidence" "$T/out3zh"; then fail "English beside the Chinese"; fi
check_contains "$T/out3" "refused (checked locally, not sent" "the revision is not sent"
check_eq "$(inputs)" "2" "nothing stored"

# Another county's inputs: refused by the daemon, with its reason.
sed 's/^371402,/371425,/' "$T/filled.csv" >"$T/other.csv"
rc=0
jc county submit --spool "$T/sp" "$T/other.csv" >"$T/out4" 2>&1 || rc=$?
check_eq "$rc" "1" "another county's inputs: exit 1"
grep -q "371425 period 2025 refused$" "$T/out4" || { cat "$T/out4"; fail "no refused line"; }
[ "$(wc -l <"$T/out4")" -ge 3 ] || { cat "$T/out4"; fail "the daemon's reason is not printed"; }

# Daemon down: spooled, exit 3; back up: --flush delivers it.
daemon_stop || true
rc=0
jh_as county --timeout 300 --retries 1 county submit --spool "$T/sp" "$T/filled.csv" >"$T/out5" 2>&1 || rc=$?
check_eq "$rc" "3" "daemon down: exit 3"
check_contains "$T/out5" "not answered" "the revision is reported pending"
check_eq "$(ls "$T/sp" | wc -l)" "1" "and kept in the spool"
daemon_start --publish_interval_ms 0
jc county submit --flush --spool "$T/sp" >"$T/out6" 2>&1 || { cat "$T/out6"; fail "flush"; }
grep -q "371402 accepted revision" "$T/out6" || { cat "$T/out6"; fail "flush did not deliver"; }
check_eq "$(ls "$T/sp" | wc -l)" "0" "the spool is empty"
check_eq "$(inputs)" "3" "delivered once"
echo "ok - county template and county submit"
