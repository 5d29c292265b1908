#!/bin/sh
# sync_roundtrip.sh: a device submits, the hub stores and acks, the outbox drains; a
# re-sent request is acknowledged as a duplicate and not stored twice; status queries
# online (the hub answers) and offline (the device answers from its store and says so);
# status changes made with the CLI reach the device, also one made while it was offline;
# presence lands in the devices table. Real broker, real hub and device processes.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

bw_sync_setup k1:kiosk g1:gateway
bw_expect "k1 enrolled as number 1" "$(sed -n 's/^num=//p' "$BW_BROKER_DIR/devices/k1.conf")" 1
bw_expect "g1 enrolled as number 2" "$(bw_hubsql "SELECT num FROM devices WHERE id='g1'")" 2
"$BW_HUB_BIN" -d "$BW_HUB_DB" enroll "$BW_BROKER_DIR/devices/k1.conf" | grep -q " 0001$" ||
  bw_fail "enrolling again must keep the number"
"$BW_HUB_BIN" -b "$BW_BROKER_DIR" -d "$BW_HUB_DB" -n | grep -qx "configuration OK" || bw_fail "-n"
"$BW_HUB_BIN" --help | grep -q "usage: bawaba-hub" || bw_fail "--help"

# 1. offline first: the hub is not running, the device still gives references
bw_dev k1 -n 3 -p -W -w 2 > "$BW_TMP/k1.out" || bw_fail "submit with the hub down"
bw_expect "references made offline" "$(grep -c '^ref 0001' "$BW_TMP/k1.out")" 3
bw_expect "outbox holds them" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" 3
# kept to play a lost ack below: once acked the device empties the row (issue 11)
p1=$(bw_devsql k1 "SELECT payload FROM outbox WHERE seq = 1" | sed "s/'/''/g")

# 2. the hub comes up: the backlog and new requests are stored once and acknowledged
bw_hub_start
bw_dev k1 -n 5 -p -w 20 >> "$BW_TMP/k1.out" || bw_fail "k1: outbox not drained: $(tail -n 1 "$BW_TMP/k1.out")"
bw_dev g1 -n 2 -p -w 20 > "$BW_TMP/g1.out" || bw_fail "g1: outbox not drained"
bw_expect "hub holds k1's 8 requests" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k1'")" 8
bw_expect "hub holds g1's 2 requests" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='g1' AND ref LIKE '0002%'")" 2
bw_expect "k1 outbox drained" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" 0
bw_expect "acks say stored" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE status='stored'")" 8
ref1=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1.out")
ref2=$(awk '/^ref /{n++; if (n==2) {print $2; exit}}' "$BW_TMP/k1.out")
bw_expect "same reference at the hub and on the device" \
  "$(bw_hubsql "SELECT uid FROM requests WHERE ref='$ref1'")" "$(bw_devsql k1 "SELECT uid FROM requests WHERE ref='$ref1'")"

# 3. a duplicate: the device lost the ack and sends the row again
bw_devsql k1 "UPDATE outbox SET acked_at = NULL, status = NULL, payload = '$p1' WHERE seq = 1"
bw_dev k1 -w 10 > /dev/null || bw_fail "re-send not acknowledged"
bw_expect "re-send acknowledged as duplicate" "$(bw_devsql k1 "SELECT status FROM outbox WHERE seq = 1")" duplicate
bw_expect "hub still holds 8" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='k1'")" 8
bw_expect "one received event each" "$(bw_hubsql "SELECT count(*) FROM events e JOIN requests r ON r.uid = e.request_uid WHERE r.device='k1'")" 8

# 4. status query, online: the hub answers
bw_dev k1 -q "$ref1" -w 10 > "$BW_TMP/q1" || bw_fail "query online"
grep -q "^status ref=$ref1 found=1 from_local=0 state=received" "$BW_TMP/q1" || bw_fail "online answer: $(cat "$BW_TMP/q1")"
unknown=$(bw_ref_make 00030000001)
bw_dev k1 -q "$unknown" -w 10 > "$BW_TMP/q0" || bw_fail "query unknown"
grep -q "^status ref=$unknown found=0 from_local=0" "$BW_TMP/q0" || bw_fail "unknown ref: $(cat "$BW_TMP/q0")"
ref_g1=$(awk '/^ref /{print $2; exit}' "$BW_TMP/g1.out")
bw_dev k1 -q "$ref_g1" -w 10 > "$BW_TMP/q4" || bw_fail "query g1's"
grep -q "^status ref=$ref_g1 found=1 from_local=0 state=received" "$BW_TMP/q4" || bw_fail "g1's ref: $(cat "$BW_TMP/q4")"

# 5. a status change made while the device is offline reaches it when it comes back
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$ref1" "Votre attestation est prête au guichet 3" >/dev/null ||
  bw_fail "bawaba answer"
