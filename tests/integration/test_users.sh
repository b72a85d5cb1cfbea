#!/usr/bin/env bash
# Web users on the daemon's side (docs/security.md "Web users"): a county
# user added (Argon2id hash stored, never the password); a login answers the
# session JSON the gateway reads; a wrong password and an unknown user get
# the very same refusal; 6 wrong passwords and the right one is refused too
# (rate-limited, field "user"), every attempt in login_events; a session
# acts as its user whatever the connection's key (another county refused, a
# review action and a submission recorded with the user's name); lock-user
# ends the session at once; an idle session expires.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq not installed (deploy/install-deps.sh installs it)"
pg_start
daemon_start --publish_interval_ms 0 --session_idle_timeout_s 6
load_demo_registry
S424=$(sql "SELECT school_code FROM schools WHERE county_code = '371424' ORDER BY school_code LIMIT 1")
head -1 "$SRC/deploy/demo-data/submissions-2025.csv" >"$T/one.csv"
grep "^$S424," "$SRC/deploy/demo-data/submissions-2025.csv" | head -1 >>"$T/one.csv"
jh submit --quiet "$T/one.csv" >/dev/null || fail "submit"
REV=$(sql "SELECT max(revision) FROM submissions WHERE school_code = '$S424' AND period = 2025")
PW='correct horse battery'

# --- users --------------------------------------------------------------------------
echo "$PW" | jh admin add-user zhang --role county --scope 371424 --password-stdin >"$T/add" || fail "add-user"
check_contains "$T/add" '"county"' "add-user answers the user's role"
check_eq "$(sql "SELECT role || ' ' || scope || ' ' || (password_hash LIKE '\$argon2id\$%')::text FROM users")" \
    "county 371424 true" "the user is stored with an Argon2id hash"
jh admin add-user li --role monitor --scope 3714 >"$T/gen" || fail "add-user with a generated password"
GEN=$(sed -n 's/^password of li (shown this once): //p' "$T/gen")
check_eq "${#GEN}" "16" "a password is generated and printed once when none is given"
rc=0
echo "$PW" | jh --retries 0 admin add-user wang --role county --scope 999999 --password-stdin >"$T/bad" 2>&1 || rc=$?
check_eq "$rc" "1" "a scope not in the registry is refused"
jh admin list-users --json >"$T/list" || fail "list-users"
check_eq "$(jq -r 'map(.name) | join(",")' "$T/list")" "li,zhang" "list-users lists them"
check_eq "$(grep -c argon2 "$T/list")" "0" "... never with their hashes"

# --- login ----------------------------------------------------------------------------
rc=0
echo "wrong password" | jh --retries 0 session login zhang --password-stdin --address 10.0.0.2 >"$T/w1" 2>&1 || rc=$?
check_eq "$rc" "1" "a wrong password is refused"
check_contains "$T/w1" "password: wrong user name or password" "... on field password"
rc=0
echo "wrong password" | jh --retries 0 session login nobody --password-stdin --address 10.0.0.3 >"$T/w2" 2>&1 || rc=$?
check_eq "$(cat "$T/w2")" "$(cat "$T/w1")" "an unknown user gets the very same answer"
# the refusal is made after the password worker's verdict, in the request's language (Envelope.lang)
rc=0
echo "wrong password" | LANG=zh_CN.UTF-8 jh --retries 0 session login zhang --password-stdin --address 10.0.0.4 \
    >"$T/w1zh" 2>&1 || rc=$?
check_eq "$rc" "1" "a wrong password is refused under LANG=zh_CN.UTF-8 too"
check_contains "$T/w1zh" "password: 用户名或密码错误" "... in Chinese (Envelope.lang zh_CN)"
rc=0
echo "wrong password" | LANG=C jh --retries 0 session login zhang --password-stdin --address 10.0.0.5 \
    >"$T/w1c" 2>&1 || rc=$?
check_contains "$T/w1c" "password: wrong user name or password" "... and in English under LANG=C"
echo "$PW" | jh session login zhang --password-stdin --address 10.0.0.1 >"$T/login" || fail "login"
TOK=$(jq -r .session "$T/login")
check_eq "${#TOK}" "64" "login answers a 32-byte session token"
check_eq "$(jq -r '[.user, .role, .scope, .may_review] | join(" ")' "$T/login")" "zhang county 371424 false" \
    "... with the user's name, role, scope and review right"
