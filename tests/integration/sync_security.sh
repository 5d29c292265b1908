#!/bin/sh
# sync_security.sh: no device speaks for another. Publishing under another device's topic
# is refused by the broker's ACL; naming another device in the payload, or using another
# device's reference numbers, is dropped by the hub; a wrong password cannot connect; a
# device the hub has not enrolled is ignored; hostile payloads (truncated, 1 MiB, 10,000
# levels of nesting, wrong types, unknown version, invalid UTF-8) are dropped, logged with
# the device's name and counted (the reason without any text of the payload), and the hub
# keeps serving. What a device claims about a request (site, channel, day of receipt) is
# checked against the registry and the hub's clock, and refused in its ack.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
bw_need jq

bw_sync_setup k1:kiosk k2:kiosk g1:gateway
bw_broker_register kiosk k3   # has broker credentials, not enrolled at the hub

# one genuine request of each device, made while the hub is down (they stay in the outbox)
bw_dev k1 -n 1 -W -w 2 > /dev/null || bw_fail "k1 submit"
bw_dev k2 -n 1 -W -w 2 > /dev/null || bw_fail "k2 submit"
bw_dev g1 -n 9 -W -w 2 > /dev/null || bw_fail "g1 submit"
p1=$(bw_devsql k1 "SELECT payload FROM outbox LIMIT 1")
p2=$(bw_devsql k2 "SELECT payload FROM outbox LIMIT 1")
[ -n "$p1" ] && [ -n "$p2" ] || bw_fail "no payloads"
bw_hub_start

# waits until the hub's log has at least N lines matching PATTERN
wait_count() {
  i=0
  while [ "$(grep -c -- "$2" "$BW_HUB_LOG")" -lt "$1" ]; do
    i=$((i + 1)); [ $i -gt 250 ] && bw_fail "expected $1 log lines '$2', got $(grep -c -- "$2" "$BW_HUB_LOG")"
    sleep 0.02
  done
}
count() { bw_hubsql "SELECT count(*) FROM requests"; }
T1=bawaba/v1/dev/k1/up

# 1. k1 publishes under k2's topic: the broker refuses it (MQTT v5 PUBACK 0x87)
bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k2/up/req -m "$p2" > "$BW_TMP/pub.out" 2>&1
grep -qi "not authori" "$BW_TMP/pub.out" || echo "note: mosquitto_pub said: $(cat "$BW_TMP/pub.out")"
bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k2/up/presence -m '{"v":1,"type":"presence","online":true,"outbox":666}' >/dev/null 2>&1
sleep 0.3
bw_expect "nothing stored from k1 under k2's topic" "$(count)" 0
[ "$(bw_hubsql "SELECT outbox_depth FROM devices WHERE id='k2'")" != 666 ] || bw_fail "k1 wrote k2's presence"

# 2. k1 sends k2's request (naming k2) on its own topic: dropped by the hub
bw_mqtt_pub k1 -q 1 -t $T1/req -m "$p2"
wait_count 1 "dropped up/req from k1: payload names device \"k2\""
# 3. k1 names itself but uses k2's reference number
ref2=$(echo "$p2" | jq -r .ref)
echo "$p1" | jq -c --arg r "$ref2" '.ref = $r' > "$BW_TMP/steal.json"
bw_mqtt_pub k1 -q 1 -t $T1/req -f "$BW_TMP/steal.json"
wait_count 1 "dropped up/req from k1: reference \"$ref2\" is not one of device number 0001"
bw_expect "nothing stored" "$(count)" 0

# 4. wrong password: cannot connect, nothing reaches the hub
mosquitto_pub -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u k1 -P wrong-password -q 1 \
  -t $T1/req -m "$p1" > "$BW_TMP/badpw" 2>&1 && bw_fail "a wrong password connected"
grep -qi "not authori\|bad user\|refused" "$BW_TMP/badpw" || bw_fail "wrong password: $(cat "$BW_TMP/badpw")"
sed 's/^password=.*/password=not-the-password/' "$BW_BROKER_DIR/devices/k1.conf" > "$BW_TMP/bad.conf"
"$BW_DEVSIM" -c "$BW_TMP/bad.conf" -d "$BW_TMP/k1.db" -w 2 > /dev/null 2>&1 && bw_fail "devsim with a wrong password drained its outbox"
bw_expect "nothing stored" "$(count)" 0

# 5. a device with broker credentials but not enrolled at the hub
bw_mqtt_pub k3 -q 1 -t bawaba/v1/dev/k3/up/req -m "$p1"
wait_count 1 "dropped up/req from k3: device not enrolled at the hub"

