#!/usr/bin/env bash
# Config errors are named; migrations apply once; --migrate-only exits.
source "$(dirname "$0")/lib.sh"
rc=0
"$BIN/junhengd" --no_such_key 1 2>"$T/err" || rc=$?
check_eq "$rc" "2" "unknown key exit status"
check_contains "$T/err" "unknown config key 'no_such_key'" "unknown key named"
printf 'batch_max 10\nbogus 1\n' >"$T/bad.conf"
rc=0
"$BIN/junhengd" "$T/bad.conf" 2>"$T/err2" || rc=$?
check_eq "$rc" "2" "bad config file exit status"
check_contains "$T/err2" "bad.conf:2: unknown config key 'bogus'" "file and line named"
rc=0
"$BIN/junhengd" --allow_plaintext yes --submit_endpoint tcp://0.0.0.0:7401 2>"$T/err3" || rc=$?
check_eq "$rc" "2" "plaintext on a public endpoint refused"
check_contains "$T/err3" "plaintext is allowed only on local endpoints" "why plaintext was refused"
"$BIN/junhengd" --check-config >"$T/defaults"
check_contains "$T/defaults" "allow_plaintext no" "CURVE is the default"
rc=0
"$BIN/junhengd" --secret_key_file "" 2>"$T/err4" || rc=$?
check_eq "$rc" "2" "CURVE without a secret key file refused"
check_contains "$T/err4" "secret_key_file: must be set" "missing secret key named"
chmod 644 "$KEYS/server.key_secret"
rc=0
"$BIN/junhengd" --secret_key_file "$KEYS/server.key_secret" --database "host=/nonexistent" 2>"$T/err5" || rc=$?
check_eq "$rc" "1" "a world-readable secret key file stops the start"
check_contains "$T/err5" "must be private" "secret key file mode named"
chmod 600 "$KEYS/server.key_secret"
"$BIN/junhengd" "$SRC/deploy/junhengd.conf" --check-config >"$T/cfg"
check_contains "$T/cfg" "batch_max" "documented config file loads"
# Every setting of the documented file is what the daemon ends up with, and
# every setting the daemon has is documented there (set or commented out).
conf_pairs() { sed -n 's/^\([a-z_]*\) \(.*\)$/\1 \2/p' "$1" | sed 's/ *#.*$//; s/"//g' | sort; }
sed 's/^ *#.*//' "$SRC/deploy/junhengd.conf" >"$T/documented"
conf_pairs "$T/documented" >"$T/doc_pairs"
[ "$(wc -l <"$T/doc_pairs")" -ge 10 ] || fail "fewer than 10 settings read from deploy/junhengd.conf"
conf_pairs "$T/cfg" >"$T/cfg_pairs"
missing=$(comm -23 "$T/doc_pairs" "$T/cfg_pairs")
[ -z "$missing" ] || fail "documented settings not in effect: $missing"
echo "ok - all $(wc -l <"$T/doc_pairs") documented settings in effect"
for key in $(cut -d' ' -f1 "$T/cfg_pairs"); do
    grep -qE "^#? *$key " "$SRC/deploy/junhengd.conf" || fail "setting $key is not documented in deploy/junhengd.conf"
done
echo "ok - every setting documented in deploy/junhengd.conf"
# The file is read, not just the defaults printed: changed values show.
sed 's/^batch_max 512$/batch_max 77/; s/^log_level info$/log_level debug/; s/^max_period 0$/max_period 2031/' \
    "$SRC/deploy/junhengd.conf" >"$T/changed.conf"
"$BIN/junhengd" "$T/changed.conf" --check-config >"$T/cfg_changed"
check_eq "$(conf_pairs "$T/cfg_changed" | grep -E '^(batch_max|log_level|max_period) ' | tr '\n' ' ')" \
    "batch_max 77 log_level debug max_period 2031 " "values from the config file take effect"

pg_start
"$BIN/junhengd" --database "" --migrations_dir "$SRC/migrations" --migrate-only 2>"$T/m1"
check_contains "$T/m1" "migration 001_registry_and_submissions.sql applied" "first run applies"
"$BIN/junhengd" --database "" --migrations_dir "$SRC/migrations" --migrate-only 2>"$T/m2"
check_contains "$T/m2" "0 migrations applied" "second run applies nothing"
n=$(ls "$SRC"/migrations/[0-9][0-9][0-9]_*.sql | wc -l)
check_eq "$(sql 'SELECT count(*) FROM schema_migrations')" "$n" "each migration recorded once"
