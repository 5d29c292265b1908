#!/bin/sh
# sync_device.sh: the device side of sync when things go wrong locally: the commit that
# marks rows acknowledged fails (the rows are sent again in the same run, not forgotten
# until a restart); while the hub is known to be away nothing is resent into the broker's
# queue, and everything goes when it is back; a hub never heard of is sent to; a crash or
# a refusal inside the program's notification callback loses nothing (the callback runs
# inside the device's transaction, the hub's replay brings the notification again).
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

bw_sync_setup k1:kiosk k2:kiosk

# 1. the local commit of the hub's acks fails. A trigger violates a deferred foreign key,
# which SQLite checks only at COMMIT: the UPDATEs succeed, the commit does not.
bw_dev k1 -n 5 -W -w 2 > /dev/null || bw_fail "k1 submit"
bw_devsql k1 "CREATE TABLE zz_parent (id INTEGER PRIMARY KEY);
  CREATE TABLE zz_child (p INTEGER REFERENCES zz_parent(id) DEFERRABLE INITIALLY DEFERRED);
  CREATE TRIGGER zz_fail AFTER UPDATE OF acked_at ON outbox WHEN NEW.acked_at IS NOT NULL
  BEGIN INSERT INTO zz_child VALUES (1); END;"
bw_hub_start
bw_dev k1 -w 15 > "$BW_TMP/c.out" 2> "$BW_TMP/c.err" &
pid=$!
bw_wait_file "$BW_TMP/c.err" "local db: commit" 10 || bw_fail "the ack commit did not fail: $(cat "$BW_TMP/c.err")"
bw_expect "nothing marked acknowledged" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NOT NULL")" 0
bw_devsql k1 "DROP TRIGGER zz_fail"
wait $pid || bw_fail "rows whose ack was not committed were not sent again in the same run: $(tail -n 1 "$BW_TMP/c.out")"
bw_expect "outbox drained" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" 0
bw_expect "acknowledged as duplicates the second time" "$(bw_devsql k1 "SELECT count(*) FROM outbox WHERE status = 'duplicate'")" 5
bw_expect "stored once at the hub" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device = 'k1'")" 5

# 2. the hub is known to be away (its goodbye is retained on pub/hub): a device does not
# resend its rows over and over into the broker's queue; it sends them when the hub is back
bw_hub_stop
bw_dev k1 -n 2 -w 4 > "$BW_TMP/a.out" 2> "$BW_TMP/a.err" && bw_fail "drained without a hub"
grep -q "the hub is offline" "$BW_TMP/a.err" || bw_fail "the device did not hear the hub's goodbye: $(cat "$BW_TMP/a.err")"
bw_expect "no retries while the hub is away" "$(grep -c "sending again" "$BW_TMP/a.err")" 0
bw_dev k1 -w 20 > "$BW_TMP/b.out" 2> "$BW_TMP/b.err" &
pid=$!
bw_wait_file "$BW_TMP/b.err" "the hub is offline" 10 || bw_fail "no goodbye heard: $(cat "$BW_TMP/b.err")"
bw_hub_start
wait $pid || bw_fail "not sent when the hub came back: $(tail -n 1 "$BW_TMP/b.out")"
bw_expect "stored at the hub" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device = 'k1'")" 7

# 3. no presence of the hub at all (its retained message cleared; k2 never connected, so
# no goodbye waits in a session of its own): the device sends and retries as usual
bw_hub_stop
bw_mqtt_pub hub -q 1 -r -n -t bawaba/v1/pub/hub || bw_fail "clear the hub's presence"
bw_dev k2 -n 1 -w 3 > "$BW_TMP/c.out" 2> "$BW_TMP/c.err" && bw_fail "drained without a hub"
grep -q "the hub is" "$BW_TMP/c.err" && bw_fail "a presence was heard: $(cat "$BW_TMP/c.err")"
grep -q "sending again" "$BW_TMP/c.err" || bw_fail "no retry while the hub is unknown: $(cat "$BW_TMP/c.err")"
bw_hub_start
bw_dev k2 -w 20 > /dev/null || bw_fail "not drained after the hub came back"
bw_expect "k2's request at the hub" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device = 'k2'")" 1
# 4. the program's part of a notification (the gateway's SMS) commits with the device's
# record of it. A crash inside the callback, before the commit: nothing is recorded, and
# the hub's replay brings the notification to the next run.
refa=$(bw_hubsql "SELECT ref FROM requests WHERE device = 'k1' ORDER BY ref LIMIT 1")
refb=$(bw_hubsql "SELECT ref FROM requests WHERE device = 'k1' ORDER BY ref LIMIT 1 OFFSET 1")
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$refa" "Réponse A" >/dev/null || bw_fail "answer A"
bw_dev k1 -X exit -N 1 -w 10 > "$BW_TMP/x.out" 2>&1; st=$?
bw_expect "the device died inside the callback" "$st $(grep -c "^notify-crash $refa" "$BW_TMP/x.out")" "3 1"
bw_expect "nothing recorded" "$(bw_devsql k1 "SELECT state FROM requests WHERE ref = '$refa'")" 0
bw_dev k1 -N 1 -w 15 > "$BW_TMP/y.out" 2>&1 || bw_fail "the notification did not come again after the crash: $(cat "$BW_TMP/y.out")"
grep -q "^notify $refa answered Réponse A$" "$BW_TMP/y.out" || bw_fail "replayed notification: $(cat "$BW_TMP/y.out")"
bw_expect "recorded once" "$(bw_devsql k1 "SELECT state || ' ' || (SELECT count(*) FROM events e JOIN requests r ON r.uid = e.request_uid WHERE r.ref = '$refa') FROM requests WHERE ref = '$refa'")" "5 2"

# 5. the callback refuses (the gateway's queue failed): rolled back, delivered again
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$refb" "Réponse B" >/dev/null || bw_fail "answer B"
bw_dev k1 -X fail -N 1 -w 15 > "$BW_TMP/z.out" 2>&1 || bw_fail "not delivered again after a refusal: $(cat "$BW_TMP/z.out")"
grep -q "^notify-refused $refb" "$BW_TMP/z.out" || bw_fail "no refusal: $(cat "$BW_TMP/z.out")"
grep -q "^notify $refb answered Réponse B$" "$BW_TMP/z.out" || bw_fail "no second delivery: $(cat "$BW_TMP/z.out")"
bw_expect "recorded once" "$(bw_devsql k1 "SELECT state || ' ' || (SELECT count(*) FROM events e JOIN requests r ON r.uid = e.request_uid WHERE r.ref = '$refb') FROM requests WHERE ref = '$refb'")" "5 2"
bw_expect "cursor at the hub's last notification" "$(bw_devsql k1 "SELECT value FROM sync_state WHERE key = 'sync.notify_cursor'")" \
  "$(bw_hubsql "SELECT max(event_id) FROM notify_log WHERE device = 'k1'")"

bw_hub_stop
echo "PASS"