# 6. hostile payloads on k1's own topics
printf '%s' "$p1" | cut -c1-100 > "$BW_TMP/truncated"
head -c 100000 /dev/zero | tr '\0' 'a' > "$BW_TMP/big"   # over the hub's 32 KiB, under the broker's 256 KiB
head -c 1048576 /dev/zero | tr '\0' '[' > "$BW_TMP/mib"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]" }' > "$BW_TMP/deep"
awk 'BEGIN { printf "{\"v\":1,\"type\":\"request\",\"x\":"; for (i = 0; i < 10000; i++) printf "{\"a\":"; printf "1"; for (i = 0; i < 10000; i++) printf "}"; printf "}" }' > "$BW_TMP/deepobj"
echo "$p1" | jq -c '.uid = 12345' > "$BW_TMP/wrongtype"
echo "$p1" | jq -c '.kind = ["complaint"]' > "$BW_TMP/wrongtype2"
echo "$p1" | jq -c '.v = 2' > "$BW_TMP/version"
echo "$p1" | jq -c '.extra = "field"' > "$BW_TMP/unknownkey"
printf '{"v":1,"type":"request","uid":"%s","kind":"complaint","channel":"kiosk","device":"k1","text":"\377\376 bad"}' \
  "$(echo "$p1" | jq -r .uid)" > "$BW_TMP/badutf8"
printf '' > "$BW_TMP/empty"
# personal data around a JSON error: jansson quotes the text near it; the log must not
printf '{"v":1,"type":"request","name":Fatima Zahra Alaoui,"id_number":"AB123456"}' > "$BW_TMP/personal"
printf '{"v":1,"type":"request","name":"Fatima Zahra Alaoui","id_number":"AB123456' > "$BW_TMP/personal2"
n=0
for f in truncated big deep deepobj wrongtype wrongtype2 version unknownkey badutf8 empty personal personal2; do
  bw_mqtt_pub k1 -q 1 -t $T1/req -f "$BW_TMP/$f" || bw_fail "publish $f"
  n=$((n + 1))
done
# the broker's own limit (256 KiB packets) stops the full MiB before the hub sees it
bw_mqtt_pub k1 -q 1 -t $T1/req -f "$BW_TMP/mib" > /dev/null 2>&1 || true
bw_mqtt_pub k1 -q 1 -t $T1/query -m '{"v":1,"type":"query","ref":"not-a-ref"}'
bw_mqtt_pub k1 -q 1 -t $T1/query -D publish response-topic bawaba/v1/dev/k2/down/reply \
  -D publish correlation-data abc -m "{\"v\":1,\"type\":\"query\",\"ref\":\"$ref2\"}"
bw_mqtt_pub k1 -q 1 -t $T1/presence -m '{"v":1,"type":"presence","online":"yes"}'
# a leaf topic outside the protocol: the broker refuses it (k1's role), the hub never sees it
bw_mqtt_pub k1 -q 1 -d -t $T1/whatever -m '{}' > "$BW_TMP/whatever.out" 2>&1 || true
grep -q 'received PUBACK.*RC:135' "$BW_TMP/whatever.out" || bw_fail "up/whatever not refused: $(cat "$BW_TMP/whatever.out")"
n=$((n + 3))
wait_count $((n + 2)) "dropped .* from k1: "
grep -q "dropped up/req from k1: payload of 100000 bytes" "$BW_HUB_LOG" || bw_fail "big payload not named"
! grep -q "dropped up/whatever" "$BW_HUB_LOG" || bw_fail "up/whatever reached the hub"
grep -q "dropped up/req from k1: json: " "$BW_HUB_LOG" || bw_fail "parse errors not named"
grep -q "dropped up/query from k1: response topic must be its own" "$BW_HUB_LOG" || bw_fail "foreign response topic"
! grep -q "Fatima\|AB123456\|near '" "$BW_HUB_LOG" || bw_fail "payload text in the hub's log: $(grep "Fatima\|AB123456\|near '" "$BW_HUB_LOG")"
grep -q "dropped up/req from k1: json: invalid syntax at line 1, column" "$BW_HUB_LOG" || bw_fail "parse error kind and position not named"
bw_expect "k1's dropped messages counted" "$(bw_hubsql "SELECT dropped FROM devices WHERE id='k1'")" $((n + 2))
kill -0 "$BW_HUB_PID" || bw_fail "the hub died"
bw_expect "nothing stored" "$(count)" 0

# 7. the hub keeps serving: the genuine requests go through, each once
bw_dev k1 -n 3 -w 20 > /dev/null || bw_fail "k1 after the attack"
bw_dev k2 -w 20 > /dev/null || bw_fail "k2 after the attack"
bw_expect "k1's 4 requests stored" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k1' AND ref LIKE '0001%'")" 4
bw_expect "k2's 1 request stored" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k2' AND ref LIKE '0002%'")" 1
bw_expect "k2 dropped nothing" "$(bw_hubsql "SELECT dropped FROM devices WHERE id='k2'")" 0

