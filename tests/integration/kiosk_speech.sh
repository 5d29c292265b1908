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

LANG_NOW=ar moves=0 spoken=0 flows=0 T0=$(date +%s)
TAB=$(printf '\t')
# the role names of each language, looked up once (a fork per check is what made this
# test slow on a loaded machine)
roles() { for r in role.button role.checkbox role.textbox role.key role.item; do printf '%s|' "$($tr "$1" "$r")"; done; }
ROLES_ar="|$(roles ar)" ROLES_fr="|$(roles fr)"
# said: SAYS = utterances so far; the last one's language, samples and text (segments
# separated by |: a control's name, role, state; a whole screen's title first)
# (log fields: say kmoves lang screen samples latency hows text)
said() {
  IFS="$TAB" read -r SAYS L_SAY L_MOVES L_LANG L_SCREEN L_SAMPLES L_LAT L_HOWS L_TEXT <<EOF
$(awk '/^say/ { n++; l = $0 } END { print n + 0 "\t" l }' "$SLOG" 2>/dev/null)
EOF
}
size() { stat -c %s "$AUDIO" 2>/dev/null || echo 0; }

# The disk driver writes what would be heard in real time: the audio of utterance i is
# in the file between where the file ended when it was queued and where it ended when the
# next one interrupted it. Those offsets are kept and checked at the end (no waiting).
WINDOWS="$BW_TMP/windows"
: >"$WINDOWS"
# press KEY: one key; when it moves the focus, the utterance it must cause is checked
press() {
  said; p_before=$SAYS
  xdotool key --window "$KIOSK_WID" "$1"
  case "$1" in Tab|shift+Tab|Up|Down) ;; *) sleep 0.15; return 0 ;; esac
  moves=$((moves + 1))
  p_i=0
  while said; [ "$SAYS" -le "$p_before" ]; do
    p_i=$((p_i + 1)); [ $p_i -gt 100 ] && { echo "no speech after $1"; return 0; }
    sleep 0.02
  done
  p_n=${L_TEXT%%|*} p_role=${L_TEXT#*|}; p_role=${p_role%%|*}
  [ "$L_LANG" = "$LANG_NOW" ] || { echo "spoken in $L_LANG, screen in $LANG_NOW: $p_n"; return 0; }
  # plausible: a word or more (0.15 s), less than a minute
  [ "$L_SAMPLES" -ge 3300 ] && [ "$L_SAMPLES" -le 1323000 ] || { echo "implausible length $L_SAMPLES: $p_n"; return 0; }
  eval "p_roles=\$ROLES_$LANG_NOW"
  p_ok=0
  case "$p_roles" in *"|$p_role|"*) p_ok=1 ;; esac
  # a whole-screen utterance starts with the title; the focused control follows it
  p_rest=${p_roles#|}
  while [ $p_ok = 0 ] && [ -n "$p_rest" ]; do
    case "$L_TEXT" in *"|${p_rest%%|*}"*) p_ok=1 ;; esac
    p_rest=${p_rest#*|}
  done
  [ $p_ok = 1 ] || { echo "no role in the language of the screen: $L_TEXT"; return 0; }
  # its window starts where the output was once it was queued (synthesis on a loaded
  # machine can take longer than the window from the key itself)
  p_at=$(size) p_i=0
  echo "$p_at $p_n" >>"$WINDOWS"
  # let 0.1 s of it reach the output before the next key may interrupt it (a loaded
  # machine can starve the audio thread; a citizen hears at least the start of a name)
  while [ $(( $(size) - p_at )) -lt 4410 ] && [ $p_i -lt 50 ]; do p_i=$((p_i + 1)); sleep 0.02; done
  spoken=$((spoken + 1))
}

