#!/usr/bin/env bash
# The county status through the real client and daemon, compared with values
# computed independently here (awk, straight from the CSV, two-pass): the
# student-weighted mean and difference coefficient of all seven indicators,
# sections meeting and passing, coverage; then a correction revision updates
# the status, and the city summary and history show it.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
D="$(dirname "$0")/data"
pg_start
daemon_start --publish_interval_ms 0
jh admin import-counties "$D/status-counties.csv" >/dev/null
jh admin import-schools "$D/status-schools.csv" >/dev/null
jh submit "$D/status-submissions.csv" >"$T/submit.out" || { cat "$T/submit.out"; fail "submit"; }

# Independent computation: primary-only schools, no resource split.
expected() {
    awk -F, 'NR > 1 {
        n++; P[n] = $3
        X[n,1] = $6 * 100 / $3; X[n,2] = $7 * 100 / $3; X[n,3] = $8 * 100 / $3
        X[n,4] = $11 / $3; X[n,5] = $12 / $3; X[n,6] = $13 / $3; X[n,7] = $14 * 100 / $3
    }
    END {
        split("4.2 1.0 0.9 4.5 7.5 2000 2.3", S, " ")
        split("qualified_teachers backbone_teachers pe_art_teachers teaching_area sports_area equipment_value multimedia_rooms", ID, " ")
        for (i = 1; i <= n; i++) Ptot += P[i]
        for (k = 1; k <= 7; k++) {
            m = 0; for (i = 1; i <= n; i++) m += P[i] / Ptot * X[i,k]
            v = 0; for (i = 1; i <= n; i++) v += P[i] / Ptot * (X[i,k] - m) ^ 2
            meet = 0; for (i = 1; i <= n; i++) if (X[i,k] >= S[k] * (1 - 1e-9)) meet++
            printf "%s %.12g %.12g %d\n", ID[k], m, sqrt(v) / m, meet
        }
        pass = 0
        for (i = 1; i <= n; i++) {
            met = 0; ok = 1
            for (k = 1; k <= 7; k++) { if (X[i,k] >= S[k] * (1 - 1e-9)) met++; else if (X[i,k] < 0.85 * S[k] * (1 - 1e-9)) ok = 0 }
            if (met >= 6 && ok) pass++
        }
        printf "passing %d\nstudents %d\nsections %d\n", pass, Ptot, n
    }' "$D/status-submissions.csv"
}
expected >"$T/expected"
jh status --county 379901 --json >"$T/status.json"

close() { # close ACTUAL EXPECTED WHAT : relative 1e-9
    awk -v a="$1" -v e="$2" 'BEGIN { d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e; exit !(d <= 1e-9 * (s > 1 ? s : 1)) }' ||
        fail "$3: expected $2, got $1"
    echo "ok - $3 ($1)"
}
while read -r id mean cv meet; do
    case "$id" in passing | students | sections) continue ;; esac
    got_mean=$(jq -r ".stages.primary.indicators[] | select(.id == \"$id\") | .mean" "$T/status.json")
    got_cv=$(jq -r ".stages.primary.indicators[] | select(.id == \"$id\") | .cv" "$T/status.json")
    got_meet=$(jq -r ".stages.primary.indicators[] | select(.id == \"$id\") | .sections_meeting" "$T/status.json")
    close "$got_mean" "$mean" "$id mean"
    close "$got_cv" "$cv" "$id cv"
    check_eq "$got_meet" "$meet" "$id sections meeting"
done <"$T/expected"
check_eq "$(jq -r .stages.primary.sections_passing "$T/status.json")" "$(awk '$1 == "passing" {print $2}' "$T/expected")" \
    "sections passing"
check_eq "$(jq -r .stages.primary.students "$T/status.json")" "$(awk '$1 == "students" {print $2}' "$T/expected")" \
    "primary students"
