#!/bin/sh
# kiosk_screens.sh: every kiosk screen in Arabic, Tamazight and French, drawn under Xvfb
# by the kiosk's hidden --walk mode, compared with the reference images in
# tests/ref/kiosk/ (ImageMagick compare -metric AE -fuzz 2%; at most 0.5% of the pixels
# may differ). BW_UPDATE_REFS=1 writes new references instead: look at every one before
# committing it (Arabic joined and right to left, numbers in their order).
set -u
. "$BW_TOP/tests/lib/xvfb.sh"
skip_unless Xvfb compare convert
K="$BW_BUILD/bin/bawaba-kiosk"
REF="$BW_TOP/tests/ref/kiosk"
dir=$(mktemp -d)
trap 'stop_xvfb; rm -rf "$dir"' EXIT
start_xvfb "$dir/xvfb.log" || exit 1

# a fixed clock (Friday 2026-11-27 10:00 UTC) and a fresh store: the same reference
# numbers and deadlines on every run. An empty environment, as systemd gives (only the
# display and the sanitizers' settings): the text must still come from the catalogues.
env -i DISPLAY="$DISPLAY" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  LSAN_OPTIONS="${LSAN_OPTIONS:-}" BAWABA_NOW=1795773600 "$K" -o kiosk.locale_dir="$BW_BUILD/locale" -o kiosk.database="$dir/kiosk.db" \
  -o kiosk.site=RABAT-IMMAT --walk "$dir" >"$dir/list" 2>"$dir/err" || { echo "FAIL: walk"; cat "$dir/err"; exit 1; }
count=$(wc -l <"$dir/list")
[ "$count" -eq 54 ] || { echo "FAIL: $count screenshots, want 54 (18 screens x 3 languages)"; exit 1; }

limit=$((1920 * 1080 / 200))
fail=0
for bmp in $(cat "$dir/list"); do
  name=$(basename "$bmp" .bmp)
  convert "$bmp" "$dir/$name.png" || { echo "FAIL: convert $name"; fail=1; continue; }
  if [ "${BW_UPDATE_REFS:-0}" = 1 ]; then
    mkdir -p "$REF" && cp "$dir/$name.png" "$REF/$name.png" && echo "updated $name"
    continue
  fi
  [ -e "$REF/$name.png" ] || { echo "FAIL: no reference $REF/$name.png"; fail=1; continue; }
  ae=$(compare -metric AE -fuzz 2% "$REF/$name.png" "$dir/$name.png" "$dir/$name-diff.png" 2>&1)
  case "$ae" in *[!0-9]*|'') echo "FAIL: compare $name: $ae"; fail=1; continue ;; esac
  if [ "$ae" -gt "$limit" ]; then
    keep="$BW_BUILD/test-logs/kiosk_screens"; mkdir -p "$keep"
    cp "$dir/$name.png" "$dir/$name-diff.png" "$keep/"
    echo "FAIL: $name differs from its reference in $ae pixels (limit $limit); see $keep/$name.png"
    fail=1
  else
    echo "ok: $name ($ae pixels differ)"
  fi
done
exit $fail
