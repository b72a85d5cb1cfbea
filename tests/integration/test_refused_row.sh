#!/usr/bin/env bash
# A row the database itself refuses (here: a CHECK constraint added for the
# test) does not sink its group: the group commit, sent as one pipeline and
# finished while the daemon went on, falls back to savepoints, halves the
# group down to the refused rows, and commits the others. The refused rows'
# senders hear "the database refused this submission", every other row is
# accepted and stored once, and with the constraint gone the same rows go in.
# Then the languages: a refusal made by the client (an amount in 万元) and
# one made by the daemon (a school not in the registry), read once under
# LANG=zh_CN.UTF-8 (Envelope.lang zh_CN: the daemon answers in Chinese) and
# once in English, and a county's status JSON identical in both.
source "$(dirname "$0")/lib.sh"
pg_start
# One group for the whole file (the client sends its rows at once).
daemon_start --batch_max 512 --batch_max_ms 300
load_demo_registry
CSV="$SRC/deploy/demo-data/submissions-2025.csv"
ROWS=40
head -n $((ROWS + 1)) "$CSV" >"$T/file.csv"
A=$(sed -n 5p "$CSV" | cut -d, -f1)
B=$(sed -n 30p "$CSV" | cut -d, -f1)
sql "ALTER TABLE submissions ADD CONSTRAINT test_refuse CHECK (school_code NOT IN ('$A', '$B')) NOT VALID"

rc=0
jh submit --spool "$T/sp" "$T/file.csv" >"$T/out1" 2>&1 || rc=$?
check_eq "$rc" "1" "exit status 1: some rows refused"
check_eq "$(grep -c 'the database refused this submission' "$T/out1" || true)" "2" "the two rows refused, and only they"
check_contains "$T/out1" "$((ROWS - 2)) accepted or duplicate, 2 refused, 0 not answered" "every other row accepted"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$((ROWS - 2))" "the other rows stored"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE school_code IN ('$A', '$B')")" "0" "the refused rows not stored"
check_eq "$(sql 'SELECT count(*) - count(DISTINCT submission_id) FROM submissions')" "0" "nothing stored twice"
jh admin stats --json >"$T/stats1"
check_eq "$(jq .groups_committed "$T/stats1")" "1" "all in one group"
check_eq "$(jq .refused "$T/stats1")" "2" "stats: 2 refused"

sql "ALTER TABLE submissions DROP CONSTRAINT test_refuse"
{ head -n 1 "$CSV"; sed -n 5p "$CSV"; sed -n 30p "$CSV"; } >"$T/again.csv"
rc=0
jh submit --spool "$T/sp2" "$T/again.csv" >"$T/out2" 2>&1 || rc=$?
check_eq "$rc" "0" "the same two rows accepted once the constraint is gone"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$ROWS" "every row of the file stored once"

# --- the reader's language (README "Language") ---------------------------------
{ head -n 1 "$CSV"; sed -n 5p "$CSV" | sed 's/^[0-9]*,/3714999999,/'; } >"$T/unknown.csv"
for lang in zh_CN.UTF-8 C.UTF-8; do
    rc=0
    LANG=$lang jh submit --spool "$T/sp-$lang" "$T/unknown.csv" >"$T/lang-$lang" 2>&1 || rc=$?
    check_eq "$rc" "1" "$lang: the unknown school refused by the daemon"
done
check_contains "$T/lang-zh_CN.UTF-8" "school_code (学校标识码): “3714999999”不在学校名册中" "the daemon's refusal in Chinese"
check_contains "$T/lang-zh_CN.UTF-8" "0 条已接收或重复，1 条被拒收，0 条未收到答复" "the summary in Chinese"
if grep -q "registry" "$T/lang-zh_CN.UTF-8"; then cat "$T/lang-zh_CN.UTF-8"; fail "English beside the Chinese"; fi
check_contains "$T/lang-C.UTF-8" "school_code (学校标识码): '3714999999' is not in the school registry" "in English"
printf 'school_code,period,equipment_value_yuan\n%s,2025,222.39万\n' "$A" >"$T/wan.csv"
LANG=zh_CN.UTF-8 jh submit --spool "$T/sp-wan" "$T/wan.csv" >"$T/wan-zh" 2>&1 || true
check_contains "$T/wan-zh" "“222.39万”以万为单位；本列以元填写，应为 2223900" "the client's own refusal in Chinese"
LANG=C.UTF-8 LANGUAGE=zh_CN jh submit --spool "$T/sp-wan" "$T/wan.csv" >"$T/wan-language" 2>&1 || true
check_contains "$T/wan-language" "本列以元填写" "LANGUAGE=zh_CN under C.UTF-8 (a machine without zh_CN.UTF-8) reads Chinese"
jh submit --spool "$T/sp-wan" "$T/wan.csv" >"$T/wan-en" 2>&1 || true
check_contains "$T/wan-en" "'222.39万' is in 万 (ten thousand): this column is in yuan, so write 2223900" "in English"
COUNTY=$(sql "SELECT county_code FROM schools WHERE school_code = '$A'")
# computed_at is the time of the answer; everything else is the same in both languages
jq -S 'del(.computed_at)' <(LANG=zh_CN.UTF-8 jh status --county "$COUNTY" --json) >"$T/status-zh.json"
jq -S 'del(.computed_at)' <(LANG=C.UTF-8 jh status --county "$COUNTY" --json) >"$T/status-en.json"
diff "$T/status-zh.json" "$T/status-en.json" >"$T/status.diff" || true
check_eq "$(cat "$T/status.diff")" "" "--json does not change with the language"
daemon_stop || fail "daemon did not exit 0"
