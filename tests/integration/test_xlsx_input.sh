#!/usr/bin/env bash
# Excel workbooks end to end, through the real client and daemon: the
# registry imported from .xlsx files (written by libxlsxwriter, numbers as
# numbers, booleans' 1/0 as numbers); 60 demo submissions sent from an .xlsx
# with a cover sheet (--sheet 2, and by name) and stored with the same
# numbers as their CSV twin, school by school; an old .xls and a CSV given
# --sheet refused with their hints; the county-inputs template written as a
# workbook, filled in by openpyxl (as a spreadsheet program saves it) and
# sent by a county key as one revision.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
X="$BIN/tests/csv_to_xlsx"
pg_start
daemon_start --publish_interval_ms 0

"$X" "$SRC/deploy/demo-data/counties.csv" "$T/counties.xlsx" || fail "csv_to_xlsx counties"
"$X" --cover "$SRC/deploy/demo-data/schools.csv" "$T/schools.xlsx" || fail "csv_to_xlsx schools"
jh admin import-counties "$T/counties.xlsx" >"$T/imp1" || { cat "$T/imp1"; fail "import-counties .xlsx"; }
rc=0
jh admin import-schools "$T/schools.xlsx" >"$T/imp2" 2>&1 || rc=$?
check_eq "$rc" "1" "the schools workbook's first sheet is the cover: refused by the daemon"
check_contains "$T/imp2" "missing column" "the cover sheet has no registry columns"
jh admin import-schools --sheet 数据 "$T/schools.xlsx" >"$T/imp3" || { cat "$T/imp3"; fail "import-schools --sheet"; }
check_eq "$(sql 'SELECT count(*) FROM schools')" "1000" "registry imported from the workbook's second sheet"
check_eq "$(sql "SELECT count(*) FROM schools s JOIN (VALUES ('2137020001')) v(c) ON s.school_code = v.c")" "1" \
    "a school code written as a number reads back as its digits"

# 60 submissions: CSV and its workbook twin.
head -n 61 "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/sample.csv"
"$X" --cover "$T/sample.csv" "$T/sample.xlsx" || fail "csv_to_xlsx submissions"
rc=0
jh submit --quiet --spool "$T/sp" --sheet 2 "$T/sample.xlsx" >"$T/out1" 2>&1 || rc=$?
check_eq "$rc" "0" "the workbook's submissions accepted"
check_contains "$T/out1" "60 accepted or duplicate, 0 refused, 0 not answered" "every workbook row accepted"
rc=0
jh submit --quiet --spool "$T/sp" "$T/sample.csv" >"$T/out2" 2>&1 || rc=$?
check_eq "$rc" "0" "the CSV twin accepted"
codes=$(tail -n +2 "$T/sample.csv" | cut -d, -f1 | sed "s/.*/'&'/" | paste -sd,)
check_eq "$(sql "SELECT count(*) FROM (SELECT school_code FROM submissions WHERE school_code IN ($codes)
                 GROUP BY school_code HAVING count(*) = 2 AND count(DISTINCT substring(payload FROM 39)) = 1) s")" \
    "60" "the workbook's numbers equal the CSV's, school by school"

# A row's line is the sheet's row: a refused row names it.
sed '3s/^\([0-9]*\),2025,/\1,2025-2026,/' "$T/sample.csv" >"$T/bad.csv"
"$X" --name 学校 "$T/bad.csv" "$T/bad.xlsx" || fail "csv_to_xlsx bad"
rc=0
jh submit --spool "$T/sp" --sheet 学校 "$T/bad.xlsx" >"$T/out3" 2>&1 || rc=$?
check_eq "$rc" "1" "the workbook with a bad row: some refused"
grep -q "bad.xlsx:3 .* refused" "$T/out3" || { cat "$T/out3"; fail "the refused row is named by its sheet row (3)"; }
echo "ok - the refused row is named by its sheet row"

# Refusals with hints.
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' >"$T/old.xls"
head -c 504 /dev/zero >>"$T/old.xls"
rc=0
jh submit --spool "$T/sp" "$T/old.xls" >"$T/out4" 2>&1 || rc=$?
check_eq "$rc" "2" "an .xls is refused"
check_contains "$T/out4" "this is an old Excel (.xls) file: save it as .xlsx or CSV" "the .xls hint"
rc=0
jh submit --spool "$T/sp" --sheet 2 "$T/sample.csv" >"$T/out5" 2>&1 || rc=$?
check_eq "$rc" "2" "--sheet on a CSV is refused"
check_contains "$T/out5" "--sheet is for an Excel workbook" "the --sheet hint"
rc=0
jh submit --spool "$T/sp" --sheet 9 "$T/sample.xlsx" >"$T/out6" 2>&1 || rc=$?
check_eq "$rc" "2" "a missing sheet is refused"
check_contains "$T/out6" "no sheet '9' (the workbook has 2: 说明, 数据)" "the sheets are listed"

# The county-inputs template as a workbook, filled in by openpyxl, sent by a county key.
key_new county
key_set county 371402 county
jh template county-inputs --county 371402 --period 2025 --xlsx --out "$T/tpl.xlsx" || fail "template --xlsx"
jh county template --county 371402 --period 2025 --xlsx --out "$T/tpl2.xlsx" || fail "county template --xlsx"
"$PY" -c 'import openpyxl, sys; a, b = (list(openpyxl.load_workbook(f).active.values) for f in sys.argv[1:]); sys.exit(a != b)' \
    "$T/tpl.xlsx" "$T/tpl2.xlsx" || fail "county template --xlsx is template county-inputs --xlsx"
echo "ok - county template --xlsx is template county-inputs --xlsx"
"$PY" - "$T/tpl.xlsx" "$T/filled.xlsx" <<'PYEOF' || fail "fill the workbook"
import sys
import openpyxl
fill = {("2.8", "teacher_avg_pay_yuan"): (98500, "县人社局2025年工资统计表"),
        ("2.8", "civil_servant_avg_pay_yuan"): (97200, "县人社局2025年工资统计表"),
        ("2.8", "performance_pay_approved"): ("是", "临政发〔2025〕12号")}
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
head = [c.value for c in ws[1]]
i, fld, v, e = head.index("序号"), head.index("字段"), head.index("数值"), head.index("佐证材料")
for row in ws.iter_rows(min_row=2):
    key = (row[i].value, row[fld].value)
    if key in fill:
        row[v].value, row[e].value = fill[key]
wb.save(sys.argv[2])
PYEOF
rc=0
jh_as county --timeout 1000 --retries 2 county submit --spool "$T/spc" "$T/filled.xlsx" >"$T/out7" 2>&1 || rc=$?
check_eq "$rc" "0" "the filled workbook is sent"
check_contains "$T/out7" "371402 period 2025 accepted revision 1" "one revision of the county's inputs"
check_eq "$(sql 'SELECT count(*) FROM county_inputs')" "1" "stored once"

daemon_stop || fail "daemon did not exit 0 on SIGTERM"
echo "ok - clean stop"
