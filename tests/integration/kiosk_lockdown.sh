#!/bin/sh
# kiosk_lockdown.sh: the kiosk in lockdown under Xvfb with no window manager (a kiosk's
# usual X session): its window covers the whole display; the keys that close or leave a
# window elsewhere (Alt+F4, Escape, Ctrl+W, Ctrl+Q, Alt+Tab) do nothing; a wrong agent
# PIN is refused; five taps on the greeting and the right PIN let the agent out (exit 0).
set -u
. "$BW_TOP/tests/lib/xvfb.sh"
. "$BW_TOP/tests/lib/kiosk.sh"
skip_unless Xvfb xdotool xwininfo gettext
kiosk_setup
kiosk_start -o kiosk.database="$dir/kiosk.db" \
  -o display.fullscreen=true -o display.width=1280 -o display.height=720 -o kiosk.pin=2468
kiosk_wait_screen $KS_WELCOME
sleep 0.3   # the lockdown is taken after the first frame

geo=$(xwininfo -id "$KIOSK_WID" | awk '/Absolute upper-left X/ { x = $NF } /Absolute upper-left Y/ { y = $NF }
  /Width:/ { w = $NF } /Height:/ { h = $NF } END { print x, y, w, h }')
[ "$geo" = "0 0 1920 1080" ] || kiosk_fail "window at $geo, not over the whole 1920x1080 display"
echo "ok: the window covers the display ($geo) though 1280x720 was configured"

for keys in alt+F4 Escape ctrl+w ctrl+q alt+Tab; do
  xdotool key --window "$KIOSK_WID" "$keys"
done
sleep 0.5
kill -0 "$kpid" 2>/dev/null || kiosk_fail "a key closed the kiosk"
[ "$(kiosk_screen)" = $KS_WELCOME ] || kiosk_fail "a key left the welcome screen"
echo "ok: Alt+F4, Escape, Ctrl+W, Ctrl+Q, Alt+Tab do nothing"

# the agent: five taps on the greeting, then the PIN
greeting=$(kiosk_tr ar welcome.title)
pin_pad() {
  for t in 1 2 3 4 5; do kiosk_tap "$greeting"; sleep 0.1; done
  kiosk_wait_screen $KS_PIN
}
type_pin() { # DIGITS: tapped on the pad, then its OK
  for d in $(echo "$1" | sed 's/./& /g'); do kiosk_tap "$d"; sleep 0.05; done
  kiosk_tap "$(kiosk_tr ar pin.ok)"
}
pin_pad
type_pin 1357
kiosk_wait_text "$(kiosk_tr ar pin.wrong)"
kill -0 "$kpid" 2>/dev/null || kiosk_fail "a wrong PIN let the kiosk out"
grep -q 1357 "$BAWABA_KIOSK_TRACE" && kiosk_fail "the PIN's digits are on screen"
echo "ok: a wrong PIN is refused"
type_pin 2468
i=0
while kill -0 "$kpid" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && kiosk_fail "the right PIN did not let the agent out"
  sleep 0.05
done
wait "$kpid"; rc=$?; kpid=
[ $rc -eq 0 ] || kiosk_fail "exit status $rc after the PIN"
grep -q "agent PIN accepted" "$dir/kiosk.log" || kiosk_fail "no log line for the agent leaving"
echo "ok: the right PIN lets the agent out"
exit 0
