#!/usr/bin/env bash
# Registry imports: all or nothing with every error named; re-import updates
# rows in place; a school missing from its county's file becomes inactive
# (never deleted) and leaves the county's coverage; a renamed county shows its
# new name in the live status; submissions for an inactive school are refused.
source "$(dirname "$0")/lib.sh"
D="$(dirname "$0")/data"
pg_start
daemon_start
jh admin import-counties "$D/status-counties.csv" >/dev/null
jh admin import-schools "$D/status-schools.csv" >"$T/imp1"
check_contains "$T/imp1" "inserted           5" "five schools inserted"
jh submit "$D/status-submissions.csv" >/dev/null || fail "submit"

# A bad file is refused whole, every bad row named; nothing changes.
{
    head -n 1 "$D/status-schools.csv"
    echo "3799010006,新学校,379901,primary,urban,1,0"
    echo "37990100,短码学校,379901,primary,urban,1,0"
    echo "3799010007,类型错误,379901,university,urban,1,0"
} >"$T/bad.csv"
rc=0
jh admin import-schools "$T/bad.csv" 2>"$T/bad.err" || rc=$?
check_eq "$rc" "1" "bad registry refused"
check_contains "$T/bad.err" "line 3" "short code's line named"
check_contains "$T/bad.err" "line 4" "bad kind's line named"
check_eq "$(sql "SELECT count(*) FROM schools")" "5" "nothing imported from a refused file"

# Re-import: school 4 renamed, school 3 gone from the file.
grep -v '^3799010003' "$D/status-schools.csv" | sed 's/测试县第四小学/测试县实验小学/' >"$T/re.csv"
jh admin import-schools "$T/re.csv" >"$T/imp2"
check_contains "$T/imp2" "updated            1" "one school updated in place"
check_contains "$T/imp2" "deactivated        1" "one school marked inactive"
check_eq "$(sql "SELECT active FROM schools WHERE school_code = '3799010003'")" "f" "missing school inactive, not deleted"
check_eq "$(sql "SELECT name FROM schools WHERE school_code = '3799010004'")" "测试县实验小学" "name updated"
jh status --county 379901 --json >"$T/s.json"
check_eq "$(jq -r '.coverage.schools_registered' "$T/s.json")" "4" "inactive school leaves the registered count"
check_eq "$(jq -r '[.sections[].school_code] | index("3799010003")' "$T/s.json")" "null" \
    "inactive school leaves the assessment"
check_eq "$(jq -r '.sections[] | select(.school_code == "3799010004") | .name' "$T/s.json" | head -n 1)" "测试县实验小学" \
    "new school name in the status"

# A submission for the inactive school is refused by the daemon, by column.
rc=0
grep -E '^(school_code|3799010003)' "$D/status-submissions.csv" >"$T/s3.csv"
jh submit "$T/s3.csv" >"$T/s3.out" || rc=$?
check_eq "$rc" "1" "inactive school's submission refused"
check_contains "$T/s3.out" "inactive in the school registry" "reason names the registry"

# County rename reaches the live status.
printf 'county_code,name\n379901,测试新县\n' >"$T/c.csv"
jh admin import-counties "$T/c.csv" >/dev/null
check_eq "$(jh status --county 379901 --json | jq -r .county.name)" "测试新县" "renamed county in the live status"

# The same holds after a restart (state rebuilt from the database).
daemon_stop
daemon_start
jh status --county 379901 --json >"$T/s2.json"
check_eq "$(jq -r '.county.name, .coverage.schools_registered' "$T/s2.json" | tr '\n' ' ')" "测试新县 4 " \
    "restart keeps name and coverage"
