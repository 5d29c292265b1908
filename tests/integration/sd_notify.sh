#!/bin/sh
# sd_notify.sh: the daemons speak systemd's notify protocol (libsystemd): on a
# NOTIFY_SOCKET the test listens on (a unix datagram socket, as systemd makes one), the
# broker (bawaba-broker start, foreground, as its unit runs it), the hub and the SMS
# gateway each send READY=1 once they serve, then WATCHDOG=1 again and again at half the
# WATCHDOG_USEC asked for, and STOPPING=1 on SIGTERM; under an empty environment too.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
bw_need python3
bw_sync_setup g1:gateway
LISTEN=
bw_on_exit() { [ -z "$LISTEN" ] || kill "$LISTEN" 2>/dev/null; bw_sync__exit; }

# listen NAME: a datagram socket $BW_TMP/NAME.sock; each message is one line (newlines
# inside a message become spaces) in $BW_TMP/NAME.msgs
listen() {
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(4096).decode("utf-8", "replace").replace("\n", " ") + "\n")
' "$BW_TMP/$1.sock" "$BW_TMP/$1.msgs" &
  LISTEN=$!
  i=0; while [ ! -S "$BW_TMP/$1.sock" ]; do i=$((i + 1)); [ $i -gt 250 ] && bw_fail "no socket"; sleep 0.02; done
}
count() { grep -c "$2" "$BW_TMP/$1.msgs" 2>/dev/null || true; }
# check NAME PID: READY=1 first, then at least 3 WATCHDOG=1 (every 0.2 s asked), STOPPING=1
check() {
  bw_wait_file "$BW_TMP/$1.msgs" '^READY=1' 10 || bw_fail "$1: no READY=1: $(cat "$BW_TMP/$1.msgs" 2>/dev/null)"
  i=0; while [ "$(count "$1" '^WATCHDOG=1')" -lt 3 ]; do
    i=$((i + 1)); [ $i -gt 250 ] && bw_fail "$1: $(count "$1" WATCHDOG) WATCHDOG=1 in 5 s"
    sleep 0.02
  done
  [ "$(head -n 1 "$BW_TMP/$1.msgs" | cut -d' ' -f1)" = READY=1 ] || bw_fail "$1: READY=1 is not the first message"
  kill -TERM "$2"; wait "$2"; st=$?
  [ "$st" = 0 ] || bw_fail "$1 exited $st on SIGTERM"
  bw_wait_file "$BW_TMP/$1.msgs" '^STOPPING=1' 5 || bw_fail "$1: no STOPPING=1"
  kill "$LISTEN"; LISTEN=
  echo "ok: $1: READY=1, $(count "$1" '^WATCHDOG=1') WATCHDOG=1, STOPPING=1"
}
WD="WATCHDOG_USEC=400000"

# the broker as its unit runs it: foreground, under env -i
bw_broker_down
listen broker
env -i NOTIFY_SOCKET="$BW_TMP/broker.sock" $WD "$BW_BROKER_BIN" start "$BW_BROKER_DIR" 2>"$BW_TMP/broker.err" &
check broker $!
bw_broker_start

# the hub, its stderr as the journal's stream ($JOURNAL_STREAM names it): lines carry
# the journal's priority (<6> info, <3> error), not a time
listen hub
: > "$BW_TMP/journal"
js=$(stat -c '%d:%i' "$BW_TMP/journal")
env -i NOTIFY_SOCKET="$BW_TMP/hub.sock" JOURNAL_STREAM="$js" $WD "$BW_HUB_BIN" -b "$BW_BROKER_DIR" \
  -d "$BW_HUB_DB" >>"$BW_TMP/journal" 2>&1 &
check hub $!
grep -q '^<6>bawaba-hub info: started' "$BW_TMP/journal" || bw_fail "no <6> line: $(head -n 3 "$BW_TMP/journal")"
if grep -q '^20[0-9][0-9]-' "$BW_TMP/journal"; then bw_fail "journal lines carry a time"; fi
# an error: the broker refuses a wrong password
sed 's/^password=.*/password=wrong/' "$BW_BROKER_DIR/devices/hub.conf" > "$BW_TMP/badhub.conf"
env -i JOURNAL_STREAM="$js" "$BW_HUB_BIN" -c "$BW_TMP/badhub.conf" -d "$BW_HUB_DB" >>"$BW_TMP/journal" 2>&1 &
hp=$!
bw_wait_file "$BW_TMP/journal" '^<3>bawaba-hub error: ' 10 || bw_fail "no <3> line: $(tail -n 3 "$BW_TMP/journal")"
kill "$hp"; wait "$hp"
# another stream than stderr's: the usual timestamped lines
env -i JOURNAL_STREAM="1:1" NOTIFY_SOCKET= "$BW_HUB_BIN" -b "$BW_BROKER_DIR" -d "$BW_HUB_DB" >"$BW_TMP/plain" 2>&1 &
hp=$!
bw_wait_file "$BW_TMP/plain" 'info: started' 10 || bw_fail "hub (plain) did not start"
kill "$hp"; wait "$hp"
grep -q '^20[0-9-]*T[0-9:.]*Z bawaba-hub info: started' "$BW_TMP/plain" || bw_fail "plain log: $(head -n 2 "$BW_TMP/plain")"

# the SMS gateway on a dummy modem, no hub link
if [ -x "$BW_BUILD/bin/bawaba-smsd" ]; then
  mkdir -p "$BW_TMP/phone"
  printf '[gateway]\ndatabase = %s/smsd.db\nlocaledir = %s/locale\npoll_ms = 1000\n\n[modem dummy1]\ndevice = %s/phone\nconnection = none\nmodel = dummy\n' \
    "$BW_TMP" "$BW_BUILD" "$BW_TMP" > "$BW_TMP/smsd.conf"
  listen smsd
  env -i NOTIFY_SOCKET="$BW_TMP/smsd.sock" $WD "$BW_BUILD/bin/bawaba-smsd" -c "$BW_TMP/smsd.conf" 2>"$BW_TMP/smsd.err" &
  check smsd $!
fi

# without NOTIFY_SOCKET nothing is sent and nothing breaks (make run, by hand)
"$BW_HUB_BIN" -b "$BW_BROKER_DIR" -d "$BW_HUB_DB" -n >/dev/null || bw_fail "hub -n without systemd"
echo "sd_notify: all checks passed"
