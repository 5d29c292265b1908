#!/bin/sh
# sync_device.sh: the device side of sync when things go wrong locally: the commit that
# marks rows acknowledged fails (the rows are sent again in the same run, not forgotten
# until a restart).
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"

bw_sync_setup k1:kiosk

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

bw_hub_stop
echo "PASS"
