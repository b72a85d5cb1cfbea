#!/usr/bin/env bash
# The load generator on a small synthetic registry (2,000 schools in 30
# counties), over CURVE: every submission acknowledged once, stored once,
# every county published with its final count, and the figures printed. The
# national run is tests/bench/run.sh (docs/benchmarks.md); this keeps the
# tool working.
source "$(dirname "$0")/lib.sh"
pg_start
daemon_start
LOAD="$BIN/tests/junheng-load"
SIZE=(--schools 2000 --counties 30)
YEAR=$(date +%Y)

registry_synth "${SIZE[@]}"
check_eq "$(sql 'SELECT count(*) FROM schools')" "2000" "synthetic registry imported"
check_eq "$(sql 'SELECT count(DISTINCT county_code) FROM schools')" "30" "30 counties"

# Two clients, each with its own admin key (admin keys may submit for any school).
key_new load1
key_new load2
key_set admin load1 load1
key_set admin load2 load2
KEYARGS=(--key "$KEYS/load1.key_secret,$KEYS/load2.key_secret" --server-key "$KEYS/server.key")

"$LOAD" run --submit "$EP_SUBMIT" --publish "$EP_PUBLISH" "${KEYARGS[@]}" "${SIZE[@]}" --period "$YEAR" \
    --clients 2 --window 32 --timeout-ms 60000 --label smoke >"$T/out" || { cat "$T/out"; fail "load run"; }
cat "$T/out"
check_contains "$T/out" "RESULT label=smoke n=2000 accepted=2000 refused=0" "every submission accepted"
check_contains "$T/out" "pub_matched=2000 " "every commit matched to a publication"
check_eq "$(sql "SELECT count(*) FROM submissions WHERE period = $YEAR")" "2000" "one revision per submission"
check_eq "$(sql "SELECT count(DISTINCT school_code) FROM submissions WHERE period = $YEAR")" "2000" \
    "every school once"

# An offered rate: the open loop keeps the schedule and reports latency.
"$LOAD" run --submit "$EP_SUBMIT" "${KEYARGS[@]}" "${SIZE[@]}" --period $((YEAR - 1)) --count 400 --rate 400 \
    --clients 2 --window 32 --timeout-ms 60000 --label rate >"$T/out2" || { cat "$T/out2"; fail "rate run"; }
check_contains "$T/out2" "offered 400/s" "open loop at the offered rate"
check_contains "$T/out2" "RESULT label=rate n=400 accepted=400 " "every paced submission accepted"

# The COPY rows of the baseline load into an identical table.
"$LOAD" copy "$T/copy.tsv" "${SIZE[@]}" --period "$YEAR" --count 100
sql "CREATE TABLE copy_check (LIKE submissions INCLUDING ALL)"
psql -XAtq -v ON_ERROR_STOP=1 -c "\\copy copy_check (submission_id, school_code, period, payload, warnings) FROM '$T/copy.tsv'"
check_eq "$(sql 'SELECT count(*) FROM copy_check')" "100" "COPY baseline rows load"
check_eq "$(sql 'SELECT count(*) FROM copy_check c JOIN submissions s USING (school_code, period)
                 WHERE length(c.payload) = length(s.payload)')" "100" \
    "COPY rows carry the payloads the daemon stored (same encoding, another submission_id)"
