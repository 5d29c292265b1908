#!/bin/sh
# kiosk_speech.sh: the kiosk used eyes closed, with keys only (Tab, Shift-Tab, Enter, F1
# and typing; no pointer), under Xvfb with SDL's disk audio driver and a real hub: a
# complaint in Arabic, an observation, a suggestion and an information request in French,
# and a status read with its receipt code. Each focus change must produce an utterance
# in the speech log (the text given to the voices) in the screen's language, naming a
# control on screen with its role, of plausible length, and non-silent audio in the file
# the disk driver writes as it would be heard. Each request must reach the hub. The
# receipt read with F1 spells the reference digit by digit in groups. Prints
# "keypad flows: N completed, speech for M of M focus changes".
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
kiosk_fail_more() { echo "--- speech log:"; tail -n 15 "$SLOG"; echo "--- kiosk log:"; tail -n 20 "$BW_TMP/kiosk.log"; }

bw_sync_setup kiosk-01:kiosk
bw_hub_start
conf="$BW_TMP/kiosk-sync.conf"
cp "$BW_BROKER_DIR/devices/kiosk-01.conf" "$conf"
printf '[sync]\nheartbeat=2\nack_timeout_ms=700\nretry_max_ms=2000\nreconnect_max_ms=1000\n' >>"$conf"
DB="$BW_TMP/kiosk.db"
SLOG="$BW_TMP/speech.log"
AUDIO="$BW_TMP/audio.raw"
export BAWABA_KIOSK_TRACE="$BW_TMP/trace" SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$AUDIO"
start_xvfb "$BW_TMP/xvfb.log" || exit 1
"$K" -o kiosk.locale_dir="$BW_BUILD/locale" -o kiosk.database="$DB" -o kiosk.site=RABAT \
  -o kiosk.device=kiosk-01 -o sync.config="$conf" -o speech.log="$SLOG" -o speech.prompts_dir= \
  --id-file "$BW_TMP/wid" >"$BW_TMP/kiosk.log" 2>&1 &
kpid=$!
kiosk_wait_window "$BW_TMP/wid" "$kpid"
tr=kiosk_tr
hub_show() { "$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" show "$1" 2>&1; }

LANG_NOW=ar moves=0 spoken=0 flows=0
says() { grep -c '^say' "$SLOG" 2>/dev/null; }
size() { stat -c %s "$AUDIO" 2>/dev/null || echo 0; }
# the fields of the last utterance: say kmoves lang screen samples latency hows text
last() { grep '^say' "$SLOG" | tail -n 1 | cut -f "$1"; }
name() { last 8 | awk -F '|' '{ print $1 }'; }

# The disk driver writes what would be heard in real time: the audio of utterance i is
# in the file between where the file ended when it was queued and where it ended when the
# next one interrupted it. Those offsets are kept and checked at the end (no waiting).
WINDOWS="$BW_TMP/windows"
: >"$WINDOWS"
# press KEY: one key; when it moves the focus, the utterance it must cause is checked
press() {
  p_before=$(says) p_size=$(size)
  xdotool key --window "$KIOSK_WID" "$1"
  case "$1" in Tab|shift+Tab|Up|Down) ;; *) sleep 0.15; return 0 ;; esac
  moves=$((moves + 1))
  p_i=0
  while [ "$(says)" -le "$p_before" ]; do
    p_i=$((p_i + 1)); [ $p_i -gt 60 ] && { echo "no speech after $1"; return 0; }
    sleep 0.02
  done
  p_n=$(name) p_role=$(last 8 | awk -F '|' '{ print $2 }')
  [ "$(last 3)" = "$LANG_NOW" ] || { echo "spoken in $(last 3), screen in $LANG_NOW: $p_n"; return 0; }
  p_s=$(last 5)
  # plausible: a word or more (0.15 s), less than a minute
  [ "$p_s" -ge 3300 ] && [ "$p_s" -le 1323000 ] || { echo "implausible length $p_s: $p_n"; return 0; }
  p_ok=0
  for r in role.button role.checkbox role.textbox role.key role.item; do
    [ "$p_role" = "$($tr "$LANG_NOW" "$r")" ] && p_ok=1
  done
  # a whole-screen utterance starts with the title; the control follows
  [ $p_ok = 1 ] || last 8 | grep -qF "|$($tr "$LANG_NOW" role.button)" || last 8 | grep -qF "|$($tr "$LANG_NOW" role.item)" \
    || last 8 | grep -qF "|$($tr "$LANG_NOW" role.textbox)" || last 8 | grep -qF "|$($tr "$LANG_NOW" role.key)" \
    || { echo "no role in the language of the screen: $(last 8)"; return 0; }
  echo "$p_size $p_n" >>"$WINDOWS"
  # let 0.1 s of it reach the output before the next key may interrupt it (a loaded
  # machine can starve the audio thread; a citizen hears at least the start of a name)
  p_at=$(size) p_i=0
  while [ $(( $(size) - p_at )) -lt 4410 ] && [ $p_i -lt 50 ]; do p_i=$((p_i + 1)); sleep 0.02; done
  spoken=$((spoken + 1))
}

