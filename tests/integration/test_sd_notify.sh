#!/usr/bin/env bash
# systemd's notification protocol without systemd: junhengd run with
# NOTIFY_SOCKET pointing at a unix datagram socket this test listens on
# (a few lines of python3), and WATCHDOG_USEC set. READY=1 arrives only when
# the sockets already answer (the listener pings the daemon the moment it
# reads READY=1), with a STATUS= line; WATCHDOG=1 comes every half
# interval from the event loop; SIGTERM sends STOPPING=1. Without
# NOTIFY_SOCKET (every other test) the daemon sends nothing.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || fail "python3 not found"
pg_start

# The listener: one line per datagram (newlines shown as |), and on
# READY=1 the output of one `junheng admin ping` without retries.
cat >"$T/listen.py" <<'PYEOF'
import os, socket, subprocess, sys, time
path, out, ping = sys.argv[1], sys.argv[2], sys.argv[3:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
t0 = time.monotonic()
with open(out, "a", buffering=1) as f:
    f.write("listening\n")
    while True:
        data = s.recv(4096).decode("utf-8", "replace")
        f.write("%.3f %s\n" % (time.monotonic() - t0, data.replace("\n", "|")))
        if "READY=1" in data:
            rc = subprocess.run(ping, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            f.write("ping-at-ready rc=%d\n" % rc)
PYEOF
"$PY" "$T/listen.py" "$T/notify.sock" "$T/notify.log" "$BIN/junheng" --admin-endpoint "$EP_ADMIN" \
    --timeout 2000 --retries 0 admin ping &
LPID=$!
for _ in $(seq 1 50); do
    grep -q listening "$T/notify.log" 2>/dev/null && break
    sleep 0.1
done
[ -S "$T/notify.sock" ] || fail "the listener did not start"

export NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000
daemon_start
unset NOTIFY_SOCKET WATCHDOG_USEC
for _ in $(seq 1 50); do
    grep -q "ping-at-ready" "$T/notify.log" && break
    sleep 0.1
done
check_contains "$T/notify.log" "READY=1|STATUS=ready: 0 counties, 0 schools" "READY=1 with a STATUS line"
check_contains "$T/notify.log" "ping-at-ready rc=0" "at READY=1 the sockets already answer"
check_contains "$T/notify.log" "STATUS=starting" "a STATUS line while starting"
[ "$(grep -n 'STATUS=starting' "$T/notify.log" | cut -d: -f1)" -lt "$(grep -n 'READY=1' "$T/notify.log" | cut -d: -f1)" ] ||
    fail "STATUS=starting before READY=1"

# WATCHDOG_USEC 400 ms: a ping every 200 ms from the loop, idle or not.
sleep 1.5
n=$(grep -c ' WATCHDOG=1$' "$T/notify.log" || true)
[ "$n" -ge 5 ] || { cat "$T/notify.log"; fail "only $n WATCHDOG=1 in 1.5 s (every 200 ms expected)"; }
echo "ok - $n WATCHDOG=1 in about 1.5 s"
check_contains "$T/daemon.0.log" "systemd watchdog: 400 ms" "the daemon logs the watchdog interval"

daemon_stop || fail "daemon exit status"
sleep 0.2
check_contains "$T/notify.log" "STOPPING=1" "STOPPING=1 on SIGTERM"
ready_line=$(grep -n 'READY=1' "$T/notify.log" | head -n 1 | cut -d: -f1)
stop_line=$(grep -n 'STOPPING=1' "$T/notify.log" | head -n 1 | cut -d: -f1)
[ "$stop_line" -gt "$ready_line" ] || fail "STOPPING=1 after READY=1"
kill "$LPID" 2>/dev/null || true
wait "$LPID" 2>/dev/null || true

# Without systemd nothing is sent and nothing breaks.
before=$(wc -l <"$T/notify.log")
daemon_start
daemon_stop || fail "daemon exit status without NOTIFY_SOCKET"
check_eq "$(wc -l <"$T/notify.log")" "$before" "nothing sent without NOTIFY_SOCKET"
