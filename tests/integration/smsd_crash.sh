#!/bin/sh
# smsd_crash.sh: bawaba-smsd killed (BAWABA_SMSD_CRASH_AT, an _exit(137) at a named point,
# and plain kill -9 at random moments) between reading and deleting a message, between
# storing and filing, after filing (its reply and filing are one commit), before the
# batch's commit, before sending; restarted:
# nothing lost, nothing filed twice, exactly one reply per message. Gateway without hub
# (requests in its own database), on Gammu's dummy phone.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/smsd.sh"
bw_need sqlite3
bw_smsd_conf 'device_num = 77' 'poll_ms = 20' '[abuse]' 'rate_max = 1000'
DB=$SMSD_DB
sql() { bw_smsdsql "$1"; }
files() { find "$PHONE/sms/1" -type f -name '[0-9]*' | wc -l; }
send() { bw_sms_send "$@"; }
# run HOOK: the gateway until it drains, with the crash hook set (or none)
run() {
  if [ -n "$1" ]; then
    BAWABA_SMSD_CRASH_AT=$1 timeout 20 "$SMSD" -c "$BW_TMP/smsd.conf" --drain >> "$BW_TMP/smsd.log" 2>&1
  else
    timeout 20 "$SMSD" -c "$BW_TMP/smsd.conf" --drain >> "$BW_TMP/smsd.log" 2>&1
  fi
}
reqs() { sql "SELECT count(*) FROM requests WHERE phone = '$1'"; }
replies() { sql "SELECT count(*) FROM sms_outbox o JOIN sms_inbox i ON i.id = o.inbox_id WHERE i.sender = '$1'"; }
sent() { sql "SELECT count(*) FROM sms_outbox WHERE dest = '$1' AND state = 'sent'"; }

# 1. read, not stored: the message stays on the phone
send +212620000001 "plainte sante on attend six heures aux urgences"
run before-commit; bw_expect "hook before-commit exits 137" $? 137
bw_expect "nothing stored" "$(sql "SELECT count(*) FROM sms_inbox")" 0
bw_expect "still on the phone" "$(files)" 1
run ""; bw_expect "restart" $? 0
bw_expect "1: one request" "$(reqs +212620000001)" 1
bw_expect "1: one reply, sent" "$(replies +212620000001) $(sent +212620000001)" "1 1"

# 2. stored, not deleted from the phone (a multipart message): read again, recognised
send +212620000002 "شكاية النقل الحافلة رقم 7 لا تتوقف في محطة الحي الجامعي منذ شهرين رغم أن الطلبة ينتظرونها كل صباح ونرجو التدخل"
bw_expect "a multipart message" "$(files)" 2
run after-commit; bw_expect "hook after-commit exits 137" $? 137
bw_expect "stored once, not processed" "$(sql "SELECT count(*) || state FROM sms_inbox WHERE sender = '+212620000002'")" "1new"
bw_expect "still on the phone" "$(files)" 2
run ""; bw_expect "restart" $? 0
bw_expect "2: stored once" "$(sql "SELECT count(*) FROM sms_inbox WHERE sender = '+212620000002'")" 1
bw_expect "2: phone emptied" "$(files)" 0
bw_expect "2: one request" "$(reqs +212620000002)" 1
bw_expect "2: one reply, sent" "$(replies +212620000002) $(sent +212620000002)" "1 1"
bw_expect "2: the whole text" "$(sql "SELECT text FROM requests WHERE phone = '+212620000002'")" \
  "الحافلة رقم 7 لا تتوقف في محطة الحي الجامعي منذ شهرين رغم أن الطلبة ينتظرونها كل صباح ونرجو التدخل"

