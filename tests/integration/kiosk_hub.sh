#!/bin/sh
# kiosk_hub.sh: the kiosk and the hub end to end, with real input events under Xvfb, a
# real broker and bawaba-hub: each kind filed at the kiosk in a language (complaint in
# Arabic, observation in Tamazight, suggestion and information request in French, the
# latter answered on paper, so with a postal address checked as typed) gets a
# reference and a receipt code on the receipt, a row in the kiosk's outbox and the same
# request (and code) at the hub; the status screen shows an answer given at the hub only
# after the receipt's code is typed (the reference alone, a wrong code, and another kiosk
# asking the hub get states and dates, never the answer) and no personal data; with the
# hub stopped the offline indicator shows, filing still gives a reference (kept in the
# outbox) and the status screen says it answers from what the kiosk knows, the answer
# again only with the code; the hub comes back and the outbox drains. Screenshots of a few screens go to
# $BW_BUILD/test-logs/kiosk_hub/ for a human to look at.
set -u
. "$BW_TOP/tests/lib/xvfb.sh"
. "$BW_TOP/tests/lib/broker.sh"
. "$BW_TOP/tests/lib/sync.sh"
. "$BW_TOP/tests/lib/kiosk.sh"
skip_unless Xvfb xdotool sqlite3 gettext
K="$BW_BUILD/bin/bawaba-kiosk"
[ -x "$K" ] || bw_fail "$K is not built"
kpid=
bw_on_exit() {
  [ -n "$kpid" ] && kill "$kpid" 2>/dev/null && wait "$kpid" 2>/dev/null
  stop_xvfb
  bw_sync__exit
}
kiosk_fail_more() { echo "--- kiosk log:"; tail -n 30 "$BW_TMP/kiosk.log"; }

bw_sync_setup kiosk-01:kiosk kiosk-02:kiosk
bw_hub_start
KS_CODE=18   # enum kiosk_screen: KS_STATUS_CODE
shots="$BW_BUILD/test-logs/kiosk_hub"
rm -rf "$shots"; mkdir -p "$shots"
shot() { command -v import >/dev/null 2>&1 && import -window root "$shots/$1.png" 2>/dev/null || true; }

# the kiosk's device config with test timers (the hub's absence is told by its will)
conf="$BW_TMP/kiosk-sync.conf"
cp "$BW_BROKER_DIR/devices/kiosk-01.conf" "$conf"
printf '[sync]\nheartbeat=2\nack_timeout_ms=700\nretry_max_ms=2000\nreconnect_max_ms=1000\nquery_timeout_ms=3000\n' >>"$conf"
DB="$BW_TMP/kiosk.db"
export BAWABA_KIOSK_TRACE="$BW_TMP/trace"
start_xvfb "$BW_TMP/xvfb.log" || exit 1
"$K" -o kiosk.locale_dir="$BW_BUILD/locale" -o kiosk.database="$DB" -o kiosk.site=RABAT \
  -o kiosk.device=kiosk-01 -o sync.config="$conf" --id-file "$BW_TMP/wid" >"$BW_TMP/kiosk.log" 2>&1 &
kpid=$!
kiosk_wait_window "$BW_TMP/wid" "$kpid"
tr=kiosk_tr
hub_show() { "$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" show "$1" 2>&1; }
hub_field() { hub_show "$1" | sed -n "s/^$2 *//p"; }

