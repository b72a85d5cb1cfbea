#!/usr/bin/env bash
# The county status through the real client and daemon, compared with values
# computed independently here (awk, straight from the CSV, two-pass): the
# student-weighted mean and difference coefficient of all seven indicators,
# sections meeting and passing, coverage, and every other number and verdict
# (each section's seven values, met, pass and shortfalls, each indicator's
# standard, limit and cv_ok, the stage and county verdicts, the guarantee
# counts and failing lists); then a correction revision updates
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

# Every other number and verdict, as "key = value" lines: computed here from
# the CSV files (registry joined for the §6 nearby-enrolment rule), and read
# from the JSON with jq; numbers compared to 1e-9 relative, the rest exactly,
# and both sides must hold the very same keys (no shortfall missing or extra).
expected_all() {
    awk -F, '
    function meets(v, s) { return v >= s || (s - v) <= 1e-9 * (s > v ? s : v) }
    function b(x) { return x ? "true" : "false" }
    FNR == 1 { next }
    FILENAME ~ /schools/ { loc[$1] = $5; pub[$1] = $6; board[$1] = $7; next }
    {
        n++; code[n] = $1; P[n] = $3
        R[n,1] = $6; R[n,2] = $7; R[n,3] = $8; R[n,4] = $11; R[n,5] = $12; R[n,6] = $13; R[n,7] = $14
        nc[n] = split($4, cls, ";"); okc[n] = 0
        for (c = 1; c <= nc[n]; c++) if (cls[c] + 0 <= 45) okc[n]++
        nm = split($15, mus, ";"); na = split($16, art, ";"); bigm[n] = 0; biga[n] = 0
        for (c = 1; c <= nm; c++) if (mus[c] + 0 >= 96) bigm[n]++
        for (c = 1; c <= na; c++) if (art[c] + 0 >= 90) biga[n]++
        teach[n] = $5; cert[n] = $17; trained[n] = $18; elig += $19; exch += $20; exbb += $21
        ent[n] = $9; inzone[n] = $10; funds[n] = $22; spend[n] = $23
    }
    END {
        split("4.2 1.0 0.9 4.5 7.5 2000 2.3", S, " ")
        split("100 100 100 1 1 1 100", PER, " ")
        split("1 1 1 0 0 0 1", WHOLE, " ")
        split("qualified_teachers backbone_teachers pe_art_teachers teaching_area sports_area equipment_value multimedia_rooms", ID, " ")
        passing = 0
        for (i = 1; i <= n; i++) {
            met = 0; floor_ok = 1; nsf = 0
            for (k = 1; k <= 7; k++) {
                X[i,k] = R[i,k] * PER[k] / P[i]
                printf "val %s %s = %.17g\n", code[i], ID[k], X[i,k]
                if (meets(X[i,k], S[k])) { met++; continue }
                nsf++; ratio = X[i,k] / S[k]; if (!meets(ratio, 0.85)) floor_ok = 0
                need = S[k] * P[i] / PER[k] - R[i,k]
                if (WHOLE[k]) { f = int(need - 1e-9); need = (need - 1e-9 > f) ? f + 1 : f }
                printf "sf %s %s value = %.17g\nsf %s %s standard = %.17g\n", code[i], ID[k], X[i,k], code[i], ID[k], S[k]
                printf "sf %s %s ratio = %.17g\nsf %s %s needed = %.17g\n", code[i], ID[k], ratio, code[i], ID[k], need
            }
            pass = met >= 6 && floor_ok; passing += pass
            printf "met %s = %d\npass %s = %s\nshortfalls %s = %d\nexcluded %s = null\n", code[i], met, code[i], b(pass), code[i], nsf, code[i]
        }
        cv_all = 1
        for (k = 1; k <= 7; k++) {
            Pt = 0; m = 0; v = 0
            for (i = 1; i <= n; i++) Pt += P[i]
            for (i = 1; i <= n; i++) m += P[i] / Pt * X[i,k]
            for (i = 1; i <= n; i++) v += P[i] / Pt * (X[i,k] - m) ^ 2
            cv = sqrt(v) / m; ok = cv <= 0.5 + 1e-9; cv_all = cv_all && ok
            printf "ind %s standard = %.17g\nind %s cv_limit = 0.5\nind %s cv_ok = %s\n", ID[k], S[k], ID[k], ID[k], b(ok)
        }
        stage_pass = passing == n && cv_all
        printf "stage primary pass = %s\nstage junior pass = false\nresource_allocation_pass = %s\n", b(stage_pass), b(stage_pass)
        # §6 (special school 5 has not submitted: it takes no part)
        for (i = 1; i <= n; i++) {
            need = nc[i] <= 12 ? 1 : int((nc[i] + 11) / 12)
            item(1, bigm[i] >= need && biga[i] >= need, 1, 0)
            item(2, P[i] <= 2000, 1, 0)
            if (nc[i] > 0) item(3, okc[i] == nc[i], nc[i], okc[i])
            if (teach[i] > 0) { item(4, cert[i] >= teach[i], 1, 0); item(5, trained[i] >= teach[i], 1, 0) }
            if ((loc[code[i]] == "urban" || loc[code[i]] == "town") && pub[code[i]] == 1 && board[code[i]] == 0 && ent[i] > 0)
                item(7, inzone[i] >= ent[i], 1, 0)
            if (funds[i] > 0) item(8, meets(spend[i] / funds[i], 0.05), 1, 0)
        }
        split("music_art_rooms school_scale class_size teacher_certification teacher_training teacher_exchange nearby_enrolment training_budget", G, " ")
        for (g = 1; g <= 8; g++) {
            if (g == 6) continue
            printf "g %s complying = %d\ng %s applicable = %d\n", G[g], gc[g], G[g], ga[g]
            printf "g %s pass = %s\ng %s failing = %s\n", G[g], b(gs[g] == 0), G[g], gf[g]
        }
        printf "g teacher_exchange eligible = %d\ng teacher_exchange exchanged = %d\n", elig, exch
        printf "g teacher_exchange exchanged_backbone = %d\n", exbb
        printf "g teacher_exchange pass = %s\n", b(meets(exch / elig, 0.10) && meets(exbb / exch, 0.20))
    }
    # item G OK UNITS OK_UNITS: one school in a per-school item
    function item(g, ok, units, okunits) {
        ga[g] += units; gc[g] += ok ? units : okunits
        if (!ok) { gs[g]++; gf[g] = gf[g] (gf[g] == "" ? "" : ",") code[i] }
    }' "$D/status-schools.csv" "$D/status-submissions.csv" | sort
}
actual_all() {
    jq -r '
      def s: if type == "number" then tostring else (. | tostring) end;
      (.sections[] | .school_code as $c |
          ((.values | to_entries[] | "val \($c) \(.key) = \(.value | s)"),
           "met \($c) = \(.met)", "pass \($c) = \(.pass)", "shortfalls \($c) = \(.shortfalls | length)",
           "excluded \($c) = \(.excluded)",
           (.shortfalls[] | .indicator as $i | "sf \($c) \($i) value = \(.value)", "sf \($c) \($i) standard = \(.standard)",
               "sf \($c) \($i) ratio = \(.ratio)", "sf \($c) \($i) needed = \(.needed)"))),
      (.stages.primary.indicators[] | "ind \(.id) standard = \(.standard)", "ind \(.id) cv_limit = \(.cv_limit)",
          "ind \(.id) cv_ok = \(.cv_ok)"),
      "stage primary pass = \(.stages.primary.pass)", "stage junior pass = \(.stages.junior.pass)",
      "resource_allocation_pass = \(.resource_allocation_pass)",
      (.guarantee | to_entries[] | .key as $g | .value |
          if $g == "teacher_exchange" then
              "g \($g) eligible = \(.eligible)", "g \($g) exchanged = \(.exchanged)",
              "g \($g) exchanged_backbone = \(.exchanged_backbone)", "g \($g) pass = \(.pass)"
          else
              "g \($g) complying = \(.complying)", "g \($g) applicable = \(.applicable)", "g \($g) pass = \(.pass)",
              "g \($g) failing = \(.failing | join(","))"
          end)' "$1" | sort
}
expected_all >"$T/expected_all"
actual_all "$T/status.json" >"$T/actual_all"
# Same keys on both sides, then every value (numbers to 1e-9 relative).
diff <(sed 's/ = .*//' "$T/expected_all") <(sed 's/ = .*//' "$T/actual_all") >"$T/keydiff" ||
    { cat "$T/keydiff"; fail "the status JSON holds other numbers than expected (< expected, > JSON)"; }
