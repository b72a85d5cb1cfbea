#!/usr/bin/env bash
# cmake --install into a temporary prefix puts everything in its FHS place
# (bin, share/junheng/{migrations,rules}, share/doc/junheng, the systemd
# unit naming the installed program, the man pages), and the installed
# daemon, started with a config that names neither migrations_dir nor
# rules_file, finds both under the prefix: it migrates a fresh database,
# answers ping and accepts submissions through the installed client.
source "$(dirname "$0")/lib.sh"
D="$(dirname "$0")/data"
P="$T/prefix"
cmake --install "$BIN" --prefix "$P" >"$T/install.log" 2>&1 || { cat "$T/install.log"; fail "cmake --install"; }

for f in bin/junhengd bin/junheng bin/junheng-web share/junheng/rules/national-2017.conf share/doc/junheng/junhengd.conf.example \
    lib/systemd/system/junhengd.service share/man/man8/junhengd.8 share/man/man1/junheng.1 share/man/man1/junheng-web.1 \
    share/junheng/scripts/backup.sh share/junheng/scripts/restore.sh share/junheng/scripts/pg.sh \
    share/junheng/plan/costs.csv share/locale/zh_CN/LC_MESSAGES/junheng.mo; do
    [ -e "$P/$f" ] || fail "$f not installed"
done
echo "ok - binaries, rules, config example, unit, man pages and scripts installed"
check_eq "$(ls "$P/share/junheng/migrations" | grep -c '\.sql$')" "$(ls "$SRC/migrations" | grep -c '\.sql$')" \
    "every migration installed"
check_contains "$P/lib/systemd/system/junhengd.service" "ExecStart=$P/bin/junhengd /etc/junheng/junhengd.conf" \
    "the unit starts the installed daemon"
check_contains "$P/lib/systemd/system/junhengd.service" "Type=notify" "the unit is Type=notify"
# The installed client reads the installed catalogue (PREFIX/share/locale), not the build tree's.
LANG=zh_CN.UTF-8 "$P/bin/junheng" --help >"$T/help.zh" 2>&1 || true
check_contains "$T/help.zh" "用法：junheng [全局选项] 命令 [参数]" "the installed client speaks Chinese under LANG=zh_CN.UTF-8"

# The defaults of the installed daemon are under the prefix.
"$P/bin/junhengd" --check-config >"$T/check" 2>&1 || { cat "$T/check"; fail "--check-config"; }
check_contains "$T/check" "migrations_dir \"$P/share/junheng/migrations\"" "default migrations_dir is installed one"
check_contains "$T/check" "rules_file \"$P/share/junheng/rules/national-2017.conf\"" "default rules_file is installed one"

pg_start
# A config of the example's form that names neither migrations nor rules.
cat >"$T/junhengd.conf" <<CONF
database ""
submit_endpoint $EP_SUBMIT
publish_endpoint $EP_PUBLISH
snapshot_endpoint $EP_SNAPSHOT
admin_endpoint $EP_ADMIN
secret_key_file $KEYS/server.key_secret
admin_public_keys $KEYS/admin.key
CONF
"$P/bin/junhengd" "$T/junhengd.conf" --migrate-only >>"$T/daemon.0.log" 2>&1 || fail "installed --migrate-only"
check_eq "$(sql 'SELECT count(*) FROM schema_migrations')" "$(ls "$SRC/migrations" | grep -c '\.sql$')" \
    "the installed daemon applied the installed migrations"
"$P/bin/junhengd" "$T/junhengd.conf" >>"$T/daemon.0.log" 2>&1 &
DPID=$!
ijh() {
    "$P/bin/junheng" --submit-endpoint "$EP_SUBMIT" --publish-endpoint "$EP_PUBLISH" \
        --snapshot-endpoint "$EP_SNAPSHOT" --admin-endpoint "$EP_ADMIN" "$@"
}
for _ in $(seq 1 100); do
    ijh --timeout 200 --retries 0 admin ping >/dev/null 2>&1 && break
    kill -0 "$DPID" 2>/dev/null || fail "installed junhengd exited at start"
    sleep 0.1
done
ijh --timeout 500 --retries 0 admin ping >/dev/null || fail "installed junhengd does not answer ping"
echo "ok - the installed daemon is ready"
check_contains "$T/daemon.0.log" "rules national-2017 from $P/share/junheng/rules/national-2017.conf" \
    "the installed daemon read the installed rules"
ijh admin import-counties "$D/status-counties.csv" >/dev/null
ijh admin import-schools "$D/status-schools.csv" >/dev/null
rows=$(($(wc -l <"$D/status-submissions.csv") - 1))
ijh submit "$D/status-submissions.csv" >"$T/submit.out" || { cat "$T/submit.out"; fail "submit"; }
check_contains "$T/submit.out" "$rows accepted or duplicate, 0 refused" "the installed daemon accepts submissions"
check_eq "$(sql 'SELECT count(*) FROM submissions')" "$rows" "stored"
kill -TERM "$DPID"
rc=0
wait "$DPID" || rc=$?
DPID=""
check_eq "$rc" "0" "the installed daemon stops cleanly"