# focus TEXT [KEY]: KEY (Tab, or shift+Tab for a control at the end) until the spoken control's name is TEXT (a label that wraps on
# screen is spoken whole), then it has focus
focus() {
  f_i=0
  while :; do
    press "${2:-Tab}"
    [ "$(name)" = "$1" ] && return 0
    last 8 | grep -qF "|$1|" && return 0
    f_i=$((f_i + 1)); [ $f_i -gt 90 ] && kiosk_fail "never reached \"$1\" with ${2:-Tab}"
  done
}
# focus_role ROLE-KEY: Tab until the spoken control has that role (the first list item)
focus_role() {
  f_i=0 f_r=$($tr "$LANG_NOW" "$1")
  while :; do
    press Tab
    last 8 | grep -qF "|$f_r" && [ "$(last 8 | awk -F '|' '{ print $NF }')" = "$f_r" ] && return 0
    f_i=$((f_i + 1)); [ $f_i -gt 90 ] && kiosk_fail "never reached a $1 with Tab"
  done
}
activate() { # TEXT [KEY]: focus it, Enter
  focus "$1" "${2:-Tab}"
  echo "  $1: $f_i moves"
  press Return
}
typed() { # TEXT: typed on the keyboard (keys, no pointer) into the field with text focus
  xdotool type --window "$KIOSK_WID" --delay 30 "$1"
  kiosk_wait_text "$1"
}
at_hub() { # REF KIND TEXT
  i=0
  until hub_show "$1" | grep -q "^reference"; do
    i=$((i + 1)); [ $i -gt 200 ] && kiosk_fail "$1 never reached the hub"
    sleep 0.05
  done
  bw_expect "$1 at the hub: kind" "$(hub_show "$1" | sed -n 's/^kind *//p')" "$2"
  bw_expect "$1 at the hub: text" "$(hub_show "$1" | sed -n 's/^text *//p')" "$3"
}
start() { # LANG
  kiosk_wait_screen $KS_WELCOME
  LANG_NOW=ar
  activate "$($tr "$1" welcome.start)"
  LANG_NOW=$1
  kiosk_wait_screen $KS_HOME
}
admin() {
  kiosk_wait_screen $KS_ADMIN
  focus_role role.item
  press Return
  sleep 0.3
  [ "$(kiosk_screen)" = $KS_CATEGORY ] && activate "$($tr "$LANG_NOW" category.other)"
  return 0
}
receipt() { # KIND-NUMBER TEXT: sets ref and code
  kiosk_wait_screen $KS_RECEIPT
  ref=$(kiosk_receipt_ref)
  [ -n "$ref" ] || kiosk_fail "no reference on the receipt"
  code=$(sqlite3 "$DB" "SELECT code FROM requests WHERE ref = '$ref'")
  row=$(sqlite3 "$DB" "SELECT kind || '|' || text FROM requests WHERE ref = '$ref'")
  # the kiosk forgets the text once the hub acknowledged it (then the hub has it)
  [ "$row" = "$1|" ] && row="$1|$(bw_hubsql "SELECT text FROM requests WHERE ref = '$ref'")"
  bw_expect "$ref filed" "$row" "$1|$2"
}
decree() { # LANG CARD-KEY TEXT
  start "$1"
  activate "$($tr "$1" "$2")"
  admin
  kiosk_wait_screen $KS_TEXT
  typed "$3"
  activate "$($tr "$1" nav.next)" shift+Tab
  kiosk_wait_screen $KS_PHONE
  activate "$($tr "$1" nav.skip)" shift+Tab
  kiosk_wait_screen $KS_REVIEW
  activate "$($tr "$1" review.submit)" shift+Tab
}

