#!/bin/sh
# broker_users.sh: devices and agents under control on a real broker (mosquitto's dynamic
# security plugin through bawaba-broker): list, disable (the live connection is dropped at
# once, new ones refused), enable, rotate, remove; the same changes made with the broker
# stopped take effect at its start; the hub cannot be disabled; devices write only the
# protocol's leaf topics; a packet over the limit disconnects its sender; a directory
# made with the older password file keeps its devices' credentials.
set -eu
. "$BW_TOP/tests/lib/broker.sh"
B=$BW_BROKER_BIN
R=bawaba/v1
SUBS=""
bw_on_exit() { for p in $SUBS; do kill "$p" 2>/dev/null || true; done; }

pub_rc() { # ID TOPIC [options]: PUBACK reason (0/16 accepted, 135 refused), "" if no PUBACK
  id=$1; t=$2; shift 2
  bw_mqtt_pub "$id" -t "$t" -m "from-$id" -q 1 -d "$@" 2>&1 |
    sed -n 's/.*received PUBACK (Mid: [0-9]*, RC:\([0-9]*\)).*/\1/p'
}
can_publish() { rc=$(pub_rc "$1" "$R/dev/$1/up/presence"); [ "$rc" = 0 ] || [ "$rc" = 16 ]; }
connack() { # ID: the CONNACK code a connection as ID gets
  bw_mqtt_pub "$1" -t "$R/dev/$1/up/presence" -m x -q 1 -d 2>&1 | sed -n 's/.*CONNACK (\([0-9]*\)).*/\1/p' | head -n 1
}
sub_bg() { # NAME ID TOPIC: a live subscriber; returns once subscribed; sets SUB
  pw=$(bw_broker_password "$2")
  stdbuf -oL mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u "$2" -P "$pw" -t "$3" \
    -d -v > "$BW_TMP/$1.out" 2>&1 &
  SUB=$!; SUBS="$SUBS $SUB"
  bw_wait_file "$BW_TMP/$1.out" 'received SUBACK' || bw_fail "$1: no SUBACK: $(cat "$BW_TMP/$1.out")"
}
state_of() { "$B" list "$BW_BROKER_DIR" | awk -v id="$1" '$1 == id { print $4 }'; }
gone() { # PID: the process ends within 5 s
  i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  ! kill -0 "$1" 2>/dev/null
}

bw_broker_up
bw_broker_register kiosk k1 --site RABAT-IMMAT
bw_broker_register gateway g1 --site RABAT-IMMAT
bw_broker_register agent agent-amina --site RABAT-IMMAT

# ---- list ----
"$B" list "$BW_BROKER_DIR" > "$BW_TMP/list"
grep -Eq '^k1 +kiosk +RABAT-IMMAT +enabled$' "$BW_TMP/list" || bw_fail "list: $(cat "$BW_TMP/list")"
grep -Eq '^agent-amina +agent ' "$BW_TMP/list" || bw_fail "list lacks the agent: $(cat "$BW_TMP/list")"
grep -Eq '^hub +hub ' "$BW_TMP/list" || bw_fail "list lacks the hub"
if grep -q _admin "$BW_TMP/list"; then bw_fail "list shows the plugin's administrator"; fi

# ---- only the protocol's leaf topics ----
[ "$(pub_rc k1 "$R/dev/k1/up/req")" != 135 ] || bw_fail "k1 refused on up/req"
[ "$(pub_rc k1 "$R/dev/k1/up/junk" -r)" = 135 ] || bw_fail "k1 may write a retained message on up/junk"
[ "$(pub_rc k1 "$R/dev/k1/up/req/deeper")" = 135 ] || bw_fail "k1 may write below up/req"
[ "$(pub_rc agent-amina "$R/agent/agent-amina/up/cmd")" != 135 ] || bw_fail "agent refused on up/cmd"
[ "$(pub_rc agent-amina "$R/agent/agent-amina/up/other")" = 135 ] || bw_fail "agent may write up/other"

# ---- disable: the live connection goes at once, new ones are refused ----
sub_bg k1 k1 "$R/dev/k1/down/#"
k1sub=$SUB
sub_bg g1 g1 "$R/dev/g1/down/#"
"$B" disable "$BW_BROKER_DIR" k1 || bw_fail "disable k1"
gone "$k1sub" || bw_fail "k1's live connection survived disable"
[ "$(connack k1)" = 135 ] || bw_fail "disabled k1 connected (CONNACK '$(connack k1)')"
[ "$(state_of k1)" = DISABLED ] || bw_fail "list does not show k1 disabled"
kill -0 "$SUB" || bw_fail "g1 was disconnected by k1's disable"
can_publish g1 || bw_fail "g1 cannot publish after k1's disable"

# ---- enable ----
"$B" enable "$BW_BROKER_DIR" k1 || bw_fail "enable k1"
can_publish k1 || bw_fail "k1 cannot publish after enable"
[ "$(state_of k1)" = enabled ] || bw_fail "list does not show k1 enabled"

# ---- rotate: the old password is refused, the new one works ----
old=$(bw_broker_password k1)
"$B" rotate "$BW_BROKER_DIR" k1 >/dev/null || bw_fail "rotate k1"
[ "$(bw_broker_password k1)" != "$old" ] || bw_fail "rotate kept the password"
grep -q '^site=RABAT-IMMAT$' "$BW_BROKER_DIR/devices/k1.conf" || bw_fail "rotate lost the site"
mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u k1 -P "$old" -q 1 -t "$R/dev/k1/up/evt" -m x -d \
  > "$BW_TMP/old.out" 2>&1 || true
