#!/bin/sh
# speech.sh: the kiosk's speech figures, under Xvfb with SDL's disk audio driver:
#  (a) key press to the first audio sample queued for it (the speech log's column 6,
#      stamped by the kiosk on the monotonic clock when the key event arrives and when the
#      first synthesized samples are queued), median and worst over 40 Tab presses across
#      the welcome and home screens; add one SDL device buffer (512 samples, 23 ms) for the
#      sample to be heard. Goal: under 150 ms.
#  (b) the kiosk's memory (PSS, /proc/PID/smaps_rollup) after those presses, speech on
#      against speech.enabled=false with the same presses. Goal: <= 40 MiB with speech.
set -u
. "$BW_TOP/tests/lib/xvfb.sh"
skip_unless Xvfb xdotool
K="$BW_BUILD/bin/bawaba-kiosk"
dir=$(mktemp -d)
kpid=
trap '[ -n "$kpid" ] && kill "$kpid" 2>/dev/null; stop_xvfb; rm -rf "$dir"' EXIT
start_xvfb "$dir/xvfb.log" || exit 1
export SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$dir/audio.raw"

run() { # enabled: prints the PSS in KiB after the presses
  rm -f "$dir/wid" "$dir/speech.log"
  "$K" -o kiosk.locale_dir="$BW_BUILD/locale" -o kiosk.database="$dir/k.db" -o speech.enabled="$1" \
    -o speech.log="$dir/speech.log" --id-file "$dir/wid" >"$dir/kiosk.log" 2>&1 &
  kpid=$!
  i=0; while [ ! -s "$dir/wid" ]; do i=$((i + 1)); [ $i -gt 400 ] && { echo "no window" >&2; exit 1; }; sleep 0.05; done
  wid=$(cat "$dir/wid")
  xdotool key --window "$wid" Tab Return; sleep 1   # to the home screen
  for i in $(seq 40); do xdotool key --window "$wid" Tab; sleep 0.25; done
  sleep 1
  awk '/^Pss:/ { print $2 }' "/proc/$kpid/smaps_rollup"
  kill "$kpid"; wait "$kpid" 2>/dev/null; kpid=
}
on=$(run true)
grep '^say' "$dir/speech.log" | cut -f 6 | awk '$1 >= 0' | sort -n >"$dir/lat"
n=$(wc -l <"$dir/lat")
med=$(awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' "$dir/lat")
worst=$(tail -n 1 "$dir/lat")
off=$(run false)
echo "speech: key press to first sample queued: median ${med} ms, worst ${worst} ms over $n keys (goal < 150 ms; +23 ms device buffer)"
echo "speech: kiosk PSS $((on / 1024)) MiB with speech, $((off / 1024)) MiB without (goal <= 40 MiB)"