# ---- 1. a complaint in Arabic; the receipt read aloud ----
t1="3 heures au guichet 12"
decree ar home.complaint "$t1"
receipt 0 "$t1"
n=$(says)
press F1
i=0; while [ "$(says)" -le "$n" ]; do i=$((i + 1)); [ $i -gt 100 ] && kiosk_fail "F1 said nothing"; sleep 0.02; done
spelled=$(echo "$ref" | sed 's/\(.\)\(.\)\(.\)/\1 \2 \3, /g; s/, $//')
last 8 | grep -qF "$spelled" || kiosk_fail "the receipt's reference not read in groups ($spelled): $(last 8)"
last 8 | grep -qF "$($tr ar receipt.title)" || kiosk_fail "F1 did not read the title"
echo "ok: F1 on the receipt reads the reference as $spelled"
activate "$($tr ar receipt.done)" shift+Tab
at_hub "$ref" complaint "$t1"
flows=$((flows + 1))
grep -q '^wipe' "$SLOG" || kiosk_fail "no speech stop at the wipe after the receipt"

# ---- 2, 3. an observation and a suggestion in French ----
t2="Trottoir casse devant la poste"
decree fr home.observation "$t2"
receipt 1 "$t2"
activate "$($tr fr receipt.done)" shift+Tab
at_hub "$ref" observation "$t2"
flows=$((flows + 1))
t3="Ouvrir le samedi matin"
decree fr home.suggestion "$t3"
receipt 2 "$t3"
activate "$($tr fr receipt.done)" shift+Tab
at_hub "$ref" suggestion "$t3"
flows=$((flows + 1))

# ---- 4. an information request in French, answered by e-mail ----
t4="Budget 2025 de la commune"
start fr
activate "$($tr fr home.info)"
kiosk_wait_screen $KS_INFO_LAW
activate "$($tr fr nav.continue)"
admin
kiosk_wait_screen $KS_INFO_NAME
typed "Amina Alaoui"; activate "$($tr fr nav.next)" shift+Tab
kiosk_wait_screen $KS_INFO_ID
typed "AB123456"; activate "$($tr fr nav.next)" shift+Tab
kiosk_wait_screen $KS_INFO_CONTACT
typed "amina@example.ma"; activate "$($tr fr nav.next)" shift+Tab
kiosk_wait_screen $KS_INFO_TEXT
typed "$t4"; activate "$($tr fr nav.next)" shift+Tab
kiosk_wait_screen $KS_INFO_FORM
activate "$($tr fr form.email)"
activate "$($tr fr nav.next)" shift+Tab
kiosk_wait_screen $KS_REVIEW
activate "$($tr fr review.submit)" shift+Tab
receipt 3 "$t4"; r4=$ref code4=$code
activate "$($tr fr receipt.done)" shift+Tab
at_hub "$r4" info "$t4"
flows=$((flows + 1))

# ---- 5. the status with the receipt code, the answer given at the hub ----
answer="Le budget est sur le portail"
"$BW_BUILD/bin/bawaba" -d "$BW_HUB_DB" answer "$r4" "$answer" >/dev/null || bw_fail "bawaba answer"
start fr
activate "$($tr fr home.status)"
kiosk_wait_screen $KS_STATUS
typed "$r4" 2>/dev/null || true
kiosk_wait_text "$($tr fr status.ref_ok)"
activate "$($tr fr status.search)" shift+Tab
kiosk_wait_screen $KS_RESULT
activate "$($tr fr status.code.ask)"
kiosk_wait_screen 18
xdotool type --window "$KIOSK_WID" --delay 30 "$code4"
activate "$($tr fr status.read)" shift+Tab
kiosk_wait_screen $KS_RESULT
kiosk_wait_wrapped "$answer"
echo "ok: status with the receipt code shows the hub's answer"
flows=$((flows + 1))
activate "$($tr fr receipt.done)" shift+Tab
kiosk_wait_screen $KS_WELCOME

# each utterance: sound (not only zeros) in its window, from its key to the next key
# (0.5 s at most)
silent=0 prev=
while read -r off rest; do
  if [ -n "$prev" ]; then
    set -- $prev
    len=$(( off - $1 )); [ $len -gt 22050 ] && len=22050
    if [ $len -lt 1000 ] || [ "$(tail -c +"$(( $1 + 1 ))" "$AUDIO" | head -c "$len" | tr -d '\000' | wc -c)" -lt 500 ]; then
      silent=$((silent + 1)); echo "silent: $prev ($len bytes of window)"
    fi
  fi
  prev="$off $rest"
done <"$WINDOWS"
spoken=$((spoken - silent))
lat=$(grep '^say' "$SLOG" | cut -f 6 | awk '$1 >= 0' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "key to first sample queued: median ${lat} ms over $(grep '^say' "$SLOG" | cut -f 6 | awk '$1 >= 0' | wc -l) keys"
echo "keypad flows: $flows completed, speech for $spoken of $moves focus changes"
[ "$spoken" = "$moves" ] || kiosk_fail "$((moves - spoken)) focus changes without the right speech"
kill -0 "$kpid" 2>/dev/null || kiosk_fail "kiosk died"
exit 0
