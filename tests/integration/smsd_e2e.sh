#!/bin/sh
# smsd_e2e.sh: the SMS gateway end to end: a real broker, the hub, bawaba-smsd on Gammu's
# dummy phone. Citizens file each kind in Arabic, French and Darija (information requests
# through the name and ID questions); the replies' text, parts and encoding; the requests
# at the hub; status by reference from the author and from another number; an answer at
# the hub (bawaba answer) reaches the citizen by SMS; after STOP nothing more is sent.
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
. "$BW_TOP/tests/lib/smsd.sh"
bw_need sqlite3

SMSD_PID=
bw_on_exit() {
  [ -n "$SMSD_PID" ] && kill -9 "$SMSD_PID" 2>/dev/null
  if [ "${bw_rc:-0}" -ne 0 ] && [ -f "$BW_TMP/smsd.log" ]; then
    echo "---- last lines of the gateway's log ----" >&2; tail -n 30 "$BW_TMP/smsd.log" >&2
  fi
  bw_sync__exit
}

bw_sync_setup g1:gateway
bw_smsd_device g1
bw_smsd_conf "sync = $BW_TMP/g1.conf" 'poll_ms = 50' \
  '[notify]' 'quiet_start = 00:00     ; no quiet hours: the test may run at night' 'quiet_end = 00:00' \
  '[abuse]' 'rate_max = 100'
"$SMSD" --help | grep -q "usage: bawaba-smsd" || bw_fail "--help"
"$SMSD" -c "$BW_TMP/smsd.conf" -n | grep -qx "configuration OK" || bw_fail "-n"
printf '[modem x]\ndevice = /tmp\nrate_per_minute = 99999\n' > "$BW_TMP/bad.conf"
"$SMSD" -c "$BW_TMP/bad.conf" -n 2>"$BW_TMP/bad.err" && bw_fail "-n accepted a bad rate"
grep -q "bad.conf:3" "$BW_TMP/bad.err" || bw_fail "bad config message: $(cat "$BW_TMP/bad.err")"

bw_hub_start
# under an empty environment, as systemd starts it: replies must still come out in
# Arabic and French, never as message keys (issue 9)
$BW_EMPTY_ENV "$SMSD" -c "$BW_TMP/smsd.conf" > "$BW_TMP/smsd.log" 2>&1 &
SMSD_PID=$!
i=0
until [ -f "$PHONE/.bawaba-smsd" ]; do    # the gateway marks the phone with its database
  i=$((i + 1)); [ $i -gt 200 ] && bw_fail "bawaba-smsd did not start"; sleep 0.05
done

send() { bw_sms_send "$@"; }
nsent() { "$PHONE_BIN" "$PHONE" sent "$1" | wc -l; }
# wait_sent NUMBER N: until N SMS went to NUMBER (10 s)
wait_sent() {
  i=0
  while [ "$(nsent "$1")" -lt "$2" ]; do
    kill -0 "$SMSD_PID" 2>/dev/null || bw_fail "bawaba-smsd died"
    i=$((i + 1)); [ $i -gt 200 ] && bw_fail "$1: $2 SMS expected, got: $("$PHONE_BIN" "$PHONE" sent "$1")"
    sleep 0.05
  done
}
last() { "$PHONE_BIN" "$PHONE" sent "$1" | tail -n 1; }
field() { echo "$1" | cut -f "$2"; }
ref_of() { echo "$1" | grep -o '[0-9]\{4\} [0-9]\{4\} [0-9]\{4\}' | head -n 1 | tr -d ' '; }

