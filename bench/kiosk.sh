#!/bin/sh
# kiosk.sh: issue 5's figures for the kiosk (bawaba-kiosk) beside Chromium in kiosk mode
# showing bench/kiosk-home.html (the kiosk's Arabic home screen as a static page, what a
# ministry would otherwise deploy), in one run under Xvfb 1920x1080x24:
#  (a) cold start: exec to the first complete frame on screen, measured the same way for
#      both by tools/xpaint (a screen grab every 3 ms; the first grab that is the
#      settled screen); median of BW_BENCH_KIOSK_RUNS (5) starts each; the kiosk's own
#      log line (main() to its first present) beside it;
#  (b) frame time: the kiosk's --bench mode shows every screen in the three languages,
#      times each screen's first frame (its text shaped for the first time: what a tap
#      costs) and BW_BENCH_FRAMES (100) redraws; printed for the busiest screen (most
#      draw commands) and the worst frame of all;
#  (c) memory: PSS summed over every process (/proc/PID/smaps_rollup), the kiosk after
#      walking every screen, Chromium once its page settled; RSS summed beside it;
#  (d) idle CPU over 10 s, every process (utime + stime from /proc/PID/stat).
# Goals (issue 5): at most a fifth of Chromium's memory and start-up time, every frame
# under 16 ms at 1920x1080, idle CPU under 1%. Chromium runs with no network at all
# (unshare -n), as ../shared/RECIPES.md says.
set -u
BW_TOP=${BW_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BW_BUILD=${BW_BUILD:-$BW_TOP/build/rel}
. "$BW_TOP/tests/lib/xvfb.sh"
RUNS=${BW_BENCH_KIOSK_RUNS:-5}
FRAMES=${BW_BENCH_FRAMES:-100}
K=$BW_BUILD/bin/bawaba-kiosk
XPAINT=$BW_BUILD/tools/xpaint
for p in "$K" "$XPAINT"; do [ -x "$p" ] || { echo "kiosk.sh: $p is not built (make benches)"; exit 1; }; done
for c in Xvfb chromium unshare ip; do
  command -v "$c" >/dev/null 2>&1 || { echo "kiosk.sh: $c is missing (scripts/deps.sh bench)"; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/bawaba-bench-kiosk.XXXXXX")
running=""   # pids of programs under measurement still running
cleanup() {
  for p in $running; do kill_tree "$p"; done
  stop_xvfb
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# tree PID: PID and every process below it
tree() {
  ps -e -o pid= -o ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END { keep[root] = 1; changed = 1
          while (changed) { changed = 0
            for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } } }
          for (p in keep) print p }'
}
# kill_tree PID: SIGTERM to the program and what it started, SIGKILL after 5 s
kill_tree() {
  k_pids=$(tree "$1")
  kill $k_pids 2>/dev/null
  k_i=0
  while [ $k_i -lt 100 ]; do
    k_left=""; for p in $k_pids; do kill -0 "$p" 2>/dev/null && k_left="$k_left $p"; done
    [ -z "$k_left" ] && break
    k_i=$((k_i + 1)); sleep 0.05
  done
  [ -n "$k_left" ] && kill -9 $k_left 2>/dev/null
  running=$(echo "$running" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
  return 0
}
# mem PIDS...: "PSS_KiB RSS_KiB" summed
mem() {
  for p in "$@"; do cat "/proc/$p/smaps_rollup" 2>/dev/null; done |
    awk '/^Pss:/ { p += $2 } /^Rss:/ { r += $2 } END { printf "%d %d\n", p, r }'
}
# ticks PIDS...: CPU clock ticks used so far (user + system), summed
ticks() {
  for p in "$@"; do sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null; done |
    awk '{ t += $12 + $13 } END { print t + 0 }'
}
# idle_cpu ROOT_PID: percent of one core over 10 s, the whole tree
idle_cpu() {
  c_pids=$(tree "$1")
  c0=$(ticks $c_pids); s0=$(date +%s.%N)
  sleep 10
  c1=$(ticks $c_pids); s1=$(date +%s.%N)
  awk -v a="$c0" -v b="$c1" -v s0="$s0" -v s1="$s1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f\n", (b - a) / hz / (s1 - s0) * 100 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "none" }'; }
# xstart SETTLE_MS -- COMMAND...: runs COMMAND under xpaint; sets xp_pid and xp_ms
xstart() {
  settle=$1; shift 2
  "$XPAINT" -s "$settle" -- "$@" >"$T/xp" 2>>"$T/prog.log"
  xp_pid=$(sed -n 's/^pid //p' "$T/xp")
  xp_ms=$(sed -n 's/^first_frame_ms //p' "$T/xp")
  [ -n "$xp_pid" ] && running="$running $xp_pid"
  case "$xp_ms" in ''|none) echo "kiosk.sh: no frame from $1:"; tail -n 20 "$T/prog.log"; exit 1 ;; esac
}

start_xvfb "$T/xvfb.log" || exit 1
# the kiosk as on site: full screen, its store made and seeded once (as after install)
KARGS="-o kiosk.locale_dir=$BW_BUILD/locale -o kiosk.database=$T/kiosk.db -o display.fullscreen=true -o kiosk.pin=1234"
"$K" $KARGS --check >/dev/null || { echo "kiosk.sh: kiosk --check failed"; exit 1; }
CARGS="--no-sandbox --disable-gpu --disable-quic --no-first-run --kiosk --window-size=1920,1080
  --window-position=0,0 --disable-background-networking --disable-component-update --disable-sync"
PAGE="file://$BW_TOP/bench/kiosk-home.html"

# ---- (a) cold start, alternating the two programs ----
: >"$T/k.ms"; : >"$T/k.own"; : >"$T/c.ms"
i=0
while [ $i -lt "$RUNS" ]; do
  i=$((i + 1))
  : >"$T/prog.log"
  xstart 1000 -- "$K" $KARGS
  echo "$xp_ms" >>"$T/k.ms"
  sed -n 's/.*first frame on screen \([0-9]*\) ms after start.*/\1/p' "$T/prog.log" >>"$T/k.own"
  kill_tree "$xp_pid"
  rm -rf "$T/chromium"
  : >"$T/prog.log"
  # shellcheck disable=SC2086
  xstart 2000 -- unshare -n sh -c 'ip link set lo up && exec chromium "$@"' sh $CARGS \
    --user-data-dir="$T/chromium" "$PAGE"
  echo "$xp_ms" >>"$T/c.ms"
  [ $i -lt "$RUNS" ] && kill_tree "$xp_pid"
done
k_start=$(median <"$T/k.ms"); k_own=$(median <"$T/k.own"); c_start=$(median <"$T/c.ms")

# ---- (c, d) Chromium: memory once settled (the last start above), then idle CPU ----
c_root=$xp_pid
set -- $(mem $(tree "$c_root")); c_pss=$1; c_rss=$2
c_procs=$(tree "$c_root" | wc -l)
c_cpu=$(idle_cpu "$c_root")
kill_tree "$c_root"

# ---- (b, c, d) the kiosk: every screen timed, then memory and idle CPU ----
"$K" $KARGS --bench "$FRAMES" >"$T/frames" 2>"$T/kiosk.log" &
k_root=$!; running="$running $k_root"
i=0
until grep -q "^bench: walked every screen" "$T/frames"; do
  i=$((i + 1))
  if [ $i -gt 1200 ] || ! kill -0 "$k_root" 2>/dev/null; then
    echo "kiosk.sh: the kiosk's walk did not finish:"; tail -n 20 "$T/kiosk.log"; exit 1
  fi
  sleep 0.1
done
sleep 1   # back on the welcome screen, as between two citizens
set -- $(mem $(tree "$k_root")); k_pss=$1; k_rss=$2
k_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$k_root/status")
k_cpu=$(idle_cpu "$k_root")
kill_tree "$k_root"

busiest=$(awk '$1 == "frame" { if ($4 + 0 > best) { best = $4 + 0; line = $0 } } END { print line }' "$T/frames")
worst=$(sed -n 's/^worst frame \([0-9.]*\) ms (\(.*\))$/\1 \2/p' "$T/frames")
worst_ms=${worst%% *}; worst_screen=${worst#* }
firsts=$(awk '$1 == "frame" { print $6 }' "$T/frames" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
meds=$(awk '$1 == "frame" { print $9 }' "$T/frames" | sort -n | awk '{ v[NR] = $1 } END { print v[NR] }')

# ---- figures ----
verdict() { # GOT LIMIT: "met" when GOT <= LIMIT
  awk -v g="$1" -v l="$2" 'BEGIN { print (g + 0 <= l + 0) ? "met" : "MISSED" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
r_start=$(ratio "$k_start" "$c_start"); r_mem=$(ratio "$k_pss" "$c_pss")
echo "kiosk vs Chromium $(chromium --version 2>/dev/null | awk '{ print $2 }') in kiosk mode, Xvfb 1920x1080, $(nproc) CPUs; median of $RUNS starts"
printf '%-34s %16s %18s %8s   %s\n' "" "bawaba-kiosk" "Chromium (kiosk)" "ratio" "goal"
printf '%-34s %13s ms %15s ms %8s   <= 0.2 of Chromium: %s\n' "exec to first frame on screen" "$k_start" "$c_start" "$r_start" \
  "$(verdict "$r_start" 0.2)"
printf '%-34s %13s ms\n' "  (kiosk's own log: main to present)" "$k_own"
printf '%-34s %12.1f MiB %14.1f MiB %8s   <= 0.2 of Chromium: %s\n' "memory, PSS summed" \
  "$(echo "$k_pss" | awk '{ print $1 / 1024 }')" "$(echo "$c_pss" | awk '{ print $1 / 1024 }')" "$r_mem" "$(verdict "$r_mem" 0.2)"
printf '%-34s %12.1f MiB %14.1f MiB   (%d processes)\n' "  RSS summed" \
  "$(echo "$k_rss" | awk '{ print $1 / 1024 }')" "$(echo "$c_rss" | awk '{ print $1 / 1024 }')" "$c_procs"
printf '%-34s %12.1f MiB\n' "  kiosk's peak RSS (VmHWM)" "$(echo "$k_hwm" | awk '{ print $1 / 1024 }')"
printf '%-34s %14s %% %16s %%            < 1%%: %s\n' "idle CPU over 10 s (one core)" "$k_cpu" "$c_cpu" "$(verdict "$k_cpu" 0.999)"
echo "kiosk frames at 1920x1080 (48 screens: 16 x ar/zgh/fr; first frame + $FRAMES redraws each):"
echo "  busiest screen: $(echo "$busiest" | sed 's/^frame *//')"
echo "  median of the screens' first frames $firsts ms; slowest screen's median redraw $meds ms"
echo "  slowest first frames (text shaped for the first time):"
awk '$1 == "frame"' "$T/frames" | sort -k6 -n -r | head -n 3 | sed 's/^frame */    /'
echo "  worst frame of all: $worst_ms ms ($worst_screen); every frame under 16 ms: $(verdict "$worst_ms" 15.999)"