# at_home LANG: from the welcome screen to the home screen in LANG
at_home() {
  kiosk_wait_screen $KS_WELCOME
  kiosk_tap "$($tr "$1" welcome.start)"
  kiosk_wait_screen $KS_HOME
}
# first_admin LANG: taps the first administration of the list (the catalogue by code)
first_admin() {
  kiosk_wait_screen $KS_ADMIN
  kiosk_tap "$(sqlite3 "$DB" "SELECT name_$1 FROM administrations ORDER BY code LIMIT 1")"
}
# receipt KIND TEXT: on the receipt, the reference shown is in the kiosk's store and outbox,
# with the receipt code shown (kept in $code). Once the hub has acknowledged it the kiosk
# forgets the text and the code in clear (issue 11): then the hub holds them.
receipt() {
  kiosk_wait_screen $KS_RECEIPT
  ref=$(kiosk_receipt_ref)
  [ -n "$ref" ] || kiosk_fail "no reference on the receipt"
  row=$(sqlite3 "$DB" "SELECT r.kind || '|' || r.text FROM requests r JOIN outbox o ON o.uid = r.uid WHERE r.ref = '$ref'")
  if [ "$row" = "$1|" ]; then
    row="$1|$(bw_hubsql "SELECT text FROM requests WHERE ref = '$ref'")"
    [ "$(sqlite3 "$DB" "SELECT acked_at IS NOT NULL FROM outbox o JOIN requests r ON o.uid = r.uid WHERE r.ref = '$ref'")" = 1 ] ||
      kiosk_fail "the kiosk forgot $ref's text before the hub's ack"
  fi
  [ "$row" = "$1|$2" ] || kiosk_fail "kiosk's store and outbox for $ref: '$row', want '$1|$2'"
  code=$(sqlite3 "$DB" "SELECT code FROM requests WHERE ref = '$ref'")
  [ -n "$code" ] || code=$(bw_hubsql "SELECT code FROM requests WHERE ref = '$ref'")
  case "$code" in [0-9][0-9][0-9][0-9]) ;; *) kiosk_fail "receipt code of $ref: '$code'" ;; esac
  kiosk_shown "$(printf '\342\201\246%s\342\201\251' "$code")" || kiosk_fail "the receipt does not show the code $code"
}
# code_screen LANG CODE: from the status result, the code keypad, CODE typed, OK
code_screen() {
  kiosk_tap "$($tr "$1" status.code.ask)"
  kiosk_wait_screen $KS_CODE
  xdotool type --window "$KIOSK_WID" --delay 30 "$2"
  # masked as typed: a bullet per digit, never the digits
  kiosk_wait_text "$(printf '\342\200\242%.0s' 1 2 3 4)"
  kiosk_shown "$2" && kiosk_fail "the code $2 is shown in clear as it is typed"
  kiosk_tap "$($tr "$1" status.read)"
}
# decree_flow LANG KIND-KEY TEXT: files a complaint, observation or suggestion
decree_flow() {
  at_home "$1"
  kiosk_tap "$($tr "$1" "$2")"
  first_admin "$1"
  sleep 0.3
  [ "$(kiosk_screen)" = $KS_CATEGORY ] && kiosk_tap "$($tr "$1" category.other)"
  kiosk_wait_screen $KS_TEXT
  kiosk_type "$3"
  kiosk_tap "$($tr "$1" nav.next)"
  kiosk_wait_screen $KS_PHONE
  kiosk_tap "$($tr "$1" nav.skip)"
  kiosk_wait_screen $KS_REVIEW
  kiosk_tap "$($tr "$1" review.submit)"
}
# at_hub REF KIND TEXT: the hub holds REF with that kind and text (waits up to 10 s)
at_hub() {
  i=0
  until hub_show "$1" | grep -q "^reference"; do
    i=$((i + 1)); [ $i -gt 200 ] && kiosk_fail "$1 never reached the hub"
    sleep 0.05
  done
  bw_expect "$1 at the hub: kind" "$(hub_field "$1" kind)" "$2"
  bw_expect "$1 at the hub: text" "$(hub_field "$1" text)" "$3"
  bw_expect "$1 at the hub: from the kiosk" "$(hub_field "$1" channel | awk '{print $1, $5}')" "kiosk kiosk-01"
}
# status LANG REF: the status keypad, typed on the physical keyboard, then the result
status() {
  at_home "$1"
  kiosk_tap "$($tr "$1" home.status)"
  kiosk_wait_screen $KS_STATUS
  xdotool type --window "$KIOSK_WID" --delay 30 "$2"
  kiosk_wait_text "$($tr "$1" status.ref_ok)"
  kiosk_tap "$($tr "$1" status.search)"
  kiosk_wait_screen $KS_RESULT
}
offline_shown() { kiosk_shown "$($tr "$1" chrome.offline)"; }
wait_online() { # LANG: until the indicator is gone (the hub's presence arrived)
  i=0
  while offline_shown "$1"; do
    i=$((i + 1)); [ $i -gt 200 ] && kiosk_fail "still offline after 10 s with the hub up"
    sleep 0.05
  done
}

