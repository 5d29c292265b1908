#!/bin/sh
# sync_events.sh: events made on a device (a citizen reopening an answered complaint,
# withdrawing a request) reach the hub once under the device's event uid, through the
# lifecycle rules, attributed to the citizen, and are acknowledged like requests; a
# re-sent event is a duplicate; a device may not make an agent's move, nor touch another
# device's request; garbage on up/evt is dropped and counted. A device counts deadlines
# as the hub does: notifications carry the rule and the day the clock restarted (a reopened
# complaint's), acks carry a new request's deadline.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

bw_sync_setup k1:kiosk k2:kiosk
bw_hub_start
bw_dev k1 -n 2 -p -w 20 > "$BW_TMP/k1.out" || bw_fail "k1 submit"
ref=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1.out")
ref2=$(awk '/^ref /{n++; if (n==2) {print $2; exit}}' "$BW_TMP/k1.out")
uid=$(awk '/^ref /{print $3; exit}' "$BW_TMP/k1.out")

# the agency answers; the device hears it
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$ref" "Le dossier est complet" >/dev/null || bw_fail "answer"
bw_dev k1 -N 1 -w 15 > "$BW_TMP/n1" || bw_fail "notification: $(cat "$BW_TMP/n1")"
bw_expect "device holds the answer" "$(bw_devsql k1 "SELECT state FROM requests WHERE ref='$ref'")" 5

# 1. the citizen is not satisfied and reopens it at the kiosk
bw_dev k1 -E "$ref reopened Le guichet refuse toujours" -w 20 > "$BW_TMP/e1" || bw_fail "reopen: $(cat "$BW_TMP/e1")"
euid=$(sed -n 's/^event //p' "$BW_TMP/e1")
bw_expect "device state reopened" "$(bw_devsql k1 "SELECT state FROM requests WHERE ref='$ref'")" 8
bw_expect "evt acked as stored" "$(bw_devsql k1 "SELECT status FROM outbox WHERE uid='$euid'")" stored
bw_expect "hub state reopened" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref'")" 8
bw_expect "hub keeps the device's event uid" "$(bw_hubsql "SELECT count(*) FROM events WHERE uid='$euid' AND new_state=8")" 1
bw_expect "attributed to the citizen" "$(bw_hubsql "SELECT actor FROM events WHERE uid='$euid'")" citizen:k1
bw_expect "reopen counted" "$(bw_hubsql "SELECT reopened FROM requests WHERE ref='$ref'")" 1

# 2. the ack was lost: sent again, acknowledged as a duplicate, applied once
# the device emptied the acked row (issue 11): the event as it sent it, again
at=$(bw_hubsql "SELECT at FROM events WHERE uid='$euid'")
pe=$(printf '{"v":1,"type":"event","uid":"%s","request_uid":"%s","ref":"%s","at":%s,"new_state":"reopened","note":"Le guichet refuse toujours"}' \
  "$euid" "$uid" "$ref" "$at")
bw_devsql k1 "UPDATE outbox SET acked_at = NULL, status = NULL, payload = '$pe' WHERE uid='$euid'"
bw_dev k1 -w 10 > /dev/null || bw_fail "re-send not acknowledged"
bw_expect "re-sent evt is a duplicate" "$(bw_devsql k1 "SELECT status FROM outbox WHERE uid='$euid'")" duplicate
bw_expect "still one reopen event" "$(bw_hubsql "SELECT count(*) FROM events e JOIN requests r ON r.uid=e.request_uid WHERE r.ref='$ref' AND e.new_state=8")" 1

# 3. withdrawing the second request
bw_dev k1 -E "$ref2 closed" -w 20 > "$BW_TMP/e2" || bw_fail "withdraw: $(cat "$BW_TMP/e2")"
bw_expect "hub state closed" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref2'")" 7

# 4. refused on the device itself: an agent's move, a move the lifecycle forbids
bw_dev k1 -E "$ref answered merci" -w 5 > /dev/null 2>&1 && bw_fail "a device answered"
bw_dev k1 -E "$ref2 under_appeal encore" -w 5 > /dev/null 2>&1 && bw_fail "a complaint went under appeal"
bw_expect "nothing queued by refusals" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE type='evt'")" 2

# 5. hand-made events: an agent's move from a device is rejected; another device's request
# is not touched; garbage is dropped
mk() { printf '{"v":1,"type":"event","uid":"%s","request_uid":"%s","at":%s,"new_state":"%s","note":"x"}' "$1" "$2" "$(date +%s)" "$3"; }
bw_mqtt_pub k1 -q 1 -t bawaba/v1/dev/k1/up/evt -m "$(mk 01900000-0000-7000-8000-000000000001 "$uid" answered)" || bw_fail "pub 1"
bw_wait_file "$BW_HUB_LOG" "rejected event 01900000-0000-7000-8000-000000000001 from k1: new_state" 5 ||
  bw_fail "agent's move from a device not rejected"