paste -d'|' "$T/expected_all" "$T/actual_all" | awk -F'|' '
    { split($1, e, " = "); split($2, a, " = ")
      num = e[2] ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ && a[2] ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/
      if (num) { d = e[2] - a[2]; d = d < 0 ? -d : d; m = e[2] < 0 ? -e[2] : e[2]; ok = d <= 1e-9 * (m > 1 ? m : 1) }
      else ok = e[2] == a[2]
      if (!ok) { print "FAIL: " e[1] ": expected " e[2] ", got " a[2]; bad++ } }
    END { print NR " status values compared"; exit bad > 0 }' || fail "status values differ from the independent computation"
echo "ok - every section value, met, pass, shortfall, standard, cv verdict and guarantee count matches"
# School 3 is below 85 % on sports area: it fails, with a shortfall in m².
check_eq "$(jq -r '.sections[] | select(.school_code == "3799010003") | .pass' "$T/status.json")" "false" "school 3 fails"
needed=$(jq -r '.sections[] | select(.school_code == "3799010003") | .shortfalls[] | select(.indicator == "sports_area") | .needed' "$T/status.json")
close "$needed" 450 "school 3 needs 450 m² sports area (300 × 7.5 − 1800)"

# The text page names the indicators in Chinese and lists the rectification.
jh status --county 379901 >"$T/page"
check_contains "$T/page" "生均体育运动场馆面积" "page shows Chinese names"
check_contains "$T/page" "rectification list" "page has the rectification list"
check_contains "$T/page" "needs 450 m² more" "page shows the shortfall"
# The whole verdict: as the JSON says (待定 when it has none), with the failing and pending items;
# every item by part with number, Chinese name, id and outcome; never PASS.
want=$(jq -r 'if .verdict then
    ({"pass":"达标","fail":"未达标","pending":"待定"}[.verdict]) + (if .verdict == "pass" then "" else " (failing \(.items_summary.failing + .items_summary.vetoes_present), pending \(.items_summary.pending + .items_summary.vetoes_pending))" end)
    else "待定 (no whole verdict from the daemon)" end' "$T/status.json")
check_contains "$T/page" "verdict: $want" "page shows the whole verdict"
# The same page under LANG=zh_CN.UTF-8: its words in Chinese, the ids beside the Chinese names.
LANG=zh_CN.UTF-8 jh status --county 379901 >"$T/page.zh"
check_contains "$T/page.zh" "整改清单" "the Chinese page has 整改清单"
check_contains "$T/page.zh" "结论：$want" "the Chinese page shows the whole verdict"
check_contains "$T/page.zh" "至少还需 450 m²" "the Chinese page shows the shortfall"
check_contains "$T/page.zh" "sports_area" "the Chinese page keeps the indicator ids"
if grep -q "rectification list\|coverage:" "$T/page.zh"; then fail "English words on the Chinese page"; fi
if grep -q "整改清单" "$T/page"; then fail "Chinese labels on the English page"; fi
if grep -q "PASS" "$T/page"; then fail "the page says PASS"; fi
# The snapshot socket's refusal in the query's language (Envelope.lang), one language each.
jh --retries 0 status --county 999999 >"$T/nocounty" 2>&1 || true
check_contains "$T/nocounty" "'999999' is neither a registered county nor a city or province code" \
    "the snapshot socket refuses an unknown code in English under LANG=C.UTF-8"
LANG=zh_CN.UTF-8 jh --retries 0 status --county 999999 >"$T/nocounty.zh" 2>&1 || true
check_contains "$T/nocounty.zh" "“999999”既不是已登记的县区，也不是市或省的代码" "... and in Chinese under LANG=zh_CN.UTF-8"
for part in "资源配置 resource_allocation" "政府保障程度 guarantee" "教育质量 quality" "社会认可度 recognition" "否决项 veto"; do
    if jq -e .verdict "$T/status.json" >/dev/null; then check_contains "$T/page" "$part" "page has the part $part"; fi
done
jq -r '.items // [] | .[] | "  \(.number | . + " " * (5 - length)) \(.name_zh) \(.id) — \(.outcome_zh)"' "$T/status.json" >"$T/item_lines"
while IFS= read -r line; do
    grep -qF -- "$line" "$T/page" || fail "page lacks the item line '$line'"
done <"$T/item_lines"
echo "ok - page shows the verdict and $(wc -l <"$T/item_lines") items"

# A school's own result (status --school): its values are the county's, what it needs is a Chinese sentence,
# and each key reads only what it may (a school its own, a county its county's schools, an admin any).
printf 'county_code,name\n379902,测试二县\n' >"$T/c2.csv"
printf 'school_code,name,county_code,kind,location,public,boarding\n3799020001,测试二县第一小学,379902,primary,urban,1,0\n' \
    >"$T/s2.csv"
jh admin import-counties "$T/c2.csv" >/dev/null && jh admin import-schools "$T/s2.csv" >/dev/null || fail "second county"
key_new school3 && key_set school 3799010003 school3
key_new county1 && key_set county 379901 county1
jh_as school3 status --school 3799010003 --json >"$T/school3.json" || fail "a school key reads its own school"
jq -e . "$T/school3.json" >/dev/null || fail "status --school --json is not JSON"
check_eq "$(jq -r '.school.code, .county.code, .view, (.sections | length), .sections[0].pass' "$T/school3.json" |
    tr '\n' ' ')" "3799010003 379901 live 1 false " "school 3's own result: one primary section, failing"