# file NUMBER PARTS CODING WORDS TEXT [follow-ups...]: files, checks the last reply; sets REF
file() {
  num=$1 parts=$2 coding=$3 words=$4 text=$5; shift 5
  n=$(nsent "$num")
  send "$num" "$text"
  n=$((n + 1)); wait_sent "$num" $n
  for follow in "$@"; do send "$num" "$follow"; n=$((n + 1)); wait_sent "$num" $n; done
  r=$(last "$num")
  bw_expect "$num reply parts" "$(field "$r" 2)" "$parts"
  bw_expect "$num reply coding" "$(field "$r" 3)" "$coding"
  case "$(field "$r" 5)" in *"$words"*) ;; *) bw_fail "$num reply: '$(field "$r" 5)' lacks '$words'";; esac
  REF=$(ref_of "$(field "$r" 5)")
  [ ${#REF} -eq 12 ] || bw_fail "$num: no reference in '$(field "$r" 5)'"
  echo "$num $REF" >> "$BW_TMP/refs"
}
: > "$BW_TMP/refs"

# Arabic: each kind; the information request asks for the name and the ID number
file +212610000001 2 ucs2 "سجلنا شكاية" "شكاية الصحة المستشفى لا يستقبل المرضى ليلا"
file +212610000002 2 ucs2 "سجلنا ملاحظة" "ملاحظة النقل الحافلات مكتظة في الصباح"
file +212610000003 2 ucs2 "سجلنا اقتراح" "اقتراح الداخلية فتح الملحقة الإدارية يوم السبت"
file +212610000004 2 ucs2 "سجلنا طلب الحصول على المعلومات" "معلومة المالية ميزانية الجماعة لسنة 2024" \
  "سارة العمراني" "AB123456"
bw_expect "Arabic info asked the name" \
  "$("$PHONE_BIN" "$PHONE" sent +212610000004 | sed -n 1p | cut -f 5 | grep -c 'اسمكم الكامل')" 1
# French
file +212610000005 1 gsm "Votre réclamation est enregistrée" "plainte transport le bus 12 ne passe plus"
file +212610000006 1 gsm "Votre observation est enregistrée" "observation sante les urgences sont propres"
file +212610000007 1 gsm "Votre suggestion est enregistrée" "suggestion justice ouvrir le tribunal le samedi"
file +212610000008 2 gsm "Votre demande d'information est enregistrée" "info finances budget de la commune" \
  "Karim Bennani" "BE 987654"
# Darija in Latin letters: answered in French (darija_lang = fr)
file +212610000009 1 gsm "Votre réclamation" "chikaya sante tbib ma kaynch f sbitar"
file +212610000010 1 gsm "Votre observation" "moula7ada transport tobis dima m3ammar"
file +212610000011 1 gsm "Votre suggestion" "i9tira7 interieur zido lmoqata3a f nhar sebt"
file +212610000012 2 gsm "Votre demande d'information" "ma3louma MEF chhal mizaniya dyal jama3a" \
  "Youssef Alaoui" "K12345"

# the requests at the hub, as filed
i=0
while [ "$(bw_hubsql "SELECT count(*) FROM requests WHERE device = 'g1'")" -lt 12 ]; do
  i=$((i + 1)); [ $i -gt 200 ] && bw_fail "the hub has $(bw_hubsql "SELECT count(*) FROM requests") requests, not 12"
  sleep 0.05
done
ref_for() { awk -v n="$1" '$1 == n { print $2 }' "$BW_TMP/refs"; }
hub() { bw_hubsql "SELECT $2 FROM requests WHERE ref = '$(ref_for "$1")'"; }
bw_expect "ar complaint at the hub" "$(hub +212610000001 "kind, admin, lang, channel, phone, text")" \
  "0|SANTE|ar|1|+212610000001|المستشفى لا يستقبل المرضى ليلا"
bw_expect "ar info at the hub" "$(hub +212610000004 "kind, admin, name, id_number, form")" "3|MEF|سارة العمراني|AB123456|4"
bw_expect "fr observation at the hub" "$(hub +212610000006 "kind, admin, lang, text")" "1|SANTE|fr|les urgences sont propres"
bw_expect "fr info at the hub" "$(hub +212610000008 "kind, admin, id_number")" "3|MEF|BE987654"
bw_expect "darija suggestion at the hub" "$(hub +212610000011 "kind, admin, lang")" "2|INTERIEUR|fr"
bw_expect "darija complaint at the hub" "$(hub +212610000009 "kind, admin")" "0|SANTE"
bw_expect "every kind, 3 languages" "$(bw_hubsql "SELECT group_concat(n) FROM (SELECT count(*) n FROM requests WHERE device='g1' GROUP BY kind ORDER BY kind)")" "3,3,3,3"
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" show "$(ref_for +212610000005)" | grep -q "le bus 12 ne passe plus" ||
  bw_fail "bawaba show"

# status: to the author only
R5=$(ref_for +212610000005)
send +212610000005 "suivi $R5"; wait_sent +212610000005 2
case "$(field "$(last +212610000005)" 5)" in *"enregistrée. Date limite"*) ;; *) bw_fail "status: $(last +212610000005)";; esac
send +212610000006 "suivi $R5"; wait_sent +212610000006 2
case "$(field "$(last +212610000006)" 5)" in "Aucune demande avec ce numéro pour votre téléphone"*) ;;
  *) bw_fail "status to another number: $(last +212610000006)";; esac
send +212610000001 "حالة $(ref_for +212610000001)"; wait_sent +212610000001 2
case "$(field "$(last +212610000001)" 5)" in *"مسجل"*) ;; *) bw_fail "Arabic status: $(last +212610000001)";; esac

# an answer at the hub reaches the citizen; the status then carries it
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$R5" "Le bus 12 repasse depuis lundi." > /dev/null || bw_fail "bawaba answer"
wait_sent +212610000005 3
case "$(field "$(last +212610000005)" 5)" in *"a une réponse"*"SUIVI $(echo "$R5" | sed 's/\(....\)\(....\)\(....\)/\1 \2 \3/')"*) ;;
  *) bw_fail "notification: $(last +212610000005)";; esac
