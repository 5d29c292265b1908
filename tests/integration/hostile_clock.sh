#!/bin/sh
# hostile_clock.sh: the times a device states are checked against what the hub knows
# (issue 11). With k1's own credentials: an event dated 2001 on its own answered complaint
# (a forged date, or a kiosk whose clock battery died) is recorded at the hub's time, so
# the reopened complaint's deadline counts from today, not from 2001, and its timeline
# stays in order; an event dated before its request's previous event, or an hour ahead,
# likewise; a request received "tomorrow" by a fast clock is received now. A heartbeat
# whose clock is an hour ahead shows in `bawaba devices` and on the agents' consoles;
# a retained request left on the broker is not taken again at the hub's restart.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
bw_need jq

bw_sync_setup k1:kiosk k2:kiosk
bw_hub_start
bw_dev k1 -n 3 -p -w 20 > "$BW_TMP/k1.out" || bw_fail "k1 submit"
ref() { awk -v n="$1" '/^ref /{k++; if (k==n) {print $2; exit}}' "$BW_TMP/k1.out"; }
uid() { awk -v n="$1" '/^ref /{k++; if (k==n) {print $3; exit}}' "$BW_TMP/k1.out"; }
B="$BW_BUILD/bin/bawaba"
"$B" -d "$BW_HUB_DB" answer "$(ref 1)" "Le dossier est complet" >/dev/null || bw_fail "answer 1"
"$B" -d "$BW_HUB_DB" answer "$(ref 2)" "Le dossier est complet" >/dev/null || bw_fail "answer 2"
now=$(date +%s)
today=$(date -u -d "@$((now + 3600))" +%F)   # Morocco's day (UTC+1 outside Ramadan)

mk() { # UID REQUEST_UID AT STATE
  printf '{"v":1,"type":"event","uid":"%s","request_uid":"%s","at":%s,"new_state":"%s","note":"toujours rien"}' \
    "$1" "$2" "$3" "$4"; }
E=bawaba/v1/dev/k1/up/evt

# 1. reopened "in 2001" (1004000000 = 2001-10-25)
bw_mqtt_pub k1 -q 1 -t $E -m "$(mk 01900000-0000-7000-8000-0000000000a1 "$(uid 1)" 1004000000 reopened)" || bw_fail "pub 1"
bw_wait_file "$BW_HUB_LOG" "event 01900000-0000-7000-8000-0000000000a1 from k1: at 1004000000 is .* days back: recorded at the hub's time" 5 ||
  bw_fail "a date in 2001 was not replaced"
at=$(bw_hubsql "SELECT at FROM events WHERE uid='01900000-0000-7000-8000-0000000000a1'")
[ "$at" -ge "$now" ] || bw_fail "event recorded at $at, before the test began ($now)"
bw_expect "reopened" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$(ref 1)'")" 8
bw_expect "the deadline counts from today" "$(bw_hubsql "SELECT deadline_from FROM requests WHERE ref='$(ref 1)'")" "$today"
bw_expect "not overdue" "$(bw_hubsql "SELECT deadline >= '$today' FROM requests WHERE ref='$(ref 1)'")" 1
"$B" -d "$BW_HUB_DB" list --overdue | grep -q "$(ref 1)" && bw_fail "listed as overdue"
bw_expect "the timeline is in order" "$(bw_hubsql "SELECT count(*) FROM events a JOIN events b ON a.request_uid = b.request_uid AND b.id > a.id AND b.at < a.at")" 0

# 2. an hour ahead of the hub's clock, and before the request's previous event
bw_mqtt_pub k1 -q 1 -t $E -m "$(mk 01900000-0000-7000-8000-0000000000a2 "$(uid 2)" $((now + 3600)) closed)" || bw_fail "pub 2"
bw_wait_file "$BW_HUB_LOG" "event 01900000-0000-7000-8000-0000000000a2 from k1: at .* is 3[0-9]* s ahead of the hub's clock" 5 ||
  bw_fail "an hour ahead was believed"
bw_mqtt_pub k1 -q 1 -t $E -m "$(mk 01900000-0000-7000-8000-0000000000a3 "$(uid 3)" $((now - 86400)) closed)" || bw_fail "pub 3"
bw_wait_file "$BW_HUB_LOG" "event 01900000-0000-7000-8000-0000000000a3 from k1: at .* is before the request's receipt" 5 ||
  bw_fail "an event before its request's receipt was believed"
bw_expect "closed" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$(ref 3)'")" 7
bw_expect "the timeline is still in order" "$(bw_hubsql "SELECT count(*) FROM events a JOIN events b ON a.request_uid = b.request_uid AND b.id > a.id AND b.at < a.at")" 0
sleep 1.2   # the counters reach the database once a second
bw_expect "stamped 3 times" "$(bw_hubsql "SELECT clock_stamped FROM devices WHERE id='k1'")" 3

# 3. a request received 20 minutes in the future: received now
bw_dev k2 -n 1 -W -w 2 > /dev/null || bw_fail "k2 submit"
p=$(bw_devsql k2 "SELECT payload FROM outbox LIMIT 1")
kuid=$(echo "$p" | jq -r .uid)
f=$(echo "$p" | jq -c --argjson t $((now + 1200)) '.received_at = $t' | sed "s/'/''/g")
bw_devsql k2 "UPDATE outbox SET payload = '$f'"
bw_dev k2 -w 15 > /dev/null || bw_fail "k2 send"
rat=$(bw_hubsql "SELECT received_at FROM requests WHERE uid='$kuid'")
[ "$rat" -ge "$now" ] && [ "$rat" -lt $((now + 1200)) ] || bw_fail "received_at $rat: want the hub's time"
grep -q "request $kuid from k2: received_at is ahead of the hub's clock" "$BW_HUB_LOG" || bw_fail "not logged"

# 4. a heartbeat from a clock an hour ahead: reported
bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k1/up/presence \
  -m "{\"v\":1,\"type\":\"presence\",\"online\":true,\"at\":$(( $(date +%s) + 3600 )),\"outbox\":0,\"cursor\":0}" || bw_fail "pub presence"
bw_wait_file "$BW_HUB_LOG" "k1: its clock is 3[56][0-9][0-9] s ahead of the hub's" 5 || bw_fail "skew not logged"
"$B" -d "$BW_HUB_DB" devices > "$BW_TMP/devices"
grep -E "^k1 .* \+3[56][0-9][0-9]s WRONG \(3 times stamped\)" "$BW_TMP/devices" || bw_fail "bawaba devices: $(cat "$BW_TMP/devices")"
bw_dev k1 -q "$(ref 1)" -w 5 > /dev/null || bw_fail "k1 again"   # its genuine heartbeat: right again
bw_wait_file "$BW_HUB_LOG" "k1: its clock agrees with the hub's again" 5 || bw_fail "right again not logged"

# 5. junk left retained on k1's own request topic is not taken again at the hub's restart
n0=$(bw_hubsql "SELECT dropped FROM devices WHERE id='k1'")
bw_mqtt_pub k1 -q 1 -r -t bawaba/v1/dev/k1/up/req -m '{"v":1,"type":"request"}' || bw_fail "pub retained"
bw_wait_file "$BW_HUB_LOG" "dropped up/req from k1: uid: missing" 5 || bw_fail "live junk not dropped"
bw_hub_stop
bw_hub_start
bw_wait_file "$BW_HUB_LOG" "dropped up/req from k1: a retained message" 5 || bw_fail "retained junk taken again"
bw_hub_stop
echo "PASS"