want=$(jq -cS '.sections[] | select(.school_code == "3799010003") | .values' "$T/status.json")
got=$(jq -cS '.sections[0].indicators | map({(.id): .value}) | add' "$T/school3.json")
check_eq "$got" "$want" "the school's seven values are the county status's"
check_eq "$(jq -r '.sections[0].needs[] | select(.indicator == "sports_area") | .text_zh' "$T/school3.json")" \
    "需增加体育运动场馆面积 450 平方米" "what it needs, as a Chinese sentence"
check_eq "$(jq -r '(.guarantee | length), (.county_verdict | has("verdict")), (.caveat_zh | length > 0)' \
    "$T/school3.json" | tr '\n' ' ')" "8 true true " "guarantee items, the county's verdict and the caveat"
jh_as school3 status --school 3799010003 >"$T/school3.page" || fail "status --school page"
check_contains "$T/school3.page" "需增加体育运动场馆面积 450 平方米" "page shows what the school needs"
check_contains "$T/school3.page" "生均体育运动场馆面积" "page names the indicator in Chinese"
jh_as school3 status >"$T/own.page" || fail "a school key with no --school reads its own school"
check_contains "$T/own.page" "3799010003" "no --school: the key's own school"
refused() { # refused KEY SCHOOL WHAT: the key is refused the school, naming school_code
    if jh_as "$1" status --school "$2" >"$T/ref.out" 2>&1; then cat "$T/ref.out"; fail "$3: not refused"; fi
    check_contains "$T/ref.out" "school_code" "$3: refused, naming school_code"
}
refused school3 3799010001 "a school key, another school of its county"
refused school3 3799020001 "a school key, a school of another county"
jh_as county1 status --school 3799010001 --json >"$T/county1.json" || fail "a county key reads its school"
check_eq "$(jq -r .school.code "$T/county1.json")" "3799010001" "a county key reads its county's school"
refused county1 3799020001 "a county key, another county's school"
refused admin 3799019999 "an unknown school"
jh_as school3 status --school 3799010003 --view official --json >"$T/school3o.json" || fail "the official view"
check_eq "$(jq -r '.view, .submitted, .revision' "$T/school3o.json" | tr '\n' ' ')" "official false null " \
    "official view: nothing approved yet"

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
jh status --county 379901 --json >"$T/status2v.json"
v=$(jq -r '{"pass":"达标","fail":"未达标"}[.verdict // "pending"] // "待定"' "$T/status2v.json")
grep "^379901 " "$T/city" | grep -q " $v" || { cat "$T/city"; fail "city summary does not show $v"; }
if grep -q "PASS" "$T/city"; then fail "the city summary says PASS"; fi
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