# 3. filed, reply not queued: the filing and its reply are one commit (the batch's), so
# a crash after the filing leaves neither; the retry files once and replies with its
# reference. Then a crash just before the batch's commit with two messages in it.
send +212620000003 "suggestion transport plus de bus le soir"
run after-file; bw_expect "hook after-file exits 137" $? 137
bw_expect "3: not filed (rolled back with its reply)" "$(reqs +212620000003) $(replies +212620000003)" "0 0"
bw_expect "3: the message still new" "$(sql "SELECT state FROM sms_inbox WHERE sender = '+212620000003'")" new
run ""; bw_expect "restart" $? 0
bw_expect "3: one request" "$(reqs +212620000003)" 1
bw_expect "3: one reply, sent" "$(replies +212620000003) $(sent +212620000003)" "1 1"
ref=$(sql "SELECT ref FROM requests WHERE phone = '+212620000003'")
grouped=$(echo "$ref" | sed 's/\(....\)\(....\)\(....\)/\1 \2 \3/')
"$PHONE_BIN" "$PHONE" sent +212620000003 | grep -q "$grouped" || bw_fail "3: reply without $grouped"
send +212620000005 "plainte sante pas de medecin de garde la nuit"
send +212620000006 "observation transport le train arrive toujours en retard"
run before-batch-commit; bw_expect "hook before-batch-commit exits 137" $? 137
bw_expect "3b: nothing filed, nothing queued" \
  "$(sql "SELECT count(*) FROM requests WHERE phone IN ('+212620000005', '+212620000006')") $(replies +212620000005) $(replies +212620000006)" "0 0 0"
run ""; bw_expect "restart" $? 0
bw_expect "3b: one request each" "$(reqs +212620000005) $(reqs +212620000006)" "1 1"
bw_expect "3b: one reply each, sent" "$(replies +212620000005) $(sent +212620000005) $(replies +212620000006) $(sent +212620000006)" "1 1 1 1"
bw_expect "3b: references without a gap" \
  "$(sql "SELECT count(DISTINCT ref) FROM requests") $(sql "SELECT max(CAST(substr(ref, 5, 7) AS INTEGER)) - min(CAST(substr(ref, 5, 7) AS INTEGER)) + 1 FROM requests")" \
  "$(sql "SELECT count(*) FROM requests") $(sql "SELECT count(*) FROM requests")"

# 4. reply queued, not sent: sent once after the restart
send +212620000004 "observation justice le greffe est bien organise"
run before-send; bw_expect "hook before-send exits 137" $? 137
bw_expect "4: queued" "$(sql "SELECT o.state FROM sms_outbox o JOIN sms_inbox i ON i.id = o.inbox_id WHERE i.sender = '+212620000004'")" queued
run ""; bw_expect "restart" $? 0
bw_expect "4: one reply, sent" "$(replies +212620000004) $(sent +212620000004)" "1 1"
bw_expect "4: its parts recorded once" "$(sql "SELECT count(*) FROM sms_sent_parts WHERE dest = '+212620000004'")" 1

# 5. kill -9 at random moments while 60 messages go through
: > "$BW_TMP/load"
for i in $(seq 10 69); do
  printf '+2126300000%02d\tplainte sante message numero %d de la file\n' "$i" "$i" >> "$BW_TMP/load"
done
"$PHONE_BIN" "$PHONE" load "$BW_TMP/load" > /dev/null || bw_fail "load"
for k in 1 2 3 4 5; do
  "$SMSD" -c "$BW_TMP/smsd.conf" >> "$BW_TMP/smsd.log" 2>&1 &
  pid=$!
  sleep "0.0$(awk -v s="$k" 'BEGIN { srand(s); printf "%d", 1 + rand() * 8 }')"
  kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
done
echo "before the final run: $(sql "SELECT count(*) FROM sms_inbox WHERE sender LIKE '+2126300000%'") stored, $(sql "SELECT count(*) FROM sms_outbox WHERE dest LIKE '+2126300000%' AND state = 'sent'") sent"
run ""; bw_expect "final run" $? 0
bw_expect "5: every message stored once" "$(sql "SELECT count(*) FROM sms_inbox WHERE sender LIKE '+2126300000%'")" 60
bw_expect "5: every one filed once" "$(sql "SELECT count(*), count(DISTINCT phone) FROM requests WHERE phone LIKE '+2126300000%'")" "60|60"
bw_expect "5: one reply each, sent" "$(sql "SELECT count(*), count(DISTINCT dest) FROM sms_outbox WHERE dest LIKE '+2126300000%' AND state = 'sent'")" "60|60"
bw_expect "5: phone emptied" "$(files)" 0
! grep -q "Sanitizer\|runtime error" "$BW_TMP/smsd.log" || bw_fail "sanitizer report"
echo PASS
