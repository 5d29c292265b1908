#!/bin/sh
# kiosk_flow.sh: the kiosk driven by real input events under Xvfb (xdotool clicks and
# typing reach the SDL window as mouse and text-input events): a complaint filed in Arabic
# lands in the kiosk's local store with a receipt code shown and printed, its receipt's
# printer byte stream matches tests/ref/kiosk/receipt-flow.escpos (the random code read
# as 0000), a wrong reference is refused at the status keypad
# and the right one shows the request's state, and walking away wipes a half-typed text.
# Labels are found by what they say: the kiosk writes the text on screen and its boxes
# to BAWABA_KIOSK_TRACE after each frame.
set -u
. "$BW_TOP/tests/lib/xvfb.sh"
. "$BW_TOP/tests/lib/kiosk.sh"
skip_unless Xvfb xdotool sqlite3 gettext
kiosk_setup
fail() { kiosk_fail "$@"; }

DB="$dir/kiosk.db"
: >"$dir/printer"
export BAWABA_NOW=1795773600
kiosk_start -o kiosk.database="$DB" -o kiosk.site=RABAT-IMMAT \
  -o printer.device="$dir/printer" -o kiosk.idle_timeout=10 -o kiosk.warn_seconds=20

# pick_admin LANG NAME: taps the administration NAME, then "other" when it asks a category
pick_admin() {
  kiosk_tap "$2"
  sleep 0.3
  if [ "$(kiosk_screen)" = "$KS_CATEGORY" ]; then
    kiosk_tap "$(kiosk_tr "$1" category.other)"
  fi
  kiosk_wait_screen $KS_TEXT
}


# ---- 1. a complaint in Arabic ----
kiosk_wait_screen $KS_WELCOME
kiosk_tap "$(kiosk_tr ar welcome.start)"
kiosk_wait_screen $KS_HOME
kiosk_tap "$(kiosk_tr ar home.complaint)"
kiosk_wait_screen $KS_ADMIN
kiosk_type "الجمارك"
customs=$(sqlite3 "$DB" "SELECT name_ar FROM administrations WHERE name_ar LIKE '%الجمارك%' LIMIT 1")
[ -n "$customs" ] || fail "no customs administration in the catalogue"
pick_admin ar "$customs"
complaint="انتظرت ساعتين عند الشباك 3"
kiosk_type "$complaint"
kiosk_tap "$(kiosk_tr ar nav.next)"
kiosk_wait_screen $KS_PHONE
kiosk_tap "$(kiosk_tr ar nav.skip)"
kiosk_wait_screen $KS_REVIEW
kiosk_tap "$(kiosk_tr ar review.submit)"
kiosk_wait_screen $KS_RECEIPT
ref=$(sqlite3 "$DB" "SELECT ref FROM requests ORDER BY id DESC LIMIT 1")
[ -n "$ref" ] || fail "nothing in the kiosk's store"
row=$(sqlite3 "$DB" "SELECT kind, channel, lang, text, site, device FROM requests WHERE ref = '$ref'")
[ "$row" = "0|0|ar|$complaint|RABAT-IMMAT|kiosk-01" ] || fail "stored row: $row"
grouped=$(echo "$ref" | sed 's/\(....\)\(....\)\(....\)/\1 \2 \3/')
grep -q "$grouped" "$dir/trace" || fail "receipt does not show $grouped"
code=$(sqlite3 "$DB" "SELECT code FROM requests WHERE ref = '$ref'")
case "$code" in [0-9][0-9][0-9][0-9]) ;; *) fail "stored receipt code: '$code'" ;; esac
grep -q "$code" "$dir/trace" || fail "receipt does not show its code $code"
echo "ok: complaint filed as $ref and stored, receipt code $code on the receipt"

kiosk_tap "$(kiosk_tr ar receipt.print)"
kiosk_wait_text "$(kiosk_tr ar print.ok)"
# the receipt code is random: it must be printed (bold, double size: GS ! 0x11), and is
# then compared as 0000 with the expected stream
LC_ALL=C grep -q "$(printf '\035!\021')$code" "$dir/printer" || fail "the printed receipt lacks the code $code"
perl -0777 -pe 's/\x1d!\x11\d{4}\x1d!/\x1d!\x110000\x1d!/' "$dir/printer" >"$dir/printer.0000"
if [ "${BW_UPDATE_REFS:-0}" = 1 ]; then
  cp "$dir/printer.0000" "$BW_TOP/tests/ref/kiosk/receipt-flow.escpos"
fi
cmp "$dir/printer.0000" "$BW_TOP/tests/ref/kiosk/receipt-flow.escpos" || fail "printer byte stream differs from tests/ref/kiosk/receipt-flow.escpos"
echo "ok: printed receipt matches the expected byte stream"
kiosk_tap "$(kiosk_tr ar receipt.done)"
kiosk_wait_screen $KS_WELCOME

# ---- 2. a wrong reference is refused at the keypad (French) ----
kiosk_tap "$(kiosk_tr fr welcome.start)"
kiosk_wait_screen $KS_HOME
kiosk_tap "$(kiosk_tr fr home.status)"
kiosk_wait_screen $KS_STATUS
last=$(echo "$ref" | cut -c12)
wrong="$(echo "$ref" | cut -c1-11)$(( (last + 1) % 10 ))"
for d in $(echo "$wrong" | sed 's/./& /g'); do
  kiosk_tap "$d"
  sleep 0.1
done
kiosk_wait_text "$(kiosk_tr fr status.bad_check)"
kiosk_tap "$(kiosk_tr fr status.search)"
sleep 0.5
[ "$(kiosk_screen)" = "$KS_STATUS" ] || fail "a wrong reference left the keypad"
kiosk_shown "$(kiosk_tr fr status.bad_check)" || fail "no refusal message after search"
echo "ok: wrong reference $wrong refused as typed"
xdotool key --window "$KIOSK_WID" BackSpace
xdotool type --window "$KIOSK_WID" "$last"
kiosk_wait_text "$(kiosk_tr fr status.ref_ok)"
kiosk_tap "$(kiosk_tr fr status.search)"
kiosk_wait_screen $KS_RESULT
kiosk_wait_text "$(kiosk_tr fr state.received)"
grep -q "$complaint" "$dir/trace" && fail "the status screen shows the request's text"
echo "ok: right reference shows the state, not the text"
kiosk_tap "$(kiosk_tr fr receipt.done)"
kiosk_wait_screen $KS_WELCOME

# ---- 3. walking away wipes a half-typed text (Tamazight) ----
kiosk_tap "$(kiosk_tr zgh welcome.start)"
kiosk_wait_screen $KS_HOME
kiosk_tap "$(kiosk_tr zgh home.suggestion)"
kiosk_wait_screen $KS_ADMIN
first=$(sqlite3 "$DB" "SELECT name_zgh FROM administrations ORDER BY code LIMIT 1")
pick_admin zgh "$first"
secret="ⴰⵎⵢⴰⵡⴰⴹ 0661234567"
kiosk_type "$secret"
kiosk_wait_text "$(kiosk_tr zgh idle.continue)" 15
echo "ok: inactivity warning shown"
kiosk_wait_screen $KS_WELCOME 25
grep -q "0661234567" "$dir/trace" && fail "typed text still on screen after the wipe"
n=$(sqlite3 "$DB" "SELECT count(*) FROM requests")
[ "$n" = 1 ] || fail "$n requests stored, want 1"
echo "ok: idle wipe back to welcome, nothing filed"
kill -0 "$kpid" 2>/dev/null || fail "kiosk died"
exit 0
