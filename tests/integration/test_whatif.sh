#!/usr/bin/env bash
# junheng whatif (docs/whatif.md): a what-if answers exactly the status that
# really submitting the same change gives (the "after" object against the
# status read after a real submission, ignoring seq and computed_at); it
# stores and publishes nothing (the status and its seq unchanged); the
# original submission sent back restores the status; refusals: a school key,
# an unknown field, a change that makes the submission invalid (naming the
# column), a school of another county.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
D="$(dirname "$0")/data"
pg_start
daemon_start --publish_interval_ms 0
jh admin import-counties "$D/status-counties.csv" >/dev/null
jh admin import-schools "$D/status-schools.csv" >/dev/null
jh submit "$D/status-submissions.csv" >"$T/submit.out" || { cat "$T/submit.out"; fail "submit"; }

strip() { jq -S 'del(.seq, .computed_at, .published_at, .epoch)' "$1"; }
jh status --county 379901 --json >"$T/before.json"
seq0=$(jq -r .seq "$T/before.json")

# School 3 is 450 m² short of sports ground and 2 multimedia rooms short
# (test_status.sh): +450 and 7 rooms pass it.
CHANGE=(3799010003.sports_area_m2=+450 3799010003.multimedia_rooms=7)
jh whatif --county 379901 "${CHANGE[@]}" --json >"$T/w.json" || fail "whatif"
check_eq "$(jq -c '.changes[0] | [.school_code, .field, .old, .new]' "$T/w.json")" \
    '["3799010003","sports_area_m2",1800,2250]' "the change as applied, old and new"
check_eq "$(jq -c '.diff.sections_flipped' "$T/w.json")" \
    '[{"school_code":"3799010003","stage":"primary","before":"fail","after":"pass"}]' "school 3 flips to pass"
check_eq "$(jq -r '.diff.coefficients | length' "$T/w.json")" "7" "seven primary coefficients"
check_eq "$(jq -r '.diff.coefficients[] | select(.indicator == "sports_area") | (.before != .after)' "$T/w.json")" \
    "true" "the sports-area coefficient moves"
check_eq "$(jq -r '.diff.verdict | has("before") and has("after")' "$T/w.json")" "true" "verdict before and after"
jq '.before' "$T/w.json" >"$T/w_before.json"
diff <(strip "$T/w_before.json") <(strip "$T/before.json") >/dev/null || fail "'before' is not the current status"
echo "ok - 'before' is the current status"

# Nothing stored, nothing published.
jh status --county 379901 --json >"$T/still.json"
check_eq "$(jq -r .seq "$T/still.json")" "$seq0" "seq unchanged by the what-if"
diff <(strip "$T/still.json") <(strip "$T/before.json") >/dev/null || fail "the what-if changed the status"
echo "ok - status unchanged by the what-if"

# The text page.
jh whatif --county 379901 "${CHANGE[@]}" >"$T/w.txt" || fail "whatif text"
check_contains "$T/w.txt" "3799010003.sports_area_m2: 1800 → 2250" "text: the change"
check_contains "$T/w.txt" "sports_area" "text: the coefficients"

# The same change really submitted: the status equals the what-if's "after".
head -1 "$D/status-submissions.csv" >"$T/changed.csv"
grep '^3799010003,' "$D/status-submissions.csv" | awk -F, -v OFS=, '{ $12 = $12 + 450; $14 = 7; print }' >>"$T/changed.csv"
jh submit "$T/changed.csv" >/dev/null || fail "submit the change"
for _ in $(seq 1 50); do
    jh status --county 379901 --json >"$T/real.json"
    [ "$(jq -r .seq "$T/real.json")" != "$seq0" ] && break
    sleep 0.1
done
jq '.after' "$T/w.json" >"$T/w_after.json"
diff <(strip "$T/w_after.json") <(strip "$T/real.json") >"$T/after.diff" ||
    { head -40 "$T/after.diff"; fail "the what-if's 'after' differs from the status after really submitting"; }
echo "ok - what-if equals submitting the change and reading the status"

# A changes file (Chinese headings) undoing it from the new state gives back the first status.
printf '学校标识码,字段,值\n3799010003,体育运动场馆面积,-450\n3799010003,网络多媒体教室数,5\n' >"$T/undo.csv"
jh whatif --county 379901 --changes "$T/undo.csv" --json >"$T/undo.json" || fail "whatif --changes"
diff <(jq '.after' "$T/undo.json" | strip /dev/stdin) <(strip "$T/before.json") >/dev/null ||
    fail "undoing by what-if does not give the first status"
echo "ok - --changes file with Chinese headings"

# The original back: the status is the first one again.
head -1 "$D/status-submissions.csv" >"$T/orig.csv"
grep '^3799010003,' "$D/status-submissions.csv" >>"$T/orig.csv"
jh submit "$T/orig.csv" >/dev/null || fail "submit the original back"
sleep 0.3
jh status --county 379901 --json >"$T/back.json"
diff <(strip "$T/back.json") <(strip "$T/before.json") >/dev/null || fail "the original back is not the first status"
echo "ok - original submitted back"

# with_schools is the plan helper's: not on the command line, checked by the unit tests.

# Refusals.
rc=0; jh whatif --county 379901 3799010003.no_such_field=1 2>"$T/e1" >/dev/null || rc=$?
check_eq "$rc" "1" "unknown field refused"
check_contains "$T/e1" "3799010003.no_such_field" "refusal names school.field"
rc=0; jh whatif --county 379901 3799010003.primary_qualified_teachers=+1000 2>"$T/e2" >/dev/null || rc=$?
check_eq "$rc" "1" "invalid result refused"
check_contains "$T/e2" "3799010003.primary_qualified_teachers" "refusal names the invalid column"
rc=0; jh whatif --county 379901 3799019999.sports_area_m2=1 2>"$T/e3" >/dev/null || rc=$?
check_eq "$rc" "1" "unknown school refused"
rc=0; jh whatif --county 379901 --view official 3799010003.sports_area_m2=1 2>"$T/e5" >/dev/null || rc=$?
check_eq "$rc" "1" "official view: nothing approved to change"
check_contains "$T/e5" "no official submission" "the refusal says why"
key_new school1
key_set school 3799010001 school1
rc=0; jh_as school1 whatif --county 379901 3799010001.sports_area_m2=+1 2>"$T/e4" >/dev/null || rc=$?
check_eq "$rc" "1" "school key refused"
check_contains "$T/e4" "school key" "the refusal says why"
key_new county1
key_set county 379901 county1
jh_as county1 whatif --county 379901 3799010001.sports_area_m2=+1 --json >/dev/null || fail "the county's own key may"
check_eq "$(jq -r .seq <(jh status --county 379901 --json))" "$(jq -r .seq "$T/back.json")" "no publication by what-ifs"
echo "PASS"
