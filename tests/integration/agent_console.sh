#!/bin/sh
# agent_console.sh: bawaba-agent under Xvfb against a real site (broker, hub, a kiosk-like
# device via bawaba-devsim, the SMS gateway on Gammu's dummy phone): a request filed by
# SMS and one by the kiosk appear in the console without any action; the agent answers
# both with real input events (clicks, keys, typed text); the hub records the agent as the
# actor; the citizen's SMS goes out and the kiosk gets the notification; Ctrl+L switches
# to Arabic; an agent of another site sees none of it and cannot act, through the console
# or by publishing on the broker; a wrong password is said on screen. Screenshots in
# French, Tamazight and Arabic go to $BW_TMP/shots (BW_UPDATE_REFS=1 copies them to tests/ref/agent).
set -u
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
. "$BW_TOP/tests/lib/xvfb.sh"
. "$BW_TOP/tests/lib/smsd.sh"
bw_need Xvfb xdotool sqlite3 mosquitto_rr

BW=$BW_BUILD/bin/bawaba
AGENT=$BW_BUILD/bin/bawaba-agent
[ -x "$AGENT" ] && [ -x "$BW" ] || bw_fail "bawaba-agent / bawaba are not built"
XVFB_PID= SMSD_PID= AGENT_PIDS=
bw_on_exit() {
  for p in $AGENT_PIDS $SMSD_PID; do kill "$p" 2>/dev/null; done
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
  if [ "${bw_rc:-0}" -ne 0 ]; then
    for f in "$BW_TMP"/*.log; do [ -f "$f" ] && { echo "---- $f ----" >&2; tail -n 15 "$f" >&2; }; done
    [ -f "$BW_TMP/amina.state" ] && { echo "---- amina's state ----" >&2; head -n 40 "$BW_TMP/amina.state" >&2; }
  fi
  bw_sync__exit
}

BW_SITE=RABAT-IMMAT
bw_sync_setup k1:kiosk g1:gateway
bw_agent_add agent-amina --site RABAT-IMMAT --name Amina
bw_agent_add agent-karim --site ELJADIDA-HOP --name Karim
"$AGENT" -c "$BW_BROKER_DIR/devices/agent-amina.conf" --locale-dir "$BW_BUILD/locale" -n | grep -qx "configuration OK" ||
  bw_fail "-n"
"$AGENT" --help | grep -q "usage: bawaba-agent" || bw_fail "--help"
bw_hub_start
bw_wait_file "$BW_HUB_LOG" "2 active agents" 5 || bw_fail "the hub did not load the agents"

# the SMS gateway on a dummy phone, when it is built
sms=
if [ -x "$SMSD" ] && [ -x "$PHONE_BIN" ]; then
  sms=yes
  bw_smsd_device g1
  bw_smsd_conf "sync = $BW_TMP/g1.conf" 'poll_ms = 50' '[notify]' 'quiet_start = 00:00' 'quiet_end = 00:00'
  "$SMSD" -c "$BW_TMP/smsd.conf" > "$BW_TMP/smsd.log" 2>&1 &
  SMSD_PID=$!
fi

start_xvfb "$BW_TMP/xvfb.log" || bw_fail "no display"
mkdir -p "$BW_TMP/shots"

# under ASan, SDL's D-Bus library leaves one buffer behind at exit: not ours
printf 'leak:libdbus-1.so\n' > "$BW_TMP/lsan.supp"
# console NAME SIZE LANG: starts NAME's console (state in $BW_TMP/NAME.state)
console() {
  mkdir -p "$BW_TMP/$1.shots"
  LSAN_OPTIONS="suppressions=$BW_TMP/lsan.supp:print_suppressions=0" "$AGENT" -c "$BW_TMP/agent-$1.conf" --locale-dir "$BW_BUILD/locale" --size "$2" --lang "$3" \
    --dump-state "$BW_TMP/$1.state" --id-file "$BW_TMP/$1.wid" --screenshot-dir "$BW_TMP/$1.shots" \
    > "$BW_TMP/$1.log" 2>&1 &
  AGENT_PIDS="$AGENT_PIDS $!"
  echo $! > "$BW_TMP/$1.pid"
}
for a in amina karim; do
  cp "$BW_BROKER_DIR/devices/agent-$a.conf" "$BW_TMP/agent-$a.conf"
  printf '[console]\nreconnect_max_ms = 1000\n' >> "$BW_TMP/agent-$a.conf"
done
# karim first: amina's window opens over it and gets the clicks
for a in karim:1366x768 amina:1920x1080; do
  console "${a%%:*}" "${a#*:}" fr
  bw_wait_file "$BW_TMP/${a%%:*}.state" "^loaded 1" 10 || bw_fail "${a%%:*}'s console did not load its queue: $(cat "$BW_TMP/${a%%:*}.log")"
done
WID=$(cat "$BW_TMP/amina.wid")
[ "$WID" -gt 0 ] || bw_fail "no window id"
xdotool windowraise "$WID"
bw_expect "amina's queue is empty at first" "$(sed -n 's/^rows //p' "$BW_TMP/amina.state")" 0

# spot NAME: the centre of a widget as the console last drew it ("X Y")
spot() { awk -v n="$1" '$1 == "spot" && $2 == n { print int($3 + $5 / 2), int($4 + $6 / 2); exit }' "$BW_TMP/amina.state"; }
click() {
  xy=$(spot "$1"); [ -n "$xy" ] || bw_fail "no spot $1 on screen: $(grep '^spot' "$BW_TMP/amina.state" | tr '\n' ' ')"
  xdotool windowraise "$WID"
  # shellcheck disable=SC2086
  xdotool mousemove --window "$WID" $xy click 1
}
rowspot() { awk -v r="$1" '$1 == "viewrow" && $3 == r { print "row" $2; exit }' "$BW_TMP/amina.state"; }
shot() { # WINDOW NAME: F12 in that window, the BMP renamed
  before=$(ls "$BW_TMP/$1.shots" | wc -l)
  xdotool windowfocus --sync "$(cat "$BW_TMP/$1.wid")" key F12
  i=0; while [ "$(ls "$BW_TMP/$1.shots" | wc -l)" -le "$before" ]; do
    i=$((i + 1)); [ $i -gt 100 ] && bw_fail "no screenshot from $1"; sleep 0.05; done
  sleep 0.1
  f=$(ls "$BW_TMP/$1.shots" | sort | tail -n 1)
  mv "$BW_TMP/$1.shots/$f" "$BW_TMP/shots/$2.bmp"
}

# 1. requests arrive without any action: one by SMS, one from the kiosk
if [ -n "$sms" ]; then
  "$PHONE_BIN" "$PHONE" send +212610000005 "plainte transport le bus 12 ne passe plus" >/dev/null || bw_fail "phone send"
  i=0; until "$PHONE_BIN" "$PHONE" sent +212610000005 | grep -q .; do
    i=$((i + 1)); [ $i -gt 200 ] && bw_fail "the gateway did not answer the citizen"; sleep 0.05; done
  ref_s=$("$PHONE_BIN" "$PHONE" sent +212610000005 | head -n 1 | grep -o '[0-9]\{4\} [0-9]\{4\} [0-9]\{4\}' | head -n 1 | tr -d ' ')
  [ ${#ref_s} -eq 12 ] || bw_fail "no reference in the SMS reply"
fi
bw_dev k1 -n 1 -p -a TRANSPORT -w 20 > "$BW_TMP/k1.out" || bw_fail "k1 submit: $(cat "$BW_TMP/k1.out")"
ref_k=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1.out")
bw_wait_file "$BW_TMP/amina.state" "^row $ref_k received complaint kiosk k1 TRANSPORT" 5 ||
  bw_fail "the kiosk's request did not appear in the console"
echo "ok: kiosk request $ref_k appeared by itself"
if [ -n "$sms" ]; then
  bw_wait_file "$BW_TMP/amina.state" "^row $ref_s received complaint sms g1 TRANSPORT" 10 ||
    bw_fail "the SMS request did not appear in the console"
  echo "ok: SMS request $ref_s appeared by itself"
fi
grep -q "^toast 0 $ref_k" "$BW_TMP/amina.state" || bw_fail "the new request was not announced"
grep -q "^device k1 online=" "$BW_TMP/amina.state" || bw_fail "the console does not list k1"
shot amina fr-1-queue

# open_row REF: a click on the request's row opens it (its details come from the hub)
open_row() {
  for attempt in 1 2 3; do
    click "$(rowspot "$1")"
    bw_wait_file "$BW_TMP/amina.state" "^selected $1 loaded=1" 2 && return 0
    echo "clicking again on $1 (attempt $attempt)"
  done
  bw_fail "details of $1 did not load"
}

# type_note TEXT: types into the dialog until its note shows TEXT (real key events
# through XTEST; a character outside Xvfb's keymap, like ê, never reaches SDL that way,
# so the typed answers are ASCII). A note that shows something else is typed again.
type_note() {
  for attempt in 1 2 3; do
    xdotool windowfocus --sync "$WID" 2>/dev/null
    xdotool type --delay 40 "$1"
    bw_wait_file "$BW_TMP/amina.state" "^note $1\$" 2 && return 0
    echo "retyping \"$1\" (attempt $attempt)"
    xdotool key --repeat 60 --delay 5 BackSpace
    sleep 0.3
  done
  bw_fail "typing \"$1\" never showed it in the dialog: $(grep '^note' "$BW_TMP/amina.state")"
}

# answer REF TEXT: open the row with a click, r, type, click the dialog's OK
answer() {
  open_row "$1"
  xdotool windowfocus --sync "$WID" key r
  bw_wait_file "$BW_TMP/amina.state" "^modal 2 " 5 || bw_fail "r did not open the answer dialog"
  type_note "$2"
  [ -n "${3:-}" ] && shot amina "$3"
  click modal.ok
  bw_wait_file "$BW_TMP/amina.state" "^result ok=1 op=move ref=$1 state=answered" 5 ||
    bw_fail "the answer to $1 was not confirmed: $(grep '^result\|^modal' "$BW_TMP/amina.state")"
  bw_wait_file "$BW_TMP/amina.state" "^modal 0 " 5 || bw_fail "the dialog stayed open"
}
actor() { bw_hubsql "SELECT e.actor || ' ' || e.note FROM events e JOIN requests r ON r.uid = e.request_uid WHERE r.ref = '$1' AND e.new_state = 5"; }

# 2. the agent answers the kiosk's request; the kiosk hears it
answer "$ref_k" "Votre dossier est pret au guichet 3" fr-2-answer
bw_expect "the hub's event names the agent" "$(actor "$ref_k")" "agent-amina Votre dossier est pret au guichet 3"
bw_dev k1 -N 1 -w 15 > "$BW_TMP/n1" || bw_fail "the kiosk got no notification: $(cat "$BW_TMP/n1")"
grep -q "^notify $ref_k answered Votre dossier est pret au guichet 3$" "$BW_TMP/n1" || bw_fail "notify: $(cat "$BW_TMP/n1")"
echo "ok: the kiosk got the answer"
bw_wait_file "$BW_TMP/amina.state" "^selected $ref_k loaded=1 events=2" 5 || bw_fail "the timeline did not show the answer"
want=1; [ -n "$sms" ] && want=2
bw_wait_file "$BW_TMP/amina.state" "^indicators loaded=1 total=$want answered=1 in_time=1 reopened=0" 5 ||
  bw_fail "indicators: $(grep '^indicators' "$BW_TMP/amina.state")"
shot amina fr-3-answered

# 3. ... and the SMS one; the citizen's SMS goes out
if [ -n "$sms" ]; then
  answer "$ref_s" "Le bus 12 repasse depuis lundi."
  bw_expect "the hub's event names the agent (SMS)" "$(actor "$ref_s")" "agent-amina Le bus 12 repasse depuis lundi."
  # the gateway says an answer is there; the citizen asks for it and reads it
  i=0; until "$PHONE_BIN" "$PHONE" sent +212610000005 | tail -n 1 | grep -q "$(echo "$ref_s" | sed 's/\(....\)\(....\)/\1 \2 /').* a une réponse"; do
    i=$((i + 1)); [ $i -gt 200 ] && bw_fail "no SMS about the answer: $("$PHONE_BIN" "$PHONE" sent +212610000005)"; sleep 0.05; done
  "$PHONE_BIN" "$PHONE" send +212610000005 "SUIVI $ref_s" >/dev/null || bw_fail "phone send SUIVI"
  i=0; until "$PHONE_BIN" "$PHONE" sent +212610000005 | tail -n 1 | grep -q "Le bus 12 repasse depuis lundi"; do
    i=$((i + 1)); [ $i -gt 200 ] && bw_fail "no SMS with the answer: $("$PHONE_BIN" "$PHONE" sent +212610000005)"; sleep 0.05; done
  echo "ok: the citizen's SMS went out, and the answer by SUIVI"
fi

# 4. a request filed at the desk for a citizen: n, the text, OK
xdotool windowfocus --sync "$WID" key n
bw_wait_file "$BW_TMP/amina.state" "^modal 6 " 5 || bw_fail "n did not open the desk form"
xdotool type --delay 30 "Le guichet 2 est ferme depuis une semaine"
bw_wait_file "$BW_TMP/amina.state" "^filetext Le guichet 2 est ferme depuis une semaine$" 5 ||
  bw_fail "desk text: $(grep '^filetext' "$BW_TMP/amina.state")"
click modal.ok
bw_wait_file "$BW_TMP/amina.state" "^result ok=1 op=file ref=" 5 || bw_fail "desk filing: $(grep '^result\|^modal' "$BW_TMP/amina.state")"
ref_d=$(sed -n 's/^result ok=1 op=file ref=\([0-9]*\) .*/\1/p' "$BW_TMP/amina.state")
bw_expect "desk request at the hub" "$(bw_hubsql "SELECT channel || ' ' || device || ' ' || site FROM requests WHERE ref = '$ref_d'")" \
  "2 agent-amina RABAT-IMMAT"   # channel 2 = desk
bw_wait_file "$BW_TMP/amina.state" "^row $ref_d received complaint desk agent-amina" 5 || bw_fail "the desk request is not in the queue"

# 5. Ctrl+L cycles fr -> zgh -> ar: Tamazight (Tifinagh, left to right) on the way, then
# Arabic, live: a new request and the reject dialog, in Arabic
xdotool windowfocus --sync "$WID" key ctrl+l
bw_wait_file "$BW_TMP/amina.state" "^lang zgh" 5 || bw_fail "Ctrl+L did not switch from French to Tamazight"
shot amina zgh-1-queue
xdotool windowfocus --sync "$WID" key ctrl+l
bw_wait_file "$BW_TMP/amina.state" "^lang ar" 5 || bw_fail "Ctrl+L did not switch from Tamazight to Arabic"
bw_dev k1 -n 1 -p -a TRANSPORT -w 20 > "$BW_TMP/k1b.out" || bw_fail "k1 submit 2"
ref_k2=$(awk '/^ref /{print $2; exit}' "$BW_TMP/k1b.out")
bw_wait_file "$BW_TMP/amina.state" "^row $ref_k2 received" 5 || bw_fail "second kiosk request did not appear"
open_row "$ref_k2"
shot amina ar-1-queue
xdotool windowfocus --sync "$WID" key x
bw_wait_file "$BW_TMP/amina.state" "^modal 4 " 5 || bw_fail "x did not open the reject dialog"
shot amina ar-2-reject
xdotool windowfocus --sync "$WID" key Escape
bw_wait_file "$BW_TMP/amina.state" "^modal 0 " 5 || bw_fail "Escape did not close the dialog"
# an illegal move is refused with the hub's reason, nothing changes (extend a complaint)
xdotool windowfocus --sync "$WID" key e
bw_wait_file "$BW_TMP/amina.state" "^result ok=0 op=move" 5 || bw_fail "extending a complaint was not refused"

# 6. the other site's agent saw none of it, and cannot act on it
bw_expect "karim's queue" "$(sed -n 's/^rows //p' "$BW_TMP/karim.state")" 0
! grep -q "$ref_k" "$BW_TMP/karim.state" || bw_fail "karim's console knows $ref_k"
shot karim fr-4-other-site
# the broker makes the user name the client id: karim's console leaves before karim's
# own mosquitto_pub/sub connect, or they would take each other's session over
kill "$(cat "$BW_TMP/karim.pid")"
bw_mqtt_pub agent-karim -q 1 -t "bawaba/v1/agent/agent-amina/up/cmd" \
  -m "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"$ref_k2\",\"to\":\"closed\"}" > "$BW_TMP/pub.out" 2>&1
grep -qi "not authori" "$BW_TMP/pub.out" || bw_fail "the broker did not refuse karim on amina's topic: $(cat "$BW_TMP/pub.out")"
wait "$(cat "$BW_TMP/karim.pid")" 2>/dev/null
# one connection for the command and its answer (mosquitto_rr): a second client with
# the same user would take the first one's session over
mosquitto_rr -V mqttv5 -h 127.0.0.1 -p "$BW_BROKER_PORT" -u agent-karim -P "$(bw_broker_password agent-karim)" \
  -t "bawaba/v1/agent/agent-karim/up/cmd" -e "bawaba/v1/agent/agent-karim/down/reply" -W 5 \
  -m "{\"v\":1,\"type\":\"cmd\",\"op\":\"move\",\"ref\":\"$ref_k2\",\"to\":\"closed\"}" > "$BW_TMP/karim.reply" 2>&1 ||
  bw_fail "karim's own command: $(cat "$BW_TMP/karim.reply")"
grep -q '"ok":false.*no such request in your scope' "$BW_TMP/karim.reply" || bw_fail "karim's move: $(cat "$BW_TMP/karim.reply")"
bw_expect "amina's request untouched" "$(bw_hubsql "SELECT state FROM requests WHERE ref = '$ref_k2'")" 0
echo "ok: karim saw nothing and could do nothing"

# 7. a wrong password is said on screen
sed 's/^password=.*/password=wrong-password/' "$BW_TMP/agent-amina.conf" > "$BW_TMP/agent-bad.conf"
console bad 1366x768 fr
bw_wait_file "$BW_TMP/bad.state" "^net refused" 10 || bw_fail "wrong password not reported: $(head -n 3 "$BW_TMP/bad.state")"
shot bad fr-5-refused

# the screenshots, as PNG when ImageMagick is there
for f in "$BW_TMP"/shots/*.bmp; do
  if command -v convert >/dev/null 2>&1; then convert "$f" "${f%.bmp}.png" && rm "$f"; fi
done
if [ "${BW_UPDATE_REFS:-0}" = 1 ]; then
  mkdir -p "$BW_TOP/tests/ref/agent"
  cp "$BW_TMP"/shots/* "$BW_TOP/tests/ref/agent/"
fi
for p in $AGENT_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
AGENT_PIDS=
! grep -q "Sanitizer\|runtime error" "$BW_TMP"/*.log || bw_fail "sanitizer report"
echo "PASS"
