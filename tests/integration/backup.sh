#!/bin/sh
# backup.sh: `bawaba backup FILE` while the hub commits a stream of requests from a real
# device over the real broker: the copy is a whole, checked database as of one commit,
# mode 0600, never overwriting a file; then the restore steps of bawaba(1) (stop the hub,
# copy the backup in, remove -wal/-shm, start the hub): the hub serves the restored
# database and takes new requests.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
BW=$BW_BUILD/bin/bawaba
bw_sync_setup k1:kiosk
bw_hub_start
DEV=
bw_on_exit() { [ -z "$DEV" ] || kill "$DEV" 2>/dev/null || true; bw_sync__exit; }

# a stream of requests, paced, while the backup runs
bw_dev k1 -n 400 -r 200 -w 60 > "$BW_TMP/k1.out" 2>&1 &
DEV=$!
i=0
while [ "$(bw_hubsql "SELECT count(*) FROM requests")" -lt 20 ]; do
  i=$((i + 1)); [ $i -gt 500 ] && bw_fail "no requests stored"
  sleep 0.02
done
"$BW" -d "$BW_HUB_DB" backup "$BW_TMP/b1.db" > "$BW_TMP/b1.out" || bw_fail "backup failed"
grep -q "integrity ok" "$BW_TMP/b1.out" || bw_fail "backup said: $(cat "$BW_TMP/b1.out")"
wait "$DEV" || bw_fail "k1 did not get every ack: $(tail -n 1 "$BW_TMP/k1.out")"
DEV=
total=$(bw_hubsql "SELECT count(*) FROM requests")
[ "$total" = 400 ] || bw_fail "hub has $total requests, want 400"

# the copy: one file, checked, private, taken in the middle of the stream
[ "$(stat -c %a "$BW_TMP/b1.db")" = 600 ] || bw_fail "backup is not mode 0600"
[ ! -e "$BW_TMP/b1.db-wal" ] && [ ! -e "$BW_TMP/b1.db.part" ] || bw_fail "backup left a side file"
[ "$(sqlite3 "$BW_TMP/b1.db" "PRAGMA integrity_check")" = ok ] || bw_fail "backup fails the integrity check"
[ "$(sqlite3 "$BW_TMP/b1.db" "PRAGMA journal_mode")" = delete ] || bw_fail "backup is not self-contained"
n1=$(sqlite3 "$BW_TMP/b1.db" "SELECT count(*) FROM requests")
[ "$n1" -ge 20 ] && [ "$n1" -le 400 ] || bw_fail "backup has $n1 requests"
# as of one commit: every request in it has its first event (committed in the same transaction)
ev=$(sqlite3 "$BW_TMP/b1.db" "SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.request_uid = r.uid)")
[ "$ev" = 0 ] || bw_fail "backup has $ev requests without their first event"
echo "ok: backup of $n1 of $total requests while the hub committed"

# never over a file, never from a missing database; nothing left behind
if "$BW" -d "$BW_HUB_DB" backup "$BW_TMP/b1.db" 2>"$BW_TMP/err"; then bw_fail "backup over an existing file"; fi
grep -q "exists" "$BW_TMP/err" || bw_fail "overwrite message: $(cat "$BW_TMP/err")"
[ "$(sqlite3 "$BW_TMP/b1.db" "SELECT count(*) FROM requests")" = "$n1" ] || bw_fail "the existing backup changed"
if "$BW" -d "$BW_TMP/nothing.db" backup "$BW_TMP/b2.db" 2>/dev/null; then bw_fail "backup of a missing database"; fi
[ ! -e "$BW_TMP/b2.db" ] && [ ! -e "$BW_TMP/nothing.db" ] || bw_fail "a failed backup left a file"

# restore, as bawaba(1) says
bw_hub_stop
mv "$BW_HUB_DB" "$BW_TMP/damaged.db" || bw_fail "mv"
cp "$BW_TMP/b1.db" "$BW_HUB_DB" || bw_fail "cp"
rm -f "$BW_HUB_DB-wal" "$BW_HUB_DB-shm"
bw_hub_start
[ "$(bw_hubsql "SELECT count(*) FROM requests")" = "$n1" ] || bw_fail "restored hub does not have the backup's requests"
"$BW" -d "$BW_HUB_DB" list > "$BW_TMP/list" || bw_fail "bawaba list on the restored database"
[ "$(grep -c '^[0-9]' "$BW_TMP/list")" -ge 1 ] || bw_fail "list shows nothing: $(head -n 3 "$BW_TMP/list")"
bw_dev k1 -n 1 -w 20 > /dev/null || bw_fail "a new request after the restore"
[ "$(bw_hubsql "SELECT count(*) FROM requests")" = "$((n1 + 1))" ] || bw_fail "the new request was not stored"
echo "backup: all checks passed"