check_eq "$(jq -r .stages.primary.sections_assessed "$T/status.json")" "4" "sections assessed (special school excluded)"
check_eq "$(jq -r .stages.junior.applicable "$T/status.json")" "false" "junior not applicable"
check_eq "$(jq -r '.coverage.schools_registered, .coverage.schools_submitted' "$T/status.json" | tr '\n' ' ')" "5 4 " \
    "coverage"
check_eq "$(jq -r '.coverage.missing[0]' "$T/status.json")" "3799010005" "missing school listed"
check_eq "$(jq -r '.county.name, .county.city_code, .period' "$T/status.json" | tr '\n' ' ')" "测试县 379900 2025 " \
    "county identity"
check_eq "$(jq -r '.stages.primary.indicators | length' "$T/status.json")" "7" "seven indicators"
check_eq "$(jq -r '.stages.primary.indicators[0].name_zh' "$T/status.json")" "每百名学生拥有高于规定学历教师数" \
    "Chinese indicator name"
# School 3 is below 85 % on sports area: it fails, with a shortfall in m².
check_eq "$(jq -r '.sections[] | select(.school_code == "3799010003") | .pass' "$T/status.json")" "false" "school 3 fails"
needed=$(jq -r '.sections[] | select(.school_code == "3799010003") | .shortfalls[] | select(.indicator == "sports_area") | .needed' "$T/status.json")
close "$needed" 450 "school 3 needs 450 m² sports area (300 × 7.5 − 1800)"

# The text page names the indicators in Chinese and lists the rectification.
jh status --county 379901 >"$T/page"
check_contains "$T/page" "生均体育运动场馆面积" "page shows Chinese names"
check_contains "$T/page" "整改清单" "page has the rectification list"
check_contains "$T/page" "needs 450 m² more" "page shows the shortfall"

# A correction: school 3 gets more sports ground and rooms; the status follows.
sed 's/,1500,1800,700000,5,/,1500,2400,700000,7,/' "$D/status-submissions.csv" |
    grep -E '^(school_code|3799010003)' >"$T/fix.csv"
jh submit "$T/fix.csv" >/dev/null || fail "correction submit"
jh status --county 379901 --json >"$T/status2.json"
check_eq "$(jq -r '.sections[] | select(.school_code == "3799010003") | .pass' "$T/status2.json")" "true" \
    "the newest revision counts"
seq1=$(jq -r .seq "$T/status.json")
seq2=$(jq -r .seq "$T/status2.json")
[ "$seq2" -gt "$seq1" ] || fail "sequence did not advance ($seq1 -> $seq2)"
echo "ok - sequence advanced $seq1 -> $seq2"
jh status --city 3799 >"$T/city"
check_contains "$T/city" "379901" "city summary lists the county"
jh status --county 379901 --history >"$T/hist"
[ "$(grep -c 'period 2025' "$T/hist")" -ge 2 ] || { cat "$T/hist"; fail "history has fewer than 2 statuses"; }
echo "ok - history kept"
jh admin stats --json >"$T/stats"
[ "$(jq .history_stored "$T/stats")" -ge 2 ] || fail "admin stats: history_stored $(jq .history_stored "$T/stats")"
check_eq "$(jq '.history_queued + .history_dropped' "$T/stats")" "0" "history settled, nothing dropped"
[ "$(jq .publications "$T/stats")" -ge "$(jq .history_stored "$T/stats")" ] || fail "fewer publications than history rows"
echo "ok - admin stats: $(jq .publications "$T/stats") publications, $(jq .history_stored "$T/stats") history rows"

# A restart rebuilds the same status from the database.
daemon_stop
daemon_start
jh status --county 379901 --json >"$T/status3.json"
jq -S 'del(.seq, .epoch, .computed_at)' "$T/status2.json" >"$T/a"
jq -S 'del(.seq, .epoch, .computed_at)' "$T/status3.json" >"$T/b"
cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b" | head; fail "status after restart differs"; }
echo "ok - restart rebuilds the same status"
