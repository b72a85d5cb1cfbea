#!/usr/bin/env bash
# A whole county file through the real client and daemon: every accepted row
# is in the database exactly once; a file mixing good and bad rows stores the
# good ones and refuses the bad ones by column; daemon-side refusals are
# quarantined with their reasons.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start
load_demo_registry
check_eq "$(sql 'SELECT count(*) FROM schools')" "1000" "registry imported"

rc=0
jh submit --quiet "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/out1" || rc=$?
check_eq "$rc" "0" "demo submissions exit status"
rows=$(($(wc -l <"$SRC/deploy/demo-data/submissions-2025.csv") - 1))
check_contains "$T/out1" "$rows accepted or duplicate, 0 refused, 0 not answered" "every demo row accepted"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$rows" "one revision per row"
check_eq "$(sql 'SELECT count(DISTINCT submission_id) FROM submissions')" "$rows" "submission ids unique"
check_eq "$(sql 'SELECT count(*) FROM (SELECT school_code FROM submissions GROUP BY 1 HAVING count(*) > 1) d')" "0" \
    "no school stored twice"

# Mixed file: good rows stored, bad rows refused with column and reason.
rc=0
jh submit "$SRC/deploy/demo-data/submissions-bad.csv" >"$T/out2" || rc=$?
check_eq "$rc" "1" "bad file exit status is 1 (some refused)"
check_contains "$T/out2" "exceeds" "a count exceeding its total is named"
check_contains "$T/out2" "class_sizes" "class sizes problem named by column"
check_contains "$T/out2" "period" "period out of range named"
check_contains "$T/out2" "is not in the school registry" "unknown school refused by the daemon"
good=$(grep -c ' accepted revision ' "$T/out2" || true)
# Every row of the file is refused (docs/demo-data.md lists why), each naming
# the column at fault; the two the client cannot judge (registry) by the daemon.
check_contains "$T/out2" "0 accepted or duplicate, 14 refused, 0 not answered" "all 14 bad rows refused"
refused_fields() { # LINE -> the columns named under that line's refusal
    awk -v l=":$1 " 'index($0, l) && / refused/ { on = 1; next } on && /^  / { print $1; next } { on = 0 }' "$T/out2"
}
while read -r line field; do
    refused_fields "$line" | grep -qx "$field" || { cat "$T/out2"; fail "line $line: $field not named"; }
done <<'EOF_FIELDS'
2 primary_qualified_teachers
3 junior_class_sizes
4 school_code
5 school_code
6 sports_area_m2
7 primary_class_sizes
8 period
9 primary_new_entrants_in_zone
10 exchanged_teachers
10 exchanged_backbone_teachers
11 music_room_areas_m2
11 art_room_areas_m2
12 primary_teachers
13 training_spend_yuan
14 junior_students
15 junior_class_sizes
EOF_FIELDS
echo "ok - each bad row refused for its own column"
check_eq "$(grep -c 'refused (checked locally, not sent)' "$T/out2")" "12" "12 refused by the client, before sending"
check_eq "$(sql "SELECT school_code || ' ' || reason FROM quarantine ORDER BY school_code" | tr '\n' ',')" \
    "2137020030 invalid,2137999901 unknown school," "the daemon's two refusals quarantined with their reasons"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$((rows + good))" "only the good rows of the mixed file stored"
q=$(sql "SELECT count(*) FROM quarantine WHERE reason = 'unknown school'")
[ "$q" -ge 1 ] || fail "unknown-school refusal not quarantined"
echo "ok - refusals quarantined ($q)"
check_eq "$(sql "SELECT count(*) FROM quarantine WHERE length(raw) = 0 OR errors = '[]'")" "0" \
    "quarantine rows keep raw bytes and errors"

# GBK file with Chinese headers is read and accepted (same schools: new revisions).
rc=0
jh submit "$SRC/deploy/demo-data/submissions-2025-gbk-sample.csv" >"$T/out3" || rc=$?
check_eq "$rc" "0" "GBK/Chinese-header file accepted"
G="$SRC/deploy/demo-data/submissions-2025-gbk-sample.csv"
gn=$(($(wc -l <"$G") - 1))
check_contains "$T/out3" "$gn accepted or duplicate, 0 refused, 0 not answered" "every GBK row accepted"
# The GBK rows are rows of the UTF-8 file: each school now has two revisions
# holding the same numbers (the stored Submission after its submission_id,
# field 1: tag 0x0a, length 36).
codes=$(iconv -f GBK -t UTF-8 "$G" | tail -n +2 | cut -d, -f1 | sed "s/.*/'&'/" | paste -sd,)
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code IN ($codes)
                 AND (get_byte(payload, 0) <> 10 OR get_byte(payload, 1) <> 36)")" "0" "payloads start with the id"
check_eq "$(sql "SELECT count(*) FROM (SELECT school_code FROM submissions WHERE school_code IN ($codes)
                 GROUP BY school_code HAVING count(*) = 2 AND count(DISTINCT substring(payload FROM 39)) = 1) s")" \
    "$gn" "the GBK file's numbers equal the UTF-8 file's, school by school"

# Revisions are append-only.
if sql "UPDATE submissions SET period = 2024 WHERE revision = 1" 2>/dev/null; then
    fail "an UPDATE of a revision was allowed"
fi
echo "ok - revisions cannot be updated"

# stats --json counts in the database and since start.
jh admin stats --json >"$T/stats"
check_contains "$T/stats" "\"revisions_stored\":$(sql 'SELECT count(*) FROM submissions')" "stats revisions_stored"
daemon_stop || fail "daemon did not exit 0 on SIGTERM"
echo "ok - clean stop"
