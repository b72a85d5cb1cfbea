#!/usr/bin/env bash
# The city's plan (docs/formats.md "The city's plan"): Dezhou's plan imported
# over the demo data; the status JSON's "plan" object holds each planned
# figure beside the one measured -- checked here against the same status's
# sections, stages and guarantee counts (jq) -- with "behind" per figure and
# the due year; a revision for one county and year replaces the plan in
# force and republishes the county; a file with a bad column is refused
# naming the line and column; the revisions and the audit row are stored;
# an .xlsx plan is read; status (text and --city) and the HTML report show
# the plan; a restart loads it back.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0
load_demo_registry
jh submit "$SRC/deploy/demo-data/submissions-2025.csv" >/dev/null || fail "submit"
jh status --county 371403 --json | jq -e '.plan == null' >/dev/null || fail "no plan yet: plan is not null"
echo "ok - before any import the status's plan is null"

jh admin import-plan "$SRC/deploy/demo-data/dezhou-plan.csv" >"$T/import.out" || { cat "$T/import.out"; fail "import"; }
check_contains "$T/import.out" "12" "the import answers its rows"
check_eq "$(sql 'SELECT count(*) FROM plan_revisions')" "12" "one revision per county"
check_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'import_plan'")" "1" "one audit row"

# The measured figures, from the status's own sections and counts.
jh status --county 371403 --json >"$T/s.json"
jq -e '.plan.applies_to == "every_year" and .plan.due == 2025 and .plan.figures.cv_primary.planned == 0.54
       and .plan.figures.sports_area.planned == 71.79 and .plan.figures.sports_area.unit == "percent"' "$T/s.json" \
    >/dev/null || { jq .plan "$T/s.json"; fail "the planned figures of 陵城区"; }
echo "ok - 陵城区's planned figures and due year"
jq -e '
  def close(a; b): (a - b) | fabs < 1e-9;
  [.sections[] | select(.excluded == null)] as $s | ($s | length) as $n
  | (.stages.primary.indicators | map(.cv // empty) | max) as $cvp
  | ([$s[] | select([.shortfalls[].indicator] | index("sports_area") | not)] | length) as $sports
  | ([$s[] | select(.met == 7)] | length) as $all
  | .guarantee.class_size as $cs
  | close(.plan.figures.cv_primary.measured; $cvp)
    and close(.plan.figures.sports_area.measured; 100 * $sports / $n)
    and close(.plan.figures.all_seven.measured; 100 * $all / $n)
    and close(.plan.figures.class_size.measured; 100 * $cs.schools_complying / $cs.schools_applicable)
    and ([.plan.figures | to_entries[] | .value
          | (.behind == (if .unit == "percent" then .measured < .planned - 1e-9 else .measured > .planned + 1e-9 end))]
         | all)
    and .plan.behind_count == ([.plan.figures[] | select(.behind)] | length)
    and .plan.behind_in_due_year == (.plan.behind_count > 0)' "$T/s.json" >/dev/null ||
    { jq .plan "$T/s.json"; fail "measured figures or behind flags of 陵城区"; }
echo "ok - measured = the sections' shares and the stage's worst coefficient; behind where worse than planned"
jh status --county 371425 --json | jq -e '.plan.due == 2023 and .plan.behind_in_due_year == false' >/dev/null ||
    fail "齐河县 is due in 2023, not in the 2025 status's year"
echo "ok - a county due in another year is not called out"

# A revision for one county and school year: in force for that year, republished.
seq0=$(jq .seq "$T/s.json")
printf '县区代码,学年,小学差异系数目标,七项指标均达标学校占比（%%）,申报省级评估年份（年）\n371403,2025,0.9,0,2026\n' >"$T/rev.csv"
jh admin import-plan "$T/rev.csv" >/dev/null || fail "the revision was refused"
jh status --county 371403 --json >"$T/s2.json"
jq -e --argjson seq0 "$seq0" '.plan.applies_to == "2025" and .plan.figures.cv_primary.planned == 0.9
    and .plan.figures.cv_primary.behind == false and .plan.figures.sports_area == null and .plan.due == 2026
    and .plan.behind_in_due_year == false and .seq > $seq0' "$T/s2.json" >/dev/null ||
    { jq '{seq, plan}' "$T/s2.json"; fail "the revision is not in force"; }
check_eq "$(sql "SELECT count(*) FROM plan_revisions WHERE county_code = '371403'")" "2" "revisions kept (append-only)"
echo "ok - the newest revision for the year is in force, and the county republished"

# Refused: a bad column, a bad cell (line and column named), a county not in the registry.
printf 'county,cv_target_primary,sports_area_pct（万元）\n陵城区,0.5,80\n' >"$T/bad1.csv"
jh admin import-plan "$T/bad1.csv" >"$T/bad1.out" 2>&1 && fail "a file with a bad unit was accepted"
check_contains "$T/bad1.out" "sports_area_pct（万元）" "a column with another unit is refused, named"
printf 'county,cv_target_primary,sport_area_pct\n陵城区,0.5,80\n' >"$T/bad2.csv"
jh admin import-plan "$T/bad2.csv" >"$T/bad2.out" 2>&1 && fail "an unknown column was accepted"
check_contains "$T/bad2.out" "sports_area_pct" "an unknown column is refused with the nearest known one"
printf 'county,cv_target_primary,sports_area_pct\n陵城区,0.5,180\n某某县,0.5,80\n' >"$T/bad3.csv"
jh admin import-plan "$T/bad3.csv" >"$T/bad3.out" 2>&1 && fail "a bad row was accepted"
check_contains "$T/bad3.out" "line 2: sports_area_pct" "a bad share is refused by line and column"
check_contains "$T/bad3.out" "line 3: county" "an unknown county is refused by line and column"
check_eq "$(sql 'SELECT count(*) FROM plan_revisions')" "13" "refused files store nothing"

# The blank workbook (junheng template plan --xlsx), read back as its example row (齐河县).
jh template plan --xlsx --out "$T/plan.xlsx"
jh admin import-plan "$T/plan.xlsx" >/dev/null || fail "the plan template as a workbook was refused"
jh status --county 371425 --json | jq -e '.plan.years.city_review == 2023 and .plan.figures.class_size.planned == 73.81' \
    >/dev/null || fail "the workbook's plan is not in force"
echo "ok - a plan workbook (.xlsx) is read as a CSV would be"

# Shown: status text and --city, the report.
jh status --county 371403 >"$T/page.txt"
check_contains "$T/page.txt" "cv_primary" "status: the plan section"
jh status --city 3714 >"$T/city.txt"
check_contains "$T/city.txt" "plan" "status --city: the plan column"
jh report --city 3714 --out "$T/report.html" 2>/dev/null || fail "report"
check_contains "$T/report.html" 'class="plan"' "report: the planned vs measured table"

# A restart loads the plan back.
daemon_stop
daemon_start --publish_interval_ms 0
jh status --county 371403 --json | jq -e '.plan.applies_to == "2025" and .plan.figures.cv_primary.planned == 0.9' \
    >/dev/null || fail "the plan after a restart"
echo "ok - a restart loads the plan in force"
