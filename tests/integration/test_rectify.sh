#!/usr/bin/env bash
# junheng plan (docs/plan.md) against the real daemon: the schools come
# through the what-if (with_schools), the plan is checked by a what-if with
# its additions, and then submitted for real -- each school's row with the
# additions applied, as a new revision -- and the status read: resource
# allocation and item 2.3 pass. Also the budget case, CSV and XLSX output.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
D="$(dirname "$0")/data"
pg_start
daemon_start --publish_interval_ms 0
jh admin import-counties "$D/status-counties.csv" >/dev/null
jh admin import-schools "$D/status-schools.csv" >/dev/null
# The status test's county, made worse: school 1 short of equipment (1400 of
# 2000 yuan) and of an art room (80 m² of 90); school 3 already misses sports
# area (80 %) and multimedia rooms (72 %); school 4 has 16 classes and one room
# of each kind (2.3 asks for two).
awk -F, -v OFS=, '$1 == "3799010001" { $13 = 700000; $16 = 80 } { print }' "$D/status-submissions.csv" >"$T/subs.csv"
jh submit "$T/subs.csv" >"$T/submit.out" || { cat "$T/submit.out"; fail "submit"; }
before=$(jh status --county 379901 --json | jq -r '.resource_allocation_pass')
check_eq "$before" "false" "the county fails before the plan"

jh plan --county 379901 --json >"$T/plan.json" || { cat "$T/plan.json"; fail "junheng plan did not pass"; }
check_eq "$(jq -r .outcome "$T/plan.json")" "passes" "plan outcome"
check_eq "$(jq -r .check.done "$T/plan.json")" "true" "checked through the what-if"
check_eq "$(jq -r .check.resource_allocation_pass "$T/plan.json")" "true" "what-if: resource allocation passes"
check_eq "$(jq -r .check.music_art_rooms_pass "$T/plan.json")" "true" "what-if: item 2.3 passes"
check_eq "$(jq -r '.lower_bound <= .cost and .lp_bound <= .lower_bound and .cost <= .naive_cost' "$T/plan.json")" \
    "true" "lp bound <= lower bound <= cost <= naive cost"
check_eq "$(jq -r '[.schools[].school_code] | sort | join(" ")' "$T/plan.json")" "3799010001 3799010003 3799010004" \
    "schools with additions"

# Submit the plan for real: each planned school's row with its additions.
jq -r '.schools[] | [.school_code, .primary_qualified, .primary_backbone, .primary_pe_art, .teaching_area_m2,
    .sports_area_m2, .equipment_yuan, .multimedia_rooms, .music_rooms, .art_rooms] | @tsv' "$T/plan.json" >"$T/adds.tsv"
awk -F, -v OFS=, -v adds="$T/adds.tsv" '
    BEGIN { while ((getline line < adds) > 0) { split(line, a, "\t"); for (k = 2; k <= 10; k++) A[a[1], k] = a[k] } }
    NR == 1 { for (i = 1; i <= NF; i++) C[$i] = i; print; next }
    !(($1, 2) in A) { next }
    {
        q = A[$1, 2]; b = A[$1, 3]; p = A[$1, 4]; n = q + b + p
        $C["primary_qualified_teachers"] += q; $C["primary_backbone_teachers"] += b
        $C["primary_pe_art_teachers"] += p; $C["primary_teachers"] += n
        $C["certified_teachers"] += n; $C["trained_teachers"] += n
        $C["teaching_area_m2"] += A[$1, 5]; $C["sports_area_m2"] += A[$1, 6]
        $C["equipment_value_yuan"] += A[$1, 7]; $C["multimedia_rooms"] += A[$1, 8]
        for (r = 0; r < A[$1, 9]; r++) $C["music_room_areas_m2"] = $C["music_room_areas_m2"] ";96"
        for (r = 0; r < A[$1, 10]; r++) $C["art_room_areas_m2"] = $C["art_room_areas_m2"] ";90"
        print
    }' "$T/subs.csv" >"$T/planned.csv"
check_eq "$(($(wc -l <"$T/planned.csv") - 1))" "3" "three revised rows"
jh submit "$T/planned.csv" >"$T/submit2.out" || { cat "$T/submit2.out"; fail "submit the plan"; }
jh status --county 379901 --json >"$T/after.json"
check_eq "$(jq -r .resource_allocation_pass "$T/after.json")" "true" "submitted for real: resource allocation passes"
check_eq "$(jq -r .guarantee.music_art_rooms.pass "$T/after.json")" "true" "submitted for real: item 2.3 passes"

# The budget case: one yuan buys nothing; the plan says so (exit 1).
jh submit "$T/subs.csv" >/dev/null
rc=0
jh plan --county 379901 --budget 1 --json >"$T/budget.json" || rc=$?
check_eq "$rc" "1" "over budget: exit 1"
check_eq "$(jq -r .outcome "$T/budget.json")" "over_budget" "over budget outcome"
check_eq "$(jq -r '.cost <= 1' "$T/budget.json")" "true" "within the budget"

# The table, CSV and workbook.
jh plan --county 379901 --csv "$T/plan.csv" >"$T/plan.txt"
check_contains "$T/plan.txt" "朴素方案" "the table shows the naive plan"
check_contains "$T/plan.csv" "学校代码 school_code" "CSV headings in Chinese and English"
jh plan --county 379901 --xlsx "$T/plan.xlsx" >/dev/null
[ -s "$T/plan.xlsx" ] || fail "no workbook"
echo "ok - workbook written"