# ---- 1. each kind, each language, reaches the hub ----
at_home ar
wait_online ar
echo "ok: online indicator off with the hub up"
kiosk_tap "$($tr ar nav.back)"
t1="انتظرت ساعتين عند الشباك 3"
decree_flow ar home.complaint "$t1"
receipt 0 "$t1"; r1=$ref
shot 1-receipt-ar
kiosk_tap "$($tr ar receipt.done)"
at_hub "$r1" complaint "$t1"

t2="ⴰⵎⵢⴰⵡⴰⴹ ⵉⵖⵓⴷⴰⵏ 5"
decree_flow zgh home.observation "$t2"
receipt 1 "$t2"; r2=$ref
kiosk_tap "$($tr zgh receipt.done)"
at_hub "$r2" observation "$t2"

t3="Ouvrir le samedi matin"
decree_flow fr home.suggestion "$t3"
receipt 2 "$t3"; r3=$ref
kiosk_tap "$($tr fr receipt.done)"
at_hub "$r3" suggestion "$t3"

t4="Budget 2025 de la commune"
at_home fr
kiosk_tap "?"   # the card's badge, as a citizen who reads little would (the label wraps)
kiosk_wait_screen $KS_INFO_LAW
kiosk_tap "$($tr fr nav.continue)"
first_admin fr
kiosk_wait_screen $KS_INFO_NAME
kiosk_type "Amina Alaoui"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_INFO_ID
kiosk_type "AB123456"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_INFO_CONTACT
kiosk_type "amina@example.ma"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_INFO_TEXT
kiosk_type "$t4"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_INFO_FORM
kiosk_tap "$($tr fr form.paper)"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_INFO_ADDRESS
kiosk_type "Rabat"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_wrapped "$($tr fr info.address.short)"
xdotool key --window "$KIOSK_WID" --repeat 5 --delay 20 BackSpace
kiosk_type "Rabat, 12 rue Ibn Sina"
kiosk_tap "$($tr fr nav.next)"
kiosk_wait_screen $KS_REVIEW
kiosk_tap "$($tr fr review.submit)"
receipt 3 "$t4"; r4=$ref; code4=$code
kiosk_tap "$($tr fr receipt.done)"
at_hub "$r4" info "$t4"
bw_expect "$r4 at the hub: the kiosk's receipt code" "$(bw_hubsql "SELECT code FROM requests WHERE ref = '$r4'")" "$code4"
bw_expect "$r4 at the hub: name" "$(hub_field "$r4" name)" "Amina Alaoui"
bw_expect "$r4 at the hub: id number" "$(hub_field "$r4" 'id number')" "AB123456"
bw_expect "$r4 at the hub: form" "$(hub_field "$r4" form)" "paper"
bw_expect "$r4 at the hub: address" "$(hub_field "$r4" address)" "Rabat, 12 rue Ibn Sina"

# ---- 2. the status screen answers from the hub: the answer only with the code ----
answer="Le budget est publié sur le portail de la commune"
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$r4" "$answer" >/dev/null || bw_fail "bawaba answer"
no_answer() { # WHERE: the answer is nowhere on screen
  grep -q "portail de la commune" "$BAWABA_KIOSK_TRACE" && kiosk_fail "$1: the answer is on screen"
  return 0
}
status fr "$r4"
kiosk_wait_text "$($tr fr state.answered)"
kiosk_shown "$($tr fr status.local)" && kiosk_fail "answered by the hub, yet says it answers locally"
kiosk_wait_wrapped "$($tr fr status.code.locked)"
no_answer "the reference alone"
shot 2-status-locked-fr
echo "ok: the reference alone shows the state, not the answer"
wrong=$(printf '%04d' $(( (1${code4} - 10000 + 1) % 10000 )))
code_screen fr "$wrong"
kiosk_wait_wrapped "$($tr fr status.code.wrong)"
[ "$(kiosk_screen)" = $KS_CODE ] || kiosk_fail "a wrong code left the code screen"
no_answer "a wrong code"
echo "ok: a wrong code ($wrong) is refused and shows nothing more"
xdotool type --window "$KIOSK_WID" --delay 30 "$code4"
kiosk_wait_text "$(printf '\342\200\242%.0s' 1 2 3 4)"
kiosk_tap "$($tr fr field.show)"   # the citizen shows the code to check it
kiosk_wait_text "$code4"
kiosk_tap "$($tr fr status.read)"
kiosk_wait_screen $KS_RESULT
kiosk_wait_text "$answer"
kiosk_shown "$($tr fr status.local)" && kiosk_fail "answered by the hub, yet says it answers locally"
for private in "Amina" "AB123456" "amina@example.ma" "Ibn Sina" "$t4"; do
  grep -q "$private" "$BAWABA_KIOSK_TRACE" && kiosk_fail "the status screen shows \"$private\""