jq -r .expires_at "$T/login" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' || fail "expires_at RFC 3339"
jh session check "$TOK" >"$T/check" || fail "check"
check_eq "$(jq -r .user "$T/check")" "zhang" "check answers the same JSON"

# --- a session acts as its user -----------------------------------------------------
rc=0
jh --retries 0 --session "$TOK" status --county 371402 >"$T/other" 2>&1 || rc=$?
check_eq "$rc" "1" "a county user's session cannot read another county (with an admin key under it)"
jh --session "$TOK" status --county 371424 >"$T/own" 2>&1 || { cat "$T/own"; fail "the county user reads their own county"; }
jh --session "$TOK" review approve "$REV" --json >"$T/appr" || fail "approve through the session"
check_eq "$(sql "SELECT actor_user || ' ' || actor_role || ' ' || actor_subject FROM audit_log WHERE action = 'approve'")" \
    "zhang county 371424" "the review action's audit row records the user"
jh --session "$TOK" submit --quiet "$T/one.csv" >/dev/null || fail "submit through the session"
check_eq "$(sql "SELECT web_user FROM submissions WHERE school_code = '$S424' ORDER BY revision DESC LIMIT 1")" \
    "zhang" "the revision sent with the session records the user"
check_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'add_user' AND detail->>'user' = 'zhang'")" "1" \
    "adding a user is audited"

# --- lock and expiry ------------------------------------------------------------------
jh admin lock-user zhang >"$T/lock" || fail "lock-user"
check_contains "$T/lock" "sessions_ended" "lock-user answers the sessions ended"
rc=0
jh --retries 0 session check "$TOK" >"$T/locked" 2>&1 || rc=$?
check_eq "$rc" "1" "lock-user ends the session at once"
check_contains "$T/locked" "session: the session has ended" "... refused on field session"
rc=0
jh --retries 0 --session "$TOK" submit --quiet "$T/one.csv" >/dev/null 2>&1 || rc=$?
check_eq "$rc" "1" "a submission with the ended session is refused"
check_eq "$(sql "SELECT reason || ' ' || (position(convert_to('$TOK', 'UTF8') in raw) > 0)::text FROM quarantine
                 ORDER BY id DESC LIMIT 1")" "session ended false" "... and quarantined without the token"
rc=0
echo "$PW" | jh --retries 0 session login zhang --password-stdin --address 10.0.0.8 >"$T/l2" 2>&1 || rc=$?
check_contains "$T/l2" "user: this user is locked" "a locked user cannot log in"
jh admin unlock-user zhang >/dev/null || fail "unlock-user"
echo "$PW" | jh session login zhang --password-stdin --address 10.0.0.9 >"$T/l3" || fail "login after unlock"
TOK2=$(jq -r .session "$T/l3")
sleep 7
rc=0
jh --retries 0 --session "$TOK2" status --county 371424 >"$T/idle" 2>&1 || rc=$?
check_eq "$rc" "1" "a session unused for session_idle_timeout_s has ended"
jh session logout "$TOK2" >/dev/null || fail "logout answers OK"

# --- rate limiting ---------------------------------------------------------------------
for _ in 1 2 3 4 5 6; do
    echo "guess" | jh --retries 0 session login li --password-stdin --address 10.0.0.6 >/dev/null 2>&1 || true
done
rc=0
echo "$GEN" | jh --retries 0 session login li --password-stdin --address 10.0.0.7 >"$T/rl" 2>&1 || rc=$?
check_eq "$rc" "1" "after 6 wrong passwords the right one is refused"
check_contains "$T/rl" "user: too many failed logins: try again in" "... on field user, saying when to try again"
check_eq "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE reason = 'rate limited')
                 FROM login_events WHERE user_name = 'li'")" "7 2" "every attempt is in login_events"
rc=0
echo "$GEN" | LANG=zh_CN.UTF-8 jh --retries 0 session login li --password-stdin --address 10.0.0.7 >"$T/rlzh" 2>&1 || rc=$?
check_contains "$T/rlzh" "user: 登录失败次数过多" "the rate limit's refusal in Chinese under LANG=zh_CN.UTF-8"