# 8. what a device says about a request is checked: its site against the registry (the
# agents' scope and reports go by it), its channel against its kind, the day of receipt
# (the legal clock starts there) against the hub's today (30 days back at most: a backlog
# after an outage) and against received_at. g1's own outbox rows are rewritten, then sent
# by the device: each gets its ack, and the outbox shows the hub's answer.
now=$(date +%s)
day() { date -u -d "@$(( now + 3600 + $1 * 86400 ))" +%F; }   # Morocco's day, $1 days from today
forge() { # SEQ JQ-FILTER
  p=$(bw_devsql g1 "SELECT payload FROM outbox WHERE seq = $1")
  f=$(echo "$p" | jq -c --arg d25 "$(day -25)" --arg d40 "$(day -40)" --argjson t25 $((now - 25 * 86400)) \
    --argjson t40 $((now - 40 * 86400)) --arg d2 "$(day 2)" --argjson t2 $((now + 2 * 86400)) "$2" | sed "s/'/''/g")
  bw_devsql g1 "UPDATE outbox SET payload = '$f' WHERE seq = $1"
}
forge 1 '.site = "CASA-ANFA"'
forge 2 '.channel = "kiosk"'
forge 3 '.channel = "desk"'
forge 4 '.received_on = "2199-12-31" | .received_at = 7258032000'
forge 5 '.received_on = $d40 | .received_at = $t40'
forge 6 '.received_on = $d25 | .received_at = $t25'
forge 7 '.received_on = $d25'
forge 8 '.received_on = $d2 | .received_at = $t2'
# kept to play a lost ack in 9.: once acked the device empties the row (issue 11)
p9=$(bw_devsql g1 "SELECT payload FROM outbox WHERE seq = 9" | sed "s/'/''/g")
bw_dev g1 -w 15 > "$BW_TMP/g1.out" || bw_fail "g1: no ack for every row: $(tail -n 1 "$BW_TMP/g1.out")"
ack() { bw_devsql g1 "SELECT status || ': ' || COALESCE(error, '') FROM outbox WHERE seq = $1"; }
bw_expect "another site" "$(ack 1)" "rejected: site: \"CASA-ANFA\" is not this device's site (RABAT)"
bw_expect "a gateway claiming a kiosk" "$(ack 2)" "rejected: channel: a gateway takes sms requests, not kiosk"
bw_expect "a gateway claiming the desk" "$(ack 3)" "rejected: channel: a gateway takes sms requests, not desk"
bw_expect "received in 2199" "$(ack 4)" "rejected: received_on: 2199-12-31 is outside $(day -30)..$(day 1) (at most 30 days back)"
bw_expect "received 40 days ago" "$(ack 5)" "rejected: received_on: $(day -40) is outside $(day -30)..$(day 1) (at most 30 days back)"
bw_expect "a backlog of 25 days" "$(ack 6)" "stored: "
bw_expect "a day of receipt that is not received_at's" "$(ack 7)" "rejected: received_on: $(day -25) is not the day of received_at ($(day 0))"
bw_expect "received the day after tomorrow" "$(ack 8)" "rejected: received_on: $(day 2) is outside $(day -30)..$(day 1) (at most 30 days back)"
bw_expect "the genuine one" "$(ack 9)" "stored: "
bw_expect "g1's stored requests" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device = 'g1'")" 2
uid6=$(bw_devsql g1 "SELECT uid FROM outbox WHERE seq = 6")
bw_expect "the backlog keeps its day" "$(bw_hubsql "SELECT received_on FROM requests WHERE uid = '$uid6'")" "$(day -25)"
grep -q "rejected request .* from g1: site: " "$BW_HUB_LOG" || bw_fail "the rejection is not logged"

# 9. a request stored before is a duplicate when sent again, even if the registry changed
# since (the device moved to another site): its ack was lost, not its request. The
# registry is changed by another process while the hub runs: the hub reads it again.
bw_hubsql "UPDATE devices SET site = 'RABAT-IMMAT' WHERE id = 'g1'"
bw_devsql g1 "UPDATE outbox SET acked_at = NULL, status = NULL, error = NULL WHERE seq IN (1, 9)"
bw_devsql g1 "UPDATE outbox SET payload = '$p9' WHERE seq = 9"
sleep 1.5   # the hub looks at the database's data_version every second
bw_dev g1 -w 15 > /dev/null || bw_fail "g1 re-send"
bw_expect "re-sent stored request" "$(ack 9)" "duplicate: "
bw_expect "re-sent refused request" "$(ack 1)" "rejected: site: \"CASA-ANFA\" is not this device's site (RABAT-IMMAT)"
bw_hub_stop
echo "PASS"