done
shot 2-status-hub-fr
echo "ok: status of $r4 from the hub with its code: answered, the answer shown, no personal data"
kiosk_tap "$($tr fr receipt.done)"
# another kiosk asks the hub about the same reference: states and dates, no answer
bw_dev kiosk-02 -q "$r4" -w 5 >"$BW_TMP/k2.out" 2>&1 || { cat "$BW_TMP/k2.out"; bw_fail "kiosk-02's query"; }
grep -q "^status ref=$r4 found=1 from_local=0 state=answered" "$BW_TMP/k2.out" || { cat "$BW_TMP/k2.out"; bw_fail "kiosk-02 got no answer from the hub"; }
grep -q "portail" "$BW_TMP/k2.out" && { cat "$BW_TMP/k2.out"; bw_fail "kiosk-02 was given the answer of kiosk-01's request"; }
grep -q "Amina\|AB123456\|$t4" "$BW_TMP/k2.out" && bw_fail "kiosk-02 was given personal data"
echo "ok: another kiosk asking the hub about $r4 gets its state, not its answer"

# ---- 3. the hub stops: offline, filing still works, status from the kiosk ----
bw_hub_stop
at_home fr
kiosk_wait_text "$($tr fr chrome.offline)" 10
echo "ok: offline indicator with the hub stopped"
shot 3-home-offline-fr
kiosk_tap "$($tr fr nav.back)"
t5="Guichet ferme a midi"
decree_flow fr home.complaint "$t5"
receipt 0 "$t5"; r5=$ref
bw_expect "offline: $r5 waits in the outbox" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM outbox o JOIN requests r ON r.uid = o.uid WHERE r.ref = '$r5' AND o.acked_at IS NULL")" 1
kiosk_tap "$($tr fr receipt.done)"
status fr "$r4"
kiosk_wait_text "$($tr fr status.local)"
kiosk_wait_text "$($tr fr state.answered)"
no_answer "offline, the reference alone"
code_screen fr "$code4"
kiosk_wait_screen $KS_RESULT
kiosk_wait_text "$answer"
kiosk_shown "$($tr fr status.local)" || kiosk_fail "offline, yet does not say it answers locally"
shot 4-status-local-fr
echo "ok: offline status of $r4 from what the kiosk knows, it says so, the answer with the code"
kiosk_tap "$($tr fr receipt.done)"

# ---- 4. the hub comes back: the outbox drains ----
bw_hub_start
i=0
while [ "$(sqlite3 -cmd ".timeout 2000" "$DB" "SELECT count(*) FROM outbox WHERE acked_at IS NULL")" != 0 ]; do
  i=$((i + 1)); [ $i -gt 200 ] && kiosk_fail "the outbox did not drain within 10 s of the hub's return"
  sleep 0.05
done
echo "ok: outbox drained"
at_hub "$r5" complaint "$t5"
bw_expect "the hub holds the kiosk's 5 requests" "$(bw_hubsql "SELECT count(*) FROM requests WHERE device='kiosk-01'")" 5
at_home fr
wait_online fr
echo "ok: online again"
kill -0 "$kpid" 2>/dev/null || kiosk_fail "kiosk died"
kill "$kpid"; wait "$kpid"; st=$?; kpid=
[ $st -eq 0 ] || kiosk_fail "the kiosk exited with status $st on SIGTERM"
! grep -q "Sanitizer\|runtime error" "$BW_TMP/kiosk.log" || kiosk_fail "sanitizer report in the kiosk's log"
bw_hub_stop
echo "PASS"