# (another wording: the same text within the same second is the same SMS to the dedupe key)
send +212610000005 "statut $R5"; wait_sent +212610000005 4
case "$(field "$(last +212610000005)" 5)" in *"Le bus 12 repasse depuis lundi."*) ;; *) bw_fail "answer by status: $(last +212610000005)";; esac
R2=$(ref_for +212610000002)
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" progress "$R2" > /dev/null || bw_fail "bawaba progress"
wait_sent +212610000002 2
case "$(field "$(last +212610000002)" 5)" in *"قيد المعالجة"*) ;; *) bw_fail "ar notification: $(last +212610000002)";; esac

# STOP: confirmed once, then no notification
R1=$(ref_for +212610000001)
send +212610000001 "STOP"; wait_sent +212610000001 3
case "$(field "$(last +212610000001)" 5)" in *START*) ;; *) bw_fail "stop: $(last +212610000001)";; esac
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$R1" "تم تعزيز المداومة الليلية" > /dev/null || bw_fail "bawaba answer R1"
i=0
while [ "$(sqlite3 -cmd ".timeout 5000" "$BW_TMP/smsd.db" "SELECT state FROM requests WHERE ref = '$R1'")" != 5 ]; do
  i=$((i + 1)); [ $i -gt 200 ] && bw_fail "the answer to $R1 did not reach the gateway"
  sleep 0.05
done
sleep 0.3
bw_expect "no SMS after STOP" "$(nsent +212610000001)" 3
# a notification in the queue for the number however it got there (an older gateway
# queued it before the STOP): the opt-out is checked again when it is due
gwsql() { bw_smsdsql "$1"; }
gwsql "INSERT INTO sms_outbox (dest, text, lang, purpose, event_uid, created_at)
       VALUES ('+212610000001', 'Votre demande a changé', 'fr', 'notify', 'e2e-after-stop', 0)"
i=0
while [ "$(gwsql "SELECT state FROM sms_outbox WHERE event_uid = 'e2e-after-stop'")" = queued ]; do
  i=$((i + 1)); [ $i -gt 200 ] && bw_fail "the notification after STOP stayed queued"
  sleep 0.05
done
bw_expect "notification after STOP dropped at send time" \
  "$(gwsql "SELECT state FROM sms_outbox WHERE event_uid = 'e2e-after-stop'")" dropped
bw_expect "still no SMS after STOP" "$(nsent +212610000001)" 3

# the heartbeat carries the modem's signal and the send queue to the hub
i=0
while [ -z "$(bw_hubsql "SELECT send_queue FROM devices WHERE id = 'g1' AND signal IS NOT NULL")" ]; do
  i=$((i + 1)); [ $i -gt 100 ] && bw_fail "no gateway figures at the hub"; sleep 0.05
done
bw_expect "modem signal at the hub (the dummy phone's 42 %)" "$(bw_hubsql "SELECT signal FROM devices WHERE id = 'g1'")" 42
bw_expect "send queue at the hub is a count" "$(bw_hubsql "SELECT typeof(send_queue) FROM devices WHERE id = 'g1'")" integer

bw_expect "inbox all processed" "$(sqlite3 "$BW_TMP/smsd.db" "SELECT count(*) FROM sms_inbox WHERE state = 'new'")" 0
bw_expect "phone inbox emptied" "$(find "$PHONE/sms/1" -type f -name '[0-9]*' | wc -l)" 0
kill "$SMSD_PID"; wait "$SMSD_PID"; st=$?; SMSD_PID=
bw_expect "clean exit on SIGTERM" "$st" 0
! grep -q "Sanitizer\|runtime error" "$BW_TMP/smsd.log" || bw_fail "sanitizer report"
# a stolen gateway (issue 11): once processed and acknowledged by the hub, no citizen's
# text, name or ID number is left in the gateway's files, byte for byte (inbox texts
# emptied when processed, requests forgotten on the hub's ack, conversations deleted,
# secure_delete zeroing what was removed)
for s in "le bus 12 ne passe plus" "les urgences sont propres" "tbib ma kaynch f sbitar" \
         "المستشفى لا يستقبل المرضى ليلا" "ميزانية الجماعة لسنة" "Karim Bennani" "BE987654" \
         "BE 987654" "سارة العمراني" "Youssef Alaoui"; do   # (AB123456 is the prompt's example)
  for f in "$BW_TMP/smsd.db" "$BW_TMP/smsd.db-wal"; do
    [ -f "$f" ] && LC_ALL=C grep -a -q -F -- "$s" "$f" && bw_fail "'$s' is still in $f"
  done
done
echo "ok: no citizen's text, name or ID number in the gateway's database files"
# no reply was a message key ("sms.filed") instead of its text
! "$PHONE_BIN" "$PHONE" sent | cut -f 5 | grep -q '^sms\.' || bw_fail "a reply went out as a message key"
echo PASS
