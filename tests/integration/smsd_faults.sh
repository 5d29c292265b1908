#!/bin/sh
# smsd_faults.sh: a modem that stops answering and a SIM whose sends the network refuses
# (BAWABA_SMSD_FAULT, a test hook: the dummy driver never fails): the modem is reset and
# reconnected after three failures in a row, the reply stays queued, is retried with a
# doubling delay, and goes out exactly once. A two-part reply refused at its second part
# is completed by sending that part alone. Gateway without hub, on Gammu's dummy phone.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/smsd.sh"
bw_need sqlite3
bw_smsd_conf 'device_num = 78' 'poll_ms = 20' 'retry_base = 1'
DB=$SMSD_DB
sql() { bw_smsdsql "$1"; }

bw_sms_send +212620000009 "plainte transport le guichet ferme a 11h"
# the reply's first send: the modem stops answering (that send and two reads time out:
# reset, the reply still queued); then the network refuses three sends; retries after 1,
# 2, 4 and 8 s; the fifth attempt goes out
start=$(date +%s)
BAWABA_SMSD_FAULT=hangs:3,sends:3 timeout 40 "$SMSD" -c "$BW_TMP/smsd.conf" -v > "$BW_TMP/smsd.log" 2>&1 &
pid=$!
i=0
while [ "$(sql "SELECT count(*) FROM sms_outbox WHERE state = 'sent'" 2>/dev/null)" != 1 ] && [ $i -lt 300 ]; do
  sleep 0.1; i=$((i+1))
done
took=$(( $(date +%s) - start ))
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -E "refused|connected|down" "$BW_TMP/smsd.log" | sed 's/^/   log: /'
bw_expect "the reply went out once" "$(sql "SELECT count(*) FROM sms_outbox WHERE state = 'sent'")" 1
bw_expect "sent at the fifth attempt" "$(sql "SELECT attempts FROM sms_outbox")" 5
bw_expect "its part sent once" "$(sql "SELECT count(*) FROM sms_sent_parts")" 1
bw_expect "three refusals logged" "$(grep -c "refused by the network (injected fault" "$BW_TMP/smsd.log")" 3
bw_expect "three time-outs logged" "$(grep -c "(injected fault): No response" "$BW_TMP/smsd.log")" 3
[ "$(grep -c "sim1: connected" "$BW_TMP/smsd.log")" -ge 2 ] || bw_fail "no reset after three failures in a row"
bw_expect "the message was still filed once" "$(sql "SELECT count(*) FROM requests")" 1
[ "$took" -ge 10 ] || bw_fail "retries did not back off (${took}s for 4 retries at 1+2+4+8 s)"
echo "ok: backoff took ${took}s"

# a two-part reply (Arabic, UCS-2) whose second part the network refuses: the retry
# sends part 2 only (the citizen does not get part 1 twice), from the same SIM
rm -f "$DB" "$DB-wal" "$DB-shm"
bw_sms_send +212620000010 "شكاية الصحة المستشفى لا يستقبل المرضى ليلا"
BAWABA_SMSD_FAULT=sends-part:2 timeout 40 "$SMSD" -c "$BW_TMP/smsd.conf" -v --stats > "$BW_TMP/smsd2.out" 2> "$BW_TMP/smsd2.log" &
pid=$!
i=0
while [ "$(sql "SELECT count(*) FROM sms_outbox WHERE state = 'sent'" 2>/dev/null)" != 1 ] && [ $i -lt 100 ]; do
  sleep 0.1; i=$((i+1))
done
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -E "refused|parts" "$BW_TMP/smsd2.log" | sed 's/^/   log: /'
bw_expect "the reply went out" "$(sql "SELECT state, parts, attempts FROM sms_outbox")" "sent|2|2"
bw_expect "part 2 refused once" "$(grep -c "injected fault, part 2 of 2" "$BW_TMP/smsd2.log")" 1
bw_expect "each part recorded once" "$(sql "SELECT group_concat(part) FROM (SELECT part FROM sms_sent_parts ORDER BY part)")" "1,2"
bw_expect "parts handed to the modem" "$(sed -n 's/.*parts sent \([0-9]*\).*/\1/p' "$BW_TMP/smsd2.out")" 2
echo "smsd faults: all good"
