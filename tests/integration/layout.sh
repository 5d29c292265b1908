#!/bin/sh
# layout.sh: the layout check (tests/layout, no display): every state of every kiosk and
# agent console screen in ar, zgh and fr, each theme and size, measured with the real
# fonts; prints every finding and "layout: N screen states, M findings". Fails on any
# finding that tests/layout/known.txt does not list (the findings still to fix, one per
# line as printed; the list only shrinks). BW_UPDATE_KNOWN=1 rewrites that list.
set -u
L="$BW_BUILD/tests/layout-check"
KNOWN="$BW_TOP/tests/layout/known.txt"
fonts=/usr/share/fonts/truetype/noto
[ -e "$fonts/NotoSansTifinagh-Regular.ttf" ] || { echo "skipped: no Noto fonts in $fonts (fonts-noto-core)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
env -i "$L" "$BW_BUILD/locale" "$fonts" "" "$dir/all" >"$dir/out"; rc=$?
[ $rc -le 1 ] || { echo "FAIL: layout-check exited $rc"; cat "$dir/out"; exit 1; }
summary=$(grep '^layout:' "$dir/out")
[ -n "$summary" ] || { echo "FAIL: no summary line"; cat "$dir/out"; exit 1; }
if [ "${BW_UPDATE_KNOWN:-0}" = 1 ]; then
  sort -u "$dir/all" >"$KNOWN"; echo "updated $KNOWN"; echo "$summary"; exit 0
fi
sort -u "$dir/all" >"$dir/sorted"
touch "$dir/known"; [ -e "$KNOWN" ] && sort -u "$KNOWN" >"$dir/known"
comm -23 "$dir/sorted" "$dir/known" >"$dir/new"
new=$(wc -l <"$dir/new")
known=$(comm -12 "$dir/sorted" "$dir/known" | wc -l)
echo "$summary"
echo "layout: $known findings still listed in tests/layout/known.txt, $new new"
if [ "$new" -gt 0 ]; then
  head -n 200 "$dir/new" | sed 's/^/FAIL: /'
  exit 1
fi
exit 0