bw_dev k1 -N 1 -w 15 > "$BW_TMP/n1" || bw_fail "notification while offline did not arrive: $(cat "$BW_TMP/n1")"
grep -q "^notify $ref1 answered Votre attestation est prête au guichet 3$" "$BW_TMP/n1" || bw_fail "notify: $(cat "$BW_TMP/n1")"
bw_expect "device applied the new state" "$(bw_devsql k1 "SELECT state FROM requests WHERE ref='$ref1'")" 5
bw_expect "device stored the event once" "$(bw_devsql k1 "SELECT count(*) FROM events e JOIN requests r ON r.uid=e.request_uid WHERE r.ref='$ref1'")" 2

# 6. a status change made while the device is online arrives at once
bw_dev k1 -N 1 -w 15 > "$BW_TMP/n2" &
dev_pid=$!
bw_wait_file "$BW_HUB_LOG" "k1" 5 || true
sleep 1
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" ack "$ref2" >/dev/null || bw_fail "bawaba ack"
wait $dev_pid || bw_fail "online notification did not arrive: $(cat "$BW_TMP/n2")"
grep -q "^notify $ref2 acknowledged" "$BW_TMP/n2" || bw_fail "notify 2: $(cat "$BW_TMP/n2")"

# 6b. the answer's text goes with the receipt code only, from any device; wrong codes are
# counted in the hub's database per reference (10 a day by default) and per device (30
# an hour): past a limit the code is not looked at, so nobody walks 10,000 codes
# (tests/integration/hostile_codes.sh tries the limits harder)
code1=$(bw_hubsql "SELECT code FROM requests WHERE ref='$ref1'")
bw_dev g1 -q "$ref1" -Q "$code1" -w 10 > "$BW_TMP/c1" || bw_fail "query with the code"
grep -q "^step answered .* Votre attestation" "$BW_TMP/c1" || bw_fail "right code, no answer: $(cat "$BW_TMP/c1")"
wrong=$(awk -v c="$code1" 'BEGIN { n = 0; for (i = 0; n < 10; i++) { w = sprintf("%04d", i); if (w != c) { printf "%s%s", n ? "," : "", w; n++ } } }')
bw_dev g1 -q "$ref1" -Q "$wrong,$code1" -w 20 > "$BW_TMP/c2" || bw_fail "11 queries"
bw_expect "11 answers" "$(grep -c "^status ref=$ref1 found=1" "$BW_TMP/c2")" 11
grep -q "Votre attestation" "$BW_TMP/c2" && bw_fail "after 10 wrong codes the right one still opened the answer"
grep -q "g1: query for $ref1: 10 wrong receipt codes for this reference in 24 hours: the code is not checked" \
  "$BW_HUB_LOG" || bw_fail "the hub did not say it ignores codes for $ref1"
bw_expect "wrong codes kept in the database" "$(bw_hubsql "SELECT count(*) FROM code_tries WHERE ref='$ref1' AND device='g1'")" 10
bw_dev k1 -q "$ref1" -Q "$code1" -w 10 > "$BW_TMP/c3" || bw_fail "query from k1"
grep -q "Votre attestation" "$BW_TMP/c3" && bw_fail "the reference's limit holds for every device"
bw_hubsql "DELETE FROM code_tries"   # as if a day had gone by
bw_dev k1 -q "$ref1" -Q "$code1" -w 10 > "$BW_TMP/c4" || bw_fail "query from k1"
grep -q "Votre attestation" "$BW_TMP/c4" || bw_fail "the right code after the window: $(cat "$BW_TMP/c4")"

# 7. presence: heartbeats and the goodbye are in the devices table
bw_expect "k1 seen" "$(bw_hubsql "SELECT last_seen IS NOT NULL FROM devices WHERE id='k1'")" 1
bw_expect "k1 offline after it left" "$(bw_hubsql "SELECT online FROM devices WHERE id='k1'")" 0
cursor=$(bw_devsql k1 "SELECT value FROM sync_state WHERE key='sync.notify_cursor'")
bw_expect "hub knows k1's notification cursor" "$(bw_hubsql "SELECT notify_cursor FROM devices WHERE id='k1'")" "$cursor"

# 8. status query with the hub down: the device answers from its own store and says so
bw_hub_stop
bw_dev k1 -q "$ref1" -o sync.query_timeout_ms=500 -w 10 > "$BW_TMP/q2" || bw_fail "query offline"
grep -q "^status ref=$ref1 found=1 from_local=1 state=answered" "$BW_TMP/q2" || bw_fail "local answer: $(cat "$BW_TMP/q2")"
grep -q "^step answered " "$BW_TMP/q2" || bw_fail "local timeline: $(cat "$BW_TMP/q2")"
# the answer's note only with the receipt code (the device's own store checks it too)
grep -q "Votre attestation" "$BW_TMP/q2" && bw_fail "local answer without the code shows the note: $(cat "$BW_TMP/q2")"
# ... and with the broker down too
bw_broker_down
bw_dev k1 -q "$ref2" -w 10 > "$BW_TMP/q3" || bw_fail "query without broker"
grep -q "^status ref=$ref2 found=1 from_local=1 state=acknowledged" "$BW_TMP/q3" || bw_fail "no broker: $(cat "$BW_TMP/q3")"
echo "PASS"