# focus TEXT [KEY]: KEY (Tab, or shift+Tab for a control near the end) until the spoken
# control's name is TEXT (a label that wraps on screen is spoken whole), then it has focus
focus() {
  f_i=0
  while :; do
    press "${2:-Tab}"
    [ "$p_n" = "$1" ] && return 0
    case "$L_TEXT" in *"|$1|"*) return 0 ;; esac
    f_i=$((f_i + 1)); [ $f_i -gt 90 ] && kiosk_fail "never reached \"$1\" with ${2:-Tab}"
  done
}
# focus_role ROLE-KEY: Tab until the spoken control has that role (the first list item)
focus_role() {
  f_i=0 f_r=$($tr "$LANG_NOW" "$1")
  while :; do
    press Tab
    [ "${L_TEXT##*|}" = "$f_r" ] && return 0
    f_i=$((f_i + 1)); [ $f_i -gt 90 ] && kiosk_fail "never reached a $1 with Tab"
  done
}
activate() { # TEXT [KEY]: focus it, Enter
  focus "$1" "${2:-Tab}"
  echo "  $1: $f_i moves ($(( $(date +%s) - T0 )) s)"
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
  [ "$(kiosk_screen)" = $KS_CATEGORY ] && activate "$($tr "$LANG_NOW" category.other)" shift+Tab
  return 0
}
receipt() { # KIND-NUMBER TEXT: sets ref and code
  kiosk_wait_screen $KS_RECEIPT
  ref=$(kiosk_receipt_ref)
  [ -n "$ref" ] || kiosk_fail "no reference on the receipt"
  # the kiosk forgets the code in clear once the hub acknowledged the request (then the
  # hub has it)
  code=$(sqlite3 "$DB" "SELECT code FROM requests WHERE ref = '$ref'")
  [ -n "$code" ] || code=$(bw_hubsql "SELECT code FROM requests WHERE ref = '$ref'")
  case "$code" in [0-9][0-9][0-9][0-9]) ;; *) kiosk_fail "receipt code of $ref: '$code'" ;; esac
  row=$(sqlite3 "$DB" "SELECT kind || '|' || text FROM requests WHERE ref = '$ref'")
  # the same for the text
  [ "$row" = "$1|" ] && row="$1|$(bw_hubsql "SELECT text FROM requests WHERE ref = '$ref'")"
  bw_expect "$ref filed" "$row" "$1|$2"
}
decree() { # LANG CARD-KEY TEXT [KEY]: KEY reaches the card (Tab or shift+Tab)
  start "$1"
  activate "$($tr "$1" "$2")" "${4:-Tab}"
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
said; n=$SAYS
press F1
i=0; while said; [ "$SAYS" -le "$n" ]; do i=$((i + 1)); [ $i -gt 100 ] && kiosk_fail "F1 said nothing"; sleep 0.02; done
spelled=$(echo "$ref" | sed 's/\(.\)\(.\)\(.\)/\1 \2 \3, /g; s/, $//')
case "$L_TEXT" in *"$spelled"*) ;; *) kiosk_fail "the receipt's reference not read in groups ($spelled): $L_TEXT" ;; esac
case "$L_TEXT" in *"$($tr ar receipt.title)"*) ;; *) kiosk_fail "F1 did not read the title: $L_TEXT" ;; esac
echo "ok: F1 on the receipt reads the reference as $spelled"
activate "$($tr ar receipt.done)" shift+Tab
at_hub "$ref" complaint "$t1"
flows=$((flows + 1))
grep -q '^wipe' "$SLOG" || kiosk_fail "no speech stop at the wipe after the receipt"

# ---- 2, 3. an observation and a suggestion in French ----
t2="Trottoir casse devant la poste"
decree fr home.observation "$t2" shift+Tab
receipt 1 "$t2"
activate "$($tr fr receipt.done)" shift+Tab
at_hub "$ref" observation "$t2"
flows=$((flows + 1))
t3="Ouvrir le samedi matin"
decree fr home.suggestion "$t3" shift+Tab
receipt 2 "$t3"
activate "$($tr fr receipt.done)" shift+Tab
at_hub "$ref" suggestion "$t3"
flows=$((flows + 1))

# ---- 4. an information request in French, answered by e-mail ----
t4="Budget 2025 de la commune"
start fr
activate "$($tr fr home.info)" shift+Tab
kiosk_wait_screen $KS_INFO_LAW
activate "$($tr fr nav.continue)" shift+Tab
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
activate "$($tr fr form.email)" shift+Tab
activate "$($tr fr nav.next)"
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
activate "$($tr fr home.status)" shift+Tab
kiosk_wait_screen $KS_STATUS
typed "$r4" 2>/dev/null || true
kiosk_wait_text "$($tr fr status.ref_ok)"
activate "$($tr fr status.search)" shift+Tab
kiosk_wait_screen $KS_RESULT
activate "$($tr fr status.code.ask)" shift+Tab
kiosk_wait_screen 18
xdotool type --window "$KIOSK_WID" --delay 30 "$code4"
kiosk_wait_text "$(printf '\342\200\242%.0s' 1 2 3 4)"
# the code box is named without the code: the screen masks it, the speech must not say it
focus_role role.textbox
echo "  the code box: $f_i moves, said \"$L_TEXT\""
case "$L_TEXT" in *[0-9]*) kiosk_fail "the masked code was spoken: $L_TEXT" ;; esac
press Return
kiosk_wait_screen $KS_RESULT
kiosk_wait_wrapped "$answer"
echo "ok: status with the receipt code shows the hub's answer"
flows=$((flows + 1))
activate "$($tr fr receipt.done)" shift+Tab
kiosk_wait_screen $KS_WELCOME

# each utterance: sound (not only zeros) in its window, from where the output was when it
# had been queued to where it was at the next focus change (0.5 s at most)
# (one process for all: a fork per window is slow on a loaded machine)
echo "flows done after $(( $(date +%s) - T0 )) s"
silent=$(python3 - "$WINDOWS" "$AUDIO" <<'EOF'
import sys
wins = [l.split(' ', 1) for l in open(sys.argv[1], encoding='utf-8').read().splitlines()]
audio = open(sys.argv[2], 'rb').read()
silent = 0
for (off, name), (nxt, _) in zip(wins, wins[1:]):
    off, n = int(off), min(int(nxt) - int(off), 22050)
    if n < 1000 or len(audio[off:off + n].replace(b'\0', b'')) < 500:
        silent += 1
        print(f"silent: {off} {name} ({n} bytes of window)", file=sys.stderr)
print(silent)
EOF
) || bw_fail "the audio windows could not be read"
spoken=$((spoken - silent))
lat=$(grep '^say' "$SLOG" | cut -f 6 | awk '$1 >= 0' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "key to first sample queued: median ${lat} ms over $(grep '^say' "$SLOG" | cut -f 6 | awk '$1 >= 0' | wc -l) keys"
echo "keypad flows: $flows completed, speech for $spoken of $moves focus changes"
[ "$spoken" = "$moves" ] || kiosk_fail "$((moves - spoken)) focus changes without the right speech"
kill -0 "$kpid" 2>/dev/null || kiosk_fail "kiosk died"
exit 0