grep -q 'CONNACK (135)' "$BW_TMP/old.out" || bw_fail "the old password still connects: $(cat "$BW_TMP/old.out")"
can_publish k1 || bw_fail "k1 cannot publish with its new password"

# ---- remove: disconnected, refused, forgotten ----
sub_bg k1b k1 "$R/dev/k1/down/#"
"$B" remove "$BW_BROKER_DIR" k1 || bw_fail "remove k1"
gone "$SUB" || bw_fail "k1's live connection survived remove"
[ ! -e "$BW_BROKER_DIR/devices/k1.conf" ] || bw_fail "k1.conf left after remove"
mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u k1 -P "$old" -q 1 -t "$R/dev/k1/up/evt" -m x -d \
  > "$BW_TMP/rm.out" 2>&1 || true
grep -q 'CONNACK (135)' "$BW_TMP/rm.out" || bw_fail "removed k1 connects: $(cat "$BW_TMP/rm.out")"
if "$B" list "$BW_BROKER_DIR" | grep -q '^k1 '; then bw_fail "list still shows k1"; fi
if "$B" disable "$BW_BROKER_DIR" k1 2>"$BW_TMP/err"; then bw_fail "disable of a removed device succeeded"; fi
grep -q 'no such device' "$BW_TMP/err" || bw_fail "disable unknown: $(cat "$BW_TMP/err")"
bw_broker_register kiosk k1 --site RABAT-IMMAT   # the id can be given again, new password
can_publish k1 || bw_fail "k1 registered again cannot publish"

# ---- the hub and the administrator are not devices ----
if "$B" disable "$BW_BROKER_DIR" hub 2>"$BW_TMP/err"; then bw_fail "the hub was disabled"; fi
grep -q "cannot be disabled" "$BW_TMP/err" || bw_fail "disable hub: $(cat "$BW_TMP/err")"
if "$B" remove "$BW_BROKER_DIR" _admin 2>/dev/null; then bw_fail "the administrator was removed"; fi
for c in list disable enable remove rotate; do
  "$B" $c --help | grep -q '^usage: bawaba-broker' || bw_fail "bawaba-broker $c --help"
done

# ---- a packet over the limit disconnects its sender ----
grep -q '^max_packet_size 262144$' "$BW_BROKER_DIR/mosquitto.conf" || bw_fail "no packet limit"
grep -q '^max_queued_bytes ' "$BW_BROKER_DIR/mosquitto.conf" || bw_fail "no queue limit"
head -c 300000 /dev/zero | tr '\0' x > "$BW_TMP/big"
head -c 20000 /dev/zero | tr '\0' x > "$BW_TMP/ok"
big_pub() { # FILE: as g1 with MQTT 3.1.1 (a v5 client library would refuse to send it)
  mosquitto_pub -V mqttv311 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u g1 -P "$(bw_broker_password g1)" \
    -q 1 -d -t "$R/dev/g1/up/req" -f "$1" 2>&1
}
big_pub "$BW_TMP/big" > "$BW_TMP/big.out" || true
if grep -q 'received PUBACK' "$BW_TMP/big.out"; then bw_fail "a 300 KB message was accepted"; fi
grep -q 'Client g1 disconnected due to oversize packet' "$BW_BROKER_DIR/mosquitto.log" || bw_fail "g1 not disconnected for 300 KB"
big_pub "$BW_TMP/ok" > "$BW_TMP/ok.out" || true
grep -q 'received PUBACK' "$BW_TMP/ok.out" || bw_fail "a 20 KB request was refused: $(cat "$BW_TMP/ok.out")"

# ---- with the broker stopped, the file is changed; the next start applies it ----
"$B" stop "$BW_BROKER_DIR" || bw_fail "stop"
"$B" disable "$BW_BROKER_DIR" g1 || bw_fail "offline disable g1"
bw_broker_register kiosk k5 --site RABAT-IMMAT
bw_broker_start
[ "$(connack g1)" = 135 ] || bw_fail "g1 disabled offline still connects"
can_publish k5 || bw_fail "k5 registered offline cannot publish"
"$B" enable "$BW_BROKER_DIR" g1 || bw_fail "enable g1"
can_publish g1 || bw_fail "g1 enabled cannot publish"
"$B" stop "$BW_BROKER_DIR" || bw_fail "stop 2"

# ---- a directory of the older layout (password file) keeps its users ----
O=$BW_TMP/old
mkdir -p "$O/devices" "$O/data"; chmod 700 "$O"
port=$(sed -n 's/^listener \([0-9]*\) .*/\1/p' "$BW_BROKER_DIR/mosquitto.conf")
printf 'per_listener_settings false\nlistener %s 127.0.0.1\npassword_file %s/passwd\nacl_file %s/acl\n' \
  "$port" "$O" "$O" > "$O/mosquitto.conf"
printf '[broker]\nhost=127.0.0.1\nport=%s\nusername=k7\npassword=old-secret-7\n\n[device]\nid=k7\nkind=kiosk\nsite=RABAT-IMMAT\n' \
  "$port" > "$O/devices/k7.conf"
printf 'old-secret-7\nold-secret-7\n' | mosquitto_passwd -c "$O/passwd" k7 >/dev/null 2>&1 || bw_fail "mosquitto_passwd"
out=$("$B" start "$O" --daemon) || bw_fail "start of an old directory"
grep -q '^plugin ' "$O/mosquitto.conf" || bw_fail "old config not rewritten"
mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$port" -u k7 -P old-secret-7 -q 1 -t "$R/dev/k7/up/presence" -m x \
  || { "$B" stop "$O"; bw_fail "k7 lost its credentials in the upgrade"; }
"$B" stop "$O" || bw_fail "stop old"
echo "broker_users: all checks passed"
