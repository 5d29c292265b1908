#!/bin/sh
# prompts-missing.sh: lists, per language, the kiosk's message ids that have no recorded
# prompt yet (DIR/LANG/MSGID.wav, 16-bit mono 22050 Hz), so translators and voice talents
# work from the catalogue's own list. Tamazight depends on it most: without a recording
# the kiosk falls back to the message's Arabic text (kiosk/voice.h).
# Usage: scripts/prompts-missing.sh PROMPTS_DIR [LANG...]   (default: ar zgh fr)
set -eu
dir=${1:?usage: scripts/prompts-missing.sh PROMPTS_DIR [LANG...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- ar zgh fr
for lang in "$@"; do
  po="$top/po/kiosk/$lang.po"
  [ -f "$po" ] || { echo "prompts-missing: no catalogue $po" >&2; exit 2; }
  total=0 missing=0
  for id in $(sed -n 's/^msgid "\(..*\)"$/\1/p' "$po"); do
    total=$((total + 1))
    if [ ! -f "$dir/$lang/$id.wav" ]; then
      missing=$((missing + 1))
      echo "$lang $id"
    fi
  done
  echo "$lang: $missing of $total prompts missing" >&2
done
