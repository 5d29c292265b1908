#!/bin/sh
# broker.sh: the real mosquitto broker as bawaba-broker sets it up: credentials, the ACL
# (each device only under its own topics), client ids bound to user names, registering
# and rotating while it runs (SIGHUP, no restart), TLS, and starting/stopping it.
set -eu
. "$BW_TOP/tests/lib/broker.sh"

B=$BW_BROKER_BIN
R=bawaba/v1
SUBS=""
bw_on_exit() { for p in $SUBS; do kill "$p" 2>/dev/null || true; done; }

# sub_bg NAME ID [options]: a background subscriber, output (with -d debug lines) in
# $BW_TMP/NAME.out; returns once the broker has acknowledged the subscription.
sub_bg() {
  n=$1; shift
  id=$1; shift
  pw=$(bw_broker_password "$id")
  # line-buffered, or the SUBACK line waits in a stdio buffer; a simple command, so $!
  # is mosquitto_sub itself (stdbuf execs it) and the clean-up can kill it
  stdbuf -oL mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u "$id" -P "$pw" \
    "$@" -d -v -W 15 > "$BW_TMP/$n.out" 2>&1 &
  SUBS="$SUBS $!"
  bw_wait_file "$BW_TMP/$n.out" 'received SUBACK' || bw_fail "$n: no SUBACK: $(cat "$BW_TMP/$n.out")"
}

# pub_rc ID [options]: publishes at QoS 1 and prints the PUBACK reason code (16 = no
# matching subscribers and 0 = delivered are success; 135 = not authorised).
pub_rc() {
  bw_mqtt_pub "$@" -q 1 -d 2>&1 | sed -n 's/.*received PUBACK (Mid: [0-9]*, RC:\([0-9]*\)).*/\1/p'
}

expect_refused() { # ID TOPIC [options]: the publish gets PUBACK 0x87
  id=$1; t=$2; shift 2
  rc=$(pub_rc "$id" -t "$t" -m "forged-by-$id" "$@")
  [ "$rc" = 135 ] || bw_fail "$id publishing to $t: PUBACK reason '$rc', expected 135 (not authorised)"
}

expect_accepted() { # ID TOPIC MESSAGE [options]
  id=$1; t=$2; m=$3; shift 3
  rc=$(pub_rc "$id" -t "$t" -m "$m" "$@")
  [ "$rc" = 0 ] || [ "$rc" = 16 ] || bw_fail "$id publishing to $t: PUBACK reason '$rc', expected 0 or 16"
}

# ---- set-up: one device registered before start, the rest while it runs ----
bw_broker_init
grep -q '^listener [0-9]* 127.0.0.1$' "$BW_BROKER_DIR/mosquitto.conf" || bw_fail "broker not on loopback"
[ "$(stat -c %a "$BW_BROKER_DIR/devices/hub.conf")" = 600 ] || bw_fail "hub.conf is not mode 0600"
bw_broker_register gateway g1 --site rabat-1
bw_broker_start
[ "$(cat "$BW_BROKER_DIR/mosquitto.pid")" = "$BW_BROKER_PID" ] || bw_fail "pid file does not match"
pid0=$BW_BROKER_PID

bw_broker_register kiosk k1 --site rabat-1
bw_broker_register kiosk k2 --site rabat-1
bw_broker_register agent agent-amina
[ "$(cat "$BW_BROKER_DIR/mosquitto.pid")" = "$pid0" ] || bw_fail "broker restarted on register"
grep -q 'createClient | username=k2' "$BW_BROKER_DIR/mosquitto.log" || bw_fail "the running broker was not told of k2"
[ "$(stat -c %a "$BW_BROKER_DIR/dynsec.json")" = 600 ] || bw_fail "dynsec.json is not mode 0600"
if grep -q "$(bw_broker_password k2)" "$BW_BROKER_DIR/dynsec.json" "$BW_BROKER_DIR/mosquitto.log"; then
  bw_fail "k2's password is in clear in the broker's files"