bw_mqtt_pub k2 -q 1 -t bawaba/v1/dev/k2/up/evt -m "$(mk 01900000-0000-7000-8000-000000000002 "$uid" closed)" || bw_fail "pub 2"
bw_wait_file "$BW_HUB_LOG" "dropped up/evt from k2: the request is not one of this device's" 5 ||
  bw_fail "k2 touched k1's request"
bw_mqtt_pub k2 -q 1 -t bawaba/v1/dev/k2/up/evt -m '{"v":1,"type":"event","uid":' || bw_fail "pub 3"
bw_wait_file "$BW_HUB_LOG" "dropped up/evt from k2: json" 5 || bw_fail "garbage not dropped"
bw_expect "k1's request still reopened" "$(bw_hubsql "SELECT state FROM requests WHERE ref='$ref'")" 8
bw_expect "no event of the hand-made uids" "$(bw_hubsql "SELECT count(*) FROM events WHERE uid LIKE '01900000-%'")" 0
bw_expect "k2's drops counted" "$(bw_hubsql "SELECT dropped FROM devices WHERE id='k2'")" 2

# 6. the hub's event comes back to the device as a notification without doubling it
bw_dev k1 -w 3 -N 0 > /dev/null
bw_expect "device still has one reopen event" "$(bw_devsql k1 "SELECT count(*) FROM events WHERE uid='$euid'")" 1
# 7. deadlines as the hub counts them. A complaint received 20 days ago (a backlog) is
# answered, then reopened at the hub: its clock restarts on the day of the reopening. The
# notification carries the rule and that day, so when a holiday table arrives and the
# device recomputes its open deadlines, it gets the hub's date (it used to count again
# from the day of receipt, 20 days early).
rec() { echo "SELECT deadline || ' ' || deadline_rule || ' ' || deadline_from || ' ' || extended FROM requests WHERE ref = '$1'"; }
bw_dev k1 -n 1 -R 20 -p -w 20 > "$BW_TMP/r20" || bw_fail "backlog submit: $(cat "$BW_TMP/r20")"
ref3=$(awk '/^ref /{print $2; exit}' "$BW_TMP/r20")
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$ref3" "Réponse" >/dev/null || bw_fail "answer 3"
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" reopen "$ref3" "Toujours rien" >/dev/null || bw_fail "reopen 3"
bw_dev k1 -N 2 -w 15 > "$BW_TMP/n3" || bw_fail "notifications of the reopening: $(cat "$BW_TMP/n3")"
bw_expect "the device counts as the hub" "$(bw_devsql k1 "$(rec "$ref3")")" "$(bw_hubsql "$(rec "$ref3")")"
npub=$(grep -c "published bawaba/v1/pub/holidays" "$BW_HUB_LOG")
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" holiday add 2099-01-05 "Jour lointain" >/dev/null || bw_fail "holiday add"
i=0; while [ "$(grep -c "published bawaba/v1/pub/holidays" "$BW_HUB_LOG")" -le "$npub" ]; do
  i=$((i + 1)); [ $i -gt 250 ] && bw_fail "the hub did not publish the holidays"; sleep 0.02; done
bw_dev k1 -P 2 -w 10 > "$BW_TMP/p3" 2>&1 || bw_fail "holidays on the device: $(cat "$BW_TMP/p3")"
grep -q "holidays from the hub applied" "$BW_TMP/p3" || bw_fail "the holiday table was not applied: $(cat "$BW_TMP/p3")"
bw_expect "after the holiday table, still as the hub" "$(bw_devsql k1 "$(rec "$ref3")")" "$(bw_hubsql "$(rec "$ref3")")"

# 8. a new request's deadline is the hub's even when the device's holiday table differs
# (here a holiday only the device has, on the hub's due day): the ack carries it
bw_dev k1 -n 1 -p -w 20 > "$BW_TMP/r4" || bw_fail "submit 4"
ref4=$(awk '/^ref /{print $2; exit}' "$BW_TMP/r4")
due=$(bw_hubsql "SELECT deadline FROM requests WHERE ref = '$ref4'")
bw_devsql k1 "INSERT INTO holidays (day, name_ar, name_fr) VALUES ('$due', '', 'local only')"
bw_dev k1 -n 1 -p -w 20 > "$BW_TMP/r5" 2>&1 || bw_fail "submit 5: $(cat "$BW_TMP/r5")"
ref5=$(awk '/^ref /{print $2; exit}' "$BW_TMP/r5")
bw_expect "the hub's deadline (not the device's later one)" "$(bw_devsql k1 "SELECT deadline FROM requests WHERE ref = '$ref5'")" \
  "$(bw_hubsql "SELECT deadline FROM requests WHERE ref = '$ref5'")"
bw_expect "the hub's is the same day as before" "$(bw_hubsql "SELECT deadline FROM requests WHERE ref = '$ref5'")" "$due"

bw_hub_stop
echo "PASS"
