#!/usr/bin/env bash
# junheng report --self-assessment: the county's self-assessment table (自评表)
# written as XLSX and as CSV from the daemon's status, the XLSX read back cell
# by cell with openpyxl (Debian's python3-openpyxl) and compared with the CSV
# (both render one in-memory table, so they must be equal); the page setup a
# bureau prints (A4 landscape, fit to width, frozen and repeated headings);
# one row per item (1.1–1.7 one per stage); the verdict as 达标/未达标/待定
# (待定 when the status carries no whole verdict); and the city workbook:
# a summary sheet plus one sheet per county.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || fail "openpyxl not installed (Debian package python3-openpyxl)"
pg_start
daemon_start
load_demo_registry
jh submit "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
jh status --city 3714 --json >"$T/statuses"
C=$(jq -r '.county.code' "$T/statuses" | head -n 1)
[ -n "$C" ] || fail "no county in the demo"
jh status --county "$C" --json >"$T/county.json"

jh report --self-assessment --county "$C" --out "$T/sa.xlsx" 2>"$T/x.err" || { cat "$T/x.err"; fail "xlsx"; }
jh report --self-assessment --county "$C" --out "$T/sa.csv" 2>"$T/c.err" || { cat "$T/c.err"; fail "csv"; }
check_eq "$(head -c 3 "$T/sa.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the CSV starts with a BOM"

# The verdict a person must read, from the JSON: 待定 when there is none.
want_verdict=$(jq -r '{"pass":"达标","fail":"未达标"}[.verdict // "pending"] // "待定"' "$T/county.json")
n_extra=$(jq '[.items // [] | .[] | select(.number | test("^5\\.([7-9]|[1-9][0-9])$"))] | length' "$T/county.json")

"$PY" - "$T/sa.xlsx" "$T/sa.csv" "$C" "$want_verdict" "$n_extra" <<'EOF' || fail "the workbook does not match the CSV"
import csv, sys
import openpyxl
xlsx, csv_path, code, verdict, n_extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
wb = openpyxl.load_workbook(xlsx)
assert len(wb.sheetnames) == 1, wb.sheetnames
ws = wb[wb.sheetnames[0]]
assert ws.title.startswith(code), ws.title
with open(csv_path, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
# Cell by cell: the title row (one cell, merged across the columns), the headings, every item row.
assert ws.max_row == len(rows), (ws.max_row, len(rows))
for r, row in enumerate(rows, start=1):
    for c in range(1, 10):
        got = ws.cell(row=r, column=c).value
        got = "" if got is None else str(got)
        want = row[c - 1] if c - 1 < len(row) else ""
        assert got == want, f"cell {r},{c}: xlsx {got!r} csv {want!r}"
heads = ["序号", "评估内容", "指标及标准", "计算口径", "原始数据", "县自评结果", "是否达标", "佐证材料", "数据来源"]
assert rows[1] == heads, rows[1]
assert code in rows[0][0] and "自评表" in rows[0][0], rows[0][0]
assert ("结论：" + verdict) in rows[0][0], (verdict, rows[0][0])
assert "PASS" not in rows[0][0]
items = rows[2:]
assert len(items) == 7 * 2 + 31 + n_extra, len(items)
for k in range(7):
    a, b = items[2 * k], items[2 * k + 1]
    assert a[0] == b[0] == f"1.{k + 1}", (a[0], b[0])
    assert "小学" in a[1] and "初中" in b[1], (a[1], b[1])
numbers = [r[0] for r in items[14:14 + 31]]
want = [f"2.{i}" for i in range(1, 16)] + [f"3.{i}" for i in range(1, 10)] + ["4.1"] + [f"5.{i}" for i in range(1, 7)]
assert numbers == want, numbers
for r in items:
    assert r[6] in ("达标", "未达标", "不适用", "待补充"), r
# Page setup: A4 landscape, fit to one page wide, headings frozen and repeated.
ps = ws.page_setup
assert ps.orientation == "landscape", ps.orientation
assert str(ps.paperSize) == "9", ps.paperSize
assert ws.sheet_properties.pageSetUpPr.fitToPage, "fit to page"
# fitToWidth 1 is the OOXML default, which writers may leave out; height 0 = as many pages as needed.
assert str(ps.fitToWidth) in ("None", "1") and str(ps.fitToHeight) == "0", (ps.fitToWidth, ps.fitToHeight)
assert ws.freeze_panes == "A3", ws.freeze_panes
assert ws.print_title_rows in ("1:2", "$1:$2"), ws.print_title_rows
assert "A1:I1" in [str(m) for m in ws.merged_cells.ranges], ws.merged_cells.ranges
assert ws.column_dimensions["B"].width > 20, ws.column_dimensions["B"].width
assert ws.cell(row=3, column=2).alignment.wrap_text, "wrapped text"
print(f"ok - {len(items)} item rows, cell by cell equal to the CSV; A4 landscape, frozen, repeated headings")
EOF
echo "ok - self-assessment XLSX equals its CSV; verdict $want_verdict"

# The city workbook: summary + one sheet per county, verdicts as the JSON says.
jh report --self-assessment --city 3714 --out "$T/city.xlsx" 2>"$T/city.err" || { cat "$T/city.err"; fail "city"; }
jq -r '[.county.code, ({"pass":"达标","fail":"未达标"}[.verdict // "pending"] // "待定"),
        "\(.coverage.schools_submitted)/\(.coverage.schools_registered)"] | @tsv' "$T/statuses" >"$T/want.tsv"
"$PY" - "$T/city.xlsx" "$T/want.tsv" <<'EOF' || fail "the city workbook"
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
want = [line.rstrip("\n").split("\t") for line in open(sys.argv[2], encoding="utf-8")]
assert wb.sheetnames[0] == "汇总", wb.sheetnames
assert len(wb.sheetnames) == 1 + len(want), (len(wb.sheetnames), len(want))
s = wb["汇总"]
assert [c.value for c in s[2]] == ["县区代码", "县区名称", "结论", "未达标项数", "待补充项数", "填报学校（已报/登记）"]
for i, (code, verdict, cover) in enumerate(want):
    row = [c.value for c in s[i + 3]]
    assert row[0] == code and row[2] == verdict and row[5] == cover, (row, code, verdict, cover)
    sheet = wb[wb.sheetnames[i + 1]]
    assert sheet.title.startswith(code), sheet.title
    assert code in sheet["A1"].value, sheet["A1"].value
    assert sheet.page_setup.orientation == "landscape" and sheet.freeze_panes == "A3"
print(f"ok - city workbook: 汇总 + {len(want)} county sheets")
EOF

jh report --self-assessment --city 3714 --out "$T/city.csv" 2>/dev/null && fail "a city CSV was accepted"
jh report --self-assessment --help | grep -q "自评表" || fail "report --self-assessment --help"
echo "ok - usage"