fi
grep -q '^site=rabat-1$' "$BW_BROKER_DIR/devices/k1.conf" || bw_fail "site not in k1.conf"
grep -q "^port=$BW_BROKER_PORT\$" "$BW_BROKER_DIR/devices/k1.conf" || bw_fail "port not in k1.conf"
pw=$(bw_broker_password k1)
[ ${#pw} -ge 24 ] || bw_fail "password too short: ${#pw}"
[ "$pw" != "$(bw_broker_password k2)" ] || bw_fail "two devices got the same password"

# ---- usage: --help on every form, errors are one line and a non-zero exit ----
for c in "" init start stop register port; do
  # shellcheck disable=SC2086
  "$B" $c --help | grep -q '^usage: bawaba-broker' || bw_fail "bawaba-broker $c --help"
done
if "$B" frobnicate 2>/dev/null; then bw_fail "unknown command accepted"; fi
if "$B" register "$BW_BROKER_DIR" hub hub 2>/dev/null; then bw_fail "register hub without --rotate accepted"; fi
if "$B" register "$BW_BROKER_DIR" kiosk k1 2>"$BW_TMP/err"; then bw_fail "re-register k1 succeeded"; fi
grep -q 'already registered' "$BW_TMP/err" || bw_fail "re-register message: $(cat "$BW_TMP/err")"
[ "$(wc -l < "$BW_TMP/err")" = 1 ] || bw_fail "error is not one line"
for bad in "kiosk K1" "kiosk hub" "kiosk agent-x" "agent amina" "kiosk -k" "gateway a/b" "kiosk a+b"; do
  # shellcheck disable=SC2086
  if "$B" register "$BW_BROKER_DIR" $bad 2>/dev/null; then bw_fail "register $bad accepted"; fi
done
if "$B" start "$BW_BROKER_DIR" --daemon 2>"$BW_TMP/err"; then bw_fail "second start succeeded"; fi
grep -q 'already runs' "$BW_TMP/err" || bw_fail "second start message: $(cat "$BW_TMP/err")"

# ---- the hub hears every device's and agent's up topics ----
sub_bg hub hub -t "$R/dev/+/up/#" -t "$R/agent/+/up/#"
expect_accepted k1 "$R/dev/k1/up/req" req-from-k1
expect_accepted g1 "$R/dev/g1/up/evt" evt-from-g1
expect_accepted agent-amina "$R/agent/agent-amina/up/cmd" cmd-from-amina
bw_wait_file "$BW_TMP/hub.out" "^$R/dev/k1/up/req req-from-k1\$" || bw_fail "hub did not get k1's request"
bw_wait_file "$BW_TMP/hub.out" "^$R/dev/g1/up/evt evt-from-g1\$" || bw_fail "hub did not get g1's event"
bw_wait_file "$BW_TMP/hub.out" "^$R/agent/agent-amina/up/cmd cmd-from-amina\$" || bw_fail "hub did not get the agent's command"

# ---- nobody writes outside its own up topics ----
expect_refused k1 "$R/dev/k2/up/req"
expect_refused k1 "$R/dev/k1/down/ack"
expect_refused k1 "$R/pub/catalogue"
expect_refused k1 "$R/agent/agent-amina/up/cmd"
expect_refused agent-amina "$R/dev/k1/up/req"
# a later accepted message proves the refused ones were processed (and dropped) before it
expect_accepted k2 "$R/dev/k2/up/req" req-from-k2
bw_wait_file "$BW_TMP/hub.out" "^$R/dev/k2/up/req req-from-k2\$" || bw_fail "hub did not get k2's request"
if grep -q forged "$BW_TMP/hub.out"; then bw_fail "a forged publish reached the hub: $(grep forged "$BW_TMP/hub.out")"; fi
# one connection per user: the hub's publishes below would take over this session
kill "${SUBS##* }"
expect_refused hub "$R/dev/k1/up/req"

# ---- nobody reads another device's down topics; everyone reads pub/ ----
expect_accepted hub "$R/pub/catalogue" catalogue-v1 -r
sub_bg k1 k1 -t "$R/dev/k2/down/#" -t "$R/dev/k1/down/#" -t "$R/pub/#" -t "$R/dev/+/up/#"
sub_bg k2 k2 -t "$R/dev/k2/down/#"
expect_accepted hub "$R/dev/k2/down/notify" for-k2
expect_accepted g1 "$R/dev/g1/up/evt" g1-event-k1-must-not-see
expect_accepted hub "$R/dev/k1/down/notify" for-k1
bw_wait_file "$BW_TMP/k2.out" "^$R/dev/k2/down/notify for-k2\$" || bw_fail "k2 did not get its notification"
bw_wait_file "$BW_TMP/k1.out" "^$R/dev/k1/down/notify for-k1\$" || bw_fail "k1 did not get its notification"
grep -q "^$R/pub/catalogue catalogue-v1\$" "$BW_TMP/k1.out" || bw_fail "k1 did not get the retained catalogue"
if grep -Eq 'for-k2|must-not-see' "$BW_TMP/k1.out"; then bw_fail "k1 read another device's messages"; fi

# ---- wrong credentials cannot connect ----
for cred in "-u k1 -P wrong-password" "-u k1" "-u nobody -P x" ""; do
  # shellcheck disable=SC2086
  if mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" $cred -q 1 -d -t "$R/dev/k1/up/req" -m x \
      > "$BW_TMP/cred.out" 2>&1; then
    bw_fail "mosquitto_pub succeeded with credentials '$cred'"
  fi
  if grep -q 'CONNACK (0)' "$BW_TMP/cred.out"; then bw_fail "connected with credentials '$cred'"; fi
done

# ---- a client id clash cannot impersonate: the client id is the user name ----
lines=$(wc -l < "$BW_BROKER_DIR/mosquitto.log")
expect_accepted k1 "$R/dev/k1/up/evt" k1-as-k2 -i k2
expect_refused k1 "$R/dev/k2/up/req" -i k2
tail -n +"$((lines + 1))" "$BW_BROKER_DIR/mosquitto.log" > "$BW_TMP/clash.log"
grep -q "as k1 (.*u'k1')" "$BW_TMP/clash.log" || bw_fail "k1 with -i k2 was not given client id k1"
if grep -q 'k2 already connected' "$BW_TMP/clash.log"; then bw_fail "k1 took over k2's session"; fi
expect_accepted hub "$R/dev/k2/down/notify" for-k2-again
bw_wait_file "$BW_TMP/k2.out" "for-k2-again" || bw_fail "k2 lost its connection to an impostor"

# ---- rotation while running: the old password stops working, the new one works ----
old=$(bw_broker_password k1)
"$B" register "$BW_BROKER_DIR" kiosk k1 --rotate >/dev/null || bw_fail "rotate failed"
[ "$(bw_broker_password k1)" != "$old" ] || bw_fail "rotate kept the password"
if mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u k1 -P "$old" -q 1 -t "$R/dev/k1/up/evt" -m x 2>/dev/null; then
  bw_fail "old password still works after rotate"
fi
expect_accepted k1 "$R/dev/k1/up/evt" after-rotate
"$B" register "$BW_BROKER_DIR" hub hub --rotate >/dev/null || bw_fail "hub rotate failed"
expect_accepted hub "$R/pub/holidays" holidays-v1 -r
[ "$(cat "$BW_BROKER_DIR/mosquitto.pid")" = "$pid0" ] || bw_fail "broker restarted on rotate"

# ---- stop: the process goes, its database is saved ----
"$B" stop "$BW_BROKER_DIR" || bw_fail "stop failed"
if kill -0 "$pid0" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid0/stat" 2>/dev/null)" != Z ]; then bw_fail "broker still runs after stop"; fi
[ ! -e "$BW_BROKER_DIR/mosquitto.pid" ] || bw_fail "pid file left behind"
[ -s "$BW_BROKER_DIR/data/mosquitto.db" ] || bw_fail "no persistence file after stop"
if "$B" stop "$BW_BROKER_DIR" 2>/dev/null; then bw_fail "stop of a stopped broker succeeded"; fi

# ---- foreground mode: SIGTERM to bawaba-broker stops mosquitto, exit status 0 ----
"$B" start "$BW_BROKER_DIR" 2>"$BW_TMP/fg.err" &
fg=$!
bw_wait_file "$BW_TMP/fg.err" 'listening on' || bw_fail "foreground start: $(cat "$BW_TMP/fg.err")"
mpid=$(cat "$BW_BROKER_DIR/mosquitto.pid")
expect_accepted k1 "$R/dev/k1/up/evt" foreground
kill -TERM "$fg"
st=0; wait "$fg" || st=$?
[ "$st" = 0 ] || bw_fail "foreground bawaba-broker exited $st"
if kill -0 "$mpid" 2>/dev/null; then bw_fail "mosquitto survived its foreground parent"; fi

# ---- TLS is one config switch away ----
if command -v openssl >/dev/null 2>&1; then
  T=$BW_TMP/tls; mkdir -p "$T"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || bw_fail "openssl could not make a certificate"
  D2=$BW_TMP/broker-tls
  "$B" init "$D2" --tls-cafile "$T/cert.pem" --tls-certfile "$T/cert.pem" --tls-keyfile "$T/key.pem" >/dev/null \
    || bw_fail "init with TLS failed"
  grep -q "^certfile $T/cert.pem\$" "$D2/mosquitto.conf" || bw_fail "no certfile line"
  "$B" register "$D2" kiosk k9 >/dev/null || bw_fail "register on the TLS broker"
  grep -q "^cafile=$T/cert.pem\$" "$D2/devices/k9.conf" || bw_fail "device config lacks the cafile"
  out=$("$B" start "$D2" --daemon) || bw_fail "TLS broker did not start"
  p2=${out#* }; pid2=${out% *}
  pw9=$(sed -n 's/^password=//p' "$D2/devices/k9.conf")
  tls_ok=0
  mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$p2" --cafile "$T/cert.pem" -u k9 -P "$pw9" -q 1 \
    -t "$R/dev/k9/up/evt" -m over-tls && tls_ok=1
  plain_ok=0
  mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$p2" -u k9 -P "$pw9" -q 1 -t "$R/dev/k9/up/evt" -m plain \
    2>/dev/null && plain_ok=1
  "$B" stop "$D2" || bw_fail "stop TLS broker"
  [ "$tls_ok" = 1 ] || { tail -n 20 "$D2/mosquitto.log" >&2; bw_fail "could not publish over TLS"; }
  [ "$plain_ok" = 0 ] || bw_fail "the TLS listener accepted plain TCP"
  [ -n "$pid2" ]
else
  echo "note: openssl missing, TLS part skipped"
fi

echo "broker: all checks passed"
