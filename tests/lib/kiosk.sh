# tests/lib/kiosk.sh: shell helpers for tests that drive bawaba-kiosk with real input
# events under Xvfb (source tests/lib/xvfb.sh first). The kiosk writes the text on screen
# with its boxes to $BAWABA_KIOSK_TRACE after each frame ("screen N", then "x y w h<TAB>
# text" per label), so a test taps a label by what it says, in the citizen's language.
#
#   export BAWABA_KIOSK_TRACE=$dir/trace
#   "$BW_BUILD/bin/bawaba-kiosk" ... --id-file "$dir/wid" & kiosk_wait_window "$dir/wid" $!
#   kiosk_tap "$(kiosk_tr ar welcome.start)"; kiosk_wait_screen $KS_HOME
#
# kiosk_fail is the test's failure function (prints the screen and exits); a test may
# define kiosk_fail_more to print more (logs) before the exit.

# enum kiosk_screen (kiosk/kiosk.h)
KS_WELCOME=0 KS_HOME=1 KS_ADMIN=2 KS_CATEGORY=3 KS_TEXT=4 KS_PHONE=5 KS_REVIEW=6
KS_INFO_LAW=7 KS_INFO_NAME=8 KS_INFO_ID=9 KS_INFO_CONTACT=10 KS_INFO_TEXT=11 KS_INFO_FORM=12
KS_RECEIPT=13 KS_STATUS=14 KS_RESULT=15 KS_PIN=16 KS_INFO_ADDRESS=17

kiosk_fail() {
  echo "FAIL: $*"
  echo "--- screen:"; cat "$BAWABA_KIOSK_TRACE" 2>/dev/null
  if command -v kiosk_fail_more >/dev/null 2>&1; then kiosk_fail_more; fi
  exit 1
}

# kiosk_wait_window ID_FILE PID: until the kiosk wrote its X11 window id; sets KIOSK_WID.
kiosk_wait_window() {
  k_i=0
  while [ ! -s "$1" ]; do
    k_i=$((k_i + 1)); [ $k_i -gt 200 ] && kiosk_fail "no window after 10 s"
    kill -0 "$2" 2>/dev/null || kiosk_fail "kiosk exited"
    sleep 0.05
  done
  KIOSK_WID=$(cat "$1")
  [ "$KIOSK_WID" != 0 ] || kiosk_fail "no X11 window id"
}

kiosk_tr() { # LANG KEY: the text a citizen sees for KEY
  LC_ALL=C.UTF-8 LANGUAGE=$1 TEXTDOMAINDIR="$BW_BUILD/locale" gettext -d bawaba-kiosk "$2"
}
kiosk_box() { # TEXT: "x y w h" of the first label showing exactly TEXT
  T="$1" awk -F '\t' '$2 == ENVIRON["T"] { print $1; exit }' "$BAWABA_KIOSK_TRACE" 2>/dev/null
}
kiosk_shown() { [ -n "$(kiosk_box "$1")" ]; }
kiosk_screen() { head -n 1 "$BAWABA_KIOSK_TRACE" 2>/dev/null | sed 's/^screen //'; }
kiosk_wait_text() { # TEXT [seconds]: until TEXT is on screen
  k_n=$(( ${2:-10} * 20 )); k_i=0
  while ! kiosk_shown "$1"; do
    k_i=$((k_i + 1)); [ $k_i -gt $k_n ] && kiosk_fail "\"$1\" never shown"
    sleep 0.05
  done
}
# kiosk_wait_wrapped TEXT [seconds]: until a message wrapped over lines shows (its first
# line, at least 10 bytes, starts TEXT)
kiosk_wait_wrapped() {
  k_n=$(( ${2:-10} * 20 )); k_i=0
  until T="$1" awk -F '\t' 'NR > 1 && length($2) >= 10 && index(ENVIRON["T"], $2) == 1 { f = 1 } END { exit !f }' \
      "$BAWABA_KIOSK_TRACE" 2>/dev/null; do
    k_i=$((k_i + 1)); [ $k_i -gt $k_n ] && kiosk_fail "\"$1\" never shown"
    sleep 0.05
  done
}
kiosk_wait_screen() { # N [seconds]: until screen N is shown
  k_n=$(( ${2:-10} * 20 )); k_i=0
  while [ "$(kiosk_screen)" != "$1" ]; do
    k_i=$((k_i + 1)); [ $k_i -gt $k_n ] && kiosk_fail "screen $1 never shown"
    sleep 0.05
  done
}
kiosk_tap() { # TEXT: a click in the middle of the label, as a finger would
  kiosk_wait_text "$1"
  set -- $(kiosk_box "$1")
  xdotool mousemove --window "$KIOSK_WID" $(( $1 + $3 / 2 )) $(( $2 + $4 / 2 )) click 1
}
# kiosk_type TEXT: types into the focused field until the field shows TEXT. xdotool types
# a non-Latin character by remapping a spare key code, and a keymap change can race with
# the key press; a field that shows something else is cleared and typed again (3 tries).
kiosk_type() {
  # slower at each try: a kiosk under a sanitizer on a loaded machine takes each keymap
  # change late, and a key pressed before it lands as nothing
  for k_attempt in 1 2 3; do
    case $k_attempt in 1) k_delay=30 ;; 2) k_delay=150 ;; *) k_delay=400 ;; esac
    xdotool windowfocus --sync "$KIOSK_WID" 2>/dev/null
    xdotool type --window "$KIOSK_WID" --delay $k_delay "$1"
    k_i=0
    while [ $k_i -lt 40 ]; do kiosk_shown "$1" && return 0; k_i=$((k_i + 1)); sleep 0.05; done
    echo "retyping \"$1\" (attempt $k_attempt)"
    xdotool key --window "$KIOSK_WID" --repeat 60 --delay 10 BackSpace
    sleep 0.3
  done
  kiosk_fail "typing \"$1\" never showed it in the field"
}
# kiosk_receipt_ref: the reference the receipt screen shows (grouped 4 4 4), as digits.
kiosk_receipt_ref() {
  grep -o '[0-9]\{4\} [0-9]\{4\} [0-9]\{4\}' "$BAWABA_KIOSK_TRACE" | head -n 1 | sed 's/ //g'
}
