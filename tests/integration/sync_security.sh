#!/bin/sh
# sync_security.sh: no device speaks for another. Publishing under another device's topic
# is refused by the broker's ACL; naming another device in the payload, or using another
# device's reference numbers, is dropped by the hub; a wrong password cannot connect; a
# device the hub has not enrolled is ignored; hostile payloads (truncated, 1 MiB, 10,000
# levels of nesting, wrong types, unknown version, invalid UTF-8) are dropped, logged with
# the device's name and counted (the reason without any text of the payload), and the hub
# keeps serving.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
bw_need jq

bw_sync_setup k1:kiosk k2:kiosk
bw_broker_register kiosk k3   # has broker credentials, not enrolled at the hub

# one genuine request of each device, made while the hub is down (they stay in the outbox)
bw_dev k1 -n 1 -W -w 2 > /dev/null || bw_fail "k1 submit"
bw_dev k2 -n 1 -W -w 2 > /dev/null || bw_fail "k2 submit"
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
head -c 1000000 /dev/zero | tr '\0' 'a' > "$BW_TMP/big"
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
# the broker's own limit (1 MiB packets) stops the full MiB before the hub sees it
bw_mqtt_pub k1 -q 1 -t $T1/req -f "$BW_TMP/mib" > /dev/null 2>&1 || true
bw_mqtt_pub k1 -q 1 -t $T1/query -m '{"v":1,"type":"query","ref":"not-a-ref"}'
bw_mqtt_pub k1 -q 1 -t $T1/query -D publish response-topic bawaba/v1/dev/k2/down/reply \
  -D publish correlation-data abc -m "{\"v\":1,\"type\":\"query\",\"ref\":\"$ref2\"}"
bw_mqtt_pub k1 -q 1 -t $T1/presence -m '{"v":1,"type":"presence","online":"yes"}'
bw_mqtt_pub k1 -q 1 -t $T1/whatever -m '{}'
n=$((n + 4))
wait_count $((n + 2)) "dropped .* from k1: "
grep -q "dropped up/req from k1: payload of 1000000 bytes" "$BW_HUB_LOG" || bw_fail "big payload not named"
grep -q "dropped up/req from k1: json: " "$BW_HUB_LOG" || bw_fail "parse errors not named"
grep -q "dropped up/query from k1: response topic must be its own" "$BW_HUB_LOG" || bw_fail "foreign response topic"
! grep -q "Fatima\|AB123456\|near '" "$BW_HUB_LOG" || bw_fail "payload text in the hub's log: $(grep "Fatima\|AB123456\|near '" "$BW_HUB_LOG")"
grep -q "dropped up/req from k1: json: invalid token at line 1, column" "$BW_HUB_LOG" || bw_fail "parse error kind and position not named"
bw_expect "k1's dropped messages counted" "$(bw_hubsql "SELECT dropped FROM devices WHERE id='k1'")" $((n + 2))
kill -0 "$BW_HUB_PID" || bw_fail "the hub died"
bw_expect "nothing stored" "$(count)" 0

# 7. the hub keeps serving: the genuine requests go through, each once
bw_dev k1 -n 3 -w 20 > /dev/null || bw_fail "k1 after the attack"
bw_dev k2 -w 20 > /dev/null || bw_fail "k2 after the attack"
bw_expect "k1's 4 requests stored" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k1' AND ref LIKE '0001%'")" 4
bw_expect "k2's 1 request stored" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k2' AND ref LIKE '0002%'")" 1
bw_expect "k2 dropped nothing" "$(bw_hubsql "SELECT dropped FROM devices WHERE id='k2'")" 0
bw_hub_stop
echo "PASS"
